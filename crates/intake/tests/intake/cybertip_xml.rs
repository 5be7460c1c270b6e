//! A bare CyberTipline XML report read into the normalised model: every path formats.md lists, times kept
//! with their zone and raw text, located errors, and unknown elements kept as warnings.

use crate::fixtures::{FULL, minimal, opts};
use intake::model::{IncidentType, IndustryClassification, IpEventName, OriginalFormat};
use intake::parse_cybertip_xml;

const TOURISM: &str = "Child Sex Tourism";

#[test]
fn a_full_report_with_every_listed_path_reads_into_the_model() {
    let p = parse_cybertip_xml(FULL.as_bytes(), &opts(Some("CT-1"))).unwrap();
    assert_eq!(p.header.source, "NCA");
    assert_eq!(p.header.borough.as_deref(), Some("Camden"));
    let r = &p.reports[0];
    assert_eq!(r.report_id, "CT-1");
    assert_eq!(r.incident_type, IncidentType::OnlineEnticement);
    assert_eq!(r.incident_at.at.to_string(), "2019-03-31T04:10:00Z");
    assert_eq!(r.incident_at.offset_seconds, -5 * 3600);
    assert_eq!(
        r.incident_description.as_deref(),
        Some("Detected by hash match & review")
    );
    assert!(r.escalated());
    assert_eq!(r.annotations, ["sextortion", "minorToMinorInteraction"]);
    assert_eq!(
        r.reporter_email.as_deref(),
        Some("safety@pixelshare.example")
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);

    let s = &r.reported[0];
    assert_eq!(s.person.first_name.as_deref(), Some("Jordan"));
    assert_eq!(s.person.last_name.as_deref(), Some("Testperson"));
    assert_eq!(s.person.phones[0].value, "07700 900123");
    assert_eq!(s.person.phones[0].kind.as_deref(), Some("Mobile"));
    assert_eq!(s.person.phones[0].verified, Some(true));
    assert_eq!(
        s.person.phones[0].country_calling_code.as_deref(),
        Some("+44")
    );
    assert_eq!(s.person.emails.len(), 2);
    assert_eq!(s.person.emails[0].verified, Some(false));
    assert_eq!(
        s.person.addresses[0].street.as_deref(),
        Some("1 Synthetic Row")
    );
    assert_eq!(s.person.addresses[0].kind.as_deref(), Some("Home"));
    assert_eq!(s.person.age, Some(34));
    assert_eq!(s.person.date_of_birth.unwrap().to_string(), "1985-02-01");
    assert_eq!(s.esp_identifiers, ["u-123456"]);
    assert_eq!(s.esp_service.as_deref(), Some("PixelShare"));
    assert_eq!(s.screen_names, ["jt_pix", "jt_pix2"]);
    assert_eq!(s.display_names, ["JT"]);
    assert_eq!(s.profile_urls, ["https://pixelshare.example/u/123456"]);
    assert_eq!(s.ip_events.len(), 2);
    assert_eq!(s.ip_events[0].address, "192.0.2.10");
    assert_eq!(s.ip_events[0].port, Some(50123));
    assert_eq!(s.ip_events[0].event, Some(IpEventName::Login));
    assert_eq!(s.ip_events[0].possible_proxy, Some(false));
    assert_eq!(
        s.ip_events[1].ip,
        "2001:db8::1".parse::<std::net::IpAddr>().unwrap()
    );
    assert_eq!(s.ip_events[1].possible_proxy, Some(true));
    assert_eq!(s.device_ids[0].kind.as_deref(), Some("IMEI"));
    assert_eq!(s.device_ids[0].value, "490154203237518");
    assert_eq!(s.prior_reports, ["1000001", "1000002"]);
    assert_eq!(s.group_identifiers, ["grp-77"]);
    assert_eq!(s.estimated_locations[0].city.as_deref(), Some("London"));
    assert_eq!(s.estimated_locations[0].country_code.as_deref(), Some("GB"));
    assert_eq!(s.additional_info.len(), 1);

    assert_eq!(
        r.intended_recipients[0].person.first_name.as_deref(),
        Some("Riley")
    );
    assert_eq!(r.intended_recipients[0].screen_names, ["riley_r"]);
    let v = &r.victims[0];
    assert_eq!(v.person.age, Some(12));
    assert_eq!(v.person.date_of_birth.unwrap().to_string(), "2006-07-08");
    assert_eq!(v.school_name.as_deref(), Some("Example Primary"));
    assert_eq!(
        v.estimated_locations[0].text.as_deref(),
        Some("North London")
    );

    let f = &r.files[0];
    assert_eq!(f.file_id.as_deref(), Some("f-1"));
    assert_eq!(f.file_name.as_deref(), Some("img_001.jpg"));
    assert_eq!(f.original_file_name.as_deref(), Some("holiday.jpg"));
    assert_eq!(
        f.location_of_file.as_deref(),
        Some("https://cdn.pixelshare.example/f-1")
    );
    assert_eq!(
        f.uploaded_at.as_ref().unwrap().at.to_string(),
        "2019-03-31T05:31:00Z"
    );
    assert_eq!(
        (f.viewed_by_esp, f.exif_viewed_by_esp, f.publicly_available),
        (Some(true), Some(false), Some(false))
    );
    assert_eq!(f.relevance.as_deref(), Some("Reported"));
    assert_eq!(f.annotations, ["possibleSelfProduction", "generativeAi"]);
    assert_eq!(f.industry_classification, Some(IndustryClassification::A1));
    assert_eq!(f.md5.as_deref(), Some("0123456789abcdef0123456789abcdef"));
    assert_eq!(
        f.sha1.as_deref(),
        Some("0123456789abcdef0123456789abcdef01234567")
    );
    assert_eq!(f.ip_events[0].address, "198.51.100.7");
    assert_eq!(f.device_ids[0].value, "ADV-ID-1");
    assert_eq!(f.details[0].name, "Make");
    assert_eq!(f.details[0].kind.as_deref(), Some("EXIF"));

    let rp = r.reported_person();
    assert_eq!(rp.emails, ["Jordan.T@example.com", "jt2@example.org"]);
    assert_eq!(rp.screen_names, ["jt_pix", "jt_pix2"]);
}

#[test]
fn an_ip_event_written_with_minus_five_hours_is_kept_in_utc_with_its_raw_text_and_offset() {
    let p = parse_cybertip_xml(FULL.as_bytes(), &opts(None)).unwrap();
    let e = &p.reports[0].reported[0].ip_events[1];
    let t = e.time.as_ref().unwrap();
    assert_eq!(t.at.to_string(), "2019-03-31T05:30:00Z");
    assert_eq!(t.raw, "2019-03-31T00:30:00-05:00");
    assert_eq!(t.offset_seconds, -5 * 3600);
    assert_eq!(e.event, Some(IpEventName::Upload));
    assert_eq!(e.port, Some(443));
}

#[test]
fn a_date_without_a_time_zone_is_refused_with_its_element_path_line_and_column() {
    let xml = FULL.replace("2019-03-31T00:30:00-05:00", "2019-03-31T00:30:00");
    let e = parse_cybertip_xml(xml.as_bytes(), &opts(None)).unwrap_err();
    assert_eq!(
        e.location,
        "report/personOrUserReported/ipCaptureEvent[2]/dateTime (line 44, column 7)"
    );
    assert!(e.message.contains("time zone"), "{e}");
}

#[test]
fn an_unknown_incident_type_is_refused() {
    let e = parse_cybertip_xml(
        minimal("Something Else", "2019-01-01T00:00:00Z").as_bytes(),
        &opts(None),
    )
    .unwrap_err();
    assert_eq!(
        e.location,
        "report/incidentSummary/incidentType (line 1, column 26)"
    );
    assert!(e.message.contains("unknown incident type"), "{e}");
}

#[test]
fn a_report_without_its_incident_time_is_refused() {
    let xml = "<report><incidentSummary><incidentType>Child Sex Tourism</incidentType></incidentSummary></report>";
    let e = parse_cybertip_xml(xml.as_bytes(), &opts(None)).unwrap_err();
    assert!(
        e.location
            .starts_with("report/incidentSummary/incidentDateTime"),
        "{e}"
    );
}

#[test]
fn an_unknown_element_is_a_warning_and_the_original_keeps_it_byte_for_byte() {
    let report = "<report>\n  <incidentSummary><incidentType>Child Sex Tourism</incidentType>\
        <incidentDateTime>2019-01-01T00:00:00Z</incidentDateTime>\
        <newNcmecThing a=\"1\">  kept &amp; <b>as is</b>  </newNcmecThing></incidentSummary>\r\n</report>";
    let doc = format!("<?xml version=\"1.0\"?>\n<!-- synthetic -->\n{report}\n");
    let p = parse_cybertip_xml(doc.as_bytes(), &opts(None)).unwrap();
    let r = &p.reports[0];
    assert_eq!(r.original.text, report);
    assert_eq!(r.original.format, OriginalFormat::Xml);
    assert_eq!(r.original.sha256, intake::sha256_hex(report.as_bytes()));
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert_eq!(r.warnings[0].path, "report/incidentSummary/newNcmecThing");
}

#[test]
fn without_a_report_id_the_identity_is_the_sha256_of_the_bytes() {
    let xml = minimal(TOURISM, "2019-01-01T00:00:00+01:00");
    let p = parse_cybertip_xml(xml.as_bytes(), &opts(None)).unwrap();
    assert_eq!(p.reports[0].report_id, intake::sha256_hex(xml.as_bytes()));
    assert_eq!(p.reports[0].report_id.len(), 64);
}

#[test]
fn a_yes_no_value_that_is_neither_is_refused_naming_the_element() {
    let xml = FULL.replace("<fileViewedByEsp>true", "<fileViewedByEsp>maybe");
    let e = parse_cybertip_xml(xml.as_bytes(), &opts(None)).unwrap_err();
    assert!(
        e.location
            .starts_with("report/fileDetails/fileViewedByEsp (line"),
        "{e}"
    );
}

#[test]
fn a_hash_of_the_wrong_length_is_refused() {
    let xml = FULL.replace("0123456789ABCDEF0123456789ABCDEF<", "0123<");
    let e = parse_cybertip_xml(xml.as_bytes(), &opts(None)).unwrap_err();
    assert!(
        e.location
            .starts_with("report/fileDetails/originalFileHash"),
        "{e}"
    );
    assert!(e.message.contains("MD5"), "{e}");
}

#[test]
fn an_unknown_ip_event_name_and_a_bad_address_are_refused() {
    let xml = FULL.replace("<eventName>Login", "<eventName>Logout");
    assert!(
        parse_cybertip_xml(xml.as_bytes(), &opts(None))
            .unwrap_err()
            .message
            .contains("Logout")
    );
    let xml = FULL.replace("192.0.2.10", "192.0.2.300");
    let e = parse_cybertip_xml(xml.as_bytes(), &opts(None)).unwrap_err();
    assert!(
        e.location
            .starts_with("report/personOrUserReported/ipCaptureEvent/ipAddress"),
        "{e}"
    );
}

#[test]
fn malformed_xml_is_located_by_line_and_column() {
    let xml =
        "<report>\n<incidentSummary>\n<incidentType>x</incidentTyp>\n</incidentSummary></report>";
    let e = parse_cybertip_xml(xml.as_bytes(), &opts(None)).unwrap_err();
    assert!(e.location.contains("line 3"), "{e}");
    assert!(e.message.starts_with("malformed XML"), "{e}");
}

#[test]
fn a_root_other_than_report_is_refused() {
    let e = parse_cybertip_xml(b"<reports/>", &opts(None)).unwrap_err();
    assert!(e.message.contains("<report>"), "{e}");
}
