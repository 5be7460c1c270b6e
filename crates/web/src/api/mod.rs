//! The JSON API under `/api/v1`. Every route is registered through `utoipa-axum`'s `OpenApiRouter`
//! from a handler annotated with its path, parameters, body and answers, so a route cannot exist without
//! being in the OpenAPI document (served without sign-in at `/api/v1/openapi.json`), and the answers'
//! schemas are those of the types in [`model`] that the handlers serialise. Every error is
//! `{"error":{"code","message","location"?}}`.

mod audit;
mod exhibits;
mod governance;
pub mod model;
mod openapi;
mod people;
mod plans;
mod quality;
mod referrals;
mod session;
mod subjects;
pub(crate) mod supervision;
mod triage;
mod users;

use crate::AppState;
use axum::Router;

/// A JSON request body, or why it could not be read.
/// A typed JSON body: checked field by field against `domain::text` (see [`crate::input`]).
pub(crate) type JsonBody<T> = Result<crate::input::Json<T>, crate::error::ApiError>;

/// Largest request body the API reads (a package of referrals), in bytes.
pub const MAX_BODY: usize = 64 * 1024 * 1024;

/// Largest sign-in body read, by the API and the sign-in page, in bytes: a user name and a password of
/// `app::auth::MAX_CREDENTIAL_BYTES` each fit with room to spare; anything larger is refused unread.
pub const MAX_SIGN_IN_BODY: usize = 4 * 1024;

/// The body's value, or a 422 saying what is wrong with it (a 413 when it is over [`MAX_BODY`]).
pub(crate) fn body<T>(b: JsonBody<T>) -> Result<T, crate::error::Error> {
    b.map(|crate::input::Json(v)| v).map_err(|e| e.0)
}

/// Read a large body (a package, a scan report), at most [`MAX_BODY`], only once the caller's role may ever do
/// one of `any_of`: otherwise `refusal` (403 for a collection, 404 for a record) before a byte is read.
pub(crate) async fn read_body_for(
    ctx: &crate::Ctx,
    body: axum::body::Body,
    any_of: &[domain::Action],
    refusal: crate::error::Error,
) -> Result<axum::body::Bytes, crate::error::Error> {
    let principal = ctx.principal();
    let may = any_of.iter().any(|a| {
        domain::decide(&principal, *a, domain::Target::Collection) == domain::Decision::Allow
    });
    if !may {
        return Err(refusal);
    }
    axum::body::to_bytes(body, MAX_BODY).await.map_err(|e| {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = source {
            if s.is::<http_body_util::LengthLimitError>() {
                return too_large();
            }
            source = s.source();
        }
        crate::error::Error::invalid_at("request.invalid", e.to_string(), "body")
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
        NO_SUCH_ROUTE,
    )
}

/// The message of the 404 for an address that is no API route (not for a record that is not found).
pub const NO_SUCH_ROUTE: &str = "There is no such API route: see /api/v1/openapi.json.";

async fn method_not_allowed() -> axum::response::Response {
    crate::error::json_error(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "request.method_not_allowed",
        "This route does not take that method: see /api/v1/openapi.json.",
    )
}

/// An API handler's answer: `T` (JSON of a [`model`] type), or the documented JSON error.
pub(crate) type ApiResult<T> = Result<T, crate::error::ApiError>;

/// Every route and the document that describes them, relative to `/api/v1`.
fn documented() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    use utoipa_axum::routes;
    utoipa_axum::router::OpenApiRouter::with_openapi(openapi::base())
        .routes(routes!(openapi::document))
        .merge(
            utoipa_axum::router::OpenApiRouter::default()
                .routes(routes!(session::login))
                .layer(axum::extract::DefaultBodyLimit::max(MAX_SIGN_IN_BODY)),
        )
        .routes(routes!(session::logout))
        .routes(routes!(session::me))
        .routes(routes!(referrals::list, referrals::create))
        .routes(routes!(referrals::one))
        .routes(routes!(referrals::export))
        .routes(routes!(referrals::timeline))
        .routes(routes!(referrals::assess))
        .routes(routes!(referrals::route))
        .routes(routes!(referrals::allocate))
        .routes(routes!(referrals::enforce))
        .routes(routes!(referrals::close))
        .routes(routes!(referrals::decide_outcome))
        .routes(routes!(referrals::reopen))
        .routes(routes!(plans::offence))
        .routes(routes!(plans::plan))
        .routes(routes!(plans::add))
        .routes(routes!(plans::complete))
        .routes(routes!(plans::not_applicable))
        .routes(routes!(people::list, people::add))
        .routes(routes!(people::correct))
        .routes(routes!(people::recategorise))
        .routes(routes!(people::safeguarding))
        .routes(routes!(people::record_safeguarding))
        .routes(routes!(people::child_house))
        .routes(routes!(people::refer))
        .routes(routes!(people::interview))
        .routes(routes!(people::medical))
        .routes(routes!(people::therapy))
        .routes(routes!(exhibits::queue))
        .routes(routes!(exhibits::one))
        .routes(routes!(exhibits::of_referral, exhibits::create))
        .routes(routes!(exhibits::handover))
        .routes(routes!(exhibits::step))
        .routes(routes!(exhibits::scan))
        .routes(routes!(exhibits::scan_report))
        .routes(routes!(exhibits::complete_action))
        .routes(routes!(exhibits::charging))
        .routes(routes!(governance::list, governance::create))
        .routes(routes!(governance::one))
        .routes(routes!(governance::add_recommendation))
        .routes(routes!(governance::recommendation))
        .routes(routes!(governance::status))
        .routes(routes!(governance::add_action))
        .routes(routes!(governance::done))
        .routes(routes!(governance::evidence))
        .routes(routes!(governance::comment))
        .routes(routes!(governance::save_response))
        .routes(routes!(governance::publish))
        .routes(routes!(governance::meetings, governance::schedule))
        .routes(routes!(governance::edit_meeting))
        .routes(routes!(governance::freeze, governance::snapshot))
        .routes(routes!(governance::pack_pdf))
        .routes(routes!(governance::response_pdf))
        .routes(routes!(governance::courses, governance::add_course))
        .routes(routes!(governance::add_session))
        .routes(routes!(
            governance::completions,
            governance::import_completions
        ))
        .routes(routes!(users::staff_number))
        .routes(routes!(quality::samples, quality::draw))
        .routes(routes!(quality::sample))
        .routes(routes!(quality::grade))
        .routes(routes!(quality::refer_back))
        .routes(routes!(quality::summary))
        .routes(routes!(quality::remedial))
        .routes(routes!(quality::complete))
        .routes(routes!(supervision::clocks))
        .routes(routes!(supervision::decisions))
        .routes(routes!(supervision::pause))
        .routes(routes!(supervision::resume))
        .routes(routes!(supervision::reviews, supervision::record_review))
        .routes(routes!(supervision::record_return_date))
        .routes(routes!(supervision::record_return))
        .routes(routes!(crate::originals::api_report))
        .routes(routes!(crate::originals::api_package))
        .routes(routes!(triage::instrument))
        .routes(routes!(triage::assess))
        .routes(routes!(triage::decide))
        .routes(routes!(triage::list_cd, triage::request_cd))
        .routes(routes!(triage::answer_cd))
        .routes(routes!(triage::corroborate))
        .routes(routes!(triage::corroboration))
        .routes(routes!(subjects::one))
        .routes(routes!(subjects::decision))
        .routes(routes!(audit::list))
        .routes(routes!(audit::stats))
        .routes(routes!(audit::stats_csv))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::one))
        .routes(routes!(users::change_role))
        .routes(routes!(users::move_bcu))
        .routes(routes!(users::disable))
        .routes(routes!(users::enable))
        .routes(routes!(users::reset_password))
        .routes(routes!(users::unlock))
        .routes(routes!(users::requests))
        .routes(routes!(users::approve))
        .routes(routes!(users::reject))
        .routes(routes!(users::change_own_password))
        .split_for_parts()
}

/// The OpenAPI document of `/api/v1`, as `GET /api/v1/openapi.json` serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    openapi::finish(documented().1)
}

/// Routes, relative to `/api/v1`.
pub fn routes() -> Router<AppState> {
    let (router, doc) = documented();
    router
        .layer(axum::Extension(openapi::Served::new(&openapi::finish(doc))))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
}
