//! The access log for the data protection officer, and aggregate figures (no personal data) for oversight.

use crate::AppState;
use crate::api::{ApiQuery, ApiResult};
use crate::auth::ApiCtx;
use app::audit::AuditFilter;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

/// Events newest first (DPO only). Reading the log is itself logged.
pub async fn list(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(f): ApiQuery<AuditFilter>,
) -> ApiResult {
    let page = app::audit::list(&state.app, &ctx, &f).await?;
    Ok(Json(
        json!({"items": page.items, "next_before": page.next_before}),
    ))
}

/// Counts per BCU, with small numbers (1 to 4) suppressed.
pub async fn stats(State(state): State<AppState>, ApiCtx(ctx): ApiCtx) -> ApiResult {
    let figs = app::figures::by_bcu(&state.app, &ctx).await?;
    let cells = |v: &[Option<i64>; domain::disclosure::MEASURES]| {
        let sup = |n: Option<i64>| n.map_or(json!("<5"), |n| json!(n));
        json!({
            "received": sup(v[0]), "open": sup(v[1]), "overdue": sup(v[2]), "target_met": sup(v[3]),
            "target_missed": sup(v[4]), "closed": sup(v[5]), "risk_overrides": sup(v[6]),
        })
    };
    let bcus: Vec<Value> = figs
        .rows
        .iter()
        .map(|f| {
            let mut row = cells(&f.counts);
            row["bcu"] = if f.code.is_empty() {
                Value::Null
            } else {
                json!(f.code)
            };
            row["name"] = json!(f.name);
            row
        })
        .collect();
    Ok(Json(json!({
        "suppression": "counts from 1 to 4, and any count that would let one be worked out from the totals, are shown as \"<5\"",
        "bcus": bcus,
        "force": cells(&figs.totals),
    })))
}
