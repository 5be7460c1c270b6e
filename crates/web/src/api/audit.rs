//! The access log for the data protection officer, and aggregate figures (no personal data) for oversight.

use crate::AppState;
use crate::api::model::{AuditPage, BcuMeasures, ErrorBody, LateReasonCount, Measures, Stats};
use crate::api::{ApiQuery, ApiResult};
use crate::auth::ApiCtx;
use app::audit::AuditFilter;
use axum::Json;
use axum::extract::State;

/// Events newest first (DPO only). Reading the log is itself logged.
#[utoipa::path(get, operation_id = "listAccessLog", path = "/audit", tag = "audit",
    params(
        ("outcome" = Option<String>, Query, description = "`allowed` or `denied`"),
        ("user" = Option<String>, Query, description = "A user name"),
        ("record" = Option<String>, Query, description = "A record's id"),
        ("from" = Option<String>, Query, format = DateTime, description = "At or after (RFC 3339)"),
        ("to" = Option<String>, Query, format = DateTime, description = "Before (RFC 3339)"),
        ("before" = Option<i64>, Query, description = "Events before this sequence number (the previous page's `next_before`)"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 1000, description = "Page size (default 100)"),
    ),
    responses(
        (status = 200, description = "A page of the log", body = AuditPage),
        (status = 403, description = "Only the data protection officer reads the log", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(f): ApiQuery<AuditFilter>,
) -> ApiResult<Json<AuditPage>> {
    let page = app::audit::list(&state.app, &ctx, &f).await?;
    Ok(Json(page.into()))
}

/// Counts per BCU, with small numbers (1 to 4) suppressed.
#[utoipa::path(get, operation_id = "getStats", path = "/stats", tag = "oversight",
    responses(
        (status = 200, description = "Counts per BCU and for the force", body = Stats),
        (status = 403, description = "This role has no figures", body = ErrorBody),
    ))]
pub async fn stats(State(state): State<AppState>, ApiCtx(ctx): ApiCtx) -> ApiResult<Json<Stats>> {
    let figs = app::figures::by_bcu(&state.app, &ctx).await?;
    let late = app::figures::late_reasons(&state.app, &ctx).await?;
    Ok(Json(Stats {
        late_reasons: late
            .rows
            .into_iter()
            .map(|(code, label, count)| LateReasonCount { code, label, count })
            .collect(),
        late_total: late.total,
        suppression: "counts from 1 to 4, and any count that would let one be worked out from the totals, are shown as \"<5\"".into(),
        bcus: figs
            .rows
            .iter()
            .map(|f| BcuMeasures {
                measures: Measures::from(&f.counts),
                bcu: (!f.code.is_empty()).then(|| f.code.clone()),
                name: f.name.clone(),
            })
            .collect(),
        force: Measures::from(&figs.totals),
    }))
}
