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
fn a_declared_encoding_other_than_utf8_is_refused() {
    let e = refused("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><report/>");
    assert!(e.message.contains("UTF-8"), "{e}");
}
