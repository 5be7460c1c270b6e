//! The access log for the data protection officer, and aggregate figures (no personal data) for oversight.

use crate::AppState;
use crate::access;
use crate::auth::ApiCtx;
use crate::error::AppError;
use axum::Json;
use axum::extract::{Query, State};
use domain::Action;
use domain::audit::{AccessOutcome, Processing};
use serde::Deserialize;
use serde_json::{Value, json};
use store::AuditQuery;

/// Filters of `GET /audit`.
#[derive(Deserialize, Default)]
pub struct AuditFilter {
    /// `allowed` or `denied`.
    pub outcome: Option<String>,
    /// A user name.
    pub user: Option<String>,
    /// A record id.
    pub record: Option<String>,
    /// RFC 3339: at or after.
    pub from: Option<String>,
    /// RFC 3339: before.
    pub to: Option<String>,
    /// Events before this sequence number (paging).
    pub before: Option<i64>,
    /// Page size (default 100, at most 1000).
    pub limit: Option<i64>,
}

impl AuditFilter {
    /// To the store's query for a force.
    pub fn to_query(&self, force: domain::ForceId) -> Result<AuditQuery, AppError> {
        let time = |s: &Option<String>, name: &str| -> Result<Option<jiff::Timestamp>, AppError> {
            s.as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| {
                    v.parse().map_err(|_| {
                        AppError::invalid(
                            "request.invalid",
                            format!("`{name}` must be an RFC 3339 time, e.g. 2026-01-31T00:00:00Z"),
                        )
                    })
                })
                .transpose()
        };
        let nonempty = |s: &Option<String>| s.clone().filter(|v| !v.trim().is_empty());
        Ok(AuditQuery {
            force: Some(force),
            outcome: nonempty(&self.outcome)
                .map(|o| o.parse::<AccessOutcome>())
                .transpose()
                .map_err(|e| AppError::invalid("request.invalid", e))?,
            username: nonempty(&self.user),
            record_id: nonempty(&self.record),
            from: time(&self.from, "from")?,
            to: time(&self.to, "to")?,
            before_seq: self.before,
            limit: self.limit.unwrap_or(100).clamp(1, 1000),
        })
    }
}

/// Events newest first (DPO only). Reading the log is itself logged.
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Query(f): Query<AuditFilter>,
) -> Result<Json<Value>, AppError> {
    access::require(
        &state,
        &ctx,
        Action::ReadAuditLog,
        Processing::Consultation,
        "read access log",
    )
    .await?;
    let q = f.to_query(ctx.user.force)?;
    let items = state.store.list_audit(&q).await?;
    access::log(
        &state,
        &ctx,
        Processing::Consultation,
        "access_log",
        "-",
        AccessOutcome::Allowed,
        format!("listed {} events", items.len()),
    )
    .await?;
    let next = if items.len() as i64 == q.limit {
        items.last().map(|e| e.seq)
    } else {
        None
    };
    Ok(Json(json!({"items": items, "next_before": next})))
}

/// Counts per BCU, with small numbers (1 to 4) suppressed.
pub async fn stats(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
) -> Result<Json<Value>, AppError> {
    access::require(
        &state,
        &ctx,
        Action::ViewAggregates,
        Processing::Consultation,
        "view aggregates",
    )
    .await?;
    let figs = state
        .store
        .figures_by_bcu(ctx.user.force, jiff::Timestamp::now())
        .await?;
    let shown = domain::disclosure::suppress(
        &figs
            .iter()
            .map(store::BcuFigures::measures)
            .collect::<Vec<_>>(),
    );
    let cells = |v: &[Option<i64>; domain::disclosure::MEASURES]| {
        let sup = |n: Option<i64>| n.map_or(json!("<5"), |n| json!(n));
        json!({
            "received": sup(v[0]), "open": sup(v[1]), "overdue": sup(v[2]), "target_met": sup(v[3]),
            "target_missed": sup(v[4]), "closed": sup(v[5]), "risk_overrides": sup(v[6]),
        })
    };
    let bcus: Vec<Value> = figs
        .iter()
        .zip(&shown.rows)
        .map(|(f, v)| {
            let mut row = cells(v);
            row["bcu"] = if f.bcu_code.is_empty() {
                Value::Null
            } else {
                json!(f.bcu_code)
            };
            row["name"] = json!(f.bcu_name);
            row
        })
        .collect();
    Ok(Json(json!({
        "suppression": "counts from 1 to 4, and any count that would let one be worked out from the totals, are shown as \"<5\"",
        "bcus": bcus,
        "force": cells(&shown.totals),
    })))
}
