//! Safeguard's JSON package: `{"source", "package_ref", "received_at", "borough", "reports": [...]}`, each
//! report `{"report_id", "narrative"?, "cybertip_xml": "<report>…</report>"}` or `{"report_id",
//! "narrative"?, "report": {…the same content as JSON…}}` (schemas/package.schema.json, docs/import.md).
//!
//! [`read_json_package`] streams: it reads the header, then hands each report to a sink as soon as it is
//! read and checked, never holding the document. The header keys must all come before `reports` for that
//! (optional ones may be `null`); when one comes after, the reports are buffered until the end of the
//! package and then handed over. [`parse_package`] collects the whole package in memory.

mod entry;
mod hashing;
mod stream;

pub use hashing::HashingReader;

use crate::error::{IntakeError, Warning};
use crate::limits;
use crate::model::{Package, PackageHeader, Report};
use serde::de::DeserializeSeed;
use std::io::{BufRead, Read};

/// Limits on one package.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackageLimits {
    /// Most bytes.
    pub max_bytes: u64,
    /// Most reports.
    pub max_reports: u64,
}

impl PackageLimits {
    /// Through the web API: 64 MiB, 10,000 reports.
    pub const API: PackageLimits = PackageLimits {
        max_bytes: limits::MAX_PACKAGE_BYTES_API,
        max_reports: limits::MAX_REPORTS_API,
    };
    /// From the command line: 4 GiB, 1,000,000 reports.
    pub const CLI: PackageLimits = PackageLimits {
        max_bytes: limits::MAX_PACKAGE_BYTES_CLI,
        max_reports: limits::MAX_REPORTS_CLI,
    };
}

/// What a completed read saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageSummary {
    /// The package fields.
    pub header: PackageHeader,
    /// Reports handed to the sink.
    pub reports: u64,
    /// Package-level warnings (unknown top-level fields).
    pub warnings: Vec<Warning>,
    /// Whether the reports had to be buffered (a header key came after `reports`).
    pub buffered: bool,
    /// Bytes read.
    pub bytes: u64,
    /// SHA-256 of the bytes read, lower-case hex.
    pub sha256: String,
}

/// Why a streamed read stopped.
#[derive(Debug, thiserror::Error)]
pub enum ReadError<E> {
    /// The package is invalid: nothing of it should be kept.
    #[error(transparent)]
    Invalid(#[from] IntakeError),
    /// The sink refused a report.
    #[error("a report could not be stored: {0}")]
    Sink(E),
    /// The reader failed.
    #[error("failed to read the package: {0}")]
    Io(std::io::Error),
}

/// Stream a JSON package from `reader`, handing each report to `sink` with the package header. On any
/// error the caller must discard what the sink received (roll back its transaction).
pub fn read_json_package<R, F, E>(
    reader: R,
    limits: &PackageLimits,
    sink: F,
) -> Result<PackageSummary, ReadError<E>>
where
    R: Read,
    F: FnMut(&PackageHeader, Report) -> Result<(), E>,
{
    let mut input = HashingReader::new(reader, limits.max_bytes);
    let bom = match input.fill_buf() {
        Ok(b) => b.starts_with(b"\xEF\xBB\xBF"),
        Err(e) => {
            return Err(if input.exceeded() {
                over_limit(limits)
            } else {
                ReadError::Io(e)
            });
        }
    };
    if bom {
        input.consume(3);
    }
    let mut run = stream::Run {
        limits: *limits,
        sink,
        source: None,
        package_ref: None,
        received_at: None,
        borough: None,
        header: None,
        failure: None,
        buffered: vec![],
        ids: Default::default(),
        count: 0,
        warnings: vec![],
        reports_seen: false,
        current: None,
    };
    let mut de = serde_json::Deserializer::from_reader(&mut input);
    let parsed = stream::PackageSeed(&mut run)
        .deserialize(&mut de)
        .and_then(|()| de.end());
    if let Err(e) = parsed {
        if let Some(f) = run.failure.take() {
            return Err(f);
        }
        if input.exceeded() {
            return Err(over_limit(limits));
        }
        return Err(json_error(&e, run.current));
    }
    if !run.reports_seen || run.count == 0 {
        return Err(IntakeError::new("reports", "a package needs at least one report").into());
    }
    let buffered = std::mem::take(&mut run.buffered);
    let was_buffered = !buffered.is_empty();
    for entry in buffered {
        run.deliver(entry)?;
    }
    let header = run.header()?;
    let (bytes, sha256) = input.finish();
    Ok(PackageSummary {
        header,
        reports: run.count,
        warnings: run.warnings,
        buffered: was_buffered,
        bytes,
        sha256,
    })
}

fn over_limit<E>(limits: &PackageLimits) -> ReadError<E> {
    let msg = format!(
        "the package is over the limit of {} bytes",
        limits.max_bytes
    );
    IntakeError::new("(package)", msg).into()
}

fn json_error<E>(e: &serde_json::Error, current: Option<usize>) -> ReadError<E> {
    if let Some(kind) = e.io_error_kind() {
        return ReadError::Io(std::io::Error::new(kind, e.to_string()));
    }
    let text = e.to_string();
    let message = text.split(" at line ").next().unwrap_or(&text);
    let (l, c) = (e.line(), e.column());
    let location = match current {
        Some(i) => format!("reports[{i}] (line {l}, column {c})"),
        None => format!("line {l}, column {c}"),
    };
    IntakeError::new(location, format!("not a valid package: {message}")).into()
}

/// Parse a whole JSON package held in memory.
pub fn parse_package(bytes: &[u8], limits: &PackageLimits) -> Result<Package, IntakeError> {
    let mut reports = vec![];
    let summary = read_json_package(bytes, limits, |_, r| {
        reports.push(r);
        Ok::<_, std::convert::Infallible>(())
    })
    .map_err(|e| match e {
        ReadError::Invalid(e) => e,
        ReadError::Io(e) => IntakeError::new("(package)", e.to_string()),
        ReadError::Sink(never) => match never {},
    })?;
    Ok(Package {
        header: summary.header,
        reports,
        warnings: summary.warnings,
    })
}
