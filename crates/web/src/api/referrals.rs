//! Referral endpoints: the queue, one referral, its timeline, creating by package, and each step.

use crate::AppState;
use crate::api::model::{
    ErrorBody, ImportResult, Package, ReferralDetail, ReferralPage, ReferralView, Timeline,
    TimelineItem,
};
use crate::api::{ApiQuery, ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use crate::error::Error;
use app::referrals::{self as ops, QueueRequest, StatusFilter};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use domain::{EnforcementKind, OutcomeCode, RiskLevel};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Answers every referral step shares.
const STEP: &str = "The referral after the step";

/// Query of `GET /referrals`.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `open`, `closed`, `all` (default) or a status name (`new`, `assessed`, `allocated`, `enforcement`).
    status: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// From a previous page's `next_cursor` (or `prev_cursor`, to go back).
    cursor: Option<String>,
    /// `true`: only unrouted referrals (central queue).
    #[param(value_type = Option<bool>)]
    unrouted: Option<String>,
    /// Only this risk level: `very_high`, `high`, `medium`, `low`.
    #[param(value_type = Option<domain::RiskLevel>)]
    risk_level: Option<String>,
    /// Only referrals allocated to this officer (a user name).
    officer: Option<String>,
    /// `true`: only referrals with a running clock past due now (their headline clock, the soonest running
    /// one, is past due; a paused clock does not count).
    #[param(value_type = Option<bool>)]
    overdue: Option<String>,
    /// `true`: only escalated referrals.
    #[param(value_type = Option<bool>)]
    escalated: Option<String>,
    /// A search: a report id or package reference (any case), or an email, phone or screen name matched
    /// exactly once normalised (at most 320 characters). Each search is recorded in the access log.
    q: Option<String>,
}

impl ListQuery {
    /// The queue request these parameters ask for.
    fn request(self) -> Result<QueueRequest, crate::error::Error> {
        Ok(QueueRequest {
            status: StatusFilter::parse(self.status.as_deref().unwrap_or("all"))?,
            unrouted_only: flag(self.unrouted.as_deref(), "unrouted")?,
            limit: self.limit.unwrap_or(50),
            cursor: self.cursor,
            risk_level: self
                .risk_level
                .as_deref()
                .filter(|l| !l.is_empty())
                .map(|l| {
                    l.parse().map_err(|_| {
                        Error::invalid_at(
                            "request.invalid",
                            format!("unknown risk level '{l}': very_high, high, medium or low"),
                            "risk_level",
                        )
                    })
                })
                .transpose()?,
            officer: self.officer,
            overdue: flag(self.overdue.as_deref(), "overdue")?,
            escalated: flag(self.escalated.as_deref(), "escalated")?,
            except_outcome_proposed: false,
            q: self.q,
        })
    }
}

/// A `true`/`false` query parameter (absent or blank is false); anything else is refused naming it.
fn flag(value: Option<&str>, name: &'static str) -> Result<bool, Error> {
    match value.unwrap_or("") {
        "" | "false" => Ok(false),
        "true" => Ok(true),
        other => Err(Error::invalid_at(
            "request.invalid",
            format!("`{name}` is true or false, not '{other}'"),
            name,
        )),
    }
}

/// The caller's queue, soonest due first.
#[utoipa::path(get, operation_id = "listReferrals", path = "/referrals", tag = "referrals", params(ListQuery),
    responses(
        (status = 200, description = "A page of the referrals in the caller's scope, soonest due first", body = ReferralPage),
        (status = 403, description = "This role has no queue", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<ReferralPage>> {
    let queue = ops::queue(&state.app, &ctx, q.request()?).await?;
    let now = jiff::Timestamp::now();
    Ok(Json(ReferralPage {
        items: queue
            .page
            .items
            .iter()
            .map(|r| ReferralView::new(r, now))
            .collect(),
        page_size: queue.limit,
        next_cursor: queue.page.next_cursor,
        prev_cursor: queue.page.prev_cursor,
        counts: queue
            .counts
            .iter()
            .map(|(s, n)| (s.as_str().to_string(), *n))
            .collect(),
    }))
}

/// Who an export is for and why (`GET /referrals.csv`): both required, recorded in the access log.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Who the export is for (at most 200 characters).
    recipient: Option<String>,
    /// Why it is disclosed (at most 1,000 characters).
    purpose: Option<String>,
}

/// The caller's queue as CSV: every referral the filters match (`limit` and `cursor` aside), with the queue
/// page's columns only, logged as a disclosure to the recipient for the purpose.
#[utoipa::path(get, operation_id = "exportReferrals", path = "/referrals.csv", tag = "referrals", params(ListQuery, ExportQuery),
    responses(
        (status = 200, description = "The referrals as CSV (the queue page's columns; cells a spreadsheet would run as formulas are prefixed with ')", content_type = "text/csv", body = String),
        (status = 403, description = "This role has no queue", body = ErrorBody),
        (status = 422, description = "No recipient or purpose, a filter that is not right, or more referrals than an export holds (`export.too_large`)", body = ErrorBody),
    ))]
pub async fn export(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(q): ApiQuery<ListQuery>,
    ApiQuery(d): ApiQuery<ExportQuery>,
) -> Result<axum::response::Response, crate::error::ApiError> {
    let d = app::export::Disclosure::parse(d.recipient.as_deref(), d.purpose.as_deref())?;
    let rows = ops::export_queue(&state.app, &ctx, q.request()?, &d).await?;
    Ok(crate::views::queue_csv(&rows, jiff::Timestamp::now()).download("referrals.csv"))
}

/// One referral.
#[utoipa::path(get, operation_id = "getReferral", path = "/referrals/{id}", tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral with its IP capture events, files, people and further details", body = ReferralDetail),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn one(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<ReferralDetail>> {
    let got = ops::read(&state.app, &ctx, &id).await?;
    Ok(Json(ReferralDetail {
        referral: ReferralView::now(&got.referral),
        ip_events: got.ip_events.iter().map(Into::into).collect(),
        files: got.files.iter().map(Into::into).collect(),
        clocks: app::supervision::clocks_of(&state.app, &got.referral).await?,
        safeguarding: app::safeguarding::of(&state.app, &got.referral).await?,
        people: got.people,
        further_details: got.details,
    }))
}

/// A referral's timeline.
#[utoipa::path(get, operation_id = "getTimeline", path = "/referrals/{id}/timeline", tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral's steps, oldest first", body = Timeline),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
    ))]
pub async fn timeline(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<Timeline>> {
    let items = ops::timeline(&state.app, &ctx, &id).await?;
    Ok(Json(Timeline {
        items: items.iter().map(TimelineItem::from).collect(),
    }))
}

/// Query of `POST /referrals` for a bare CyberTipline XML report: the package fields it does not carry.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct XmlQuery {
    /// Who sent it (default `NCA`).
    source: Option<String>,
    /// Force receipt, RFC 3339 (default now).
    #[param(format = DateTime)]
    received_at: Option<String>,
    /// Borough.
    borough: Option<String>,
    /// The report's id (default: the SHA-256 of the body).
    report_id: Option<String>,
    /// The sender's package reference.
    package_ref: Option<String>,
}

/// Create referrals from a JSON package (`application/json`) or a bare CyberTipline report
/// (`application/xml`): one referral per report, all or nothing.
#[utoipa::path(post, operation_id = "createReferrals", path = "/referrals", tag = "referrals", params(XmlQuery),
    request_body(description = "A JSON package, or one CyberTipline report as XML (its package fields then come from the query)",
        content((Package = "application/json"), (String = "application/xml"))),
    description = "A Safeguard package (JSON), a bare CyberTipline report or a separate `<fileDetails>` document (XML), or NCMEC's law-enforcement JSON export of one report (JSON with `reportedInformation`). For the last three the package fields come from the query.",
    responses(
        (status = 201, description = "At least one new referral", body = ImportResult),
        (status = 200, description = "Every report was already stored: nothing changed", body = ImportResult),
        (status = 403, description = "This role may not import", body = ErrorBody),
        (status = 415, description = "Neither JSON nor XML", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(q): ApiQuery<XmlQuery>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult<(StatusCode, Json<ImportResult>)> {
    // A role that may never import is refused before the package is read.
    let body = crate::api::read_body_for(
        &ctx,
        body,
        &[domain::Action::CreateReferral],
        Error::Forbidden,
    )
    .await?;
    let ct = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let form = if ct.starts_with("application/json") {
        if app::import::is_ncmec_export(&body[..body.len().min(64 << 10)]) {
            app::import::Form::NcmecJson(bare_options(&q)?)
        } else {
            app::import::Form::Json
        }
    } else if ct.starts_with("application/xml") || ct.starts_with("text/xml") {
        app::import::Form::Xml(bare_options(&q)?)
    } else {
        return Err(Error::UnsupportedType(format!(
            "Send a package as application/json, or a CyberTipline report as application/xml (got '{ct}')."
        ))
        .into());
    };
    let result =
        app::import::import_as(&state.app, &ctx, form, None, std::io::Cursor::new(body)).await?;
    let status = if result.imported.is_empty() && result.file_details_attached.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(result)))
}

/// The package fields of a bare report, from the query.
pub fn bare_options(q: &XmlQuery) -> Result<app::import::BareOptions, Error> {
    let received_at = match q.received_at.as_deref().filter(|s| !s.is_empty()) {
        Some(t) => t.parse().map_err(|_| Error::Invalid {
            code: "package.invalid",
            message: format!("'{t}' is not a date and time with a time zone"),
            location: Some("received_at".into()),
        })?,
        None => jiff::Timestamp::now(),
    };
    Ok(app::import::BareOptions {
        source: q
            .source
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "NCA".into()),
        received_at,
        borough: q.borough.clone().filter(|s| !s.trim().is_empty()),
        package_ref: q.package_ref.clone().filter(|s| !s.trim().is_empty()),
        report_id: q.report_id.clone().filter(|s| !s.trim().is_empty()),
    })
}

/// Body of `POST /referrals/{id}/risk`.
#[derive(Deserialize, ToSchema)]
pub struct AssessBody {
    /// The level.
    #[schema(value_type = RiskLevel)]
    level: String,
    /// Why.
    reason: String,
    /// The version the change is based on.
    version: i64,
}

/// Record a risk level.
#[utoipa::path(post, operation_id = "recordRiskLevel", path = "/referrals/{id}/risk", tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = AssessBody,
    responses(
        (status = 200, description = STEP, body = ReferralView),
        (status = 403, description = "This role may not assess the referral", body = ErrorBody),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral changed since `version`, or the step is out of order", body = ErrorBody),
    ))]
pub async fn assess(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<AssessBody>,
) -> ApiResult<Json<ReferralView>> {
    let b = body(b)?;
    let level: RiskLevel = b
        .level
        .parse()
        .map_err(|e: domain::risk::UnknownRiskLevel| {
            Error::invalid("referral.invalid", e.to_string())
        })?;
    let r = ops::assess(&s.app, &ctx, &id, b.version, level, &b.reason).await?;
    Ok(Json(ReferralView::now(&r)))
}

/// Body of `POST /referrals/{id}/route`.
#[derive(Deserialize, ToSchema)]
pub struct RouteBody {
    /// The BCU's code.
    bcu: String,
    /// The version the change is based on.
    version: i64,
}

/// Route to a BCU.
#[utoipa::path(post, operation_id = "routeReferral", path = "/referrals/{id}/route", tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = RouteBody,
    responses(
        (status = 200, description = STEP, body = ReferralView),
        (status = 403, description = "Only the central desk routes", body = ErrorBody),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral changed since `version`, or the step is out of order", body = ErrorBody),
    ))]
pub async fn route(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<RouteBody>,
) -> ApiResult<Json<ReferralView>> {
    let b = body(b)?;
    let r = ops::route(&s.app, &ctx, &id, b.version, &b.bcu).await?;
    Ok(Json(ReferralView::now(&r)))
}

/// Body of `POST /referrals/{id}/allocation`.
#[derive(Deserialize, ToSchema)]
pub struct AllocateBody {
    /// The officer's user name.
    officer: String,
    /// The version the change is based on.
    version: i64,
}

/// Allocate to an officer.
#[utoipa::path(post, operation_id = "allocateReferral", path = "/referrals/{id}/allocation", tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = AllocateBody,
    responses(
        (status = 200, description = STEP, body = ReferralView),
        (status = 403, description = "This role may not allocate", body = ErrorBody),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral changed since `version`, or the step is out of order", body = ErrorBody),
    ))]
pub async fn allocate(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<AllocateBody>,
) -> ApiResult<Json<ReferralView>> {
    let b = body(b)?;
    let r = ops::allocate(&s.app, &ctx, &id, b.version, &b.officer).await?;
    Ok(Json(ReferralView::now(&r)))
}

/// Body of `POST /referrals/{id}/enforcement`.
#[derive(Deserialize, ToSchema)]
pub struct EnforceBody {
    /// What was done.
    #[schema(value_type = EnforcementKind)]
    kind: String,
    /// RFC 3339 with offset; default now.
    #[schema(format = DateTime)]
    at: Option<String>,
    /// Where it happened (required for a warrant; must be corroborated).
    address: Option<String>,
    /// Notes.
    #[serde(default)]
    notes: String,
    /// The version the change is based on.
    version: i64,
}

/// Record enforcement.
#[utoipa::path(post, operation_id = "recordEnforcement", path = "/referrals/{id}/enforcement", tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = EnforceBody,
    responses(
        (status = 200, description = STEP, body = ReferralView),
        (status = 403, description = "This role may not record enforcement", body = ErrorBody),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral changed since `version`, or the step is out of order", body = ErrorBody),
    ))]
pub async fn enforce(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<EnforceBody>,
) -> ApiResult<Json<ReferralView>> {
    let b = body(b)?;
    let kind: EnforcementKind = b
        .kind
        .parse()
        .map_err(|e: String| Error::invalid("referral.invalid", e))?;
    let at = match b.at.as_deref() {
        Some(t) => t.parse().map_err(|_| {
            Error::invalid(
                "referral.invalid",
                format!("'{t}' is not a date and time with a time zone"),
            )
        })?,
        None => jiff::Timestamp::now(),
    };
    let r = ops::enforce(
        &s.app,
        &ctx,
        &id,
        b.version,
        ops::Enforcement {
            kind,
            at,
            address: b.address.as_deref(),
            notes: &b.notes,
        },
    )
    .await?;
    Ok(Json(ReferralView::now(&r)))
}

/// Body of `POST /referrals/{id}/outcome`.
#[derive(Deserialize, ToSchema)]
pub struct OutcomeBody {
    /// The Home Office outcome code (`1`, `1A`, `16`).
    #[schema(example = "1")]
    code: String,
    /// Why.
    rationale: String,
    /// The version the change is based on.
    version: i64,
    /// For outcome 21: who was told of the decision (`victim` or `parent_or_guardian`).
    #[serde(default)]
    victim_informed: Option<domain::referral::InformedWho>,
}

/// The referral after an outcome was proposed, with warnings for the officer.
#[derive(Serialize, ToSchema)]
pub struct OutcomeAnswer {
    /// The referral: `closed`, or `outcome_proposed` for a no-further-action code.
    #[serde(flatten)]
    referral: ReferralView,
    /// A code that disagrees with what is known of the suspect (14 and 18 mean none identified; 15, 16
    /// and 21 mean a named suspect).
    warnings: Vec<String>,
}

/// Propose the outcome: a code in the no-further-action set waits for a supervisor (`outcome_proposed`);
/// any other closes the referral.
#[utoipa::path(post, operation_id = "recordOutcome", path = "/referrals/{id}/outcome", tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = OutcomeBody,
    responses(
        (status = 200, description = "The referral, closed or awaiting a supervisor's approval", body = OutcomeAnswer),
        (status = 404, description = "No such referral in the caller's scope", body = ErrorBody),
        (status = 409, description = "The referral changed since `version`, or is closed (`referral.closed`)", body = ErrorBody),
    ))]
pub async fn close(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<OutcomeBody>,
) -> ApiResult<Json<OutcomeAnswer>> {
    let b = body(b)?;
    let code: OutcomeCode = b
        .code
        .parse()
        .map_err(|e: domain::outcome::BadOutcomeCode| {
            Error::invalid("referral.invalid", e.to_string())
        })?;
    let done = ops::propose_outcome(
        &s.app,
        &ctx,
        &id,
        b.version,
        ops::OutcomeRequest {
            code,
            rationale: &b.rationale,
            informed: b.victim_informed,
        },
    )
    .await?;
    Ok(Json(OutcomeAnswer {
        referral: ReferralView::now(&done.referral),
        warnings: done.warnings,
    }))
}

/// Body of `POST /referrals/{id}/outcome/decision`.
#[derive(Deserialize, ToSchema)]
pub struct OutcomeDecisionBody {
    /// Approve (the referral closes) or return (it goes back to the status it had).
    approve: bool,
    /// Why (required to return).
    #[serde(default)]
    reason: String,
    /// The version the change is based on.
    version: i64,
}

/// A supervisor approves or returns a proposed outcome; nobody decides on their own proposal.
#[utoipa::path(post, operation_id = "decideOutcome", path = "/referrals/{id}/outcome/decision", tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = OutcomeDecisionBody,
    responses(
        (status = 200, description = "The referral, closed or returned", body = ReferralView),
        (status = 404, description = "No such referral in the caller's scope, or not a supervisor of its BCU", body = ErrorBody),
        (status = 409, description = "The referral changed since `version`, or is closed (`referral.closed`)", body = ErrorBody),
        (status = 422, description = "No outcome awaits a decision, the proposer decides, or no reason to return", body = ErrorBody),
    ))]
pub async fn decide_outcome(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<OutcomeDecisionBody>,
) -> ApiResult<Json<ReferralView>> {
    let b = body(b)?;
    let r = ops::decide_outcome(&s.app, &ctx, &id, b.version, b.approve, &b.reason).await?;
    Ok(Json(ReferralView::now(&r)))
}

/// Body of `POST /referrals/{id}/reopen`.
#[derive(Deserialize, ToSchema)]
pub struct ReopenBody {
    /// Why.
    reason: String,
    /// The version the change is based on.
    version: i64,
}

/// A supervisor reopens a closed referral: it returns to the status it had before closing.
#[utoipa::path(post, operation_id = "reopenReferral", path = "/referrals/{id}/reopen", tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    request_body = ReopenBody,
    responses(
        (status = 200, description = "The referral, open again", body = ReferralView),
        (status = 404, description = "No such referral in the caller's scope, or not a supervisor of its BCU", body = ErrorBody),
        (status = 409, description = "The referral changed since `version`", body = ErrorBody),
        (status = 422, description = "Not closed, or no reason given", body = ErrorBody),
    ))]
pub async fn reopen(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<ReopenBody>,
) -> ApiResult<Json<ReferralView>> {
    let b = body(b)?;
    let r = ops::reopen(&s.app, &ctx, &id, b.version, &b.reason).await?;
    Ok(Json(ReferralView::now(&r)))
}
