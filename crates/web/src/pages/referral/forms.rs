//! The step forms on a referral page, each shown only when the user may take that step now.

use super::typed::Typed;
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

/// The optional reason recorded with the step in the access log.
pub(super) fn justification(step: &str, t: Typed) -> Markup {
    let id = format!("{step}-justification");
    html! {
        div.field {
            label for=(id) { "Why you are making this change (optional)" }
            span.hint id={(id) "-hint"} { "Recorded with the change in the access log, for the data protection officer." }
            input id=(id) name="justification" type="text" maxlength="1000" aria-describedby={(id) "-hint"} value=[t.value(step, "justification")];
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
    // A time that happens twice comes with the answer to "which?" (see `crate::input`).
    let (text, fold) = match s.trim().rsplit_once(' ') {
        Some((t, "first")) => (t, Some(domain::time::Fold::First)),
        Some((t, "second")) => (t, Some(domain::time::Fold::Second)),
        _ => (s.trim(), None),
    };
    let dt: jiff::civil::DateTime = text.parse().map_err(|_| bad())?;
    domain::time::london_wall(dt, fold).map_err(|p| {
        Error::invalid(
            p.code(),
            format!("{}.", crate::input::capital(&p.to_string())),
        )
    })
}

/// Every step form the user may use on this referral now (the reassessment of a recorded level is apart:
/// [`reassess`]).
pub fn actions(
    ctx: &Ctx,
    r: &Referral,
    officers: &[User],
    bcus: &[(Bcu, Vec<String>)],
    nfa: &NfaPolicy,
    t: Typed,
) -> Markup {
    let may = |a| access::may(ctx, a, r);
    if !r.status.is_open() {
        return reopen(ctx, r, may(Action::ReopenReferral), t);
    }
    if r.status == Status::OutcomeProposed {
        return decision(ctx, r, may(Action::ApproveNfa), t);
    }
    html! {
        @if !bcus.is_empty() {
            section.step aria-labelledby="route-h" {
                h3 #route-h { "Route to a BCU" }
                form method="post" action={"/referrals/" (r.id) "/route"} {
                    (hidden(ctx, r))
                    div.field {
                        label for="bcu" { "BCU" }
                        span.hint #bcu-hint { "Each BCU is listed with the boroughs it covers." @if let Some(b) = &r.borough { " The report gives the borough as " (b) "." } }
                        (t.error_line("bcu"))
                        select #bcu name="bcu" required aria-describedby="bcu-hint" {
                            option value="" { "Choose a BCU" }
                            @for (b, boroughs) in bcus {
                                option value=(b.code) selected[t.value("route", "bcu") == Some(b.code.as_str())] {
                                    (b.name) @if !boroughs.is_empty() { " (" (boroughs.join(", ")) ")" }
                                }
                            }
                        }
                    }
                    (justification("route", t))
                    button type="submit" { "Route" }
                }
            }
        }
        @if may(Action::AssessRisk) && r.risk_level.is_none() {
            (risk_form(ctx, r, t))
        }
        @if may(Action::Allocate) && r.bcu.is_some() && r.status != Status::New {
            section.step aria-labelledby="alloc-h" {
                h3 #alloc-h { @if r.allocated_to.is_some() { "Reallocate" } @else { "Allocate to an officer" } }
                form method="post" action={"/referrals/" (r.id) "/allocation"} {
                    (hidden(ctx, r))
                    div.field {
                        label for="officer" { "Officer" }
                        (t.error_line("officer"))
                        select #officer name="officer" required aria-describedby=[t.described_by("officer")] {
                            option value="" { "Choose an officer" }
                            @for u in officers {
                                option value=(u.username) selected[t.value("allocation", "officer").map_or(r.allocated_to == Some(u.id), |v| v == u.username)] { (u.display_name) }
                            }
                        }
                    }
                    (justification("allocation", t))
                    button type="submit" { "Allocate" }
                }
            }
        }
        @if may(Action::RecordEnforcement) && matches!(r.status, Status::Allocated | Status::Enforcement) {
            section.step aria-labelledby="enf-h" {
                h3 #enf-h { "Record enforcement" }
                form method="post" action={"/referrals/" (r.id) "/enforcement"} {
                    (hidden(ctx, r))
                    fieldset aria-describedby=[t.described_by("kind-warrant")] {
                        legend { "Action taken" }
                        (t.error_line("kind-warrant"))
                        @for k in EnforcementKind::ALL {
                            div.radio {
                                input type="radio" name="kind" id={"kind-" (k.as_str())} value=(k.as_str()) required checked[t.chosen("enforcement", "kind", k.as_str(), false)];
                                label for={"kind-" (k.as_str())} { (k.label()) }
                            }
                        }
                    }
                    div.field {
                        label for="at" { "When (London time; leave empty for now)" }
                        (t.error_line("at"))
                        input #at name="at" type="datetime-local" value=[t.value("enforcement", "at")] aria-describedby=[t.described_by("at")];
                    }
                    div.field {
                        label for="enf-address" { "Address (required for a warrant; it must be corroborated)" }
                        (t.error_line("enf-address"))
                        input #enf-address name="address" type="text" maxlength="1000" value=[t.value("enforcement", "address")] aria-describedby=[t.described_by("enf-address")];
                    }
                    div.field {
                        label for="notes" { "Notes" }
                        (t.error_line("notes"))
                        textarea #notes name="notes" rows="2" maxlength="10000" aria-describedby=[t.described_by("notes")] { (t.value("enforcement", "notes").unwrap_or("")) }
                    }
                    (justification("enforcement", t))
                    button type="submit" { "Record enforcement" }
                }
            }
        }
        @if may(Action::RecordOutcome) {
            section.step aria-labelledby="out-h" {
                h3 #out-h { "Record the outcome" }
                p.hint { "A no-further-action outcome (marked NFA) waits for a supervisor's approval; any other closes the referral, and you are asked to confirm." }
                form method="post" action={"/referrals/" (r.id) "/outcome"} {
                    (hidden(ctx, r))
                    div.field {
                        label for="code" { "Home Office outcome code" }
                        (t.error_line("code"))
                        select #code name="code" required aria-describedby=[t.described_by("code")] {
                            option value="" { "Choose an outcome" }
                            @for c in OutcomeCode::all() {
                                option value=(c) selected[t.value("outcome", "code") == Some(c.to_string().as_str())] { (c) " – " (c.label()) @if nfa.is_nfa(c) { " (NFA: a supervisor approves)" } }
                            }
                        }
                    }
                    div.field {
                        label for="rationale" { "Rationale" }
                        (t.error_line("rationale"))
                        textarea #rationale name="rationale" rows="3" required maxlength="10000" aria-describedby=[t.described_by("rationale")] { (t.value("outcome", "rationale").unwrap_or("")) }
                    }
                    div.field {
                        label for="informed" { "For outcome 21: who was told of the decision" }
                        (t.error_line("informed"))
                        select #informed name="informed" aria-describedby=[t.described_by("informed")] {
                            option value="" { "Not applicable" }
                            option value="victim" selected[t.value("outcome", "informed") == Some("victim")] { "The victim" }
                            option value="parent_or_guardian" selected[t.value("outcome", "informed") == Some("parent_or_guardian")] { "The child victim's parent or guardian" }
                        }
                    }
                    (justification("outcome", t))
                    button type="submit" { "Record outcome" }
                }
            }
        }
    }
}

/// The form recording a risk level by hand (`Record a risk level`, or `Reassess the risk level` once one is
/// recorded).
pub fn risk_form(ctx: &Ctx, r: &Referral, t: Typed) -> Markup {
    html! {
        section.step aria-labelledby="risk-h" {
            h3 #risk-h { @if r.risk_level.is_some() { "Reassess the risk level" } @else { "Record a risk level" } }
            form method="post" action={"/referrals/" (r.id) "/risk"} {
                (hidden(ctx, r))
                fieldset aria-describedby=[t.described_by("level-very_high")] {
                    legend { "Risk level" }
                    (t.error_line("level-very_high"))
                    @for l in RiskLevel::ALL {
                        div.radio {
                            input type="radio" name="level" id={"level-" (l.as_str())} value=(l.as_str()) required checked[t.chosen("risk", "level", l.as_str(), r.risk_level == Some(l))];
                            label for={"level-" (l.as_str())} { (l.label()) }
                        }
                    }
                }
                div.field {
                    label for="reason" { "Reason" }
                    (t.error_line("reason"))
                    textarea #reason name="reason" rows="3" required maxlength="10000" aria-describedby=[t.described_by("reason")] { (t.value("risk", "reason").unwrap_or("")) }
                }
                (justification("risk", t))
                button type="submit" { "Record risk level" }
            }
        }
    }
}

/// A supervisor's decision on a proposed outcome; for anyone else, what it waits for.
fn decision(ctx: &Ctx, r: &Referral, may_decide: bool, t: Typed) -> Markup {
    let code = r
        .outcome
        .map(|c| format!("{c} – {}", c.label()))
        .unwrap_or_default();
    let own = r.outcome_proposed_by == Some(ctx.user.id);
    html! {
        section.step aria-labelledby="decide-h" {
            h3 #decide-h { "Outcome awaiting approval" }
            dl.details {
                dt { "Proposed outcome" } dd { (code) }
                dt { "Rationale" } dd { (r.outcome_rationale.as_deref().unwrap_or("")) }
                @if let Some(w) = r.victim_informed { dt { "Told of the decision" } dd { (w.label()) } }
                @if let Some(t) = r.outcome_proposed_at { dt { "Proposed" } dd { (domain::time::display(t)) } }
            }
            @if may_decide && !own {
                form method="post" action={"/referrals/" (r.id) "/outcome-decision"} {
                    (hidden(ctx, r))
                    fieldset aria-describedby=[t.described_by("approve-yes")] {
                        legend { "Your decision" }
                        (t.error_line("approve-yes"))
                        div.radio {
                            input type="radio" name="approve" id="approve-yes" value="true" required checked[t.chosen("outcome-decision", "approve", "true", false)];
                            label for="approve-yes" { "Approve: the referral closes with this outcome (you are asked to confirm)" }
                        }
                        div.radio {
                            input type="radio" name="approve" id="approve-no" value="false" checked[t.chosen("outcome-decision", "approve", "false", false)];
                            label for="approve-no" { "Return it to the investigator" }
                        }
                    }
                    div.field {
                        label for="decision-reason" { "Reason (needed to return it)" }
                        (t.error_line("decision-reason"))
                        textarea #decision-reason name="reason" rows="3" maxlength="10000" aria-describedby=[t.described_by("decision-reason")] { (t.value("outcome-decision", "reason").unwrap_or("")) }
                    }
                    (justification("outcome-decision", t))
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
fn reopen(ctx: &Ctx, r: &Referral, may_reopen: bool, t: Typed) -> Markup {
    html! {
        section.step aria-labelledby="closed-h" {
            h3 #closed-h { "Closed" }
            @if let Some(d) = r.retention_review_on {
                p { "The record is next reviewed for retention on " (d.strftime("%-d %B %Y")) "." }
            }
            @if may_reopen {
                form method="post" action={"/referrals/" (r.id) "/reopen"} {
                    (hidden(ctx, r))
                    div.field {
                        label for="reopen-reason" { "Reason for reopening" }
                        (t.error_line("reopen-reason"))
                        textarea #reopen-reason name="reason" rows="3" required maxlength="10000" aria-describedby=[t.described_by("reopen-reason")] { (t.value("reopen", "reason").unwrap_or("")) }
                    }
                    (justification("reopen", t))
                    button.secondary type="submit" { "Reopen the referral" }
                }
            } @else {
                p { "Nothing changes a closed referral; a supervisor of its BCU can reopen it." }
            }
        }
    }
}
