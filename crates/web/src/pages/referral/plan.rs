//! The referral page's offence and investigation plan: the offence (suggested by the incident type until
//! confirmed) with its methods, and each action with who does it, its guidance, its clock and the forms to
//! complete it, set it aside or add one.

use super::forms::hidden;
use super::supervision::when;
use crate::Ctx;
use app::access;
use app::plans::ActionView;
use domain::clocks::{ClockState, LateReasonCode};
use domain::offence::Offence;
use domain::plans::Doer;
use domain::{Action, Referral};
use maud::{Markup, html};

/// The offence and the plan.
pub fn section(
    ctx: &Ctx,
    r: &Referral,
    plan: &[ActionView],
    late_reasons: &[LateReasonCode],
    t: super::typed::Typed,
) -> Markup {
    let c = r.classification();
    let may_classify = access::may(ctx, Action::AssessRisk, r) && r.status.is_open();
    let may_work = access::may(ctx, Action::WorkPlan, r) && r.status.is_open();
    html! {
        h2 #plan { "Offence and plan" }
        dl.details {
            dt { "Offence" }
            dd {
                (c.offence.label())
                @if !c.confirmed { " " span.muted { "(suggested by the platform's incident type \"" (r.incident_type) "\": confirm it)" } }
            }
            @if c.sextortion || c.live_streaming {
                dt { "Method" }
                dd { (match (c.sextortion, c.live_streaming) { (true, true) => "Sextortion; live-streaming", (true, false) => "Sextortion", _ => "Live-streaming" }) }
            }
        }
        @if may_classify {
            details {
                summary { @if c.confirmed { "Change the offence" } @else { "Confirm the offence" } }
                form method="post" action={"/referrals/" (r.id) "/offence"} {
                    (hidden(ctx, r))
                    div.field {
                        label for="offence" { "Offence" }
                        select #offence name="offence" required {
                            @for o in Offence::ALL { option value=(o.as_str()) selected[o == c.offence] { (o.label()) } }
                        }
                    }
                    fieldset {
                        legend { "Methods (not offences)" }
                        div.checkbox { input type="checkbox" id="m-sextortion" name="sextortion" value="true" checked[c.sextortion]; label for="m-sextortion" { "Sextortion" } }
                        div.checkbox { input type="checkbox" id="m-live" name="live_streaming" value="true" checked[c.live_streaming]; label for="m-live" { "Live-streaming" } }
                    }
                    button.secondary type="submit" { "Record the offence" }
                }
            }
        }
        @if plan.is_empty() {
            p { "The investigation plan is made when the referral is allocated, from its offence's template." }
        } @else {
            ol.plan {
                @for a in plan {
                    li {
                        h3 { (a.title) }
                        p.muted {
                            (a.who.label())
                            " · "
                            @match (&a.status[..], &a.due_at, a.state) {
                                ("done", _, _) => { "Done" @if let Some(t) = &a.done_at { " " (when(t)) } @if let Some(b) = &a.done_by { " by " (b) } }
                                ("not_applicable", _, _) => { "Does not apply: " (a.note.as_deref().unwrap_or("")) }
                                (_, Some(due), Some(s)) => { span class={"clock clock-" (match s { ClockState::Overdue | ClockState::Missed => "overdue", ClockState::AtRisk | ClockState::Paused => "soon", _ => "done" })} { (s.label()) } ", due " (when(due)) }
                                _ => { "No due time until " (a.from.map(|f| f.label()).unwrap_or("its date")) }
                            }
                        }
                        details { summary { "Guidance" } p { (a.guidance) } }
                        @if may_work && a.status == "open" {
                            form.inline-form method="post" action={"/referrals/" (r.id) "/action-done"} {
                                (hidden(ctx, r))
                                input type="hidden" name="action_id" value=(a.id);
                                @if a.state == Some(ClockState::Overdue) {
                                    div.field {
                                        label for={"late-" (a.id)} { "Why late?" }
                                        (t.error_line(&format!("late-{}", a.id)))
                                        select id={"late-" (a.id)} name="late_code" required aria-describedby=[t.described_by(&format!("late-{}", a.id))] {
                                            option value="" { "Choose a reason" }
                                            @for l in late_reasons { option value=(l.code) { (l.label) } }
                                        }
                                    }
                                }
                                button.secondary type="submit" { "Mark done" }
                            }
                            form.inline-form method="post" action={"/referrals/" (r.id) "/action-na"} {
                                (hidden(ctx, r))
                                input type="hidden" name="action_id" value=(a.id);
                                div.field { label for={"na-" (a.id)} { "Why it does not apply" } (t.error_line(&format!("na-{}", a.id))) input id={"na-" (a.id)} name="reason" type="text" required maxlength="10000" value=[t.value_of("action-na", "action_id", &a.id, "reason")] aria-describedby=[t.described_by(&format!("na-{}", a.id))]; }
                                button.secondary type="submit" { "Does not apply" }
                            }
                        }
                    }
                }
            }
        }
        @if may_work && !plan.is_empty() {
            details open[t.value("action-add", "title").is_some()] {
                summary { "Add an action" }
                form method="post" action={"/referrals/" (r.id) "/action-add"} {
                    (hidden(ctx, r))
                    div.field { label for="add-title" { "What to do" } (t.error_line("add-title")) input #add-title name="title" type="text" required maxlength="10000" value=[t.value("action-add", "title")] aria-describedby=[t.described_by("add-title")]; }
                    div.field {
                        label for="add-who" { "Who does it" }
                        select #add-who name="who" {
                            @for d in [Doer::Investigator, Doer::Supervisor, Doer::Forensics] {
                                option value=(match d { Doer::Investigator => "investigator", Doer::Supervisor => "supervisor", Doer::Forensics => "forensics" }) { (d.label()) }
                            }
                        }
                    }
                    div.field { label for="add-due" { "Due (London time)" } (t.error_line("add-due")) input #add-due name="due_at" type="datetime-local" required value=[t.value("action-add", "due_at")] aria-describedby=[t.described_by("add-due")]; }
                    div.field { label for="add-guidance" { "Guidance (optional)" } (t.error_line("add-guidance")) textarea #add-guidance name="guidance" rows="2" maxlength="10000" aria-describedby=[t.described_by("add-guidance")] { (t.value("action-add", "guidance").unwrap_or("")) } }
                    button.secondary type="submit" { "Add the action" }
                }
            }
        }
    }
}
