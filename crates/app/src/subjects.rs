//! Subjects and link decisions. A subject is seen only through referrals the user may read: its other
//! referrals (and the identifiers only they carry) are left out, and a subject with none in scope is not
//! found, exactly as if it did not exist. Deciding a link needs `AssessRisk` on its referral.

use crate::access::{self, may_on};
use crate::{Actor, App, Error};
use domain::audit::{AccessOutcome, Processing};
use domain::identifiers::DEFAULT_VIRAL_THRESHOLD;
use domain::{Action, Referral, ReferralId};
use store::{HashSpread, LinkRow, Subject, SubjectReferral};

/// A subject as the user may see it, with the links concerning its visible referrals, and the files of
/// those referrals that are likely viral content.
#[derive(Debug)]
pub struct VisibleSubject {
    /// The subject, restricted to referrals in scope.
    pub subject: Subject,
    /// Links whose referral is in scope.
    pub links: Vec<LinkRow>,
    /// Likely viral file hashes of the visible referrals, with the referral each belongs to.
    pub viral: Vec<(ReferralId, HashSpread)>,
}

/// Open a subject for reading: need-to-know, the justification policy, and a logged consultation.
pub async fn open(app: &App, actor: &Actor, id: &str) -> Result<VisibleSubject, Error> {
    let found = app.store().subject(actor.user.force, id).await?;
    let visible = found
        .map(|s| s.restricted_to(|r| may_on(actor, Action::ReadReferral, r.bcu)))
        .filter(|s| !s.referrals.is_empty());
    let kind = Processing::Consultation;
    let Some(subject) = visible else {
        let detail = "read subject: not found or out of scope".to_string();
        access::log(
            app,
            actor,
            kind,
            "subject",
            id,
            AccessOutcome::Denied,
            detail,
        )
        .await?;
        return Err(Error::NotFound);
    };
    access::require_justification(app, actor, kind, "subject", id, "read subject").await?;
    let links = app
        .store()
        .links_for_subject(&subject.id)
        .await?
        .into_iter()
        .filter(|l| may_on(actor, Action::ReadReferral, l.referral_bcu))
        .collect();
    let mut viral = vec![];
    for r in &subject.referrals {
        for h in app
            .store()
            .viral_hashes(r.id, DEFAULT_VIRAL_THRESHOLD)
            .await?
        {
            if h.likely_viral {
                viral.push((r.id, h));
            }
        }
    }
    let detail = format!("read subject: {} referrals shown", subject.referrals.len());
    access::log(
        app,
        actor,
        kind,
        "subject",
        id,
        AccessOutcome::Allowed,
        detail,
    )
    .await?;
    Ok(VisibleSubject {
        subject,
        links,
        viral,
    })
}

/// A link the user may decide (to show a refused decision again beside its form), or `None`.
pub async fn decidable_link(
    app: &App,
    actor: &Actor,
    link_id: &str,
) -> Result<Option<LinkRow>, Error> {
    Ok(app
        .store()
        .link(actor.user.force, link_id)
        .await?
        .filter(|l| may_on(actor, Action::AssessRisk, l.referral_bcu)))
}

/// Confirm or reject a suggested link with a reason. The reason is required; the referral must be one the
/// user may assess; a link already decided is `AlreadyDone`.
pub async fn decide_link(
    app: &App,
    actor: &Actor,
    link_id: &str,
    decision: &str,
    reason: &str,
) -> Result<LinkRow, Error> {
    let confirm = match decision.trim() {
        "confirm" => true,
        "reject" => false,
        _ => {
            return Err(Error::invalid_at(
                "link.invalid_decision",
                "Choose whether to confirm or reject the suggested link.",
                "decision",
            ));
        }
    };
    if reason.trim().is_empty() {
        return Err(Error::invalid_at(
            "link.reason_required",
            "Give the reason for your decision.",
            "reason",
        ));
    }
    let Some(link) = app.store().link(actor.user.force, link_id).await? else {
        let detail = "decide suggested link: not found".to_string();
        let kind = Processing::Combination;
        access::log(
            app,
            actor,
            kind,
            "link",
            link_id,
            AccessOutcome::Denied,
            detail,
        )
        .await?;
        return Err(Error::NotFound);
    };
    access::open_referral_to_change(
        app,
        actor,
        &link.referral_id.to_string(),
        Action::AssessRisk,
        Processing::Combination,
        "decide suggested link",
    )
    .await?;
    match app
        .store()
        .decide_link(actor.user.force, link_id, confirm, reason, &actor.author())
        .await
    {
        Err(store::StoreError::Conflict) => Err(Error::AlreadyDone {
            code: "link.already_decided",
            message: "Someone has already confirmed or rejected this suggested link, so your decision was not \
                      recorded: reload the subject to see the decision."
                .into(),
        }),
        other => Ok(other?),
    }
}

/// The referral page's subject panel, for a referral the user has already been allowed to read. Counts
/// and names come only from referrals in the user's scope.
#[derive(Debug, Default)]
pub struct Panel {
    /// The other referrals about the same person that the user may read.
    pub others: Vec<SubjectReferral>,
    /// How many of those are open.
    pub open: usize,
    /// Open referrals about the same person held outside the user's scope: counted, never named, so that
    /// nobody works a case blind to another BCU's (the central desk can say which).
    pub unseen_open: usize,
    /// Suggested links waiting for a decision.
    pub pending: Vec<LinkRow>,
    /// The referral's likely viral files.
    pub viral: Vec<HashSpread>,
}

/// The subject panel of a referral already opened (by [`crate::referrals::dossier`]).
pub(crate) async fn panel(app: &App, actor: &Actor, r: &Referral) -> Result<Panel, Error> {
    let subject = match &r.subject_id {
        Some(id) => app.store().subject(r.force, id).await?,
        None => None,
    };
    let others: Vec<_> = subject
        .map(|s| s.restricted_to(|o| o.id != r.id && may_on(actor, Action::ReadReferral, o.bcu)))
        .map(|s| s.referrals)
        .unwrap_or_default();
    let open = others.iter().filter(|o| o.status.is_open()).count();
    let unseen_open = usize::try_from(r.linked_open)
        .unwrap_or(0)
        .saturating_sub(open);
    let pending = app
        .store()
        .suggestions_for_referral(r.id)
        .await?
        .into_iter()
        .filter(|l| l.is_pending())
        .collect();
    let viral = app
        .store()
        .viral_hashes(r.id, DEFAULT_VIRAL_THRESHOLD)
        .await?
        .into_iter()
        .filter(|h| h.likely_viral)
        .collect();
    Ok(Panel {
        others,
        open,
        unseen_open,
        pending,
        viral,
    })
}
