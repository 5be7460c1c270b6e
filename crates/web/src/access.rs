//! Need-to-know at the edge: every request for a record goes through here, which asks `domain::decide`,
//! applies the justification policy, and writes the access-log event. A record out of scope and a record
//! that does not exist give the same `NotFound`, and both attempts are logged as denied.

use crate::AppState;
use crate::auth::Ctx;
use crate::error::AppError;
use domain::audit::{AccessOutcome, Processing};
use domain::{Action, Decision, Referral, ReferralId, Target, decide};
use store::AuditDraft;

/// Log one access-log event for this user.
pub async fn log(
    state: &AppState,
    ctx: &Ctx,
    action: Processing,
    record_type: &str,
    record_id: &str,
    outcome: AccessOutcome,
    detail: String,
) -> Result<(), AppError> {
    state
        .store
        .append_audit(AuditDraft {
            force: Some(ctx.user.force),
            user: Some(ctx.user.id),
            username: ctx.user.username.clone(),
            action,
            record_type: record_type.into(),
            record_id: record_id.into(),
            justification: ctx.justification.clone(),
            outcome,
            detail,
        })
        .await?;
    Ok(())
}

/// Refuse, log, and answer if a mandatory justification is missing.
async fn require_justification(
    state: &AppState,
    ctx: &Ctx,
    kind: Processing,
    record_id: &str,
    detail: &str,
) -> Result<(), AppError> {
    if state
        .config
        .justification
        .is_missing(kind, ctx.justification.as_deref())
    {
        log(
            state,
            ctx,
            kind,
            "referral",
            record_id,
            AccessOutcome::Denied,
            format!("{detail}: no justification given"),
        )
        .await?;
        return Err(AppError::invalid(
            "justification.required",
            format!(
                "A justification is required for {kind}: give one in the justification field (or the X-Justification header)."
            ),
        ));
    }
    Ok(())
}

/// Check a function that is not about one record (the queue, the access log, user admin). A refusal is logged.
pub async fn require(
    state: &AppState,
    ctx: &Ctx,
    action: Action,
    kind: Processing,
    detail: &str,
) -> Result<(), AppError> {
    if decide(&ctx.user.principal(), action, Target::Collection) != Decision::Allow {
        log(
            state,
            ctx,
            kind,
            "collection",
            "-",
            AccessOutcome::Denied,
            format!("{detail}: not open to {}", ctx.user.role),
        )
        .await?;
        return Err(AppError::Forbidden);
    }
    require_justification(state, ctx, kind, "-", detail).await
}

/// Open a referral for a change that the store logs itself, in the same transaction as the change (an
/// alteration, a data request's disclosure, a link's combination): only a refusal is logged here, so an
/// allowed change is logged once, and a change refused later (by a rule) is not logged as done.
pub async fn open_referral_to_change(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    action: Action,
    kind: Processing,
    detail: &str,
) -> Result<Referral, AppError> {
    open(state, ctx, id, action, kind, detail, false).await
}

/// Open a referral for `action`. Consultations and disclosures are logged here as allowed; alterations are
/// logged by the store in the same transaction as the change.
pub async fn open_referral(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    action: Action,
    kind: Processing,
    detail: &str,
) -> Result<Referral, AppError> {
    open(
        state,
        ctx,
        id,
        action,
        kind,
        detail,
        kind != Processing::Alteration,
    )
    .await
}

async fn open(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    action: Action,
    kind: Processing,
    detail: &str,
    log_allowed: bool,
) -> Result<Referral, AppError> {
    let found = match id.parse::<ReferralId>() {
        Ok(rid) => state.store.referral(rid).await?,
        Err(_) => None,
    };
    let allowed = found.as_ref().is_some_and(|r| {
        decide(&ctx.user.principal(), action, Target::Record(r.scope())) == Decision::Allow
    });
    let Some(referral) = found.filter(|_| allowed) else {
        log(
            state,
            ctx,
            kind,
            "referral",
            id,
            AccessOutcome::Denied,
            format!("{detail}: not found or out of scope"),
        )
        .await?;
        return Err(AppError::NotFound);
    };
    require_justification(state, ctx, kind, id, detail).await?;
    if log_allowed {
        log(
            state,
            ctx,
            kind,
            "referral",
            id,
            AccessOutcome::Allowed,
            detail.to_string(),
        )
        .await?;
    }
    Ok(referral)
}

/// Whether the user may do `action` on this referral (to decide which forms to show).
pub fn may(ctx: &Ctx, action: Action, r: &Referral) -> bool {
    decide(&ctx.user.principal(), action, Target::Record(r.scope())) == Decision::Allow
}
