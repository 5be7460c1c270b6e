//! `/api/v1/exhibits` and `/api/v1/referrals/{id}/exhibits`: exhibits with their continuity and forensic path,
//! the forensics queue, scan reports attached as `safeguard scan --json` printed them, and a referral's charging
//! summary. Digital forensics reaches the exhibits, never the referral itself.

use crate::AppState;
use crate::api::model::ErrorBody;
use crate::api::plans::LateBody;
use crate::api::{ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use app::exhibits::{self as ops, ExhibitView, StepInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::exhibits::{ChargingSummary, ForensicStep};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Exhibits.
#[derive(Serialize, ToSchema)]
pub struct Exhibits {
    /// The exhibits.
    items: Vec<ExhibitView>,
}

fn time(v: &Option<String>, field: &'static str) -> Result<Option<jiff::Timestamp>, app::Error> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|_| {
            app::Error::invalid_at(
                "exhibit.invalid",
                format!("'{t}' is not a date and time with a time zone (RFC 3339)"),
                field,
            )
        }),
    }
}

fn late(l: Option<LateBody>) -> Option<domain::clocks::LateReason> {
    l.map(|l| domain::clocks::LateReason {
        code: l.code,
        text: l.text,
    })
}

/// The forensics queue: exhibits submitted for examination with a step still to happen, oldest submission
/// first, each with its clocks (the whole force for digital forensics; a BCU role's own BCU).
#[utoipa::path(get, operation_id = "listExhibits", path = "/exhibits", tag = "exhibits",
    responses(
        (status = 200, description = "The queue (at most 500)", body = Exhibits),
        (status = 403, description = "This role has no exhibits", body = ErrorBody),
    ))]
pub async fn queue(State(s): State<AppState>, ApiCtx(ctx): ApiCtx) -> ApiResult<Json<Exhibits>> {
    Ok(Json(Exhibits {
        items: ops::queue(&s.app, &ctx).await?,
    }))
}

/// One exhibit: details, continuity, forensic path with clocks, examination request, scan results, and the
/// plan's open forensics actions (a logged consultation).
#[utoipa::path(get, operation_id = "getExhibit", path = "/exhibits/{id}", tag = "exhibits",
    params(("id" = String, Path, description = "The exhibit's id")),
    responses(
        (status = 200, description = "The exhibit", body = ExhibitView),
        (status = 404, description = "No such exhibit in the caller's scope", body = ErrorBody),
    ))]
pub async fn one(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<ExhibitView>> {
    Ok(Json(ops::read(&s.app, &ctx, &id).await?))
}

/// A referral's exhibits (a logged consultation).
#[utoipa::path(get, operation_id = "getReferralExhibits", path = "/referrals/{id}/exhibits", tag = "exhibits",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral's exhibits", body = Exhibits),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn of_referral(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Exhibits>> {
    Ok(Json(Exhibits {
        items: ops::of_referral(&s.app, &ctx, &id).await?,
    }))
}

/// Body of `POST /referrals/{id}/exhibits`.
#[derive(Deserialize, ToSchema)]
pub struct ExhibitBody {
    /// The exhibit reference (`JD/1`; at most 40 characters, once per referral).
    reference: String,
    /// `phone`, `computer`, `tablet`, `storage_media`, `games_console`, `camera` or `other`.
    kind: String,
    /// What it is (at most 200 characters).
    description: String,
    /// When seized (RFC 3339; default now; not before the referral's receipt).
    #[serde(default)]
    seized_at: Option<String>,
    /// Where (at most 200 characters).
    seized_where: String,
    /// The id of the referral's person it was seized from, if one.
    #[serde(default)]
    seized_from_person: Option<String>,
    /// From whom or where, in words (default: the chosen person's name).
    #[serde(default)]
    seized_from: Option<String>,
}

/// Record a seized device or medium: its submission clock starts from the seizure, and the plan's actions
/// counted from a device's seizure get their clocks.
#[utoipa::path(post, operation_id = "createExhibit", path = "/referrals/{id}/exhibits", tag = "exhibits",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = ExhibitBody,
    responses(
        (status = 201, description = "The new exhibit", body = ExhibitView),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral is closed", body = ErrorBody),
        (status = 422, description = "A field missing, too long, a reference used already, or a seizure out of time", body = ErrorBody),
    ))]
pub async fn create(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<ExhibitBody>,
) -> ApiResult<(StatusCode, Json<ExhibitView>)> {
    let b = body(b)?;
    let form = ops::NewExhibit {
        reference: &b.reference,
        kind: &b.kind,
        description: &b.description,
        seized_at: time(&b.seized_at, "seized_at")?,
        seized_where: &b.seized_where,
        seized_from_person: b.seized_from_person.as_deref().unwrap_or(""),
        seized_from: b.seized_from.as_deref().unwrap_or(""),
    };
    Ok((
        StatusCode::CREATED,
        Json(ops::create(&s.app, &ctx, &id, &form).await?),
    ))
}

/// Body of `POST /exhibits/{id}/handovers`.
#[derive(Deserialize, ToSchema)]
pub struct HandoverBody {
    /// From whom (at most 200 characters).
    from: String,
    /// To whom.
    to: String,
    /// When (RFC 3339; default now; not before the last handover).
    #[serde(default)]
    at: Option<String>,
}

/// Record a handover (continuity).
#[utoipa::path(post, operation_id = "recordHandover", path = "/exhibits/{id}/handovers", tag = "exhibits",
    params(("id" = String, Path, description = "The exhibit's id")),
    request_body = HandoverBody,
    responses(
        (status = 200, description = "The exhibit", body = ExhibitView),
        (status = 404, description = "No such exhibit in the caller's scope", body = ErrorBody),
        (status = 422, description = "A party missing, or a time out of order", body = ErrorBody),
    ))]
pub async fn handover(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<HandoverBody>,
) -> ApiResult<Json<ExhibitView>> {
    let b = body(b)?;
    let at = time(&b.at, "at")?;
    Ok(Json(
        ops::handover(&s.app, &ctx, &id, at, &b.from, &b.to).await?,
    ))
}

/// Body of `POST /exhibits/{id}/steps`.
#[derive(Deserialize, ToSchema)]
pub struct StepBody {
    /// The step.
    #[serde(default)]
    step: Option<ForensicStep>,
    /// When it happened (RFC 3339; default now).
    #[serde(default)]
    at: Option<String>,
    /// Required when the step is overdue.
    #[serde(default)]
    late_reason: Option<LateBody>,
    /// Submission: `full` or `triage_only`.
    #[serde(default)]
    examination: String,
    /// Submission: why that examination.
    #[serde(default)]
    reason: String,
    /// Submission: identifiers to look for.
    #[serde(default)]
    identifiers: String,
    /// Submission: from this date (`YYYY-MM-DD`).
    #[serde(default)]
    from: String,
    /// Submission: to this date.
    #[serde(default)]
    to: String,
    /// Submission: the investigator's questions.
    #[serde(default)]
    questions: String,
    /// Grading: category A images (beyond exact matches).
    #[serde(default)]
    graded_a: Option<u64>,
    /// Grading: category B.
    #[serde(default)]
    graded_b: Option<u64>,
    /// Grading: category C.
    #[serde(default)]
    graded_c: Option<u64>,
    /// Grading: new images (in no hash set) found indecent.
    #[serde(default)]
    new_images: Option<u64>,
    /// Grading: sharing found.
    #[serde(default)]
    distribution: bool,
    /// Grading: images made by the suspect found.
    #[serde(default)]
    production: bool,
    /// Grading: a note.
    #[serde(default)]
    note: String,
}

/// Record a step of the forensic path: `submitted` (the investigator, with the examination, its reason and the
/// request), then `examination_started`, `returned`, `graded` (with the counts), `victim_identification` and
/// `national_database` (digital forensics). Each stops its clock and starts the next.
#[utoipa::path(post, operation_id = "recordForensicStep", path = "/exhibits/{id}/steps", tag = "exhibits",
    params(("id" = String, Path, description = "The exhibit's id")),
    request_body = StepBody,
    responses(
        (status = 200, description = "The exhibit", body = ExhibitView),
        (status = 404, description = "No such exhibit in the caller's scope, or a step not this role's", body = ErrorBody),
        (status = 409, description = "The step is already recorded", body = ErrorBody),
        (status = 422, description = "A step out of order, a missing field, or overdue without a reason code", body = ErrorBody),
    ))]
pub async fn step(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<StepBody>,
) -> ApiResult<Json<ExhibitView>> {
    let b = body(b)?;
    let step = b.step.ok_or_else(|| {
        app::Error::invalid_at("exhibit.invalid", "Say which step happened.", "step")
    })?;
    let graded = match (b.graded_a, b.graded_b, b.graded_c) {
        (Some(a), Some(bb), Some(c)) => Some((a, bb, c)),
        _ => None,
    };
    let input = StepInput {
        step,
        at: time(&b.at, "at")?,
        late: late(b.late_reason),
        examination: &b.examination,
        reason: &b.reason,
        identifiers: &b.identifiers,
        from: &b.from,
        to: &b.to,
        questions: &b.questions,
        graded,
        new_images: b.new_images,
        distribution: b.distribution,
        production: b.production,
        note: &b.note,
    };
    Ok(Json(ops::record_step(&s.app, &ctx, &id, &input).await?))
}

/// Attach a scan report: the body is the JSON `safeguard scan --json` printed (at most 64 MiB), kept as
/// received. Answers the exhibit with its `counts` as the scan's summary gave them.
#[utoipa::path(post, operation_id = "attachScan", path = "/exhibits/{id}/scan", tag = "exhibits",
    params(("id" = String, Path, description = "The exhibit's id")),
    request_body(description = "The report `safeguard scan --json` printed", content_type = "application/json", content = Object),
    responses(
        (status = 201, description = "The exhibit with its counts", body = ExhibitView),
        (status = 404, description = "No such exhibit in the caller's scope", body = ErrorBody),
        (status = 413, description = "Over 64 MiB", body = ErrorBody),
        (status = 422, description = "Not a scan report, or one whose files disagree with its summary", body = ErrorBody),
    ))]
pub async fn scan(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    body: axum::body::Body,
) -> ApiResult<(StatusCode, Json<ExhibitView>)> {
    // A role that may never attach a report finds no exhibit, before the report is read.
    let b = crate::api::read_body_for(
        &ctx,
        body,
        &[
            domain::Action::RecordExhibits,
            domain::Action::ExamineExhibits,
        ],
        crate::error::Error::NotFound,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ops::attach_scan(&s.app, &ctx, &id, &b).await?),
    ))
}

/// A scan report exactly as received (a logged disclosure); its SHA-256 in `X-Content-SHA256`.
#[utoipa::path(get, operation_id = "getScanReport", path = "/exhibits/{id}/scans/{scan}", tag = "exhibits",
    params(("id" = String, Path, description = "The exhibit's id"), ("scan" = String, Path, description = "The scan report's id")),
    responses(
        (status = 200, description = "The report as received", content_type = "application/json", body = Object),
        (status = 404, description = "No such exhibit or report in the caller's scope", body = ErrorBody),
    ))]
pub async fn scan_report(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, scan)): Path<(String, String)>,
) -> ApiResult<Response> {
    let r = ops::scan_report(&s.app, &ctx, &id, &scan).await?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json".to_string(),
            ),
            (
                axum::http::header::HeaderName::from_static("x-content-sha256"),
                r.sha256,
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"scan-{scan}.json\""),
            ),
        ],
        r.bytes,
    )
        .into_response())
}

/// Body of `POST /exhibits/{id}/plan-actions/{action}/complete`.
#[derive(Deserialize, ToSchema)]
pub struct CompleteBody {
    /// Required when the action is overdue.
    #[serde(default)]
    late_reason: Option<LateBody>,
}

/// Complete one of the investigation plan's forensics actions from the exhibit (digital forensics).
#[utoipa::path(post, operation_id = "completeForensicAction", path = "/exhibits/{id}/plan-actions/{action}/complete", tag = "exhibits",
    params(("id" = String, Path, description = "The exhibit's id"), ("action" = String, Path, description = "The plan action's id")),
    request_body = CompleteBody,
    responses(
        (status = 200, description = "The exhibit", body = ExhibitView),
        (status = 404, description = "No such exhibit, or no such forensics action, in the caller's scope", body = ErrorBody),
        (status = 409, description = "Already done or set aside", body = ErrorBody),
        (status = 422, description = "Overdue without a reason code", body = ErrorBody),
    ))]
pub async fn complete_action(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, action)): Path<(String, String)>,
    b: JsonBody<CompleteBody>,
) -> ApiResult<Json<ExhibitView>> {
    let b = body(b)?;
    Ok(Json(
        ops::complete_forensic_action(&s.app, &ctx, &id, &action, late(b.late_reason)).await?,
    ))
}

/// A referral's charging summary: images per category from exact matches and graded images (near matches
/// wait for a grader), and whether possession, distribution or production is indicated.
#[utoipa::path(get, operation_id = "getChargingSummary", path = "/referrals/{id}/charging", tag = "exhibits",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The charging summary", body = ChargingSummary),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn charging(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<ChargingSummary>> {
    Ok(Json(ops::charging(&s.app, &ctx, &id).await?))
}
