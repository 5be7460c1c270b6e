//! Typed input at the edge: every JSON body and form a person types into is read up to
//! [`MAX_TYPED_BODY`], and each of its text values is checked against `domain::text` (its field's length
//! limit, no control characters) before any use case sees it, so an over-long or binary value is refused
//! with a 422 naming the field and nothing is stored. Imported packages and scan reports are not typed input:
//! their routes read the body as bytes and keep it exactly as received.

use app::Error;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The largest typed JSON body or form read (1 MiB): well above twenty fields at their limits; a larger one is
/// refused without reading on.
pub const MAX_TYPED_BODY: usize = 1024 * 1024;

/// Why a typed value is refused: `input.too_long` or `input.control_character`, naming the field.
pub fn refused(field: &str, problem: &domain::text::TextProblem) -> Error {
    let code = match problem {
        domain::text::TextProblem::TooLong { .. } => "input.too_long",
        domain::text::TextProblem::Control(_) => "input.control_character",
    };
    let words = domain::text::words(field);
    let mut first = words.chars();
    let words = match first.next() {
        Some(c) => c.to_uppercase().chain(first).collect::<String>(),
        None => words,
    };
    Error::invalid_at(code, format!("{words} {problem}."), field)
}

/// Check every string in a JSON value, each by the name of the key holding it (array items by their
/// array's), reporting the first refused with its path (`actions[1].action`).
pub fn check_json(v: &Value) -> Result<(), Error> {
    fn walk(v: &Value, key: &str, path: &str) -> Result<(), Error> {
        match v {
            Value::String(s) => domain::text::check(key, s)
                .map_err(|p| refused(if path.is_empty() { "body" } else { path }, &p)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| walk(item, key, &format!("{path}[{i}]"))),
            Value::Object(map) => map.iter().try_for_each(|(k, item)| {
                domain::text::check_with(k, domain::text::MAX_NAME).map_err(|p| {
                    refused(
                        &format!("{path}{}key", if path.is_empty() { "" } else { "." }),
                        &p,
                    )
                })?;
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(item, k, &child)
            }),
            _ => Ok(()),
        }
    }
    walk(v, "", "")
}

/// Check every field of a form by its name.
pub fn check_form<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<(), Error> {
    fields.into_iter().try_for_each(|(k, v)| {
        domain::text::check_with(k, domain::text::MAX_NAME)
            .map_err(|p| refused("field name", &p))?;
        domain::text::check(k, v).map_err(|p| refused(k, &p))
    })
}

fn too_large() -> Error {
    Error::TooLarge {
        code: "request.too_large",
        message: format!(
            "The request body is over the limit of {} KiB for typed input.",
            MAX_TYPED_BODY >> 10
        ),
    }
}

/// Read the body, at most [`MAX_TYPED_BODY`] (and never beyond the route's own limit): refused at once when
/// its stated length is over, and as soon as more arrives otherwise.
async fn read_limited<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Error> {
    let stated = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if stated.is_some_and(|n| n > MAX_TYPED_BODY) {
        return Err(too_large());
    }
    let req = req.map(|b| Body::new(http_body_util::Limited::new(b, MAX_TYPED_BODY)));
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            Error::invalid_at("request.invalid", e.body_text(), "body")
        }
    })
}

/// A typed JSON body, checked field by field, then read into `T`.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = crate::error::ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Self::read(req, state).await.map_err(crate::error::ApiError)
    }
}

impl<T: DeserializeOwned> Json<T> {
    async fn read<S: Send + Sync>(req: Request, state: &S) -> Result<Self, Error> {
        let json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::trim)
            .is_some_and(|m| m == "application/json" || m.ends_with("+json"));
        if !json {
            return Err(Error::invalid_at(
                "request.invalid",
                "Expected request with `Content-Type: application/json`",
                "body",
            ));
        }
        let bytes = read_limited(req, state).await?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            Error::invalid_at(
                "request.invalid",
                format!("Failed to parse the request body as JSON: {e}"),
                "body",
            )
        })?;
        check_json(&value)?;
        serde_json::from_slice(&bytes).map(Json).map_err(|e| {
            Error::invalid_at(
                "request.invalid",
                format!("Failed to deserialize the JSON body into the target type: {e}"),
                "body",
            )
        })
    }
}

/// A typed form (`application/x-www-form-urlencoded`), checked field by field, then read into `T`; refused
/// as a page naming the field.
pub struct Form<T>(pub T);

/// A form refused before any use case saw it.
pub struct FormRefused(pub Error);

impl axum::response::IntoResponse for FormRefused {
    fn into_response(self) -> axum::response::Response {
        crate::html::error_page(None, self.0)
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = FormRefused;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = read_limited(req, state).await.map_err(FormRefused)?;
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
        check_form(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(FormRefused)?;
        let req = Request::builder()
            .method(axum::http::Method::POST)
            .header(
                axum::http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(Body::from(bytes))
            .map_err(|e| FormRefused(Error::Internal(e.to_string())))?;
        axum::extract::Form::<T>::from_request(req, state)
            .await
            .map(|axum::extract::Form(v)| Form(v))
            .map_err(|e| FormRefused(Error::invalid_at("request.invalid", e.body_text(), "body")))
    }
}
