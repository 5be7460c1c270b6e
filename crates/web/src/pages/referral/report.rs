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

/// The people named in the report, by category.
pub fn people(people: &[PersonInReport]) -> Markup {
    let groups = [
        (
            PersonCategory::ReportedPerson,
            "Reported person (treated as the suspect)",
        ),
        (PersonCategory::Victim, "Victims"),
        (PersonCategory::IntendedRecipient, "Intended recipients"),
    ];
    html! {
        h2 #people { "People in the report" }
        @if people.is_empty() {
            p { "The report names nobody." }
        }
        @for (category, title) in groups {
            @let of: Vec<&PersonInReport> = people.iter().filter(|p| p.category == category).collect();
            @if !of.is_empty() {
                h3 { (title) }
                @for (i, p) in of.iter().enumerate() {
                    @if of.len() > 1 { h4 { (category.label()) " " (i + 1) } }
                    (person(p))
                }
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
    html! {
        dl.details {
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
