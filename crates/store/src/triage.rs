//! Instrument assessments as stored: each keeps the instrument's id and version, the answers, the
//! evaluation, and the supervisor's decision (signed off, or overridden with a reason).

use crate::{Store, StoreError, on_pool};
use domain::ReferralId;
use serde::Serialize;

/// One assessment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AssessmentRow {
    /// Its id.
    pub id: String,
    /// Instrument id.
    pub instrument_id: String,
    /// Instrument version.
    pub instrument_version: String,
    /// Answers (JSON).
    pub answers: String,
    /// Evaluation (JSON).
    pub evaluation: String,
    /// The instrument's level.
    pub level: String,
    /// The assessor's account.
    pub assessed_by: Option<String>,
    /// Assessor's display name.
    pub assessed_by_name: Option<String>,
    /// When (UTC milliseconds).
    pub assessed_at: i64,
    /// `signed_off`, `overridden`, or none yet.
    pub decision: Option<String>,
    /// The level after the decision.
    pub final_level: Option<String>,
    /// The override's reason.
    pub override_reason: Option<String>,
    /// Decider's display name.
    pub decided_by_name: Option<String>,
    /// When decided.
    pub decided_at: Option<i64>,
}

impl Store {
    /// The referral's instrument assessments, newest first.
    pub async fn assessments(
        &self,
        referral: ReferralId,
    ) -> Result<Vec<AssessmentRow>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT a.id, a.instrument_id, a.instrument_version, a.answers, a.evaluation, a.level,
                    a.assessed_by, u.display_name AS assessed_by_name, a.assessed_at, a.decision, a.final_level, a.override_reason,
                    d.display_name AS decided_by_name, a.decided_at
             FROM assessments a LEFT JOIN users u ON u.id = a.assessed_by LEFT JOIN users d ON d.id = a.decided_by
             WHERE a.referral_id = $1 ORDER BY a.assessed_at DESC, a.id DESC")
            .bind(referral.to_string()).fetch_all(p).await)?)
    }
}
