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

/// Largest request body the API reads (a package of referrals), in bytes.
pub const MAX_BODY: usize = 64 * 1024 * 1024;

/// The body's value, or a 422 saying what is wrong with it (a 413 when it is over [`MAX_BODY`]).
pub(crate) fn body<T>(b: JsonBody<T>) -> Result<T, crate::error::Error> {
    b.map(|axum::Json(v)| v).map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            crate::error::Error::invalid_at("request.invalid", e.body_text(), "body")
        }
    })
}

/// The error for a body over [`MAX_BODY`].
pub(crate) fn too_large() -> crate::error::Error {
    crate::error::Error::TooLarge {
        code: "request.too_large",
        message: format!(
            "The request body is over the limit of {} MiB.",
            MAX_BODY >> 20
        ),
    }
}

/// A query string read into `T`, or the documented 422 naming what is wrong with it (`?limit=abc`).
pub(crate) struct ApiQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = crate::error::ApiError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(crate::error::Error::invalid_at(
                "request.invalid",
                e.body_text().replace(
                    "Failed to deserialize query string: ",
                    "The query string is not right: ",
                ),
                "query",
            )
            .into()),
        }
    }
}

async fn not_found() -> axum::response::Response {
    crate::error::json_error(
        axum::http::StatusCode::NOT_FOUND,
        "not_found",
        "There is no such API route: see /api/v1/openapi.json.",
    )
}

async fn method_not_allowed() -> axum::response::Response {
    crate::error::json_error(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "request.method_not_allowed",
        "This route does not take that method: see /api/v1/openapi.json.",
    )
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
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
}
