//! A parsed report turned into the rows the store writes (`store::ReportRows`). The store knows nothing
//! of the parser, so this is the one place that reads `intake`'s model for storage; it runs on the
//! parser's thread, so that the store's task only links and writes.

use super::identifiers;
use domain::identifiers::PartyRole;
use intake::model::{IpCaptureEvent, OriginalFormat, Party, Report};
use store::{ReportFile, ReportIpEvent, ReportOriginal, ReportPerson, ReportRows};

/// Everything the store keeps of a report besides its referral. The report is consumed, so that its
/// original (the largest part) is moved rather than copied.
pub fn of(report: Report) -> ReportRows {
    let identifiers = identifiers::of(&report);
    let people = people(&report).collect();
    // As stored: the reported person's events first, then each file's upload events, then the internet
    // incidents' (a peer-to-peer capture). Only the reported person's own may suggest a link.
    let reported = report
        .reported
        .iter()
        .flat_map(|p| &p.ip_events)
        .map(|e| ip_event(e, true, "reported_person"));
    let of_files = report
        .files
        .iter()
        .flat_map(|f| &f.ip_events)
        .map(|e| ip_event(e, false, "file"));
    let of_incidents = report
        .incident_ip_events
        .iter()
        .map(|e| ip_event(&e.event, false, e.kind.as_str()));
    let ip_events = reported.chain(of_files).chain(of_incidents).collect();
    let details = (!report.details.is_empty()).then(|| report.details.clone());
    let files = report.files.into_iter().map(file).collect();
    ReportRows {
        original: ReportOriginal {
            format: match report.original.format {
                OriginalFormat::Xml => store::OriginalFormat::Xml,
                OriginalFormat::Json => store::OriginalFormat::Json,
            },
            sha256: report.original.sha256,
            text: report.original.text,
        },
        annotations: report.annotations,
        warnings: report.warnings.iter().map(|w| w.to_string()).collect(),
        people,
        identifiers,
        ip_events,
        files,
        details,
    }
}

/// One reported file as stored.
pub fn file(f: intake::model::FileDetails) -> ReportFile {
    ReportFile {
        file_id: f.file_id,
        file_name: f.file_name,
        original_file_name: f.original_file_name,
        location: f.location_of_file,
        uploaded_at: f.uploaded_at.map(|t| t.at),
        viewed_by_esp: f.viewed_by_esp,
        exif_viewed_by_esp: f.exif_viewed_by_esp,
        publicly_available: f.publicly_available,
        relevance: f.relevance,
        annotations: f.annotations,
        industry_classification: f.industry_classification.map(|c| c.as_str().to_string()),
        md5: f.md5,
        sha1: f.sha1,
    }
}

/// A separate `<fileDetails>` document's file and its upload events, as stored.
pub fn attached(f: intake::model::FileDetails) -> (ReportFile, Vec<store::ReportIpEvent>) {
    let events = f
        .ip_events
        .iter()
        .map(|e| ip_event(e, false, "file"))
        .collect();
    (file(f), events)
}

/// The people of a report, each in its own category, with their details as JSON (names, age, date of
/// birth, addresses …).
fn people(report: &Report) -> impl Iterator<Item = ReportPerson> + '_ {
    let person = |role| {
        move |p: &Party| ReportPerson {
            role,
            details: serde_json::to_string(p).expect("a party serialises"),
        }
    };
    let reported = report.reported.iter().map(person(PartyRole::Reported));
    let victims = report.victims.iter().map(person(PartyRole::Victim));
    let recipients = report
        .intended_recipients
        .iter()
        .map(person(PartyRole::Recipient));
    reported.chain(victims).chain(recipients)
}

fn ip_event(e: &IpCaptureEvent, reported: bool, origin: &str) -> ReportIpEvent {
    ReportIpEvent {
        address: e.ip.to_canonical(),
        address_raw: e.address.clone(),
        port: e.port,
        event: e.event.map(|n| n.as_str().to_string()),
        at: e.time.as_ref().map(|t| t.at),
        offset_seconds: e.time.as_ref().map(|t| t.offset_seconds),
        time_raw: e.time.as_ref().map(|t| t.raw.clone()),
        possible_proxy: e.possible_proxy,
        reported,
        origin: origin.to_string(),
    }
}
