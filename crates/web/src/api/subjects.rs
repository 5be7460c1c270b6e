//! Subjects and link decisions: `GET /subjects/{id}` and `POST /links/{id}/decision`. Who may see what of
//! a subject is decided in `app::subjects`; this module only shapes the JSON.

use crate::AppState;
use crate::api::{ApiResult, JsonBody, body};
use crate::auth::ApiCtx;
use app::rows::LinkRow;
use app::subjects::VisibleSubject;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

/// A link for the API.
pub fn link_json(l: &LinkRow) -> Value {
    json!({
        "id": l.id,
        "referral_id": l.referral_id,
        "referral": format!("{} {}", l.referral_source, l.referral_report_id),
        "subject_id": l.subject_id,
        "strength": l.strength,
        "status": l.status,
        "basis": l.basis,
        "decided_by": l.decided_by,
        "decided_at": l.decided_at.map(|t| t.to_string()),
        "reason": l.reason,
    })
}

/// `GET /subjects/{id}`: the referrals in scope, the identifiers that link them, the links, and the files of
/// those referrals that are likely viral content.
pub async fn one(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
) -> ApiResult {
    let VisibleSubject {
        subject: s,
        links,
        viral,
    } = app::subjects::open(&state.app, &ctx, &id).await?;
    Ok(Json(json!({
        "id": s.id,
        "created_at": s.created_at.to_string(),
        "referrals": s.referrals.iter().map(|r| json!({
            "id": r.id,
            "report_id": r.report_id,
            "source": r.source,
            "received_at": r.received_at.to_string(),
            "status": r.status,
            "bcu": r.bcu_code,
            "incident_type": r.incident_type,
        })).collect::<Vec<_>>(),
        "identifiers": s.identifiers.iter().map(|i| json!({
            "kind": i.kind,
            "value": i.raw,
            "norm": i.norm,
            "referrals": i.referrals,
        })).collect::<Vec<_>>(),
        "links": links.iter().map(link_json).collect::<Vec<_>>(),
        "likely_viral_files": viral.iter().map(|(r, h)| json!({
            "referral_id": r, "kind": h.kind, "hash": h.hash, "distinct_subjects": h.distinct_subjects,
        })).collect::<Vec<_>>(),
    })))
}

/// Body of `POST /links/{id}/decision`.
#[derive(Deserialize)]
pub struct DecisionBody {
    /// `confirm` or `reject`.
    decision: String,
    /// Why.
    #[serde(default)]
    reason: String,
}

/// `POST /links/{id}/decision`.
pub async fn decision(
    State(state): State<AppState>,
    ApiCtx(ctx): ApiCtx,
    Path(id): Path<String>,
    b: JsonBody<DecisionBody>,
) -> ApiResult {
    let b = body(b)?;
    let link = app::subjects::decide_link(&state.app, &ctx, &id, &b.decision, &b.reason).await?;
    Ok(Json(link_json(&link)))
}
