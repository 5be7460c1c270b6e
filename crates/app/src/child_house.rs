//! The Child House: a child victim whose borough it serves is referred; their Achieving Best Evidence
//! interviews, medical examination and therapy are recorded; and each child's measures (interviews, days to
//! the first interview, to the medical and to therapy, a repeat interview) are worked out by `domain`.

use crate::access::{open_referral, read_referral};
use crate::supervision::text_field;
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::Processing;
use domain::child_house::{ChildMeasures, InterviewPlace, eligible, measures, serves};
use domain::report_details::PersonCategory;
use jiff::Timestamp;

/// A child's Child House referral as a page or the API shows it.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildHouseView {
    /// Its id.
    pub id: String,
    /// The child's id.
    pub person_id: String,
    /// When the child was referred (RFC 3339).
    pub referred_at: String,
    /// Who referred them.
    pub referred_by: Option<String>,
    /// Aged 18 to 25 with a learning disability.
    pub learning_disability: bool,
    /// The interviews, oldest first.
    pub interviews: Vec<InterviewView>,
    /// The medical examination (RFC 3339).
    pub medical_at: Option<String>,
    /// The start of therapy (RFC 3339).
    pub therapy_started_at: Option<String>,
    /// The child's measures.
    pub measures: ChildMeasures,
}

/// An Achieving Best Evidence interview.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterviewView {
    /// When (RFC 3339).
    pub at: String,
    /// Where.
    pub place: InterviewPlace,
    /// Who interviewed.
    pub interviewer: String,
    /// Whether an intermediary was used.
    pub intermediary: bool,
    /// Whether it repeated an earlier interview.
    pub repeat: bool,
}

fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The referral's Child House referrals with their measures.
pub async fn of(app: &App, r: &domain::Referral) -> Result<Vec<ChildHouseView>, Error> {
    Ok(app
        .store()
        .child_house_rows(r.id)
        .await?
        .into_iter()
        .map(|c| {
            let times: Vec<(Timestamp, bool)> =
                c.interviews.iter().map(|i| (i.at, i.repeat)).collect();
            ChildHouseView {
                measures: measures(c.referred_at, &times, c.medical_at, c.therapy_started_at),
                interviews: c
                    .interviews
                    .iter()
                    .map(|i| InterviewView {
                        at: rfc3339(i.at),
                        place: i.place.parse().unwrap_or(InterviewPlace::Other),
                        interviewer: i.interviewer.clone(),
                        intermediary: i.intermediary,
                        repeat: i.repeat,
                    })
                    .collect(),
                id: c.id,
                person_id: c.person_id,
                referred_at: rfc3339(c.referred_at),
                referred_by: c.referred_by,
                learning_disability: c.learning_disability,
                medical_at: c.medical_at.map(rfc3339),
                therapy_started_at: c.therapy_started_at.map(rfc3339),
            }
        })
        .collect())
}

/// A referral's Child House referrals (a logged consultation).
pub async fn list(app: &App, actor: &Actor, id: &str) -> Result<Vec<ChildHouseView>, Error> {
    let r = read_referral(app, actor, id, "read child house referrals").await?;
    of(app, &r).await
}

fn when(
    at: Option<Timestamp>,
    r: &domain::Referral,
    field: &'static str,
) -> Result<Timestamp, Error> {
    let now = Timestamp::now();
    let at = at.unwrap_or(now);
    if at > now + jiff::SignedDuration::from_mins(5) || at < r.received_at {
        return Err(Error::invalid_at(
            "child_house.invalid",
            "The time is in the future or before the referral was received.",
            field,
        ));
    }
    Ok(at)
}

/// Refer a child victim to the Child House.
pub async fn refer(
    app: &App,
    actor: &Actor,
    id: &str,
    person_id: &str,
    learning_disability: bool,
    at: Option<Timestamp>,
) -> Result<Vec<ChildHouseView>, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::RecordPeople,
        Processing::Alteration,
        "refer to the child house",
    )
    .await?;
    let at = when(at, &r, "referred_at")?;
    let person = crate::referrals::people(app, actor, id)
        .await?
        .into_iter()
        .find(|p| p.id.as_deref() == Some(person_id))
        .ok_or(Error::NotFound)?;
    let refused = |e: domain::child_house::NotEligible, field| {
        Error::invalid_at(
            "child_house.not_eligible",
            crate::referrals::capitalise(&e.to_string()) + ".",
            field,
        )
    };
    if person.category != PersonCategory::Victim {
        return Err(refused(
            domain::child_house::NotEligible::NotVictim,
            "person",
        ));
    }
    eligible(person.age, learning_disability).map_err(|e| refused(e, "learning_disability"))?;
    let borough = r.borough.clone().unwrap_or_default();
    if !serves(&borough, domain::time::in_london(at).date()) {
        let name = if borough.is_empty() {
            "a referral with no borough".to_string()
        } else {
            borough
        };
        return Err(refused(
            domain::child_house::NotEligible::Borough(name),
            "person",
        ));
    }
    let name = person
        .name
        .clone()
        .unwrap_or_else(|| "a child victim".into());
    app.store()
        .refer_to_child_house(
            r.force,
            r.id,
            person_id,
            at,
            learning_disability,
            format!("Referred to the Child House: {name}"),
            &actor.author(),
        )
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict => Error::AlreadyDone {
                code: "child_house.already_referred",
                message: "This child is already referred to the Child House.".into(),
            },
            other => other.into(),
        })?;
    of(app, &r).await
}

/// An interview as typed.
pub struct Interview<'a> {
    /// When (default now).
    pub at: Option<Timestamp>,
    /// Where.
    pub place: InterviewPlace,
    /// Who interviewed (at most 200 characters).
    pub interviewer: &'a str,
    /// Whether an intermediary was used.
    pub intermediary: bool,
    /// Whether it repeated an earlier interview.
    pub repeat: bool,
}

async fn referral_of(
    app: &App,
    r: &domain::Referral,
    child_house: &str,
) -> Result<store::ChildHouseRow, Error> {
    app.store()
        .child_house_rows(r.id)
        .await?
        .into_iter()
        .find(|c| c.id == child_house)
        .ok_or(Error::NotFound)
}

/// Record an Achieving Best Evidence interview.
pub async fn interview(
    app: &App,
    actor: &Actor,
    id: &str,
    child_house: &str,
    i: &Interview<'_>,
) -> Result<Vec<ChildHouseView>, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::RecordPeople,
        Processing::Alteration,
        "record an interview",
    )
    .await?;
    let c = referral_of(app, &r, child_house).await?;
    let at = when(i.at, &r, "at")?;
    let interviewer = text_field(
        i.interviewer,
        "interviewer",
        "child_house.invalid",
        200,
        true,
    )?
    .unwrap_or_default();
    let summary = format!(
        "Achieving Best Evidence interview at {}{}{}",
        i.place.label().to_lowercase(),
        if i.intermediary {
            ", with an intermediary"
        } else {
            ""
        },
        if i.repeat || !c.interviews.is_empty() {
            " (a repeat interview)"
        } else {
            ""
        }
    );
    app.store()
        .record_interview(
            r.force,
            r.id,
            child_house,
            &store::NewInterview {
                at,
                place: i.place.as_str(),
                interviewer: &interviewer,
                intermediary: i.intermediary,
                repeat: i.repeat || !c.interviews.is_empty(),
            },
            summary,
            &actor.author(),
        )
        .await?;
    of(app, &r).await
}

/// Record the medical examination (`medical`) or the start of therapy, once each.
pub async fn date(
    app: &App,
    actor: &Actor,
    id: &str,
    child_house: &str,
    medical: bool,
    at: Option<Timestamp>,
) -> Result<Vec<ChildHouseView>, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::RecordPeople,
        Processing::Alteration,
        "record a child house date",
    )
    .await?;
    referral_of(app, &r, child_house).await?;
    let at = when(at, &r, "at")?;
    let what = if medical {
        "Medical examination"
    } else {
        "Therapy started"
    };
    app.store()
        .record_child_house_date(
            r.force,
            r.id,
            child_house,
            medical,
            at,
            format!("{what} (Child House)"),
            &actor.author(),
        )
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict => Error::AlreadyDone {
                code: "child_house.already_recorded",
                message: format!("{what} is already recorded."),
            },
            other => other.into(),
        })?;
    of(app, &r).await
}
