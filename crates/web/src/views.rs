//! How a referral is shown: the phrases the pages use for clocks and levels (the API's JSON is in
//! `api::model`).

use domain::Referral;
use jiff::Timestamp;

/// The offset an instant was written with, as `+01:00` / `-05:00`.
pub fn offset_text(seconds: i64) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    format!("{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
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

/// The referral's headline: the soonest running clock (the queue's order) as a phrase and class, with which
/// clock it is; with no clock running, the same as [`clock_phrase`].
pub fn headline_phrase(
    r: &Referral,
    now: Timestamp,
) -> (String, &'static str, Option<domain::clocks::ClockKind>) {
    use domain::timeliness::{Urgency, urgency};
    match (r.headline_due, r.headline_kind) {
        (Some(due), Some(kind)) => {
            let s = due.as_second() - now.as_second();
            let (phrase, class) = match urgency(s) {
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
            };
            (phrase, class, Some(kind))
        }
        _ => {
            let (phrase, class) = clock_phrase(r, now);
            (phrase, class, None)
        }
    }
}

/// A report annotation NCMEC defines, in plain English (an unknown one as received).
pub fn annotation_label(a: &str) -> String {
    match a {
        "sextortion" => "Sextortion".into(),
        "csamSolicitation" => "Solicitation of child sexual abuse material".into(),
        "minorToMinorInteraction" => "Interaction between minors".into(),
        "spam" => "Spam".into(),
        "sadisticOnlineExploitation" => "Sadistic online exploitation".into(),
        "informational" => "For information only".into(),
        other => other.to_string(),
    }
}

/// Where in the report an IP capture event came from, in plain English.
pub fn ip_origin_label(origin: Option<&str>) -> String {
    use domain::report_details::IncidentKind;
    match origin {
        None => "Not recorded".into(),
        Some("reported_person") => "The reported person".into(),
        Some("file") => "A file's upload".into(),
        Some(other) => match IncidentKind::ALL.into_iter().find(|k| k.as_str() == other) {
            Some(k) => format!("{} incident", k.label()),
            None => other.to_string(),
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

/// The queue as CSV: the page's columns (the due cell split into its phrase, clock and time; the referral
/// cell into its reference and incident type), never identifiers or narrative. Shared by the page's and the
/// API's export.
pub(crate) fn queue_csv(rows: &[Referral], now: jiff::Timestamp) -> crate::csv::Writer {
    let mut out = crate::csv::Writer::new(&[
        "Due",
        "Clock",
        "Due at (London)",
        "Risk",
        "Referral",
        "Incident type",
        "BCU",
        "Status",
        "Allocated to",
    ]);
    for r in rows {
        let (phrase, _, kind) = headline_phrase(r, now);
        let risk = r
            .risk_level
            .map_or("Not assessed", |l| l.label())
            .to_string();
        out.row(&[
            phrase,
            kind.map(|k| k.label().to_string()).unwrap_or_default(),
            domain::time::display(r.headline_due.unwrap_or(r.due_at)),
            if r.escalated {
                format!("{risk}, escalated")
            } else {
                risk
            },
            format!("{} {}", r.source, r.report_id),
            r.incident_type.clone(),
            r.bcu_code
                .as_deref()
                .map(str::to_uppercase)
                .unwrap_or_else(|| "Unrouted".into()),
            r.status_label().to_string(),
            r.allocated_name.clone().unwrap_or_default(),
        ]);
    }
    out
}

/// An RFC 3339 time as the pages show it (London, with GMT or BST); empty when it does not parse.
pub fn when(rfc3339: &str) -> String {
    rfc3339
        .parse()
        .map(domain::time::display)
        .unwrap_or_default()
}

/// A clock's state as a coloured badge (overdue and missed red, at risk and paused amber, the rest green).
pub fn clock_badge(s: domain::clocks::ClockState) -> maud::Markup {
    use domain::clocks::ClockState;
    let class = match s {
        ClockState::Overdue | ClockState::Missed => "overdue",
        ClockState::AtRisk | ClockState::Paused => "soon",
        _ => "ok",
    };
    maud::html! { span class={"clock clock-" (class)} { (s.label()) } }
}

/// One table of the figures as CSV: `key`, `label`, then each column's heading; cells as the page gives
/// them plainly (a count, a share to four places, or the marker of a cell not given).
pub(crate) fn figures_csv(t: &app::figures::report::Table) -> crate::csv::Writer {
    let header: Vec<&str> = ["key", "label"]
        .into_iter()
        .chain(t.columns.iter().map(|c| c.label.as_str()))
        .collect();
    let mut w = crate::csv::Writer::new(&header);
    for r in &t.rows {
        let cells: Vec<String> = [r.key.clone(), r.label.clone()]
            .into_iter()
            .chain(r.cells.iter().map(app::figures::report::Cell::plain))
            .collect();
        w.row(&cells);
    }
    w
}

/// A course's coverage in words: `done of team (share%)`, or `no team`.
pub fn coverage(done: usize, team: usize) -> String {
    if team == 0 {
        "no team".into()
    } else {
        format!(
            "{done} of {team} ({:.0}%)",
            100.0 * done as f64 / team as f64
        )
    }
}

/// A `YYYY-MM-DD` date in words (`22 May 2019`); anything else as given.
pub fn long_date(date: &str) -> String {
    date.parse::<jiff::civil::Date>()
        .map(|d| d.strftime("%-d %B %Y").to_string())
        .unwrap_or_else(|_| date.to_string())
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
