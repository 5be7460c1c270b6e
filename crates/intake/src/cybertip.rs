//! A bare CyberTipline report: one XML document whose root is `report`, with the package fields (source,
//! received-at, borough, report id) given by whoever imports it. Without a report id, the report's identity
//! is the SHA-256 of the document's bytes, so the same file imported twice is still one referral.

mod reader;

use crate::error::IntakeError;
use crate::model::{Original, OriginalFormat, Package, PackageHeader, Report};
use jiff::Timestamp;

/// The package fields of a bare report (`--source`, `--received-at`, `--borough`, `--report-id`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BareOptions {
    /// Who sent it.
    pub source: String,
    /// Force receipt.
    pub received_at: Timestamp,
    /// Borough named by the sender.
    pub borough: Option<String>,
    /// The sender's package reference.
    pub package_ref: Option<String>,
    /// The report's id; `None` (or blank) uses the SHA-256 of the bytes.
    pub report_id: Option<String>,
}

/// Parse a bare CyberTipline XML report into a package of one.
pub fn parse_cybertip_xml(bytes: &[u8], opts: &BareOptions) -> Result<Package, IntakeError> {
    if opts.source.trim().is_empty() {
        return Err(IntakeError::new("source", "a report needs its source"));
    }
    let id = opts
        .report_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(|| crate::sha256_hex(bytes), str::to_string);
    let report = report_from_xml(bytes, id, None)?;
    Ok(Package {
        header: PackageHeader {
            source: opts.source.trim().to_string(),
            package_ref: opts.package_ref.clone(),
            received_at: opts.received_at,
            borough: opts.borough.clone(),
        },
        reports: vec![report],
        warnings: vec![],
    })
}

/// Parse one CyberTipline `<report>` document into a [`Report`] with the given id and narrative.
pub fn parse_report_xml(
    bytes: &[u8],
    report_id: String,
    narrative: Option<String>,
) -> Result<Report, IntakeError> {
    report_from_xml(bytes, report_id, narrative)
}

fn report_from_xml(
    bytes: &[u8],
    report_id: String,
    narrative: Option<String>,
) -> Result<Report, IntakeError> {
    let decoded = crate::encoding::decode_xml(bytes)?;
    let read = reader::read(&decoded.text)?;
    let original = Original::new(OriginalFormat::Xml, read.original.to_string());
    let mut report = crate::map::report(&read.root, report_id, original, narrative)?;
    if decoded.encoding != "UTF-8" {
        report.warnings.push(crate::error::Warning {
            path: "report".into(),
            message: format!(
                "the report arrived in {} and was read as UTF-8; the package is kept exactly as received",
                decoded.encoding
            ),
        });
    }
    Ok(report)
}
