//! How a referral is shown: the API's JSON and the phrases the pages use for clocks and levels.

use domain::Referral;
use jiff::Timestamp;
use serde_json::{Value, json};

/// The API's referral object.
pub fn referral_json(r: &Referral, now: Timestamp) -> Value {
    let left = r.seconds_left(now);
    json!({
        "id": r.id,
        "bcu": r.bcu_code,
        "borough": r.borough,
        "status": r.status,
        "risk_level": r.risk_level,
        "risk_reason": r.risk_reason,
        "due_at": r.due_at.to_string(),
        "clock": match r.clock { domain::Clock::Triage => "triage", domain::Clock::Enforcement(_) => "enforcement" },
        "seconds_left": left,
        "overdue": left.is_some_and(|s| s < 0),
        "target_met": r.target_met(),
        "received_at": r.received_at.to_string(),
        "source": r.source,
        "package_ref": r.package_ref,
        "report_id": r.report_id,
        "incident_type": r.incident_type,
        "incident_at": r.incident_at.map(|t| t.to_string()),
        "escalated": r.escalated,
        "escalation_reason": r.escalation_reason,
        "summary": r.summary,
        "reported_person": r.reported_person,
        "allocated_to": r.allocated_name,
        "first_enforcement_at": r.first_enforcement_at.map(|t| t.to_string()),
        "outcome_code": r.outcome.map(|c| c.to_string()),
        "outcome_rationale": r.outcome_rationale,
        "closed_at": r.closed_at.map(|t| t.to_string()),
        "version": r.version,
    })
}

/// `Due in 3 days 4 hours`, `Overdue by 2 hours`, `Enforcement within target`, `Closed`.
pub fn clock_phrase(r: &Referral, now: Timestamp) -> (String, &'static str) {
    match r.seconds_left(now) {
        Some(s) if s < 0 => (
            format!("Overdue by {}", domain::time::describe_duration(s)),
            "overdue",
        ),
        Some(s) if s < 24 * 3600 => (
            format!("Due in {}", domain::time::describe_duration(s)),
            "soon",
        ),
        Some(s) => (
            format!("Due in {}", domain::time::describe_duration(s)),
            "ok",
        ),
        None => match r.target_met() {
            Some(true) => ("Target met".into(), "done"),
            Some(false) => ("Target missed".into(), "missed"),
            None => (r.status.label().into(), "done"),
        },
    }
}
