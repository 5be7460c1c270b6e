//! The people of a referral recorded by hand: a victim, a witness or a child with access to the suspect added,
//! what is known of a person corrected, and a person re-categorised (a child who shared their own image is a
//! victim, not a suspect: their identifiers then stop linking). Each change is attributed and logged by the
//! store; reading people is part of the referral's logged consultation.

use crate::access::open_referral;
use crate::supervision::text_field;
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::Processing;
use domain::report_details::{ChildAccess, PersonCategory};
use store::PersonChange;

/// The longest name a person is given.
pub const MAX_NAME: usize = 200;
/// The longest school name.
pub const MAX_SCHOOL: usize = 200;
/// The longest list of identifiers of one kind, as typed.
pub const MAX_IDENTIFIERS: usize = 2_000;
/// The longest notes.
pub const MAX_NOTES: usize = 10_000;
/// The oldest age a person may be given.
pub const MAX_AGE: u16 = 120;

/// What an officer types about a person. A field left `None` keeps what is recorded (for a new person:
/// nothing); `Some("")` clears it.
#[derive(Clone, Debug, Default)]
pub struct PersonInput<'a> {
    /// Given name.
    pub given_name: Option<&'a str>,
    /// Family name.
    pub family_name: Option<&'a str>,
    /// Age in years, as typed.
    pub age: Option<&'a str>,
    /// Date of birth, `YYYY-MM-DD`.
    pub date_of_birth: Option<&'a str>,
    /// School.
    pub school: Option<&'a str>,
    /// Email addresses, one per line or comma-separated.
    pub emails: Option<&'a str>,
    /// Phone numbers, the same.
    pub phones: Option<&'a str>,
    /// Screen names, the same.
    pub screen_names: Option<&'a str>,
    /// How a child with access has it (needed for that category).
    pub access: Option<ChildAccess>,
    /// Anything else.
    pub notes: Option<&'a str>,
}

fn list(value: &str, field: &'static str) -> Result<Vec<String>, Error> {
    let v = text_field(value, field, "person.invalid", MAX_IDENTIFIERS, false)?.unwrap_or_default();
    Ok(v.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect())
}

/// Apply what was typed to a party (the report's own values not typed over are kept as received).
fn apply(party: &mut intake::model::Party, input: &PersonInput) -> Result<(), Error> {
    let name = |v, f, max| text_field(v, f, "person.invalid", max, false);
    if let Some(v) = input.given_name {
        party.person.first_name = name(v, "given_name", MAX_NAME)?;
    }
    if let Some(v) = input.family_name {
        party.person.last_name = name(v, "family_name", MAX_NAME)?;
    }
    if let Some(v) = input.school {
        party.school_name = name(v, "school", MAX_SCHOOL)?;
    }
    if let Some(v) = input.age {
        party.person.age = match v.trim() {
            "" => None,
            a => Some(
                a.parse::<u16>()
                    .ok()
                    .filter(|n| *n <= MAX_AGE)
                    .ok_or_else(|| {
                        Error::invalid_at(
                            "person.invalid",
                            format!("The age is a whole number of years from 0 to {MAX_AGE}."),
                            "age",
                        )
                    })?,
            ),
        };
    }
    if let Some(v) = input.date_of_birth {
        party.person.date_of_birth = match v.trim() {
            "" => None,
            d => {
                let date: jiff::civil::Date = d.parse().map_err(|_| {
                    Error::invalid_at(
                        "person.invalid",
                        format!("'{d}' is not a date (use YYYY-MM-DD, e.g. 2013-04-21)."),
                        "date_of_birth",
                    )
                })?;
                let today = domain::time::in_london(jiff::Timestamp::now()).date();
                if date > today || date.year() < 1900 {
                    return Err(Error::invalid_at(
                        "person.invalid",
                        "The date of birth is in the future or before 1900.",
                        "date_of_birth",
                    ));
                }
                Some(date)
            }
        };
    }
    let contact = |value: String| intake::model::Contact {
        value,
        ..Default::default()
    };
    if let Some(v) = input.emails {
        party.person.emails = list(v, "emails")?.into_iter().map(contact).collect();
    }
    if let Some(v) = input.phones {
        party.person.phones = list(v, "phones")?.into_iter().map(contact).collect();
    }
    if let Some(v) = input.screen_names {
        party.screen_names = list(v, "screen_names")?;
    }
    if let Some(v) = input.notes {
        party.additional_info = text_field(v, "notes", "person.invalid", MAX_NOTES, false)?
            .into_iter()
            .collect();
    }
    Ok(())
}

fn access_for(
    category: PersonCategory,
    access: Option<ChildAccess>,
) -> Result<Option<&'static str>, Error> {
    match (category, access) {
        (PersonCategory::ChildWithAccess, Some(a)) => Ok(Some(a.as_str())),
        (PersonCategory::ChildWithAccess, None) => Err(Error::invalid_at(
            "person.invalid",
            "Say how the child has access to the suspect.",
            "access",
        )),
        _ => Ok(None),
    }
}

/// The safeguarding referrals a child with `access` needs that `existing` (the kinds already started for them)
/// lacks, each with its clock from now.
fn to_start(
    app: &App,
    category: PersonCategory,
    access: Option<&str>,
    existing: &[String],
) -> Vec<(&'static str, domain::clocks::Clock)> {
    let Some(access) = access.and_then(|a| a.parse::<ChildAccess>().ok()) else {
        return vec![];
    };
    if category != PersonCategory::ChildWithAccess {
        return vec![];
    }
    let table = &app.config().timeliness;
    let now = jiff::Timestamp::now();
    domain::safeguarding::referrals_needed(access)
        .into_iter()
        .filter(|k| !existing.iter().any(|e| e == k.as_str()))
        .map(|k| {
            let target = match k {
                domain::safeguarding::SafeguardingKind::SocialCare => table.social_care_referral,
                domain::safeguarding::SafeguardingKind::Lado => table.lado_referral,
            };
            (
                k.as_str(),
                domain::clocks::Clock::start(k.clock(), now, target),
            )
        })
        .collect()
}

async fn started_for(app: &App, r: &domain::Referral, person: &str) -> Result<Vec<String>, Error> {
    Ok(app
        .store()
        .safeguarding_rows(r.id)
        .await?
        .into_iter()
        .filter(|s| s.person_id == person)
        .map(|s| s.kind)
        .collect())
}

fn who(party: &intake::model::Party) -> String {
    party
        .person
        .full_name()
        .unwrap_or_else(|| "a person whose name is not known".into())
}

/// Record a person of `category` by hand.
pub async fn add(
    app: &App,
    actor: &Actor,
    id: &str,
    category: PersonCategory,
    input: &PersonInput<'_>,
) -> Result<String, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::RecordPeople,
        Processing::Alteration,
        "record a person",
    )
    .await?;
    let access = access_for(category, input.access)?;
    let mut party = intake::model::Party::default();
    apply(&mut party, input)?;
    let details = serde_json::to_string(&party).expect("a party serialises");
    let summary = format!("{} recorded: {}", category.label(), who(&party));
    Ok(app
        .store()
        .add_person(
            r.force,
            r.id,
            &PersonChange {
                role: category.role(),
                details: &details,
                access,
                change: "added",
                summary,
                safeguarding: to_start(app, category, access, &[]),
                at: jiff::Timestamp::now(),
            },
            &actor.author(),
        )
        .await?)
}

async fn stored(
    app: &App,
    r: &domain::Referral,
    person_id: &str,
) -> Result<(store::PersonRow, intake::model::Party, PersonCategory), Error> {
    let row = app
        .store()
        .person_rows(r.id)
        .await?
        .into_iter()
        .find(|p| p.id == person_id)
        .ok_or(Error::NotFound)?;
    let party: intake::model::Party = serde_json::from_str(&row.details)
        .map_err(|e| Error::Internal(format!("a stored person cannot be read: {e}")))?;
    let role: domain::identifiers::PartyRole = row
        .role
        .parse()
        .map_err(|_| Error::Internal(format!("a person of unknown role '{}'", row.role)))?;
    Ok((row, party, PersonCategory::of(role)))
}

/// Correct what is known of a person (their category stays).
pub async fn correct(
    app: &App,
    actor: &Actor,
    id: &str,
    person_id: &str,
    input: &PersonInput<'_>,
) -> Result<(), Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::RecordPeople,
        Processing::Alteration,
        "correct a person",
    )
    .await?;
    let (row, mut party, category) = stored(app, &r, person_id).await?;
    let access = match input.access {
        Some(_) => access_for(category, input.access)?,
        None => row
            .access
            .as_deref()
            .and_then(|a| a.parse::<ChildAccess>().ok().map(ChildAccess::as_str)),
    };
    apply(&mut party, input)?;
    let details = serde_json::to_string(&party).expect("a party serialises");
    let summary = format!("{} corrected: {}", category.label(), who(&party));
    app.store()
        .change_person(
            r.force,
            r.id,
            person_id,
            &PersonChange {
                role: category.role(),
                details: &details,
                access,
                change: "corrected",
                summary,
                safeguarding: to_start(
                    app,
                    category,
                    access,
                    &started_for(app, &r, person_id).await?,
                ),
                at: jiff::Timestamp::now(),
            },
            &actor.author(),
        )
        .await?;
    Ok(())
}

/// Re-categorise a person (a reported child becomes a victim): their identifiers move with them, so only a
/// reported person's ever link referrals.
pub async fn recategorise(
    app: &App,
    actor: &Actor,
    id: &str,
    person_id: &str,
    to: PersonCategory,
    access: Option<ChildAccess>,
    reason: &str,
) -> Result<(), Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::RecordPeople,
        Processing::Alteration,
        "re-categorise a person",
    )
    .await?;
    let reason =
        text_field(reason, "reason", "person.invalid", MAX_NOTES, true)?.unwrap_or_default();
    let (_, party, from) = stored(app, &r, person_id).await?;
    if from == to {
        return Err(Error::invalid_at(
            "person.invalid",
            format!("The person is already recorded as: {}.", to.label()),
            "category",
        ));
    }
    let access = access_for(to, access)?;
    let details = serde_json::to_string(&party).expect("a party serialises");
    let summary = format!(
        "{} re-categorised from {} to {}: {reason}",
        who(&party),
        from.label().to_lowercase(),
        to.label().to_lowercase()
    );
    app.store()
        .change_person(
            r.force,
            r.id,
            person_id,
            &PersonChange {
                role: to.role(),
                details: &details,
                access,
                change: "recategorised",
                summary,
                safeguarding: to_start(app, to, access, &started_for(app, &r, person_id).await?),
                at: jiff::Timestamp::now(),
            },
            &actor.author(),
        )
        .await?;
    Ok(())
}
