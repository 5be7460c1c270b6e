//! A bare CyberTipline report: one XML document whose root is `report`, with the package fields (source,
//! received-at, borough, report id) given by whoever imports it. Without a report id, the report's identity
//! is the SHA-256 of the document's bytes, so the same file imported twice is still one referral.
//!
//! NCMEC's interface also sends each uploaded file's details as a separate `<fileDetails>` document naming
//! the report it belongs to (`reportId`); [`parse_cybertip_document`] reads either kind.

mod reader;

use crate::error::IntakeError;
use crate::model::{FileDetails, Original, OriginalFormat, Package, PackageHeader, Report};
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

/// A separate `<fileDetails>` document: one file's details for a report received before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDetailsDocument {
    /// Who sent it (the source of the report it belongs to).
    pub source: String,
    /// `reportId`: the report it belongs to.
    pub report_id: String,
    /// The file's details.
    pub file: FileDetails,
    /// The document as received.
    pub original: Original,
    /// What was not read.
    pub warnings: Vec<crate::error::Warning>,
}

/// What one CyberTipline XML document holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum XmlDocument {
    /// A `<report>`: a package of one.
    Report(Package),
    /// A separate `<fileDetails>`.
    FileDetails(Box<FileDetailsDocument>),
}

/// Parse a CyberTipline XML document: a `<report>` (a package of one) or a separate `<fileDetails>`.
pub fn parse_cybertip_document(
    bytes: &[u8],
    opts: &BareOptions,
) -> Result<XmlDocument, IntakeError> {
    if opts.source.trim().is_empty() {
        return Err(IntakeError::new("source", "a report needs its source"));
    }
    let decoded = crate::encoding::decode_xml(bytes)?;
    let read = reader::read(&decoded.text)?;
    if read.root.name != "fileDetails" {
        return parse_cybertip_xml(bytes, opts).map(XmlDocument::Report);
    }
    let original = Original::new(OriginalFormat::Xml, read.original.to_string());
    let (file, mut warnings) = crate::map::file_document(&read.root)?;
    let report_id = file.report_id.clone().ok_or_else(|| {
        IntakeError::new(
            "fileDetails/reportId",
            "a separate <fileDetails> document must name the report it belongs to in <reportId>",
        )
    })?;
    if file.file_id.is_none() {
        return Err(IntakeError::new(
            "fileDetails/fileId",
            "a separate <fileDetails> document must name its file in <fileId>",
        ));
    }
    if decoded.encoding != "UTF-8" {
        warnings.push(encoding_warning("fileDetails", decoded.encoding));
    }
    Ok(XmlDocument::FileDetails(Box::new(FileDetailsDocument {
        source: opts.source.trim().to_string(),
        report_id,
        file,
        original,
        warnings,
    })))
}

fn encoding_warning(path: &str, encoding: &str) -> crate::error::Warning {
    crate::error::Warning {
        path: path.into(),
        message: format!(
            "the document arrived in {encoding} and was read as UTF-8; the package is kept exactly as received"
        ),
    }
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
    if read.root.name == "fileDetails" {
        return Err(read.root.loc.err(
            "this is a separate <fileDetails> document, not a report: import it on its own, after the report it names",
        ));
    }
    let original = Original::new(OriginalFormat::Xml, read.original.to_string());
    let mut report = crate::map::report(&read.root, report_id, original, narrative)?;
    if decoded.encoding != "UTF-8" {
        report
            .warnings
            .push(encoding_warning("report", decoded.encoding));
    }
    Ok(report)
}
