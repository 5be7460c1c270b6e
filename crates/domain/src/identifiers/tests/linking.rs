//! The linking rule (`resolve_link`): which subject a referral joins, what is only suggested, and the
//! basis texts a person reads.

use super::*;
use crate::identifiers::linking::window_text;
use jiff::{SignedDuration, Timestamp};

fn key(id: Identifier) -> LinkKey {
    link_key(PartyRole::Reported, &id).unwrap()
}

fn email(raw: &str) -> LinkKey {
    key(Identifier::Email(Email::parse(raw).unwrap()))
}

fn display_name(raw: &str) -> LinkKey {
    key(Identifier::DisplayName(DisplayName::parse(raw).unwrap()))
}

fn event(addr: &str, port: Option<u16>, at: &str) -> IpEvent {
    IpEvent::new(
        addr.parse().unwrap(),
        port,
        at.parse::<Timestamp>().unwrap(),
    )
}

/// Earlier referrals' subjects by key and their IP events, as a store would look them up.
#[derive(Default)]
struct Earlier {
    keys: Vec<(LinkKey, &'static str)>,
    events: Vec<(IpEvent, &'static str)>,
}

impl Earlier {
    fn resolve(
        &self,
        keys: &[(LinkKey, &str)],
        events: &[(IpEvent, &str)],
    ) -> Resolution<&'static str> {
        resolve_link(
            keys.iter().map(|(k, raw)| (k, *raw)),
            events.iter().map(|(e, raw)| (*e, *raw)),
            |k| {
                self.keys
                    .iter()
                    .filter(move |(seen, _)| seen == k)
                    .map(|(_, s)| *s)
                    .collect::<Vec<_>>()
            },
            // Every event is handed back whatever its address, port or time: the rule must sort them out.
            |_, _| self.events.clone(),
        )
    }
}

#[test]
fn a_victims_or_recipients_identifier_gives_no_link_key() {
    let email = Identifier::Email(Email::parse("shared@example.com").unwrap());
    for role in [PartyRole::Victim, PartyRole::Recipient] {
        assert!(!role.links_referrals(), "{role:?}");
        assert_eq!(
            link_key(role, &email),
            Err(IdentifierError::NotReported(role))
        );
    }
    assert!(PartyRole::Reported.links_referrals());
    assert!(link_key(PartyRole::Reported, &email).is_ok());
}

#[test]
fn party_roles_read_back_from_their_stored_names() {
    for role in [PartyRole::Reported, PartyRole::Victim, PartyRole::Recipient] {
        assert_eq!(role.as_str().parse::<PartyRole>(), Ok(role));
    }
    assert_eq!(
        "Reported".parse::<PartyRole>(),
        Err(IdentifierError::Role("Reported".into()))
    );
}

#[test]
fn a_strong_key_joins_the_earlier_subject() {
    let earlier = Earlier {
        keys: vec![(email("same@example.com"), "S1")],
        ..Default::default()
    };
    let r = earlier.resolve(&[(email("Same@Example.com"), "Same@Example.com")], &[]);
    assert_eq!(r.joined, Some("S1"));
    assert_eq!(r.basis, vec!["email Same@Example.com"]);
    assert!(r.suggestions.is_empty());
}

#[test]
fn with_no_match_the_referral_joins_nothing_and_nothing_is_suggested() {
    let r = Earlier::default().resolve(&[(email("new@example.com"), "new@example.com")], &[]);
    assert_eq!(
        r,
        Resolution {
            joined: None,
            basis: vec![],
            suggestions: vec![],
        }
    );
}

#[test]
fn the_first_strong_key_in_order_then_the_first_subject_is_joined_and_the_others_suggested() {
    let earlier = Earlier {
        keys: vec![
            (email("b@example.com"), "S3"),
            (email("b@example.com"), "S2"),
            (email("a@example.com"), "S1"),
        ],
        ..Default::default()
    };
    let r = earlier.resolve(
        &[
            (email("b@example.com"), "b@example.com"),
            (email("a@example.com"), "a@example.com"),
        ],
        &[],
    );
    assert_eq!(r.joined, Some("S2"), "the first key, then subject order");
    assert_eq!(r.basis, vec!["email b@example.com"]);
    assert_eq!(
        r.suggestions,
        vec![
            ("S1", "email a@example.com".to_string()),
            ("S3", "email b@example.com".to_string()),
        ]
    );
}

#[test]
fn a_weak_key_only_suggests() {
    let earlier = Earlier {
        keys: vec![(display_name("synthetic sam"), "S1")],
        ..Default::default()
    };
    let r = earlier.resolve(&[(display_name("Synthetic Sam"), "Synthetic Sam")], &[]);
    assert_eq!(r.joined, None);
    assert!(r.basis.is_empty());
    assert_eq!(
        r.suggestions,
        vec![("S1", "same display name 'Synthetic Sam'".to_string())]
    );
}

#[test]
fn the_same_address_and_port_within_the_window_suggests() {
    let earlier = Earlier {
        events: vec![(
            event("192.0.2.1", Some(40001), "2019-03-31T05:35:00Z"),
            "S1",
        )],
        ..Default::default()
    };
    let mine = event("192.0.2.1", Some(40001), "2019-03-31T05:30:00Z");
    let r = earlier.resolve(&[], &[(mine, "192.0.2.1")]);
    assert_eq!(r.joined, None);
    assert_eq!(
        r.suggestions,
        vec![("S1", "same IP 192.0.2.1:40001 within 5 minutes".to_string())]
    );
}

#[test]
fn another_port_no_port_or_a_time_outside_the_window_does_not_suggest() {
    let earlier = Earlier {
        events: vec![
            (
                event("192.0.2.1", Some(40002), "2019-03-31T05:30:00Z"),
                "port",
            ),
            (event("192.0.2.1", None, "2019-03-31T05:30:00Z"), "none"),
            (
                event("192.0.2.1", Some(40001), "2019-03-31T05:35:01Z"),
                "late",
            ),
            (
                event("192.0.2.2", Some(40001), "2019-03-31T05:30:00Z"),
                "addr",
            ),
        ],
        ..Default::default()
    };
    let mine = event("192.0.2.1", Some(40001), "2019-03-31T05:30:00Z");
    assert!(
        earlier
            .resolve(&[], &[(mine, "192.0.2.1")])
            .suggestions
            .is_empty()
    );
    let portless = event("192.0.2.1", None, "2019-03-31T05:30:00Z");
    assert!(
        earlier
            .resolve(&[], &[(portless, "192.0.2.1")])
            .suggestions
            .is_empty(),
        "an event without a port matches nothing, not even another without one"
    );
}

#[test]
fn an_ipv4_mapped_address_matches_its_ipv4_form() {
    assert_eq!(
        canonical_ip_text("::ffff:192.0.2.1".parse().unwrap()),
        "192.0.2.1"
    );
    assert_eq!(
        canonical_ip_text("2001:db8::1".parse().unwrap()),
        "2001:db8::1"
    );
    let earlier = Earlier {
        events: vec![(
            event("192.0.2.1", Some(40001), "2019-03-31T05:30:00Z"),
            "S1",
        )],
        ..Default::default()
    };
    let mapped = event("::ffff:192.0.2.1", Some(40001), "2019-03-31T05:34:00Z");
    let r = earlier.resolve(&[], &[(mapped, "::ffff:192.0.2.1")]);
    assert_eq!(
        r.suggestions,
        vec![(
            "S1",
            "same IP ::ffff:192.0.2.1:40001 within 5 minutes".to_string()
        )],
        "the basis quotes the address as received"
    );
}

#[test]
fn each_subject_is_suggested_once_and_never_the_joined_one() {
    let earlier = Earlier {
        keys: vec![
            (email("a@example.com"), "S1"),
            (display_name("sam"), "S1"),
            (display_name("sam"), "S2"),
        ],
        events: vec![
            (event("192.0.2.1", Some(1), "2019-03-31T05:30:00Z"), "S1"),
            (event("192.0.2.1", Some(1), "2019-03-31T05:31:00Z"), "S2"),
        ],
    };
    let r = earlier.resolve(
        &[
            (email("a@example.com"), "a@example.com"),
            (display_name("Sam"), "Sam"),
        ],
        &[(
            event("192.0.2.1", Some(1), "2019-03-31T05:30:30Z"),
            "192.0.2.1",
        )],
    );
    assert_eq!(r.joined, Some("S1"));
    assert_eq!(
        r.suggestions,
        vec![("S2", "same IP 192.0.2.1:1 within 5 minutes".to_string())],
        "sorted by subject then basis, the first basis kept"
    );
}

#[test]
fn basis_texts_name_the_kind_and_quote_the_identifier_as_received() {
    let esp = key(Identifier::EspUserId(
        EspUserId::parse("Snapchat", "U-42").unwrap(),
    ));
    let screen = key(Identifier::ScreenName(
        ScreenName::parse("Snapchat", "Sam_1").unwrap(),
    ));
    let phone = key(Identifier::Phone(Phone::parse("07700 900123").unwrap()));
    let earlier = Earlier {
        keys: vec![
            (esp.clone(), "S1"),
            (phone.clone(), "S1"),
            (screen.clone(), "S2"),
        ],
        ..Default::default()
    };
    let r = earlier.resolve(
        &[(esp, "U-42"), (phone, "07700 900123"), (screen, "Sam_1")],
        &[],
    );
    assert_eq!(r.joined, Some("S1"));
    assert_eq!(r.basis, vec!["esp user id U-42", "phone 07700 900123"]);
    assert_eq!(
        r.suggestions,
        vec![("S2", "same screen name 'Sam_1'".to_string())]
    );
    assert_eq!(window_text(DEFAULT_IP_WINDOW), "5 minutes");
    assert_eq!(window_text(SignedDuration::from_mins(1)), "1 minute");
    assert_eq!(window_text(SignedDuration::from_secs(90)), "90 seconds");
}
