//! Attaching a media triage report (`safeguard scan --json`) to an exhibit: read by `media`, its counts, exact
//! and near matches per category, hash sets and tool version kept, and the report itself stored as received. The
//! upload is logged as a collection, since its paths can hold names; giving it back is a logged disclosure.

use super::{ExhibitView, open_exhibit, views};
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::Processing;
use jiff::Timestamp;
use media::scan::received::{self, ReadError};
use sha2::{Digest, Sha256};

/// The largest scan report taken (64 MiB): a report of about 150,000 files.
pub const MAX_SCAN_BYTES: usize = 64 * 1024 * 1024;

/// A scan report as received, for download.
#[derive(Clone, Debug)]
pub struct ScanReport {
    /// The exhibit it belongs to.
    pub exhibit_id: String,
    /// SHA-256 of the bytes.
    pub sha256: String,
    /// The report.
    pub bytes: Vec<u8>,
}

fn count(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Attach the JSON that `safeguard scan --json` printed to an exhibit; answers the exhibit with its counts.
pub async fn attach_scan(
    app: &App,
    actor: &Actor,
    id: &str,
    bytes: &[u8],
) -> Result<ExhibitView, Error> {
    let e = open_exhibit(
        app,
        actor,
        id,
        &[Action::RecordExhibits, Action::ExamineExhibits],
        Processing::Collection,
        "attach a scan report",
    )
    .await?;
    let p = parse_scan(bytes)?;
    app.store()
        .attach_scan(
            &e,
            &p.to_new(bytes),
            Timestamp::now(),
            p.summary(&e.reference),
            &actor.author(),
        )
        .await?;
    let row = app.store().exhibit(&e.id).await?.ok_or(Error::NotFound)?;
    views::view(app, row).await
}

/// A scan report read and checked, ready to keep.
#[derive(Clone, Debug)]
pub struct ParsedScan {
    /// The tool.
    pub tool: String,
    /// Its version.
    pub version: String,
    /// The scanned path.
    pub root: String,
    /// When the scan started.
    pub started_at: Timestamp,
    /// Its counts.
    pub counts: store::ScanCounts,
    /// The hash sets used (JSON `[{name, checksum}]`).
    pub sets: String,
    /// SHA-256 of the report.
    pub sha256: String,
    /// Its counts in words, for the timeline.
    pub words: String,
}

impl ParsedScan {
    /// The report as the store keeps it, with its bytes as received.
    pub fn to_new<'a>(&'a self, bytes: &'a [u8]) -> store::NewScan<'a> {
        store::NewScan {
            tool: &self.tool,
            tool_version: &self.version,
            root: &self.root,
            started_at: self.started_at,
            counts: self.counts,
            sets: self.sets.clone(),
            sha256: self.sha256.clone(),
            bytes,
        }
    }

    /// The timeline's words for it, attached to the exhibit `reference`.
    pub fn summary(&self, reference: &str) -> String {
        format!(
            "Scan report attached to exhibit {reference}: {}",
            self.words
        )
    }
}

/// Read the JSON that `safeguard scan --json` printed (at most 64 MiB): refused with where it is wrong.
pub fn parse_scan(bytes: &[u8]) -> Result<ParsedScan, Error> {
    if bytes.len() > MAX_SCAN_BYTES {
        return Err(Error::TooLarge {
            code: "scan.too_large",
            message: format!(
                "The scan report is {} bytes: at most {MAX_SCAN_BYTES} bytes (64 MiB) are taken.",
                bytes.len()
            ),
        });
    }
    let r = received::read(bytes).map_err(|err| {
        let message = match &err {
            ReadError::Shape { .. } => format!(
                "The scan report is not the JSON that `safeguard scan --json` prints: {err}."
            ),
            ReadError::Inconsistent(_) => format!("The scan report does not add up: {err}."),
        };
        Error::invalid_at("scan.invalid", message, "report")
    })?;
    let sets = serde_json::to_string(
        &r.sets
            .iter()
            .map(|s| views::SetView {
                name: s.name.clone(),
                checksum: s.checksum.clone(),
            })
            .collect::<Vec<_>>(),
    )
    .map_err(|err| Error::Internal(format!("hash sets as JSON: {err}")))?;
    let counts = store::ScanCounts {
        files: count(r.files),
        images: count(r.images),
        count_a: count(r.counts.a),
        count_b: count(r.counts.b),
        count_c: count(r.counts.c),
        not_indecent: count(r.counts.not_indecent),
        uncategorised: count(r.counts.uncategorised),
        other: count(r.counts.other),
        exact: count(r.exact),
        near: count(r.near),
        unknown_images: count(r.unknown_images),
        unreadable: count(r.unreadable),
        exact_a: count(r.exact_by_category.a),
        exact_b: count(r.exact_by_category.b),
        exact_c: count(r.exact_by_category.c),
        near_a: count(r.near_by_category.a),
        near_b: count(r.near_by_category.b),
        near_c: count(r.near_by_category.c),
    };
    let started_at = Timestamp::from_second(count(r.started_at)).unwrap_or(Timestamp::UNIX_EPOCH);
    let sha256 = hex::encode(Sha256::digest(bytes));
    let words = format!(
        "{} files, {} A, {} B, {} C, {} near matches, {} unknown images ({} {})",
        r.files, r.counts.a, r.counts.b, r.counts.c, r.near, r.unknown_images, r.tool, r.version
    );
    Ok(ParsedScan {
        tool: r.tool,
        version: r.version,
        root: r.root,
        started_at,
        counts,
        sets,
        sha256,
        words,
    })
}

/// A scan report exactly as received (a logged disclosure).
pub async fn scan_report(
    app: &App,
    actor: &Actor,
    id: &str,
    scan: &str,
) -> Result<ScanReport, Error> {
    let e = open_exhibit(
        app,
        actor,
        id,
        &[Action::ReadExhibits],
        Processing::Disclosure,
        "download a scan report as received",
    )
    .await?;
    let (exhibit_id, bytes) = app
        .store()
        .scan_bytes(scan)
        .await?
        .filter(|(x, _)| *x == e.id)
        .ok_or(Error::NotFound)?;
    Ok(ScanReport {
        exhibit_id,
        sha256: hex::encode(Sha256::digest(&bytes)),
        bytes,
    })
}
