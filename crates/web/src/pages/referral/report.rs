//! The referral page's view of the whole report: the people named in it, kept apart by category, and the
//! further details (the platform, its narrative, the internet incidents, other agencies, the reporter's
//! notes), each in plain English, so that nobody has to download the report (a disclosure) to read a lead.

use domain::report_details::{
    InternetIncident, OtherAgency, PersonCategory, PersonInReport, ReportDetails, ReporterDetails,
};
use maud::{Markup, html};

/// One `dt`/`dd` pair when there is something to show.
fn row(label: &str, values: &[String]) -> Markup {
    html! {
        @if !values.is_empty() {
            dt { (label) }
            dd {
                @if values.len() == 1 { (values[0]) } @else {
                    ul.plain { @for v in values { li { (v) } } }
                }
            }
        }
    }
}

fn one(label: &str, value: &Option<String>) -> Markup {
    row(label, value.as_slice())
}

fn yes_no(label: &str, value: Option<bool>) -> Markup {
    let text = value.map(|v| if v { "Yes" } else { "No" }.to_string());
    one(label, &text)
}

/// The people of the referral by category, kept apart as the law requires, with (for those who may) forms to
/// correct, re-categorise and record people.
pub fn people(
    people: &[PersonInReport],
    safeguarding: &[app::safeguarding::SafeguardingView],
    child_house: &[app::child_house::ChildHouseView],
    late_reasons: &[domain::clocks::LateReasonCode],
    ctx: &crate::Ctx,
    r: &domain::Referral,
    t: super::typed::Typed,
) -> Markup {
    let may = r.status.is_open() && app::access::may(ctx, domain::Action::RecordPeople, r);
    let groups = [
        (
            PersonCategory::Reported,
            "Reported person (treated as the suspect)",
        ),
        (PersonCategory::Victim, "Victims"),
        (PersonCategory::Recipient, "Intended recipients"),
        (PersonCategory::Witness, "Witnesses"),
        (
            PersonCategory::ChildWithAccess,
            "Children with access to the suspect",
        ),
    ];
    html! {
        h2 #people { "People" }
        @if people.is_empty() {
            p { "Nobody is recorded: the report names nobody." }
        }
        @for (category, title) in groups {
            @let of: Vec<&PersonInReport> = people.iter().filter(|p| p.category == category).collect();
            @if !of.is_empty() {
                h3 { (title) }
                @for (i, p) in of.iter().enumerate() {
                    @if of.len() > 1 { h4 { (category.label()) " " (i + 1) } }
                    (person(p))
                    @if let Some(id) = &p.id {
                        @for s in safeguarding.iter().filter(|s| &s.person_id == id) {
                            (safeguarding_block(ctx, r, s, may, late_reasons, t))
                        }
                        @if p.category == PersonCategory::Victim {
                            (child_house_block(ctx, r, id, child_house.iter().find(|c| &c.person_id == id), may, t))
                        }
                        @if may { (person_forms(ctx, r, p, id, t)) }
                    }
                }
            }
        }
        @if may {
            details open[t.value("person-add", "category").is_some()] {
                summary { "Record a person: a victim, a witness, a child with access to the suspect" }
                form method="post" action={"/referrals/" (r.id) "/person-add"} {
                    (super::forms::hidden(ctx, r))
                    div.field {
                        label for="person-category" { "Category" }
                        (t.error_line("person-category"))
                        select #person-category name="category" required aria-describedby=[t.described_by("person-category")] {
                            option value="" { "Choose" }
                            @for c in PersonCategory::ALL {
                                option value=(category_value(c)) selected[t.value("person-add", "category") == Some(category_value(c))] { (c.label()) }
                            }
                        }
                    }
                    (person_fields("add", None, "person-add", t))
                    button.secondary type="submit" { "Record the person" }
                }
            }
        }
    }
}

/// A child's social care (or LADO) referral: its clock, what was recorded, and the form to record it.
fn safeguarding_block(
    ctx: &crate::Ctx,
    r: &domain::Referral,
    s: &app::safeguarding::SafeguardingView,
    may: bool,
    late_reasons: &[domain::clocks::LateReasonCode],
    t: super::typed::Typed,
) -> Markup {
    use domain::clocks::ClockState;
    let when = |v: &str| {
        v.parse::<jiff::Timestamp>()
            .map(domain::time::display)
            .unwrap_or_else(|_| v.to_string())
    };
    let prefix = format!("sg-{}", s.id);
    let mine = t.value("safeguarding", "safeguarding") == Some(s.id.as_str());
    let typed = |name: &str| {
        if mine {
            t.value("safeguarding", name)
        } else {
            None
        }
    };
    let today = domain::time::in_london(jiff::Timestamp::now()).date();
    let default_la = r
        .borough
        .as_deref()
        .and_then(|b| domain::safeguarding::authority_for_borough(b, today))
        .map(|a| a.code);
    let chosen = typed("authority").or(default_la);
    let recorded = s.made_at.is_some() || s.not_needed_reason.is_some();
    html! {
        div.safeguarding {
            h4 { (s.kind.label()) }
            p {
                @match (s.state, &s.due_at) {
                    (Some(state), Some(due)) => {
                        span class={"clock clock-" (match state { ClockState::Overdue | ClockState::Missed => "overdue", ClockState::AtRisk => "soon", _ => "done" })} { (state.label()) }
                        @if recorded { " (was due " (when(due)) ")" } @else { ", due " (when(due)) }
                    }
                    _ => { "Not needed" }
                }
            }
            @if let Some(made) = &s.made_at {
                p {
                    "Made to " (s.authority.as_deref().unwrap_or("—")) " on " (when(made))
                    @if let Some(by) = &s.made_by { ", recorded by " (by) }
                    @if let Some(x) = &s.authority_reference { "; their reference " (x) }
                    @if let Some(d) = &s.strategy_discussion_on { "; strategy discussion on " (d) }
                    "."
                }
            }
            @if let Some(why) = &s.not_needed_reason { p { "Not needed: " (why) } }
            @if may && !recorded {
                details open[mine] {
                    summary { "Record the " (s.kind.label().to_lowercase()) }
                    form method="post" action={"/referrals/" (r.id) "/safeguarding"} {
                        (super::forms::hidden(ctx, r))
                        input type="hidden" name="safeguarding" value=(s.id);
                        input type="hidden" name="person" value=(s.person_id);
                        input type="hidden" name="kind" value=(s.kind.as_str());
                        div.field {
                            label for={(prefix) "-authority"} { "Local authority" }
                            span.hint { "Where the child lives; the suspect's borough's is chosen to start with." }
                            (t.error_line(&format!("{prefix}-authority")))
                            select id={(prefix) "-authority"} name="authority" aria-describedby=[t.described_by(&format!("{prefix}-authority"))] {
                                option value="" { "Choose" }
                                @for a in domain::safeguarding::authorities_on(today) {
                                    option value=(a.code) selected[chosen == Some(a.code)] { (a.name) }
                                }
                            }
                        }
                        div.field {
                            label for={(prefix) "-made"} { "When it was made (London time; leave empty for now)" }
                            (t.error_line(&format!("{prefix}-made")))
                            input id={(prefix) "-made"} name="made_at" type="datetime-local" value=[typed("made_at")];
                        }
                        div.field {
                            label for={(prefix) "-ref"} { "The authority's reference (optional)" }
                            input id={(prefix) "-ref"} name="authority_reference" type="text" maxlength="200" value=[typed("authority_reference")];
                        }
                        div.field {
                            label for={(prefix) "-strategy"} { "Strategy discussion date, if one was held (YYYY-MM-DD)" }
                            (t.error_line(&format!("{prefix}-strategy")))
                            input id={(prefix) "-strategy"} name="strategy_discussion_on" type="text" maxlength="10" value=[typed("strategy_discussion_on")];
                        }
                        @if s.state == Some(ClockState::Overdue) {
                            div.field {
                                label for={(prefix) "-late"} { "It is late: why?" }
                                (t.error_line(&format!("{prefix}-late")))
                                select id={(prefix) "-late"} name="late_code" {
                                    option value="" { "Choose a reason" }
                                    @for l in late_reasons { option value=(l.code) selected[typed("late_code") == Some(l.code.as_str())] { (l.label) } }
                                }
                            }
                        }
                        div.field {
                            label for={(prefix) "-not-needed"} { "Or: why no referral is needed" }
                            (t.error_line(&format!("{prefix}-not-needed")))
                            input id={(prefix) "-not-needed"} name="not_needed_reason" type="text" maxlength="10000" value=[typed("not_needed_reason")];
                        }
                        button.secondary type="submit" { "Record" }
                    }
                }
            }
        }
    }
}

/// A child victim and the Child House: the referral with its interviews and measures, or the form to refer
/// them where the Child House serves the borough.
fn child_house_block(
    ctx: &crate::Ctx,
    r: &domain::Referral,
    person_id: &str,
    c: Option<&app::child_house::ChildHouseView>,
    may: bool,
    t: super::typed::Typed,
) -> Markup {
    let when = |v: &str| {
        v.parse::<jiff::Timestamp>()
            .map(domain::time::display)
            .unwrap_or_else(|_| v.to_string())
    };
    let today = domain::time::in_london(jiff::Timestamp::now()).date();
    let served = r
        .borough
        .as_deref()
        .is_some_and(|b| domain::child_house::serves(b, today));
    let days = |d: Option<i64>| d.map_or("—".to_string(), |d| format!("{d} days"));
    html! {
        div.child-house {
            h4 { "Child House" }
            @match c {
                Some(c) => {
                    p { "Referred " (when(&c.referred_at)) @if let Some(by) = &c.referred_by { " by " (by) } "." }
                    dl.details {
                        dt { "Interviews" } dd { (c.measures.interviews) @if c.measures.repeat_interview { " (a repeat interview was needed)" } }
                        dt { "To the first interview" } dd { (days(c.measures.days_to_first_interview)) }
                        dt { "To the medical examination" } dd { (days(c.measures.days_to_medical)) }
                        dt { "To therapy" } dd { (days(c.measures.days_to_therapy)) }
                    }
                    @if !c.interviews.is_empty() {
                        ul.plain {
                            @for i in &c.interviews {
                                li { (when(&i.at)) ", " (i.place.label().to_lowercase()) ", by " (i.interviewer) @if i.intermediary { ", with an intermediary" } @if i.repeat { " (repeat)" } }
                            }
                        }
                    }
                    @if may {
                        details open[t.value("child-house-interview", "child") == Some(c.id.as_str())] {
                            summary { "Record an Achieving Best Evidence interview" }
                            form method="post" action={"/referrals/" (r.id) "/child-house-interview"} {
                                (super::forms::hidden(ctx, r))
                                input type="hidden" name="child" value=(c.id);
                                div.field { label for={"abe-at-" (c.id)} { "When (London time; leave empty for now)" } input id={"abe-at-" (c.id)} name="at" type="datetime-local"; }
                                div.field {
                                    label for={"abe-place-" (c.id)} { "Where" }
                                    select id={"abe-place-" (c.id)} name="place" {
                                        @for pl in domain::child_house::InterviewPlace::ALL { option value=(pl.as_str()) { (pl.label()) } }
                                    }
                                }
                                div.field {
                                    label for={"abe-by-" (c.id)} { "Interviewer" }
                                    (t.error_line(&format!("abe-by-{}", c.id)))
                                    input id={"abe-by-" (c.id)} name="interviewer" type="text" required maxlength="200" value=[t.value("child-house-interview", "interviewer")];
                                }
                                div.checkbox { input type="checkbox" id={"abe-int-" (c.id)} name="intermediary" value="true"; label for={"abe-int-" (c.id)} { "An intermediary was used" } }
                                div.checkbox { input type="checkbox" id={"abe-rep-" (c.id)} name="repeat" value="true"; label for={"abe-rep-" (c.id)} { "It repeats an earlier interview" } }
                                button.secondary type="submit" { "Record the interview" }
                            }
                        }
                        @for (step, label, done) in [("child-house-medical", "the medical examination", c.medical_at.is_some()), ("child-house-therapy", "the start of therapy", c.therapy_started_at.is_some())] {
                            @if !done {
                                form.inline-form method="post" action={"/referrals/" (r.id) "/" (step)} {
                                    (super::forms::hidden(ctx, r))
                                    input type="hidden" name="child" value=(c.id);
                                    div.field { label for={(step) "-" (c.id)} { "When (London time; leave empty for now)" } input id={(step) "-" (c.id)} name="at" type="datetime-local"; }
                                    button.secondary type="submit" { "Record " (label) }
                                }
                            }
                        }
                    }
                }
                None if served && may => {
                    form.inline-form method="post" action={"/referrals/" (r.id) "/child-house-refer"} {
                        (super::forms::hidden(ctx, r))
                        input type="hidden" name="person" value=(person_id);
                        div.checkbox { input type="checkbox" id={"ld-" (person_id)} name="learning_disability" value="true"; label for={"ld-" (person_id)} { "Aged 18 to 25 with a learning disability" } }
                        button.secondary type="submit" { "Refer to the Child House" }
                    }
                }
                None if served => { p { "Not referred to the Child House." } }
                None => { p.muted { "The Child House does not serve " (r.borough.as_deref().unwrap_or("this referral's borough")) "." } }
            }
        }
    }
}

fn category_value(c: PersonCategory) -> &'static str {
    c.role().as_str()
}

/// The fields of a person's form (`prefix` keeps their ids apart); `current` pre-fills a correction.
fn person_fields(
    prefix: &str,
    current: Option<&PersonInReport>,
    step: &str,
    t: super::typed::Typed,
) -> Markup {
    use domain::report_details::ChildAccess;
    let id = |f: &str| format!("{prefix}-{f}");
    let joined = |v: &[String]| v.join(", ");
    let (given, family) = current
        .and_then(|p| p.name.as_deref())
        .map(|n| match n.rsplit_once(' ') {
            Some((g, f)) => (g.to_string(), f.to_string()),
            None => (n.to_string(), String::new()),
        })
        .unwrap_or_default();
    let now =
        |name: &str, fallback: String| t.value(step, name).map(str::to_string).unwrap_or(fallback);
    let text = |name: &'static str, label: &'static str, fallback: String, max: usize| {
        let fid = id(name);
        html! {
            div.field {
                label for=(fid) { (label) }
                (t.error_line(&fid))
                input id=(fid) name=(name) type="text" maxlength=(max) value=(now(name, fallback)) aria-describedby=[t.described_by(&fid)];
            }
        }
    };
    let access_now = t.value(step, "access").map(str::to_string).or_else(|| {
        current
            .and_then(|p| p.access)
            .map(|a| a.as_str().to_string())
    });
    html! {
        (text("given_name", "Given name", given, 200))
        (text("family_name", "Family name", family, 200))
        (text("age", "Age in years", current.and_then(|p| p.age).map(|a| a.to_string()).unwrap_or_default(), 3))
        (text("date_of_birth", "Date of birth (YYYY-MM-DD)", current.and_then(|p| p.date_of_birth.clone()).unwrap_or_default(), 10))
        (text("school", "School", current.and_then(|p| p.school.clone()).unwrap_or_default(), 200))
        // Identifiers the report gave stay as received (they link referrals); those typed by hand can be corrected.
        @if current.is_none_or(|p| p.recorded_by.is_some()) {
            (text("emails", "Email addresses (comma-separated)", current.map(|p| joined(&p.emails)).unwrap_or_default(), 2000))
            (text("phones", "Phone numbers (comma-separated)", current.map(|p| joined(&p.phones)).unwrap_or_default(), 2000))
            (text("screen_names", "Screen names (comma-separated)", current.map(|p| joined(&p.screen_names)).unwrap_or_default(), 2000))
        }
        div.field {
            label for=(id("access")) { "For a child with access: how" }
            (t.error_line(&id("access")))
            select id=(id("access")) name="access" aria-describedby=[t.described_by(&id("access"))] {
                option value="" { "Not a child with access" }
                @for a in ChildAccess::ALL {
                    option value=(a.as_str()) selected[access_now.as_deref() == Some(a.as_str())] { (a.label()) }
                }
            }
        }
        @if current.is_none_or(|p| p.recorded_by.is_some()) {
            div.field {
                label for=(id("notes")) { "Notes" }
                (t.error_line(&id("notes")))
                textarea id=(id("notes")) name="notes" rows="2" maxlength="10000" aria-describedby=[t.described_by(&id("notes"))] { (now("notes", current.map(|p| p.additional_info.join("\n")).unwrap_or_default())) }
            }
        }
    }
}

/// Correct or re-categorise one person.
fn person_forms(
    ctx: &crate::Ctx,
    r: &domain::Referral,
    p: &PersonInReport,
    person_id: &str,
    t: super::typed::Typed,
) -> Markup {
    let prefix = format!("p-{person_id}");
    let mine = |step: &str| t.value(step, "person") == Some(person_id);
    html! {
        @if let Some(by) = &p.recorded_by { p.muted { "Recorded by " (by) "." } }
        @if let Some(by) = &p.changed_by { p.muted { "Last changed by " (by) "." } }
        details open[mine("person-correct")] {
            summary { "Correct what is known" }
            form method="post" action={"/referrals/" (r.id) "/person-correct"} {
                (super::forms::hidden(ctx, r))
                input type="hidden" name="person" value=(person_id);
                (person_fields(&prefix, Some(p), if mine("person-correct") { "person-correct" } else { "-" }, t))
                button.secondary type="submit" { "Save the correction" }
            }
        }
        details open[mine("person-category")] {
            summary { "Re-categorise" }
            form method="post" action={"/referrals/" (r.id) "/person-category"} {
                (super::forms::hidden(ctx, r))
                input type="hidden" name="person" value=(person_id);
                div.field {
                    label for={(prefix) "-category"} { "New category" }
                    (t.error_line(&format!("{prefix}-category")))
                    select id={(prefix) "-category"} name="category" required aria-describedby=[t.described_by(&format!("{prefix}-category"))] {
                        @for c in PersonCategory::ALL.into_iter().filter(|c| *c != p.category) {
                            option value=(category_value(c)) { (c.label()) }
                        }
                    }
                }
                div.field {
                    label for={(prefix) "-cat-access"} { "For a child with access: how" }
                    select id={(prefix) "-cat-access"} name="access" {
                        option value="" { "Not a child with access" }
                        @for a in domain::report_details::ChildAccess::ALL { option value=(a.as_str()) { (a.label()) } }
                    }
                }
                div.field {
                    label for={(prefix) "-reason"} { "Why" }
                    span.hint { "For example: the reported person is a child who shared their own image." }
                    (t.error_line(&format!("{prefix}-reason")))
                    textarea id={(prefix) "-reason"} name="reason" rows="2" required maxlength="10000" aria-describedby=[t.described_by(&format!("{prefix}-reason"))] { (if mine("person-category") { t.value("person-category", "reason").unwrap_or("") } else { "" }) }
                }
                button.secondary type="submit" { "Re-categorise" }
            }
        }
    }
}

fn person(p: &PersonInReport) -> Markup {
    let age = p.age.map(|a| format!("{a}"));
    let discrepancy = (p.age_discrepancy == Some(true))
        .then(|| "The age the person gave does not match what the platform believes".to_string());
    let service = |ids: &[String]| -> Vec<String> {
        ids.iter()
            .map(|v| match &p.esp_service {
                Some(s) => format!("{v} (on {s})"),
                None => v.clone(),
            })
            .collect()
    };
    let access = p.access.map(|a| a.label().to_string());
    html! {
        dl.details {
            (one("Access to the suspect", &access))
            (one("Name", &p.name))
            (one("Age", &age))
            (one("Date of birth", &p.date_of_birth))
            (one("Age check", &discrepancy))
            (one("School", &p.school))
            (row("Email", &p.emails))
            (row("Phone", &p.phones))
            (row("Address", &p.addresses))
            (row("Platform user id", &service(&p.esp_user_ids)))
            (row("Screen name", &service(&p.screen_names)))
            (row("Display name", &p.display_names))
            (row("Profile", &p.profile_urls))
            (one("Profile text", &p.profile_bio))
            (row("Device", &p.device_ids))
            (row("Estimated location", &p.estimated_locations))
            (row("Earlier CyberTipline reports", &p.prior_reports))
            (row("Group", &p.group_identifiers))
            (one("Vehicle", &p.vehicle))
            (row("Account", &p.account_notes))
            (row("Other accounts", &p.associated_accounts))
            @if p.ip_events > 0 {
                dt { "IP capture events" }
                dd { a href="#ip-events" { (p.ip_events) " listed under IP capture events" } }
            }
            (row("The platform's notes", &p.additional_info))
        }
    }
}

/// The report's further details, grouped: internet details, other agencies, platform notes.
pub fn further_details(d: &ReportDetails) -> Markup {
    html! {
        h2 #further-details { "Further details from the report" }
        @if d.is_empty() {
            p { "The report gave no further details." }
        } @else {
            dl.details {
                (one("Platform", &d.platform))
                (one("Received by NCMEC", &d.ncmec_received))
                (one("What the incident time means", &d.incident_time_description))
                (one("Sent as one report for many users", &d.batched_reason.as_ref().map(|r| batched_label(r))))
            }
            @if !d.platform_narrative.is_empty() {
                h3 { "The platform's narrative" }
                @for n in &d.platform_narrative { p.narrative { (n) } }
            }
            @if !d.internet.is_empty() {
                h3 { "Internet details" }
                @for i in &d.internet { (incident(i)) }
            }
            @if !d.other_agencies.is_empty() {
                h3 { "Other agencies" }
                @for a in &d.other_agencies { (agency(a)) }
            }
            @if let Some(r) = &d.reporter { (reporter(r)) }
        }
    }
}

fn batched_label(reason: &str) -> String {
    match reason {
        "VIRAL_POTENTIAL_MEME" => "Yes: content with viral potential (a meme)".into(),
        other => format!("Yes: {other}"),
    }
}

fn incident(i: &InternetIncident) -> Markup {
    let coordinates = match (&i.latitude, &i.longitude) {
        (Some(la), Some(lo)) => Some(format!("latitude {la}, longitude {lo}")),
        (Some(la), None) => Some(format!("latitude {la}")),
        (None, Some(lo)) => Some(format!("longitude {lo}")),
        (None, None) => None,
    };
    html! {
        h4 { (i.kind.label()) }
        dl.details {
            (row("Web address", &i.urls))
            (yes_no("Hosted by another company", i.third_party_hosted))
            (row("Email address", &i.email_addresses))
            (one("Newsgroup", &i.newsgroup))
            (one("Chat service", &i.chat_client))
            (one("Chat room", &i.chat_room))
            (one("Game", &i.game))
            (one("Console", &i.console))
            (one("Content quoted", &i.content))
            (one("Phone number", &i.phone))
            (one("Where the phone was", &coordinates))
            (one("Place", &i.location_name))
            (row("Address", &i.addresses))
            (one("Peer-to-peer software", &i.client))
            (one("File names", &i.file_names))
            @if i.ip_events > 0 {
                dt { "IP capture events" }
                dd { a href="#ip-events" { (i.ip_events) " listed under IP capture events" } }
            }
            (row("The platform's notes", &i.additional_info))
        }
    }
}

fn agency(a: &OtherAgency) -> Markup {
    html! {
        dl.details {
            (one("Agency", &a.agency))
            (one("Their case number", &a.case_number))
            (one("Country", &a.country))
            (one("Officer", &a.officer))
            (yes_no("The platform reported it to them", a.reported_to_agency))
            (yes_no("They served legal process at home", a.legal_process_domestic))
            (yes_no("They served legal process abroad", a.legal_process_international))
        }
    }
}

fn reporter(r: &ReporterDetails) -> Markup {
    html! {
        h3 { "The platform's notes" }
        dl.details {
            (one("Reported by", &r.reporting_person))
            (one("Contact", &r.contact_person))
            (one("Standard text", &r.company_template))
            (one("Terms of service", &r.terms_of_service))
            (one("Where to send legal process", &r.legal_url))
        }
    }
}
