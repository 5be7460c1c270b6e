//! Triage and subject identification over the API: the instrument with its pre-filled answers, completing
//! it, a supervisor's decision, communications data requests and their answers, and address checks.

use crate::AppState;
use crate::api::model::{
    AssessmentDecision, CdRequestList, CdRequestView, CorroborationView, ErrorBody,
    InstrumentDefinition, InstrumentView, Recorded, ReferralView,
};
use crate::api::{ApiQuery, ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use crate::error::{ApiError, Error};
use app::triage as ops;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::RiskLevel;
use domain::instrument::AnswerValue;
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// `GET /referrals/{id}/instrument`: the instrument and the answers the referral already gives.
#[utoipa::path(get, operation_id = "getInstrument", path = "/referrals/{id}/instrument", tag = "triage", params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The instrument, the answers the referral already gives, and past assessments", body = InstrumentView),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn instrument(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<InstrumentView>> {
    let (answers, assessments) = ops::instrument(&s.app, &ctx, &id).await?;
    Ok(Json(InstrumentView {
        instrument: InstrumentDefinition::from(&*s.app.config().instrument),
        prefilled: answers,
        assessments: assessments.iter().map(Into::into).collect(),
    }))
}

/// Body of `POST /referrals/{id}/assessment`.
#[derive(Deserialize, ToSchema)]
pub struct AssessmentBody {
    /// Question id → `true`/`false`, a number, or an option id. Pre-filled answers need not be repeated.
    #[serde(default)]
    #[schema(value_type = std::collections::BTreeMap<String, AnswerValue>)]
    answers: serde_json::Map<String, Value>,
    /// The version the change is based on.
    version: i64,
}

/// Complete the instrument: a level only when every question is answered.
#[utoipa::path(post, operation_id = "completeInstrument", path = "/referrals/{id}/assessment", tag = "triage", params(("id" = String, Path, description = "The referral's id")),
    request_body = AssessmentBody,
    responses(
        (status = 200, description = "The referral with the instrument's level", body = ReferralView),
        (status = 403, description = "This role may not assess the referral", body = ErrorBody),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral changed since `version`", body = ErrorBody),
    ))]
pub async fn assess(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<AssessmentBody>,
) -> ApiResult<Json<ReferralView>> {
    let b = body(b)?;
    let given = b
        .answers
        .into_iter()
        .map(|(q, v)| {
            let value = serde_json::from_value::<AnswerValue>(v).map_err(|_| Error::Invalid {
                code: "assessment.invalid",
                message: format!(
                    "the answer to {q} must be true/false, a whole number or an option id"
                ),
                location: Some(format!("answers.{q}")),
            })?;
            Ok((q, value))
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let r = ops::assess_with_instrument(&s.app, &ctx, &id, b.version, &given).await?;
    Ok(Json(ReferralView::now(&r)))
}

/// Body of `POST /referrals/{id}/assessment/decision`.
#[derive(Deserialize, ToSchema)]
pub struct DecisionBody {
    /// `sign_off` or `override`.
    #[schema(value_type = AssessmentDecision)]
    decision: String,
    /// The supervisor's level, for an override.
    #[schema(value_type = Option<RiskLevel>)]
    level: Option<String>,
    /// Why, for an override.
    #[serde(default)]
    reason: String,
    /// The version the change is based on.
    version: i64,
}

/// Sign off or override the latest completed instrument.
#[utoipa::path(post, operation_id = "decideAssessment", path = "/referrals/{id}/assessment/decision", tag = "triage", params(("id" = String, Path, description = "The referral's id")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "The referral with the level in force", body = ReferralView),
        (status = 403, description = "Only a supervisor decides, and not on their own assessment", body = ErrorBody),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral changed since `version`, or there is nothing to decide", body = ErrorBody),
    ))]
pub async fn decide(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<DecisionBody>,
) -> ApiResult<Json<ReferralView>> {
    let b = body(b)?;
    let level = match b.decision.as_str() {
        "sign_off" => None,
        "override" => Some(b.level.as_deref().unwrap_or("").parse().map_err(
            |e: domain::risk::UnknownRiskLevel| Error::invalid("assessment.invalid", e.to_string()),
        )?),
        other => {
            return Err(ApiError::from(Error::invalid(
                "assessment.invalid",
                format!("decision must be sign_off or override, not '{other}'"),
            )));
        }
    };
    let r = ops::decide(&s.app, &ctx, &id, b.version, level, &b.reason).await?;
    Ok(Json(ReferralView::now(&r)))
}

/// Body of `POST /referrals/{id}/cd-requests`.
#[derive(Deserialize, ToSchema)]
pub struct CdBody {
    /// The IP event's id (its address, port and instant are copied, never typed).
    ip_event_id: String,
    /// The provider to ask.
    provider: String,
}

/// Raise a communications data request from a stored IP event.
#[utoipa::path(post, operation_id = "requestCommunicationsData", path = "/referrals/{id}/cd-requests", tag = "identification", params(("id" = String, Path, description = "The referral's id")),
    request_body = CdBody,
    responses(
        (status = 201, description = "The request", body = CdRequestView),
        (status = 403, description = "This role may not request communications data", body = ErrorBody),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn request_cd(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<CdBody>,
) -> ApiResult<(StatusCode, Json<CdRequestView>)> {
    let b = body(b)?;
    let req = ops::request_cd(&s.app, &ctx, &id, &b.ip_event_id, &b.provider).await?;
    Ok((StatusCode::CREATED, Json(CdRequestView::from(&req))))
}

/// The referral's requests.
#[utoipa::path(get, operation_id = "listCommunicationsDataRequests", path = "/referrals/{id}/cd-requests", tag = "identification", params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral's communications data requests", body = CdRequestList),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn list_cd(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<CdRequestList>> {
    let items = ops::cd_requests(&s.app, &ctx, &id).await?;
    Ok(Json(CdRequestList {
        items: items.iter().map(Into::into).collect(),
    }))
}

/// Body of `POST /referrals/{id}/cd-requests/{request}/answer`.
#[derive(Deserialize, ToSchema)]
pub struct AnswerBody {
    /// The subscriber the provider named.
    subscriber: String,
    /// The subscriber's address.
    address: String,
}

/// Record the provider's answer.
#[utoipa::path(post, operation_id = "answerCommunicationsDataRequest", path = "/referrals/{id}/cd-requests/{request}/answer", tag = "identification",
    params(
        ("id" = String, Path, description = "The referral's id"),
        ("request" = String, Path, description = "The request's id"),
    ),
    request_body = AnswerBody,
    responses(
        (status = 200, description = "The answered request", body = CdRequestView),
        (status = 403, description = "This role may not record the answer", body = ErrorBody),
        (status = 404, description = "No such request on a referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "The request is already answered", body = ErrorBody),
    ))]
pub async fn answer_cd(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, request)): Path<(String, String)>,
    b: JsonBody<AnswerBody>,
) -> ApiResult<Json<CdRequestView>> {
    let b = body(b)?;
    let answered = ops::answer_cd(&s.app, &ctx, &id, &request, &b.subscriber, &b.address).await?;
    Ok(Json(CdRequestView::from(&answered)))
}

/// Body of `POST /referrals/{id}/corroborations`.
#[derive(Deserialize, ToSchema)]
pub struct CheckBody {
    /// The address checked.
    address: String,
    /// How (`electoral roll`, `visit`).
    method: String,
    /// What the check found.
    detail: String,
}

/// Record an address check.
#[utoipa::path(post, operation_id = "recordAddressCheck", path = "/referrals/{id}/corroborations", tag = "identification", params(("id" = String, Path, description = "The referral's id")),
    request_body = CheckBody,
    responses(
        (status = 201, description = "The check is recorded", body = Recorded),
        (status = 403, description = "This role may not record checks", body = ErrorBody),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn corroborate(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<CheckBody>,
) -> ApiResult<(StatusCode, Json<Recorded>)> {
    let b = body(b)?;
    ops::corroborate(&s.app, &ctx, &id, &b.address, &b.method, &b.detail).await?;
    Ok((StatusCode::CREATED, Json(Recorded { recorded: true })))
}

/// Query of `GET /referrals/{id}/corroboration`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AddressQuery {
    /// The address to ask about.
    address: String,
}

/// How an address stands for this referral.
#[utoipa::path(get, operation_id = "getCorroboration", path = "/referrals/{id}/corroboration", tag = "identification",
    params(("id" = String, Path, description = "The referral's id"), AddressQuery),
    responses(
        (status = 200, description = "Whether the address is corroborated for this referral (required before enforcement there)", body = CorroborationView),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn corroboration(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<AddressQuery>,
) -> ApiResult<Json<CorroborationView>> {
    let c = ops::corroboration(&s.app, &ctx, &id, &q.address).await?;
    Ok(Json(CorroborationView {
        corroborated: c.is_corroborated(),
        description: c.describe(),
        address: q.address,
        state: c,
    }))
}
