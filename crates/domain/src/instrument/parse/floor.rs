//! Checking one floor: its reason, and that each condition names an existing question and fits its kind.

use crate::RiskLevel;
use crate::instrument::model::{Condition, Floor, QuestionKind};
use crate::instrument::{InstrumentError, QuestionId};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFloor {
    pub(super) id: String,
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
pub(super) fn floor(
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
