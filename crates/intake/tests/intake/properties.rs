//! Property tests: no input makes a parser panic, and a generated report written as XML or as JSON reads
//! back to the same report.

use crate::fixtures::{FULL, opts};
use intake::model::*;
use intake::{PackageLimits, cybertip, parse_cybertip_xml, parse_package, write};
use jiff::{Timestamp, tz::TimeZone};
use proptest::prelude::*;
use proptest::sample::subsequence;

fn text() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]([A-Za-z0-9 .,@&<>'\"/-]{0,10}[A-Za-z0-9])?"
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(text(), 0..3)
}

/// A time with an offset some place uses (-12:00 to +14:00, in quarter hours).
fn moment() -> impl Strategy<Value = Moment> {
    (946_684_800i64..1_900_000_000, -48i32..=56).prop_map(|(secs, quarters)| {
        let at = Timestamp::from_second(secs).unwrap();
        let offset = quarters * 15 * 60;
        let raw = if offset == 0 {
            at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
        } else {
            let tz = TimeZone::fixed(jiff::tz::Offset::from_seconds(offset).unwrap());
            at.to_zoned_datetime(tz)
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        };
        Moment {
            at,
            offset_seconds: offset,
            raw,
        }
    })
}

fn ip_event() -> impl Strategy<Value = IpCaptureEvent> {
    let ip = prop_oneof![
        any::<[u8; 4]>().prop_map(std::net::IpAddr::from),
        any::<[u16; 8]>().prop_map(std::net::IpAddr::from),
    ];
    let event = proptest::option::of(proptest::sample::select(IpEventName::ALL.to_vec()));
    (
        ip,
        any::<Option<u16>>(),
        event,
        proptest::option::of(moment()),
        any::<Option<bool>>(),
    )
        .prop_map(|(ip, port, event, time, possible_proxy)| IpCaptureEvent {
            address: ip.to_string(),
            ip,
            port,
            event,
            time,
            possible_proxy,
        })
}

fn device() -> impl Strategy<Value = DeviceId> {
    (opt_text(), text()).prop_map(|(kind, value)| DeviceId {
        kind,
        value,
        event: None,
        time: None,
    })
}

fn contact() -> impl Strategy<Value = Contact> {
    (text(), opt_text(), any::<Option<bool>>(), opt_text()).prop_map(
        |(value, kind, verified, cc)| Contact {
            value,
            kind,
            verified,
            country_calling_code: cc,
        },
    )
}

fn person() -> impl Strategy<Value = Person> {
    let address = (opt_text(), opt_text(), opt_text(), opt_text()).prop_map(
        |(kind, street, city, country)| Address {
            kind,
            street,
            city,
            country,
            ..Address::default()
        },
    );
    let dob = proptest::option::of(
        (1950i16..2020, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| jiff::civil::date(y, m, d)),
    );
    (
        opt_text(),
        opt_text(),
        proptest::collection::vec(contact(), 0..3),
        proptest::collection::vec(contact(), 0..2),
        proptest::collection::vec(address, 0..2),
        any::<Option<u16>>(),
        dob,
    )
        .prop_map(
            |(first_name, last_name, emails, phones, addresses, age, date_of_birth)| Person {
                first_name,
                last_name,
                emails,
                phones,
                addresses,
                age,
                date_of_birth,
                middle_name: None,
                age_discrepancy: None,
            },
        )
}

fn party() -> impl Strategy<Value = Party> {
    let location = prop_oneof![
        text().prop_map(|t| EstimatedLocation {
            text: Some(t),
            ..EstimatedLocation::default()
        }),
        (opt_text(), opt_text(), opt_text()).prop_map(|(city, region, country_code)| {
            EstimatedLocation {
                text: None,
                city,
                region,
                country_code,
            }
        }),
    ];
    let ids = (texts(), opt_text(), texts(), texts(), texts());
    let rest = (
        proptest::collection::vec(ip_event(), 0..3),
        proptest::collection::vec(device(), 0..2),
        texts(),
        texts(),
        proptest::collection::vec(location, 0..2),
        opt_text(),
        texts(),
    );
    (person(), ids, rest).prop_map(|(person, ids, rest)| Party {
        person,
        esp_identifiers: ids.0,
        esp_service: ids.1,
        screen_names: ids.2,
        display_names: ids.3,
        profile_urls: ids.4,
        ip_events: rest.0,
        device_ids: rest.1,
        prior_reports: rest.2,
        group_identifiers: rest.3,
        estimated_locations: rest.4,
        school_name: rest.5,
        additional_info: rest.6,
        ..Party::default()
    })
}

const FILE_ANNOTATIONS: [&str; 4] = ["viral", "potentialMeme", "generativeAi", "infant"];

fn file() -> impl Strategy<Value = FileDetails> {
    let class = proptest::option::of(proptest::sample::select(vec![
        IndustryClassification::A1,
        IndustryClassification::A2,
        IndustryClassification::B1,
        IndustryClassification::B2,
    ]));
    let names = (
        opt_text(),
        opt_text(),
        opt_text(),
        opt_text(),
        proptest::option::of(moment()),
    );
    let flags = (
        any::<Option<bool>>(),
        any::<Option<bool>>(),
        any::<Option<bool>>(),
        opt_text(),
    );
    let hashes = (
        proptest::option::of("[0-9a-f]{32}"),
        proptest::option::of("[0-9a-f]{40}"),
        class,
    );
    let more = (
        subsequence(FILE_ANNOTATIONS.to_vec(), 0..=4),
        proptest::collection::vec(ip_event(), 0..2),
        proptest::collection::vec(device(), 0..2),
        proptest::collection::vec((opt_text(), text(), text()), 0..2),
    );
    (names, flags, hashes, more).prop_map(|(n, f, h, m)| FileDetails {
        report_id: None,
        additional_info: vec![],
        file_id: n.0,
        file_name: n.1,
        original_file_name: n.2,
        location_of_file: n.3,
        uploaded_at: n.4,
        viewed_by_esp: f.0,
        exif_viewed_by_esp: f.1,
        publicly_available: f.2,
        relevance: f.3,
        annotations: m.0.into_iter().map(str::to_string).collect(),
        industry_classification: h.2,
        md5: h.0,
        sha1: h.1,
        other_hashes: vec![],
        ip_events: m.1,
        device_ids: m.2,
        details: m
            .3
            .into_iter()
            .map(|(kind, name, value)| FileDetail { kind, name, value })
            .collect(),
    })
}

fn report() -> impl Strategy<Value = Report> {
    let summary = (
        proptest::sample::select(IncidentType::ALL.to_vec()),
        moment(),
        opt_text(),
        opt_text(),
        subsequence(
            vec![
                "sextortion",
                "csamSolicitation",
                "minorToMinorInteraction",
                "spam",
            ],
            0..=4,
        ),
        opt_text(),
    );
    let people = (
        proptest::collection::vec(party(), 0..2),
        proptest::collection::vec(party(), 0..2),
        proptest::collection::vec(party(), 0..2),
        proptest::collection::vec(file(), 0..3),
    );
    (summary, people).prop_map(|(s, p)| Report {
        // What the reader keeps as further details of the fields generated here.
        details: domain::report_details::ReportDetails {
            incident_time_description: s.2.clone(),
            reporter: s
                .5
                .clone()
                .map(|e| domain::report_details::ReporterDetails {
                    reporting_person: Some(e),
                    ..Default::default()
                }),
            ..Default::default()
        },
        incident_ip_events: vec![],
        report_id: "P-1".into(),
        original: Original::new(OriginalFormat::Xml, String::new()),
        incident_type: s.0,
        incident_at: s.1,
        incident_description: s.2,
        escalation: s.3,
        annotations: s.4.into_iter().map(str::to_string).collect(),
        reporter_email: s.5,
        reported: p.0,
        intended_recipients: p.1,
        victims: p.2,
        files: p.3,
        narrative: None,
        warnings: vec![],
    })
}

fn without_original(mut r: Report) -> Report {
    r.original = Original::new(OriginalFormat::Xml, String::new());
    r.annotations.sort();
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_bytes_never_make_the_parsers_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_cybertip_xml(&bytes, &opts(None));
        let _ = parse_package(&bytes, &PackageLimits::API);
    }

    #[test]
    fn a_damaged_report_is_refused_or_read_but_never_panics(cut in 0..FULL.len(), junk in "[<>&;/a-z\"'!\\[\\]-]{0,8}") {
        let mut xml = FULL.as_bytes()[..cut].to_vec();
        xml.extend_from_slice(junk.as_bytes());
        xml.extend_from_slice(&FULL.as_bytes()[cut..]);
        let _ = parse_cybertip_xml(&xml, &opts(None));
    }

    #[test]
    fn a_generated_report_written_as_xml_reads_back_the_same(r in report()) {
        let xml = write::report_xml(&r);
        let back = cybertip::parse_report_xml(xml.as_bytes(), "P-1".into(), None)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{xml}")))?;
        prop_assert_eq!(&back.original.text, &xml);
        prop_assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        prop_assert_eq!(without_original(back), without_original(r));
    }

    #[test]
    fn a_generated_report_written_as_json_reads_back_the_same(r in report()) {
        let entry = serde_json::json!({"report_id": "P-1", "report": write::report_json(&r)});
        let package = crate::json_forms::package(&[entry.to_string()]);
        let back = parse_package(package.as_bytes(), &PackageLimits::API)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{package}")))?;
        let mut back = back.reports.into_iter().next().unwrap();
        prop_assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        for f in &mut back.files { f.annotations.sort(); }
        let mut r = r;
        for f in &mut r.files { f.annotations.sort(); }
        prop_assert_eq!(without_original(back), without_original(r));
    }
}
