//! The need-to-know choke point: every use case that reaches a record comes through here, which asks
//! `domain::decide`, applies the justification policy, and writes the access-log event. A record out of
//! scope and a record that does not exist give the same `NotFound`, and both attempts are logged as denied.

use crate::{Actor, App, Error};
use domain::audit::{AccessOutcome, Processing};
use domain::{Action, BcuId, Decision, RecordScope, Referral, ReferralId, Target, decide};
use store::AuditDraft;

/// Log one access-log event for this user.
pub async fn log(
    app: &App,
    actor: &Actor,
    action: Processing,
    record_type: &str,
    record_id: &str,
    outcome: AccessOutcome,
    detail: String,
) -> Result<(), Error> {
    app.store()
        .log_access(AuditDraft {
            force: Some(actor.user.force),
            user: Some(actor.user.id),
            username: actor.user.username.clone(),
            action,
            record_type: record_type.into(),
            record_id: record_id.into(),
            justification: actor.justification.clone(),
            outcome,
            detail,
        })
        .await?;
    Ok(())
}

/// Refuse, log, and answer if a mandatory justification is missing.
pub async fn require_justification(
    app: &App,
    actor: &Actor,
    kind: Processing,
    record_type: &str,
    record_id: &str,
    detail: &str,
) -> Result<(), Error> {
    if app
        .config()
        .justification
        .is_missing(kind, actor.justification.as_deref())
    {
        log(
            app,
            actor,
            kind,
            record_type,
            record_id,
            AccessOutcome::Denied,
            format!("{detail}: no justification given"),
        )
        .await?;
        return Err(Error::invalid(
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
    app: &App,
    actor: &Actor,
    action: Action,
    kind: Processing,
    detail: &str,
) -> Result<(), Error> {
    if decide(&actor.user.principal(), action, Target::Collection) != Decision::Allow {
        log(
            app,
            actor,
            kind,
            "collection",
            "-",
            AccessOutcome::Denied,
            format!("{detail}: not open to {}", actor.user.role),
        )
        .await?;
        return Err(Error::Forbidden);
    }
    require_justification(app, actor, kind, "collection", "-", detail).await
}

/// Open a referral for a change that the store logs itself, in the same transaction as the change (an
/// alteration, a data request's disclosure, a link's combination): only a refusal is logged here, so an
/// allowed change is logged once, and a change refused later (by a rule) is not logged as done.
pub async fn open_referral_to_change(
    app: &App,
    actor: &Actor,
    id: &str,
    action: Action,
    kind: Processing,
    detail: &str,
) -> Result<Referral, Error> {
    open(app, actor, id, action, kind, detail, false).await
}

/// Open a referral to read it: a logged consultation, `NotFound` out of scope.
pub async fn read_referral(
    app: &App,
    actor: &Actor,
    id: &str,
    detail: &str,
) -> Result<Referral, Error> {
    open_referral(
        app,
        actor,
        id,
        Action::ReadReferral,
        Processing::Consultation,
        detail,
    )
    .await
}

/// Open a referral for `action`. Consultations and disclosures are logged here as allowed; alterations are
/// logged by the store in the same transaction as the change.
pub async fn open_referral(
    app: &App,
    actor: &Actor,
    id: &str,
    action: Action,
    kind: Processing,
    detail: &str,
) -> Result<Referral, Error> {
    open(
        app,
        actor,
        id,
        action,
        kind,
        detail,
        kind != Processing::Alteration,
    )
    .await
}

async fn open(
    app: &App,
    actor: &Actor,
    id: &str,
    action: Action,
    kind: Processing,
    detail: &str,
    log_allowed: bool,
) -> Result<Referral, Error> {
    let found = match id.parse::<ReferralId>() {
        Ok(rid) => app.store().referral(rid).await?,
        Err(_) => None,
    };
    let allowed = found.as_ref().is_some_and(|r| {
        decide(&actor.user.principal(), action, Target::Record(r.scope())) == Decision::Allow
    });
    let Some(referral) = found.filter(|_| allowed) else {
        log(
            app,
            actor,
            kind,
            "referral",
            id,
            AccessOutcome::Denied,
            format!("{detail}: not found or out of scope"),
        )
        .await?;
        return Err(Error::NotFound);
    };
    // Nothing changes a closed referral but reopening it (a supervisor's decision).
    if kind == Processing::Alteration
        && referral.status == domain::Status::Closed
        && !matches!(
            action,
            Action::ReopenReferral | Action::CompleteRemedial | Action::QualityReview
        )
    {
        return Err(crate::referrals::closed());
    }
    require_justification(app, actor, kind, "referral", id, detail).await?;
    if log_allowed {
        log(
            app,
            actor,
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
pub fn may(actor: &Actor, action: Action, r: &Referral) -> bool {
    decide(&actor.user.principal(), action, Target::Record(r.scope())) == Decision::Allow
}

/// Whether the user may do `action` on a record of their force in `bcu` (a subject's referral, a link).
pub fn may_on(actor: &Actor, action: Action, bcu: Option<BcuId>) -> bool {
    let scope = RecordScope {
        force: actor.user.force,
        bcu,
    };
    decide(&actor.principal(), action, Target::Record(scope)) == Decision::Allow
}
