//! The referral page's "Subject" panel: which subject the referral belongs to, how many other referrals the
//! user may read are about the same person (an open one means the referral joins an open case), the
//! suggested links waiting for a decision, and a note when one of its files is likely viral content.
//! Counts and names come only from referrals in the user's scope.

use crate::AppState;
use crate::api::subjects::may_on;
use crate::auth::Ctx;
use crate::error::AppError;
use domain::identifiers::DEFAULT_VIRAL_THRESHOLD;
use domain::{Action, Referral};
use maud::{Markup, html};

/// The panel for a referral the user has already been allowed to read.
pub async fn panel(state: &AppState, ctx: &Ctx, r: &Referral) -> Result<Markup, AppError> {
    let subject = match &r.subject_id {
        Some(id) => state.store.subject(r.force, id).await?,
        None => None,
    };
    let others: Vec<_> = subject
        .map(|s| s.restricted_to(|o| o.id != r.id && may_on(ctx, Action::ReadReferral, o.bcu)))
        .map(|s| s.referrals)
        .unwrap_or_default();
    let open = others.iter().filter(|o| o.status.is_open()).count();
    // Open referrals about the same person held outside the user's scope are counted, never named, so that
    // nobody works a case blind to another BCU's (the central desk can say which).
    let unseen_open = usize::try_from(r.linked_open)
        .unwrap_or(0)
        .saturating_sub(open);
    let pending: Vec<_> = state
        .store
        .suggestions_for_referral(r.id)
        .await?
        .into_iter()
        .filter(|l| l.is_pending())
        .collect();
    let viral: Vec<_> = state
        .store
        .viral_hashes(r.id, DEFAULT_VIRAL_THRESHOLD)
        .await?
        .into_iter()
        .filter(|h| h.likely_viral)
        .collect();
    let here = r.subject_id.clone().unwrap_or_default();
    let back = format!("/referrals/{}", r.id);
    Ok(html! {
        section.subject-panel aria-labelledby="subject-h" {
            h2 #subject-h { "Subject" }
            @match &r.subject_id {
                None => p { "This referral is not linked to a subject." },
                Some(id) => {
                    p {
                        a href={"/subjects/" (id)} { "View the subject and the identifiers that link its referrals" }
                    }
                    @if open > 0 {
                        p.open-case-note {
                            strong.badge.open-case { "Joins an open case" } " "
                            (count(others.len(), "other referral")) " about the same person, " (open) " still open."
                        }
                    } @else if others.is_empty() {
                        p { "No other referral you can see is about the same person." }
                    } @else {
                        p { (count(others.len(), "other referral")) " about the same person, none open." }
                    }
                    @if unseen_open > 0 {
                        p.hint { (count(unseen_open, "further open referral")) " about this person "
                            (if unseen_open == 1 { "is" } else { "are" }) " held outside your area: ask the central referrals desk." }
                    }
                }
            }
            @if !pending.is_empty() {
                h3 { "Suggested links" }
                @for l in &pending { (crate::pages::subject::suggestion(ctx, l, &here, &back)) }
            }
            @if !viral.is_empty() {
                div.viral-note role="note" aria-labelledby="viral-h" {
                    h3 #viral-h { "Likely viral content" }
                    p { "These files were also reported about many different people, so they say little about this one and do not link them:" }
                    ul {
                        @for h in &viral {
                            li { (h.kind.to_uppercase()) " " code { (h.hash) } " – " (h.distinct_subjects) " different subjects" }
                        }
                    }
                }
            }
        }
    })
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
