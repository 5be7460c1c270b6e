//! The referral page's supervision: its clocks with their state (a supervisor pauses and resumes those that
//! may pause, with a reason), the sergeant's reviews with the form for the next, and the decision log.

use super::forms::hidden;
use crate::Ctx;
use app::access;
use app::supervision::ClockView;
use domain::clocks::{ClockState, LateReasonCode};
use domain::{Action, Referral, TimelineEntry};
use maud::{Markup, html};

/// An RFC 3339 time in London time for people (as received if it does not parse).
pub(super) fn when(rfc3339: &str) -> String {
    rfc3339
        .parse::<jiff::Timestamp>()
        .map(domain::time::display)
        .unwrap_or_else(|_| rfc3339.to_string())
}

fn state_class(s: ClockState) -> &'static str {
    match s {
        ClockState::OnTime | ClockState::Met => "done",
        ClockState::AtRisk | ClockState::Paused => "soon",
        ClockState::Overdue | ClockState::Missed => "overdue",
    }
}

/// Clocks, reviews and the decision log.
pub fn section(
    ctx: &Ctx,
    r: &Referral,
    clocks: &[ClockView],
    reviews: &[app::rows::ReviewRow],
    timeline: &[TimelineEntry],
    late_reasons: &[LateReasonCode],
    t: super::typed::Typed,
) -> Markup {
    let supervise = access::may(ctx, Action::SuperviseReferral, r) && r.status.is_open();
    let work = access::may(ctx, Action::WorkPlan, r) && r.status.is_open();
    let review_due = clocks
        .iter()
        .find(|c| c.kind == domain::clocks::ClockKind::SupervisionReview && c.stopped_at.is_none());
    let decisions = app::supervision::decision_log(timeline);
    html! {
        h2 #supervision { "Supervision" }
        @if clocks.is_empty() {
            p { "Supervisory reviews start when the referral is allocated." }
        } @else {
            table.evidence {
                caption.visually-hidden { "Clocks of this referral" }
                thead { tr { th scope="col" { "Clock" } th scope="col" { "State" } th scope="col" { "Due (London)" } th scope="col" { "Paused" } @if supervise { th scope="col" { "Pause or resume" } } } }
                tbody {
                    @for c in clocks {
                        tr {
                            td { (c.label) br; span.muted { "started " (when(&c.started_at)) } }
                            td { span class={"clock clock-" (state_class(c.state))} { (c.state.label()) }
                                 @if let Some(code) = &c.late_code { br; span.muted { "Late: " (late_reasons.iter().find(|r| &r.code == code).map_or(code.as_str(), |r| r.label.as_str())) } } }
                            td { (when(&c.due_at)) }
                            td {
                                @if c.paused_seconds >= 60 { (domain::time::describe_duration(c.paused_seconds)) ", not counted" } @else { "—" }
                                @if let Some(why) = &c.paused_because { br; span.muted { (why) } }
                            }
                            @if supervise {
                                td {
                                    @if c.may_pause && c.paused_because.is_none() {
                                        form.inline-form method="post" action={"/referrals/" (r.id) "/pause-clock"} {
                                            (hidden(ctx, r))
                                            input type="hidden" name="clock" value=(c.id);
                                            div.field { label for={"pause-" (c.id)} { "Reason" } (t.error_line(&format!("pause-{}", c.id))) input id={"pause-" (c.id)} name="reason" type="text" required maxlength="10000" value=[t.value_of("pause-clock", "clock", &c.id, "reason")] aria-describedby=[t.described_by(&format!("pause-{}", c.id))]; }
                                            button.secondary type="submit" { "Pause" }
                                        }
                                    } @else if c.may_pause {
                                        form.inline-form method="post" action={"/referrals/" (r.id) "/resume-clock"} {
                                            (hidden(ctx, r))
                                            input type="hidden" name="clock" value=(c.id);
                                            button.secondary type="submit" { "Resume" }
                                        }
                                    } @else { "—" }
                                }
                            }
                        }
                    }
                }
            }
        }
        @for c in clocks.iter().filter(|c| c.kind == domain::clocks::ClockKind::BailReturn && c.stopped_at.is_none()) {
            @if work {
                form.inline-form method="post" action={"/referrals/" (r.id) "/returned"} {
                    (hidden(ctx, r))
                    input type="hidden" name="clock" value=(c.id);
                    @if c.state == ClockState::Overdue {
                        div.field {
                            label for={"ret-late-" (c.id)} { "The return was late: why?" }
                            select id={"ret-late-" (c.id)} name="late_code" required {
                                option value="" { "Choose a reason" }
                                @for l in late_reasons { option value=(l.code) { (l.label) } }
                            }
                        }
                    }
                    button.secondary type="submit" { "The person returned (due " (when(&c.due_at)) ")" }
                }
            }
        }
        @if work && r.allocated_to.is_some() {
            details open[t.value("return-date", "return_on").is_some()] {
                summary { "Record a bail or release-under-investigation return date" }
                form method="post" action={"/referrals/" (r.id) "/return-date"} {
                    (hidden(ctx, r))
                    div.field {
                        label for="return-kind" { "Kind" }
                        select #return-kind name="kind" {
                            option value="bail" { "Bail" }
                            option value="released_under_investigation" { "Release under investigation" }
                        }
                    }
                    div.field { label for="return-on" { "Return date (London time)" } (t.error_line("return-on")) input #return-on name="return_on" type="datetime-local" required value=[t.value("return-date", "return_on")] aria-describedby=[t.described_by("return-on")]; }
                    button.secondary type="submit" { "Record the return date" }
                }
            }
        }
        h3 { "Supervisory reviews" }
        @if reviews.is_empty() {
            p { "No review yet." }
        } @else {
            ol.timeline {
                @for v in reviews {
                    li {
                        span.when { (domain::time::display(v.at)) } " · " span.who { (v.by) }
                        p { strong { "Progress: " } (v.progress) }
                        p { strong { "Risk level: " } (if v.risk_still_right { "still right" } else { "to be reassessed" }) }
                        p { strong { "Next steps: " } (v.next_steps) }
                        @if let Some(c) = &v.plan_change { p { strong { "Plan change: " } (c) } }
                    }
                }
            }
        }
        @if supervise && r.allocated_to.is_some() {
            section.step aria-labelledby="review-h" {
                h3 #review-h { "Record a supervisory review" }
                @if let Some(c) = review_due { p.hint { "This review is due " (when(&c.due_at)) "." } }
                form method="post" action={"/referrals/" (r.id) "/review"} {
                    (hidden(ctx, r))
                    div.field { label for="review-progress" { "Progress since the last review" } (t.error_line("review-progress")) textarea #review-progress name="progress" rows="3" required maxlength="10000" aria-describedby=[t.described_by("review-progress")] { (t.value("review", "progress").unwrap_or("")) } }
                    fieldset aria-describedby=[t.described_by("risk-right-yes")] {
                        legend { "Is the risk level still right?" }
                        (t.error_line("risk-right-yes"))
                        div.radio { input type="radio" name="risk_still_right" id="risk-right-yes" value="true" required checked[t.chosen("review", "risk_still_right", "true", false)]; label for="risk-right-yes" { "Yes" } }
                        div.radio { input type="radio" name="risk_still_right" id="risk-right-no" value="false" checked[t.chosen("review", "risk_still_right", "false", false)]; label for="risk-right-no" { "No: reassess it" } }
                    }
                    div.field { label for="review-next" { "Next steps" } (t.error_line("review-next")) textarea #review-next name="next_steps" rows="3" required maxlength="10000" aria-describedby=[t.described_by("review-next")] { (t.value("review", "next_steps").unwrap_or("")) } }
                    div.field { label for="review-plan" { "Change to the plan (optional)" } (t.error_line("review-plan")) textarea #review-plan name="plan_change" rows="2" maxlength="10000" aria-describedby=[t.described_by("review-plan")] { (t.value("review", "plan_change").unwrap_or("")) } }
                    @if review_due.is_some_and(|c| c.state == ClockState::Overdue) {
                        div.field {
                            label for="review-late" { "The review is overdue: why?" }
                            (t.error_line("review-late"))
                            select #review-late name="late_code" required aria-describedby=[t.described_by("review-late")] {
                                option value="" { "Choose a reason" }
                                @for l in late_reasons { option value=(l.code) { (l.label) } }
                            }
                        }
                        div.field { label for="review-late-text" { "More about the delay (optional; never in figures)" } input #review-late-text name="late_text" type="text" maxlength="10000" value=[t.value("review", "late_text")]; }
                    }
                    button type="submit" { "Record review" }
                }
            }
        }
        h3 { "Decision log" }
        @if decisions.is_empty() {
            p { "No supervisory decision yet." }
        } @else {
            ul.plain {
                @for d in decisions {
                    li { (domain::time::display(d.at)) " · " (d.actor) ": " (d.summary) }
                }
            }
        }
    }
}
