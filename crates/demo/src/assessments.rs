//! The risk instrument's assessment behind a demo referral's risk level: answers drawn until the force's
//! instrument gives the level (as a triage officer's honest answers would), signed off by the BCU's sergeant;
//! about one in fourteen gives a level next to it and the sergeant overrides it with a reason, as the
//! inspectorate expects supervisors to do when the instrument misses something.

use domain::instrument::{AnswerValue, Instrument, QuestionKind};
use domain::{RiskLevel, User};
use jiff::Timestamp;
use rand::Rng;
use store::NewAssessment;

/// Why a sergeant moved the instrument's level.
const OVERRIDES: [&str; 4] = [
    "The platform's report shows contact with a second child the instrument does not ask about.",
    "The suspect lives with young children: raised after the intelligence check.",
    "Prior reports were about another account holder at the address: lowered after checks.",
    "The images are historic and the suspect has already been dealt with: lowered.",
];

/// Answers to `instrument`, more of them pointing to risk the more urgent `toward` is.
fn draw(
    rng: &mut impl Rng,
    instrument: &Instrument,
    toward: RiskLevel,
) -> domain::instrument::Answers {
    let p = match toward {
        RiskLevel::VeryHigh => 0.6,
        RiskLevel::High => 0.4,
        RiskLevel::Medium => 0.2,
        RiskLevel::Low => 0.05,
    };
    let mut answers = instrument.blank();
    for q in instrument.questions() {
        let value = match &q.kind {
            QuestionKind::YesNo { .. } => AnswerValue::YesNo(rng.random_bool(p)),
            QuestionKind::Number { min, max, .. } => {
                let top = *min + ((*max - *min) as f64 * p * 1.5).round() as i64;
                AnswerValue::Number(rng.random_range(*min..=top.clamp(*min, *max)))
            }
            QuestionKind::Choice { options } => {
                let mut by_points: Vec<_> = options.iter().collect();
                by_points.sort_by_key(|o| o.points);
                let i = if rng.random_bool(p) {
                    rng.random_range(0..by_points.len())
                } else {
                    0
                };
                AnswerValue::Choice(by_points[i].id.clone())
            }
        };
        instrument
            .answer(&mut answers, q.id.as_str(), value)
            .expect("a drawn answer fits its question");
    }
    answers
}

/// A level next to `level`.
fn next_to(rng: &mut impl Rng, level: RiskLevel) -> RiskLevel {
    let i = RiskLevel::ALL.iter().position(|l| *l == level).unwrap_or(0);
    let up = i > 0 && (i == RiskLevel::ALL.len() - 1 || rng.random_bool(0.5));
    RiskLevel::ALL[if up { i - 1 } else { i + 1 }]
}

/// The assessment of a referral given `level` at `at` by `assessor`, decided by `sergeant` at `decided_at`
/// (still awaiting the sergeant when that is not before `cutoff`); none when no answers drawn give the
/// level (rare: the instrument's floors can put some levels out of reach of some answers).
#[allow(clippy::too_many_arguments)]
pub fn assessment(
    rng: &mut impl Rng,
    instrument: &Instrument,
    level: RiskLevel,
    assessor: &User,
    at: Timestamp,
    sergeant: &User,
    decided_at: Timestamp,
    cutoff: Timestamp,
) -> Option<NewAssessment> {
    let decided = decided_at < cutoff;
    // Only a decided assessment can have been overridden: one awaiting the sergeant has the instrument's level.
    let overridden = decided && rng.random_bool(0.07);
    let wanted = if overridden {
        next_to(rng, level)
    } else {
        level
    };
    let (answers, evaluation) = (0..60).find_map(|_| {
        let answers = draw(rng, instrument, wanted);
        let evaluation = instrument.evaluate(&answers).ok()?;
        (evaluation.level() == Some(wanted)).then_some((answers, evaluation))
    })?;
    let decision = decided.then(|| {
        if overridden {
            let reason = OVERRIDES[rng.random_range(0..OVERRIDES.len())].to_string();
            ("overridden", level, Some(reason), sergeant.id, decided_at)
        } else {
            ("signed_off", level, None, sergeant.id, decided_at)
        }
    });
    Some(NewAssessment {
        instrument: (
            instrument.id().to_string(),
            instrument.version().to_string(),
        ),
        answers: serde_json::to_string(&answers).expect("answers serialise"),
        evaluation: serde_json::to_string(&evaluation).expect("an evaluation serialises"),
        level: wanted,
        by: assessor.id,
        at,
        decision,
    })
}
