//! What a hostile XML file is refused for: any DOCTYPE (external entities, entity expansion), unknown
//! entities, and the size, depth, element-count and text limits.

use crate::fixtures::{minimal, opts};
use intake::limits::{MAX_DEPTH, MAX_ELEMENTS, MAX_REPORT_BYTES, MAX_TEXT_BYTES};
use intake::parse_cybertip_xml;

fn refused(xml: &str) -> intake::IntakeError {
    parse_cybertip_xml(xml.as_bytes(), &opts(None)).unwrap_err()
}

#[test]
fn an_external_entity_in_a_doctype_is_refused() {
    let e = refused(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE report [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n\
         <report><incidentSummary><incidentType>&xxe;</incidentType></incidentSummary></report>",
    );
    assert!(e.message.contains("DOCTYPE"), "{e}");
    assert!(e.location.contains("line 2, column 1"), "{e}");
}

#[test]
fn a_billion_laughs_doctype_is_refused() {
    let mut dtd = String::from("<!DOCTYPE report [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    dtd.push_str("]>");
    let e = refused(&format!("{dtd}<report>&lol9;</report>"));
    assert!(e.message.contains("DOCTYPE"), "{e}");
}

#[test]
fn an_undeclared_entity_is_refused_but_predefined_and_numeric_ones_are_read() {
    let e = refused(&minimal("Child Sex Tourism &nbsp;", "2019-01-01T00:00:00Z"));
    assert!(e.message.contains("&nbsp;"), "{e}");
    let ok = minimal("Child Sex &#84;ourism&#x20;", "2019-01-01T00:00:00Z");
    assert!(parse_cybertip_xml(ok.as_bytes(), &opts(None)).is_ok());
}

#[test]
fn nesting_deeper_than_the_limit_is_refused() {
    let inner = "<x>".repeat(MAX_DEPTH) + &"</x>".repeat(MAX_DEPTH);
    let e = refused(&format!("<report>{inner}</report>"));
    assert!(e.message.contains("nested"), "{e}");
}

#[test]
fn more_elements_than_the_limit_are_refused() {
    let many = "<x/>".repeat(MAX_ELEMENTS);
    let e = refused(&format!("<report>{many}</report>"));
    assert!(e.message.contains("elements"), "{e}");
    assert!(
        e.location.starts_with(&format!("report/x[{MAX_ELEMENTS}]")),
        "{e}"
    );
}

#[test]
fn an_overlong_text_and_an_oversized_report_are_refused() {
    let long = "a".repeat(MAX_TEXT_BYTES + 1);
    assert!(
        refused(&format!("<report><x>{long}</x></report>"))
            .message
            .contains("longer")
    );
    let big = "<report>".to_string() + &" ".repeat(MAX_REPORT_BYTES) + "</report>";
    assert!(refused(&big).message.contains("limit"));
}

#[test]
fn bytes_that_are_not_utf8_are_refused_with_their_position() {
    let e = parse_cybertip_xml(b"<report>\n\xff</report>", &opts(None)).unwrap_err();
    assert_eq!(e.location, "line 2, column 1");
}

#[test]
fn a_declared_encoding_safeguard_cannot_read_is_refused_by_name() {
    let e = refused("<?xml version=\"1.0\" encoding=\"EBCDIC-US\"?><report/>");
    assert!(e.message.contains("'EBCDIC-US'"), "{e}");
    assert!(
        e.message.contains("ISO-8859-1"),
        "and says what is read: {e}"
    );
}

#[test]
fn a_latin1_report_and_a_utf16_report_import_with_their_accented_names() {
    let body = minimal("Child Sex Tourism", "2026-01-01T10:00:00Z").replace(
        "</incidentSummary>",
        "</incidentSummary><personOrUserReported><personOrUserReportedPerson><firstName>Zoë</firstName></personOrUserReportedPerson></personOrUserReported>",
    );
    // ISO-8859-1: "ë" is the single byte 0xEB.
    let mut latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>".to_vec();
    latin1.extend(body.chars().map(|c| u8::try_from(u32::from(c)).unwrap()));
    let mut utf16 = vec![0xFF, 0xFE];
    for u in body.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    for (bytes, enc) in [(latin1, "ISO-8859-1"), (utf16, "UTF-16LE")] {
        let p = parse_cybertip_xml(&bytes, &opts(None)).unwrap_or_else(|e| panic!("{enc}: {e}"));
        let r = &p.reports[0];
        assert_eq!(
            r.reported_person().first_name.as_deref(),
            Some("Zoë"),
            "{enc}"
        );
        assert!(
            r.warnings.iter().any(|w| w.message.contains(enc)),
            "{enc} is named: {:?}",
            r.warnings
        );
    }
}
