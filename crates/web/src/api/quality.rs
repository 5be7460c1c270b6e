//! `/api/v1/quality`: case quality reviews. An auditor draws a reproducible sample per BCU, grades each sampled
//! referral against the force's areas and overall, and refers referrals back with remedial actions, which the
//! BCU completes from `/referrals/{id}/remedial-actions`. A summary per BCU gives the grades.

use crate::AppState;
use crate::api::model::ErrorBody;
use crate::api::plans::LateBody;
use crate::api::{ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use app::quality::{self as ops, BcuQuality, RemedialView, ReviewView, SampleView};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::quality::{Area, Grade};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Samples, newest first.
#[derive(Serialize, ToSchema)]
pub struct Samples {
    /// The samples (without their referrals).
    items: Vec<SampleView>,
    /// The areas a new sample is graded against.
    areas: Vec<Area>,
}

/// Body of `POST /quality/samples`.
#[derive(Deserialize, ToSchema)]
pub struct SampleBody {
    /// Any text (at most 100 characters): the same seed and date draw the same referrals.
    seed: String,
    /// Referrals received by the end of this day are drawn from (`YYYY-MM-DD`, not in the future).
    as_at: String,
    /// Referrals per BCU (1 to 50).
    per_bcu: usize,
}

/// The force's samples.
#[utoipa::path(get, operation_id = "listQualitySamples", path = "/quality/samples", tag = "quality",
    responses(
        (status = 200, description = "The samples", body = Samples),
        (status = 403, description = "Not an auditor", body = ErrorBody),
    ))]
pub async fn samples(State(s): State<AppState>, ApiCtx(ctx): ApiCtx) -> ApiResult<Json<Samples>> {
    Ok(Json(Samples {
        items: ops::samples(&s.app, &ctx).await?,
        areas: ops::areas(&s.app).areas.clone(),
    }))
}

/// Draw a sample of each BCU's referrals, stratified by status as at the date and risk level.
#[utoipa::path(post, operation_id = "drawQualitySample", path = "/quality/samples", tag = "quality",
    request_body = SampleBody,
    responses(
        (status = 201, description = "The sample with its referrals", body = SampleView),
        (status = 403, description = "Not an auditor", body = ErrorBody),
        (status = 422, description = "No seed, a date in the future, or a size out of range", body = ErrorBody),
    ))]
pub async fn draw(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    b: JsonBody<SampleBody>,
) -> ApiResult<(StatusCode, Json<SampleView>)> {
    let b = body(b)?;
    Ok((
        StatusCode::CREATED,
        Json(ops::draw_sample(&s.app, &ctx, &b.seed, &b.as_at, b.per_bcu).await?),
    ))
}

/// One sample with its referrals and their grades (a logged consultation).
#[utoipa::path(get, operation_id = "getQualitySample", path = "/quality/samples/{id}", tag = "quality",
    params(("id" = String, Path, description = "The sample's id")),
    responses(
        (status = 200, description = "The sample", body = SampleView),
        (status = 404, description = "No such sample in the caller's force", body = ErrorBody),
    ))]
pub async fn sample(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<SampleView>> {
    Ok(Json(ops::sample(&s.app, &ctx, &id).await?))
}

/// Body of `POST /quality/reviews/{id}/grades`.
#[derive(Deserialize, ToSchema)]
pub struct GradeBody {
    /// A grade for every area of the sample, by the area's key.
    grades: BTreeMap<String, Grade>,
    /// The overall grade.
    overall: Grade,
    /// Notes (at most 10,000 characters).
    #[serde(default)]
    notes: String,
}

/// Grade a sampled referral (once).
#[utoipa::path(post, operation_id = "gradeQualityReview", path = "/quality/reviews/{id}/grades", tag = "quality",
    params(("id" = String, Path, description = "The review's id (a sampled referral)")),
    request_body = GradeBody,
    responses(
        (status = 200, description = "The review", body = ReviewView),
        (status = 404, description = "No such review in the caller's force", body = ErrorBody),
        (status = 409, description = "Already graded", body = ErrorBody),
        (status = 422, description = "An area without a grade, or one not on the list", body = ErrorBody),
    ))]
pub async fn grade(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<GradeBody>,
) -> ApiResult<Json<ReviewView>> {
    let b = body(b)?;
    let grades: Vec<(String, Grade)> = b.grades.into_iter().collect();
    Ok(Json(
        ops::grade(&s.app, &ctx, &id, &grades, b.overall, &b.notes).await?,
    ))
}

/// One remedial action as asked.
#[derive(Deserialize, ToSchema)]
pub struct RemedialBody {
    /// What to do (at most 2,000 characters).
    action: String,
    /// By when (`YYYY-MM-DD`, today or later; default: the timeliness table's `remedial_action` from now).
    #[serde(default)]
    due_on: String,
}

/// Body of `POST /quality/reviews/{id}/refer-back`.
#[derive(Deserialize, ToSchema)]
pub struct ReferBackBody {
    /// 1 to 20 remedial actions.
    actions: Vec<RemedialBody>,
}

/// Refer a graded referral back to its BCU with remedial actions, each a clock on the team's work lists.
#[utoipa::path(post, operation_id = "referBack", path = "/quality/reviews/{id}/refer-back", tag = "quality",
    params(("id" = String, Path, description = "The review's id")),
    request_body = ReferBackBody,
    responses(
        (status = 201, description = "The review with its remedial actions", body = ReviewView),
        (status = 404, description = "No such review in the caller's force", body = ErrorBody),
        (status = 422, description = "Not graded yet, no action, or a due date passed", body = ErrorBody),
    ))]
pub async fn refer_back(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<ReferBackBody>,
) -> ApiResult<(StatusCode, Json<ReviewView>)> {
    let b = body(b)?;
    let actions: Vec<(String, String)> = b
        .actions
        .into_iter()
        .map(|a| (a.action, a.due_on))
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(ops::refer_back(&s.app, &ctx, &id, &actions).await?),
    ))
}

/// The quality figures per BCU across every sample.
#[derive(Serialize, ToSchema)]
pub struct Summary {
    /// One per BCU with sampled referrals.
    items: Vec<BcuQuality>,
}

/// Grades and referrals referred back, per BCU.
#[utoipa::path(get, operation_id = "getQualitySummary", path = "/quality/summary", tag = "quality",
    responses(
        (status = 200, description = "Per BCU", body = Summary),
        (status = 403, description = "Not an auditor", body = ErrorBody),
    ))]
pub async fn summary(State(s): State<AppState>, ApiCtx(ctx): ApiCtx) -> ApiResult<Json<Summary>> {
    Ok(Json(Summary {
        items: ops::summary(&s.app, &ctx).await?,
    }))
}

/// A referral's remedial actions.
#[derive(Serialize, ToSchema)]
pub struct Remedial {
    /// Oldest first.
    items: Vec<RemedialView>,
}

/// A referral's remedial actions with their clocks (a logged consultation).
#[utoipa::path(get, operation_id = "getRemedialActions", path = "/referrals/{id}/remedial-actions", tag = "quality",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The remedial actions", body = Remedial),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn remedial(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Remedial>> {
    Ok(Json(Remedial {
        items: ops::remedial(&s.app, &ctx, &id).await?,
    }))
}

/// Body of `POST /referrals/{id}/remedial-actions/{action}/complete`.
#[derive(Deserialize, ToSchema)]
pub struct CompleteBody {
    /// What was done (at most 2,000 characters).
    note: String,
    /// Required when the action is overdue.
    #[serde(default)]
    late_reason: Option<LateBody>,
}

/// Complete a remedial action; a closed referral stays closed.
#[utoipa::path(post, operation_id = "completeRemedialAction", path = "/referrals/{id}/remedial-actions/{action}/complete", tag = "quality",
    params(("id" = String, Path, description = "The referral's id"), ("action" = String, Path, description = "The remedial action's id")),
    request_body = CompleteBody,
    responses(
        (status = 200, description = "The referral's remedial actions", body = Remedial),
        (status = 404, description = "No such referral or action in the caller's scope", body = ErrorBody),
        (status = 409, description = "Already done", body = ErrorBody),
        (status = 422, description = "No note, or overdue without a reason code", body = ErrorBody),
    ))]
pub async fn complete(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, action)): Path<(String, String)>,
    b: JsonBody<CompleteBody>,
) -> ApiResult<Json<Remedial>> {
    let b = body(b)?;
    let late = b.late_reason.map(|l| domain::clocks::LateReason {
        code: l.code,
        text: l.text,
    });
    Ok(Json(Remedial {
        items: ops::complete_remedial(&s.app, &ctx, &id, &action, &b.note, late).await?,
    }))
}
