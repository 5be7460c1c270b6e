//! The compact hash-set file kept at `<data-dir>/hashsets/NAME`: a magic line, a JSON header line, then three
//! sorted binary tables (MD5 + category, SHA-1 + category, PDQ + category). A set of millions of hashes loads
//! with one read and no parsing of text. The set's checksum is the SHA-256 of the whole file.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Category, KnownSet};
use crate::pdq::PdqHash;

/// The first line of every hash-set file.
pub const MAGIC: &[u8] = b"safeguard-hashset 1\n";

/// What the header line records.
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
    /// The categories the tables' category bytes index.
    pub categories: Vec<String>,
    /// Table sizes.
    pub md5: u64,
    /// Table sizes.
    pub sha1: u64,
    /// Table sizes.
    pub pdq: u64,
}

/// Why a hash-set file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SetFileError {
    /// Not a Safeguard hash-set file.
    #[error(
        "not a Safeguard hash-set file (import VICS or CSV files with `safeguard hashset import`)"
    )]
    NotASet,
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
    /// A category byte points outside the header's list.
    #[error("damaged file: a category index is out of range")]
    CategoryIndex,
}

/// Writes `set` in the file format.
pub fn write(set: &KnownSet, out: &mut impl Write) -> io::Result<()> {
    let mut categories: Vec<Category> = Vec::new();
    let mut index = |c: Category| -> io::Result<u8> {
        if let Some(i) = categories.iter().position(|x| *x == c) {
            return Ok(i as u8);
        }
        if categories.len() == 256 {
            return Err(io::Error::other(
                "more than 256 distinct categories in one set",
            ));
        }
        categories.push(c);
        Ok((categories.len() - 1) as u8)
    };
    let mut body =
        Vec::with_capacity(set.md5.len() * 17 + set.sha1.len() * 21 + set.index.len() * 33);
    for (h, c) in &set.md5 {
        body.extend_from_slice(h);
        body.push(index(*c)?);
    }
    for (h, c) in &set.sha1 {
        body.extend_from_slice(h);
        body.push(index(*c)?);
    }
    for (h, c) in set.index.hashes().iter().zip(&set.pdq_categories) {
        body.extend_from_slice(&h.to_bytes());
        body.push(index(*c)?);
    }
    let mut header = set.header.clone();
    header.categories = categories.iter().map(|c| c.to_string()).collect();
    (header.md5, header.sha1, header.pdq) = (
        set.md5.len() as u64,
        set.sha1.len() as u64,
        set.index.len() as u64,
    );
    out.write_all(MAGIC)?;
    serde_json::to_writer(&mut *out, &header)?;
    out.write_all(b"\n")?;
    out.write_all(&body)
}

/// Reads a set from the whole file's bytes; also returns the file's SHA-256 as hex.
pub fn read(bytes: &[u8]) -> Result<(Header, Tables, String), SetFileError> {
    let rest = bytes.strip_prefix(MAGIC).ok_or(SetFileError::NotASet)?;
    let end = rest
        .iter()
        .position(|&b| b == b'\n')
        .ok_or(SetFileError::Header("no header line".into()))?;
    let header: Header =
        serde_json::from_slice(&rest[..end]).map_err(|e| SetFileError::Header(e.to_string()))?;
    let body = &rest[end + 1..];
    let expected = header.md5 * 17 + header.sha1 * 21 + header.pdq * 33;
    if body.len() as u64 != expected {
        return Err(SetFileError::Length {
            expected,
            found: body.len() as u64,
        });
    }
    let categories: Vec<Category> = header
        .categories
        .iter()
        .map(|c| {
            c.parse().map_err(|e: super::category::ParseCategoryError| {
                SetFileError::Header(e.to_string())
            })
        })
        .collect::<Result<_, _>>()?;
    let cat = |b: u8| {
        categories
            .get(b as usize)
            .copied()
            .ok_or(SetFileError::CategoryIndex)
    };
    let (md5_bytes, rest) = body.split_at(header.md5 as usize * 17);
    let (sha1_bytes, pdq_bytes) = rest.split_at(header.sha1 as usize * 21);
    let mut t = Tables::default();
    for r in md5_bytes.chunks_exact(17) {
        t.md5
            .push((r[..16].try_into().expect("16 bytes"), cat(r[16])?));
    }
    for r in sha1_bytes.chunks_exact(21) {
        t.sha1
            .push((r[..20].try_into().expect("20 bytes"), cat(r[20])?));
    }
    for r in pdq_bytes.chunks_exact(33) {
        t.pdq
            .push(PdqHash::from_bytes(r[..32].try_into().expect("32 bytes")));
        t.pdq_categories.push(cat(r[32])?);
    }
    Ok((header, t, hex::encode(Sha256::digest(bytes))))
}

/// The header of a set file and the file's SHA-256, streaming through the file once.
pub fn read_header(path: &std::path::Path) -> Result<(Header, String), super::LoadError> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut head: Vec<u8> = Vec::new();
    loop {
        let n = io::Read::read(&mut file, &mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        if head.len() < 1 << 16 {
            head.extend_from_slice(&buffer[..n.min(1 << 16)]);
        }
    }
    let rest = head.strip_prefix(MAGIC).ok_or(SetFileError::NotASet)?;
    let end = rest
        .iter()
        .position(|&b| b == b'\n')
        .ok_or(SetFileError::Header("no header line".into()))?;
    let header =
        serde_json::from_slice(&rest[..end]).map_err(|e| SetFileError::Header(e.to_string()))?;
    Ok((header, hex::encode(hasher.finalize())))
}

/// The decoded tables of a set file.
#[derive(Debug, Default)]
pub struct Tables {
    /// Sorted MD5s with their categories.
    pub md5: Vec<([u8; 16], Category)>,
    /// Sorted SHA-1s with their categories.
    pub sha1: Vec<([u8; 20], Category)>,
    /// PDQ hashes.
    pub pdq: Vec<PdqHash>,
    /// The category of each PDQ hash.
    pub pdq_categories: Vec<Category>,
}
