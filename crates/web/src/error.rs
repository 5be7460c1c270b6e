//! How an `app::Error` is answered over HTTP: a status, and for the API the documented JSON body
//! `{"error":{"code","message","location"?}}`. Internal failures are logged and say nothing of SQL or code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub use app::Error;

use crate::api::model::ErrorBody;

/// The HTTP status of an error.
pub fn status(e: &Error) -> StatusCode {
    match e {
        Error::Unauthenticated => StatusCode::UNAUTHORIZED,
        Error::Forbidden | Error::PasswordChangeRequired => StatusCode::FORBIDDEN,
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::Conflict | Error::AlreadyDone { .. } => StatusCode::CONFLICT,
        Error::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        Error::UnsupportedType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Error::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        Error::Throttled { .. } | Error::Busy { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Unavailable(_) | Error::WriteBusy(_) => StatusCode::SERVICE_UNAVAILABLE,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Log what only the server may know about an error (internal detail), once, where it is answered.
pub fn log(e: &Error) {
    match e {
        Error::Internal(detail) => tracing::error!("internal error: {detail}"),
        Error::Unavailable(detail) => tracing::error!("unavailable: {detail}"),
        Error::WriteBusy(detail) => {
            tracing::warn!("a write waited too long for the database: {detail}")
        }
        _ => {}
    }
}

/// The documented JSON error for a failure the router or the HTTP layer finds before any use case runs (an
/// unknown route, a wrong method, an over-long address).
pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, axum::Json(ErrorBody::new(code, message, None))).into_response()
}

/// An API handler's error: answered as the documented JSON error.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        log(&e);
        let body = ErrorBody::new(e.code(), &e.message(), e.location());
        let mut res = (status(&e), axum::Json(body)).into_response();
        if let Some(seconds) = e.retry_after() {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        if matches!(e, Error::Unauthenticated) {
            res.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        res
    }
}
