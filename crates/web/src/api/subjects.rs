//! Subjects and link decisions: `GET /subjects/{id}` and `POST /links/{id}/decision`. Who may see what of
//! a subject is decided in `app::subjects`; this module only shapes the JSON.

use crate::AppState;
use crate::api::model::{ErrorBody, LinkDecision, LinkView, SubjectView};
use crate::api::{ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa::ToSchema;

/// `GET /subjects/{id}`: the referrals in scope, the identifiers that link them, the links, and the files of
/// those referrals that are likely viral content.
#[utoipa::path(get, operation_id = "getSubject", path = "/subjects/{id}", tag = "subjects",
    params(("id" = String, Path, description = "The subject's id")),
    responses(
        (status = 200, description = "The subject, restricted to referrals in the caller's scope", body = SubjectView),
        (status = 404, description = "No such subject, or none of its referrals is in the caller's scope", body = ErrorBody),
    ))]
pub async fn one(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult<Json<SubjectView>> {
    let visible = app::subjects::open(&state.app, &ctx, &id).await?;
    Ok(Json(visible.into()))
}

/// Body of `POST /links/{id}/decision`.
#[derive(Deserialize, ToSchema)]
pub struct DecisionBody {
    /// `confirm` or `reject`.
    #[schema(value_type = LinkDecision)]
    decision: String,
    /// Why.
    #[serde(default)]
    #[schema(min_length = 1)]
    reason: String,
}

/// `POST /links/{id}/decision`.
#[utoipa::path(post, operation_id = "decideLink", path = "/links/{id}/decision", tag = "subjects",
    params(("id" = String, Path, description = "The link's id")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "The decided link (confirming moves the referral to the link's subject)", body = LinkView),
        (status = 403, description = "Deciding needs the right to assess the referral", body = ErrorBody),
        (status = 404, description = "No such link in the caller's scope", body = ErrorBody),
        (status = 409, description = "The link is already decided", body = ErrorBody),
    ))]
pub async fn decision(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<DecisionBody>,
) -> ApiResult<Json<LinkView>> {
    let b = body(b)?;
    let link = app::subjects::decide_link(&state.app, &ctx, &id, &b.decision, &b.reason).await?;
    Ok(Json(LinkView::from(&link)))
}
