//! One error type for the web edge. Database and internal failures become a logged 500 whose body says
//! nothing of SQL or code; everything else has a stable machine-readable code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use store::StoreError;

/// Why a request failed.
#[derive(Debug)]
pub enum AppError {
    /// Not signed in (or the session ended).
    Unauthenticated,
    /// The function is not open to the user's role.
    Forbidden,
    /// No such record, or not the user's to see: the two are deliberately indistinguishable.
    NotFound,
    /// Somebody else changed the referral first.
    Conflict,
    /// Somebody else already did what was asked of another record (a link already decided): 409.
    AlreadyDone { code: &'static str, message: String },
    /// The request is wrong; `code` is stable (`referral.invalid`), `location` names the field.
    Invalid {
        code: &'static str,
        message: String,
        location: Option<String>,
    },
    /// The body is not of a type the endpoint takes.
    UnsupportedType(String),
    /// Too many failed sign-ins.
    Throttled { minutes: i64 },
    /// Something broke inside; detail is logged, never shown.
    Internal(String),
}

impl AppError {
    /// A validation failure.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            code,
            message: message.into(),
            location: None,
        }
    }

    /// HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict | AppError::AlreadyDone { .. } => StatusCode::CONFLICT,
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::UnsupportedType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "auth.required",
            AppError::Forbidden => "auth.forbidden",
            AppError::NotFound => "not_found",
            AppError::Conflict => "referral.conflict",
            AppError::AlreadyDone { code, .. } => code,
            AppError::Invalid { code, .. } => code,
            AppError::UnsupportedType(_) => "request.unsupported_type",
            AppError::Throttled { .. } => "auth.throttled",
            AppError::Internal(_) => "internal",
        }
    }

    /// Message for people.
    pub fn message(&self) -> String {
        match self {
            AppError::Unauthenticated => "Sign in to continue.".into(),
            AppError::Forbidden => "Your role does not give access to this.".into(),
            AppError::NotFound => "Not found.".into(),
            AppError::Conflict => "Someone else changed this referral since you opened it. Your change was not saved: \
                                   look at the current version and try again."
                .into(),
            AppError::Invalid { message, .. } | AppError::AlreadyDone { message, .. } => {
                message.clone()
            }
            AppError::UnsupportedType(message) => message.clone(),
            AppError::Throttled { minutes } => {
                format!("Too many failed sign-in attempts. Try again in {minutes} minutes.")
            }
            AppError::Internal(_) => "Something went wrong on our side. It has been logged.".into(),
        }
    }

    fn location(&self) -> Option<&str> {
        match self {
            AppError::Invalid { location, .. } => location.as_deref(),
            _ => None,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => AppError::Conflict,
            StoreError::NotFound => AppError::NotFound,
            StoreError::Duplicate(what) => {
                AppError::invalid("duplicate", format!("{what} already exists"))
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// The API's error body: `{"error":{"code","message","location"?}}`.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!("internal error: {detail}");
        }
        let mut body =
            serde_json::json!({"error": {"code": self.code(), "message": self.message()}});
        if let Some(loc) = self.location() {
            body["error"]["location"] = loc.into();
        }
        let mut res = (self.status(), axum::Json(body)).into_response();
        if matches!(self, AppError::Unauthenticated) {
            res.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        res
    }
}
