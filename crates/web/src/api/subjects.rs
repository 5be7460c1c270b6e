//! Subjects and link decisions: `GET /subjects/{id}` and `POST /links/{id}/decision`, and the checks they
//! share with the pages. A subject is seen only through referrals the user may read: its other referrals
//! (and the identifiers only they carry) are left out, and a subject with none in scope is not found,
//! exactly as if it did not exist. Deciding a link needs `AssessRisk` on its referral.

use crate::AppState;
use crate::access;
use crate::auth::{ApiCtx, Ctx};
use crate::error::AppError;
use axum::Json;
use axum::extract::{Path, State};
use domain::audit::{AccessOutcome, Processing};
use domain::{Action, Decision, RecordScope, Target, decide};
use serde::Deserialize;
use serde_json::{Value, json};
use store::{LinkRow, Subject};

/// A subject as the user may see it, with the links concerning its visible referrals.
pub struct VisibleSubject {
    /// The subject, restricted to referrals in scope.
    pub subject: Subject,
    /// Links whose referral is in scope.
    pub links: Vec<LinkRow>,
}

/// Whether the user may do `action` on a referral of their force in `bcu`.
pub fn may_on(ctx: &Ctx, action: Action, bcu: Option<domain::BcuId>) -> bool {
    let scope = RecordScope {
        force: ctx.user.force,
        bcu,
    };
    decide(&ctx.user.principal(), action, Target::Record(scope)) == Decision::Allow
}

/// Open a subject for reading: need-to-know, the justification policy, and a logged consultation.
pub async fn open_subject(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
) -> Result<VisibleSubject, AppError> {
    let found = state.store.subject(ctx.user.force, id).await?;
    let visible = found
        .map(|s| s.restricted_to(|r| may_on(ctx, Action::ReadReferral, r.bcu)))
        .filter(|s| !s.referrals.is_empty());
    let Some(subject) = visible else {
        let detail = "read subject: not found or out of scope".to_string();
        access::log(
            state,
            ctx,
            Processing::Consultation,
            "subject",
            id,
            AccessOutcome::Denied,
            detail,
        )
        .await?;
        return Err(AppError::NotFound);
    };
    let kind = Processing::Consultation;
    if state
        .config
        .justification
        .is_missing(kind, ctx.justification.as_deref())
    {
        let detail = "read subject: no justification given".to_string();
        access::log(
            state,
            ctx,
            kind,
            "subject",
            id,
            AccessOutcome::Denied,
            detail,
        )
        .await?;
        return Err(AppError::invalid(
            "justification.required",
            format!(
                "A justification is required for {kind}: give one in the justification field (or the X-Justification header)."
            ),
        ));
    }
    let links = state
        .store
        .links_for_subject(&subject.id)
        .await?
        .into_iter()
        .filter(|l| may_on(ctx, Action::ReadReferral, l.referral_bcu))
        .collect();
    let detail = format!("read subject: {} referrals shown", subject.referrals.len());
    access::log(
        state,
        ctx,
        kind,
        "subject",
        id,
        AccessOutcome::Allowed,
        detail,
    )
    .await?;
    Ok(VisibleSubject { subject, links })
}

/// Confirm (`confirm`) or reject (`reject`) a suggested link with a reason. The reason is required; the
/// referral must be one the user may assess; a link already decided is a conflict.
pub async fn decide_link(
    state: &AppState,
    ctx: &Ctx,
    link_id: &str,
    decision: &str,
    reason: &str,
) -> Result<LinkRow, AppError> {
    let confirm = match decision.trim() {
        "confirm" => true,
        "reject" => false,
        _ => {
            return Err(AppError::Invalid {
                code: "link.invalid_decision",
                message: "Choose whether to confirm or reject the suggested link.".into(),
                location: Some("decision".into()),
            });
        }
    };
    if reason.trim().is_empty() {
        return Err(AppError::Invalid {
            code: "link.reason_required",
            message: "Give the reason for your decision.".into(),
            location: Some("reason".into()),
        });
    }
    let Some(link) = state.store.link(ctx.user.force, link_id).await? else {
        let detail = "decide suggested link: not found".to_string();
        access::log(
            state,
            ctx,
            Processing::Combination,
            "link",
            link_id,
            AccessOutcome::Denied,
            detail,
        )
        .await?;
        return Err(AppError::NotFound);
    };
    crate::access::open_referral_to_change(
        state,
        ctx,
        &link.referral_id.to_string(),
        Action::AssessRisk,
        Processing::Combination,
        "decide suggested link",
    )
    .await?;
    let actor = ctx.actor();
    match state
        .store
        .decide_link(ctx.user.force, link_id, confirm, reason, &actor)
        .await
    {
        Err(store::StoreError::Conflict) => Err(AppError::AlreadyDone {
            code: "link.already_decided",
            message: "Someone has already confirmed or rejected this suggested link, so your decision was not \
                      recorded: reload the subject to see the decision."
                .into(),
        }),
        other => Ok(other?),
    }
}

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
) -> Result<Json<Value>, AppError> {
    let VisibleSubject { subject: s, links } = open_subject(&state, &ctx, &id).await?;
    let mut viral: Vec<Value> = vec![];
    for r in &s.referrals {
        let threshold = domain::identifiers::DEFAULT_VIRAL_THRESHOLD;
        for h in state.store.viral_hashes(r.id, threshold).await? {
            if h.likely_viral {
                viral.push(json!({"referral_id": r.id, "kind": h.kind, "hash": h.hash, "distinct_subjects": h.distinct_subjects}));
            }
        }
    }
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
        "likely_viral_files": viral,
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
    body: Result<Json<DecisionBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, AppError> {
    let Json(b) = body.map_err(|e| AppError::invalid("request.invalid", e.body_text()))?;
    let link = decide_link(&state, &ctx, &id, &b.decision, &b.reason).await?;
    Ok(Json(link_json(&link)))
}
