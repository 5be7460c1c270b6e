//! `/api/v1/referrals/{id}/clocks` and `/reviews`: a referral's clocks with their state, pausing and resuming
//! one (a supervisor, with a reason), and the sergeant's supervisory reviews.

use crate::AppState;
use crate::api::model::ErrorBody;
use crate::api::{ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use app::supervision::{self as ops, ClockView};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A referral's clocks.
#[derive(Serialize, ToSchema)]
pub struct Clocks {
    /// Oldest first.
    items: Vec<ClockView>,
}

/// A referral's clocks: supervisory reviews with their state (on time, at risk, overdue, paused, met, missed).
#[utoipa::path(get, operation_id = "getClocks", path = "/referrals/{id}/clocks", tag = "supervision",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral's clocks", body = Clocks),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn clocks(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Clocks>> {
    Ok(Json(Clocks {
        items: ops::clocks(&s.app, &ctx, &id).await?,
    }))
}

/// Every supervisory decision on a referral, oldest first: allocation and reallocation, risk sign-offs and
/// overrides, reviews, outcome approvals and returns, reopenings, pauses and resumptions, routing.
#[utoipa::path(get, operation_id = "getDecisions", path = "/referrals/{id}/decisions", tag = "supervision",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The decision log, oldest first", body = crate::api::model::Timeline),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn decisions(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<crate::api::model::Timeline>> {
    let items = ops::decisions(&s.app, &ctx, &id).await?;
    Ok(Json(crate::api::model::Timeline {
        items: items
            .iter()
            .map(crate::api::model::TimelineItem::from)
            .collect(),
    }))
}

/// Body of `POST /referrals/{id}/clocks/{clock}/pause`.
#[derive(Deserialize, ToSchema)]
pub struct PauseBody {
    /// Why the clock is paused.
    reason: String,
}

/// A supervisor pauses a clock that may pause (a review, a plan action): paused time does not count.
#[utoipa::path(post, operation_id = "pauseClock", path = "/referrals/{id}/clocks/{clock}/pause", tag = "supervision",
    params(("id" = String, Path, description = "The referral's id"), ("clock" = String, Path, description = "The clock's id")),
    request_body = PauseBody,
    responses(
        (status = 200, description = "The clock, paused", body = ClockView),
        (status = 404, description = "No such referral or clock in the caller's scope, or not a supervisor of its BCU", body = ErrorBody),
        (status = 422, description = "A clock that never pauses, already paused or stopped; no reason", body = ErrorBody),
    ))]
pub async fn pause(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, clock)): Path<(String, String)>,
    b: JsonBody<PauseBody>,
) -> ApiResult<Json<ClockView>> {
    let b = body(b)?;
    Ok(Json(
        ops::pause_or_resume(&s.app, &ctx, &id, &clock, Some(&b.reason)).await?,
    ))
}

/// A supervisor resumes a paused clock.
#[utoipa::path(post, operation_id = "resumeClock", path = "/referrals/{id}/clocks/{clock}/resume", tag = "supervision",
    params(("id" = String, Path, description = "The referral's id"), ("clock" = String, Path, description = "The clock's id")),
    responses(
        (status = 200, description = "The clock, running again", body = ClockView),
        (status = 404, description = "No such referral or clock in the caller's scope, or not a supervisor of its BCU", body = ErrorBody),
        (status = 422, description = "The clock is not paused", body = ErrorBody),
    ))]
pub async fn resume(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, clock)): Path<(String, String)>,
) -> ApiResult<Json<ClockView>> {
    Ok(Json(
        ops::pause_or_resume(&s.app, &ctx, &id, &clock, None).await?,
    ))
}

/// One supervisory review.
#[derive(Serialize, ToSchema)]
pub struct ReviewView {
    /// Its id.
    id: String,
    /// The supervisor (display name).
    by: String,
    /// When (RFC 3339).
    #[schema(format = DateTime)]
    at: String,
    /// Progress since the last review.
    progress: String,
    /// Whether the risk level is still right.
    risk_still_right: bool,
    /// Next steps.
    next_steps: String,
    /// Any change to the plan.
    plan_change: Option<String>,
}

/// A referral's supervisory reviews.
#[derive(Serialize, ToSchema)]
pub struct Reviews {
    /// Oldest first.
    items: Vec<ReviewView>,
}

/// A referral's supervisory reviews.
#[utoipa::path(get, operation_id = "getReviews", path = "/referrals/{id}/reviews", tag = "supervision",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The reviews, oldest first", body = Reviews),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn reviews(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Reviews>> {
    let items = ops::reviews(&s.app, &ctx, &id)
        .await?
        .into_iter()
        .map(|r| ReviewView {
            id: r.id,
            by: r.by,
            at: r.at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            progress: r.progress,
            risk_still_right: r.risk_still_right,
            next_steps: r.next_steps,
            plan_change: r.plan_change,
        })
        .collect();
    Ok(Json(Reviews { items }))
}

/// Why a review is late: one of the force's reason codes, and words.
#[derive(Deserialize, ToSchema)]
pub struct LateReasonBody {
    /// The code (`awaiting_forensics`; the list is the timeliness table's `late_reasons`).
    code: String,
    /// The supervisor's words (never in figures).
    #[serde(default)]
    text: String,
}

impl From<LateReasonBody> for domain::clocks::LateReason {
    fn from(l: LateReasonBody) -> Self {
        domain::clocks::LateReason {
            code: l.code,
            text: l.text,
        }
    }
}

/// Body of `POST /referrals/{id}/reviews`.
#[derive(Deserialize, ToSchema)]
pub struct ReviewBody {
    /// Progress since the last review.
    progress: String,
    /// Whether the risk level is still right.
    risk_still_right: bool,
    /// Next steps.
    next_steps: String,
    /// Any change to the plan.
    #[serde(default)]
    plan_change: Option<String>,
    /// Required when the review is overdue.
    #[serde(default)]
    late_reason: Option<LateReasonBody>,
}

/// A sergeant records a supervisory review: the review clock stops and the next one starts.
#[utoipa::path(post, operation_id = "recordReview", path = "/referrals/{id}/reviews", tag = "supervision",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = ReviewBody,
    responses(
        (status = 201, description = "Recorded: the referral's clocks, with the next review", body = Clocks),
        (status = 404, description = "No such referral in the caller's scope, or not a supervisor of its BCU", body = ErrorBody),
        (status = 409, description = "The referral is closed (`referral.closed`)", body = ErrorBody),
        (status = 422, description = "A field missing or too long, not allocated, or late without a reason code (`clock.late_reason`)", body = ErrorBody),
    ))]
pub async fn record_review(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<ReviewBody>,
) -> ApiResult<(StatusCode, Json<Clocks>)> {
    let b = body(b)?;
    ops::record_review(
        &s.app,
        &ctx,
        &id,
        ops::Review {
            progress: &b.progress,
            risk_still_right: b.risk_still_right,
            next_steps: &b.next_steps,
            plan_change: b.plan_change.as_deref(),
            late: b.late_reason.map(|l| domain::clocks::LateReason {
                code: l.code,
                text: l.text,
            }),
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Clocks {
            items: ops::clocks(&s.app, &ctx, &id).await?,
        }),
    ))
}

/// Body of `POST /referrals/{id}/return-dates`.
#[derive(Deserialize, ToSchema)]
pub struct ReturnDateBody {
    /// Bail or release under investigation.
    kind: ops::ReturnKind,
    /// When the person must return (RFC 3339, with a zone; in the future).
    #[schema(format = DateTime)]
    return_on: String,
}

/// Record a bail or release-under-investigation return date: a clock falling due on it.
#[utoipa::path(post, operation_id = "recordReturnDate", path = "/referrals/{id}/return-dates", tag = "supervision",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = ReturnDateBody,
    responses(
        (status = 201, description = "The return date's clock", body = ClockView),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral is closed (`referral.closed`)", body = ErrorBody),
        (status = 422, description = "A date that is not in the future", body = ErrorBody),
    ))]
pub async fn record_return_date(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<ReturnDateBody>,
) -> ApiResult<(StatusCode, Json<ClockView>)> {
    let b = body(b)?;
    let return_on: jiff::Timestamp =
        b.return_on
            .parse()
            .map_err(|_| crate::error::Error::Invalid {
                code: "clock.invalid",
                message: format!("'{}' is not a date and time with a time zone", b.return_on),
                location: Some("return_on".into()),
            })?;
    let c = ops::record_return_date(&s.app, &ctx, &id, b.kind, return_on).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Body of `POST /referrals/{id}/clocks/{clock}/returned`.
#[derive(Deserialize, ToSchema)]
pub struct ReturnedBody {
    /// Required when the return came after its date.
    #[serde(default)]
    late_reason: Option<LateReasonBody>,
}

/// Record that the person returned on bail or from release under investigation: the return date's clock stops.
#[utoipa::path(post, operation_id = "recordReturn", path = "/referrals/{id}/clocks/{clock}/returned", tag = "supervision",
    params(("id" = String, Path, description = "The referral's id"), ("clock" = String, Path, description = "The return date's clock")),
    request_body = ReturnedBody,
    responses(
        (status = 200, description = "The clock, stopped", body = ClockView),
        (status = 404, description = "No such referral or return date in the caller's scope", body = ErrorBody),
        (status = 422, description = "Already stopped, or late without a reason code (`clock.late_reason`)", body = ErrorBody),
    ))]
pub async fn record_return(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, clock)): Path<(String, String)>,
    b: JsonBody<ReturnedBody>,
) -> ApiResult<Json<ClockView>> {
    let b = body(b)?;
    let late = b.late_reason.map(|l| domain::clocks::LateReason {
        code: l.code,
        text: l.text,
    });
    Ok(Json(
        ops::record_return(&s.app, &ctx, &id, &clock, late).await?,
    ))
}
