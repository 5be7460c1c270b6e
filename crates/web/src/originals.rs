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
#[utoipa::path(get, operation_id = "getOriginalReport", path = "/referrals/{id}/original", tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The report exactly as received (XML or JSON; a logged disclosure)",
            headers(("X-Content-SHA256" = String, description = "The SHA-256 of the body, hex"))),
        (status = 403, description = "A justification is required for this disclosure", body = crate::api::model::ErrorBody),
        (status = 404, description = "No such referral in the caller's scope, or it was made by hand", body = crate::api::model::ErrorBody),
    ))]
pub async fn api_report(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    api(&s, &ctx, &id, Which::Report).await
}

/// `GET /api/v1/referrals/{id}/package`.
#[utoipa::path(get, operation_id = "getOriginalPackage", path = "/referrals/{id}/package", tag = "referrals",
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The whole package the report arrived in, exactly as received (a logged disclosure)",
            headers(("X-Content-SHA256" = String, description = "The SHA-256 of the body, hex"))),
        (status = 403, description = "A justification is required for this disclosure", body = crate::api::model::ErrorBody),
        (status = 404, description = "No such referral in the caller's scope, or it was made by hand", body = crate::api::model::ErrorBody),
    ))]
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
