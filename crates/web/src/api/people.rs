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

/// What is known of a person, as typed (every field optional; lists one per line or comma-separated).
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct PersonBody {
    /// The category (for a new person).
    category: Option<PersonCategory>,
    /// Given name (at most 200 characters).
    given_name: String,
    /// Family name (at most 200 characters).
    family_name: String,
    /// Age in years (0 to 120).
    age: Option<u16>,
    /// Date of birth, `YYYY-MM-DD`.
    date_of_birth: String,
    /// School.
    school: String,
    /// Email addresses.
    emails: String,
    /// Phone numbers.
    phones: String,
    /// Screen names.
    screen_names: String,
    /// How a child with access has it (needed for `child_with_access`).
    access: Option<ChildAccess>,
    /// Anything else (at most 10,000 characters).
    notes: String,
}

impl PersonBody {
    fn input<'a>(&'a self, age: &'a str) -> PersonInput<'a> {
        PersonInput {
            given_name: &self.given_name,
            family_name: &self.family_name,
            age,
            date_of_birth: &self.date_of_birth,
            school: &self.school,
            emails: &self.emails,
            phones: &self.phones,
            screen_names: &self.screen_names,
            access: self.access,
            notes: &self.notes,
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
    let age = b.age.map(|a| a.to_string()).unwrap_or_default();
    let input = b.input(&age);
    ops::add(&s.app, &ctx, &id, category, &input).await?;
    Ok((StatusCode::CREATED, all(&s, &ctx, &id).await?))
}

/// Correct what is known of a person (the fields given replace those typed before; the report's other
/// values are kept as received).
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
    let age = b.age.map(|a| a.to_string()).unwrap_or_default();
    let input = b.input(&age);
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
