//! The referral row: its columns, the SQL that reads and writes it, and conversion to `domain::Referral`.

use crate::bulk::Rows;
use crate::rows::{parse_id, parse_opt};
use crate::{StoreError, ts};
use domain::{Clock, OutcomeCode, Referral, TimelineEntry, UserId};
use jiff::Timestamp;

/// A referral to store, in full: a new one (status `new`, nothing recorded yet) or, for the demo's
/// history, one with its later steps already taken.
#[derive(Clone, Debug)]
pub struct NewReferral {
    /// The referral.
    pub referral: Referral,
    /// The report as received (JSON text).
    pub report_json: String,
    /// Version of the timeliness table the clock came from.
    pub clock_version: String,
    /// When and by whom it was assessed, if it was.
    pub assessed: Option<(Timestamp, UserId)>,
    /// When it was allocated, if it was.
    pub allocated_at: Option<Timestamp>,
    /// Its timeline so far (at least the `received` step).
    pub timeline: Vec<TimelineEntry>,
    /// The outcome decisions already made on it (a referral written with its history, as the demo's are):
    /// proposals, approvals, returns, closures and reopenings, as the product records them.
    pub decisions: Vec<NewDecision>,
    /// The risk instrument's assessment behind its risk level, with the supervisor's decision on it (a referral
    /// written with its history, as the demo's are).
    pub assessment: Option<NewAssessment>,
}

/// An instrument assessment written with a referral's history.
#[derive(Clone, Debug)]
pub struct NewAssessment {
    /// The instrument's id and version.
    pub instrument: (String, String),
    /// The answers (JSON, as the product stores them).
    pub answers: String,
    /// The evaluation (JSON).
    pub evaluation: String,
    /// The instrument's level.
    pub level: domain::RiskLevel,
    /// Who assessed, and when.
    pub by: UserId,
    /// When.
    pub at: Timestamp,
    /// The supervisor's decision: `signed_off` or `overridden`, the final level, the reason for an override,
    /// who decided and when.
    pub decision: Option<(
        &'static str,
        domain::RiskLevel,
        Option<String>,
        UserId,
        Timestamp,
    )>,
}

/// Rows for the assessments table.
pub(crate) fn assessment_rows() -> Rows {
    Rows::new(
        "INSERT INTO assessments (id, referral_id, instrument_id, instrument_version, answers, evaluation, level, assessed_by, assessed_at, decision, final_level, override_reason, decided_by, decided_at)",
        14,
    )
}

/// Add a new referral's assessment to the rows to write.
pub(crate) fn push_assessment(rows: &mut Rows, new: &NewReferral) {
    use crate::ms;
    let Some(a) = &new.assessment else { return };
    let d = a.decision.as_ref();
    rows.push([
        uuid::Uuid::now_v7().to_string().into(),
        new.referral.id.to_string().into(),
        a.instrument.0.clone().into(),
        a.instrument.1.clone().into(),
        a.answers.clone().into(),
        a.evaluation.clone().into(),
        a.level.as_str().into(),
        a.by.to_string().into(),
        ms(a.at).into(),
        d.map(|d| d.0.to_string()).into(),
        d.map(|d| d.1.as_str().to_string()).into(),
        d.and_then(|d| d.2.clone()).into(),
        d.map(|d| d.3.to_string()).into(),
        d.map(|d| ms(d.4)).into(),
    ]);
}

/// An outcome decision written with a referral's history.
#[derive(Clone, Debug)]
pub struct NewDecision {
    /// `proposed`, `closed`, `approved`, `returned` or `reopened`.
    pub kind: &'static str,
    /// The outcome code, if the decision has one.
    pub code: Option<OutcomeCode>,
    /// The rationale or the reason.
    pub text: Option<String>,
    /// Who decided.
    pub by: Option<UserId>,
    /// When.
    pub at: Timestamp,
}

/// Rows for the outcome_decisions table.
pub(crate) fn decision_rows() -> Rows {
    Rows::new(
        "INSERT INTO outcome_decisions (id, force_id, referral_id, kind, code, text, by_user, at)",
        8,
    )
}

/// Add a new referral's decisions to the rows to write.
pub(crate) fn push_decisions(rows: &mut Rows, new: &NewReferral) {
    use crate::ms;
    let r = &new.referral;
    for d in &new.decisions {
        rows.push([
            uuid::Uuid::now_v7().to_string().into(),
            r.force.to_string().into(),
            r.id.to_string().into(),
            d.kind.into(),
            d.code.map(|c| c.to_string()).into(),
            (&d.text).into(),
            d.by.map(|u| u.to_string()).into(),
            ms(d.at).into(),
        ]);
    }
}

pub(crate) const SELECT_REFERRAL: &str =
    "SELECT r.*, b.code AS bcu_code, u.display_name AS allocated_name,
        (SELECT COUNT(*) FROM referrals o WHERE o.subject_id = r.subject_id AND o.id <> r.id AND o.status <> 'closed') AS linked_open
     FROM referrals r LEFT JOIN bcus b ON b.id = r.bcu_id LEFT JOIN users u ON u.id = r.allocated_to
     WHERE r.id = $1";

/// The SET clause that recomputes a referral's headline due time (the soonest due time among its running,
/// unpaused clocks, the row's own triage or enforcement clock included) and that clock's kind. Migration 0009
/// backfills with the same clause.
macro_rules! headline_set {
    () => {
        "headline_due = (SELECT MIN(h.d) FROM (
            SELECT CASE WHEN referrals.first_enforcement_at IS NULL AND referrals.status <> 'closed'
                        THEN referrals.due_at END AS d
            UNION ALL
            SELECT CAST(c.base_due + COALESCE((SELECT SUM(p.to_at - p.from_at) FROM clock_pauses p
                                                WHERE p.clock_id = c.id AND p.to_at IS NOT NULL), 0) AS BIGINT)
            FROM clocks c
            WHERE c.referral_id = referrals.id AND c.ended IS NULL
              AND NOT EXISTS (SELECT 1 FROM clock_pauses p WHERE p.clock_id = c.id AND p.to_at IS NULL)) h),
        headline_kind = (SELECT h.k FROM (
            SELECT CASE WHEN referrals.first_enforcement_at IS NULL AND referrals.status <> 'closed'
                        THEN referrals.due_at END AS d,
                   CASE WHEN referrals.clock = 'triage' THEN 'triage' ELSE 'enforcement' END AS k
            UNION ALL
            SELECT CAST(c.base_due + COALESCE((SELECT SUM(p.to_at - p.from_at) FROM clock_pauses p
                                                WHERE p.clock_id = c.id AND p.to_at IS NOT NULL), 0) AS BIGINT),
                   c.kind
            FROM clocks c
            WHERE c.referral_id = referrals.id AND c.ended IS NULL
              AND NOT EXISTS (SELECT 1 FROM clock_pauses p WHERE p.clock_id = c.id AND p.to_at IS NULL)) h
            WHERE h.d IS NOT NULL ORDER BY h.d, h.k LIMIT 1)"
    };
}

/// Recompute one referral's headline due time (`$1`: the referral's id).
pub(crate) const REFRESH_HEADLINE: &str =
    concat!("UPDATE referrals SET ", headline_set!(), " WHERE id = $1");

/// Recompute the headline due time of the referral a clock belongs to (`$1`: the clock's id).
pub(crate) const REFRESH_HEADLINE_OF_CLOCK: &str = concat!(
    "UPDATE referrals SET ",
    headline_set!(),
    " WHERE id = (SELECT referral_id FROM clocks WHERE id = $1)"
);

/// Keep a referral's headline due time in step with its clocks, inside the transaction that changed them.
macro_rules! refresh_headline {
    ($conn:expr, $referral:expr) => {
        sqlx::query($crate::referrals::row::REFRESH_HEADLINE)
            .bind($referral.to_string())
            .execute(&mut *$conn)
            .await?
    };
    (clock: $conn:expr, $clock:expr) => {
        sqlx::query($crate::referrals::row::REFRESH_HEADLINE_OF_CLOCK)
            .bind($clock.to_string())
            .execute(&mut *$conn)
            .await?
    };
}
pub(crate) use refresh_headline;

/// A value of the queue's filters, bound in order as `$1`, `$2`, …
pub(crate) enum Val {
    Text(String),
    Int(i64),
}

/// The referrals a filter matches, as a WHERE clause naming only the filters given (so each is a plain
/// comparison an index can serve), with its values in `vals`.
pub(crate) fn where_of(f: &crate::ReferralFilter, vals: &mut Vec<Val>) -> String {
    fn p(vals: &mut Vec<Val>, v: Val) -> String {
        vals.push(v);
        format!("${}", vals.len())
    }
    let mut sql = format!(
        "r.force_id = {}",
        p(vals, Val::Text(f.scope.force().to_string()))
    );
    if let Some(bcu) = f.scope.bcu() {
        sql += &format!(" AND r.bcu_id = {}", p(vals, Val::Text(bcu.to_string())));
    }
    if f.unrouted_only {
        sql += " AND r.bcu_id IS NULL";
    }
    if f.open_only {
        sql += " AND r.queue_group < 2";
    }
    if let Some(s) = f.status {
        sql += &format!(" AND r.status = {}", p(vals, Val::Text(s.as_str().into())));
    }
    if let Some(l) = f.risk_level {
        sql += &format!(
            " AND r.risk_level = {}",
            p(vals, Val::Text(l.as_str().into()))
        );
    }
    if let Some(u) = f.officer {
        sql += &format!(
            " AND r.allocated_to = {}",
            p(vals, Val::Text(u.to_string()))
        );
    }
    if let Some(at) = f.overdue_at {
        sql += &format!(" AND r.headline_due < {}", p(vals, Val::Int(crate::ms(at))));
    }
    if f.escalated {
        sql += " AND r.escalated";
    }
    if let Some(s) = f.except_status {
        sql += &format!(" AND r.status <> {}", p(vals, Val::Text(s.as_str().into())));
    }
    if let Some(t) = &f.search {
        let reference = p(vals, Val::Text(t.reference.clone()));
        let mut any = format!(
            "lower(r.report_id) = {reference} OR lower(COALESCE(r.package_ref, '')) = {reference}"
        );
        let mut ids = vec![];
        if let Some(e) = &t.email {
            ids.push(format!(
                "(i.kind = 'email' AND i.norm = {})",
                p(vals, Val::Text(e.clone()))
            ));
        }
        if let Some(ph) = &t.phone {
            ids.push(format!(
                "(i.kind = 'phone' AND i.norm = {})",
                p(vals, Val::Text(ph.clone()))
            ));
        }
        if let Some(sn) = &t.screen_name {
            let n = p(vals, Val::Text(sn.clone()));
            ids.push(format!(
                "(i.kind = 'screen_name' AND length(i.norm) > length({n}) AND substr(i.norm, length(i.norm) - length({n})) = ':' || {n})"
            ));
        }
        if !ids.is_empty() {
            any += &format!(
                " OR EXISTS (SELECT 1 FROM identifiers i WHERE i.referral_id = r.id AND ({}))",
                ids.join(" OR ")
            );
        }
        sql += &format!(" AND ({any})");
    }
    sql
}

/// The queue, a page at a time, in the order the generated columns `queue_group` and `queue_due` keep
/// (migration 0016): open referrals with a running clock first, soonest headline due time first; then open
/// ones with none running, then closed ones, each by its due time; the id breaks ties. After (or, backwards,
/// before) a cursor, read by keyset from `referrals_bcu_queue` or `referrals_force_queue`.
pub(crate) fn list_sql(
    f: &crate::ReferralFilter,
    cursor: Option<(bool, i64, i64, String)>,
    limit: i64,
    vals: &mut Vec<Val>,
) -> String {
    let filters = where_of(f, vals);
    let backward = cursor.as_ref().is_some_and(|c| c.0);
    let (cmp, dir) = if backward {
        ("<", "DESC")
    } else {
        (">", "ASC")
    };
    let after = match cursor {
        Some((_, group, due, id)) => {
            vals.push(Val::Int(group));
            vals.push(Val::Int(due));
            vals.push(Val::Text(id));
            let n = vals.len();
            format!(
                " AND (r.queue_group, r.queue_due, r.id) {cmp} (${}, ${}, ${n})",
                n - 2,
                n - 1
            )
        }
        None => String::new(),
    };
    vals.push(Val::Int(limit));
    format!(
        "SELECT r.*, b.code AS bcu_code, u.display_name AS allocated_name,
            (SELECT COUNT(*) FROM referrals o WHERE o.subject_id = r.subject_id AND o.id <> r.id AND o.status <> 'closed') AS linked_open
         FROM referrals r LEFT JOIN bcus b ON b.id = r.bcu_id LEFT JOIN users u ON u.id = r.allocated_to
         WHERE {filters}{after}
         ORDER BY r.queue_group {dir}, r.queue_due {dir}, r.id {dir}
         LIMIT ${}",
        vals.len()
    )
}

/// What a referral row holds beyond `NewReferral`: where an import put it.
#[derive(Clone, Debug)]
pub(crate) struct Placement {
    /// The package it arrived in.
    pub(crate) package_id: Option<String>,
    /// The subject it belongs to.
    pub(crate) subject_id: Option<String>,
    /// The report's annotations (JSON array).
    pub(crate) annotations: String,
    /// Import warnings (JSON array).
    pub(crate) warnings: String,
}

impl Default for Placement {
    fn default() -> Self {
        Placement {
            package_id: None,
            subject_id: None,
            annotations: "[]".into(),
            warnings: "[]".into(),
        }
    }
}

/// Rows for the referrals table.
pub(crate) fn referral_rows() -> Rows {
    Rows::new(
        "INSERT INTO referrals (id, force_id, bcu_id, borough, source, package_ref, report_id, received_at,
            incident_type, incident_at, escalated, escalation_reason, summary, reported_person, report_json,
            status, risk_level, risk_reason, assessed_at, assessed_by, due_at, clock, clock_version,
            allocated_to, allocated_at, first_enforcement_at, outcome_code, outcome_rationale, closed_at,
            version, created_at, updated_at, package_id, subject_id, annotations, warnings, prior_status,
            outcome_proposed_by, outcome_proposed_at, victim_informed, retention_review_on, offence,
            method_sextortion, method_live_streaming, headline_due, headline_kind)",
        46,
    )
}

/// Rows for the referral_events table (the timeline).
pub(crate) fn timeline_rows() -> Rows {
    Rows::new(
        "INSERT INTO referral_events (id, referral_id, at, user_id, actor, kind, summary)",
        7,
    )
}

/// Add a referral and its timeline to the rows to write; `now` is its creation time (epoch ms).
pub(crate) fn push_referral(
    referrals: &mut Rows,
    timeline: &mut Rows,
    new: &NewReferral,
    placement: Placement,
    now: i64,
) {
    use crate::ms;
    let r = &new.referral;
    referrals.push([
        r.id.to_string().into(),
        r.force.to_string().into(),
        r.bcu.map(|b| b.to_string()).into(),
        (&r.borough).into(),
        (&r.source).into(),
        (&r.package_ref).into(),
        (&r.report_id).into(),
        ms(r.received_at).into(),
        (&r.incident_type).into(),
        r.incident_at.map(ms).into(),
        r.escalated.into(),
        (&r.escalation_reason).into(),
        (&r.summary).into(),
        serde_json::to_string(&r.reported_person)
            .expect("a person serialises")
            .into(),
        (&new.report_json).into(),
        r.status.as_str().into(),
        r.risk_level.map(|l| l.as_str()).into(),
        (&r.risk_reason).into(),
        new.assessed.map(|(at, _)| ms(at)).into(),
        new.assessed.map(|(_, by)| by.to_string()).into(),
        ms(r.due_at).into(),
        crate::referrals::clock_str(r.clock).into(),
        (&new.clock_version).into(),
        r.allocated_to.map(|u| u.to_string()).into(),
        new.allocated_at.map(ms).into(),
        r.first_enforcement_at.map(ms).into(),
        r.outcome.map(|c| c.to_string()).into(),
        (&r.outcome_rationale).into(),
        r.closed_at.map(ms).into(),
        1i64.into(),
        now.into(),
        now.into(),
        placement.package_id.into(),
        placement.subject_id.into(),
        placement.annotations.into(),
        placement.warnings.into(),
        r.prior_status.map(|s| s.as_str()).into(),
        r.outcome_proposed_by.map(|u| u.to_string()).into(),
        r.outcome_proposed_at.map(ms).into(),
        r.victim_informed.map(crate::referrals::informed_str).into(),
        r.retention_review_on.map(|d| d.to_string()).into(),
        r.offence.map(|o| o.as_str()).into(),
        r.method_sextortion.into(),
        r.method_live_streaming.into(),
        // A new row has no clocks beside it yet: its headline is its own clock while that runs.
        r.clock_running().then(|| ms(r.due_at)).into(),
        r.clock_running()
            .then_some(match r.clock {
                Clock::Triage => "triage",
                Clock::Enforcement(_) => "enforcement",
            })
            .into(),
    ]);
    for t in &new.timeline {
        timeline.push([
            uuid::Uuid::now_v7().to_string().into(),
            r.id.to_string().into(),
            ms(t.at).into(),
            t.user.map(|u| u.to_string()).into(),
            (&t.actor).into(),
            (&t.kind).into(),
            (&t.summary).into(),
        ]);
    }
}

/// Insert a full referral row and its timeline on a connection inside a transaction.
macro_rules! insert {
    ($conn:expr, $new:expr) => {{
        let (mut referrals, mut timeline) = (
            $crate::referrals::row::referral_rows(),
            $crate::referrals::row::timeline_rows(),
        );
        $crate::referrals::row::push_referral(
            &mut referrals,
            &mut timeline,
            $new,
            Default::default(),
            $crate::ms(jiff::Timestamp::now()),
        );
        $crate::bulk::write_rows!($conn, referrals);
        $crate::bulk::write_rows!($conn, timeline);
        let mut decisions = $crate::referrals::row::decision_rows();
        $crate::referrals::row::push_decisions(&mut decisions, $new);
        $crate::bulk::write_rows!($conn, decisions);
        let mut assessments = $crate::referrals::row::assessment_rows();
        $crate::referrals::row::push_assessment(&mut assessments, $new);
        $crate::bulk::write_rows!($conn, assessments);
    }};
}
pub(crate) use insert;

/// Apply one change as a single versioned UPDATE; the number of rows changed tells whether it applied.
macro_rules! apply_change {
    ($conn:expr, $change:expr, $id:expr, $version:expr, $now:expr, $actor:expr) => {{
        use $crate::referrals::ReferralChange as C;
        let id = $id.to_string();
        let now = $crate::ms($now);
        let q = match $change {
            C::Decide { final_level, due_at, clock_version, risk_reason, .. } => sqlx::query(
                "UPDATE referrals SET risk_level = $1, due_at = $2, clock = $3, clock_version = $4, version = version + 1, updated_at = $5,
                    risk_reason = COALESCE($8, risk_reason)
                 WHERE id = $6 AND version = $7")
            .bind(final_level.as_str()).bind($crate::ms(*due_at)).bind($crate::referrals::clock_str(domain::Clock::Enforcement(*final_level)))
            .bind(clock_version.clone()).bind(now).bind(id).bind($version).bind(risk_reason.clone()),
            C::Assess { level, reason, due_at, clock_version, status, .. } => sqlx::query(
                "UPDATE referrals SET risk_level = $1, risk_reason = $2, assessed_at = $3, assessed_by = $4,
                    due_at = $5, clock = $6, clock_version = $7, status = $8, version = version + 1, updated_at = $3
                 WHERE id = $9 AND version = $10")
            .bind(level.as_str()).bind(reason.clone()).bind(now).bind($actor.user.map(|u| u.to_string()))
            .bind($crate::ms(*due_at)).bind($crate::referrals::clock_str(domain::Clock::Enforcement(*level)))
            .bind(clock_version.clone()).bind(status.as_str()).bind(id).bind($version),
            // Whether the old BCU's officer is released is domain's rule (`referral::reroute`), decided on
            // the version this change is based on.
            C::Route { bcu, release_officer, status, .. } => sqlx::query(
                "UPDATE referrals SET bcu_id = $1,
                    allocated_to = CASE WHEN $2 THEN NULL ELSE allocated_to END,
                    allocated_at = CASE WHEN $2 THEN NULL ELSE allocated_at END,
                    status = $3, version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6")
            .bind(bcu.to_string()).bind(*release_officer).bind(status.as_str()).bind(now).bind(id).bind($version),
            C::Allocate { officer, status, .. } => sqlx::query(
                "UPDATE referrals SET allocated_to = $1, allocated_at = $2, status = $3, version = version + 1, updated_at = $2
                 WHERE id = $4 AND version = $5")
            .bind(officer.to_string()).bind(now).bind(status.as_str()).bind(id).bind($version),
            C::Enforce { at, status, .. } => sqlx::query(
                "UPDATE referrals SET first_enforcement_at = COALESCE(first_enforcement_at, $1), status = $2,
                    version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5")
            .bind($crate::ms(*at)).bind(status.as_str()).bind(now).bind(id).bind($version),
            C::ProposeOutcome { code, rationale, informed, prior } => sqlx::query(
                "UPDATE referrals SET outcome_code = $1, outcome_rationale = $2, outcome_proposed_by = $3,
                    outcome_proposed_at = $4, victim_informed = $5, prior_status = $6, status = 'outcome_proposed',
                    version = version + 1, updated_at = $4 WHERE id = $7 AND version = $8")
            .bind(code.to_string()).bind(rationale.clone()).bind($actor.user.map(|u| u.to_string())).bind(now)
            .bind(informed.map($crate::referrals::informed_str)).bind(prior.as_str()).bind(id).bind($version),
            C::Close { code, rationale, informed, prior, retention_review_on, .. } => sqlx::query(
                "UPDATE referrals SET outcome_code = $1, outcome_rationale = $2, closed_at = $3, status = 'closed',
                    victim_informed = $4, prior_status = $5, retention_review_on = $6,
                    version = version + 1, updated_at = $3 WHERE id = $7 AND version = $8")
            .bind(code.to_string()).bind(rationale.clone()).bind(now)
            .bind(informed.map($crate::referrals::informed_str)).bind(prior.as_str())
            .bind(retention_review_on.to_string()).bind(id).bind($version),
            C::Classify { offence, sextortion, live_streaming } => sqlx::query(
                "UPDATE referrals SET offence = $1, method_sextortion = $2, method_live_streaming = $3,
                    version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6")
            .bind(offence.as_str()).bind(*sextortion).bind(*live_streaming).bind(now).bind(id).bind($version),
            C::ReturnOutcome { status, .. } | C::Reopen { status, .. } => sqlx::query(
                "UPDATE referrals SET outcome_code = NULL, outcome_rationale = NULL, outcome_proposed_by = NULL,
                    outcome_proposed_at = NULL, victim_informed = NULL, prior_status = NULL, closed_at = NULL,
                    retention_review_on = NULL, status = $1, version = version + 1, updated_at = $2
                 WHERE id = $3 AND version = $4")
            .bind(status.as_str()).bind(now).bind(id).bind($version),
        };
        q.execute(&mut *$conn).await?.rows_affected()
    }};
}
pub(crate) use apply_change;

/// Keep the instrument assessment behind an `Assess`, or record a supervisor's decision on one (once).
macro_rules! record_assessment {
    ($conn:expr, $change:expr, $id:expr, $now:expr, $actor:expr) => {{
        use $crate::referrals::ReferralChange as C;
        match $change {
            C::Assess { level, instrument: Some(a), .. } => {
                sqlx::query(
                    "INSERT INTO assessments (id, referral_id, instrument_id, instrument_version, answers, evaluation, level, assessed_by, assessed_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(&a.id).bind($id.to_string()).bind(&a.instrument_id).bind(&a.instrument_version)
                .bind(&a.answers).bind(&a.evaluation).bind(level.as_str())
                .bind($actor.user.map(|u| u.to_string())).bind($crate::ms($now))
                .execute(&mut *$conn).await?;
            }
            C::Decide { assessment_id, decision, final_level, reason, .. } => {
                let done = sqlx::query(
                    "UPDATE assessments SET decision = $1, final_level = $2, override_reason = $3, decided_by = $4, decided_at = $5
                     WHERE id = $6 AND referral_id = $7 AND decision IS NULL")
                .bind(*decision).bind(final_level.as_str()).bind(reason.clone())
                .bind($actor.user.map(|u| u.to_string())).bind($crate::ms($now))
                .bind(assessment_id).bind($id.to_string())
                .execute(&mut *$conn).await?.rows_affected();
                if done == 0 {
                    return Err(StoreError::Conflict);
                }
            }
            _ => {}
        }
    }};
}
pub(crate) use record_assessment;

#[derive(sqlx::FromRow)]
pub(crate) struct ReferralRow {
    id: String,
    force_id: String,
    bcu_id: Option<String>,
    bcu_code: Option<String>,
    borough: Option<String>,
    source: String,
    package_ref: Option<String>,
    report_id: String,
    received_at: i64,
    incident_type: String,
    incident_at: Option<i64>,
    escalated: bool,
    escalation_reason: Option<String>,
    summary: String,
    reported_person: String,
    status: String,
    risk_level: Option<String>,
    risk_reason: Option<String>,
    due_at: i64,
    clock: String,
    allocated_to: Option<String>,
    allocated_name: Option<String>,
    first_enforcement_at: Option<i64>,
    outcome_code: Option<String>,
    outcome_rationale: Option<String>,
    closed_at: Option<i64>,
    version: i64,
    subject_id: Option<String>,
    linked_open: i64,
    annotations: String,
    prior_status: Option<String>,
    outcome_proposed_by: Option<String>,
    outcome_proposed_at: Option<i64>,
    victim_informed: Option<String>,
    retention_review_on: Option<String>,
    offence: Option<String>,
    method_sextortion: bool,
    method_live_streaming: bool,
    headline_due: Option<i64>,
    headline_kind: Option<String>,
}

fn parse_clock(s: &str) -> Result<Clock, StoreError> {
    match s.split_once(':') {
        None if s == "triage" => Ok(Clock::Triage),
        Some(("enforcement", level)) => {
            Ok(Clock::Enforcement(level.parse().map_err(|_| {
                StoreError::Corrupt(format!("bad clock '{s}'"))
            })?))
        }
        _ => Err(StoreError::Corrupt(format!("bad clock '{s}'"))),
    }
}

impl TryFrom<ReferralRow> for Referral {
    type Error = StoreError;
    fn try_from(r: ReferralRow) -> Result<Self, StoreError> {
        Ok(Referral {
            id: parse_id(&r.id)?,
            force: parse_id(&r.force_id)?,
            bcu: parse_opt(r.bcu_id.as_deref(), "BCU id")?,
            bcu_code: r.bcu_code,
            borough: r.borough,
            source: r.source,
            package_ref: r.package_ref,
            report_id: r.report_id,
            received_at: ts(r.received_at),
            incident_type: r.incident_type,
            incident_at: r.incident_at.map(ts),
            escalated: r.escalated,
            escalation_reason: r.escalation_reason,
            summary: r.summary,
            reported_person: serde_json::from_str(&r.reported_person)
                .map_err(|e| StoreError::Corrupt(format!("reported person: {e}")))?,
            status: r
                .status
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("bad status '{}'", r.status)))?,
            risk_level: parse_opt(r.risk_level.as_deref(), "risk level")?,
            risk_reason: r.risk_reason,
            due_at: ts(r.due_at),
            clock: parse_clock(&r.clock)?,
            allocated_to: parse_opt(r.allocated_to.as_deref(), "user id")?,
            allocated_name: r.allocated_name,
            first_enforcement_at: r.first_enforcement_at.map(ts),
            outcome: parse_opt(r.outcome_code.as_deref(), "outcome code")?,
            outcome_rationale: r.outcome_rationale,
            closed_at: r.closed_at.map(ts),
            version: r.version,
            subject_id: r.subject_id,
            linked_open: r.linked_open,
            annotations: serde_json::from_str(&r.annotations)
                .map_err(|e| StoreError::Corrupt(format!("annotations: {e}")))?,
            prior_status: parse_opt(r.prior_status.as_deref(), "status")?,
            outcome_proposed_by: parse_opt(r.outcome_proposed_by.as_deref(), "user id")?,
            outcome_proposed_at: r.outcome_proposed_at.map(ts),
            victim_informed: match r.victim_informed.as_deref() {
                None => None,
                Some("victim") => Some(domain::referral::InformedWho::Victim),
                Some("parent_or_guardian") => Some(domain::referral::InformedWho::ParentOrGuardian),
                Some(other) => {
                    return Err(StoreError::Corrupt(format!("victim informed '{other}'")));
                }
            },
            retention_review_on: parse_opt(r.retention_review_on.as_deref(), "date")?,
            offence: match r.offence.as_deref() {
                None => None,
                Some(o) => Some(o.parse().map_err(StoreError::Corrupt)?),
            },
            method_sextortion: r.method_sextortion,
            method_live_streaming: r.method_live_streaming,
            headline_due: r.headline_due.map(ts),
            headline_kind: match r.headline_kind.as_deref() {
                None => None,
                Some(k) => Some(k.parse().map_err(StoreError::Corrupt)?),
            },
        })
    }
}

impl NewReferral {
    /// A referral just received: its only timeline step is its receipt, by `actor` (a user or a source).
    pub fn fresh(
        referral: Referral,
        report_json: String,
        clock_version: &str,
        by: Option<UserId>,
        actor: &str,
    ) -> Self {
        let summary = match &referral.package_ref {
            Some(p) => format!(
                "Received from {} (package {p}, report {})",
                referral.source, referral.report_id
            ),
            None => format!(
                "Received from {} (report {})",
                referral.source, referral.report_id
            ),
        };
        let timeline = vec![TimelineEntry {
            at: referral.received_at,
            user: by,
            actor: actor.to_string(),
            kind: "received".into(),
            summary,
        }];
        NewReferral {
            referral,
            report_json,
            clock_version: clock_version.to_string(),
            assessed: None,
            allocated_at: None,
            timeline,
            decisions: Vec::new(),
            assessment: None,
        }
    }
}
