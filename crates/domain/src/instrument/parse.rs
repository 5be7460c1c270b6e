//! Reading an instrument definition from TOML. The file is read into loose `Raw*` shapes that refuse unknown
//! fields (so a misspelt `yes_point` is an error, not a silent 0), then checked item by item into the model.

mod floor;
mod question;

use super::model::{Step, Thresholds};
use super::{Instrument, InstrumentError};
use floor::RawFloor;
use question::RawQuestion;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInstrument {
    #[serde(default)]
    id: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    title: String,
    thresholds: Option<Thresholds>,
    #[serde(default)]
    steps: Vec<RawStep>,
    #[serde(default)]
    floors: Vec<RawFloor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    questions: Vec<RawQuestion>,
}

pub(super) fn parse(text: &str) -> Result<Instrument, InstrumentError> {
    let raw: RawInstrument = toml::from_str(text)?;
    for (field, value) in [
        ("id", &raw.id),
        ("version", &raw.version),
        ("title", &raw.title),
    ] {
        if value.trim().is_empty() {
            return Err(InstrumentError::Missing(field));
        }
    }
    check_id("instrument", &raw.id)?;
    let thresholds = raw
        .thresholds
        .ok_or(InstrumentError::Missing("thresholds"))?;
    let Thresholds {
        very_high,
        high,
        medium,
    } = thresholds;
    if !(very_high > high && high > medium && medium > 0) {
        return Err(InstrumentError::Thresholds {
            very_high,
            high,
            medium,
        });
    }
    if raw.steps.is_empty() {
        return Err(InstrumentError::Missing("steps"));
    }
    let mut step_ids = BTreeSet::new();
    let mut kinds = BTreeMap::new();
    let mut sources = BTreeSet::new();
    let mut steps = Vec::new();
    for s in raw.steps {
        check_id("step", &s.id)?;
        unique("step", &s.id, &mut step_ids)?;
        let problem = |p: &str| InstrumentError::Step {
            step: s.id.clone(),
            problem: p.into(),
        };
        if s.title.trim().is_empty() {
            return Err(problem("has no title"));
        }
        if s.questions.is_empty() {
            return Err(problem("has no questions"));
        }
        let mut questions = Vec::new();
        for q in s.questions {
            let question = question::question(q)?;
            if let Some(source) = question.prefill
                && !sources.insert(source)
            {
                return Err(InstrumentError::Duplicate {
                    what: "pre-fill source",
                    id: source.as_str().into(),
                });
            }
            if kinds
                .insert(question.id.clone(), question.kind.clone())
                .is_some()
            {
                return Err(InstrumentError::Duplicate {
                    what: "question",
                    id: question.id.to_string(),
                });
            }
            questions.push(question);
        }
        steps.push(Step {
            id: s.id,
            title: s.title,
            questions,
        });
    }
    let mut floor_ids = BTreeSet::new();
    let mut floors = Vec::new();
    for f in raw.floors {
        check_id("floor", &f.id)?;
        unique("floor", &f.id, &mut floor_ids)?;
        floors.push(floor::floor(f, &kinds)?);
    }
    Ok(Instrument {
        id: raw.id,
        version: raw.version,
        title: raw.title,
        thresholds,
        steps,
        floors,
    })
}

pub(super) fn check_id(what: &'static str, id: &str) -> Result<(), InstrumentError> {
    let ok = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(InstrumentError::BadId {
            what,
            id: id.into(),
        })
    }
}

pub(super) fn unique(
    what: &'static str,
    id: &str,
    seen: &mut BTreeSet<String>,
) -> Result<(), InstrumentError> {
    if seen.insert(id.to_string()) {
        Ok(())
    } else {
        Err(InstrumentError::Duplicate {
            what,
            id: id.into(),
        })
    }
}
