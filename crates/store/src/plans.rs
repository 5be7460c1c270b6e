//! A referral's investigation plan: its actions, each with its clock once the event it counts from has
//! happened. The plan's rules (`domain::plans`, `domain::clocks`) are applied by the caller; each change is kept
//! with its timeline step and access-log event in one transaction.

use crate::BeginWrite;
use crate::clocks::{insert_clock, stop_in_tx};
use crate::referrals::row::refresh_headline;
use crate::steps::step_in_tx;
use crate::{Actor, Store, StoreError, ms, on_pool, ts};
use domain::audit::Processing;
use domain::clocks::Clock;
use domain::plans::{Doer, StartEvent};
use domain::timeliness::TargetSpan;
use domain::{ForceId, ReferralId};
use jiff::Timestamp;

/// One action as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanActionRow {
    /// Its id.
    pub id: String,
    /// Its order in the plan.
    pub seq: i64,
    /// The template action it came from (none for one added by hand).
    pub template: Option<String>,
    /// The plan set's id and version it came from.
    pub plan_version: Option<String>,
    /// What to do.
    pub title: String,
    /// The event its due time counts from (none for a fixed date).
    pub start_event: Option<StartEvent>,
    /// How long after it.
    pub due_target: Option<TargetSpan>,
    /// A fixed due date (an action added by hand).
    pub due_fixed: Option<Timestamp>,
    /// Who does it.
    pub who: Doer,
    /// Guidance for the officer.
    pub guidance: String,
    /// `open`, `done` or `not_applicable`.
    pub status: String,
    /// Its clock, once started.
    pub clock_id: Option<String>,
    /// When it was done or set aside.
    pub done_at: Option<Timestamp>,
    /// Who (display name).
    pub done_by: Option<String>,
    /// Why it does not apply.
    pub note: Option<String>,
}

/// An action to add to a plan, with its clock when it already runs.
#[derive(Clone, Debug)]
pub struct NewPlanAction {
    /// The template action's id.
    pub template: Option<String>,
    /// The plan set's id and version.
    pub plan_version: Option<String>,
    /// What to do.
    pub title: String,
    /// The event its due time counts from.
    pub start_event: Option<StartEvent>,
    /// How long after it.
    pub due_target: Option<TargetSpan>,
    /// A fixed due date.
    pub due_fixed: Option<Timestamp>,
    /// Who does it.
    pub who: Doer,
    /// Guidance.
    pub guidance: String,
    /// Its clock, when its start event has happened.
    pub clock: Option<Clock>,
}

pub(crate) fn event_str(e: StartEvent) -> &'static str {
    match e {
        StartEvent::Receipt => "receipt",
        StartEvent::Allocation => "allocation",
        StartEvent::FirstEnforcement => "first_enforcement",
        StartEvent::DeviceSeizure => "device_seizure",
    }
}

fn parse_event(s: &str) -> Result<StartEvent, StoreError> {
    Ok(match s {
        "receipt" => StartEvent::Receipt,
        "allocation" => StartEvent::Allocation,
        "first_enforcement" => StartEvent::FirstEnforcement,
        "device_seizure" => StartEvent::DeviceSeizure,
        other => return Err(StoreError::Corrupt(format!("start event '{other}'"))),
    })
}

pub(crate) fn doer_str(d: Doer) -> &'static str {
    match d {
        Doer::Investigator => "investigator",
        Doer::Supervisor => "supervisor",
        Doer::Forensics => "forensics",
    }
}

fn parse_doer(s: &str) -> Result<Doer, StoreError> {
    Ok(match s {
        "investigator" => Doer::Investigator,
        "supervisor" => Doer::Supervisor,
        "forensics" => Doer::Forensics,
        other => return Err(StoreError::Corrupt(format!("doer '{other}'"))),
    })
}

type ActionTuple = (
    String,
    i64,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

impl Store {
    /// The referral's plan, in order.
    pub async fn plan(&self, referral: ReferralId) -> Result<Vec<PlanActionRow>, StoreError> {
        let rows: Vec<ActionTuple> = on_pool!(self, p => sqlx::query_as(
            "SELECT a.id, a.seq, a.template, a.plan_version, a.title, a.start_event, a.due_target, a.due_fixed, a.who,
                    a.guidance, a.status, a.clock_id, a.done_at, u.display_name, a.note
             FROM plan_actions a LEFT JOIN users u ON u.id = a.done_by
             WHERE a.referral_id = $1 ORDER BY a.seq")
            .bind(referral.to_string()).fetch_all(p).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(PlanActionRow {
                    id: r.0,
                    seq: r.1,
                    template: r.2,
                    plan_version: r.3,
                    title: r.4,
                    start_event: r.5.as_deref().map(parse_event).transpose()?,
                    due_target: match r.6 {
                        None => None,
                        Some(t) => Some(serde_json::from_str(&t).map_err(|e| {
                            StoreError::Corrupt(format!("plan action target: {e}"))
                        })?),
                    },
                    due_fixed: r.7.map(ts),
                    who: parse_doer(&r.8)?,
                    guidance: r.9,
                    status: r.10,
                    clock_id: r.11,
                    done_at: r.12.map(ts),
                    done_by: r.13,
                    note: r.14,
                })
            })
            .collect()
    }

    /// Add actions to a referral's plan (the template's when it is allocated, or one added by hand), each with
    /// its clock when it runs; one timeline step, dated `at`, and one access-log event.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_plan_actions(
        &self,
        force: ForceId,
        referral: ReferralId,
        actions: &[NewPlanAction],
        summary: String,
        at: Timestamp,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq) + 1, 0) FROM plan_actions WHERE referral_id = $1")
                .bind(referral.to_string()).fetch_one(&mut *tx).await?;
            for (i, a) in actions.iter().enumerate() {
                let clock_id = a.clock.as_ref().map(|_| uuid::Uuid::now_v7().to_string());
                if let (Some(id), Some(c)) = (&clock_id, &a.clock) {
                    insert_clock!(tx, id, force, referral, c);
                }
                sqlx::query(
                    "INSERT INTO plan_actions (id, force_id, referral_id, seq, template, plan_version, title, start_event,
                        due_target, due_fixed, who, guidance, status, clock_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open', $13)")
                    .bind(uuid::Uuid::now_v7().to_string()).bind(force.to_string()).bind(referral.to_string())
                    .bind(next + i as i64).bind(&a.template).bind(&a.plan_version).bind(&a.title)
                    .bind(a.start_event.map(event_str))
                    .bind(a.due_target.map(|t| serde_json::to_string(&t).expect("a target serialises")))
                    .bind(a.due_fixed.map(ms)).bind(doer_str(a.who)).bind(&a.guidance).bind(&clock_id)
                    .execute(&mut *tx).await?;
            }
            let _ = step_in_tx!(at: at, self, &mut *tx, force, referral, actor, "plan", summary,
                Processing::Alteration, format!("{} plan actions added", actions.len()));
            refresh_headline!(tx, referral);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }

    /// Open, allocated referrals with no plan yet, with when they were allocated.
    pub async fn referrals_missing_plan(&self) -> Result<Vec<(ReferralId, Timestamp)>, StoreError> {
        let rows: Vec<(String, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT r.id, r.allocated_at FROM referrals r
             WHERE r.status IN ('allocated', 'enforcement', 'outcome_proposed') AND r.allocated_at IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM plan_actions a WHERE a.referral_id = r.id)")
            .fetch_all(p).await)?;
        rows.into_iter()
            .map(|(r, at)| Ok((crate::rows::parse_id(&r)?, ts(at))))
            .collect()
    }

    /// Start the clocks of open actions whose start event has just happened: `(action id, clock)`. No
    /// timeline step: the event has its own.
    pub async fn start_action_clocks(
        &self,
        force: ForceId,
        referral: ReferralId,
        started: &[(String, Clock)],
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            for (action, c) in started {
                let id = uuid::Uuid::now_v7().to_string();
                // The clock first (the action refers to it), removed again if someone else started one.
                insert_clock!(tx, &id, force, referral, c);
                let done = sqlx::query("UPDATE plan_actions SET clock_id = $1 WHERE id = $2 AND clock_id IS NULL AND status = 'open'")
                    .bind(&id).bind(action).execute(&mut *tx).await?.rows_affected();
                if done == 0 {
                    sqlx::query("DELETE FROM clocks WHERE id = $1").bind(&id).execute(&mut *tx).await?;
                }
            }
            refresh_headline!(tx, referral);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Finish an action at `now`: `done` (its clock, stopped by the caller, is kept with any late reason) or
    /// `not_applicable` with a reason (its clock is cancelled); one timeline step and one access-log event.
    #[allow(clippy::too_many_arguments)]
    pub async fn finish_action(
        &self,
        force: ForceId,
        referral: ReferralId,
        action: &PlanActionRow,
        clock: Option<&Clock>,
        done: bool,
        note: Option<&str>,
        now: Timestamp,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let changed = sqlx::query(
                "UPDATE plan_actions SET status = $1, done_at = $2, done_by = $3, note = $4 WHERE id = $5 AND status = 'open'")
                .bind(if done { "done" } else { "not_applicable" }).bind(ms(now))
                .bind(actor.user.map(|u| u.to_string())).bind(note).bind(&action.id)
                .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Err(StoreError::Conflict);
            }
            if let Some(clock_id) = &action.clock_id {
                match clock {
                    Some(c) if done => {
                        stop_in_tx!(tx, clock_id, c, "stopped");
                    }
                    _ => {
                        sqlx::query("UPDATE clock_pauses SET to_at = $1 WHERE clock_id = $2 AND to_at IS NULL")
                            .bind(ms(now)).bind(clock_id).execute(&mut *tx).await?;
                        sqlx::query("UPDATE clocks SET stopped_at = $1, ended = 'cancelled' WHERE id = $2 AND ended IS NULL")
                            .bind(ms(now)).bind(clock_id).execute(&mut *tx).await?;
                    }
                }
            }
            let summary = if done {
                let late = clock.and_then(|c| c.late_reason.as_ref()).map(|r| format!(" (late: {})", r.code)).unwrap_or_default();
                format!("Plan action done: {}{late}", action.title)
            } else {
                format!("Plan action does not apply: {}: {}", action.title, note.unwrap_or(""))
            };
            let _ = step_in_tx!(at: now, self, &mut *tx, force, referral, actor, "plan_action", summary,
                Processing::Alteration, format!("plan action {}", if done { "done" } else { "not applicable" }));
            refresh_headline!(tx, referral);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }
}
