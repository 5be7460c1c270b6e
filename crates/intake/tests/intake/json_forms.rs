//! The JSON form of a report: the same content as the CyberTipline XML gives the same model, with
//! repeated elements as arrays, attributes as `@name` keys and text beside attributes as `#text`.

use crate::fixtures::FULL;
use intake::model::Report;
use intake::{PackageLimits, parse_package};

/// FULL written in the JSON form.
pub const FULL_JSON: &str = r##"{
  "incidentSummary": {
    "incidentType": "Online Enticement of Children for Sexual Acts",
    "escalateToHighPriority": "Child appears to be in imminent danger",
    "reportAnnotations": {"sextortion": "", "minorToMinorInteraction": null},
    "incidentDateTime": "2019-03-30T23:10:00-05:00",
    "incidentDateTimeDescription": "Detected by hash match & review"
  },
  "internetDetails": {"webPageIncident": {"url": "https://pixelshare.example/p/1"}},
  "reporter": {"reportingPerson": {"firstName": "Trust", "email": "safety@pixelshare.example"}},
  "personOrUserReported": {
    "personOrUserReportedPerson": {
      "firstName": "Jordan",
      "lastName": "Testperson",
      "phone": {"@type": "Mobile", "@verified": true, "@countryCallingCode": "+44", "#text": "07700 900123"},
      "email": [{"@verified": "false", "#text": "Jordan.T@example.com"}, "jt2@example.org"],
      "address": {"@type": "Home", "address": "1 Synthetic Row", "city": "Camden", "country": "GB"},
      "age": 34,
      "dateOfBirth": "1985-02-01"
    },
    "espIdentifier": "u-123456",
    "espService": "PixelShare",
    "screenName": ["jt_pix", "jt_pix2"],
    "displayName": ["JT"],
    "profileUrl": "https://pixelshare.example/u/123456",
    "ipCaptureEvent": [
      {"ipAddress": " 192.0.2.10 ", "eventName": "Login", "dateTime": "2019-03-29T22:00:00Z",
       "possibleProxy": false, "port": 50123},
      {"ipAddress": "2001:db8::1", "eventName": "Upload", "dateTime": "2019-03-31T00:30:00-05:00",
       "possibleProxy": "Yes", "port": "443"}
    ],
    "deviceId": {"idType": "IMEI", "idValue": "490154203237518"},
    "priorCTReports": ["1000001", 1000002],
    "groupIdentifier": "grp-77",
    "estimatedLocation": {"city": "London", "region": "ENG", "countryCode": "GB"},
    "additionalInfo": "Account created two days before the upload."
  },
  "intendedRecipient": {
    "intendedRecipientPerson": {"firstName": "Riley", "age": "13"},
    "screenName": "riley_r"
  },
  "victim": [{
    "victimPerson": {"firstName": "Alex", "age": 12, "dateOfBirth": "2006-07-08"},
    "schoolName": "Example Primary",
    "estimatedLocation": "North London"
  }],
  "fileDetails": {
    "fileId": "f-1",
    "fileName": "img_001.jpg",
    "originalFileName": "holiday.jpg",
    "locationOfFile": "https://cdn.pixelshare.example/f-1",
    "uploadedToEspTimestamp": "2019-03-31T00:31:00-05:00",
    "fileViewedByEsp": true,
    "exifViewedByEsp": "NO",
    "publiclyAvailable": 0,
    "fileRelevance": "Reported",
    "fileAnnotations": {"possibleSelfProduction": "", "generativeAi": ""},
    "industryClassification": "A1",
    "originalFileHash": [
      {"@hashType": "MD5", "#text": "0123456789ABCDEF0123456789ABCDEF"},
      {"@hashType": "SHA1", "#text": "0123456789abcdef0123456789abcdef01234567"}
    ],
    "ipCaptureEvent": {"ipAddress": "198.51.100.7", "eventName": "Upload"},
    "deviceId": "ADV-ID-1",
    "details": {"@type": "EXIF", "nameValuePair": {"name": "Make", "value": "SynthCam"}}
  }
}"##;

/// A package around report entries (already JSON).
pub fn package(entries: &[String]) -> String {
    format!(
        r#"{{"source":"NCA","package_ref":"PKG-1","received_at":"2019-04-01T09:00:00Z","borough":"Camden","reports":[{}]}}"#,
        entries.join(",")
    )
}

/// Annotation and file-annotation order is the document's in XML but the key order in JSON objects.
fn comparable(mut r: Report) -> Report {
    r.original = intake::model::Original::new(intake::model::OriginalFormat::Json, String::new());
    r.annotations.sort();
    for f in &mut r.files {
        f.annotations.sort();
    }
    r
}

#[test]
fn the_same_content_as_embedded_xml_and_as_json_gives_the_same_model() {
    let xml =
        serde_json::json!({"report_id": "CT-1", "narrative": "Synthetic.", "cybertip_xml": FULL});
    let json = format!(r#"{{"report_id":"CT-1","narrative":"Synthetic.","report":{FULL_JSON}}}"#);
    let a = parse_package(package(&[xml.to_string()]).as_bytes(), &PackageLimits::API).unwrap();
    let b = parse_package(package(&[json]).as_bytes(), &PackageLimits::API).unwrap();
    let (a, b) = (a.reports[0].clone(), b.reports[0].clone());
    assert_eq!(
        b.original.text, FULL_JSON,
        "the JSON original is kept as received"
    );
    assert_eq!(
        a.original.text.len() + 1,
        FULL.len() - "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".len()
    );
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert_eq!(comparable(a), comparable(b));
}

#[test]
fn a_json_form_error_names_its_json_path() {
    let bad = FULL_JSON.replace("\"port\": \"443\"", "\"port\": \"https\"");
    let e = parse_package(
        package(&[format!(r#"{{"report_id":"A","report":{bad}}}"#)]).as_bytes(),
        &PackageLimits::API,
    )
    .unwrap_err();
    assert_eq!(
        e.location,
        "reports[0].report.personOrUserReported.ipCaptureEvent[1].port"
    );
}

#[test]
fn an_embedded_xml_error_names_the_report_then_the_element_line_and_column() {
    let bad = FULL.replace("<fileViewedByEsp>true", "<fileViewedByEsp>perhaps");
    let entry = serde_json::json!({"report_id": "A", "cybertip_xml": bad});
    let e = parse_package(
        package(&[entry.to_string()]).as_bytes(),
        &PackageLimits::API,
    )
    .unwrap_err();
    assert!(
        e.location.starts_with(
            "reports[0].cybertip_xml: report/fileDetails/fileViewedByEsp (line 70, column 5)"
        ),
        "{e}"
    );
}

#[test]
fn an_unknown_json_element_is_a_warning() {
    let json = FULL_JSON.replace(
        "\"schoolName\"",
        "\"favouriteColour\": \"blue\", \"schoolName\"",
    );
    let p = parse_package(
        package(&[format!(r#"{{"report_id":"A","report":{json},"extra":1}}"#)]).as_bytes(),
        &PackageLimits::API,
    )
    .unwrap();
    let paths: Vec<&str> = p.reports[0]
        .warnings
        .iter()
        .map(|w| w.path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "reports[0].report.victim[0].favouriteColour",
            "reports[0].extra"
        ]
    );
}
