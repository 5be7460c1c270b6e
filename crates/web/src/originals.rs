//! Downloading a report, or its whole package, exactly as received: a logged disclosure, open to those
//! who may read the referral. The SHA-256 taken at receipt travels in a header so the copy can be checked.

use crate::AppState;
use crate::access::open_referral;
use crate::auth::{ApiCtx, Ctx, PageCtx};
use crate::error::AppError;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::Action;
use domain::audit::Processing;

/// Which original.
#[derive(Clone, Copy)]
enum Which {
    Report,
    Package,
}

async fn download(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    which: Which,
) -> Result<Response, AppError> {
    let what = match which {
        Which::Report => "download the report as received",
        Which::Package => "download the package as received",
    };
    let r = open_referral(
        state,
        ctx,
        id,
        Action::ReadReferral,
        Processing::Disclosure,
        what,
    )
    .await?;
    let original = match which {
        Which::Report => state.store.report_original(r.id).await?,
        Which::Package => state.store.package_original(r.id).await?,
    }
    .ok_or(AppError::NotFound)?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        original.file_name.replace(['"', '\\', '\r', '\n'], "_")
    );
    Ok((
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
        .into_response())
}

/// `GET /api/v1/referrals/{id}/original`.
pub async fn api_report(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    download(&s, &ctx, &id, Which::Report).await
}

/// `GET /api/v1/referrals/{id}/package`.
pub async fn api_package(
    State(s): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    download(&s, &ctx, &id, Which::Package).await
}

/// `GET /referrals/{id}/original`.
pub async fn page_report(
    State(s): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    download(&s, &ctx, &id, Which::Report)
        .await
        .unwrap_or_else(|e| crate::pages::error_page(Some(&ctx), e))
}

/// `GET /referrals/{id}/package`.
pub async fn page_package(
    State(s): State<AppState>,
    PageCtx(ctx): PageCtx,
    Path(id): Path<String>,
) -> Response {
    download(&s, &ctx, &id, Which::Package)
        .await
        .unwrap_or_else(|e| crate::pages::error_page(Some(&ctx), e))
}
