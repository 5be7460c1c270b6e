//! The scan report: a summary ready for a charging decision (files per category, exact and near matches,
//! unknown images, unreadable files, duration), the sets used with their checksums, and one entry per file.
//! It holds hashes, sizes, paths and times only.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::hashset::{Category, Details, MatchKind};

/// The whole report, as written by `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The counts.
    pub summary: Summary,
    /// Every walked path, in walk order.
    pub files: Vec<FileReport>,
    /// The tool that produced the report.
    pub tool: Tool,
    /// The scanned path.
    pub root: String,
    /// When the scan started, seconds since 1970.
    pub started_at: u64,
    /// Bytes hashed per second of the run.
    pub bytes_per_second: f64,
    /// The hash sets matched against.
    pub sets: Vec<SetInfo>,
    /// Files reused from an interrupted run's journal (`--resume`).
    pub resumed_files: u64,
}

/// The name and version of the tool.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// `safeguard`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// A hash set used in the scan.
#[derive(Debug, Clone, Serialize)]
pub struct SetInfo {
    /// Its name.
    pub name: String,
    /// SHA-256 of its file.
    pub checksum: String,
    /// Its PDQ distance.
    pub distance: u32,
    /// Its MD5, SHA-1 and PDQ entry counts.
    pub md5: usize,
    /// SHA-1 entries.
    pub sha1: usize,
    /// PDQ entries.
    pub pdq: usize,
    /// SHA-256 entries.
    pub sha256: usize,
    /// PhotoDNA entries (kept with the set, never matched: PhotoDNA cannot be worked out here).
    pub photodna: usize,
}

/// The counts. Each counts files; links and special files are not counted.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Regular files found (including unreadable ones).
    pub files: u64,
    /// Bytes hashed.
    pub bytes: u64,
    /// Files that decoded as images.
    pub images: u64,
    /// Matched files by the category of their best match.
    pub matched: Matched,
    /// Files whose MD5, SHA-1 or SHA-256 is in a set.
    pub exact: u64,
    /// Files matched only by PDQ.
    pub near: u64,
    /// Images matching no set: candidates for grading and victim identification.
    pub unknown_images: u64,
    /// Files that could not be read or decoded.
    pub unreadable: u64,
    /// Duration of the run.
    pub seconds: f64,
}

/// Matched files per category.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Matched {
    /// Category A.
    #[serde(rename = "A")]
    pub a: u64,
    /// Category B.
    #[serde(rename = "B")]
    pub b: u64,
    /// Category C.
    #[serde(rename = "C")]
    pub c: u64,
    /// Not indecent.
    pub not_indecent: u64,
    /// Known but uncategorised.
    pub uncategorised: u64,
    /// Source numbers without a mapping, all together.
    pub other: u64,
    /// The same, per source number.
    pub other_by_number: BTreeMap<i64, u64>,
}

impl Matched {
    /// Counts one file under `c`.
    pub fn add(&mut self, c: Category) {
        match c {
            Category::A => self.a += 1,
            Category::B => self.b += 1,
            Category::C => self.c += 1,
            Category::NotIndecent => self.not_indecent += 1,
            Category::Uncategorised => self.uncategorised += 1,
            Category::Other(n) => {
                self.other += 1;
                *self.other_by_number.entry(n).or_default() += 1;
            }
        }
    }
}

/// One walked path.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// The path as walked.
    pub path: String,
    /// Its size.
    pub size: Option<u64>,
    /// MD5, hex.
    pub md5: Option<String>,
    /// SHA-1, hex.
    pub sha1: Option<String>,
    /// SHA-256, hex, when asked for or needed by a set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// PDQ, hex, for images.
    pub pdq: Option<String>,
    /// PDQ quality; under 50 the hash is not matched.
    pub quality: Option<u8>,
    /// Why it could not be read or decoded.
    pub error: Option<String>,
    /// Why it was not hashed (`link`).
    pub skipped: Option<String>,
    /// Its matches, one per matching set, best first.
    pub matches: Vec<MatchReport>,
}

/// A file's match against one set.
#[derive(Debug, Clone, Serialize)]
pub struct MatchReport {
    /// The set's name.
    pub set: String,
    /// The category (`A`, `B`, `C`, `not_indecent`, `uncategorised`, `other(n)`).
    pub category: String,
    /// `exact` or `near`.
    pub kind: &'static str,
    /// The hash that matched: `MD5`, `SHA-1`, `SHA-256` or `PDQ`.
    pub hash: &'static str,
    /// For a near match, the Hamming distance.
    pub distance: Option<u32>,
    /// What the set says about the known image: `victim_identified`, `series`, `is_distributed`, each only
    /// when the set says it.
    #[serde(flatten)]
    pub details: Details,
    #[serde(skip)]
    pub(crate) parsed: (Category, MatchKind),
}
