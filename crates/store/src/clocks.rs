//! Clocks kept beside a referral (supervisory reviews now; plan actions and others as they come), their
//! pauses, and the sergeant's reviews. The rules (`domain::clocks`) are applied by the caller; this module keeps
//! each change, its timeline step and its access-log event in one transaction.

use crate::BeginWrite;
use crate::referrals::row::refresh_headline;
use crate::steps::step_in_tx;
use crate::{Actor, Store, StoreError, ms, on_pool, ts};
use domain::audit::Processing;
use domain::clocks::{Clock, ClockKind, LateReason, Pause};
use domain::{ForceId, ReferralId};
use jiff::Timestamp;

/// Insert a clock in an open transaction.
macro_rules! insert_clock {
    ($conn:expr, $id:expr, $force:expr, $referral:expr, $clock:expr) => {{
        let clock: &Clock = $clock;
        let target = clock
            .target
            .map(|t| serde_json::to_string(&t).expect("a target serialises"));
        sqlx::query(
            "INSERT INTO clocks (id, force_id, referral_id, kind, started_at, target, base_due)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($id.to_string())
        .bind($force.to_string())
        .bind($referral.to_string())
        .bind(clock.kind.as_str())
        .bind(ms(clock.started_at))
        .bind(target)
        .bind(ms(clock.base_due))
        .execute(&mut *$conn)
        .await?;
    }};
}
pub(crate) use insert_clock;

/// Stop a clock the caller has stopped, in an open transaction; the number of rows changed (0 when
/// someone else ended it first).
macro_rules! stop_in_tx {
    ($conn:expr, $id:expr, $clock:expr, $ended:expr) => {{
        let clock: &Clock = $clock;
        let stopped = clock
            .stopped_at
            .ok_or_else(|| StoreError::Config("stop a clock the caller has stopped".into()))?;
        // A pause the stop ended.
        if let Some(p) = clock.pauses.last()
            && let Some(to) = p.to
        {
            sqlx::query("UPDATE clock_pauses SET to_at = $1 WHERE clock_id = $2 AND to_at IS NULL")
                .bind(ms(to))
                .bind($id.to_string())
                .execute(&mut *$conn)
                .await?;
        }
        sqlx::query(
            "UPDATE clocks SET stopped_at = $1, ended = $2, late_code = $3, late_text = $4
             WHERE id = $5 AND ended IS NULL",
        )
        .bind(ms(stopped))
        .bind($ended)
        .bind(clock.late_reason.as_ref().map(|r| r.code.clone()))
        .bind(clock.late_reason.as_ref().map(|r| r.text.clone()))
        .bind($id.to_string())
        .execute(&mut *$conn)
        .await?
        .rows_affected()
    }};
}
pub(crate) use stop_in_tx;

/// A review's timeline summary: what was done, whether the risk level is still right, what next, any plan
/// change, and the reason code when it was late.
pub(crate) fn review_summary(
    review: &NewReview,
    late: Option<&domain::clocks::LateReason>,
) -> String {
    let mut summary = format!(
        "Supervisory review: {} Risk level {}. Next: {}",
        review.progress,
        if review.risk_still_right {
            "still right"
        } else {
            "to be reassessed"
        },
        review.next_steps
    );
    if let Some(c) = &review.plan_change {
        summary.push_str(&format!(" Plan change: {c}"));
    }
    if let Some(late) = late {
        summary.push_str(&format!(" (late: {})", late.code));
    }
    summary
}

/// A clock as stored, with its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredClock {
    /// Its id.
    pub id: String,
    /// The clock.
    pub clock: Clock,
    /// Ended because its referral closed: counts in no figure.
    pub cancelled: bool,
}

/// A sergeant's review as stored.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReviewRow {
    /// Its id.
    pub id: String,
    /// Who (display name).
    pub by: String,
    /// When.
    pub at: Timestamp,
    /// Progress since the last review.
    pub progress: String,
    /// Whether the risk level is still right.
    pub risk_still_right: bool,
    /// Next steps.
    pub next_steps: String,
    /// Any change to the plan.
    pub plan_change: Option<String>,
}

/// A review being recorded.
#[derive(Clone, Debug)]
pub struct NewReview {
    /// Progress since the last review.
    pub progress: String,
    /// Whether the risk level is still right.
    pub risk_still_right: bool,
    /// Next steps.
    pub next_steps: String,
    /// Any change to the plan.
    pub plan_change: Option<String>,
}

type ReviewTuple = (String, String, i64, String, bool, String, Option<String>);

type ClockRow = (
    String,
    String,
    i64,
    Option<String>,
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// The referral's clocks (oldest first), with their pauses.
    pub async fn clocks(&self, referral: ReferralId) -> Result<Vec<StoredClock>, StoreError> {
        let rows: Vec<ClockRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, kind, started_at, target, base_due, stopped_at, ended, late_code, late_text
             FROM clocks WHERE referral_id = $1 ORDER BY started_at, id")
            .bind(referral.to_string()).fetch_all(p).await)?;
        let pauses: Vec<(String, i64, Option<i64>, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT p.clock_id, p.from_at, p.to_at, p.reason FROM clock_pauses p JOIN clocks c ON c.id = p.clock_id
             WHERE c.referral_id = $1 ORDER BY p.from_at, p.id")
            .bind(referral.to_string()).fetch_all(p).await)?;
        rows.into_iter()
            .map(
                |(id, kind, started, target, base_due, stopped, ended, code, text)| {
                    let kind: ClockKind = kind.parse().map_err(StoreError::Corrupt)?;
                    let target = match target {
                        None => None,
                        Some(t) => Some(
                            serde_json::from_str(&t)
                                .map_err(|e| StoreError::Corrupt(format!("clock target: {e}")))?,
                        ),
                    };
                    let clock = Clock {
                        kind,
                        started_at: ts(started),
                        target,
                        base_due: ts(base_due),
                        pauses: pauses
                            .iter()
                            .filter(|(c, ..)| *c == id)
                            .map(|(_, from, to, reason)| Pause {
                                from: ts(*from),
                                to: to.map(ts),
                                reason: reason.clone(),
                            })
                            .collect(),
                        stopped_at: stopped.map(ts),
                        late_reason: code.map(|code| LateReason {
                            code,
                            text: text.unwrap_or_default(),
                        }),
                    };
                    Ok(StoredClock {
                        cancelled: ended.as_deref() == Some("cancelled"),
                        id,
                        clock,
                    })
                },
            )
            .collect()
    }

    /// Start a clock that is a step of its own (a bail return date), with its timeline step and access-log event.
    pub async fn start_clock_step(
        &self,
        force: ForceId,
        referral: ReferralId,
        clock: &Clock,
        summary: String,
        actor: &Actor,
    ) -> Result<String, StoreError> {
        let _guard = self.write_lock.lock().await;
        let id = uuid::Uuid::now_v7().to_string();
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            insert_clock!(tx, &id, force, referral, clock);
            let _ = step_in_tx!(self, &mut *tx, force, referral, actor, "clock_started", summary,
                Processing::Alteration, format!("{} clock started", clock.kind.as_str()));
            refresh_headline!(tx, referral);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })?;
        Ok(id)
    }

    /// Stop a clock the caller has stopped (a bail return answered), with its timeline step and access-log
    /// event.
    pub async fn stop_clock_step(
        &self,
        force: ForceId,
        referral: ReferralId,
        clock_id: &str,
        clock: &Clock,
        summary: String,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done = stop_in_tx!(tx, clock_id, clock, "stopped");
            if done == 0 {
                return Err(StoreError::Conflict);
            }
            let _ = step_in_tx!(self, &mut *tx, force, referral, actor, "clock_stopped", summary,
                Processing::Alteration, format!("{} clock stopped", clock.kind.as_str()));
            refresh_headline!(tx, referral);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }

    /// Start a clock on a referral (no timeline step: the step that started it has its own).
    pub async fn start_clock(
        &self,
        force: ForceId,
        referral: ReferralId,
        clock: &Clock,
    ) -> Result<String, StoreError> {
        let _guard = self.write_lock.lock().await;
        let id = uuid::Uuid::now_v7().to_string();
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            insert_clock!(tx, &id, force, referral, clock);
            refresh_headline!(tx, referral);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(id)
    }

    /// Record a sergeant's review made at `now`: the running review clock (`clock`, already stopped by the
    /// caller) is stopped, the review kept, and `next` (the next review's clock) started; one timeline step and
    /// one access-log event.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_review(
        &self,
        force: ForceId,
        referral: ReferralId,
        clock: Option<(&str, &Clock)>,
        review: &NewReview,
        next: Option<&Clock>,
        now: Timestamp,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let user = actor
            .user
            .ok_or_else(|| StoreError::Config("a review needs a signed-in user".into()))?;
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            if let Some((id, c)) = clock {
                let done = stop_in_tx!(tx, id, c, "stopped");
                if done == 0 {
                    return Err(StoreError::Conflict);
                }
            }
            sqlx::query(
                "INSERT INTO supervision_reviews (id, force_id, referral_id, clock_id, by_user, at, progress, risk_still_right, next_steps, plan_change)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(uuid::Uuid::now_v7().to_string()).bind(force.to_string()).bind(referral.to_string())
                .bind(clock.map(|(id, _)| id.to_string())).bind(user.to_string()).bind(ms(now))
                .bind(&review.progress).bind(review.risk_still_right).bind(&review.next_steps).bind(&review.plan_change)
                .execute(&mut *tx).await?;
            if let Some(next) = next {
                insert_clock!(tx, uuid::Uuid::now_v7(), force, referral, next);
            }
            let summary = review_summary(review, clock.and_then(|(_, c)| c.late_reason.as_ref()));
            let _ = step_in_tx!(at: now, self, &mut *tx, force, referral, actor, "supervision_review", summary,
                Processing::Alteration, "supervisory review recorded".to_string());
            refresh_headline!(tx, referral);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }

    /// A referral's reviews, oldest first.
    pub async fn reviews(&self, referral: ReferralId) -> Result<Vec<ReviewRow>, StoreError> {
        let rows: Vec<ReviewTuple> = on_pool!(self, p => sqlx::query_as(
            "SELECT r.id, u.display_name, r.at, r.progress, r.risk_still_right, r.next_steps, r.plan_change
             FROM supervision_reviews r JOIN users u ON u.id = r.by_user
             WHERE r.referral_id = $1 ORDER BY r.at, r.id")
            .bind(referral.to_string()).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, by, at, progress, risk_still_right, next_steps, plan_change)| ReviewRow {
                    id,
                    by,
                    at: ts(at),
                    progress,
                    risk_still_right,
                    next_steps,
                    plan_change,
                },
            )
            .collect())
    }

    /// Pause (`pause` true, with the caller's reason on the clock's last pause) or resume a clock: the
    /// clock as the caller changed it; one timeline step and one access-log event.
    pub async fn pause_or_resume(
        &self,
        force: ForceId,
        referral: ReferralId,
        clock_id: &str,
        clock: &Clock,
        pause: bool,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        let last = clock
            .pauses
            .last()
            .ok_or_else(|| StoreError::Config("pause_or_resume without a pause".into()))?;
        let user = actor.user.map(|u| u.to_string());
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done = if pause {
                sqlx::query(
                    "INSERT INTO clock_pauses (id, clock_id, from_at, to_at, reason, paused_by)
                     SELECT $1, $2, $3, NULL, $4, $5 WHERE NOT EXISTS
                       (SELECT 1 FROM clock_pauses WHERE clock_id = $2 AND to_at IS NULL)")
                    .bind(uuid::Uuid::now_v7().to_string()).bind(clock_id).bind(ms(last.from))
                    .bind(&last.reason).bind(&user)
                    .execute(&mut *tx).await?.rows_affected()
            } else {
                let to = last.to.ok_or_else(|| StoreError::Config("resume without an end".into()))?;
                sqlx::query("UPDATE clock_pauses SET to_at = $1, resumed_by = $2 WHERE clock_id = $3 AND to_at IS NULL")
                    .bind(ms(to)).bind(&user).bind(clock_id)
                    .execute(&mut *tx).await?.rows_affected()
            };
            if done == 0 {
                return Err(StoreError::Conflict);
            }
            let (kind, summary, detail) = if pause {
                ("clock_paused", format!("{} clock paused: {}", clock.kind.label(), last.reason),
                 format!("{} clock paused", clock.kind.as_str()))
            } else {
                ("clock_resumed", format!("{} clock resumed", clock.kind.label()),
                 format!("{} clock resumed", clock.kind.as_str()))
            };
            let at = if pause { last.from } else { last.to.unwrap_or(last.from) };
            let _ = step_in_tx!(at: at, self, &mut *tx, force, referral, actor, kind, summary, Processing::Alteration, detail);
            refresh_headline!(tx, referral);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }

    /// End one running clock at `at` without a result (it counts in no figure): a clock replaced by another.
    pub async fn cancel_clock(&self, clock_id: &str, at: Timestamp) -> Result<u64, StoreError> {
        let _guard = self.write_lock.lock().await;
        Ok(on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("UPDATE clock_pauses SET to_at = $1 WHERE to_at IS NULL AND clock_id = $2")
                .bind(ms(at)).bind(clock_id).execute(&mut *tx).await?;
            let n = sqlx::query("UPDATE clocks SET stopped_at = $1, ended = 'cancelled' WHERE id = $2 AND ended IS NULL")
                .bind(ms(at)).bind(clock_id).execute(&mut *tx).await?.rows_affected();
            refresh_headline!(clock: tx, clock_id);
            tx.commit().await?;
            Ok::<_, StoreError>(n)
        })?)
    }

    /// End every running clock of a referral at `at` because it closed (they count in no figure), except its
    /// forensic steps and remedial actions, which go on.
    pub async fn cancel_clocks(
        &self,
        referral: ReferralId,
        at: Timestamp,
    ) -> Result<u64, StoreError> {
        let _guard = self.write_lock.lock().await;
        Ok(on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            // Forensic steps and quality remedial actions go on after the investigation closes.
            sqlx::query("UPDATE clock_pauses SET to_at = $1 WHERE to_at IS NULL AND clock_id IN
                           (SELECT id FROM clocks WHERE referral_id = $2 AND ended IS NULL
                              AND kind NOT IN ('forensic', 'remedial_action'))")
                .bind(ms(at)).bind(referral.to_string()).execute(&mut *tx).await?;
            let n = sqlx::query("UPDATE clocks SET stopped_at = $1, ended = 'cancelled'
                                 WHERE referral_id = $2 AND ended IS NULL AND kind NOT IN ('forensic', 'remedial_action')")
                .bind(ms(at)).bind(referral.to_string()).execute(&mut *tx).await?.rows_affected();
            refresh_headline!(tx, referral);
            tx.commit().await?;
            Ok::<_, StoreError>(n)
        })?)
    }

    /// Open, allocated referrals of every force with no running review clock: `(force, referral, start)`
    /// where the start is the last review, or else the allocation.
    pub async fn referrals_missing_review_clock(
        &self,
    ) -> Result<Vec<(ForceId, ReferralId, Timestamp)>, StoreError> {
        let rows: Vec<(String, String, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT r.force_id, r.id, COALESCE((SELECT MAX(v.at) FROM supervision_reviews v WHERE v.referral_id = r.id), r.allocated_at)
             FROM referrals r
             WHERE r.status IN ('allocated', 'enforcement', 'outcome_proposed') AND r.allocated_at IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM clocks c WHERE c.referral_id = r.id AND c.kind = 'supervision_review' AND c.ended IS NULL)")
            .fetch_all(p).await)?;
        rows.into_iter()
            .map(|(f, r, at)| {
                Ok((
                    crate::rows::parse_id(&f)?,
                    crate::rows::parse_id(&r)?,
                    ts(at),
                ))
            })
            .collect()
    }
}
