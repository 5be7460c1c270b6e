//! The step forms on a referral page, each shown only when the user may take that step now.

use crate::Ctx;
use crate::error::Error;
use app::access;
use domain::{
    Action, Bcu, EnforcementKind, NfaPolicy, OutcomeCode, Referral, RiskLevel, Status, User,
};
use maud::{Markup, html};

/// The CSRF token and the version every form of the referral page carries.
pub(super) fn hidden(ctx: &Ctx, r: &Referral) -> Markup {
    html! {
        input type="hidden" name="csrf" value=(ctx.session.csrf_token);
        input type="hidden" name="version" value=(r.version);
    }
}

fn justification(step: &str) -> Markup {
    let id = format!("{step}-justification");
    html! {
        div.field {
            label for=(id) { "Justification (optional)" }
            input id=(id) name="justification" type="text";
        }
    }
}

/// A London wall-clock time from a `datetime-local` field (empty means now).
pub fn parse_london(s: &str) -> Result<jiff::Timestamp, Error> {
    if s.trim().is_empty() {
        return Ok(jiff::Timestamp::now());
    }
    let bad = || {
        Error::invalid(
            "request.invalid",
            format!("'{s}' is not a date and time (use the date picker, e.g. 2026-11-29T14:05)."),
        )
    };
    let dt: jiff::civil::DateTime = s.trim().parse().map_err(|_| bad())?;
    dt.to_zoned_datetime(domain::time::london())
        .map(|z| z.timestamp())
        .map_err(|_| bad())
}

/// Every form the user may use on this referral now.
pub fn actions(
    ctx: &Ctx,
    r: &Referral,
    officers: &[User],
    bcus: &[Bcu],
    nfa: &NfaPolicy,
) -> Markup {
    let may = |a| access::may(ctx, a, r);
    if !r.status.is_open() {
        return reopen(ctx, r, may(Action::ReopenReferral));
    }
    if r.status == Status::OutcomeProposed {
        return decision(ctx, r, may(Action::ApproveNfa));
    }
    html! {
        @if may(Action::AssessRisk) {
            section.step aria-labelledby="risk-h" {
                h2 #risk-h { @if r.risk_level.is_some() { "Reassess the risk level" } @else { "Record a risk level" } }
                form method="post" action={"/referrals/" (r.id) "/risk"} {
                    (hidden(ctx, r))
                    fieldset {
                        legend { "Risk level" }
                        @for l in RiskLevel::ALL {
                            div.radio {
                                input type="radio" name="level" id={"level-" (l.as_str())} value=(l.as_str()) required checked[r.risk_level == Some(l)];
                                label for={"level-" (l.as_str())} { (l.label()) }
                            }
                        }
                    }
                    div.field {
                        label for="reason" { "Reason" }
                        textarea #reason name="reason" rows="3" required {}
                    }
                    (justification("risk"))
                    button type="submit" { "Record risk level" }
                }
            }
        }
        @if !bcus.is_empty() {
            section.step aria-labelledby="route-h" {
                h2 #route-h { "Route to a BCU" }
                form method="post" action={"/referrals/" (r.id) "/route"} {
                    (hidden(ctx, r))
                    div.field {
                        label for="bcu" { "BCU" }
                        select #bcu name="bcu" required {
                            option value="" { "Choose a BCU" }
                            @for b in bcus { option value=(b.code) { (b.name) } }
                        }
                    }
                    (justification("route"))
                    button type="submit" { "Route" }
                }
            }
        }
        @if may(Action::Allocate) && r.bcu.is_some() && r.status != Status::New {
            section.step aria-labelledby="alloc-h" {
                h2 #alloc-h { @if r.allocated_to.is_some() { "Reallocate" } @else { "Allocate to an officer" } }
                form method="post" action={"/referrals/" (r.id) "/allocation"} {
                    (hidden(ctx, r))
                    div.field {
                        label for="officer" { "Officer" }
                        select #officer name="officer" required {
                            option value="" { "Choose an officer" }
                            @for u in officers { option value=(u.username) selected[r.allocated_to == Some(u.id)] { (u.display_name) } }
                        }
                    }
                    (justification("allocation"))
                    button type="submit" { "Allocate" }
                }
            }
        }
        @if may(Action::RecordEnforcement) && matches!(r.status, Status::Allocated | Status::Enforcement) {
            section.step aria-labelledby="enf-h" {
                h2 #enf-h { "Record enforcement" }
                form method="post" action={"/referrals/" (r.id) "/enforcement"} {
                    (hidden(ctx, r))
                    fieldset {
                        legend { "Action taken" }
                        @for k in EnforcementKind::ALL {
                            div.radio {
                                input type="radio" name="kind" id={"kind-" (k.as_str())} value=(k.as_str()) required;
                                label for={"kind-" (k.as_str())} { (k.label()) }
                            }
                        }
                    }
                    div.field {
                        label for="at" { "When (London time; leave empty for now)" }
                        input #at name="at" type="datetime-local";
                    }
                    div.field {
                        label for="enf-address" { "Address (required for a warrant; it must be corroborated)" }
                        input #enf-address name="address" type="text";
                    }
                    div.field {
                        label for="notes" { "Notes" }
                        textarea #notes name="notes" rows="2" {}
                    }
                    (justification("enforcement"))
                    button type="submit" { "Record enforcement" }
                }
            }
        }
        @if may(Action::RecordOutcome) {
            section.step aria-labelledby="out-h" {
                h2 #out-h { "Record the outcome" }
                p.hint { "A no-further-action outcome (marked NFA) waits for a supervisor's approval; any other closes the referral." }
                form method="post" action={"/referrals/" (r.id) "/outcome"} {
                    (hidden(ctx, r))
                    div.field {
                        label for="code" { "Home Office outcome code" }
                        select #code name="code" required {
                            option value="" { "Choose an outcome" }
                            @for c in OutcomeCode::all() {
                                option value=(c) { (c) " – " (c.label()) @if nfa.is_nfa(c) { " (NFA: a supervisor approves)" } }
                            }
                        }
                    }
                    div.field {
                        label for="rationale" { "Rationale" }
                        textarea #rationale name="rationale" rows="3" required {}
                    }
                    div.field {
                        label for="informed" { "For outcome 21: who was told of the decision" }
                        select #informed name="informed" {
                            option value="" { "Not applicable" }
                            option value="victim" { "The victim" }
                            option value="parent_or_guardian" { "The child victim's parent or guardian" }
                        }
                    }
                    (justification("outcome"))
                    button type="submit" { "Record outcome" }
                }
            }
        }
    }
}

/// A supervisor's decision on a proposed outcome; for anyone else, what it waits for.
fn decision(ctx: &Ctx, r: &Referral, may_decide: bool) -> Markup {
    let code = r
        .outcome
        .map(|c| format!("{c} – {}", c.label()))
        .unwrap_or_default();
    let own = r.outcome_proposed_by == Some(ctx.user.id);
    html! {
        section.step aria-labelledby="decide-h" {
            h2 #decide-h { "Outcome awaiting approval" }
            dl.details {
                dt { "Proposed outcome" } dd { (code) }
                dt { "Rationale" } dd { (r.outcome_rationale.as_deref().unwrap_or("")) }
                @if let Some(w) = r.victim_informed { dt { "Told of the decision" } dd { (w.label()) } }
                @if let Some(t) = r.outcome_proposed_at { dt { "Proposed" } dd { (domain::time::display(t)) } }
            }
            @if may_decide && !own {
                form method="post" action={"/referrals/" (r.id) "/outcome-decision"} {
                    (hidden(ctx, r))
                    fieldset {
                        legend { "Your decision" }
                        div.radio {
                            input type="radio" name="approve" id="approve-yes" value="true" required;
                            label for="approve-yes" { "Approve: the referral closes with this outcome" }
                        }
                        div.radio {
                            input type="radio" name="approve" id="approve-no" value="false";
                            label for="approve-no" { "Return it to the investigator" }
                        }
                    }
                    div.field {
                        label for="decision-reason" { "Reason (needed to return it)" }
                        textarea #decision-reason name="reason" rows="3" {}
                    }
                    (justification("outcome-decision"))
                    button type="submit" { "Record decision" }
                }
            } @else if own {
                p { "You proposed this outcome: another supervisor must approve or return it." }
            } @else {
                p { "A supervisor of this BCU approves or returns it." }
            }
        }
    }
}

/// A closed referral: its retention review, and for a supervisor, reopening it.
fn reopen(ctx: &Ctx, r: &Referral, may_reopen: bool) -> Markup {
    html! {
        section.step aria-labelledby="closed-h" {
            h2 #closed-h { "Closed" }
            @if let Some(d) = r.retention_review_on {
                p { "The record is next reviewed for retention on " (d.strftime("%-d %B %Y")) "." }
            }
            @if may_reopen {
                form method="post" action={"/referrals/" (r.id) "/reopen"} {
                    (hidden(ctx, r))
                    div.field {
                        label for="reopen-reason" { "Reason for reopening" }
                        textarea #reopen-reason name="reason" rows="3" required {}
                    }
                    (justification("reopen"))
                    button.secondary type="submit" { "Reopen the referral" }
                }
            } @else {
                p { "Nothing changes a closed referral; a supervisor of its BCU can reopen it." }
            }
        }
    }
}
