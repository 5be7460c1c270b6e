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
        "subject_id": r.subject_id,
        "linked_open_referrals": r.linked_open,
    })
}

/// The offset an instant was written with, as `+01:00` / `-05:00`.
pub fn offset_text(seconds: i64) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
}

/// An IP capture event for the API: the instant in UTC, its original offset and the raw text.
pub fn ip_event_json(e: &app::rows::IpEventRow) -> Value {
    json!({
        "id": e.id,
        "address": e.address,
        "address_raw": e.address_raw,
        "port": e.port,
        "event": e.event,
        "at": e.instant().map(|t| t.to_string()),
        "offset": e.offset_seconds.map(offset_text),
        "raw": e.raw,
        "possible_proxy": e.possible_proxy,
    })
}

/// A reported file for the API (hashes and the platform's flags; never content).
pub fn file_json(f: &app::rows::FileRow) -> Value {
    json!({
        "file_id": f.file_id,
        "file_name": f.file_name,
        "original_file_name": f.original_file_name,
        "md5": f.md5,
        "sha1": f.sha1,
        "viewed_by_esp": f.viewed_by_esp,
        "exif_viewed_by_esp": f.exif_viewed_by_esp,
        "publicly_available": f.publicly_available,
        "relevance": f.relevance,
        "industry_classification": f.industry_classification,
        "annotations": serde_json::from_str::<Value>(&f.annotations).unwrap_or(Value::Null),
    })
}

/// `Due in 3 days 4 hours`, `Overdue by 2 hours`, `Enforcement within target`, `Closed`.
pub fn clock_phrase(r: &Referral, now: Timestamp) -> (String, &'static str) {
    use domain::timeliness::{Urgency, urgency};
    match r.seconds_left(now) {
        Some(s) => match urgency(s) {
            Urgency::Overdue => (
                format!("Overdue by {}", domain::time::describe_duration(s)),
                "overdue",
            ),
            Urgency::DueSoon => (
                format!("Due in {}", domain::time::describe_duration(s)),
                "soon",
            ),
            Urgency::OnTrack => (
                format!("Due in {}", domain::time::describe_duration(s)),
                "ok",
            ),
        },
        None => match r.target_met() {
            Some(true) => ("Target met".into(), "done"),
            Some(false) => ("Target missed".into(), "missed"),
            None => (r.status.label().into(), "done"),
        },
    }
}

/// Text made safe to put in an address's query (`?done=Link%20rejected.`): everything but letters, digits,
/// `-`, `.` and `_` is percent-encoded.
pub fn url_component(s: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_');
    utf8_percent_encode(s, COMPONENT).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_notice_keeps_letters_digits_and_dots_and_encodes_the_rest() {
        assert_eq!(
            super::url_component("Link confirmed: the referral was moved."),
            "Link%20confirmed%3A%20the%20referral%20was%20moved."
        );
        assert_eq!(
            super::url_component("a-b_c.d&e=f/é"),
            "a-b_c.d%26e%3Df%2F%C3%A9"
        );
    }
}
