//! `/api/v1/referrals/{id}/offence` and `/plan`: the offence with its methods, and the investigation plan's
//! actions (complete, set aside with a reason, add one due on a date).

use crate::AppState;
use crate::api::model::{ErrorBody, ReferralView};
use crate::api::{ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use crate::error::Error;
use app::plans::{self as ops, ActionView};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::offence::Offence;
use domain::plans::Doer;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Body of `POST /referrals/{id}/offence`.
#[derive(Deserialize, ToSchema)]
pub struct OffenceBody {
    /// The offence.
    offence: Offence,
    /// Sextortion was the method.
    #[serde(default)]
    sextortion: bool,
    /// Live-streaming was the method.
    #[serde(default)]
    live_streaming: bool,
    /// The version the change is based on.
    version: i64,
}

/// Record (confirm) the offence, with sextortion and live-streaming as methods beside it.
#[utoipa::path(post, operation_id = "recordOffence", path = "/referrals/{id}/offence", tag = "plans",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = OffenceBody,
    responses(
        (status = 200, description = "The referral with its offence", body = ReferralView),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral changed since `version`, or is closed", body = ErrorBody),
    ))]
pub async fn offence(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<OffenceBody>,
) -> ApiResult<Json<ReferralView>> {
    let b = body(b)?;
    let r = ops::classify(
        &s.app,
        &ctx,
        &id,
        b.version,
        b.offence,
        b.sextortion,
        b.live_streaming,
    )
    .await?;
    Ok(Json(ReferralView::now(&r)))
}

/// A referral's investigation plan.
#[derive(Serialize, ToSchema)]
pub struct Plan {
    /// Its actions, in order.
    items: Vec<ActionView>,
}

/// The referral's investigation plan: each action with who does it, its guidance and its clock.
#[utoipa::path(get, operation_id = "getPlan", path = "/referrals/{id}/plan", tag = "plans",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The plan", body = Plan),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn plan(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Plan>> {
    Ok(Json(Plan {
        items: ops::plan(&s.app, &ctx, &id).await?,
    }))
}

/// Body of `POST /referrals/{id}/plan/actions`.
#[derive(Deserialize, ToSchema)]
pub struct AddActionBody {
    /// What to do.
    title: String,
    /// Who does it.
    who: Doer,
    /// When it is due (RFC 3339, with a zone).
    #[schema(format = DateTime)]
    due_at: String,
    /// Guidance (optional).
    #[serde(default)]
    guidance: String,
}

/// Add an action to the plan, due on a date.
#[utoipa::path(post, operation_id = "addPlanAction", path = "/referrals/{id}/plan/actions", tag = "plans",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = AddActionBody,
    responses(
        (status = 201, description = "The plan with the new action", body = Plan),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
        (status = 422, description = "No title, a due time that is not in the future", body = ErrorBody),
    ))]
pub async fn add(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<AddActionBody>,
) -> ApiResult<(StatusCode, Json<Plan>)> {
    let b = body(b)?;
    let due_at: jiff::Timestamp = b.due_at.parse().map_err(|_| Error::Invalid {
        code: "plan.invalid",
        message: format!("'{}' is not a date and time with a time zone", b.due_at),
        location: Some("due_at".into()),
    })?;
    let items = ops::add(
        &s.app,
        &ctx,
        &id,
        ops::NewAction {
            title: &b.title,
            who: b.who,
            due_at,
            guidance: &b.guidance,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Plan { items })))
}

/// Why an action is late.
#[derive(Deserialize, ToSchema)]
pub struct LateBody {
    /// One of the force's reason codes.
    pub(crate) code: String,
    /// The officer's words (never in figures).
    #[serde(default)]
    pub(crate) text: String,
}

/// Body of `POST /referrals/{id}/plan/actions/{action}/complete`.
#[derive(Deserialize, ToSchema)]
pub struct CompleteBody {
    /// Required when the action is overdue.
    #[serde(default)]
    late_reason: Option<LateBody>,
}

/// Complete an action (one done after its due time needs a reason code).
#[utoipa::path(post, operation_id = "completePlanAction", path = "/referrals/{id}/plan/actions/{action}/complete", tag = "plans",
    params(("id" = String, Path, description = "The referral's id"), ("action" = String, Path, description = "The action's id")),
    request_body = CompleteBody,
    responses(
        (status = 200, description = "The plan", body = Plan),
        (status = 404, description = "No such referral or action in the caller's scope", body = ErrorBody),
        (status = 409, description = "Already done or set aside, or the referral is closed", body = ErrorBody),
        (status = 422, description = "Overdue without a reason code (`clock.late_reason`)", body = ErrorBody),
    ))]
pub async fn complete(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, action)): Path<(String, String)>,
    b: JsonBody<CompleteBody>,
) -> ApiResult<Json<Plan>> {
    let b = body(b)?;
    let late = b.late_reason.map(|l| domain::clocks::LateReason {
        code: l.code,
        text: l.text,
    });
    Ok(Json(Plan {
        items: ops::complete(&s.app, &ctx, &id, &action, late).await?,
    }))
}

/// Body of `POST /referrals/{id}/plan/actions/{action}/not-applicable`.
#[derive(Deserialize, ToSchema)]
pub struct NotApplicableBody {
    /// Why it does not apply.
    reason: String,
}

/// Set an action aside as not applicable, with a reason.
#[utoipa::path(post, operation_id = "setPlanActionAside", path = "/referrals/{id}/plan/actions/{action}/not-applicable", tag = "plans",
    params(("id" = String, Path, description = "The referral's id"), ("action" = String, Path, description = "The action's id")),
    request_body = NotApplicableBody,
    responses(
        (status = 200, description = "The plan", body = Plan),
        (status = 404, description = "No such referral or action in the caller's scope", body = ErrorBody),
        (status = 409, description = "Already done or set aside, or the referral is closed", body = ErrorBody),
        (status = 422, description = "No reason", body = ErrorBody),
    ))]
pub async fn not_applicable(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, action)): Path<(String, String)>,
    b: JsonBody<NotApplicableBody>,
) -> ApiResult<Json<Plan>> {
    let b = body(b)?;
    Ok(Json(Plan {
        items: ops::not_applicable(&s.app, &ctx, &id, &action, &b.reason).await?,
    }))
}
