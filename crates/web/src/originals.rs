//! Downloading a report, or its whole package, exactly as received (a logged disclosure, decided in
//! `app::originals`). The SHA-256 taken at receipt travels in a header so the copy can be checked.

use crate::AppState;
use crate::auth::{ApiCtx, PageCtx};
use crate::error::ApiError;
use app::originals::{Original, Which};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

fn attachment(original: Original) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"",
        original.file_name.replace(['"', '\\', '\r', '\n'], "_")
    );
    (
        [
            (header::CONTENT_TYPE, original.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::HeaderName::from_static("x-content-sha256"),
                original.sha256,
            ),
        ],
        original.bytes,
    )
        .into_response()
}

async fn api(s: &AppState, ctx: &crate::Ctx, id: &str, which: Which) -> Result<Response, ApiError> {
    Ok(attachment(
        app::originals::download(&s.app, ctx, id, which).await?,
    ))
}

async fn page(s: &AppState, ctx: &crate::Ctx, id: &str, which: Which) -> Response {
    match app::originals::download(&s.app, ctx, id, which).await {
        Ok(o) => attachment(o),
        Err(e) => crate::html::error_page(Some(ctx), e),
    }
}

/// `GET /api/v1/referrals/{id}/original`.
pub async fn api_report(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    api(&s, &ctx, &id, Which::Report).await
}

/// `GET /api/v1/referrals/{id}/package`.
pub async fn api_package(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    api(&s, &ctx, &id, Which::Package).await
}

/// `GET /referrals/{id}/original`.
pub async fn page_report(
    State(s): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    page(&s, &ctx, &id, Which::Report).await
}

/// `GET /referrals/{id}/package`.
pub async fn page_package(
    State(s): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    page(&s, &ctx, &id, Which::Package).await
}
