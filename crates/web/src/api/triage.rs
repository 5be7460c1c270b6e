//! Triage and subject identification over the API: the instrument with its pre-filled answers, completing
//! it, a supervisor's decision, communications data requests and their answers, and address checks.

use crate::api::{ApiQuery, ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use crate::error::{ApiError, Error};
use crate::{AppState, views};
use app::triage as ops;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::instrument::{AnswerValue, QuestionKind};
use serde::Deserialize;
use serde_json::{Value, json};

/// The instrument as JSON: steps, questions (kind, options, range, pre-fill source) and thresholds.
pub fn instrument_json(i: &domain::instrument::Instrument) -> Value {
    let steps: Vec<Value> = i
        .steps()
        .iter()
        .map(|s| {
            let questions: Vec<Value> = s
                .questions
                .iter()
                .map(|q| {
                    let mut v = json!({"id": q.id.as_str(), "text": q.text, "help": q.help, "kind": q.kind.name(),
                        "prefill": q.prefill.map(|p| p.as_str())});
                    match &q.kind {
                        QuestionKind::Number { min, max, .. } => {
                            v["min"] = json!(min);
                            v["max"] = json!(max);
                        }
                        QuestionKind::Choice { options } => {
                            v["options"] = options.iter().map(|o| json!({"id": o.id, "label": o.label})).collect();
                        }
                        QuestionKind::YesNo { .. } => {}
                    }
                    v
                })
                .collect();
            json!({"id": s.id, "title": s.title, "questions": questions})
        })
        .collect();
    json!({"id": i.id(), "version": i.version(), "title": i.title(), "steps": steps})
}

/// `GET /referrals/{id}/instrument`: the instrument and the answers the referral already gives.
pub async fn instrument(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult {
    let (answers, assessments) = ops::instrument(&s.app, &ctx, &id).await?;
    Ok(Json(json!({
        "instrument": instrument_json(&s.app.config().instrument),
        "prefilled": answers,
        "assessments": assessments.iter().map(|a| json!({
            "id": a.id, "instrument_id": a.instrument_id, "instrument_version": a.instrument_version,
            "level": a.level, "assessed_by": a.assessed_by_name, "assessed_at": store_time(a.assessed_at),
            "decision": a.decision, "final_level": a.final_level, "override_reason": a.override_reason,
            "decided_by": a.decided_by_name, "decided_at": a.decided_at.map(store_time),
            "answers": serde_json::from_str::<Value>(&a.answers).unwrap_or(Value::Null),
            "evaluation": serde_json::from_str::<Value>(&a.evaluation).unwrap_or(Value::Null),
        })).collect::<Vec<_>>(),
    })))
}

fn store_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Body of `POST /referrals/{id}/assessment`.
#[derive(Deserialize)]
pub struct AssessmentBody {
    /// Question id → `true`/`false`, a number, or an option id. Pre-filled answers need not be repeated.
    #[serde(default)]
    answers: serde_json::Map<String, Value>,
    version: i64,
}

/// Complete the instrument.
pub async fn assess(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<AssessmentBody>,
) -> ApiResult {
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
    Ok(Json(views::referral_json(&r, jiff::Timestamp::now())))
}

/// Body of `POST /referrals/{id}/assessment/decision`.
#[derive(Deserialize)]
pub struct DecisionBody {
    /// `sign_off` or `override`.
    decision: String,
    /// The supervisor's level, for an override.
    level: Option<String>,
    /// Why, for an override.
    #[serde(default)]
    reason: String,
    version: i64,
}

/// Sign off or override the latest completed instrument.
pub async fn decide(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<DecisionBody>,
) -> ApiResult {
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
    Ok(Json(views::referral_json(&r, jiff::Timestamp::now())))
}

/// Body of `POST /referrals/{id}/cd-requests`.
#[derive(Deserialize)]
pub struct CdBody {
    ip_event_id: String,
    provider: String,
}

/// Raise a communications data request from a stored IP event.
pub async fn request_cd(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<CdBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let b = body(b)?;
    let req = ops::request_cd(&s.app, &ctx, &id, &b.ip_event_id, &b.provider).await?;
    Ok((StatusCode::CREATED, Json(cd_json(&req))))
}

/// A request as JSON (the instant in UTC, RFC 3339).
pub fn cd_json(r: &app::rows::CdRequest) -> Value {
    json!({
        "id": r.id, "ip_event_id": r.ip_event_id, "address": r.address, "port": r.port,
        "instant": store_time(r.instant), "provider": r.provider, "requested_at": store_time(r.requested_at),
        "subscriber": r.subscriber, "subscriber_address": r.subscriber_address, "answered_at": r.answered_at.map(store_time),
    })
}

/// The referral's requests.
pub async fn list_cd(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult {
    let items = ops::cd_requests(&s.app, &ctx, &id).await?;
    Ok(Json(
        json!({"items": items.iter().map(cd_json).collect::<Vec<_>>()}),
    ))
}

/// Body of `POST /referrals/{id}/cd-requests/{request}/answer`.
#[derive(Deserialize)]
pub struct AnswerBody {
    subscriber: String,
    address: String,
}

/// Record the provider's answer.
pub async fn answer_cd(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, request)): Path<(String, String)>,
    b: JsonBody<AnswerBody>,
) -> ApiResult {
    let b = body(b)?;
    Ok(Json(cd_json(
        &ops::answer_cd(&s.app, &ctx, &id, &request, &b.subscriber, &b.address).await?,
    )))
}

/// Body of `POST /referrals/{id}/corroborations`.
#[derive(Deserialize)]
pub struct CheckBody {
    address: String,
    method: String,
    detail: String,
}

/// Record an address check.
pub async fn corroborate(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<CheckBody>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let b = body(b)?;
    ops::corroborate(&s.app, &ctx, &id, &b.address, &b.method, &b.detail).await?;
    Ok((StatusCode::CREATED, Json(json!({"recorded": true}))))
}

/// Query of `GET /referrals/{id}/corroboration`.
#[derive(Deserialize)]
pub struct AddressQuery {
    address: String,
}

/// How an address stands for this referral.
pub async fn corroboration(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<AddressQuery>,
) -> ApiResult {
    let c = ops::corroboration(&s.app, &ctx, &id, &q.address).await?;
    Ok(Json(
        json!({"address": q.address, "corroborated": c.is_corroborated(), "state": c, "description": c.describe()}),
    ))
}
