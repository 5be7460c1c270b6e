//! Known-image hash sets: building one from a source's entries (merging repeated hashes), saving and loading
//! the compact file, and matching a file against it: exact on MD5 and SHA-1, near on PDQ over the query's eight
//! variants within the set's own distance.

mod category;
pub mod file;

pub use category::{Category, CategoryMap, CategoryMapError, ParseCategoryError, SourceCategory};

use std::path::Path;

use crate::index::PdqIndex;
use crate::pdq::PdqHash;

/// The default PDQ distance of a set (the reference's threshold).
pub const DEFAULT_DISTANCE: u32 = 31;

/// A loaded hash set, ready to match.
#[derive(Debug)]
pub struct KnownSet {
    /// What the file's header says.
    pub header: file::Header,
    /// The SHA-256 of the set file, hex (empty for a set not yet saved).
    pub checksum: String,
    md5: Vec<([u8; 16], Category)>,
    sha1: Vec<([u8; 20], Category)>,
    pdq_categories: Vec<Category>,
    index: PdqIndex,
}

/// How a file matched a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// Its MD5 or SHA-1 is in the set.
    Exact,
    /// A PDQ variant is within the set's distance.
    Near,
}

/// One file's match against one set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetMatch {
    /// The category of the matching entry.
    pub category: Category,
    /// Exact or near.
    pub kind: MatchKind,
    /// For a near match, the smallest distance over the eight variants.
    pub distance: Option<u32>,
}

impl KnownSet {
    /// Loads a set file.
    pub fn load(path: &Path) -> Result<KnownSet, LoadError> {
        let bytes = std::fs::read(path)?;
        let (header, t, checksum) = file::read(&bytes)?;
        drop(bytes);
        let index = PdqIndex::build(t.pdq);
        Ok(KnownSet {
            header,
            checksum,
            md5: t.md5,
            sha1: t.sha1,
            pdq_categories: t.pdq_categories,
            index,
        })
    }

    /// The header and checksum of a set file, without loading its tables.
    pub fn describe(path: &Path) -> Result<(file::Header, String), LoadError> {
        file::read_header(path)
    }

    /// Saves the set to `path` (through a temporary file, so a failed write leaves no half set).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let tmp = path.with_extension("partial");
        {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            file::write(self, &mut out)?;
            std::io::Write::flush(&mut out)?;
            out.get_ref().sync_all()?;
        }
        std::fs::rename(&tmp, path)
    }

    /// Entry counts: MD5, SHA-1, PDQ.
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.md5.len(), self.sha1.len(), self.index.len())
    }

    /// The best match of a file, if any: exact on MD5 or SHA-1 first; otherwise near on PDQ when `variants` are
    /// given (callers pass none for a hash of quality under 50).
    pub fn best_match(
        &self,
        md5: &[u8; 16],
        sha1: &[u8; 20],
        variants: Option<&[PdqHash; 8]>,
    ) -> Option<SetMatch> {
        let exact = |c: Category| SetMatch {
            category: c,
            kind: MatchKind::Exact,
            distance: None,
        };
        let by_md5 = self
            .md5
            .binary_search_by(|(h, _)| h.cmp(md5))
            .ok()
            .map(|i| self.md5[i].1);
        let by_sha1 = self
            .sha1
            .binary_search_by(|(h, _)| h.cmp(sha1))
            .ok()
            .map(|i| self.sha1[i].1);
        match (by_md5, by_sha1) {
            (Some(a), Some(b)) => {
                return Some(exact(if a.severity() >= b.severity() { a } else { b }));
            }
            (Some(c), None) | (None, Some(c)) => return Some(exact(c)),
            (None, None) => {}
        }
        let variants = variants?;
        let mut found = Vec::new();
        self.index
            .search(variants, self.header.distance, &mut found);
        found
            .iter()
            .map(|&(id, d)| (d, self.pdq_categories[id as usize]))
            .min_by_key(|&(d, c)| (d, std::cmp::Reverse(c.severity())))
            .map(|(d, c)| SetMatch {
                category: c,
                kind: MatchKind::Near,
                distance: Some(d),
            })
    }
}

/// Why a set could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The file is not a valid set.
    #[error(transparent)]
    Format(#[from] file::SetFileError),
}

/// Collects a source's entries into a set, merging repeated hashes (the most serious category wins).
#[derive(Debug)]
pub struct Builder {
    header: file::Header,
    md5: Vec<([u8; 16], Category)>,
    sha1: Vec<([u8; 20], Category)>,
    pdq: Vec<(PdqHash, Category)>,
}

impl Builder {
    /// A builder for a set called `name`, imported from `source` (`format` as read), matching PDQ within
    /// `distance`.
    pub fn new(name: &str, source: &str, format: &str, distance: u32) -> Builder {
        let imported_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let header = file::Header {
            name: name.into(),
            source: source.into(),
            format: format.into(),
            imported_at,
            distance,
            categories: Vec::new(),
            md5: 0,
            sha1: 0,
            pdq: 0,
        };
        Builder {
            header,
            md5: Vec::new(),
            sha1: Vec::new(),
            pdq: Vec::new(),
        }
    }

    /// Adds one known file's hashes.
    pub fn add(
        &mut self,
        md5: Option<[u8; 16]>,
        sha1: Option<[u8; 20]>,
        pdq: Option<PdqHash>,
        category: Category,
    ) {
        if let Some(h) = md5 {
            self.md5.push((h, category));
        }
        if let Some(h) = sha1 {
            self.sha1.push((h, category));
        }
        if let Some(h) = pdq {
            self.pdq.push((h, category));
        }
    }

    /// The finished set, sorted and merged, with its index built.
    pub fn finish(self) -> KnownSet {
        let md5 = merge(self.md5);
        let sha1 = merge(self.sha1);
        let (pdq, pdq_categories): (Vec<_>, Vec<_>) = merge(self.pdq).into_iter().unzip();
        let index = PdqIndex::build(pdq);
        KnownSet {
            header: self.header,
            checksum: String::new(),
            md5,
            sha1,
            pdq_categories,
            index,
        }
    }
}

/// Sorts by hash and keeps one entry per hash, with the most serious of its categories.
fn merge<H: Ord + Copy>(mut v: Vec<(H, Category)>) -> Vec<(H, Category)> {
    v.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.severity().cmp(&a.1.severity())));
    v.dedup_by(|later, first| later.0 == first.0);
    v
}
