//! What arrives: synthetic referrals as the force receives them, mostly NCA packages built on CyberTipline
//! reports and some typed in by the central desk. Each gets a borough (so a BCU), an incident type, a
//! narrative, a reported person made of reserved identifiers, and the report as received (JSON).

use crate::calendar::{Window, plus_minutes};
use crate::force::Roster;
use crate::names::{self, pick, weighted};
use crate::text;
use domain::{ForceId, Received, ReferralId, ReportedPerson};
use jiff::Timestamp;
use rand::Rng;
use std::collections::HashMap;

/// Places that are not London boroughs, named by packages the Met cannot route.
const OUTSIDE_LONDON: &[&str] = &[
    "Slough",
    "Dartford",
    "Epsom and Ewell",
    "Watford",
    "Unknown",
];

/// A referral as received, before anything is done with it.
#[derive(Clone, Debug)]
pub struct Arrival {
    /// Its id (drawn from the seeded generator, so repeatable).
    pub id: ReferralId,
    /// What the force knows on receipt.
    pub received: Received,
    /// The report as received.
    pub report_json: String,
    /// Index of its BCU in the roster, if its borough routes.
    pub team: Option<usize>,
}

/// Hands out references that grow over time like the real ones.
#[derive(Default)]
struct Numbering {
    tipline: u64,
    per_year: HashMap<(&'static str, i16), u32>,
}

impl Numbering {
    fn next(&mut self, rng: &mut impl Rng, kind: &'static str, year: i16) -> u32 {
        let n = self
            .per_year
            .entry((kind, year))
            .or_insert_with(|| rng.random_range(800..2_500));
        *n += rng.random_range(1..15);
        *n
    }
}

/// `count` arrivals spread over the window, oldest first.
pub fn arrivals(
    rng: &mut impl Rng,
    roster: &Roster,
    window: &Window,
    count: usize,
) -> Vec<Arrival> {
    let mut times: Vec<Timestamp> = (0..count).map(|_| window.receipt(rng)).collect();
    times.sort();
    let mut numbering = Numbering {
        tipline: rng.random_range(95_000_000..105_000_000),
        ..Default::default()
    };
    times
        .into_iter()
        .map(|t| arrival(rng, roster, &mut numbering, t))
        .collect()
}

fn arrival(
    rng: &mut impl Rng,
    roster: &Roster,
    numbering: &mut Numbering,
    received_at: Timestamp,
) -> Arrival {
    let id = ReferralId(uuid::Builder::from_random_bytes(rng.random()).into_uuid());
    let (team, borough) = borough(rng, roster);
    let year = domain::time::in_london(received_at).year();
    let nca = rng.random_bool(0.88);
    let (source, package_ref, report_id) = if nca {
        numbering.tipline += rng.random_range(2_000..80_000);
        let package = numbering.next(rng, "NCA", year);
        (
            "NCA",
            Some(format!("NCA-{year}-{package:06}")),
            numbering.tipline.to_string(),
        )
    } else {
        (
            "manual",
            None,
            format!("MPS-{year}-{:05}", numbering.next(rng, "manual", year)),
        )
    };
    let incident_type = weighted(rng, text::INCIDENT_TYPES);
    let escalation = rng
        .random_bool(0.07)
        .then(|| pick(rng, text::ESCALATIONS).to_string());
    let person = reported_person(rng);
    let esp = person
        .esp_service
        .clone()
        .unwrap_or_else(|| "The platform".into());
    let summary = text::summary(rng, incident_type, &esp, borough.filter(|_| team.is_some()));
    let incident_at = plus_minutes(received_at, -crate::calendar::days(rng, 2, 45));
    let received = Received {
        force: roster.force,
        bcu: team.map(|i| roster.bcus[i].id),
        borough: borough.map(str::to_string),
        source: source.to_string(),
        package_ref,
        report_id,
        received_at,
        incident_type: incident_type.to_string(),
        incident_at: Some(incident_at),
        escalation,
        summary,
        reported_person: person,
    };
    let report_json = report_json(&received, roster.force);
    Arrival {
        id,
        received,
        report_json,
        team,
    }
}

/// A borough and its BCU; about 3% name no borough or one outside London and stay unrouted.
fn borough(rng: &mut impl Rng, roster: &Roster) -> (Option<usize>, Option<&'static str>) {
    if rng.random_bool(0.03) {
        return (
            None,
            rng.random_bool(0.5).then(|| pick(rng, OUTSIDE_LONDON)),
        );
    }
    let all: usize = roster.bcus.iter().map(|b| b.boroughs.len()).sum();
    let mut n = rng.random_range(0..all);
    for (i, b) in roster.bcus.iter().enumerate() {
        if n < b.boroughs.len() {
            return (Some(i), Some(b.boroughs[n]));
        }
        n -= b.boroughs.len();
    }
    unreachable!("the draw is below the borough count")
}

fn reported_person(rng: &mut impl Rng) -> ReportedPerson {
    let name = rng.random_bool(0.7).then(|| names::person(rng));
    let emails = (0..rng.random_range(0..3))
        .map(|_| names::email(rng, name))
        .collect();
    let phones = (0..weighted(rng, &[(0, 5), (1, 4), (2, 1)]))
        .map(|_| names::mobile(rng))
        .collect();
    let screen_names = (0..rng.random_range(1..3))
        .map(|_| names::screen_name(rng))
        .collect();
    ReportedPerson {
        first_name: name.map(|(f, _)| f.to_string()),
        last_name: name.map(|(_, l)| l.to_string()),
        emails,
        phones,
        screen_names,
        esp_service: Some(pick(rng, names::ESP_SERVICES).to_string()),
        esp_ids: vec![],
    }
}

/// The report in Safeguard's package shape, as it would have been received.
fn report_json(r: &Received, force: ForceId) -> String {
    serde_json::json!({
        "source": r.source,
        "package_ref": r.package_ref,
        "force": force,
        "received_at": r.received_at,
        "resolved_borough": r.borough,
        "reports": [{
            "report_id": r.report_id,
            "incident_type": r.incident_type,
            "incident_at": r.incident_at,
            "escalate_to_high_priority": r.escalation,
            "summary": r.summary,
            "reported_person": r.reported_person,
        }],
        "synthetic": true,
    })
    .to_string()
}
