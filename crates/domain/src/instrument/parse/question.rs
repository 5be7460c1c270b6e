//! Checking one question: its id, text and help, the fields that belong to its kind, its range, bands or
//! options, and whether its pre-fill source fits it.

use super::{check_id, unique};
use crate::instrument::model::{Band, ChoiceOption, Question, QuestionKind};
use crate::instrument::{InstrumentError, PrefillSource, QuestionId};
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawKind {
    YesNo,
    Number,
    Choice,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
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

pub(super) fn question(q: RawQuestion) -> Result<Question, InstrumentError> {
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
