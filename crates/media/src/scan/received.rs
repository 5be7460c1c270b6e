//! A scan report as received back: the JSON that `safeguard scan --json` prints, read to attach it to an
//! exhibit. The summary's counts are taken as the scan gave them; the per-file entries give the exact and near
//! matches per category, which charging treats differently (near matches wait for a grader). Unknown fields are
//! ignored, so that a report from a newer version of the tool still reads.

use serde::Deserialize;

/// Files per category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Counts {
    /// Category A.
    #[serde(rename = "A", default)]
    pub a: u64,
    /// Category B.
    #[serde(rename = "B", default)]
    pub b: u64,
    /// Category C.
    #[serde(rename = "C", default)]
    pub c: u64,
    /// Not indecent.
    #[serde(default)]
    pub not_indecent: u64,
    /// Known but uncategorised.
    #[serde(default)]
    pub uncategorised: u64,
    /// Source numbers without a mapping.
    #[serde(default)]
    pub other: u64,
}

impl Counts {
    fn add(&mut self, category: &str) {
        match category {
            "A" => self.a += 1,
            "B" => self.b += 1,
            "C" => self.c += 1,
            "not_indecent" => self.not_indecent += 1,
            "uncategorised" => self.uncategorised += 1,
            _ => self.other += 1,
        }
    }
}

/// A hash set the scan matched against: its name and the SHA-256 of its file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SetUsed {
    /// Its name.
    pub name: String,
    /// SHA-256 of its file.
    pub checksum: String,
}

/// What a received report gives an exhibit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// The tool's name (`safeguard`).
    pub tool: String,
    /// The tool's version.
    pub version: String,
    /// The path it scanned.
    pub root: String,
    /// When the scan started, seconds since 1970.
    pub started_at: u64,
    /// Regular files found.
    pub files: u64,
    /// Files that decoded as images.
    pub images: u64,
    /// Matched files by the category of their best match, as the summary gave them.
    pub counts: Counts,
    /// Files with an exact (MD5, SHA-1 or SHA-256) match.
    pub exact: u64,
    /// Files matched only by PDQ.
    pub near: u64,
    /// Images matching no set.
    pub unknown_images: u64,
    /// Files that could not be read or decoded.
    pub unreadable: u64,
    /// Exact matches per category (from the files' entries).
    pub exact_by_category: Counts,
    /// Near-only matches per category (from the files' entries).
    pub near_by_category: Counts,
    /// The sets used.
    pub sets: Vec<SetUsed>,
}

/// Why a report could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    /// Not JSON, or not a scan report's shape.
    #[error("line {line}, column {column}: {message}")]
    Shape {
        /// Line of the problem.
        line: usize,
        /// Column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A value that does not agree with the rest of the report.
    #[error("{0}")]
    Inconsistent(String),
}

#[derive(Deserialize)]
struct Raw {
    summary: RawSummary,
    #[serde(default)]
    files: Vec<RawFile>,
    tool: RawTool,
    #[serde(default)]
    root: String,
    #[serde(default)]
    started_at: u64,
    #[serde(default)]
    sets: Vec<SetUsed>,
}

#[derive(Deserialize)]
struct RawTool {
    name: String,
    version: String,
}

#[derive(Deserialize)]
struct RawSummary {
    files: u64,
    #[serde(default)]
    images: u64,
    matched: Counts,
    exact: u64,
    near: u64,
    unknown_images: u64,
    unreadable: u64,
}

#[derive(Deserialize)]
struct RawFile {
    #[serde(default)]
    matches: Vec<RawMatch>,
}

#[derive(Deserialize)]
struct RawMatch {
    category: String,
    kind: String,
}

/// Read a report printed by `safeguard scan --json`.
pub fn read(bytes: &[u8]) -> Result<Received, ReadError> {
    let raw: Raw = serde_json::from_slice(bytes).map_err(|e| ReadError::Shape {
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string(),
    })?;
    let (mut exact, mut near) = (Counts::default(), Counts::default());
    let (mut exact_files, mut near_files) = (0u64, 0u64);
    for f in &raw.files {
        if let Some(m) = f.matches.iter().find(|m| m.kind == "exact") {
            exact.add(&m.category);
            exact_files += 1;
        } else if let Some(m) = f.matches.iter().find(|m| m.kind == "near") {
            near.add(&m.category);
            near_files += 1;
        }
    }
    let s = &raw.summary;
    // A report cut short or edited by hand would give charging counts its summary does not show.
    if !raw.files.is_empty() && (exact_files != s.exact || near_files != s.near) {
        return Err(ReadError::Inconsistent(format!(
            "the summary gives {} exact and {} near matches but the files list {exact_files} and {near_files}",
            s.exact, s.near
        )));
    }
    if let Some(set) = raw.sets.iter().find(|x| {
        !x.checksum.is_empty()
            && (x.checksum.len() != 64 || !x.checksum.bytes().all(|b| b.is_ascii_hexdigit()))
    }) {
        return Err(ReadError::Inconsistent(format!(
            "the checksum of hash set '{}' is not a SHA-256 (64 hexadecimal digits)",
            set.name
        )));
    }
    if raw.tool.name.trim().is_empty() || raw.tool.version.trim().is_empty() {
        return Err(ReadError::Inconsistent(
            "the report does not name the tool and its version".into(),
        ));
    }
    Ok(Received {
        tool: raw.tool.name,
        version: raw.tool.version,
        root: raw.root,
        started_at: raw.started_at,
        files: s.files,
        images: s.images,
        counts: s.matched,
        exact: s.exact,
        near: s.near,
        unknown_images: s.unknown_images,
        unreadable: s.unreadable,
        exact_by_category: exact,
        near_by_category: near,
        sets: raw.sets,
    })
}
