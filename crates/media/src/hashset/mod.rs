//! Known-image hash sets: building one from a source's entries (merging repeated hashes), saving and loading
//! the compact file, and matching a file against it: exact on MD5, SHA-1 and SHA-256, near on PDQ over the
//! query's eight variants within the set's own distance. PhotoDNA values are kept with the set but never
//! matched: PhotoDNA cannot be computed here.

mod category;
mod details;
pub mod file;

pub use category::{Category, CategoryMap, CategoryMapError, ParseCategoryError, SourceCategory};
pub use details::{Details, Label};

use std::collections::BTreeMap;
use std::path::Path;

use crate::index::PdqIndex;
use crate::pdq::PdqHash;
use details::Labels;

/// The default PDQ distance of a set (the reference's threshold).
pub const DEFAULT_DISTANCE: u32 = 31;

/// The length of a PhotoDNA hash in bytes.
pub const PHOTODNA_LEN: usize = 144;

/// A loaded hash set, ready to match.
#[derive(Debug)]
pub struct KnownSet {
    /// What the file's header says.
    pub header: file::Header,
    /// The SHA-256 of the set file, hex (empty for a set not yet saved).
    pub checksum: String,
    labels: Vec<Label>,
    md5: Vec<([u8; 16], u32)>,
    sha1: Vec<([u8; 20], u32)>,
    sha256: Vec<([u8; 32], u32)>,
    pdq_labels: Vec<u32>,
    index: PdqIndex,
    /// Held by a built set; a loaded set leaves them on disk (only their count, in the header, is needed).
    photodna: Option<Vec<([u8; PHOTODNA_LEN], u32)>>,
}

/// The entry counts of a set, per hash kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// MD5 hashes.
    pub md5: usize,
    /// SHA-1 hashes.
    pub sha1: usize,
    /// SHA-256 hashes.
    pub sha256: usize,
    /// PDQ hashes.
    pub pdq: usize,
    /// PhotoDNA hashes (kept, never matched).
    pub photodna: usize,
}

/// How a file matched a set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// Its MD5, SHA-1 or SHA-256 is in the set.
    Exact,
    /// A PDQ variant is within the set's distance.
    Near,
}

/// Which of a file's hashes matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedOn {
    /// MD5.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
    /// PDQ.
    Pdq,
}

impl MatchedOn {
    /// The hash's name as reports write it: `MD5`, `SHA-1`, `SHA-256`, `PDQ`.
    pub fn name(self) -> &'static str {
        match self {
            MatchedOn::Md5 => "MD5",
            MatchedOn::Sha1 => "SHA-1",
            MatchedOn::Sha256 => "SHA-256",
            MatchedOn::Pdq => "PDQ",
        }
    }
}

/// One file's match against one set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetMatch<'s> {
    /// The category of the matching entry.
    pub category: Category,
    /// Exact or near.
    pub kind: MatchKind,
    /// The hash that matched.
    pub on: MatchedOn,
    /// For a near match, the smallest distance over the eight variants.
    pub distance: Option<u32>,
    /// What the source says about the matching entry (victim identified, series, distributed).
    pub details: &'s Details,
}

/// The hashes of one file, as matching needs them.
#[derive(Debug, Clone, Copy)]
pub struct Query<'q> {
    /// MD5.
    pub md5: &'q [u8; 16],
    /// SHA-1.
    pub sha1: &'q [u8; 20],
    /// SHA-256, when it was computed.
    pub sha256: Option<&'q [u8; 32]>,
    /// The PDQ variants; none for a file that is not an image or whose PDQ has a quality under 50.
    pub variants: Option<&'q [PdqHash; 8]>,
}

impl KnownSet {
    /// Loads a set file (without its PhotoDNA values, which nothing here can match).
    pub fn load(path: &Path) -> Result<KnownSet, LoadError> {
        Self::from_file(path, false)
    }

    /// Loads a set file with its PhotoDNA values.
    pub fn load_with_photodna(path: &Path) -> Result<KnownSet, LoadError> {
        Self::from_file(path, true)
    }

    fn from_file(path: &Path, photodna: bool) -> Result<KnownSet, LoadError> {
        let (header, t, checksum) = file::load(path, photodna)?;
        let index = PdqIndex::build(t.pdq);
        Ok(KnownSet {
            header,
            checksum,
            labels: t.labels,
            md5: t.md5,
            sha1: t.sha1,
            sha256: t.sha256,
            pdq_labels: t.pdq_labels,
            index,
            photodna: t.photodna,
        })
    }

    /// The header and checksum of a set file, without loading its tables.
    pub fn describe(path: &Path) -> Result<(file::Header, String), LoadError> {
        file::read_header(path)
    }

    /// Saves the set to `path` (through a temporary file beside it, so a failed write leaves no half set and
    /// any set already at `path` untouched).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".partial");
        let tmp = std::path::PathBuf::from(tmp);
        let written = (|| {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            file::write(self, &mut out)?;
            std::io::Write::flush(&mut out)?;
            out.get_ref().sync_all()?;
            drop(out);
            std::fs::rename(&tmp, path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }

    /// Entry counts per hash kind (PhotoDNA from the header when the values were not loaded).
    pub fn counts(&self) -> Counts {
        Counts {
            md5: self.md5.len(),
            sha1: self.sha1.len(),
            sha256: self.sha256.len(),
            pdq: self.index.len(),
            photodna: self
                .photodna
                .as_ref()
                .map_or(self.header.photodna as usize, Vec::len),
        }
    }

    /// Whether the set holds no hash at all.
    pub fn is_empty(&self) -> bool {
        self.counts() == Counts::default()
    }

    /// The PhotoDNA values with their categories, when held (a built set, or one loaded with them).
    pub fn photodna(&self) -> Option<impl Iterator<Item = (&[u8; PHOTODNA_LEN], &Label)>> {
        let rows = self.photodna.as_ref()?;
        Some(rows.iter().map(|(h, l)| (h, &self.labels[*l as usize])))
    }

    /// The best match of a file, if any: exact on MD5, SHA-1 or SHA-256 first (the most serious category when
    /// several hit); otherwise near on PDQ when `variants` are given.
    pub fn best_match(&self, q: &Query) -> Option<SetMatch<'_>> {
        fn find<H: Ord>(table: &[(H, u32)], h: &H) -> Option<u32> {
            table
                .binary_search_by(|(x, _)| x.cmp(h))
                .ok()
                .map(|i| table[i].1)
        }
        let exact = [
            (find(&self.md5, q.md5), MatchedOn::Md5),
            (find(&self.sha1, q.sha1), MatchedOn::Sha1),
            (
                q.sha256.and_then(|h| find(&self.sha256, h)),
                MatchedOn::Sha256,
            ),
        ];
        let mut best: Option<SetMatch> = None;
        for (label, on) in exact {
            let Some(label) = label.map(|l| &self.labels[l as usize]) else {
                continue;
            };
            if best.is_none_or(|b| label.category.severity() > b.category.severity()) {
                best = Some(SetMatch {
                    category: label.category,
                    kind: MatchKind::Exact,
                    on,
                    distance: None,
                    details: &label.details,
                });
            }
        }
        if best.is_some() {
            return best;
        }
        let variants = q.variants?;
        let mut found = Vec::new();
        self.index
            .search(variants, self.header.distance, &mut found);
        found
            .iter()
            .map(|&(id, d)| (d, &self.labels[self.pdq_labels[id as usize] as usize]))
            .min_by_key(|&(d, l)| (d, std::cmp::Reverse(l.category.severity())))
            .map(|(d, l)| SetMatch {
                category: l.category,
                kind: MatchKind::Near,
                on: MatchedOn::Pdq,
                distance: Some(d),
                details: &l.details,
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

/// One known file from a source, as the builder takes it.
#[derive(Debug, Clone)]
pub struct KnownFile {
    /// MD5, if given.
    pub md5: Option<[u8; 16]>,
    /// SHA-1, if given.
    pub sha1: Option<[u8; 20]>,
    /// SHA-256, if given.
    pub sha256: Option<[u8; 32]>,
    /// PDQ, if given.
    pub pdq: Option<PdqHash>,
    /// PhotoDNA, if given.
    pub photodna: Option<Box<[u8; PHOTODNA_LEN]>>,
    /// Its category.
    pub category: Category,
    /// What the source says about it.
    pub details: Details,
}

impl KnownFile {
    /// A file known only by its category, to which hashes are then given.
    pub fn new(category: Category) -> KnownFile {
        KnownFile {
            md5: None,
            sha1: None,
            sha256: None,
            pdq: None,
            photodna: None,
            category,
            details: Details::default(),
        }
    }
}

/// Collects a source's entries into a set, merging repeated hashes (the most serious category wins, and
/// their details are merged).
#[derive(Debug)]
pub struct Builder {
    header: file::Header,
    labels: Labels,
    md5: Vec<([u8; 16], u32)>,
    sha1: Vec<([u8; 20], u32)>,
    sha256: Vec<([u8; 32], u32)>,
    pdq: Vec<(PdqHash, u32)>,
    photodna: Vec<([u8; PHOTODNA_LEN], u32)>,
    by_category: BTreeMap<Category, u64>,
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
            sha256: 0,
            photodna: 0,
            source_path: None,
            source_sha256: None,
            entries_by_category: None,
        };
        Builder {
            header,
            labels: Labels::default(),
            md5: Vec::new(),
            sha1: Vec::new(),
            sha256: Vec::new(),
            pdq: Vec::new(),
            photodna: Vec::new(),
            by_category: BTreeMap::new(),
        }
    }

    /// Adds one known file's MD5, SHA-1 and PDQ hashes.
    pub fn add(
        &mut self,
        md5: Option<[u8; 16]>,
        sha1: Option<[u8; 20]>,
        pdq: Option<PdqHash>,
        category: Category,
    ) {
        self.add_file(KnownFile {
            md5,
            sha1,
            pdq,
            ..KnownFile::new(category)
        });
    }

    /// Adds one known file with all it carries.
    pub fn add_file(&mut self, f: KnownFile) {
        *self.by_category.entry(f.category).or_default() += 1;
        let label = self.labels.id(Label {
            category: f.category,
            details: f.details,
        });
        if let Some(h) = f.md5 {
            self.md5.push((h, label));
        }
        if let Some(h) = f.sha1 {
            self.sha1.push((h, label));
        }
        if let Some(h) = f.sha256 {
            self.sha256.push((h, label));
        }
        if let Some(h) = f.pdq {
            self.pdq.push((h, label));
        }
        if let Some(h) = f.photodna {
            self.photodna.push((*h, label));
        }
    }

    /// The finished set, sorted and merged, with its index built and its entries counted per category.
    pub fn finish(self) -> KnownSet {
        let mut labels = self.labels;
        let md5 = merge(self.md5, &mut labels);
        let sha1 = merge(self.sha1, &mut labels);
        let sha256 = merge(self.sha256, &mut labels);
        let (pdq, pdq_labels): (Vec<_>, Vec<_>) = merge(self.pdq, &mut labels).into_iter().unzip();
        let photodna = merge(self.photodna, &mut labels);
        let index = PdqIndex::build(pdq);
        let mut header = self.header;
        header.entries_by_category = Some(
            self.by_category
                .iter()
                .map(|(c, n)| (c.to_string(), *n))
                .collect(),
        );
        KnownSet {
            header,
            checksum: String::new(),
            labels: labels.into_list(),
            md5,
            sha1,
            sha256,
            pdq_labels,
            index,
            photodna: Some(photodna),
        }
    }
}

/// Sorts by hash (keeping the source's order among equal hashes, so the same source always gives the same
/// file) and keeps one row per hash, pointing at the merge of its labels.
fn merge<H: Ord>(mut v: Vec<(H, u32)>, labels: &mut Labels) -> Vec<(H, u32)> {
    v.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<(H, u32)> = Vec::with_capacity(v.len());
    for (h, label) in v {
        match out.last_mut() {
            Some((last, kept)) if *last == h => *kept = labels.merged(*kept, label),
            _ => out.push((h, label)),
        }
    }
    out
}
