//! The referral page's evidence and triage sections: IP capture events with their communications data
//! requests, address checks, the reported files, and the risk instrument with its sign-off.

use super::forms::hidden;
use crate::Ctx;
use crate::views::offset_text;
use app::access;
use app::rows::{AssessmentRow, CdRequest, FileRow, IpEventRow};
use domain::instrument::{AnswerValue, Answers, Instrument, QuestionKind};
use domain::{Action, Referral, RiskLevel};
use maud::{Markup, html};

fn when(ms: Option<i64>) -> String {
    ms.and_then(|m| jiff::Timestamp::from_millisecond(m).ok())
        .map(domain::time::display)
        .unwrap_or_else(|| "Not given".into())
}

/// IP capture events, each with its requests, and a form to raise one from the stored event.
pub fn ip_events(
    ctx: &Ctx,
    r: &Referral,
    events: &[IpEventRow],
    requests: &[CdRequest],
    t: super::typed::Typed,
) -> Markup {
    let may = access::may(ctx, Action::IdentifySubject, r);
    html! {
        h2 #ip-events { "IP capture events" }
        @if events.is_empty() {
            p { "The report gave no IP capture events." }
        } @else {
            table.evidence {
                thead { tr { th scope="col" { "Address and port" } th scope="col" { "From" } th scope="col" { "Event" } th scope="col" { "Time (London)" } th scope="col" { "As received" } th scope="col" { "Communications data" } } }
                tbody {
                    @for e in events {
                        tr {
                            td { code { (e.address) @if let Some(p) = e.port { ":" (p) } } @if e.possible_proxy == Some(true) { br; strong.proxy { "Possible proxy" } " – the platform thinks this may not be the person's own connection; an answer for it never corroborates an address" } }
                            td { (crate::views::ip_origin_label(e.origin.as_deref())) }
                            td { (e.event.as_deref().unwrap_or("—")) }
                            td { (when(e.at)) }
                            td { code { (e.raw.as_deref().unwrap_or("—")) } @if let Some(o) = e.offset_seconds { br; span.muted { "offset " (offset_text(o)) } } }
                            td {
                                @for q in requests.iter().filter(|q| q.ip_event_id == e.id) {
                                    p {
                                        "Asked " (q.provider) " on " (when(Some(q.requested_at))) ". "
                                        @match (&q.subscriber, &q.subscriber_address) {
                                            (Some(s), Some(a)) => { "Answer: " (s) ", " (a) }
                                            _ => { "Awaiting answer." }
                                        }
                                    }
                                    @if q.answered_at.is_none() && may {
                                        form.inline-form method="post" action={"/referrals/" (r.id) "/cd-answer"} {
                                            (hidden(ctx, r))
                                            input type="hidden" name="request" value=(q.id);
                                            div.field { label for={"sub-" (q.id)} { "Subscriber" } input id={"sub-" (q.id)} name="subscriber" type="text" required; }
                                            div.field { label for={"addr-" (q.id)} { "Address given" } input id={"addr-" (q.id)} name="address" type="text" required; }
                                            button.secondary type="submit" { "Record answer" }
                                        }
                                    }
                                }
                                @if may && e.at.is_some() {
                                    form.inline-form method="post" action={"/referrals/" (r.id) "/cd-request"} {
                                        (hidden(ctx, r))
                                        input type="hidden" name="ip_event" value=(e.id);
                                        div.field { label for={"prov-" (e.id)} { "Provider to ask" } input id={"prov-" (e.id)} name="provider" type="text" required; }
                                        button.secondary type="submit" { "Raise request for this event" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if may {
            section.step aria-labelledby="check-h" {
                h3 #check-h { "Record an address check" }
                p.hint { "Enforcement at an address needs two independent IP events resolving to it, or a recorded check such as this." }
                form method="post" action={"/referrals/" (r.id) "/corroboration"} {
                    (hidden(ctx, r))
                    div.field { label for="check-address" { "Address" } (t.error_line("check-address")) input #check-address name="address" type="text" required maxlength="1000" value=[t.value("corroboration", "address")] aria-describedby=[t.described_by("check-address")]; }
                    div.field { label for="check-method" { "How it was checked" } (t.error_line("check-method")) input #check-method name="method" type="text" required maxlength="1000" value=[t.value("corroboration", "method")] aria-describedby=[t.described_by("check-method")]; }
                    div.field { label for="check-detail" { "What was found" } (t.error_line("check-detail")) textarea #check-detail name="detail" rows="2" required maxlength="10000" aria-describedby=[t.described_by("check-detail")] { (t.value("corroboration", "detail").unwrap_or("")) } }
                    button type="submit" { "Record check" }
                }
            }
        }
    }
}

/// Where each resolved or checked address stands: enforcement there waits until it is corroborated.
pub fn corroboration(addresses: &[(String, domain::identification::Corroboration)]) -> Markup {
    html! {
        h2 #corroboration { "Addresses and corroboration" }
        @if addresses.is_empty() {
            p { "No address yet: raise a communications data request from an IP event, or record a check." }
        } @else {
            ul.corroboration {
                @for (a, c) in addresses {
                    li class={ @if c.is_corroborated() { "ok" } @else { "not-yet" } } {
                        strong { (a) } ": " (c.describe()) "."
                    }
                }
            }
        }
    }
}

/// The files the platform reported: hashes and the platform's flags, never content.
pub fn files(files: &[FileRow]) -> Markup {
    let flag = |b: Option<bool>| match b {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not said",
    };
    html! {
        h2 { "Reported files" }
        @if files.is_empty() {
            p { "The report listed no files." }
        } @else {
            table.evidence {
                thead { tr { th scope="col" { "File" } th scope="col" { "MD5 / SHA-1" } th scope="col" { "Viewed by platform" } th scope="col" { "Public" } th scope="col" { "Platform class" } th scope="col" { "Annotations" } } }
                tbody {
                    @for f in files {
                        tr {
                            td { (f.file_name.as_deref().or(f.original_file_name.as_deref()).unwrap_or("—")) }
                            td { code { (f.md5.as_deref().unwrap_or("—")) } br; code { (f.sha1.as_deref().unwrap_or("—")) } }
                            td { (flag(f.viewed_by_esp)) } td { (flag(f.publicly_available)) }
                            td { (f.industry_classification.as_deref().unwrap_or("—")) }
                            td { (serde_json::from_str::<Vec<String>>(&f.annotations).unwrap_or_default().join(", ")) }
                        }
                    }
                }
            }
        }
    }
}

/// An answer in the words of its question's options.
fn answer_words(kind: Option<&QuestionKind>, v: &AnswerValue) -> String {
    match (v, kind) {
        (AnswerValue::YesNo(true), _) => "Yes".into(),
        (AnswerValue::YesNo(false), _) => "No".into(),
        (AnswerValue::Number(n), _) => n.to_string(),
        (AnswerValue::Choice(c), Some(QuestionKind::Choice { options })) => options
            .iter()
            .find(|o| &o.id == c)
            .map_or_else(|| c.clone(), |o| o.label.clone()),
        (AnswerValue::Choice(c), _) => c.clone(),
    }
}

/// The form value of an answer (`true`, `3`, `online`).
fn form_value(v: &AnswerValue) -> String {
    match v {
        AnswerValue::YesNo(b) => b.to_string(),
        AnswerValue::Number(n) => n.to_string(),
        AnswerValue::Choice(c) => c.clone(),
    }
}

/// Past assessments, newest first (at most three), each with its supervisor's decision.
pub fn assessments_list(assessments: &[AssessmentRow]) -> Markup {
    let level = |s: &str| {
        s.parse::<RiskLevel>()
            .map(|l| l.label().to_string())
            .unwrap_or_else(|_| s.to_string())
    };
    html! {
        @for a in assessments.iter().take(3) {
            p {
                (a.instrument_id) " " (a.instrument_version) ": " strong { (level(&a.level)) }
                " by " (a.assessed_by_name.as_deref().unwrap_or("—")) " on " (when(Some(a.assessed_at))) ". "
                @match a.decision.as_deref() {
                    Some("signed_off") => { "Signed off by " (a.decided_by_name.as_deref().unwrap_or("—")) "." }
                    Some(_) => { "Overridden to " strong { (level(a.final_level.as_deref().unwrap_or(""))) } " by " (a.decided_by_name.as_deref().unwrap_or("—")) ": " (a.override_reason.as_deref().unwrap_or("")) }
                    None => { span.badge.risk-none { "Awaiting a supervisor" } }
                }
            }
        }
    }
}

/// A supervisor's sign-off of the assessment awaiting a decision: every answer, read-only, with those that
/// were pre-filled marked, the instrument's reasons, and the decision form.
pub fn sign_off(
    ctx: &Ctx,
    r: &Referral,
    i: &Instrument,
    pending: &AssessmentRow,
    t: super::typed::Typed,
) -> Markup {
    let answers: Option<Answers> = serde_json::from_str(&pending.answers).ok();
    let reasons: Vec<String> =
        serde_json::from_str::<domain::instrument::Evaluation>(&pending.evaluation)
            .ok()
            .and_then(|e| match e {
                domain::instrument::Evaluation::Complete { reasons, .. } => Some(reasons),
                domain::instrument::Evaluation::Incomplete { .. } => None,
            })
            .unwrap_or_default();
    let level = pending
        .level
        .parse::<RiskLevel>()
        .map(|l| l.label().to_string())
        .unwrap_or_else(|_| pending.level.clone());
    let own = pending.assessed_by.as_deref() == Some(ctx.user.id.to_string().as_str());
    html! {
        section.step aria-labelledby="signoff-h" {
            h3 #signoff-h { "Sign off the risk level" }
            p {
                (pending.assessed_by_name.as_deref().unwrap_or("The assessor")) " completed " (pending.instrument_id) " "
                (pending.instrument_version) " on " (when(Some(pending.assessed_at))) ": " strong { (level) } "."
            }
            details open {
                summary { "Every answer (read-only)" }
                @match &answers {
                    Some(a) => {
                        dl.details.answers {
                            @for (qid, ans) in a.iter() {
                                @let q = i.questions().find(|q| &q.id == qid);
                                dt { (q.map_or(qid.as_str(), |q| q.text.as_str())) }
                                dd {
                                    (answer_words(q.map(|q| &q.kind), &ans.value))
                                    @if let Some(src) = ans.prefilled_from { " " span.prefilled { "Pre-filled from " (src.label()) } }
                                }
                            }
                        }
                    }
                    None => { p { "The stored answers could not be read." } }
                }
                @if !reasons.is_empty() {
                    h4 { "Why the instrument gave this level" }
                    ul { @for reason in &reasons { li { (reason) } } }
                }
            }
            @if own {
                p { "You completed this assessment: another supervisor must sign it off or override it." }
            } @else {
                form method="post" action={"/referrals/" (r.id) "/decision"} {
                    (hidden(ctx, r))
                    fieldset aria-describedby=[t.described_by("dec-sign")] {
                        legend { "Your decision" }
                        (t.error_line("dec-sign"))
                        div.radio { input #dec-sign type="radio" name="decision" value="sign_off" required checked[t.chosen("decision", "decision", "sign_off", false)]; label for="dec-sign" { "Sign off the instrument's level" } }
                        div.radio { input #dec-over type="radio" name="decision" value="override" checked[t.chosen("decision", "decision", "override", false)]; label for="dec-over" { "Override it" } }
                    }
                    div.field {
                        label for="dec-level" { "New level (for an override)" }
                        (t.error_line("dec-level"))
                        select #dec-level name="level" aria-describedby=[t.described_by("dec-level")] {
                            option value="" { "—" }
                            @for l in RiskLevel::ALL { option value=(l.as_str()) selected[t.value("decision", "level") == Some(l.as_str())] { (l.label()) } }
                        }
                    }
                    div.field {
                        label for="dec-reason" { "Reason (required for an override)" }
                        (t.error_line("dec-reason"))
                        textarea #dec-reason name="reason" rows="2" maxlength="10000" aria-describedby=[t.described_by("dec-reason")] { (t.value("decision", "reason").unwrap_or("")) }
                    }
                    (super::forms::justification("decision", t))
                    button type="submit" { "Record decision" }
                }
            }
        }
    }
}

/// The instrument form: each question with its help, yes/no questions as fieldsets whose legend is the
/// question, pre-filled answers marked; a refused form shows what was typed.
pub fn instrument_form(
    ctx: &Ctx,
    r: &Referral,
    i: &Instrument,
    prefilled: &Answers,
    t: super::typed::Typed,
) -> Markup {
    html! {
        p.hint { "Answers the referral already gives are filled in and marked. A level is given only when every question is answered." }
        form method="post" action={"/referrals/" (r.id) "/instrument"} {
            (hidden(ctx, r))
            @for step in i.steps() {
                h4.instrument-step { (step.title) }
                @for q in &step.questions {
                    @let name = format!("q.{}", q.id.as_str());
                    @let given = prefilled.get(q.id.as_str());
                    @let value = t.value("instrument", &name).map(str::to_string).or_else(|| given.map(|a| form_value(&a.value)));
                    @let hint_id = format!("{name}-hint");
                    @let source = given.and_then(|a| a.prefilled_from).filter(|_| t.value("instrument", &name).is_none());
                    @let described = match t.described_by(&name) { Some(e) => format!("{hint_id} {e}"), None => hint_id.clone() };
                    @match &q.kind {
                        QuestionKind::YesNo { .. } => {
                            fieldset.question id=(name) aria-describedby=(described) {
                                legend { (q.text) }
                                p.hint id=(hint_id) { (q.help) @if let Some(src) = source { " " span.prefilled { "Pre-filled from " (src.label()) } } }
                                (t.error_line(&name))
                                @for (v, label) in [("true", "Yes"), ("false", "No")] {
                                    span.radio { input type="radio" id={(name) "-" (v)} name=(name) value=(v) checked[value.as_deref() == Some(v)]; label for={(name) "-" (v)} { (label) } }
                                }
                            }
                        }
                        QuestionKind::Number { min, max, .. } => {
                            div.field.question {
                                label for=(name) { (q.text) }
                                p.hint id=(hint_id) { (q.help) @if let Some(src) = source { " " span.prefilled { "Pre-filled from " (src.label()) } } }
                                (t.error_line(&name))
                                input id=(name) name=(name) type="number" min=(min) max=(max) value=[value.as_deref()] aria-describedby=(described);
                            }
                        }
                        QuestionKind::Choice { options } => {
                            div.field.question {
                                label for=(name) { (q.text) }
                                p.hint id=(hint_id) { (q.help) @if let Some(src) = source { " " span.prefilled { "Pre-filled from " (src.label()) } } }
                                (t.error_line(&name))
                                select id=(name) name=(name) aria-describedby=(described) {
                                    option value="" { "Choose" }
                                    @for o in options { option value=(o.id) selected[value.as_deref() == Some(o.id.as_str())] { (o.label) } }
                                }
                            }
                        }
                    }
                }
            }
            (super::forms::justification("instrument", t))
            button type="submit" { "Give the level" }
        }
    }
}
