//! The JSON package: what is accepted and how errors are located.

use super::*;

fn package(reports: &str) -> String {
    format!(
        r#"{{"source":"manual","received_at":"2026-03-01T10:00:00Z","borough":"Camden","reports":[{reports}]}}"#
    )
}

const GOOD: &str = r#"{"report_id":"M-1","narrative":"Synthetic.","report":{"incidentSummary":{"incidentType":"Child Sex Tourism","incidentDateTime":"2026-02-28T22:10:00-05:00"},"personOrUserReported":{"personOrUserReportedPerson":{"firstName":"Sam","email":["A@example.com"," "]},"screenName":"sam_x","espService":"PixelShare"}}}"#;

#[test]
fn a_hand_typed_report_becomes_a_package_of_one() {
    let p = parse_json_package(package(GOOD).as_bytes()).unwrap();
    assert_eq!(p.source, "manual");
    assert_eq!(p.borough.as_deref(), Some("Camden"));
    let r = &p.reports[0];
    assert_eq!(
        r.incident_at.to_string(),
        "2026-03-01T03:10:00Z",
        "the offset is applied, not dropped"
    );
    assert_eq!(r.reported_person.emails, ["A@example.com"]);
    assert_eq!(r.reported_person.screen_names, ["sam_x"]);
    assert!(r.escalation.is_none());
}

#[test]
fn a_date_without_a_time_zone_is_refused_with_its_path() {
    let bad = GOOD.replace("2026-02-28T22:10:00-05:00", "2026-02-28T22:10:00");
    let e =
        parse_json_package(package(&format!("{GOOD},{}", bad.replace("M-1", "M-2"))).as_bytes())
            .unwrap_err();
    assert_eq!(
        e.location,
        "reports[1].report.incidentSummary.incidentDateTime"
    );
    assert!(e.message.contains("time zone"), "{e}");
}

#[test]
fn an_unknown_incident_type_is_refused() {
    let bad = GOOD.replace("Child Sex Tourism", "Something Else");
    let e = parse_json_package(package(&bad).as_bytes()).unwrap_err();
    assert_eq!(e.location, "reports[0].report.incidentSummary.incidentType");
}

#[test]
fn malformed_json_is_located_by_line_and_column() {
    let e = parse_json_package(b"{\n  \"source\": \"manual\",\n  oops\n}").unwrap_err();
    assert_eq!(e.location, "line 3, column 3");
}

#[test]
fn a_report_id_repeated_within_a_package_is_refused() {
    let e = parse_json_package(package(&format!("{GOOD},{GOOD}")).as_bytes()).unwrap_err();
    assert_eq!(e.location, "reports[1].report_id");
}

#[test]
fn any_escalation_text_escalates() {
    let esc = GOOD.replace(
        r#""incidentType""#,
        r#""escalateToHighPriority":"yes","incidentType""#,
    );
    let p = parse_json_package(package(&esc).as_bytes()).unwrap();
    assert_eq!(p.reports[0].escalation.as_deref(), Some("yes"));
}

#[test]
fn the_incident_type_list_agrees_with_the_model() {
    let model: Vec<&str> = crate::model::IncidentType::ALL
        .iter()
        .map(|t| t.as_str())
        .collect();
    assert_eq!(model, INCIDENT_TYPES);
}
