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

/// The period and BCU of the figures.
#[derive(serde::Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// The start: a month `YYYY-MM` (from its first moment in London). Roles other than `oversight` may also
    /// give a London day `YYYY-MM-DD` (from its midnight) or an instant (RFC 3339, e.g.
    /// `2026-11-02T09:00:00Z`). With `to`, the counts per BCU (`bcus`, `force`, `late_reasons`) are for the
    /// period; without either they keep their all-time meaning, and `figures` covers the last three ended
    /// months. The oversight role gives ended months only (a day or an instant is refused 422).
    from: Option<String>,
    /// The end: a month `YYYY-MM` or a day `YYYY-MM-DD` (both counted to their last moment), or an instant
    /// (the period ends just before it).
    to: Option<String>,
    /// The BCU (its code, e.g. `cn`) whose month-by-month figures, calibration and late reasons are given,
    /// or `force`; BCU leads and sergeants get their own BCU's unless they ask.
    bcu: Option<String>,
}

impl FiguresQuery {
    fn report_query(self) -> app::figures::report::ReportQuery {
        app::figures::report::ReportQuery {
            from: self.from,
            to: self.to,
            bcu: self.bcu,
        }
    }
}

/// Counts per BCU, with small numbers (1 to 4) suppressed, and the figures for a period.
#[utoipa::path(get, operation_id = "getStats", path = "/stats", tag = "oversight", params(FiguresQuery),
    responses(
        (status = 200, description = "Counts per BCU and for the force, and the figures' tables for the period", body = Stats),
        (status = 403, description = "This role has no figures", body = ErrorBody),
        (status = 422, description = "A start or end that is not a month, a day or an instant, a period backwards or longer than 36 months, a day, an instant or a month not ended for the oversight role, or a BCU that does not exist (`figures.period`, `figures.bcu`)", body = ErrorBody),
    ))]
pub async fn stats(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    ApiQuery(q): ApiQuery<FiguresQuery>,
) -> ApiResult<Json<Stats>> {
    let q = q.report_query();
    let (figs, late, figures) = app::figures::stats(&state.app, &ctx, &q).await?;
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
        from: q.from.as_ref().map(|_| figures.from.clone()),
        to: q.to.as_ref().or(q.from.as_ref()).map(|_| figures.to.clone()),
        figures,
    }))
}

/// One table of the figures as CSV, suppressed as on the page.
#[utoipa::path(get, operation_id = "getStatsCsv", path = "/stats/csv/{table}", tag = "oversight",
    params(("table" = String, Path, description = "The table's id, as in `figures.tables[].id` (`received`, `timeliness`, `time_to_first_enforcement`, `triage_time`, `outcomes`, `decisions`, `backlog`, `monthly`, `received_by_month`, `child_house`, `quality`, `calibration`, `clocks`, `late_reasons`)"), FiguresQuery),
    responses(
        (status = 200, description = "The table as CSV: `key`, `label`, then each column; `[c]` hidden by disclosure control, `[low]` computed from too few referrals, `[x]` nothing to compute", content_type = "text/csv", body = String),
        (status = 403, description = "This role has no figures", body = ErrorBody),
        (status = 404, description = "No such table", body = ErrorBody),
        (status = 422, description = "As for the figures", body = ErrorBody),
    ))]
pub async fn stats_csv(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    axum::extract::Path(table): axum::extract::Path<String>,
    ApiQuery(q): ApiQuery<FiguresQuery>,
) -> Result<axum::response::Response, crate::error::ApiError> {
    let report = app::figures::report::report(&state.app, &ctx, &q.report_query()).await?;
    let t = report
        .table(table.trim_end_matches(".csv"))
        .ok_or(crate::error::Error::NotFound)?;
    Ok(crate::views::figures_csv(t).download(&app::figures::report::csv_name(&report, t)))
}
