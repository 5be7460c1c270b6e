//! Reading an instrument definition from TOML. The file is read into loose `Raw*` shapes that refuse unknown
//! fields (so a misspelt `yes_point` is an error, not a silent 0), then checked item by item into the model.

use super::model::{
    Band, ChoiceOption, Condition, Floor, Question, QuestionKind, Step, Thresholds,
};
use super::{Instrument, InstrumentError, PrefillSource, QuestionId};
use crate::RiskLevel;
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

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawKind {
    YesNo,
    Number,
    Choice,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    help: String,
    kind: RawKind,
    prefill: Option<PrefillSource>,
    yes_points: Option<u32>,
    no_points: Option<u32>,
    min: Option<i64>,
    max: Option<i64>,
    bands: Option<Vec<Band>>,
    options: Option<Vec<ChoiceOption>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFloor {
    id: String,
    level: RiskLevel,
    #[serde(default)]
    why: String,
    #[serde(default)]
    when: Vec<RawCondition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    question: String,
    is: Option<String>,
    at_least: Option<i64>,
}

/// Parses and checks a definition.
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
            let question = question(q)?;
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
        floors.push(floor(f, &kinds)?);
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

fn check_id(what: &'static str, id: &str) -> Result<(), InstrumentError> {
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

fn unique(
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

fn question(q: RawQuestion) -> Result<Question, InstrumentError> {
    check_id("question", &q.id)?;
    let problem = |p: String| InstrumentError::Question {
        question: q.id.clone(),
        problem: p,
    };
    if q.text.trim().is_empty() {
        return Err(problem("has no text".into()));
    }
    if q.help.trim().is_empty() {
        return Err(problem("has no help".into()));
    }
    let stray = |fields: &[(&str, bool)], kind: &str| match fields.iter().find(|(_, set)| *set) {
        Some((field, _)) => Err(problem(format!(
            "'{field}' does not belong to a {kind} question"
        ))),
        None => Ok(()),
    };
    let kind = match q.kind {
        RawKind::YesNo => {
            let other = [
                ("min", q.min.is_some()),
                ("max", q.max.is_some()),
                ("bands", q.bands.is_some()),
            ];
            stray(&other, "yes_no")?;
            stray(&[("options", q.options.is_some())], "yes_no")?;
            QuestionKind::YesNo {
                yes_points: q.yes_points.unwrap_or(0),
                no_points: q.no_points.unwrap_or(0),
            }
        }
        RawKind::Number => {
            let other = [
                ("yes_points", q.yes_points.is_some()),
                ("no_points", q.no_points.is_some()),
            ];
            stray(&other, "number")?;
            stray(&[("options", q.options.is_some())], "number")?;
            number(q.min, q.max, q.bands.unwrap_or_default()).map_err(problem)?
        }
        RawKind::Choice => {
            let other = [
                ("yes_points", q.yes_points.is_some()),
                ("no_points", q.no_points.is_some()),
            ];
            stray(&other, "choice")?;
            stray(
                &[
                    ("min", q.min.is_some()),
                    ("max", q.max.is_some()),
                    ("bands", q.bands.is_some()),
                ],
                "choice",
            )?;
            choice(q.options.unwrap_or_default()).map_err(problem)?
        }
    };
    if let Some(source) = q.prefill {
        let fits = matches!(
            (source.is_count(), &kind),
            (true, QuestionKind::Number { .. }) | (false, QuestionKind::YesNo { .. })
        );
        if !fits {
            return Err(problem(format!(
                "pre-fill '{}' cannot fill a {} question",
                source.as_str(),
                kind.name()
            )));
        }
    }
    Ok(Question {
        id: QuestionId(q.id),
        text: q.text,
        help: q.help,
        kind,
        prefill: q.prefill,
    })
}

fn number(min: Option<i64>, max: Option<i64>, bands: Vec<Band>) -> Result<QuestionKind, String> {
    let (Some(min), Some(max)) = (min, max) else {
        return Err("a number question needs both 'min' and 'max'".into());
    };
    if min > max {
        return Err(format!("min {min} is greater than max {max}"));
    }
    if !bands.windows(2).all(|w| w[0].at_least < w[1].at_least) {
        return Err("bands must be in strictly ascending 'at_least' order".into());
    }
    if let Some(b) = bands.iter().find(|b| b.at_least < min || b.at_least > max) {
        return Err(format!(
            "band at_least = {} is outside {min} to {max}",
            b.at_least
        ));
    }
    Ok(QuestionKind::Number { min, max, bands })
}

fn choice(options: Vec<ChoiceOption>) -> Result<QuestionKind, String> {
    if options.len() < 2 {
        return Err("a choice question needs at least two options".into());
    }
    let mut seen = BTreeSet::new();
    for o in &options {
        check_id("option", &o.id).map_err(|e| e.to_string())?;
        unique("option", &o.id, &mut seen).map_err(|e| e.to_string())?;
        if o.label.trim().is_empty() {
            return Err(format!("option '{}' has no label", o.id));
        }
    }
    Ok(QuestionKind::Choice { options })
}

fn floor(
    f: RawFloor,
    kinds: &BTreeMap<QuestionId, QuestionKind>,
) -> Result<Floor, InstrumentError> {
    let problem = |p: String| InstrumentError::Floor {
        floor: f.id.clone(),
        problem: p,
    };
    if f.why.trim().is_empty() {
        return Err(problem("has no 'why'".into()));
    }
    if f.when.is_empty() {
        return Err(problem("has no conditions ('when')".into()));
    }
    let mut when = Vec::new();
    for c in f.when {
        let Some((id, kind)) = kinds.get_key_value(c.question.as_str()) else {
            return Err(problem(format!(
                "refers to unknown question '{}'",
                c.question
            )));
        };
        let question = id.clone();
        let condition = match (kind, c.is, c.at_least) {
            (QuestionKind::YesNo { .. }, Some(is), None) if is == "yes" || is == "no" => {
                Condition::YesNo {
                    question,
                    is: is == "yes",
                }
            }
            (QuestionKind::Choice { options }, Some(is), None)
                if options.iter().any(|o| o.id == is) =>
            {
                Condition::Choice { question, is }
            }
            (QuestionKind::Choice { .. }, Some(is), None) => {
                return Err(problem(format!(
                    "question '{question}' has no option '{is}'"
                )));
            }
            (QuestionKind::Number { .. }, None, Some(value)) => {
                Condition::AtLeast { question, value }
            }
            (kind, _, _) => {
                let expected = match kind {
                    QuestionKind::YesNo { .. } => "is = \"yes\" or \"no\"",
                    QuestionKind::Choice { .. } => "is = \"<option id>\"",
                    QuestionKind::Number { .. } => "at_least = <number>",
                };
                return Err(problem(format!(
                    "the condition on '{question}' needs exactly {expected}"
                )));
            }
        };
        when.push(condition);
    }
    Ok(Floor {
        id: f.id,
        level: f.level,
        why: f.why,
        when,
    })
}
