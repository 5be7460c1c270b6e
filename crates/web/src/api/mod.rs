//! The JSON API under `/api/v1`. Errors are `{"error":{"code","message"}}`; the OpenAPI document at
//! `/api/v1/openapi.json` describes every route and is served without sign-in.

mod audit;
mod openapi;
mod referrals;
mod session;
mod subjects;
mod triage;
mod users;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// A JSON request body, or why it could not be read.
pub(crate) type JsonBody<T> = Result<axum::Json<T>, axum::extract::rejection::JsonRejection>;

/// The body's value, or a 422 saying what is wrong with it.
pub(crate) fn body<T>(b: JsonBody<T>) -> Result<T, crate::error::Error> {
    b.map(|axum::Json(v)| v)
        .map_err(|e| crate::error::Error::invalid("request.invalid", e.body_text()))
}

/// An API handler's answer: JSON, or the documented JSON error.
pub(crate) type ApiResult<T = axum::Json<serde_json::Value>> = Result<T, crate::error::ApiError>;

/// Routes, relative to `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/auth/login", post(session::login))
        .route("/auth/logout", post(session::logout))
        .route("/me", get(session::me))
        .route("/referrals", get(referrals::list).post(referrals::create))
        .route("/referrals/{id}", get(referrals::one))
        .route("/referrals/{id}/timeline", get(referrals::timeline))
        .route("/referrals/{id}/risk", post(referrals::assess))
        .route("/referrals/{id}/route", post(referrals::route))
        .route("/referrals/{id}/allocation", post(referrals::allocate))
        .route("/referrals/{id}/enforcement", post(referrals::enforce))
        .route("/referrals/{id}/outcome", post(referrals::close))
        .route("/referrals/{id}/instrument", get(triage::instrument))
        .route("/referrals/{id}/assessment", post(triage::assess))
        .route("/referrals/{id}/assessment/decision", post(triage::decide))
        .route(
            "/referrals/{id}/cd-requests",
            get(triage::list_cd).post(triage::request_cd),
        )
        .route(
            "/referrals/{id}/cd-requests/{request}/answer",
            post(triage::answer_cd),
        )
        .route("/referrals/{id}/corroborations", post(triage::corroborate))
        .route("/referrals/{id}/corroboration", get(triage::corroboration))
        .route("/subjects/{id}", get(subjects::one))
        .route("/links/{id}/decision", post(subjects::decision))
        .route(
            "/referrals/{id}/original",
            get(crate::originals::api_report),
        )
        .route(
            "/referrals/{id}/package",
            get(crate::originals::api_package),
        )
        .route("/audit", get(audit::list))
        .route("/stats", get(audit::stats))
        .route("/users", get(users::list).post(users::create))
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024))
}
