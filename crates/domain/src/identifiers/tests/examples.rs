//! Worked examples of normalisation, link keys, strength, IP matching and the viral rule.

use super::*;
use jiff::{SignedDuration, Timestamp};

#[test]
fn emails_are_trimmed_and_case_folded_as_a_whole() {
    assert_eq!(
        Email::parse("  Jane.Doe@Example.COM \n").unwrap().as_str(),
        "jane.doe@example.com"
    );
}

#[test]
fn malformed_emails_are_refused() {
    for raw in [
        "",
        "   ",
        "jane",
        "@example.com",
        "jane@",
        "a@b@c",
        "jane doe@example.com",
    ] {
        assert!(Email::parse(raw).is_err(), "{raw:?} should be refused");
    }
}

#[test]
fn phone_numbers_become_e164_with_a_uk_default() {
    let cases = [
        ("07700 900123", "+447700900123"),
        ("07700-900-123", "+447700900123"),
        ("(07700) 900123", "+447700900123"),
        ("00 44 7700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("+44 07700 900123", "+447700900123"),
        ("+44 20 7946 0000", "+442079460000"),
        ("020 7946 0000", "+442079460000"),
        ("+1 (202) 555-0143", "+12025550143"),
        ("0033 1 23 45 67 89", "+33123456789"),
        ("+39 06 1234 5678", "+390612345678"),
    ];
    for (raw, e164) in cases {
        assert_eq!(
            Phone::parse(raw).map(|p| p.as_str().to_string()),
            Ok(e164.to_string()),
            "{raw}"
        );
    }
}

#[test]
fn phone_numbers_that_cannot_be_placed_are_refused() {
    for raw in [
        "",
        "7700900123",
        "07700 9001",
        "07700 900123 ext 4",
        "+0 123 4567",
        "+12",
        "0770O 900123",
    ] {
        assert!(Phone::parse(raw).is_err(), "{raw:?} should be refused");
    }
}

#[test]
fn screen_names_are_scoped_to_a_folded_service_and_folded_themselves() {
    let s = ScreenName::parse(" Kik ", " Dark_Fox ").unwrap();
    assert_eq!(s.scoped(), "kik:dark_fox");
}

#[test]
fn service_user_ids_are_scoped_and_kept_exact() {
    let id = EspUserId::parse("Snapchat", " AbC123 ").unwrap();
    assert_eq!(id.scoped(), "snapchat:AbC123");
    assert_ne!(id, EspUserId::parse("snapchat", "abc123").unwrap());
}

#[test]
fn a_colon_in_a_service_name_cannot_make_two_services_collide() {
    let a = EspUserId::parse("a:b", "c").unwrap();
    let b = EspUserId::parse("a", "b:c").unwrap();
    assert_ne!(a.scoped(), b.scoped());
}

#[test]
fn display_names_are_trimmed_collapsed_and_folded() {
    assert_eq!(
        DisplayName::parse("  Jane \t  DOE ").unwrap().as_str(),
        "jane doe"
    );
}

#[test]
fn only_the_reported_persons_identifiers_get_link_keys() {
    let email = Identifier::Email(Email::parse("Jane@Example.com").unwrap());
    let key = link_key(PartyRole::Reported, &email).unwrap();
    assert_eq!(key.to_string(), "email:jane@example.com");
    assert_eq!(key.strength(), Strength::Strong);
    for role in [PartyRole::Victim, PartyRole::Recipient] {
        assert_eq!(
            link_key(role, &email),
            Err(IdentifierError::NotReported(role))
        );
    }
}

#[test]
fn link_strength_is_strong_only_for_email_phone_and_service_user_id() {
    use IdentifierKind::*;
    let cases = [
        (Email, Strength::Strong),
        (Phone, Strength::Strong),
        (EspUserId, Strength::Strong),
        (ScreenName, Strength::Weak),
        (DisplayName, Strength::Weak),
        (IpEvent, Strength::Weak),
    ];
    for (kind, strength) in cases {
        assert_eq!(link_strength(kind), strength, "{kind:?}");
    }
}

#[test]
fn ip_addresses_are_canonical_and_mapped_ipv4_is_unmapped() {
    assert_eq!(
        parse_ip(" ::ffff:192.0.2.1 ").unwrap().to_string(),
        "192.0.2.1"
    );
    assert_eq!(
        parse_ip("[2001:DB8:0:0:0:0:0:1]").unwrap().to_string(),
        "2001:db8::1"
    );
    assert!(parse_ip("192.0.2.256").is_err());
}

fn event(addr: &str, port: Option<u16>, at: &str) -> IpEvent {
    IpEvent::new(
        parse_ip(addr).unwrap(),
        port,
        at.parse::<Timestamp>().unwrap(),
    )
}

#[test]
fn ip_events_match_on_address_and_port_within_the_window() {
    let a = event("192.0.2.1", Some(40001), "2019-03-31T05:30:00Z");
    let cases = [
        (
            event("::ffff:192.0.2.1", Some(40001), "2019-03-31T05:35:00Z"),
            true,
            "five minutes later, mapped form",
        ),
        (
            event("192.0.2.1", Some(40001), "2019-03-31T05:25:00Z"),
            true,
            "five minutes earlier",
        ),
        (
            event("192.0.2.1", Some(40001), "2019-03-31T05:35:01Z"),
            false,
            "just outside the window",
        ),
        (
            event("192.0.2.1", Some(40002), "2019-03-31T05:30:00Z"),
            false,
            "another port",
        ),
        (
            event("192.0.2.2", Some(40001), "2019-03-31T05:30:00Z"),
            false,
            "another address",
        ),
        (
            event("192.0.2.1", None, "2019-03-31T05:30:00Z"),
            false,
            "no port",
        ),
    ];
    for (b, expected, why) in cases {
        assert_eq!(
            ip_events_match(&a, &b, DEFAULT_IP_WINDOW),
            expected,
            "{why}"
        );
    }
    let later = event("192.0.2.1", Some(40001), "2019-03-31T05:45:00Z");
    assert!(
        ip_events_match(&a, &later, SignedDuration::from_mins(15)),
        "the window is a parameter"
    );
}

#[test]
fn a_file_seen_with_enough_distinct_subjects_is_likely_viral() {
    assert!(!is_likely_viral(4, DEFAULT_VIRAL_THRESHOLD));
    assert!(is_likely_viral(5, DEFAULT_VIRAL_THRESHOLD));
    assert!(!is_likely_viral(1, 0), "one subject is never viral");
    assert!(is_likely_viral(2, 1));
}

#[test]
fn identifiers_serialise_with_their_kind() {
    let id = Identifier::ScreenName(ScreenName::parse("Kik", "Fox").unwrap());
    let json = serde_json::to_value(&id).unwrap();
    assert_eq!(json["kind"], "screen_name");
    assert_eq!(json["value"]["service"], "kik");
}
