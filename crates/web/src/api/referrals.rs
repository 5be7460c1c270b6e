//! Referral endpoints: the queue, one referral, its timeline, creating by package, and each step.

use crate::api::{ApiQuery, ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use crate::error::Error;
use crate::{AppState, views};
use app::referrals::{self as ops, QueueRequest, StatusFilter};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use domain::{EnforcementKind, OutcomeCode, RiskLevel};
use serde::Deserialize;
use serde_json::{Value, json};

/// Query of `GET /referrals`.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// `open`, `closed`, `all` (default) or a status name.
    status: Option<String>,
    /// Page size, 1 to 500 (default 50).
    limit: Option<i64>,
    /// From a previous page's `next_cursor`.
    cursor: Option<String>,
    /// `true`: only unrouted referrals (central queue).
    unrouted: Option<bool>,
}

/// The caller's queue, soonest due first.
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult {
    let req = QueueRequest {
        status: StatusFilter::parse(q.status.as_deref().unwrap_or("all"))?,
        unrouted_only: q.unrouted.unwrap_or(false),
        limit: q.limit.unwrap_or(50),
        cursor: q.cursor,
    };
    let queue = ops::queue(&state.app, &ctx, req).await?;
    let now = jiff::Timestamp::now();
    Ok(Json(json!({
        "items": queue.page.items.iter().map(|r| views::referral_json(r, now)).collect::<Vec<_>>(),
        "page_size": queue.limit,
        "next_cursor": queue.page.next_cursor,
    })))
}

/// One referral.
pub async fn one(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult {
    let got = ops::read(&state.app, &ctx, &id).await?;
    let mut v = views::referral_json(&got.referral, jiff::Timestamp::now());
    v["ip_events"] = got.ip_events.iter().map(views::ip_event_json).collect();
    v["files"] = got.files.iter().map(views::file_json).collect();
    Ok(Json(v))
}

/// A referral's timeline.
pub async fn timeline(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult {
    let items = ops::timeline(&state.app, &ctx, &id).await?;
    Ok(Json(json!({"items": items.iter().map(|t| json!({
        "at": t.at.to_string(), "actor": t.actor, "kind": t.kind, "summary": t.summary
    })).collect::<Vec<_>>()})))
}

/// Query of `POST /referrals` for a bare CyberTipline XML report: the package fields it does not carry.
#[derive(Deserialize, Default)]
pub struct XmlQuery {
    /// Who sent it (default `NCA`).
    source: Option<String>,
    /// Force receipt, RFC 3339 (default now).
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
pub async fn create(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(q): ApiQuery<XmlQuery>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            crate::api::too_large()
        } else {
            Error::invalid_at("request.invalid", e.body_text(), "body")
        }
    })?;
    let ct = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let form = if ct.starts_with("application/json") {
        app::import::Form::Json
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
    let status = if result.imported.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(serde_json::to_value(result).expect("serialisable")),
    ))
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
#[derive(Deserialize)]
pub struct AssessBody {
    level: String,
    reason: String,
    version: i64,
}

/// Record a risk level.
pub async fn assess(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<AssessBody>,
) -> ApiResult {
    let b = body(b)?;
    let level: RiskLevel = b
        .level
        .parse()
        .map_err(|e: domain::risk::UnknownRiskLevel| {
            Error::invalid("referral.invalid", e.to_string())
        })?;
    let r = ops::assess(&s.app, &ctx, &id, b.version, level, &b.reason).await?;
    Ok(Json(views::referral_json(&r, jiff::Timestamp::now())))
}

/// Body of `POST /referrals/{id}/route`.
#[derive(Deserialize)]
pub struct RouteBody {
    bcu: String,
    version: i64,
}

/// Route to a BCU.
pub async fn route(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<RouteBody>,
) -> ApiResult {
    let b = body(b)?;
    let r = ops::route(&s.app, &ctx, &id, b.version, &b.bcu).await?;
    Ok(Json(views::referral_json(&r, jiff::Timestamp::now())))
}

/// Body of `POST /referrals/{id}/allocation`.
#[derive(Deserialize)]
pub struct AllocateBody {
    officer: String,
    version: i64,
}

/// Allocate to an officer.
pub async fn allocate(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<AllocateBody>,
) -> ApiResult {
    let b = body(b)?;
    let r = ops::allocate(&s.app, &ctx, &id, b.version, &b.officer).await?;
    Ok(Json(views::referral_json(&r, jiff::Timestamp::now())))
}

/// Body of `POST /referrals/{id}/enforcement`.
#[derive(Deserialize)]
pub struct EnforceBody {
    kind: String,
    /// RFC 3339 with offset; default now.
    at: Option<String>,
    /// Where it happened (required for a warrant; must be corroborated).
    address: Option<String>,
    #[serde(default)]
    notes: String,
    version: i64,
}

/// Record enforcement.
pub async fn enforce(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<EnforceBody>,
) -> ApiResult {
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
    Ok(Json(views::referral_json(&r, jiff::Timestamp::now())))
}

/// Body of `POST /referrals/{id}/outcome`.
#[derive(Deserialize)]
pub struct OutcomeBody {
    code: String,
    rationale: String,
    version: i64,
}

/// Record the outcome.
pub async fn close(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<OutcomeBody>,
) -> ApiResult {
    let b = body(b)?;
    let code: OutcomeCode = b
        .code
        .parse()
        .map_err(|e: domain::outcome::BadOutcomeCode| {
            Error::invalid("referral.invalid", e.to_string())
        })?;
    let r = ops::close(&s.app, &ctx, &id, b.version, code, &b.rationale).await?;
    Ok(Json(views::referral_json(&r, jiff::Timestamp::now())))
}
