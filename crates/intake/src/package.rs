//! The first, flat view of a JSON package that the web's import still uses: each report reduced to its
//! incident, escalation, narrative and reported person. It is now read by [`crate::json`]'s full parser (so
//! both forms of report, XML and JSON, are accepted) and keeps the whole normalised report in
//! [`Report::model`] for callers moving to [`crate::model`].

use domain::ReportedPerson;
use jiff::Timestamp;

pub use crate::error::IntakeError;

/// The CyberTipline incident types (formats.md), NCMEC's wording.
pub const INCIDENT_TYPES: [&str; 8] = [
    "Child Pornography (possession, manufacture, and distribution)",
    "Child Sex Trafficking",
    "Child Sex Tourism",
    "Child Sexual Molestation",
    "Misleading Domain Name",
    "Misleading Words or Digital Images on the Internet",
    "Online Enticement of Children for Sexual Acts",
    "Unsolicited Obscene Material Sent to a Child",
];

/// A validated package.
#[derive(Clone, Debug)]
pub struct Package {
    /// Who sent it (`NCA`, `manual`).
    pub source: String,
    /// The sender's reference.
    pub package_ref: Option<String>,
    /// Force receipt.
    pub received_at: Timestamp,
    /// Borough named by the sender (routing happens in the caller, against reference data).
    pub borough: Option<String>,
    /// One or more reports: each becomes a referral.
    pub reports: Vec<Report>,
}

/// One validated report.
#[derive(Clone, Debug)]
pub struct Report {
    /// Its id within the source.
    pub report_id: String,
    /// CyberTipline incident type.
    pub incident_type: String,
    /// When the platform detected the content.
    pub incident_at: Timestamp,
    /// Escalation text (any value escalates).
    pub escalation: Option<String>,
    /// Free-text narrative.
    pub narrative: String,
    /// The reported person.
    pub reported_person: ReportedPerson,
    /// The report exactly as received (the XML element, or the JSON text of the report object).
    pub original: String,
    /// The whole normalised report.
    pub model: crate::model::Report,
}

impl From<crate::model::Report> for Report {
    fn from(r: crate::model::Report) -> Self {
        Report {
            report_id: r.report_id.clone(),
            incident_type: r.incident_type.as_str().to_string(),
            incident_at: r.incident_at.at,
            escalation: r.escalation.clone(),
            narrative: r.narrative.clone().unwrap_or_default(),
            reported_person: r.reported_person(),
            original: r.original.text.clone(),
            model: r,
        }
    }
}

/// Parse and validate a JSON package held in memory, within the web API's limits.
pub fn parse_json_package(bytes: &[u8]) -> Result<Package, IntakeError> {
    let p = crate::json::parse_package(bytes, &crate::json::PackageLimits::API)?;
    Ok(Package {
        source: p.header.source,
        package_ref: p.header.package_ref,
        received_at: p.header.received_at,
        borough: p.header.borough,
        reports: p.reports.into_iter().map(Report::from).collect(),
    })
}

#[cfg(test)]
mod tests;
