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
    let words = capital(&domain::text::words(field));
    Error::invalid_at(code, format!("{words} {problem}."), field)
}

/// `text` with its first letter a capital, to start a message.
pub(crate) fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Check every string in a JSON value, each by the name of the key holding it (array items by their
/// array's), reporting the first refused with its path (`actions[1].action`).
pub fn check_json(v: &Value, earliest: jiff::civil::Date) -> Result<(), Error> {
    fn walk(v: &Value, key: &str, path: &str, earliest: jiff::civil::Date) -> Result<(), Error> {
        match v {
            Value::String(s) => {
                let at = if path.is_empty() { "body" } else { path };
                domain::text::check(key, s).map_err(|p| refused(at, &p))?;
                check_instant(s, at, earliest)
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| walk(item, key, &format!("{path}[{i}]"), earliest)),
            Value::Object(map) => map.iter().try_for_each(|(k, item)| {
                domain::text::check_with(k, domain::text::MAX_NAME).map_err(|p| {
                    let sep = if path.is_empty() { "" } else { "." };
                    refused(&format!("{path}{sep}key"), &p)
                })?;
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(item, k, &child, earliest)
            }),
            _ => Ok(()),
        }
    }
    walk(v, "", "", earliest)
}

/// A value written as an RFC 3339 time (`2026-11-29T14:05:00Z`) must use an offset some place uses and be on
/// or after the earliest date; other text passes.
fn check_instant(s: &str, field: &str, earliest: jiff::civil::Date) -> Result<(), Error> {
    let t = s.trim();
    let bad = |p: domain::time::TimeProblem| {
        let words = capital(&domain::text::words(field));
        Error::invalid_at(p.code(), format!("{words}: {p}."), field)
    };
    domain::time::check_offset(t).map_err(bad)?;
    if let Ok(at) = t.parse::<jiff::Timestamp>() {
        domain::time::check_not_before(at, earliest).map_err(bad)?;
    }
    Ok(())
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

impl<T: DeserializeOwned> FromRequest<crate::AppState> for Json<T> {
    type Rejection = crate::error::ApiError;

    async fn from_request(req: Request, state: &crate::AppState) -> Result<Self, Self::Rejection> {
        Self::read(req, state).await.map_err(crate::error::ApiError)
    }
}

impl<T: DeserializeOwned> Json<T> {
    async fn read(req: Request, state: &crate::AppState) -> Result<Self, Error> {
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
        check_json(&value, state.app.config().earliest)?;
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

/// A form refused before any use case saw it, or a question to answer first.
pub enum FormRefused {
    /// Refused, with why.
    Error(Error),
    /// A London time typed happens twice (the clocks going back): which is meant? The form is sent again,
    /// as typed, with the answer.
    Which {
        /// Where the form was sent.
        action: String,
        /// The form as typed.
        fields: Vec<(String, String)>,
        /// The time field asked about.
        field: String,
        /// The question.
        message: String,
        /// The civil time typed, in words (`25 Oct 2026 01:30`).
        time: String,
    },
}

impl axum::response::IntoResponse for FormRefused {
    fn into_response(self) -> axum::response::Response {
        match self {
            FormRefused::Error(e) => crate::html::error_page(None, e),
            FormRefused::Which {
                action,
                fields,
                field,
                message,
                time,
            } => {
                let name = format!("{field}_fold");
                let body = crate::html::frame(
                    None,
                    "Which time is meant?",
                    maud::html! {
                        h1 { "Which time is meant?" }
                        form method="post" action=(action) {
                            @for (k, v) in &fields {
                                @if *k != name { input type="hidden" name=(k) value=(v); }
                            }
                            fieldset {
                                legend { (message) "." }
                                div.radios {
                                    div.radio {
                                        input type="radio" id="fold-first" name=(name) value="first" required;
                                        label for="fold-first" { (time) " BST: the first, before the clocks went back" }
                                    }
                                    div.radio {
                                        input type="radio" id="fold-second" name=(name) value="second" required;
                                        label for="fold-second" { (time) " GMT: the second, an hour later" }
                                    }
                                }
                            }
                            button type="submit" { "Continue" }
                        }
                    },
                );
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    axum::response::Html(body.into_string()),
                )
                    .into_response()
            }
        }
    }
}

/// A London wall-clock time as a `datetime-local` field sends it (`2026-10-25T01:30`), without a zone.
fn local_time(v: &str) -> Option<jiff::civil::DateTime> {
    let b = v.as_bytes();
    if !(b.len() == 16 || b.len() == 19) || b[10] != b'T' {
        return None;
    }
    v.parse().ok()
}

/// Check every London time typed into a form: refused when it did not happen (the clocks going forward) or
/// is before the earliest date; a time that happens twice is asked about, and once answered (`<field>_fold`)
/// the answer travels with the value (`2026-10-25T01:30 second`) to the page's own parsing.
fn london_times(
    pairs: &mut [(String, String)],
    earliest: jiff::civil::Date,
    action: &str,
) -> Result<(), FormRefused> {
    let answers: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k.ends_with("_fold"))
        .cloned()
        .collect();
    let all = pairs.to_vec();
    for (k, v) in pairs.iter_mut() {
        let Some(dt) = local_time(v.trim()) else {
            continue;
        };
        let answer = answers
            .iter()
            .find(|(a, _)| a.strip_suffix("_fold") == Some(k.as_str()))
            .map(|(_, v)| v.as_str());
        let fold = match answer {
            Some("first") => Some(domain::time::Fold::First),
            Some("second") => Some(domain::time::Fold::Second),
            _ => None,
        };
        let words = domain::text::words(k);
        match domain::time::london_wall(dt, fold) {
            Ok(at) => {
                domain::time::check_not_before(at, earliest).map_err(|p| {
                    FormRefused::Error(Error::invalid_at(p.code(), format!("{p}."), k.clone()))
                })?;
                if let Some(a) = answer.filter(|_| fold.is_some()) {
                    *v = format!("{} {a}", v.trim());
                }
            }
            Err(p @ domain::time::TimeProblem::Twice(_)) => {
                return Err(FormRefused::Which {
                    action: action.to_string(),
                    fields: all,
                    field: k.clone(),
                    message: format!("The {words}: {p}"),
                    time: dt.strftime("%-d %b %Y %H:%M").to_string(),
                });
            }
            Err(p) => {
                return Err(FormRefused::Error(Error::invalid_at(
                    p.code(),
                    format!("The {words}: {p}."),
                    k.clone(),
                )));
            }
        }
    }
    Ok(())
}

impl<T: DeserializeOwned> FromRequest<crate::AppState> for Form<T> {
    type Rejection = FormRefused;

    async fn from_request(req: Request, state: &crate::AppState) -> Result<Self, Self::Rejection> {
        let action = req.uri().path().to_string();
        let bytes = read_limited(req, state).await.map_err(FormRefused::Error)?;
        let mut pairs: Vec<(String, String)> =
            form_urlencoded::parse(&bytes).into_owned().collect();
        check_form(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .map_err(FormRefused::Error)?;
        london_times(&mut pairs, state.app.config().earliest, &action)?;
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&pairs)
            .finish();
        let req = Request::builder()
            .method(axum::http::Method::POST)
            .header(
                axum::http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(Body::from(body))
            .map_err(|e| FormRefused::Error(Error::Internal(e.to_string())))?;
        axum::extract::Form::<T>::from_request(req, state)
            .await
            .map(|axum::extract::Form(v)| Form(v))
            .map_err(|e| {
                FormRefused::Error(Error::invalid_at("request.invalid", e.body_text(), "body"))
            })
    }
}
