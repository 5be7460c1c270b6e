//! A few synthetic CyberTipline reports, received in the last day, imported through the real import path
//! (`app::import`), so that the demo shows what a whole report gives an officer: the people in it with a
//! victim's age and school, a peer-to-peer IP capture beside the reported person's own, the platform and its
//! narrative, another agency already involved, the platform's annotations and a reported file. Everything is
//! generated: names from the demo's lists, addresses in documentation ranges, reserved mail domains.

use crate::names::{self, pick};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Boroughs the examples arrive for, so that they land on different BCUs' queues.
const BOROUGHS: &[&str] = &[
    "Camden",
    "Islington",
    "Westminster",
    "Hackney",
    "Croydon",
    "Barnet",
];

/// What the demo's example reports did.
#[derive(Debug)]
pub struct Examples {
    /// Reports imported.
    pub imported: u64,
}

/// Import `count` example reports for `force`, received in the hours before `now`.
pub async fn import_examples(
    app: &app::App,
    force: domain::ForceId,
    seed: u64,
    count: usize,
    now: jiff::Timestamp,
) -> Result<Examples, app::Error> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5afe_9a4d);
    let mut imported = 0;
    for i in 0..count {
        let received_at = now - jiff::SignedDuration::from_mins(45 * (i as i64 + 1));
        let xml = report(&mut rng, i, received_at);
        let req = app::import::ImportRequest {
            force,
            actor: app::import::operator("demo"),
            principal: None,
            form: app::import::Form::Xml(app::import::BareOptions {
                source: "NCA".into(),
                received_at,
                borough: Some(BOROUGHS[i % BOROUGHS.len()].into()),
                package_ref: Some(format!("NCA-DEMO-{:04}", 9000 + i)),
                report_id: Some(format!("DEMO-WHOLE-{:03}", i + 1)),
            }),
            file_name: Some(format!("demo-report-{}.xml", i + 1)),
            limits: app::import::PackageLimits::CLI,
            timeliness: app.config().timeliness.clone(),
            earliest: app.config().earliest,
            list_limit: 10,
        };
        let result = app::import::import(app, req, std::io::Cursor::new(xml.into_bytes())).await?;
        imported += result.counts.imported;
    }
    Ok(Examples { imported })
}

/// One report: a different mix of leads each time.
fn report(rng: &mut ChaCha8Rng, i: usize, received_at: jiff::Timestamp) -> String {
    let detected = received_at - jiff::SignedDuration::from_hours(rng.random_range(20..60));
    let platform = pick(rng, names::ESP_SERVICES);
    let (first, last) = names::person(rng);
    let email = names::email(rng, Some((first, last)));
    let screen = names::screen_name(rng);
    let user_id = rng.random_range(100_000..999_999);
    let (victim_first, _) = names::person(rng);
    let victim_age = rng.random_range(10..16);
    let login = format!("192.0.2.{}", rng.random_range(1..250));
    let p2p = format!("203.0.113.{}", rng.random_range(1..250));
    let md5: String = (0..32)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap())
        .collect();
    let at = |t: jiff::Timestamp| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let sextortion = i.is_multiple_of(2);
    let annotations = if sextortion {
        "<reportAnnotations><sextortion/></reportAnnotations>"
    } else {
        "<reportAnnotations><minorToMinorInteraction/></reportAnnotations>"
    };
    let other_agency = if i.is_multiple_of(3) {
        "<lawEnforcement fleaCountry=\"US\"><agencyName>Example County Sheriff's Office</agencyName>\
         <caseNumber>ECSO-2026-0" .to_string()
            + &rng.random_range(100..999).to_string()
            + "</caseNumber><reportedToLe>true</reportedToLe></lawEnforcement>"
    } else {
        String::new()
    };
    let narrative = if sextortion {
        "The user asked the child for images and then threatened to share them with the child's friends unless more were sent."
    } else {
        "The account sent sexual messages to a child and asked to meet."
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<report>
  <incidentSummary>
    <incidentType>Online Enticement of Children for Sexual Acts</incidentType>
    <platform>{platform}</platform>
    {annotations}
    <incidentDateTime>{detected}</incidentDateTime>
    <incidentDateTimeDescription>When the platform's safety team reviewed the conversation</incidentDateTimeDescription>
  </incidentSummary>
  <internetDetails>
    <peer2peerIncident>
      <client>ShareSwarm</client>
      <ipCaptureEvent><ipAddress>{p2p}</ipAddress><eventName>Upload</eventName><dateTime>{p2p_at}</dateTime><possibleProxy>{proxy}</possibleProxy><port>6881</port></ipCaptureEvent>
    </peer2peerIncident>
  </internetDetails>
  {other_agency}
  <reporter><reportingPerson><firstName>Safety</firstName><lastName>Team</lastName><email>safety@example.net</email></reportingPerson></reporter>
  <personOrUserReported>
    <personOrUserReportedPerson><firstName>{first}</firstName><lastName>{last}</lastName><email verified="true">{email}</email></personOrUserReportedPerson>
    <espIdentifier>{user_id}</espIdentifier>
    <screenName>{screen}</screenName>
    <ipCaptureEvent><ipAddress>{login}</ipAddress><eventName>Login</eventName><dateTime>{login_at}</dateTime><port>{port}</port></ipCaptureEvent>
    <deviceId><idType>Advertising ID</idType><idValue>demo-{user_id}</idValue></deviceId>
    <estimatedLocation><city>London</city><countryCode>GB</countryCode></estimatedLocation>
    <accountPermanentlyDisabled>true</accountPermanentlyDisabled>
  </personOrUserReported>
  <victim><victimPerson><firstName>{victim_first}</firstName><age>{victim_age}</age></victimPerson><schoolName>Example Park School</schoolName></victim>
  <fileDetails>
    <fileId>demo-file-{i}</fileId>
    <fileViewedByEsp>true</fileViewedByEsp>
    <originalFileHash hashType="MD5">{md5}</originalFileHash>
  </fileDetails>
  <additionalInfo>{narrative}</additionalInfo>
</report>"#,
        detected = at(detected),
        p2p_at = at(detected - jiff::SignedDuration::from_mins(30)),
        login_at = at(detected - jiff::SignedDuration::from_hours(2)),
        proxy = i % 4 == 1,
        port = rng.random_range(1024..65535),
    )
}
