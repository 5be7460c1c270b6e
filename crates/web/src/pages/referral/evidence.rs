//! The referral page's exhibits and quality sections: the charging summary the sentencing guideline needs, each
//! exhibit with where its forensic path stands, the form to record a seizure; the remedial actions a quality
//! review referred back (with the form to complete each); and, for an auditor, the grading and referral-back
//! forms of each sample that drew this referral.

use super::typed::Typed;
use crate::Ctx;
use app::exhibits::ExhibitView;
use app::quality::{RemedialView, ReviewView};
use domain::clocks::{ClockState, LateReasonCode};
use domain::exhibits::{ChargingSummary, ExhibitKind};
use domain::quality::{Area, Grade};
use domain::report_details::PersonInReport;
use domain::{Action, Referral};
use maud::{Markup, html};

/// The charging summary and the exhibits.
pub fn exhibits(
    ctx: &Ctx,
    r: &Referral,
    exhibits: &[ExhibitView],
    charging: &ChargingSummary,
    people: &[PersonInReport],
    t: Typed,
) -> Markup {
    let may_add = r.status.is_open() && app::access::may(ctx, Action::RecordExhibits, r);
    html! {
        h2 #exhibits { "Exhibits and charging" }
        @if exhibits.is_empty() {
            p { "No exhibits are recorded." }
        } @else {
            h3 { "Charging summary" }
            p.hint { "Images per category for the sentencing guideline: exact matches to known images and images a grader categorised. Near matches wait for a grader's confirmation and are not counted." }
            div.table-scroll {
                table {
                    caption.visually-hidden { "Images per category" }
                    thead { tr { th scope="col" { "Category" } th scope="col" { "Exact matches" } th scope="col" { "Graded" } th scope="col" { "Total" } th scope="col" { "Near matches awaiting a grader" } } }
                    tbody {
                        @for (name, e, g, n) in [
                            ("A", charging.exact.a, charging.graded.a, charging.near_awaiting_confirmation.a),
                            ("B", charging.exact.b, charging.graded.b, charging.near_awaiting_confirmation.b),
                            ("C", charging.exact.c, charging.graded.c, charging.near_awaiting_confirmation.c),
                        ] {
                            tr { th scope="row" { "Category " (name) } td { (e) } td { (g) } td { strong { (e + g) } } td { (n) } }
                        }
                    }
                }
            }
            dl.details {
                dt { "Possession" } dd { (if charging.possession.indicated { "Indicated" } else { "Not indicated" }) ": " (charging.possession.basis) }
                dt { "Distribution" } dd { (if charging.distribution.indicated { "Indicated" } else { "Not indicated" }) ": " (charging.distribution.basis) }
                dt { "Production" } dd { (if charging.production.indicated { "Indicated" } else { "Not indicated" }) ": " (charging.production.basis) }
                @if charging.exhibits_not_graded > 0 {
                    dt { "Still to grade" } dd { (charging.exhibits_not_graded) " of " (charging.exhibits) " exhibits: the counts can still rise." }
                }
            }
            h3 { "Exhibits" }
            div.table-scroll {
                table {
                    caption.visually-hidden { "Exhibits" }
                    thead { tr { th scope="col" { "Exhibit" } th scope="col" { "What" } th scope="col" { "Seized" } th scope="col" { "Examination" } th scope="col" { "Next step" } } }
                    tbody {
                        @for e in exhibits {
                            @let next = e.next_step.and_then(|s| e.path.iter().find(|p| p.step == s));
                            tr {
                                td { a href={"/exhibits/" (e.id)} { (e.reference) } }
                                td { (e.kind.label()) ": " (e.description) }
                                td { (crate::views::when(&e.seized_at)) " from " (e.seized_from) }
                                td { (e.examination.map(|x| x.label()).unwrap_or("Not submitted yet")) }
                                td {
                                    @match next {
                                        Some(p) => { (p.label) @if let Some(d) = &p.due_at { ", due " (crate::views::when(d)) } @if let Some(s) = p.state { " " (crate::views::clock_badge(s)) } }
                                        None => { "Path complete" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if may_add {
            details open[t.value("exhibit-add", "reference").is_some()] {
                summary { "Record a seized exhibit" }
                form method="post" action={"/referrals/" (r.id) "/exhibit-add"} {
                    (super::forms::hidden(ctx, r))
                    div.field {
                        label for="ex-reference" { "Exhibit reference" }
                        span.hint #ex-reference-hint { "As on the exhibit label, for example JD/1." }
                        (t.error_line("ex-reference"))
                        input #ex-reference name="reference" type="text" required maxlength="40" aria-describedby="ex-reference-hint" value=[t.value("exhibit-add", "reference")];
                    }
                    div.field {
                        label for="ex-kind" { "Type" }
                        select #ex-kind name="kind" {
                            @for k in ExhibitKind::ALL { option value=(k.as_str()) selected[t.value("exhibit-add", "kind") == Some(k.as_str())] { (k.label()) } }
                        }
                    }
                    div.field {
                        label for="ex-description" { "Description" }
                        (t.error_line("ex-description"))
                        input #ex-description name="description" type="text" required maxlength="200" value=[t.value("exhibit-add", "description")];
                    }
                    div.field {
                        label for="ex-seized-at" { "When seized (London time; leave empty for now)" }
                        (t.error_line("ex-seized-at"))
                        input #ex-seized-at name="seized_at" type="datetime-local" value=[t.value("exhibit-add", "seized_at")];
                    }
                    div.field {
                        label for="ex-where" { "Where seized" }
                        (t.error_line("ex-where"))
                        input #ex-where name="seized_where" type="text" required maxlength="200" value=[t.value("exhibit-add", "seized_where")];
                    }
                    div.field {
                        label for="ex-person" { "Seized from (a person of this referral)" }
                        select #ex-person name="seized_from_person" {
                            option value="" { "Nobody named here: say below" }
                            @for p in people.iter().filter(|p| p.id.is_some()) {
                                @let pid = p.id.as_deref().unwrap_or("");
                                option value=(pid) selected[t.value("exhibit-add", "seized_from_person") == Some(pid)] { (p.name.as_deref().unwrap_or("A person without a name")) " (" (p.category.label().to_lowercase()) ")" }
                            }
                        }
                    }
                    div.field {
                        label for="ex-from" { "Seized from, in words (a person or premises)" }
                        span.hint #ex-from-hint { "Leave empty to use the name of the person chosen above." }
                        (t.error_line("ex-from"))
                        input #ex-from name="seized_from" type="text" maxlength="200" aria-describedby="ex-from-hint" value=[t.value("exhibit-add", "seized_from")];
                    }
                    button type="submit" { "Record the exhibit" }
                }
            }
        }
    }
}

/// Remedial actions and, for an auditor, the quality review forms.
pub fn quality(
    ctx: &Ctx,
    r: &Referral,
    remedial: &[RemedialView],
    reviews: &[(ReviewView, Vec<Area>)],
    late_reasons: &[LateReasonCode],
    t: Typed,
) -> Markup {
    let may_complete = app::access::may(ctx, Action::CompleteRemedial, r);
    if remedial.is_empty() && reviews.is_empty() {
        return html! {};
    }
    html! {
        h2 #quality { "Quality review" }
        @if !remedial.is_empty() {
            h3 #remedial { "Remedial actions" }
            p.hint { "Referred back by the force's quality auditors. Completing one does not reopen a closed referral." }
            ul.plain {
                @for a in remedial {
                    li {
                        strong { (a.action) }
                        @if let Some(d) = &a.due_at { " · due " (crate::views::when(d)) }
                        @if let Some(s) = a.state { " " (crate::views::clock_badge(s)) }
                        @if let Some(done) = &a.done_at {
                            p.muted { "Done " (crate::views::when(done)) @if let Some(by) = &a.done_by { " by " (by) } @if let Some(n) = &a.done_note { ": " (n) } }
                        } @else if may_complete {
                            @let id = format!("rem-note-{}", a.id);
                            form method="post" action={"/referrals/" (r.id) "/remedial-done"} {
                                (super::forms::hidden(ctx, r))
                                input type="hidden" name="action_id" value=(a.id);
                                div.field {
                                    label for=(id) { "What was done" }
                                    (t.error_line(&id))
                                    textarea id=(id) name="note" rows="2" maxlength="2000" required { (t.value_of("remedial-done", "action_id", &a.id, "note").unwrap_or("")) }
                                }
                                @if a.state == Some(ClockState::Overdue) {
                                    @let late = format!("rem-late-{}", a.id);
                                    div.field {
                                        label for=(late) { "Why late?" }
                                        (t.error_line(&late))
                                        select id=(late) name="late_code" required {
                                            option value="" { "Choose a reason" }
                                            @for l in late_reasons { option value=(l.code) { (l.label) } }
                                        }
                                    }
                                }
                                button.secondary type="submit" { "Mark as done" }
                            }
                        }
                    }
                }
            }
        }
        @for (review, areas) in reviews {
            h3 { "Sampled for a quality review (" (review.stratum) ")" }
            @if review.overall.is_some() {
                dl.details {
                    @for g in &review.grades { dt { (g.label) } dd { (g.grade.label()) } }
                    dt { "Overall" } dd { strong { (review.overall.map(|g| g.label()).unwrap_or("")) } }
                    @if let Some(n) = &review.notes { dt { "Notes" } dd { (n) } }
                    dt { "Graded" } dd { (review.graded_at.as_deref().map(crate::views::when).unwrap_or_default()) @if let Some(by) = &review.graded_by { " by " (by) } }
                }
                details open[t.value("quality-refer", "review") == Some(review.id.as_str())] {
                    summary { "Refer back with remedial actions" }
                    form method="post" action={"/referrals/" (r.id) "/quality-refer"} {
                        (super::forms::hidden(ctx, r))
                        input type="hidden" name="review" value=(review.id);
                        @for n in 1..=3 {
                            fieldset {
                                legend { "Remedial action " (n) @if n > 1 { " (optional)" } }
                                @let (a, d) = (format!("action_{n}"), format!("due_{n}"));
                                div.field {
                                    label for={"q-" (a)} { "What to do" }
                                    (t.error_line(&format!("q-{a}")))
                                    textarea id={"q-" (a)} name=(a) rows="2" maxlength="2000" required[n == 1] { (t.value("quality-refer", &a).unwrap_or("")) }
                                }
                                div.field {
                                    label for={"q-" (d)} { "Due by (leave empty for the force's default)" }
                                    (t.error_line(&format!("q-{d}")))
                                    input id={"q-" (d)} name=(d) type="date" value=[t.value("quality-refer", &d)];
                                }
                            }
                        }
                        button.secondary type="submit" { "Refer back" }
                    }
                }
            } @else {
                form method="post" action={"/referrals/" (r.id) "/quality-grade"} {
                    (super::forms::hidden(ctx, r))
                    input type="hidden" name="review" value=(review.id);
                    @for a in areas.iter().map(|a| (a.key.as_str(), a.label.as_str())).chain([("overall", "Overall")]) {
                        @let name = format!("grade_{}", a.0);
                        fieldset id={"q-" (name)} {
                            legend { (a.1) }
                            (t.error_line(&format!("q-{name}")))
                            div.radios {
                                @for g in Grade::ALL {
                                    div.radio {
                                        input type="radio" id={"q-" (name) "-" (g.as_str())} name=(name) value=(g.as_str()) required checked[t.value("quality-grade", &name) == Some(g.as_str())];
                                        label for={"q-" (name) "-" (g.as_str())} { (g.label()) }
                                    }
                                }
                            }
                        }
                    }
                    div.field {
                        label for="q-notes" { "Notes" }
                        textarea #q-notes name="notes" rows="3" maxlength="10000" { (t.value("quality-grade", "notes").unwrap_or("")) }
                    }
                    button type="submit" { "Record the grades" }
                }
            }
        }
    }
}
