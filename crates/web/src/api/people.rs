//! `/api/v1/referrals/{id}/people`: the people of a referral by category, a person recorded by hand (a victim,
//! a witness, a child with access to the suspect), a correction, and a re-categorisation.

use crate::AppState;
use crate::api::model::ErrorBody;
use crate::api::{ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use app::people::{self as ops, PersonInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::report_details::{ChildAccess, PersonCategory, PersonInReport};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A referral's people.
#[derive(Serialize, ToSchema)]
pub struct People {
    /// By category: the reported person, victims, intended recipients, witnesses, children with access.
    items: Vec<PersonInReport>,
}

/// What is known of a person, as typed (lists one per line or comma-separated). A field left out keeps what is
/// recorded; an empty one clears it.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PersonBody {
    /// The category (for a new person).
    category: Option<PersonCategory>,
    /// Given name (at most 200 characters).
    given_name: Option<String>,
    /// Family name (at most 200 characters).
    family_name: Option<String>,
    /// Age in years (0 to 120).
    age: Option<u16>,
    /// Date of birth, `YYYY-MM-DD`.
    date_of_birth: Option<String>,
    /// School.
    school: Option<String>,
    /// Email addresses.
    emails: Option<String>,
    /// Phone numbers.
    phones: Option<String>,
    /// Screen names.
    screen_names: Option<String>,
    /// How a child with access has it (needed for `child_with_access`).
    access: Option<ChildAccess>,
    /// Anything else (at most 10,000 characters).
    notes: Option<String>,
}

impl PersonBody {
    fn input<'a>(&'a self, age: Option<&'a str>) -> PersonInput<'a> {
        PersonInput {
            given_name: self.given_name.as_deref(),
            family_name: self.family_name.as_deref(),
            age,
            date_of_birth: self.date_of_birth.as_deref(),
            school: self.school.as_deref(),
            emails: self.emails.as_deref(),
            phones: self.phones.as_deref(),
            screen_names: self.screen_names.as_deref(),
            access: self.access,
            notes: self.notes.as_deref(),
        }
    }
}

/// Body of `POST /referrals/{id}/people/{person}/category`.
#[derive(Deserialize, ToSchema)]
pub struct CategoryBody {
    /// The new category.
    category: PersonCategory,
    /// How a child with access has it (needed for `child_with_access`).
    #[serde(default)]
    access: Option<ChildAccess>,
    /// Why (a child who shared their own image is a victim, not a suspect).
    reason: String,
}

async fn all(s: &AppState, ctx: &crate::Ctx, id: &str) -> ApiResult<Json<People>> {
    Ok(Json(People {
        items: app::referrals::people(&s.app, ctx, id).await?,
    }))
}

/// A referral's people by category, each with what is known (a logged consultation).
#[utoipa::path(get, operation_id = "getPeople", path = "/referrals/{id}/people", tag = "people",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral's people", body = People),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn list(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<People>> {
    all(&s, &ctx, &id).await
}

/// Record a person by hand: a victim, an intended recipient, a witness or a child with access to the suspect
/// (with `access`). A hand-recorded person's identifiers never link referrals.
#[utoipa::path(post, operation_id = "addPerson", path = "/referrals/{id}/people", tag = "people",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = PersonBody,
    responses(
        (status = 201, description = "The referral's people, the new one included", body = People),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral is closed", body = ErrorBody),
        (status = 422, description = "No category, a child with no access, a field too long or not a date", body = ErrorBody),
    ))]
pub async fn add(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<PersonBody>,
) -> ApiResult<(StatusCode, Json<People>)> {
    let b = body(b)?;
    let category = b.category.ok_or_else(|| {
        app::Error::invalid_at("person.invalid", "Give the person's category.", "category")
    })?;
    let age = b.age.map(|a| a.to_string());
    let input = b.input(age.as_deref());
    ops::add(&s.app, &ctx, &id, category, &input).await?;
    Ok((StatusCode::CREATED, all(&s, &ctx, &id).await?))
}

/// Correct what is known of a person: the fields given replace what is recorded (an empty one clears it);
/// those left out, and the report's other values, are kept.
#[utoipa::path(post, operation_id = "correctPerson", path = "/referrals/{id}/people/{person}", tag = "people",
    params(("id" = String, Path, description = "The referral's id"), ("person" = String, Path, description = "The person's id")),
    request_body = PersonBody,
    responses(
        (status = 200, description = "The referral's people", body = People),
        (status = 404, description = "No such referral or person in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral is closed", body = ErrorBody),
        (status = 422, description = "A field too long or not a date", body = ErrorBody),
    ))]
pub async fn correct(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, person)): Path<(String, String)>,
    b: JsonBody<PersonBody>,
) -> ApiResult<Json<People>> {
    let b = body(b)?;
    let age = b.age.map(|a| a.to_string());
    let input = b.input(age.as_deref());
    ops::correct(&s.app, &ctx, &id, &person, &input).await?;
    all(&s, &ctx, &id).await
}

/// Re-categorise a person, with a reason: a reported child who shared their own image becomes a victim, and
/// their identifiers stop linking referrals.
#[utoipa::path(post, operation_id = "recategorisePerson", path = "/referrals/{id}/people/{person}/category", tag = "people",
    params(("id" = String, Path, description = "The referral's id"), ("person" = String, Path, description = "The person's id")),
    request_body = CategoryBody,
    responses(
        (status = 200, description = "The referral's people", body = People),
        (status = 404, description = "No such referral or person in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral is closed", body = ErrorBody),
        (status = 422, description = "The same category, no reason, or a child with no access", body = ErrorBody),
    ))]
pub async fn recategorise(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, person)): Path<(String, String)>,
    b: JsonBody<CategoryBody>,
) -> ApiResult<Json<People>> {
    let b = body(b)?;
    ops::recategorise(&s.app, &ctx, &id, &person, b.category, b.access, &b.reason).await?;
    all(&s, &ctx, &id).await
}

/// A referral's safeguarding referrals.
#[derive(Serialize, ToSchema)]
pub struct Safeguarding {
    /// One per referral each child with access needs.
    items: Vec<app::safeguarding::SafeguardingView>,
}

/// Body of `POST /referrals/{id}/people/{person}/safeguarding/{kind}`: the referral made, or not needed.
#[derive(Deserialize, ToSchema)]
pub struct SafeguardingBody {
    /// The local authority's code (`camden`); required unless `not_needed_reason` is given.
    #[serde(default)]
    authority: String,
    /// When it was made (RFC 3339; default now).
    #[schema(format = DateTime)]
    #[serde(default)]
    made_at: Option<String>,
    /// The authority's reference.
    #[serde(default)]
    authority_reference: String,
    /// The strategy discussion's date (`YYYY-MM-DD`), if one was held.
    #[serde(default)]
    strategy_discussion_on: String,
    /// Why no referral is needed (instead of making one).
    #[serde(default)]
    not_needed_reason: String,
    /// A reason code (and words) when it was made after its due time.
    #[serde(default)]
    late_reason: Option<crate::api::supervision::LateReasonBody>,
}

/// A referral's safeguarding referrals: for each child with access, the children's social care referral (and
/// the LADO's where the access is through work), each with its clock.
#[utoipa::path(get, operation_id = "getSafeguarding", path = "/referrals/{id}/safeguarding", tag = "people",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral's safeguarding referrals", body = Safeguarding),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn safeguarding(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Safeguarding>> {
    Ok(Json(Safeguarding {
        items: app::safeguarding::list(&s.app, &ctx, &id).await?,
    }))
}

/// Record a child's social care (`social_care`) or LADO (`lado`) referral as made — the local authority,
/// when, its reference, the strategy discussion — or as not needed with a reason. Made after its due time, it
/// needs a reason code.
#[utoipa::path(post, operation_id = "recordSafeguarding", path = "/referrals/{id}/people/{person}/safeguarding/{kind}", tag = "people",
    params(("id" = String, Path, description = "The referral's id"), ("person" = String, Path, description = "The child's id"),
           ("kind" = String, Path, description = "`social_care` or `lado`")),
    request_body = SafeguardingBody,
    responses(
        (status = 200, description = "The referral's safeguarding referrals", body = Safeguarding),
        (status = 404, description = "No such referral, child or referral needed in the caller's scope", body = ErrorBody),
        (status = 409, description = "Already recorded, or the referral is closed", body = ErrorBody),
        (status = 422, description = "No authority, a time in the future, or late without a reason code", body = ErrorBody),
    ))]
pub async fn record_safeguarding(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, person, kind)): Path<(String, String, String)>,
    b: JsonBody<SafeguardingBody>,
) -> ApiResult<Json<Safeguarding>> {
    let b = body(b)?;
    let kind: domain::safeguarding::SafeguardingKind =
        kind.parse().map_err(|_| app::Error::NotFound)?;
    let made_at = match &b.made_at {
        None => None,
        Some(t) => Some(t.parse::<jiff::Timestamp>().map_err(|_| {
            app::Error::invalid_at(
                "safeguarding.invalid",
                format!("'{t}' is not a date and time with a time zone"),
                "made_at",
            )
        })?),
    };
    let made = app::safeguarding::Made {
        authority: &b.authority,
        made_at,
        authority_reference: &b.authority_reference,
        strategy_discussion_on: &b.strategy_discussion_on,
        not_needed_reason: &b.not_needed_reason,
        late: b.late_reason.map(Into::into),
    };
    Ok(Json(Safeguarding {
        items: app::safeguarding::record(&s.app, &ctx, &id, &person, kind, &made).await?,
    }))
}

/// A referral's Child House referrals.
#[derive(Serialize, ToSchema)]
pub struct ChildHouse {
    /// One per child referred, with interviews and measures.
    items: Vec<app::child_house::ChildHouseView>,
}

fn time(v: &Option<String>, field: &'static str) -> Result<Option<jiff::Timestamp>, app::Error> {
    match v {
        None => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|_| {
            app::Error::invalid_at(
                "child_house.invalid",
                format!("'{t}' is not a date and time with a time zone"),
                field,
            )
        }),
    }
}

/// Body of `POST /referrals/{id}/people/{person}/child-house`.
#[derive(Deserialize, ToSchema)]
pub struct ReferBody {
    /// Aged 18 to 25 with a learning disability.
    #[serde(default)]
    learning_disability: bool,
    /// When the child was referred (RFC 3339; default now).
    #[serde(default)]
    #[schema(format = DateTime)]
    referred_at: Option<String>,
}

/// Body of `POST /referrals/{id}/child-house/{child}/interviews`.
#[derive(Deserialize, ToSchema)]
pub struct InterviewBody {
    /// When (RFC 3339; default now).
    #[serde(default)]
    #[schema(format = DateTime)]
    at: Option<String>,
    /// Where.
    place: domain::child_house::InterviewPlace,
    /// Who interviewed (at most 200 characters).
    interviewer: String,
    /// Whether an intermediary was used.
    #[serde(default)]
    intermediary: bool,
    /// Whether it repeated an earlier interview (any second interview is one).
    #[serde(default)]
    repeat: bool,
}

/// Body of `POST /referrals/{id}/child-house/{child}/medical` and `…/therapy`.
#[derive(Deserialize, ToSchema)]
pub struct DateBody {
    /// When (RFC 3339; default now).
    #[serde(default)]
    #[schema(format = DateTime)]
    at: Option<String>,
}

/// A referral's Child House referrals, each with its interviews and measures.
#[utoipa::path(get, operation_id = "getChildHouse", path = "/referrals/{id}/child-house", tag = "people",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral's Child House referrals", body = ChildHouse),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn child_house(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<ChildHouse>> {
    Ok(Json(ChildHouse {
        items: app::child_house::list(&s.app, &ctx, &id).await?,
    }))
}

/// Refer a child victim to the Child House: under 18, or 18 to 25 with a learning disability, living in a
/// borough it serves.
#[utoipa::path(post, operation_id = "referToChildHouse", path = "/referrals/{id}/people/{person}/child-house", tag = "people",
    params(("id" = String, Path, description = "The referral's id"), ("person" = String, Path, description = "The child victim's id")),
    request_body = ReferBody,
    responses(
        (status = 201, description = "The referral's Child House referrals", body = ChildHouse),
        (status = 404, description = "No such referral or person in the caller's scope", body = ErrorBody),
        (status = 409, description = "Already referred, or the referral is closed", body = ErrorBody),
        (status = 422, description = "Not a child victim, too old, or a borough the Child House does not serve", body = ErrorBody),
    ))]
pub async fn refer(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, person)): Path<(String, String)>,
    b: JsonBody<ReferBody>,
) -> ApiResult<(StatusCode, Json<ChildHouse>)> {
    let b = body(b)?;
    let at = time(&b.referred_at, "referred_at")?;
    let items =
        app::child_house::refer(&s.app, &ctx, &id, &person, b.learning_disability, at).await?;
    Ok((StatusCode::CREATED, Json(ChildHouse { items })))
}

/// Record an Achieving Best Evidence interview of a child referred to the Child House.
#[utoipa::path(post, operation_id = "recordInterview", path = "/referrals/{id}/child-house/{child}/interviews", tag = "people",
    params(("id" = String, Path, description = "The referral's id"), ("child" = String, Path, description = "The Child House referral's id")),
    request_body = InterviewBody,
    responses(
        (status = 201, description = "The referral's Child House referrals", body = ChildHouse),
        (status = 404, description = "No such referral or Child House referral in the caller's scope", body = ErrorBody),
        (status = 422, description = "No interviewer, or a time in the future", body = ErrorBody),
    ))]
pub async fn interview(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, child)): Path<(String, String)>,
    b: JsonBody<InterviewBody>,
) -> ApiResult<(StatusCode, Json<ChildHouse>)> {
    let b = body(b)?;
    let at = time(&b.at, "at")?;
    let i = app::child_house::Interview {
        at,
        place: b.place,
        interviewer: &b.interviewer,
        intermediary: b.intermediary,
        repeat: b.repeat,
    };
    let items = app::child_house::interview(&s.app, &ctx, &id, &child, &i).await?;
    Ok((StatusCode::CREATED, Json(ChildHouse { items })))
}

/// Record the medical examination of a child referred to the Child House (once).
#[utoipa::path(post, operation_id = "recordMedical", path = "/referrals/{id}/child-house/{child}/medical", tag = "people",
    params(("id" = String, Path, description = "The referral's id"), ("child" = String, Path, description = "The Child House referral's id")),
    request_body = DateBody,
    responses(
        (status = 200, description = "The referral's Child House referrals", body = ChildHouse),
        (status = 404, description = "No such referral or Child House referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "Already recorded", body = ErrorBody),
    ))]
pub async fn medical(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, child)): Path<(String, String)>,
    b: JsonBody<DateBody>,
) -> ApiResult<Json<ChildHouse>> {
    let b = body(b)?;
    let at = time(&b.at, "at")?;
    Ok(Json(ChildHouse {
        items: app::child_house::date(&s.app, &ctx, &id, &child, true, at).await?,
    }))
}

/// Record the start of therapy of a child referred to the Child House (once).
#[utoipa::path(post, operation_id = "recordTherapy", path = "/referrals/{id}/child-house/{child}/therapy", tag = "people",
    params(("id" = String, Path, description = "The referral's id"), ("child" = String, Path, description = "The Child House referral's id")),
    request_body = DateBody,
    responses(
        (status = 200, description = "The referral's Child House referrals", body = ChildHouse),
        (status = 404, description = "No such referral or Child House referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "Already recorded", body = ErrorBody),
    ))]
pub async fn therapy(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, child)): Path<(String, String)>,
    b: JsonBody<DateBody>,
) -> ApiResult<Json<ChildHouse>> {
    let b = body(b)?;
    let at = time(&b.at, "at")?;
    Ok(Json(ChildHouse {
        items: app::child_house::date(&s.app, &ctx, &id, &child, false, at).await?,
    }))
}
