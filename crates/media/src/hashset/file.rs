//! The compact hash-set file kept at `<data-dir>/hashsets/NAME`. A set of millions of hashes loads with one
//! streaming read and no parsing of text. The set's checksum is the SHA-256 of the whole file.
//!
//! Version 2 (written now): the magic line, a JSON header line, a JSON line of labels (each a category with the
//! source's details: victim identified, series, distributed), then five sorted binary tables whose rows are a
//! hash and the little-endian `u32` id of its label: MD5, SHA-1, PDQ, SHA-256, PhotoDNA. PhotoDNA comes last
//! so that a scan, which cannot use it, only hashes those bytes for the checksum.
//!
//! Version 1 (still read): the magic line, the header line, then MD5, SHA-1 and PDQ rows each ending in one
//! byte indexing the header's `categories`.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::details::Label;
use super::{Category, Details, KnownSet, PHOTODNA_LEN};
use crate::digest::Sha256Reader;
use crate::pdq::PdqHash;

/// The first line of every hash-set file this version writes.
pub const MAGIC: &[u8] = b"safeguard-hashset 2\n";

/// The first line of hash-set files written before labels (still read).
pub const MAGIC_V1: &[u8] = b"safeguard-hashset 1\n";

/// What every hash-set file starts with, whatever its version.
const MAGIC_PREFIX: &[u8] = b"safeguard-hashset ";

/// Whether bytes from the start of a file look like a hash-set file of any version.
pub fn is_set_file(head: &[u8]) -> bool {
    head.starts_with(MAGIC_PREFIX)
}

/// The longest header line read (a header holds a few names and counts).
const HEADER_LIMIT: u64 = 1 << 16;

/// The longest labels line read (one label per distinct category, victim, series and distribution).
const LABELS_LIMIT: u64 = 1 << 28;

/// What the header line records. Fields added after version 1 default when an older file lacks them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Header {
    /// The set's name.
    pub name: String,
    /// The file it was imported from, as given.
    pub source: String,
    /// The source's format (`VICS 1.3`, `VICS 2.0`, `list`).
    pub format: String,
    /// When it was imported, seconds since 1970.
    pub imported_at: u64,
    /// The PDQ match distance for this set.
    pub distance: u32,
    /// Version 1: the categories the tables' category bytes index. Version 2: the categories present.
    pub categories: Vec<String>,
    /// MD5 rows.
    pub md5: u64,
    /// SHA-1 rows.
    pub sha1: u64,
    /// PDQ rows.
    pub pdq: u64,
    /// SHA-256 rows.
    #[serde(default)]
    pub sha256: u64,
    /// PhotoDNA rows (kept, never matched).
    #[serde(default)]
    pub photodna: u64,
    /// The source file's absolute path when it was imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_path: Option<String>,
    /// The SHA-256 of the source file, hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_sha256: Option<String>,
    /// How many entries of the source had each category (`A`, `not_indecent`, `other(7)`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entries_by_category: Option<BTreeMap<String, u64>>,
}

impl Header {
    /// The source's entries per category, A first and `other(n)` last; `None` for sets imported before
    /// Safeguard counted them.
    pub fn entries_by_category(&self) -> Option<Vec<(Category, u64)>> {
        let map = self.entries_by_category.as_ref()?;
        let mut v: Vec<(Category, u64)> = map
            .iter()
            .filter_map(|(k, n)| Some((k.parse().ok()?, *n)))
            .collect();
        v.sort_by_key(|(c, _)| display_order(*c));
        Some(v)
    }
}

/// The order categories are listed in: A, B, C, not indecent, uncategorised, then other(n) by number.
pub fn display_order(c: Category) -> (u8, i64) {
    match c {
        Category::A => (0, 0),
        Category::B => (1, 0),
        Category::C => (2, 0),
        Category::NotIndecent => (3, 0),
        Category::Uncategorised => (4, 0),
        Category::Other(n) => (5, n),
    }
}

/// Why a hash-set file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SetFileError {
    /// Not a Safeguard hash-set file.
    #[error(
        "not a Safeguard hash-set file (import VICS or CSV files with `safeguard hashset import`)"
    )]
    NotASet,
    /// A hash-set file of a version this Safeguard does not know.
    #[error("the hash-set file was written by a newer Safeguard ({0}); update Safeguard to use it")]
    Newer(String),
    /// The header line is damaged.
    #[error("damaged header: {0}")]
    Header(String),
    /// The tables do not have the length the header says.
    #[error("damaged file: the tables are {found} bytes, the header says {expected}")]
    Length {
        /// Bytes the header implies.
        expected: u64,
        /// Bytes present.
        found: u64,
    },
    /// A category byte or label id points outside the file's list.
    #[error("damaged file: a category index is out of range")]
    CategoryIndex,
}

/// Writes `set` in the version 2 format, with only the labels its rows use.
pub fn write(set: &KnownSet, out: &mut impl Write) -> io::Result<()> {
    let photodna = set.photodna.as_ref().ok_or_else(|| {
        io::Error::other("a set loaded without its PhotoDNA values cannot be saved again")
    })?;
    let mut used: Vec<Option<u32>> = vec![None; set.labels.len()];
    let mut labels: Vec<&Label> = Vec::new();
    let mut id = |old: u32| -> u32 {
        *used[old as usize].get_or_insert_with(|| {
            labels.push(&set.labels[old as usize]);
            labels.len() as u32 - 1
        })
    };
    let mut body = Vec::with_capacity(
        set.md5.len() * 20 + set.sha1.len() * 24 + set.index.len() * 36 + set.sha256.len() * 36,
    );
    let mut row = |hash: &[u8], label: u32| {
        body.extend_from_slice(hash);
        body.extend_from_slice(&id(label).to_le_bytes());
    };
    set.md5.iter().for_each(|(h, l)| row(h, *l));
    set.sha1.iter().for_each(|(h, l)| row(h, *l));
    for (h, l) in set.index.hashes().iter().zip(&set.pdq_labels) {
        row(&h.to_bytes(), *l);
    }
    set.sha256.iter().for_each(|(h, l)| row(h, *l));
    // PhotoDNA rows are the largest; they are written straight out rather than gathered first.
    let photodna_ids: Vec<u32> = photodna.iter().map(|(_, l)| id(*l)).collect();
    let mut header = set.header.clone();
    let mut present: Vec<Category> = labels.iter().map(|l| l.category).collect();
    present.sort_by_key(|c| display_order(*c));
    present.dedup();
    header.categories = present.iter().map(|c| c.to_string()).collect();
    (
        header.md5,
        header.sha1,
        header.pdq,
        header.sha256,
        header.photodna,
    ) = (
        set.md5.len() as u64,
        set.sha1.len() as u64,
        set.index.len() as u64,
        set.sha256.len() as u64,
        photodna.len() as u64,
    );
    out.write_all(MAGIC)?;
    serde_json::to_writer(&mut *out, &header)?;
    out.write_all(b"\n")?;
    serde_json::to_writer(&mut *out, &labels)?;
    out.write_all(b"\n")?;
    out.write_all(&body)?;
    for ((h, _), l) in photodna.iter().zip(photodna_ids) {
        out.write_all(h)?;
        out.write_all(&l.to_le_bytes())?;
    }
    Ok(())
}

/// The decoded tables of a set file.
#[derive(Debug, Default)]
pub struct Tables {
    /// The labels the rows point at, by id.
    pub labels: Vec<Label>,
    /// Sorted MD5s with their label ids.
    pub md5: Vec<([u8; 16], u32)>,
    /// Sorted SHA-1s with their label ids.
    pub sha1: Vec<([u8; 20], u32)>,
    /// Sorted SHA-256s with their label ids.
    pub sha256: Vec<([u8; 32], u32)>,
    /// PDQ hashes.
    pub pdq: Vec<PdqHash>,
    /// The label id of each PDQ hash.
    pub pdq_labels: Vec<u32>,
    /// PhotoDNA values with their label ids, when they were asked for.
    pub photodna: Option<Vec<([u8; PHOTODNA_LEN], u32)>>,
}

/// Reads a set from the whole file's bytes, PhotoDNA values included; also returns the file's SHA-256 as hex.
pub fn read(bytes: &[u8]) -> Result<(Header, Tables, String), SetFileError> {
    read_from(bytes, bytes.len() as u64, true).map_err(|e| match e {
        super::LoadError::Format(f) => f,
        // Reading from memory fails only when the bytes run out, which the length check has already caught.
        super::LoadError::Io(e) => SetFileError::Header(e.to_string()),
    })
}

/// Reads a set file in one streaming pass, keeping its PhotoDNA values only when `photodna` is true.
pub fn load(path: &Path, photodna: bool) -> Result<(Header, Tables, String), super::LoadError> {
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    read_from(file, len, photodna)
}

/// Reads a set of `len` bytes from `input`, hashing every byte for the checksum.
fn read_from(
    input: impl Read,
    len: u64,
    photodna: bool,
) -> Result<(Header, Tables, String), super::LoadError> {
    let mut r = BufReader::with_capacity(1 << 20, Sha256Reader::new(input));
    let v1 = read_version(&mut r)?;
    let (header, header_len) = read_header_line(&mut r)?;
    let mut used = MAGIC.len() as u64 + header_len;
    let mut t = Tables::default();
    let id_len: u64 = if v1 {
        t.labels = header
            .categories
            .iter()
            .map(|c| {
                Ok(Label {
                    category: c.parse().map_err(|e: super::ParseCategoryError| {
                        SetFileError::Header(e.to_string())
                    })?,
                    details: Details::default(),
                })
            })
            .collect::<Result<_, SetFileError>>()?;
        1
    } else {
        let line = read_line(&mut r, LABELS_LIMIT)?
            .ok_or_else(|| SetFileError::Header("no labels line".into()))?;
        used += line.len() as u64;
        t.labels = serde_json::from_slice(&line)
            .map_err(|e| SetFileError::Header(format!("labels: {e}")))?;
        4
    };
    let (photodna_rows, sha256_rows) = if v1 {
        (0, 0)
    } else {
        (header.photodna, header.sha256)
    };
    // Counted in 128 bits: a damaged header's counts must not overflow into a length that happens to fit.
    let expected = [
        (header.md5, 16),
        (header.sha1, 20),
        (header.pdq, 32),
        (sha256_rows, 32),
        (photodna_rows, PHOTODNA_LEN as u64),
    ]
    .iter()
    .map(|&(rows, width)| u128::from(rows) * u128::from(width + id_len))
    .sum::<u128>();
    let found = len.saturating_sub(used);
    if u128::from(found) != expected {
        let expected = u64::try_from(expected).unwrap_or(u64::MAX);
        return Err(SetFileError::Length { expected, found }.into());
    }
    let labels = t.labels.len();
    let mut rows = Rows {
        r: &mut r,
        id_len,
        labels,
    };
    t.md5 = rows.table(header.md5)?;
    t.sha1 = rows.table(header.sha1)?;
    let pdq: Vec<([u8; 32], u32)> = rows.table(header.pdq)?;
    (t.pdq, t.pdq_labels) = pdq
        .iter()
        .map(|(h, l)| (PdqHash::from_bytes(h), *l))
        .unzip();
    t.sha256 = rows.table(sha256_rows)?;
    t.photodna = if photodna {
        Some(rows.table(photodna_rows)?)
    } else {
        None
    };
    // Whatever was not kept is still read, for the checksum (the buffered bytes are hashed already).
    let checksum = r.into_inner().finish()?;
    Ok((header, t, checksum))
}

/// The rows of one table after another.
struct Rows<'r, R> {
    r: &'r mut R,
    id_len: u64,
    labels: usize,
}

impl<R: Read> Rows<'_, R> {
    /// `n` rows of an `N`-byte hash and its label id.
    fn table<const N: usize>(&mut self, n: u64) -> Result<Vec<([u8; N], u32)>, super::LoadError> {
        let mut out = Vec::with_capacity(n as usize);
        let mut id = [0u8; 4];
        for _ in 0..n {
            let mut h = [0u8; N];
            self.r.read_exact(&mut h)?;
            let label = if self.id_len == 1 {
                self.r.read_exact(&mut id[..1])?;
                u32::from(id[0])
            } else {
                self.r.read_exact(&mut id)?;
                u32::from_le_bytes(id)
            };
            if label as usize >= self.labels {
                return Err(SetFileError::CategoryIndex.into());
            }
            out.push((h, label));
        }
        Ok(out)
    }
}

/// One line, newline included, of at most `limit` bytes; `None` when no newline comes within the limit.
fn read_line(r: &mut impl BufRead, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    r.take(limit).read_until(b'\n', &mut line)?;
    Ok((line.last() == Some(&b'\n')).then_some(line))
}

/// The version line: `Ok(true)` for version 1, `Ok(false)` for version 2.
fn read_version(r: &mut impl BufRead) -> Result<bool, super::LoadError> {
    let line = read_line(r, MAGIC.len() as u64)?.ok_or(SetFileError::NotASet)?;
    match line.as_slice() {
        m if m == MAGIC => Ok(false),
        m if m == MAGIC_V1 => Ok(true),
        m if is_set_file(m) => {
            let text = String::from_utf8_lossy(m).trim().to_string();
            Err(SetFileError::Newer(text).into())
        }
        _ => Err(SetFileError::NotASet.into()),
    }
}

/// The header line.
fn read_header_line(r: &mut impl BufRead) -> Result<(Header, u64), super::LoadError> {
    let line =
        read_line(r, HEADER_LIMIT)?.ok_or_else(|| SetFileError::Header("no header line".into()))?;
    let header = serde_json::from_slice(&line).map_err(|e| SetFileError::Header(e.to_string()))?;
    Ok((header, line.len() as u64))
}

/// The header of a set file and the file's SHA-256, streaming through the file once.
pub fn read_header(path: &Path) -> Result<(Header, String), super::LoadError> {
    let mut r = BufReader::with_capacity(1 << 20, Sha256Reader::new(std::fs::File::open(path)?));
    read_version(&mut r)?;
    let (header, _) = read_header_line(&mut r)?;
    Ok((header, r.into_inner().finish()?))
}
