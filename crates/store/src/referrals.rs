//! Referrals and their timelines. Every change names the version it was based on; a change based on an
//! older version is refused with `StoreError::Conflict`, never applied over someone else's work. Each
//! change writes its timeline step and its access-log event in the same transaction as the change.

use crate::BeginWrite;
use crate::audit::append_in_tx;
use crate::{AuditDraft, Store, StoreError, ms, on_pool};
use domain::audit::{AccessOutcome, Processing};
use domain::permissions::QueueScope;
use domain::{
    BcuId, Clock, EnforcementKind, OutcomeCode, Referral, ReferralId, RiskLevel, Status,
    TimelineEntry, UserId,
};
use jiff::Timestamp;

pub(crate) mod row;

pub use row::{NewAssessment, NewDecision, NewReferral};
use row::{ReferralRow, SELECT_REFERRAL};

/// Who is making a change, for the timeline and the access log.
#[derive(Clone, Debug)]
pub struct Actor {
    /// Their account (none for the system itself).
    pub user: Option<UserId>,
    /// Sign-in name.
    pub username: String,
    /// Name on the timeline.
    pub display_name: String,
    /// Justification given with the request.
    pub justification: Option<String>,
}

/// A change to a referral.
#[derive(Clone, Debug)]
pub enum ReferralChange {
    /// Record a risk level; the clock moves to the level's target.
    Assess {
        level: RiskLevel,
        reason: String,
        due_at: Timestamp,
        clock_version: String,
        status: Status,
        /// The instrument assessment behind the level, when one was completed.
        instrument: Option<InstrumentAssessment>,
    },
    /// A supervisor signs off an instrument assessment, or overrides its level with a written reason.
    Decide {
        assessment_id: String,
        /// `signed_off` or `overridden`.
        decision: &'static str,
        final_level: RiskLevel,
        reason: Option<String>,
        /// The referral's risk reason after an override: what the instrument gave, what the supervisor chose
        /// and why (none for a sign-off, which keeps the instrument's reason).
        risk_reason: Option<String>,
        due_at: Timestamp,
        clock_version: String,
    },
    /// Route to a BCU (from the central queue, or moved by the central desk).
    Route {
        bcu: BcuId,
        bcu_name: String,
        /// Whether the allocated officer is released (`domain::referral::reroute` decides).
        release_officer: bool,
        /// The status after routing.
        status: Status,
    },
    /// Allocate to an officer.
    Allocate {
        officer: UserId,
        officer_name: String,
        status: Status,
    },
    /// Record an enforcement action.
    Enforce {
        kind: EnforcementKind,
        at: Timestamp,
        notes: String,
        status: Status,
    },
    /// Propose an outcome that needs a supervisor's approval (a no-further-action code): the referral
    /// waits in `outcome_proposed`; `prior` is where a return takes it back to.
    ProposeOutcome {
        code: OutcomeCode,
        rationale: String,
        informed: Option<domain::referral::InformedWho>,
        prior: Status,
    },
    /// Close with the outcome: at once (`approved` false), or on a supervisor's approval of the proposal.
    Close {
        code: OutcomeCode,
        rationale: String,
        informed: Option<domain::referral::InformedWho>,
        /// The status before closing (kept, for a reopening).
        prior: Status,
        /// When the record is next reviewed for retention.
        retention_review_on: jiff::civil::Date,
        approved: bool,
    },
    /// A supervisor returns a proposed outcome, with a reason: back to `status`.
    ReturnOutcome {
        code: OutcomeCode,
        reason: String,
        status: Status,
    },
    /// Record (confirm) the offence and the methods beside it.
    Classify {
        offence: domain::offence::Offence,
        sextortion: bool,
        live_streaming: bool,
    },
    /// A supervisor reopens a closed referral, with a reason: back to `status`.
    Reopen {
        code: Option<OutcomeCode>,
        reason: String,
        status: Status,
    },
}

/// An instrument assessment to keep beside the level: the instrument's id and version, the answers and
/// the evaluation, as JSON.
#[derive(Clone, Debug)]
pub struct InstrumentAssessment {
    /// New assessment id.
    pub id: String,
    /// Instrument id.
    pub instrument_id: String,
    /// Instrument version.
    pub instrument_version: String,
    /// Answers (JSON).
    pub answers: String,
    /// Evaluation (JSON).
    pub evaluation: String,
}

impl ReferralChange {
    fn timeline(&self) -> (&'static str, String) {
        match self {
            ReferralChange::Decide {
                decision: "overridden",
                final_level,
                reason,
                ..
            } => (
                "risk_overridden",
                format!(
                    "Risk level overridden to {final_level}: {}",
                    reason.as_deref().unwrap_or("")
                ),
            ),
            ReferralChange::Decide { final_level, .. } => (
                "risk_signed_off",
                format!("Risk level {final_level} signed off"),
            ),
            ReferralChange::Assess { level, reason, .. } => {
                ("risk_assessed", format!("Risk level {level}: {reason}"))
            }
            ReferralChange::Route { bcu_name, .. } => {
                ("routed", format!("Routed to {bcu_name} BCU"))
            }
            ReferralChange::Allocate { officer_name, .. } => {
                ("allocated", format!("Allocated to {officer_name}"))
            }
            ReferralChange::Enforce {
                kind, at, notes, ..
            } => (
                "enforcement",
                format!(
                    "{} on {}{}",
                    kind.label(),
                    domain::time::display(*at),
                    if notes.is_empty() {
                        String::new()
                    } else {
                        format!(": {notes}")
                    }
                ),
            ),
            ReferralChange::ProposeOutcome {
                code, rationale, ..
            } => (
                "outcome_proposed",
                format!(
                    "Outcome {code} ({}) proposed, awaiting a supervisor's approval: {rationale}",
                    code.label()
                ),
            ),
            ReferralChange::Close {
                code,
                rationale,
                approved: true,
                ..
            } => (
                "outcome",
                format!("Outcome {code} ({}) approved: {rationale}", code.label()),
            ),
            ReferralChange::Close {
                code, rationale, ..
            } => (
                "outcome",
                format!("Outcome {code} ({}): {rationale}", code.label()),
            ),
            ReferralChange::ReturnOutcome { code, reason, .. } => (
                "outcome_returned",
                format!("Proposed outcome {code} returned: {reason}"),
            ),
            ReferralChange::Classify {
                offence,
                sextortion,
                live_streaming,
            } => (
                "offence",
                format!(
                    "Offence recorded: {}{}{}",
                    offence.label(),
                    if *sextortion {
                        "; method: sextortion"
                    } else {
                        ""
                    },
                    if *live_streaming {
                        "; method: live-streaming"
                    } else {
                        ""
                    }
                ),
            ),
            ReferralChange::Reopen { code, reason, .. } => (
                "reopened",
                match code {
                    Some(c) => format!("Reopened, outcome {c} set aside: {reason}"),
                    None => format!("Reopened: {reason}"),
                },
            ),
        }
    }

    /// The row to keep in `outcome_decisions`: kind, code and text.
    fn decision(&self) -> Option<(&'static str, Option<OutcomeCode>, &str)> {
        match self {
            ReferralChange::ProposeOutcome {
                code, rationale, ..
            } => Some(("proposed", Some(*code), rationale)),
            ReferralChange::Close {
                code,
                rationale,
                approved,
                ..
            } => Some((
                if *approved { "approved" } else { "closed" },
                Some(*code),
                rationale,
            )),
            ReferralChange::ReturnOutcome { code, reason, .. } => {
                Some(("returned", Some(*code), reason))
            }
            ReferralChange::Reopen { code, reason, .. } => Some(("reopened", *code, reason)),
            _ => None,
        }
    }

    /// What the access log says about the change (no personal data).
    fn audit_detail(&self) -> String {
        match self {
            ReferralChange::Decide {
                decision,
                final_level,
                ..
            } => {
                format!("risk assessment {decision}: {}", final_level.as_str())
            }
            ReferralChange::Assess { level, .. } => {
                format!("risk level recorded: {}", level.as_str())
            }
            ReferralChange::Route { bcu_name, .. } => format!("routed to {bcu_name}"),
            ReferralChange::Allocate { officer, .. } => format!("allocated to user {officer}"),
            ReferralChange::Enforce { kind, .. } => {
                format!("enforcement recorded: {}", kind.as_str())
            }
            ReferralChange::ProposeOutcome { code, .. } => format!("outcome proposed: {code}"),
            ReferralChange::Close {
                code,
                approved: true,
                ..
            } => format!("outcome approved: {code}"),
            ReferralChange::Close { code, .. } => format!("outcome recorded: {code}"),
            ReferralChange::ReturnOutcome { code, .. } => format!("outcome returned: {code}"),
            ReferralChange::Reopen { .. } => "reopened".into(),
            ReferralChange::Classify { offence, .. } => {
                format!("offence recorded: {}", offence.as_str())
            }
        }
    }
}

/// As stored: `victim` or `parent_or_guardian`.
pub(crate) fn informed_str(w: domain::referral::InformedWho) -> &'static str {
    match w {
        domain::referral::InformedWho::Victim => "victim",
        domain::referral::InformedWho::ParentOrGuardian => "parent_or_guardian",
    }
}

/// Which referrals to list.
#[derive(Clone, Debug)]
pub struct ReferralFilter {
    /// The force, and for a BCU-scoped user their BCU: always one or the other, never "everything",
    /// so the filter cannot widen past what `domain::permissions::queue_scope` allowed.
    pub scope: QueueScope,
    /// Only unrouted referrals (the central queue).
    pub unrouted_only: bool,
    /// Only open referrals.
    pub open_only: bool,
    /// Only this status.
    pub status: Option<Status>,
    /// Page size (1 to 500).
    pub limit: i64,
    /// Continue after this cursor (a previous page's `next_cursor`), or before it (its `prev_cursor`).
    pub cursor: Option<String>,
    /// Only this risk level.
    pub risk_level: Option<domain::RiskLevel>,
    /// Only referrals allocated to this officer.
    pub officer: Option<domain::UserId>,
    /// Only referrals whose headline clock is past due at this instant.
    pub overdue_at: Option<Timestamp>,
    /// Only escalated referrals.
    pub escalated: bool,
    /// Leave out this status (the queue lists referrals waiting only for an outcome decision apart).
    pub except_status: Option<Status>,
    /// Only referrals matching this search.
    pub search: Option<domain::identifiers::SearchTerm>,
}

/// One page of referrals, ordered by when they fall due.
#[derive(Clone, Debug)]
pub struct ReferralPage {
    /// The referrals.
    pub items: Vec<Referral>,
    /// The cursor for the next page, if there is one.
    pub next_cursor: Option<String>,
    /// The cursor for the previous page, if there is one.
    pub prev_cursor: Option<String>,
}

/// Whether an insert created a referral or found the same report already stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inserted {
    /// New.
    Created(ReferralId),
    /// The same source and report id was already stored; nothing changed.
    Duplicate(ReferralId),
}

/// A cursor is `stopped.due_ms.id`: the three sort keys of an item; the next page's goes after its item, the
/// previous page's (written with a leading `-`) goes before it.
fn parse_cursor(c: &str) -> Result<(bool, i64, i64, String), StoreError> {
    let bad = || StoreError::Config("invalid cursor".into());
    let (backward, c) = match c.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, c),
    };
    let mut parts = c.splitn(3, '.');
    let (Some(stopped), Some(due), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    Ok((
        backward,
        stopped.parse().map_err(|_| bad())?,
        due.parse().map_err(|_| bad())?,
        id.to_string(),
    ))
}

/// A referral's group in the queue's order, as the generated column `queue_group` computes it: 0 open with a
/// running clock, 1 open with none, 2 closed.
fn queue_group(r: &Referral) -> i64 {
    if r.status == Status::Closed {
        2
    } else {
        i64::from(r.headline_due.is_none())
    }
}

fn cursor_of(r: &Referral) -> String {
    format!(
        "{}.{}.{}",
        queue_group(r),
        ms(r.headline_due.unwrap_or(r.due_at)),
        r.id
    )
}

/// Bind the values `row::where_of` and `row::list_sql` collected, in order.
macro_rules! bind_vals {
    ($q:expr, $vals:expr) => {{
        let mut q = $q;
        for v in $vals {
            q = match v {
                row::Val::Text(t) => q.bind(t),
                row::Val::Int(i) => q.bind(i),
            };
        }
        q
    }};
}

impl Store {
    /// Store a new referral with its first timeline step and a `collection` access-log event, unless the
    /// same report (force, source, report id) is already stored.
    pub async fn insert_referral(
        &self,
        new: &NewReferral,
        actor: &Actor,
    ) -> Result<Inserted, StoreError> {
        let mut done = self
            .insert_package(std::slice::from_ref(new), actor)
            .await?;
        Ok(done.remove(0))
    }

    /// Store the referrals of one package all-or-nothing: each new one with its timeline and a `collection`
    /// event; reports already stored (same force, source and report id) are left unchanged as duplicates.
    pub async fn insert_package(
        &self,
        items: &[NewReferral],
        actor: &Actor,
    ) -> Result<Vec<Inserted>, StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let mut out = Vec::with_capacity(items.len());
            for new in items {
                let existing: Option<String> = sqlx::query_scalar(
                    "SELECT id FROM referrals WHERE force_id = $1 AND source = $2 AND report_id = $3")
                    .bind(new.referral.force.to_string()).bind(&new.referral.source).bind(&new.referral.report_id)
                    .fetch_optional(&mut *tx).await?;
                if let Some(id) = existing {
                    out.push(Inserted::Duplicate(crate::rows::parse_id(&id)?));
                    continue;
                }
                row::insert!(&mut *tx, new);
                let _event = append_in_tx!(self, &mut *tx, collection_draft(new, actor));
                out.push(Inserted::Created(new.referral.id));
            }
            tx.commit().await?;
            self.advance_anchor().await;
            Ok(out)
        })
    }

    /// Store many referrals in one transaction (the demo's history). A report already stored fails the
    /// whole batch (unlike `insert_package`, which reports duplicates): the batch is for fresh data only.
    pub async fn insert_referrals_batch(
        &self,
        items: &[NewReferral],
        actor: &Actor,
    ) -> Result<usize, StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (mut referrals, mut timeline) = (row::referral_rows(), row::timeline_rows());
            let (mut decisions, mut assessments) = (row::decision_rows(), row::assessment_rows());
            let now = ms(Timestamp::now());
            for new in items {
                row::push_referral(&mut referrals, &mut timeline, new, Default::default(), now);
                row::push_decisions(&mut decisions, new);
                row::push_assessment(&mut assessments, new);
            }
            for rows in [referrals, timeline, decisions, assessments] {
                crate::bulk::write_rows!(tx, rows);
            }
            crate::batch::append_many!(self, tx, items.iter().map(|new| collection_draft(new, actor)));
            tx.commit().await?;
            self.advance_anchor().await;
            Ok(items.len())
        })
    }

    /// One referral (no access check: the caller decides and logs).
    pub async fn referral(&self, id: ReferralId) -> Result<Option<Referral>, StoreError> {
        let row: Option<ReferralRow> = on_pool!(self, p => sqlx::query_as(SELECT_REFERRAL)
            .bind(id.to_string()).fetch_optional(p).await)?;
        row.map(Referral::try_from).transpose()
    }

    /// A page of referrals: those with a running clock first, soonest headline due time first, then the rest;
    /// forwards from a `next_cursor` or backwards from a `prev_cursor`.
    pub async fn list_referrals(&self, f: &ReferralFilter) -> Result<ReferralPage, StoreError> {
        let limit = f.limit.clamp(1, 500);
        let cursor = f.cursor.as_deref().map(parse_cursor).transpose()?;
        let backward = cursor.as_ref().is_some_and(|c| c.0);
        let mut vals = vec![];
        let sql = row::list_sql(f, cursor.clone(), limit + 1, &mut vals);
        let rows: Vec<ReferralRow> = on_pool!(self, p => bind_vals!(sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())), vals)
            .fetch_all(p).await)?;
        let mut items = rows
            .into_iter()
            .map(Referral::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        let more = items.len() as i64 > limit;
        items.truncate(limit as usize);
        if backward {
            items.reverse();
        }
        let first = items.first().map(cursor_of);
        let last = items.last().map(cursor_of);
        let (next_cursor, prev_cursor) = if backward {
            (
                last,
                if more {
                    first.map(|c| format!("-{c}"))
                } else {
                    None
                },
            )
        } else {
            (
                if more { last } else { None },
                if cursor.is_some() {
                    first.map(|c| format!("-{c}"))
                } else {
                    None
                },
            )
        };
        Ok(ReferralPage {
            items,
            next_cursor,
            prev_cursor,
        })
    }

    /// The database's plan for a page of the queue, as `list_referrals` asks for it (SQLite's EXPLAIN QUERY
    /// PLAN, PostgreSQL's EXPLAIN), one step per line: for checking that a page is read from an index.
    pub async fn explain_queue(&self, f: &ReferralFilter) -> Result<String, StoreError> {
        let cursor = f.cursor.as_deref().map(parse_cursor).transpose()?;
        let mut vals = vec![];
        let sql = row::list_sql(f, cursor, f.limit.clamp(1, 500) + 1, &mut vals);
        let lines: Vec<String> = match &self.backend {
            crate::Backend::Sqlite(p) => {
                let rows: Vec<(i64, i64, i64, String)> = bind_vals!(
                    sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}"))),
                    vals
                )
                .fetch_all(p)
                .await?;
                rows.into_iter().map(|r| r.3).collect()
            }
            crate::Backend::Postgres(p) => {
                let rows: Vec<(String,)> = bind_vals!(
                    sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN {sql}"))),
                    vals
                )
                .fetch_all(p)
                .await?;
                rows.into_iter().map(|r| r.0).collect()
            }
        };
        Ok(lines.join("\n"))
    }

    /// Where the counts kept by triggers (`referral_counts`) differ from a count of the referrals themselves:
    /// (force, BCU or '' for the central queue, status, kept, counted). Empty when they agree, as they must.
    pub async fn referral_counts_drift(
        &self,
    ) -> Result<Vec<(String, String, String, i64, i64)>, StoreError> {
        let sql = "WITH counted AS (
                 SELECT force_id, COALESCE(bcu_id, '') AS bcu_key, status, COUNT(*) AS n FROM referrals
                 GROUP BY force_id, COALESCE(bcu_id, ''), status),
             kept AS (SELECT force_id, bcu_key, status, n FROM referral_counts WHERE n <> 0)
             SELECT k.force_id, k.bcu_key, k.status, k.n, COALESCE(c.n, 0) FROM kept k
                 LEFT JOIN counted c ON c.force_id = k.force_id AND c.bcu_key = k.bcu_key AND c.status = k.status
                 WHERE c.n IS NULL OR c.n <> k.n
             UNION ALL
             SELECT c.force_id, c.bcu_key, c.status, 0, c.n FROM counted c
                 LEFT JOIN kept k ON c.force_id = k.force_id AND c.bcu_key = k.bcu_key AND c.status = k.status
                 WHERE k.n IS NULL";
        Ok(on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?)
    }

    /// How many referrals the filter matches, per status (its status, open-only, the status left apart and
    /// the cursor aside).
    pub async fn count_by_status(
        &self,
        f: &ReferralFilter,
    ) -> Result<Vec<(Status, i64)>, StoreError> {
        let all = ReferralFilter {
            status: None,
            open_only: false,
            cursor: None,
            except_status: None,
            ..f.clone()
        };
        let only_scope = all.risk_level.is_none()
            && all.officer.is_none()
            && all.overdue_at.is_none()
            && !all.escalated
            && all.search.is_none();
        let mut vals = vec![];
        let sql = if only_scope {
            // The counts kept by triggers (migration 0016): the same figures at any caseload.
            vals.push(row::Val::Text(all.scope.force().to_string()));
            let scope = match (all.scope.bcu(), all.unrouted_only) {
                (_, true) => " AND bcu_key = ''".to_string(),
                (Some(bcu), false) => {
                    vals.push(row::Val::Text(bcu.to_string()));
                    " AND bcu_key = $2".to_string()
                }
                (None, false) => String::new(),
            };
            format!(
                "SELECT status, CAST(SUM(n) AS BIGINT) FROM referral_counts WHERE force_id = $1{scope} GROUP BY status HAVING SUM(n) > 0"
            )
        } else {
            format!(
                "SELECT r.status, COUNT(*) FROM referrals r WHERE {} GROUP BY r.status",
                row::where_of(&all, &mut vals)
            )
        };
        let rows: Vec<(String, i64)> = on_pool!(self, p => bind_vals!(sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())), vals)
            .fetch_all(p).await)?;
        rows.into_iter()
            .map(|(s, n)| {
                Ok((
                    s.parse()
                        .map_err(|_| StoreError::Corrupt(format!("bad status '{s}'")))?,
                    n,
                ))
            })
            .collect()
    }

    /// Apply a change made on `expected_version`; `Conflict` if the referral has moved on since.
    pub async fn update_referral(
        &self,
        id: ReferralId,
        expected_version: i64,
        change: &ReferralChange,
        actor: &Actor,
    ) -> Result<Referral, StoreError> {
        let _guard = self.write_lock.lock().await;
        let now = Timestamp::now();
        let force: Option<String> = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done = row::apply_change!(&mut *tx, change, id, expected_version, now, actor);
            if done > 0 {
                row::record_assessment!(&mut *tx, change, id, now, actor);
                row::refresh_headline!(tx, id);
            }
            if done == 0 {
                let exists: Option<String> = sqlx::query_scalar("SELECT force_id FROM referrals WHERE id = $1")
                    .bind(id.to_string()).fetch_optional(&mut *tx).await?;
                return Err(if exists.is_some() { StoreError::Conflict } else { StoreError::NotFound });
            }
            if let Some((kind, code, text)) = change.decision() {
                sqlx::query("INSERT INTO outcome_decisions (id, force_id, referral_id, kind, code, text, by_user, at)
                             SELECT $1, force_id, id, $2, $3, $4, $5, $6 FROM referrals WHERE id = $7")
                    .bind(uuid::Uuid::now_v7().to_string()).bind(kind).bind(code.map(|c| c.to_string()))
                    .bind(text).bind(actor.user.map(|u| u.to_string())).bind(ms(now)).bind(id.to_string())
                    .execute(&mut *tx).await?;
            }
            let (kind, summary) = change.timeline();
            sqlx::query("INSERT INTO referral_events (id, referral_id, at, user_id, actor, kind, summary) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(uuid::Uuid::now_v7().to_string()).bind(id.to_string()).bind(ms(now))
                .bind(actor.user.map(|u| u.to_string())).bind(&actor.display_name).bind(kind).bind(summary)
                .execute(&mut *tx).await?;
            let force: Option<String> = sqlx::query_scalar("SELECT force_id FROM referrals WHERE id = $1")
                .bind(id.to_string()).fetch_optional(&mut *tx).await?;
            let draft = AuditDraft {
                force: force.as_deref().and_then(|f| f.parse().ok()),
                user: actor.user,
                username: actor.username.clone(),
                action: Processing::Alteration,
                record_type: "referral".into(),
                record_id: id.to_string(),
                justification: actor.justification.clone(),
                outcome: AccessOutcome::Allowed,
                detail: change.audit_detail(),
            };
            let _event = append_in_tx!(self, &mut *tx, draft);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(force)
        })?;
        debug_assert!(force.is_some());
        self.referral(id).await?.ok_or(StoreError::NotFound)
    }

    /// The referral's timeline, oldest first.
    pub async fn timeline(&self, id: ReferralId) -> Result<Vec<TimelineEntry>, StoreError> {
        let rows: Vec<(i64, Option<String>, String, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT at, user_id, actor, kind, summary FROM referral_events WHERE referral_id = $1 ORDER BY at, id")
            .bind(id.to_string()).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(at, user, actor, kind, summary)| {
                Ok(TimelineEntry {
                    at: crate::ts(at),
                    user: crate::rows::parse_opt(user.as_deref(), "user id")?,
                    actor,
                    kind,
                    summary,
                })
            })
            .collect()
    }
}

fn collection_draft(new: &NewReferral, actor: &Actor) -> AuditDraft {
    AuditDraft {
        force: Some(new.referral.force),
        user: actor.user,
        username: actor.username.clone(),
        action: Processing::Collection,
        record_type: "referral".into(),
        record_id: new.referral.id.to_string(),
        justification: actor.justification.clone(),
        outcome: AccessOutcome::Allowed,
        detail: format!(
            "referral received from {} (report {})",
            new.referral.source, new.referral.report_id
        ),
    }
}

/// The clock column's stored form.
pub(crate) fn clock_str(c: Clock) -> String {
    match c {
        Clock::Triage => "triage".into(),
        Clock::Enforcement(l) => format!("enforcement:{}", l.as_str()),
    }
}
