//! Properties over generated input: normalising twice changes nothing; case and spacing variants of one
//! identifier normalise equal; different services never produce the same key.

use super::*;
use proptest::prelude::*;

/// Surrounding whitespace of a few kinds.
fn pad() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![Just(' '), Just('\t'), Just('\n'), Just('\u{a0}')],
        0..3,
    )
    .prop_map(|c| c.into_iter().collect())
}

/// Flips the ASCII case of letters where `flips` says so.
fn recase(s: &str, flips: &[bool]) -> String {
    s.chars()
        .zip(flips.iter().cycle())
        .map(|(c, &f)| {
            if f {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

proptest! {
    #[test]
    fn normalising_an_email_twice_changes_nothing(raw in "\\PC{0,30}") {
        if let Ok(e) = Email::parse(&raw) {
            prop_assert_eq!(Email::parse(e.as_str()).unwrap(), e);
        }
    }

    #[test]
    fn case_and_spacing_variants_of_an_email_normalise_equal(
        local in "[a-z0-9._+-]{1,12}", domain in "[a-z0-9-]{1,10}\\.[a-z]{2,4}",
        flips in prop::collection::vec(any::<bool>(), 1..8), before in pad(), after in pad(),
    ) {
        let plain = format!("{local}@{domain}");
        let variant = format!("{before}{}{after}", recase(&plain, &flips));
        prop_assert_eq!(Email::parse(&variant).unwrap(), Email::parse(&plain).unwrap());
    }

    #[test]
    fn normalising_a_phone_number_twice_changes_nothing(raw in "[+0-9 ()./-]{0,24}") {
        if let Ok(p) = Phone::parse(&raw) {
            prop_assert_eq!(Phone::parse(p.as_str()).unwrap(), p);
        }
    }

    #[test]
    fn spacing_variants_of_a_uk_mobile_normalise_equal(
        rest in "[0-9]{9}", seps in prop::collection::vec(prop_oneof![Just(""), Just(" "), Just("-")], 10),
        prefix in prop_oneof![Just("07"), Just("+447"), Just("00447"), Just("+44 (0)7"), Just("+44 07")],
    ) {
        let spaced: String = rest.chars().zip(&seps).map(|(c, s)| format!("{c}{s}")).collect();
        let written = format!("{prefix}{spaced}");
        let phone = Phone::parse(&written).unwrap();
        prop_assert_eq!(phone.as_str(), format!("+447{rest}"));
    }

    #[test]
    fn normalising_text_identifiers_twice_changes_nothing(service in "\\PC{1,12}", value in "\\PC{1,20}") {
        if let Ok(d) = DisplayName::parse(&value) {
            prop_assert_eq!(DisplayName::parse(d.as_str()).unwrap(), d);
        }
        if let Ok(s) = ScreenName::parse(&service, &value) {
            prop_assert_eq!(ScreenName::parse(s.service.as_str(), &s.name).unwrap(), s);
        }
        if let Ok(e) = EspUserId::parse(&service, &value) {
            prop_assert_eq!(EspUserId::parse(e.service.as_str(), &e.id).unwrap(), e);
        }
    }

    #[test]
    fn different_services_never_collide(a in "[a-zA-Z:% ]{1,8}", b in "[a-zA-Z:% ]{1,8}", x in "[a-z:%]{1,6}", y in "[a-z:%]{1,6}") {
        let (Ok(ka), Ok(kb)) = (EspUserId::parse(&a, &x), EspUserId::parse(&b, &y)) else { return Ok(()) };
        if ka.service != kb.service || ka.id != kb.id {
            prop_assert_ne!(ka.scoped(), kb.scoped());
        }
        let (Ok(sa), Ok(sb)) = (ScreenName::parse(&a, &x), ScreenName::parse(&b, &y)) else { return Ok(()) };
        if sa.service != sb.service || sa.name != sb.name {
            prop_assert_ne!(sa.scoped(), sb.scoped());
        }
    }
}
