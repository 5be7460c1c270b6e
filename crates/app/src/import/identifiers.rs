//! The identifiers of a report's people, normalised by `domain::identifiers`. Every party's are kept (as
//! their own category); whether one may link is `domain`'s rule, applied when the row is made, so only the
//! reported person's ever do. An identifier that cannot be normalised (a malformed phone number) gets no
//! row: it stays, as received, in the report's original and its people's details.

use domain::identifiers::{self as ids, Identifier, PartyRole};
use intake::model::Party;
use store::IdentifierRow;

fn rows(role: PartyRole, p: &Party, platform: Option<&str>, out: &mut Vec<IdentifierRow>) {
    // A party that names no service of its own is on the report's platform.
    let service = p
        .esp_service
        .as_deref()
        .or(platform)
        .unwrap_or_default()
        .to_string();
    let mut push = |raw: &str, parsed: Result<Identifier, ids::IdentifierError>| {
        if let Ok(id) = parsed {
            out.push(IdentifierRow::new(role, &id, raw));
        }
    };
    for e in &p.person.emails {
        push(&e.value, ids::Email::parse(&e.value).map(Identifier::Email));
    }
    for ph in &p.person.phones {
        push(
            &ph.value,
            ids::Phone::parse(&ph.value).map(Identifier::Phone),
        );
    }
    for s in &p.screen_names {
        push(
            s,
            ids::ScreenName::parse(&service, s).map(Identifier::ScreenName),
        );
    }
    for e in &p.esp_identifiers {
        push(
            e,
            ids::EspUserId::parse(&service, e).map(Identifier::EspUserId),
        );
    }
    for d in &p.display_names {
        push(d, ids::DisplayName::parse(d).map(Identifier::DisplayName));
    }
}

/// Every identifier of the report, each with the index of its person in the order `rows::people` stores
/// them (reported people, then victims, then intended recipients).
pub fn of(r: &intake::Report) -> Vec<IdentifierRow> {
    let mut out = vec![];
    let platform = r.details.platform.as_deref();
    let parties = r
        .reported
        .iter()
        .map(|p| (PartyRole::Reported, p))
        .chain(r.victims.iter().map(|p| (PartyRole::Victim, p)))
        .chain(
            r.intended_recipients
                .iter()
                .map(|p| (PartyRole::Recipient, p)),
        );
    for (index, (role, p)) in parties.enumerate() {
        let mut mine = vec![];
        rows(role, p, platform, &mut mine);
        out.extend(mine.into_iter().map(|i| i.of_person(index)));
    }
    out
}
