//! `/api/v1/inspections` and `/api/v1/recommendations`: the governance tracker. The improvement team records
//! inspection reports, their recommendations, actions, evidence and both status histories; the oversight body
//! comments on recommendations and writes and publishes each report's section 55 response. Read by the roles
//! that read governance; a change made meanwhile by someone else answers 409.

use crate::AppState;
use crate::api::model::ErrorBody;
use crate::api::{ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use app::governance::{self as ops, InspectionView, RecommendationView};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The force's inspection reports.
#[derive(Serialize, ToSchema)]
pub struct Inspections {
    /// Oldest publication first.
    items: Vec<InspectionView>,
}

/// Body of `POST /inspections`.
#[derive(Deserialize, ToSchema)]
pub struct InspectionBody {
    /// The report's title (at most 200 characters).
    title: String,
    /// The day it was published (`YYYY-MM-DD`; not in the future).
    published_on: String,
    /// Who published it (default HMICFRS).
    #[serde(default)]
    inspectorate: Option<String>,
    /// Where it is published (an `https://` address).
    #[serde(default)]
    link: Option<String>,
}

/// The force's inspection reports with their recommendations and section 55 position.
#[utoipa::path(get, operation_id = "listInspections", path = "/inspections", tag = "governance",
    responses(
        (status = 200, description = "The reports", body = Inspections),
        (status = 403, description = "The role does not read governance", body = ErrorBody),
    ))]
pub async fn list(State(s): State<AppState>, ApiCtx(ctx): ApiCtx) -> ApiResult<Json<Inspections>> {
    Ok(Json(Inspections {
        items: ops::inspections(&s.app, &ctx).await?,
    }))
}

/// Record an inspection report (the improvement lead). Answers the report with its section 55 last day.
#[utoipa::path(post, operation_id = "createInspection", path = "/inspections", tag = "governance",
    request_body = InspectionBody,
    responses(
        (status = 201, description = "The report", body = InspectionView),
        (status = 403, description = "Not the improvement lead", body = ErrorBody),
        (status = 409, description = "Someone else changed the tracker first: try again", body = ErrorBody),
        (status = 422, description = "No title, or a publication date that is not a date, in the future or too early", body = ErrorBody),
    ))]
pub async fn create(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    b: JsonBody<InspectionBody>,
) -> ApiResult<(StatusCode, Json<InspectionView>)> {
    let b = body(b)?;
    let new = ops::NewInspection {
        title: &b.title,
        inspectorate: b.inspectorate.as_deref(),
        published_on: &b.published_on,
        link: b.link.as_deref(),
    };
    Ok((
        StatusCode::CREATED,
        Json(ops::add_inspection(&s.app, &ctx, &new).await?),
    ))
}

/// One inspection report: its recommendations, their statuses, actions and evidence, and the section 55
/// response (`s55_published_on` and `s55_days_late` once published).
#[utoipa::path(get, operation_id = "getInspection", path = "/inspections/{id}", tag = "governance",
    params(("id" = String, Path, description = "The report's id")),
    responses(
        (status = 200, description = "The report", body = InspectionView),
        (status = 404, description = "No such report in the caller's force", body = ErrorBody),
    ))]
pub async fn one(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<InspectionView>> {
    Ok(Json(ops::inspection(&s.app, &ctx, &id).await?))
}

/// Body of `POST /inspections/{id}/recommendations`.
#[derive(Deserialize, ToSchema)]
pub struct RecommendationBody {
    /// Its number in the report (at most 200 characters; once per report).
    number: String,
    /// Its words (at most 10,000 characters).
    text: String,
    /// `immediate`, `three_months`, `six_months` or `twelve_months`.
    time_band: String,
    /// When due (`YYYY-MM-DD`; default from the time band: six weeks after publication for `immediate`, else
    /// three, six or twelve months).
    #[serde(default)]
    due_on: Option<String>,
    /// Whether the words are a paraphrase rather than the report's own.
    #[serde(default)]
    paraphrased: bool,
}

/// Add a recommendation to a report (the improvement lead).
#[utoipa::path(post, operation_id = "addRecommendation", path = "/inspections/{id}/recommendations", tag = "governance",
    params(("id" = String, Path, description = "The report's id")),
    request_body = RecommendationBody,
    responses(
        (status = 201, description = "The recommendation", body = RecommendationView),
        (status = 403, description = "Not the improvement lead", body = ErrorBody),
        (status = 404, description = "No such report in the caller's force", body = ErrorBody),
        (status = 409, description = "Someone else changed the tracker first: try again", body = ErrorBody),
        (status = 422, description = "A number already used, no text, an unknown time band, or due before publication", body = ErrorBody),
    ))]
pub async fn add_recommendation(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<RecommendationBody>,
) -> ApiResult<(StatusCode, Json<RecommendationView>)> {
    let b = body(b)?;
    let new = ops::NewRecommendation {
        number: &b.number,
        text: &b.text,
        time_band: &b.time_band,
        due_on: b.due_on.as_deref(),
        paraphrased: b.paraphrased,
    };
    Ok((
        StatusCode::CREATED,
        Json(ops::add_recommendation(&s.app, &ctx, &id, &new).await?),
    ))
}

/// One recommendation with its histories, actions, evidence and comments.
#[utoipa::path(get, operation_id = "getRecommendation", path = "/recommendations/{id}", tag = "governance",
    params(("id" = String, Path, description = "The recommendation's id")),
    responses(
        (status = 200, description = "The recommendation", body = RecommendationView),
        (status = 404, description = "No such recommendation in the caller's force", body = ErrorBody),
    ))]
pub async fn recommendation(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<RecommendationView>> {
    Ok(Json(ops::recommendation(&s.app, &ctx, &id).await?.1))
}

/// Body of `POST /recommendations/{id}/statuses`.
#[derive(Deserialize, ToSchema)]
pub struct StatusBody {
    /// `inspectorate` (as recorded from its monitoring portal) or `force`.
    track: String,
    /// For the inspectorate: `awaiting_review`, `being_progressed` or `complete`; for the force: `not_started`,
    /// `on_track`, `off_track`, `pending_sign_off` or `closed`.
    status: String,
    /// The day it took effect (`YYYY-MM-DD`; default today; not before the report, not in the future).
    #[serde(default)]
    on: Option<String>,
    /// Any comment (at most 10,000 characters).
    #[serde(default)]
    comment: String,
}

/// Record a status on one of a recommendation's two histories (the improvement lead).
#[utoipa::path(post, operation_id = "recordRecommendationStatus", path = "/recommendations/{id}/statuses", tag = "governance",
    params(("id" = String, Path, description = "The recommendation's id")),
    request_body = StatusBody,
    responses(
        (status = 201, description = "The recommendation", body = RecommendationView),
        (status = 403, description = "Not the improvement lead", body = ErrorBody),
        (status = 404, description = "No such recommendation in the caller's force", body = ErrorBody),
        (status = 409, description = "Someone else changed the tracker first: try again", body = ErrorBody),
        (status = 422, description = "An unknown track or status, or a day before the report or in the future", body = ErrorBody),
    ))]
pub async fn status(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<StatusBody>,
) -> ApiResult<(StatusCode, Json<RecommendationView>)> {
    let b = body(b)?;
    let r = ops::record_status(
        &s.app,
        &ctx,
        &id,
        &b.track,
        &b.status,
        b.on.as_deref(),
        &b.comment,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Body of `POST /recommendations/{id}/actions`.
#[derive(Deserialize, ToSchema)]
pub struct ActionBody {
    /// What is to be done (at most 10,000 characters).
    text: String,
    /// Who owns it: a post or a name (at most 200 characters).
    owner: String,
    /// When due (`YYYY-MM-DD`; not before the report).
    due_on: String,
}

/// Add an action towards a recommendation (the improvement lead).
#[utoipa::path(post, operation_id = "addTrackerAction", path = "/recommendations/{id}/actions", tag = "governance",
    params(("id" = String, Path, description = "The recommendation's id")),
    request_body = ActionBody,
    responses(
        (status = 201, description = "The recommendation", body = RecommendationView),
        (status = 403, description = "Not the improvement lead", body = ErrorBody),
        (status = 404, description = "No such recommendation in the caller's force", body = ErrorBody),
        (status = 409, description = "Someone else changed the tracker first: try again", body = ErrorBody),
        (status = 422, description = "No text or owner, or a due date that is not a date or before the report", body = ErrorBody),
    ))]
pub async fn add_action(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<ActionBody>,
) -> ApiResult<(StatusCode, Json<RecommendationView>)> {
    let b = body(b)?;
    let r = ops::add_action(&s.app, &ctx, &id, &b.text, &b.owner, &b.due_on).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Body of `POST /recommendations/{id}/actions/{action}/done`.
#[derive(Deserialize, ToSchema)]
pub struct DoneBody {
    /// The day it was done (`YYYY-MM-DD`; default today).
    #[serde(default)]
    on: Option<String>,
    /// Any note (at most 10,000 characters).
    #[serde(default)]
    note: String,
}

/// Mark an action done, once (the improvement lead).
#[utoipa::path(post, operation_id = "markTrackerActionDone", path = "/recommendations/{id}/actions/{action}/done", tag = "governance",
    params(("id" = String, Path, description = "The recommendation's id"), ("action" = String, Path, description = "The action's id")),
    request_body = DoneBody,
    responses(
        (status = 200, description = "The recommendation", body = RecommendationView),
        (status = 403, description = "Not the improvement lead", body = ErrorBody),
        (status = 404, description = "No such action of that recommendation", body = ErrorBody),
        (status = 409, description = "Already done, or someone else changed the tracker first", body = ErrorBody),
        (status = 422, description = "A day before the report or in the future", body = ErrorBody),
    ))]
pub async fn done(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path((id, action)): Path<(String, String)>,
    b: JsonBody<DoneBody>,
) -> ApiResult<Json<RecommendationView>> {
    let b = body(b)?;
    Ok(Json(
        ops::action_done(&s.app, &ctx, &id, &action, b.on.as_deref(), &b.note).await?,
    ))
}

/// Body of `POST /recommendations/{id}/evidence`.
#[derive(Deserialize, ToSchema)]
pub struct EvidenceBody {
    /// What it shows (at most 10,000 characters).
    note: String,
    /// Where it is (an `https://` address).
    #[serde(default)]
    link: Option<String>,
    /// A document reference in the force's records (at most 200 characters).
    #[serde(default)]
    file_ref: Option<String>,
    /// The action it is evidence of (one of this recommendation's).
    #[serde(default)]
    action: Option<String>,
}

/// Add evidence towards a recommendation (the improvement lead).
#[utoipa::path(post, operation_id = "addEvidence", path = "/recommendations/{id}/evidence", tag = "governance",
    params(("id" = String, Path, description = "The recommendation's id")),
    request_body = EvidenceBody,
    responses(
        (status = 201, description = "The recommendation", body = RecommendationView),
        (status = 403, description = "Not the improvement lead", body = ErrorBody),
        (status = 404, description = "No such recommendation in the caller's force", body = ErrorBody),
        (status = 409, description = "Someone else changed the tracker first: try again", body = ErrorBody),
        (status = 422, description = "No note, a link that is not a web address, or another recommendation's action", body = ErrorBody),
    ))]
pub async fn evidence(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<EvidenceBody>,
) -> ApiResult<(StatusCode, Json<RecommendationView>)> {
    let b = body(b)?;
    let new = ops::NewEvidence {
        note: &b.note,
        link: b.link.as_deref(),
        file_ref: b.file_ref.as_deref(),
        action: b.action.as_deref(),
    };
    let r = ops::add_evidence(&s.app, &ctx, &id, &new).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Body of `POST /recommendations/{id}/comments`.
#[derive(Deserialize, ToSchema)]
pub struct CommentBody {
    /// The comment (at most 10,000 characters).
    text: String,
}

/// Comment on a recommendation (the oversight body).
#[utoipa::path(post, operation_id = "commentOnRecommendation", path = "/recommendations/{id}/comments", tag = "governance",
    params(("id" = String, Path, description = "The recommendation's id")),
    request_body = CommentBody,
    responses(
        (status = 201, description = "The recommendation", body = RecommendationView),
        (status = 403, description = "Not the oversight body", body = ErrorBody),
        (status = 404, description = "No such recommendation in the caller's force", body = ErrorBody),
        (status = 409, description = "Someone else changed the tracker first: try again", body = ErrorBody),
        (status = 422, description = "No text", body = ErrorBody),
    ))]
pub async fn comment(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<CommentBody>,
) -> ApiResult<(StatusCode, Json<RecommendationView>)> {
    let b = body(b)?;
    let r = ops::comment(&s.app, &ctx, &id, &b.text).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// One answer of a response.
#[derive(Deserialize, ToSchema)]
pub struct AnswerBody {
    /// The recommendation's id (one of the report's).
    recommendation: String,
    /// `action_taken`, `action_proposed` or `no_action` (then the text says why).
    kind: String,
    /// The words (at most 10,000 characters; a blank answer is left out).
    text: String,
}

/// Body of `PUT /inspections/{id}/response`.
#[derive(Deserialize, ToSchema)]
pub struct ResponseBody {
    /// The covering text (at most 10,000 characters).
    #[serde(default)]
    covering: String,
    /// The chief officer's comments, published with the body's own (at most 10,000 characters).
    #[serde(default)]
    chief_officer: String,
    /// An answer per recommendation answered so far.
    #[serde(default)]
    answers: Vec<AnswerBody>,
}

/// Save the report's section 55 response (the oversight body): each save a new version, until it is published.
#[utoipa::path(put, operation_id = "saveS55Response", path = "/inspections/{id}/response", tag = "governance",
    params(("id" = String, Path, description = "The report's id")),
    request_body = ResponseBody,
    responses(
        (status = 200, description = "The report with its response", body = InspectionView),
        (status = 403, description = "Not the oversight body", body = ErrorBody),
        (status = 404, description = "No such report in the caller's force", body = ErrorBody),
        (status = 409, description = "Already published, or someone else changed the tracker first", body = ErrorBody),
        (status = 422, description = "An answer about another report's recommendation, twice, or of an unknown kind", body = ErrorBody),
    ))]
pub async fn save_response(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<ResponseBody>,
) -> ApiResult<Json<InspectionView>> {
    let b = body(b)?;
    let answers: Vec<ops::TypedAnswer> = b
        .answers
        .iter()
        .map(|a| ops::TypedAnswer {
            recommendation: &a.recommendation,
            kind: &a.kind,
            text: &a.text,
        })
        .collect();
    Ok(Json(
        ops::save_response(&s.app, &ctx, &id, &b.covering, &b.chief_officer, &answers).await?,
    ))
}

/// Body of `POST /inspections/{id}/response/publish`.
#[derive(Deserialize, ToSchema)]
pub struct PublishBody {
    /// The day it was published (`YYYY-MM-DD`; default today; not before the report, not in the future).
    #[serde(default)]
    published_on: Option<String>,
}

/// Mark the report's section 55 response published (the oversight body), once every recommendation has an
/// answer. Answers the report with `s55_published_on` and `s55_days_late`.
#[utoipa::path(post, operation_id = "publishS55Response", path = "/inspections/{id}/response/publish", tag = "governance",
    params(("id" = String, Path, description = "The report's id")),
    request_body = PublishBody,
    responses(
        (status = 200, description = "The report", body = InspectionView),
        (status = 403, description = "Not the oversight body", body = ErrorBody),
        (status = 404, description = "No such report in the caller's force", body = ErrorBody),
        (status = 409, description = "Already published, or someone else changed the tracker first", body = ErrorBody),
        (status = 422, description = "No response or covering text, a recommendation without an answer, or a day before the report or in the future", body = ErrorBody),
    ))]
pub async fn publish(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<PublishBody>,
) -> ApiResult<Json<InspectionView>> {
    let b = body(b)?;
    Ok(Json(
        ops::publish_response(&s.app, &ctx, &id, b.published_on.as_deref()).await?,
    ))
}

/// The force's training courses.
#[derive(Serialize, ToSchema)]
pub struct Courses {
    /// In the order added, each with its sessions and each BCU team's coverage (no names).
    items: Vec<ops::CourseView>,
}

/// Training courses with their sessions and coverage per BCU team (no names): for the roles that read
/// governance or the figures, and the officers and sergeants whose own records these are.
#[utoipa::path(get, operation_id = "listCourses", path = "/training/courses", tag = "governance",
    responses(
        (status = 200, description = "The courses", body = Courses),
        (status = 403, description = "The role sees no training records", body = ErrorBody),
    ))]
pub async fn courses(State(s): State<AppState>, ApiCtx(ctx): ApiCtx) -> ApiResult<Json<Courses>> {
    Ok(Json(Courses {
        items: ops::courses(&s.app, &ctx).await?,
    }))
}

/// Body of `POST /training/courses`.
#[derive(Deserialize, ToSchema)]
pub struct CourseBody {
    /// Its name, unique in the force (at most 200 characters); completions name the course by it.
    name: String,
    /// What it covers (at most 10,000 characters).
    #[serde(default)]
    description: String,
}

/// Add a training course (the improvement lead).
#[utoipa::path(post, operation_id = "addCourse", path = "/training/courses", tag = "governance",
    request_body = CourseBody,
    responses(
        (status = 201, description = "The course", body = ops::CourseView),
        (status = 403, description = "Not the improvement lead", body = ErrorBody),
        (status = 409, description = "Someone else changed the records first: try again", body = ErrorBody),
        (status = 422, description = "No name, or a name already used", body = ErrorBody),
    ))]
pub async fn add_course(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    b: JsonBody<CourseBody>,
) -> ApiResult<(StatusCode, Json<ops::CourseView>)> {
    let b = body(b)?;
    let c = ops::add_course(&s.app, &ctx, &b.name, &b.description).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Body of `POST /training/courses/{id}/sessions`.
#[derive(Deserialize, ToSchema)]
pub struct SessionBody {
    /// The day (`YYYY-MM-DD`; may be ahead).
    on: String,
    /// Where (at most 200 characters).
    #[serde(default)]
    place: String,
}

/// Add a session of a course (the improvement lead).
#[utoipa::path(post, operation_id = "addCourseSession", path = "/training/courses/{id}/sessions", tag = "governance",
    params(("id" = String, Path, description = "The course's id")),
    request_body = SessionBody,
    responses(
        (status = 201, description = "The course", body = ops::CourseView),
        (status = 403, description = "Not the improvement lead", body = ErrorBody),
        (status = 404, description = "No such course", body = ErrorBody),
        (status = 422, description = "Not a date, or before the earliest date", body = ErrorBody),
    ))]
pub async fn add_session(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<SessionBody>,
) -> ApiResult<(StatusCode, Json<ops::CourseView>)> {
    let b = body(b)?;
    let c = ops::add_session(&s.app, &ctx, &id, &b.on, &b.place).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// Completions by name.
#[derive(Serialize, ToSchema)]
pub struct Completions {
    /// By BCU, officer and course.
    items: Vec<ops::CompletionView>,
}

/// Who completed which course, by name, as far as the caller's reach goes: the improvement lead every officer,
/// a BCU's sergeant and lead their BCU's, an officer their own (a logged consultation).
#[utoipa::path(get, operation_id = "listCompletions", path = "/training/completions", tag = "governance",
    responses(
        (status = 200, description = "The completions within reach", body = Completions),
        (status = 403, description = "The role sees coverage only", body = ErrorBody),
    ))]
pub async fn completions(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
) -> ApiResult<Json<Completions>> {
    Ok(Json(Completions {
        items: ops::completions(&s.app, &ctx).await?,
    }))
}

/// Body of `POST /training/completions`.
#[derive(Deserialize, ToSchema)]
pub struct CompletionsBody {
    /// The file's name, for messages and the record (at most 200 characters).
    #[serde(default)]
    source: String,
    /// The CSV export: a header row naming `staff_number`, `course` and `completed_on`, then one completion per
    /// row (at most 5 MiB and 50,000 rows).
    csv: String,
}

/// Import completions from a CSV export of the force's learning system (the improvement lead): every bad row is
/// reported by its line, and nothing is imported unless all are good.
#[utoipa::path(post, operation_id = "importCompletions", path = "/training/completions", tag = "governance",
    request_body = CompletionsBody,
    responses(
        (status = 201, description = "Imported", body = ops::ImportSummary),
        (status = 403, description = "Not the improvement lead", body = ErrorBody),
        (status = 409, description = "Someone else changed the records first: try again", body = ErrorBody),
        (status = 422, description = "Rows to correct, each by its line; nothing imported", body = ErrorBody),
    ))]
pub async fn import_completions(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    b: JsonBody<CompletionsBody>,
) -> ApiResult<(StatusCode, Json<ops::ImportSummary>)> {
    let b = body(b)?;
    let r = ops::import_completions(&s.app, &ctx, &b.source, b.csv.as_bytes()).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// The board's meetings.
#[derive(Serialize, ToSchema)]
pub struct Meetings {
    /// By day, each with its snapshot's details once frozen.
    items: Vec<app::governance::board::MeetingView>,
}

/// The oversight board's meetings.
#[utoipa::path(get, operation_id = "listMeetings", path = "/meetings", tag = "governance",
    responses(
        (status = 200, description = "The meetings", body = Meetings),
        (status = 403, description = "The role does not read governance", body = ErrorBody),
    ))]
pub async fn meetings(State(s): State<AppState>, ApiCtx(ctx): ApiCtx) -> ApiResult<Json<Meetings>> {
    Ok(Json(Meetings {
        items: app::governance::board::meetings(&s.app, &ctx).await?,
    }))
}

/// Body of `POST /meetings`.
#[derive(Deserialize, ToSchema)]
pub struct ScheduleBody {
    /// The first meeting's day (`YYYY-MM-DD`).
    first: String,
    /// How many meetings, every six weeks (1 to 40).
    count: usize,
}

/// Schedule meetings every six weeks from a first day (the oversight body).
#[utoipa::path(post, operation_id = "scheduleMeetings", path = "/meetings", tag = "governance",
    request_body = ScheduleBody,
    responses(
        (status = 201, description = "Every meeting", body = Meetings),
        (status = 403, description = "Not the oversight body", body = ErrorBody),
        (status = 409, description = "Someone else changed the records first: try again", body = ErrorBody),
        (status = 422, description = "Not a date, or a count out of range", body = ErrorBody),
    ))]
pub async fn schedule(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    b: JsonBody<ScheduleBody>,
) -> ApiResult<(StatusCode, Json<Meetings>)> {
    let b = body(b)?;
    let items = app::governance::board::schedule(&s.app, &ctx, &b.first, b.count).await?;
    Ok((StatusCode::CREATED, Json(Meetings { items })))
}

/// Body of `PUT /meetings/{id}`.
#[derive(Deserialize, ToSchema)]
pub struct MeetingBody {
    /// Its day (`YYYY-MM-DD`).
    on: String,
    /// Who attended, one each, by role and name if wanted (at most 100, 200 characters each).
    #[serde(default)]
    attendees: Vec<String>,
    /// The minutes (at most 10,000 characters).
    #[serde(default)]
    minutes: String,
    /// The decisions (at most 10,000 characters).
    #[serde(default)]
    decisions: String,
}

/// Edit a meeting's record (the oversight body): a frozen snapshot is never changed by it.
#[utoipa::path(put, operation_id = "editMeeting", path = "/meetings/{id}", tag = "governance",
    params(("id" = String, Path, description = "The meeting's id")),
    request_body = MeetingBody,
    responses(
        (status = 200, description = "The meeting", body = app::governance::board::MeetingView),
        (status = 403, description = "Not the oversight body", body = ErrorBody),
        (status = 404, description = "No such meeting", body = ErrorBody),
        (status = 409, description = "Someone else changed the records first: try again", body = ErrorBody),
        (status = 422, description = "Not a date, or text over its limit", body = ErrorBody),
    ))]
pub async fn edit_meeting(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<MeetingBody>,
) -> ApiResult<Json<app::governance::board::MeetingView>> {
    let b = body(b)?;
    Ok(Json(
        app::governance::board::edit(
            &s.app,
            &ctx,
            &id,
            &b.on,
            &b.attendees,
            &b.minutes,
            &b.decisions,
        )
        .await?,
    ))
}

/// Freeze a meeting's snapshot (the oversight body), once, on or after the meeting's day.
#[utoipa::path(post, operation_id = "freezeSnapshot", path = "/meetings/{id}/snapshot", tag = "governance",
    params(("id" = String, Path, description = "The meeting's id")),
    responses(
        (status = 201, description = "The snapshot", body = app::governance::board::SnapshotView),
        (status = 403, description = "Not the oversight body", body = ErrorBody),
        (status = 404, description = "No such meeting", body = ErrorBody),
        (status = 409, description = "Already frozen", body = ErrorBody),
        (status = 422, description = "Before the meeting's day", body = ErrorBody),
    ))]
pub async fn freeze(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<app::governance::board::SnapshotView>)> {
    let v = app::governance::board::freeze(&s.app, &ctx, &id).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A meeting's frozen snapshot, its hash checked again (`intact`).
#[utoipa::path(get, operation_id = "getSnapshot", path = "/meetings/{id}/snapshot", tag = "governance",
    params(("id" = String, Path, description = "The meeting's id")),
    responses(
        (status = 200, description = "The snapshot", body = app::governance::board::SnapshotView),
        (status = 404, description = "No such meeting, or not frozen yet", body = ErrorBody),
    ))]
pub async fn snapshot(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<app::governance::board::SnapshotView>> {
    Ok(Json(
        app::governance::board::snapshot(&s.app, &ctx, &id).await?,
    ))
}

/// A meeting's board pack as a tagged PDF, drawn from its frozen snapshot.
#[utoipa::path(get, operation_id = "getBoardPackPdf", path = "/meetings/{id}/pack.pdf", tag = "governance",
    params(("id" = String, Path, description = "The meeting's id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
        (status = 404, description = "No such meeting, or not frozen yet", body = ErrorBody),
    ))]
pub async fn pack_pdf(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    let v = app::governance::board::snapshot(&s.app, &ctx, &id).await?;
    Ok(crate::print::answer(
        pdf::render(&crate::print::pack(&v.pack, &v.sha256)),
        &format!("board-pack-{}.pdf", v.pack.meeting.on),
    ))
}

/// A report's section 55 response as a tagged PDF letter to the Home Secretary, copied to the inspectorate.
#[utoipa::path(get, operation_id = "getS55ResponsePdf", path = "/inspections/{id}/response.pdf", tag = "governance",
    params(("id" = String, Path, description = "The report's id")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
        (status = 404, description = "No such report in the caller's force", body = ErrorBody),
    ))]
pub async fn response_pdf(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    let i = ops::inspection(&s.app, &ctx, &id).await?;
    Ok(crate::print::answer(
        pdf::render(&crate::print::response(&i)),
        "section-55-response.pdf",
    ))
}
