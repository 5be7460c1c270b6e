//! Answers to an instrument, and pre-filling them from what the referral already says. Each answer records
//! whether it was pre-filled and from which fact, so the assessor and a later reviewer can tell which answers
//! a person gave. Answers are serialised as JSON with the instrument id and version they belong to.

use super::model::QuestionKind;
use super::{AnswerError, Instrument, InstrumentRef, Question, QuestionId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A fact the referral already contains, that can pre-fill a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PrefillSource {
    /// The sender escalated the report as high priority (yes/no).
    #[serde(rename = "escalated")]
    Escalated,
    /// A victim in the report is under 13 (yes/no).
    #[serde(rename = "victim_under_13")]
    VictimUnder13,
    /// A file carries the platform's "possible self-production" annotation (yes/no).
    #[serde(rename = "possible_self_production")]
    PossibleSelfProduction,
    /// Earlier CyberTipline reports listed in the report (a count).
    #[serde(rename = "prior_reports")]
    PriorReports,
    /// Earlier referrals of the same subject (a count).
    #[serde(rename = "prior_referrals")]
    PriorReferrals,
    /// The platform annotated the report `sextortion` (yes/no).
    #[serde(rename = "sextortion")]
    Sextortion,
}

impl PrefillSource {
    /// The name used in definition files and stored answers.
    pub fn as_str(self) -> &'static str {
        match self {
            PrefillSource::Escalated => "escalated",
            PrefillSource::VictimUnder13 => "victim_under_13",
            PrefillSource::PossibleSelfProduction => "possible_self_production",
            PrefillSource::PriorReports => "prior_reports",
            PrefillSource::PriorReferrals => "prior_referrals",
            PrefillSource::Sextortion => "sextortion",
        }
    }

    /// Where the answer came from, in words (`Pre-filled from …`).
    pub fn label(self) -> &'static str {
        match self {
            PrefillSource::Escalated => "the sender's escalation",
            PrefillSource::VictimUnder13 => "a victim's age or date of birth in the report",
            PrefillSource::PossibleSelfProduction => {
                "the platform's possible self-production annotation"
            }
            PrefillSource::PriorReports => "the earlier reports the report lists",
            PrefillSource::PriorReferrals => "the referrals linked to the same subject",
            PrefillSource::Sextortion => "the platform's sextortion annotation",
        }
    }

    /// Whether the fact is a count (fills a number question) rather than yes/no.
    pub fn is_count(self) -> bool {
        matches!(
            self,
            PrefillSource::PriorReports | PrefillSource::PriorReferrals
        )
    }
}

/// What the referral says. `None` means it does not say, and the question is left for the assessor:
/// the absence of an annotation is not evidence that the answer is *no*.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PrefillFacts {
    /// Escalated as high priority by the sender.
    pub escalated: Option<bool>,
    /// A victim is under 13.
    pub victim_under_13: Option<bool>,
    /// A file is annotated "possible self-production".
    pub possible_self_production: Option<bool>,
    /// Earlier CyberTipline reports about the person.
    pub prior_reports: Option<u32>,
    /// Earlier referrals of the same subject.
    pub prior_referrals: Option<u32>,
    /// The platform annotated the report `sextortion`.
    pub sextortion: Option<bool>,
}

/// One answer's value. Serialised as the bare JSON value: `true`, `3` or `"option_id"`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AnswerValue {
    /// Yes (true) or no (false).
    YesNo(bool),
    /// A whole number.
    Number(i64),
    /// An option id.
    Choice(String),
}

/// An answer and where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    /// The value.
    pub value: AnswerValue,
    /// The referral fact it was pre-filled from; `None` when a person gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefilled_from: Option<PrefillSource>,
}

/// The answers given so far to one instrument version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answers {
    /// The instrument and version the answers belong to.
    pub instrument: InstrumentRef,
    answers: BTreeMap<QuestionId, Answer>,
}

impl Answers {
    /// The answer to a question, if given.
    pub fn get(&self, question: &str) -> Option<&Answer> {
        self.answers.get(question)
    }

    /// Every answer, by question id.
    pub fn iter(&self) -> impl Iterator<Item = (&QuestionId, &Answer)> {
        self.answers.iter()
    }

    /// How many questions are answered.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// Whether nothing is answered.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

impl Instrument {
    /// An empty set of answers to this instrument.
    pub fn blank(&self) -> Answers {
        Answers {
            instrument: self.reference(),
            answers: BTreeMap::new(),
        }
    }

    /// Answers pre-filled from the referral's facts, each marked with its source. Counts above a question's
    /// maximum are recorded as the maximum (the top band already applies).
    pub fn prefill(&self, facts: &PrefillFacts) -> Answers {
        let mut answers = self.blank();
        for q in self.questions() {
            let Some(source) = q.prefill else { continue };
            let flag = |f: Option<bool>| f.map(AnswerValue::YesNo);
            let value = match source {
                PrefillSource::Escalated => flag(facts.escalated),
                PrefillSource::VictimUnder13 => flag(facts.victim_under_13),
                PrefillSource::PossibleSelfProduction => flag(facts.possible_self_production),
                PrefillSource::PriorReports => facts.prior_reports.map(|n| count(q, n)),
                PrefillSource::PriorReferrals => facts.prior_referrals.map(|n| count(q, n)),
                PrefillSource::Sextortion => flag(facts.sextortion),
            };
            if let Some(value) = value {
                answers.answers.insert(
                    q.id.clone(),
                    Answer {
                        value,
                        prefilled_from: Some(source),
                    },
                );
            }
        }
        answers
    }

    /// Records a person's answer to `question`, replacing any pre-filled one, after checking it.
    pub fn answer(
        &self,
        answers: &mut Answers,
        question: &str,
        value: AnswerValue,
    ) -> Result<(), AnswerError> {
        self.check_instrument(answers)?;
        let q = self
            .question(question)
            .ok_or_else(|| AnswerError::UnknownQuestion(question.into()))?;
        check_value(q, &value)?;
        answers.answers.insert(
            q.id.clone(),
            Answer {
                value,
                prefilled_from: None,
            },
        );
        Ok(())
    }

    /// Checks that the answers belong to this instrument and that every one is valid.
    pub fn check(&self, answers: &Answers) -> Result<(), AnswerError> {
        self.check_instrument(answers)?;
        for (id, answer) in answers.iter() {
            let q = self
                .question(id.as_str())
                .ok_or_else(|| AnswerError::UnknownQuestion(id.to_string()))?;
            check_value(q, &answer.value)?;
        }
        Ok(())
    }

    fn check_instrument(&self, answers: &Answers) -> Result<(), AnswerError> {
        let expected = self.reference();
        if answers.instrument == expected {
            Ok(())
        } else {
            Err(AnswerError::WrongInstrument {
                expected,
                found: answers.instrument.clone(),
            })
        }
    }
}

fn count(q: &Question, n: u32) -> AnswerValue {
    let n = i64::from(n);
    AnswerValue::Number(match q.kind {
        QuestionKind::Number { min, max, .. } => n.clamp(min, max),
        _ => n,
    })
}

fn check_value(q: &Question, value: &AnswerValue) -> Result<(), AnswerError> {
    let question = q.id.to_string();
    match (&q.kind, value) {
        (QuestionKind::YesNo { .. }, AnswerValue::YesNo(_)) => Ok(()),
        (QuestionKind::Number { min, max, .. }, AnswerValue::Number(v)) if v < min || v > max => {
            Err(AnswerError::OutOfRange {
                question,
                value: *v,
                min: *min,
                max: *max,
            })
        }
        (QuestionKind::Number { .. }, AnswerValue::Number(_)) => Ok(()),
        (QuestionKind::Choice { options }, AnswerValue::Choice(c)) => {
            match options.iter().any(|o| &o.id == c) {
                true => Ok(()),
                false => Err(AnswerError::UnknownOption {
                    question,
                    option: c.clone(),
                    options: options
                        .iter()
                        .map(|o| o.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }),
            }
        }
        (kind, _) => Err(AnswerError::WrongKind {
            question,
            expected: kind.name(),
        }),
    }
}
