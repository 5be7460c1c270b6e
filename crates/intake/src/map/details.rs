//! The report-level elements Safeguard shows rather than works with: `internetDetails` (each incident,
//! whose IP capture events join the referral's), `lawEnforcement`, `reporter`'s notes and `batchedReport`.
//! Element names are NCMEC's; anything not listed here is still a warning.

use super::Ctx;
use super::values;
use crate::error::IntakeError;
use crate::model::{IncidentIpEvent, Person};
use crate::tree::Node;
use domain::report_details::{
    IncidentKind, InternetIncident, OtherAgency, ReportDetails, ReporterDetails,
};

/// One `internetDetails` element: exactly one incident, whose IP events go to `ip_events`.
pub(crate) fn internet(
    ctx: &mut Ctx,
    node: &Node,
    details: &mut ReportDetails,
    ip_events: &mut Vec<IncidentIpEvent>,
) -> Result<(), IntakeError> {
    ctx.attrs(node, &[]);
    ctx.each(node, |ctx, c| {
        let Some(kind) = IncidentKind::from_element(&c.name) else {
            return Ok(false);
        };
        let index = details.internet.len();
        let mut i = InternetIncident::new(kind);
        incident(ctx, c, &mut i, index, ip_events)?;
        details.internet.push(i);
        Ok(true)
    })
}

fn incident(
    ctx: &mut Ctx,
    node: &Node,
    i: &mut InternetIncident,
    index: usize,
    ip_events: &mut Vec<IncidentIpEvent>,
) -> Result<(), IntakeError> {
    // `thirdPartyHostedContent` is an element in NCMEC's documentation and an attribute in some writers.
    ctx.attrs(node, &["thirdPartyHostedContent"]);
    if let Some(v) = node.attr("thirdPartyHostedContent") {
        i.third_party_hosted =
            values::flag_text(&v).map_err(|m| node.attr_loc("thirdPartyHostedContent").err(m))?;
    }
    let kind = i.kind;
    ctx.each(node, |ctx, c| {
        match (kind, c.name.as_str()) {
            (IncidentKind::WebPage, "url") => i.urls.extend(ctx.leaf(c)),
            (IncidentKind::WebPage, "thirdPartyHostedContent") => {
                i.third_party_hosted = values::flag(c)?
            }
            (IncidentKind::Email | IncidentKind::Newsgroup, "emailAddress") => {
                ctx.attrs(c, &["type", "verified", "verificationDate"]);
                i.email_addresses.extend(ctx.leaf_text(c))
            }
            (IncidentKind::Newsgroup, "name") => i.newsgroup = ctx.leaf(c),
            (IncidentKind::ChatIm, "chatClient") => i.chat_client = ctx.leaf(c),
            (IncidentKind::ChatIm, "chatRoomName") => i.chat_room = ctx.leaf(c),
            (IncidentKind::OnlineGaming, "gameName") => i.game = ctx.leaf(c),
            (IncidentKind::OnlineGaming, "console") => i.console = ctx.leaf(c),
            (
                IncidentKind::Email
                | IncidentKind::Newsgroup
                | IncidentKind::ChatIm
                | IncidentKind::OnlineGaming,
                "content",
            ) => i.content = ctx.leaf(c),
            (IncidentKind::CellPhone, "phoneNumber") => {
                ctx.attrs(
                    c,
                    &[
                        "type",
                        "verified",
                        "verificationDate",
                        "countryCallingCode",
                        "extension",
                    ],
                );
                i.phone = ctx
                    .leaf_text(c)
                    .map(|n| match c.attr("countryCallingCode") {
                        Some(code) => format!("{code} {n}"),
                        None => n,
                    });
            }
            (IncidentKind::CellPhone, "latitude") => i.latitude = coordinate(c, 90.0)?,
            (IncidentKind::CellPhone, "longitude") => i.longitude = coordinate(c, 180.0)?,
            (IncidentKind::NonInternet, "locationName") => i.location_name = ctx.leaf(c),
            (IncidentKind::NonInternet, "incidentAddress") => {
                let a = super::party::address(ctx, c);
                i.addresses.extend(a.one_line());
            }
            (IncidentKind::PeerToPeer, "client") => i.client = ctx.leaf(c),
            (IncidentKind::PeerToPeer, "fileNames") => i.file_names = ctx.leaf(c),
            (IncidentKind::PeerToPeer, "ipCaptureEvent") => {
                ip_events.push(IncidentIpEvent {
                    kind,
                    index,
                    event: values::ip_event(ctx, c)?,
                });
                i.ip_events += 1;
            }
            (_, "additionalInfo") => i.additional_info.extend(ctx.leaf(c)),
            _ => return Ok(false),
        }
        Ok(true)
    })
}

/// A latitude or longitude: a decimal number within ±`limit`, kept as received.
fn coordinate(node: &Node, limit: f64) -> Result<Option<String>, IntakeError> {
    let Some(v) = node.value() else {
        return Ok(None);
    };
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() && x.abs() <= limit => Ok(Some(v)),
        _ => Err(node.loc.err(format!(
            "'{v}' is not a {} in decimal degrees (-{limit} to {limit})",
            node.name
        ))),
    }
}

/// `lawEnforcement`.
pub(crate) fn law_enforcement(ctx: &mut Ctx, node: &Node) -> Result<OtherAgency, IntakeError> {
    let mut a = OtherAgency {
        country: node.attr("fleaCountry"),
        ..OtherAgency::default()
    };
    ctx.attrs(node, &["fleaCountry"]);
    ctx.each(node, |ctx, c| {
        match c.name.as_str() {
            "agencyName" => a.agency = ctx.leaf(c),
            "caseNumber" => a.case_number = ctx.leaf(c),
            "officerContact" => a.officer = contact_line(ctx, c)?,
            "reportedToLe" => a.reported_to_agency = values::flag(c)?,
            "servedLegalProcessDomestic" => a.legal_process_domestic = values::flag(c)?,
            "servedLegalProcessInternational" | "servedLegalPorcessInternational" => {
                a.legal_process_international = values::flag(c)?
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(a)
}

/// `reporter`: the reporting person's email (which Safeguard keeps as the company's contact) and the rest
/// as details.
pub(crate) fn reporter(
    ctx: &mut Ctx,
    node: &Node,
    email: &mut Option<String>,
) -> Result<ReporterDetails, IntakeError> {
    let mut r = ReporterDetails::default();
    ctx.attrs(node, &[]);
    ctx.each(node, |ctx, c| {
        match c.name.as_str() {
            "reportingPerson" => {
                let p = super::party::person(ctx, c)?;
                *email = p.emails.first().map(|e| e.value.clone());
                r.reporting_person = one_line(&p);
            }
            "contactPerson" => r.contact_person = contact_line(ctx, c)?,
            "companyTemplate" => r.company_template = ctx.leaf(c),
            "termsOfService" => r.terms_of_service = ctx.leaf(c),
            "legalURL" => r.legal_url = ctx.leaf(c),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(r)
}

/// `batchedReport/@reason`.
pub(crate) fn batched(ctx: &mut Ctx, node: &Node) -> Option<String> {
    ctx.attrs(node, &["reason"]);
    let _ = ctx.each(node, |_, _| Ok(false));
    node.attr("reason")
        .or_else(|| node.value())
        .or_else(|| Some("no reason given".into()))
}

/// A person element (an officer, a contact) as one line.
fn contact_line(ctx: &mut Ctx, node: &Node) -> Result<Option<String>, IntakeError> {
    Ok(one_line(&super::party::person(ctx, node)?))
}

/// `Jane Smith, jane@example.com, +1 5551234`.
fn one_line(p: &Person) -> Option<String> {
    let name = p.full_name();
    let parts: Vec<String> = name
        .into_iter()
        .chain(p.emails.iter().map(|e| e.value.clone()))
        .chain(p.phones.iter().map(|e| e.display()))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}
