//! The scan of a folder or mounted image: walk it read-only without following links, hash every file in
//! parallel (journaling each result so `--resume` can continue), match against the hash sets and count.
//! SHA-256 is worked out whenever a set holds SHA-256 hashes, so that they can match.

mod hashed;
mod journal;
pub mod received;
pub mod report;
pub mod vics;

pub use hashed::Hashed;
pub use report::{FileReport, MatchReport, Report, Summary};

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::digest::unhex;
use crate::hashset::{KnownSet, MatchKind, Query};
use crate::pdq::MIN_QUALITY;
use crate::record::HashOptions;
use crate::walk::{self, EntryKind};
use journal::Journal;
use report::{Matched, SetInfo, Tool};

/// Where the scan tells its progress (a terminal progress bar, or nothing).
pub trait Progress: Sync {
    /// The walk is done: this many files and bytes are to be hashed.
    fn start(&self, files: u64, bytes: u64);
    /// One more file, of `bytes`, is done.
    fn advance(&self, bytes: u64);
}

/// Progress that goes nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: u64, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// How to run a scan.
#[derive(Debug, Clone)]
pub struct ScanOptions<'a> {
    /// What to hash.
    pub hash: HashOptions,
    /// The journal file that makes the scan resumable, if any.
    pub journal: Option<&'a Path>,
    /// Reuse the journal's results from an interrupted run.
    pub resume: bool,
    /// The tool's version, for the report.
    pub version: &'a str,
}

/// Why a scan could not run (problems with single files never stop it).
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The journal could not be opened.
    #[error("failed to open the scan journal {path}: {source}")]
    Journal {
        /// The journal's path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// Scans `root` against `sets`.
pub fn scan(
    root: &Path,
    sets: &[KnownSet],
    options: &ScanOptions,
    progress: &dyn Progress,
) -> Result<Report, ScanError> {
    let hash_options = HashOptions {
        sha256: options.hash.sha256 || sets.iter().any(|s| s.counts().sha256 > 0),
        ..options.hash
    };
    let started = Instant::now();
    let started_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let journal_error = |path: &Path, source| ScanError::Journal {
        path: path.display().to_string(),
        source,
    };
    let (journal, mut done) = match options.journal {
        Some(p) => {
            let (j, d) = Journal::open(p, options.resume).map_err(|e| journal_error(p, e))?;
            (Some(j), d)
        }
        None => (None, Default::default()),
    };
    let entries = walk::walk(root);
    let sizes: Vec<u64> = entries
        .iter()
        .map(|e| match e.kind {
            EntryKind::File => std::fs::symlink_metadata(&e.path).map_or(0, |m| m.len()),
            _ => 0,
        })
        .collect();
    let files = entries.iter().filter(|e| e.kind == EntryKind::File).count() as u64;
    progress.start(files, sizes.iter().sum());
    let journal_failed = AtomicBool::new(false);
    let mut resumed = 0u64;
    let reuse: Vec<Option<Hashed>> = entries
        .iter()
        .zip(&sizes)
        .map(|(e, &size)| {
            let h = done.remove(e.path.to_string_lossy().as_ref())?;
            // A result journaled without a SHA-256 that is now needed is worked out again.
            let complete = !hash_options.sha256 || h.md5.is_none() || h.sha256.is_some();
            let unchanged = e.kind == EntryKind::File
                && h.size == Some(size)
                && h.mtime_ns.is_some()
                && h.mtime_ns == hashed::mtime_ns(&e.path)
                && complete;
            unchanged.then(|| {
                resumed += 1;
                h
            })
        })
        .collect();
    let hashed: Vec<Hashed> = entries
        .par_iter()
        .zip(reuse)
        .zip(&sizes)
        .map(|((e, reused), &size)| {
            let h = match reused {
                Some(h) => h,
                None => {
                    let h = hashed::hash_entry(e, hash_options);
                    if let Some(j) = &journal
                        && j.record(&h).is_err()
                    {
                        journal_failed.store(true, Ordering::Relaxed);
                    }
                    h
                }
            };
            if e.kind == EntryKind::File {
                progress.advance(size);
            }
            h
        })
        .collect();
    let reports: Vec<FileReport> = hashed.par_iter().map(|h| report_file(h, sets)).collect();
    let mut summary = summarise(&hashed, &reports);
    summary.seconds = started.elapsed().as_secs_f64();
    if let Some(j) = journal
        && !journal_failed.load(Ordering::Relaxed)
    {
        let _ = j.finish();
    }
    Ok(Report {
        bytes_per_second: summary.bytes as f64 / summary.seconds.max(1e-9),
        summary,
        files: reports,
        tool: Tool {
            name: "safeguard".into(),
            version: options.version.into(),
        },
        root: root.display().to_string(),
        started_at,
        sets: sets.iter().map(set_info).collect(),
        resumed_files: resumed,
    })
}

fn set_info(s: &KnownSet) -> SetInfo {
    let counts = s.counts();
    SetInfo {
        name: s.header.name.clone(),
        checksum: s.checksum.clone(),
        distance: s.header.distance,
        md5: counts.md5,
        sha1: counts.sha1,
        pdq: counts.pdq,
        sha256: counts.sha256,
        photodna: counts.photodna,
    }
}

/// One file's report entry with its matches, best first (exact before near, then the most serious category,
/// then the smallest distance).
pub fn report_file(h: &Hashed, sets: &[KnownSet]) -> FileReport {
    let mut matches = Vec::new();
    if let (Some(md5), Some(sha1)) = (&h.md5, &h.sha1) {
        let sha256: Option<[u8; 32]> = h.sha256.as_deref().and_then(unhex);
        let query = Query {
            md5,
            sha1,
            sha256: sha256.as_ref(),
            variants: h
                .variants
                .as_ref()
                .filter(|_| h.quality.unwrap_or(0) >= MIN_QUALITY),
        };
        for set in sets {
            if let Some(m) = set.best_match(&query) {
                matches.push(MatchReport {
                    set: set.header.name.clone(),
                    category: m.category.to_string(),
                    kind: if m.kind == MatchKind::Exact {
                        "exact"
                    } else {
                        "near"
                    },
                    hash: m.on.name(),
                    distance: m.distance,
                    details: m.details.clone(),
                    parsed: (m.category, m.kind),
                });
            }
        }
    }
    matches.sort_by_key(|m| {
        (
            m.parsed.1 != MatchKind::Exact,
            std::cmp::Reverse(m.parsed.0.severity()),
            m.distance,
        )
    });
    FileReport {
        path: h.path.clone(),
        size: h.size,
        md5: h.md5.map(hex::encode),
        sha1: h.sha1.map(hex::encode),
        sha256: h.sha256.clone(),
        pdq: h.pdq.map(|p| p.to_string()),
        quality: h.quality,
        error: h.error.clone(),
        skipped: h.skipped.clone(),
        matches,
    }
}

/// The counts over all files (links and special files excluded).
fn summarise(hashed: &[Hashed], reports: &[FileReport]) -> Summary {
    let mut s = Summary {
        matched: Matched::default(),
        ..Summary::default()
    };
    for (h, r) in hashed.iter().zip(reports) {
        if h.skipped.is_some() {
            continue;
        }
        s.files += 1;
        s.bytes += h.size.unwrap_or(0);
        s.images += h.image as u64;
        if h.error.is_some() {
            s.unreadable += 1;
        }
        match r.matches.first() {
            Some(best) => {
                s.matched.add(best.parsed.0);
                if best.parsed.1 == MatchKind::Exact {
                    s.exact += 1;
                } else {
                    s.near += 1;
                }
            }
            None => s.unknown_images += h.image as u64,
        }
    }
    s
}
