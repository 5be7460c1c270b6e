//! The lists behind each role's work: an officer's open referrals, the referrals of a BCU waiting for a
//! sergeant (allocation, a risk sign-off, an outcome decision), each officer's open caseload, every running
//! clock of a set of referrals, and the central desk's escalated referrals still unrouted. The caller decides
//! the scope and logs the reading; the rules (clock states) are `domain`'s.

use crate::referrals::row::ReferralRow;
use crate::{Store, StoreError, on_pool};
use domain::{BcuId, ForceId, Referral, UserId};

const SELECT: &str = "SELECT r.*, b.code AS bcu_code, u.display_name AS allocated_name,
        (SELECT COUNT(*) FROM referrals o WHERE o.subject_id = r.subject_id AND o.id <> r.id AND o.status <> 'closed') AS linked_open
     FROM referrals r LEFT JOIN bcus b ON b.id = r.bcu_id LEFT JOIN users u ON u.id = r.allocated_to";

/// Which referrals a list covers.
#[derive(Clone, Copy, Debug)]
pub enum ListOf {
    /// The open referrals allocated to one officer.
    Officer(UserId),
    /// Assessed, routed to the BCU, and not yet allocated.
    AwaitingAllocation(ForceId, BcuId),
    /// Open referrals of the BCU with a completed instrument awaiting a supervisor's decision.
    AwaitingSignOff(ForceId, BcuId),
    /// Referrals of the BCU whose proposed outcome awaits approval.
    AwaitingOutcomeDecision(ForceId, BcuId),
    /// Every open referral of the BCU, allocated or not (for its clocks: an unallocated referral's risk
    /// assessment or first enforcement can be overdue too).
    Open(ForceId, BcuId),
    /// Escalated referrals of the force still unrouted (on the central queue), soonest due first.
    EscalatedUnrouted(ForceId),
}

impl Store {
    /// The referrals of a list, soonest headline due time first (at most 500).
    pub async fn work_list(&self, of: ListOf) -> Result<Vec<Referral>, StoreError> {
        let order = " ORDER BY CASE WHEN r.headline_due IS NULL THEN 1 ELSE 0 END, COALESCE(r.headline_due, r.due_at), r.id LIMIT 500";
        let (filter, a, b) = match of {
            ListOf::Officer(u) => ("r.allocated_to = $1 AND r.status <> 'closed' AND $2 = $2", u.to_string(), String::new()),
            ListOf::AwaitingAllocation(f, bcu) => (
                "r.force_id = $1 AND r.bcu_id = $2 AND r.status = 'assessed' AND r.allocated_to IS NULL",
                f.to_string(),
                bcu.to_string(),
            ),
            ListOf::AwaitingSignOff(f, bcu) => (
                "r.force_id = $1 AND r.bcu_id = $2 AND r.status <> 'closed'
                 AND EXISTS (SELECT 1 FROM assessments a WHERE a.referral_id = r.id AND a.decision IS NULL)",
                f.to_string(),
                bcu.to_string(),
            ),
            ListOf::AwaitingOutcomeDecision(f, bcu) => (
                "r.force_id = $1 AND r.bcu_id = $2 AND r.status = 'outcome_proposed'",
                f.to_string(),
                bcu.to_string(),
            ),
            ListOf::Open(f, bcu) => (
                "r.force_id = $1 AND r.bcu_id = $2 AND r.status <> 'closed'",
                f.to_string(),
                bcu.to_string(),
            ),
            ListOf::EscalatedUnrouted(f) => (
                "r.force_id = $1 AND r.bcu_id IS NULL AND r.escalated AND r.status <> 'closed' AND $2 = $2",
                f.to_string(),
                String::new(),
            ),
        };
        let sql = format!("{SELECT} WHERE {filter}{order}");
        let rows: Vec<ReferralRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(&a).bind(&b).fetch_all(p).await)?;
        rows.into_iter().map(Referral::try_from).collect()
    }

    /// How many escalated referrals of the force wait unrouted on the central queue.
    pub async fn escalated_unrouted_count(&self, force: ForceId) -> Result<i64, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM referrals WHERE force_id = $1 AND bcu_id IS NULL AND escalated AND status <> 'closed'")
            .bind(force.to_string()).fetch_one(p).await)?)
    }

    /// Each officer of a BCU who may be allocated work, with their open caseload: `(user, open referrals)`.
    pub async fn caseloads(
        &self,
        force: ForceId,
        bcu: BcuId,
    ) -> Result<Vec<(UserId, i64)>, StoreError> {
        let rows: Vec<(String, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT u.id, (SELECT COUNT(*) FROM referrals r WHERE r.allocated_to = u.id AND r.status <> 'closed')
             FROM users u WHERE u.force_id = $1 AND u.bcu_id = $2 AND u.active ORDER BY u.display_name")
            .bind(force.to_string()).bind(bcu.to_string()).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(u, n)| Ok((crate::rows::parse_id(&u)?, n)))
            .collect()
    }
}
