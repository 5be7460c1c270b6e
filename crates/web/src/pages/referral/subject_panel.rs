//! The referral page's "Subject" panel: which subject the referral belongs to, how many other referrals the
//! user may read are about the same person (an open one means the referral joins an open case), the
//! suggested links waiting for a decision, and a note when one of its files is likely viral content.
//! Counts and names come only from referrals in the user's scope.

use crate::Ctx;
use app::subjects::Panel;
use domain::Referral;
use maud::{Markup, html};

/// The panel for a referral the user has already been allowed to read.
pub fn panel(ctx: &Ctx, r: &Referral, p: &Panel) -> Markup {
    let (others, open, unseen_open, pending, viral) =
        (&p.others, p.open, p.unseen_open, &p.pending, &p.viral);
    let here = r.subject_id.clone().unwrap_or_default();
    let back = format!("/referrals/{}", r.id);
    html! {
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
                @for l in pending { (crate::pages::subject::suggestion(ctx, l, &here, &back)) }
            }
            @if !viral.is_empty() {
                div.viral-note role="note" aria-labelledby="viral-h" {
                    h3 #viral-h { "Likely viral content" }
                    p { "These files were also reported about many different people, so they say little about this one and do not link them:" }
                    ul {
                        @for h in viral {
                            li { (h.kind.to_uppercase()) " " code { (h.hash) } " – " (h.distinct_subjects) " different subjects" }
                        }
                    }
                }
            }
        }
    }
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}
