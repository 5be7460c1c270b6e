//! The parts of the OpenAPI document that belong to the API as a whole: its description, the bearer
//! scheme, and the error answers every operation shares. The paths and schemas come from the handlers and
//! the types in `model`, collected by `OpenApiRouter` (see `api::documented`).

use super::model::ErrorBody;
use axum::Extension;
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Safeguard API",
        description = "Referrals of online child abuse and exploitation, from intake to outcome. Sign in with POST /auth/login and send the token as `Authorization: Bearer <token>`. Records outside your scope answer 404 exactly as records that do not exist. Any request may carry `X-Justification`; the force may make it mandatory for some kinds of processing. Changes name the `version` they were based on; a stale version answers 409. Every error is `{\"error\":{\"code\",\"message\",\"location\"?}}`."
    ),
    servers((url = "/api/v1")),
    security(("bearer" = [])),
    components(schemas(ErrorBody)),
    tags(
        (name = "session", description = "Signing in and out"),
        (name = "referrals", description = "The queue, a referral, and the steps from receipt to outcome"),
        (name = "triage", description = "The risk instrument and its supervision"),
        (name = "identification", description = "Communications data and address corroboration"),
        (name = "subjects", description = "Subjects and the links between referrals"),
        (name = "people", description = "The people of a referral: recorded, corrected and re-categorised"),
        (name = "exhibits", description = "Exhibits, their forensic path, scan reports and the charging summary"),
        (name = "quality", description = "Case quality reviews: samples, grades and remedial actions"),
        (name = "governance", description = "Inspection reports, their recommendations and the section 55 responses"),
        (name = "audit", description = "The access log"),
        (name = "oversight", description = "Aggregate figures, small numbers suppressed"),
        (name = "admin", description = "User accounts"),
        (name = "meta", description = "This document"),
    )
)]
struct Base;

/// The document before the routes are added.
pub(super) fn base() -> utoipa::openapi::OpenApi {
    Base::openapi()
}

/// The finished document: the bearer scheme, and on every operation the error answers every operation
/// can give (401 when it needs a session; 413 and 422 for a body; 422 for a query string).
pub(super) fn finish(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let components = doc.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        "bearer".into(),
        RefOr::T(SecurityScheme::Http(
            HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build(),
        )),
    );
    components.responses.insert(
        "Error".into(),
        RefOr::T(
            ResponseBuilder::new()
                .description("The documented error")
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        ),
    );
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            add_shared_errors(op);
        }
    }
    doc
}

fn add_shared_errors(op: &mut Operation) {
    let error = || RefOr::Ref(Ref::from_response_name("Error"));
    let secured = op.security.is_none();
    let has_body = op.request_body.is_some();
    let has_query = op
        .parameters
        .iter()
        .flatten()
        .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Query));
    let answers = &mut op.responses.responses;
    if secured {
        answers.entry("401".into()).or_insert_with(error);
    }
    if has_body {
        answers.entry("413".into()).or_insert_with(error);
    }
    if has_body || has_query {
        answers.entry("422".into()).or_insert_with(error);
    }
}

/// The document as served, serialised once.
#[derive(Clone)]
pub(super) struct Served(pub axum::body::Bytes);

impl Served {
    pub(super) fn new(doc: &utoipa::openapi::OpenApi) -> Self {
        Served(
            serde_json::to_vec(doc)
                .expect("the document serialises")
                .into(),
        )
    }
}

/// `GET /openapi.json`: this document (no sign-in needed).
#[utoipa::path(get, operation_id = "openapi", path = "/openapi.json", tag = "meta", security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json")))]
pub(super) async fn document(
    Extension(doc): Extension<Served>,
) -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        doc.0,
    )
}
