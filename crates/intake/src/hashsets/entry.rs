//! What a hash-set reader yields: one entry per known file, with whichever hashes the source gave and its
//! category as written there.

use std::fmt;

/// One known file from a hash set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HashEntry {
    /// MD5, if given.
    pub md5: Option<[u8; 16]>,
    /// SHA-1, if given.
    pub sha1: Option<[u8; 20]>,
    /// PDQ as its 32 big-endian bytes (the hex text's order), if given.
    pub pdq: Option<[u8; 32]>,
    /// The category as the source wrote it; `None` when absent or null (uncategorised).
    pub category: Option<RawCategory>,
}

/// A category as written in a hash set: VICS uses numbers, lists may use numbers or labels.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RawCategory {
    /// A number (VICS `Category`).
    Number(i64),
    /// A label such as `A` or `not indecent`.
    Label(String),
}

impl RawCategory {
    /// A number when the text is one, otherwise a label; empty text is no category.
    pub fn parse(text: &str) -> Option<RawCategory> {
        let t = text.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("null") {
            None
        } else if let Ok(n) = t.parse() {
            Some(RawCategory::Number(n))
        } else {
            Some(RawCategory::Label(t.to_string()))
        }
    }
}

impl fmt::Display for RawCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawCategory::Number(n) => write!(f, "{n}"),
            RawCategory::Label(l) => f.write_str(l),
        }
    }
}

/// Which hash a bare value in a list is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashKind {
    /// 32 hex digits.
    Md5,
    /// 40 hex digits.
    Sha1,
    /// 64 hex digits.
    Pdq,
}

impl HashKind {
    /// The kind a hex string's length implies: 32 MD5, 40 SHA-1, 64 PDQ.
    pub fn from_len(len: usize) -> Option<HashKind> {
        match len {
            32 => Some(HashKind::Md5),
            40 => Some(HashKind::Sha1),
            64 => Some(HashKind::Pdq),
            _ => None,
        }
    }

    /// The number of hex digits of this kind.
    pub fn hex_len(self) -> usize {
        match self {
            HashKind::Md5 => 32,
            HashKind::Sha1 => 40,
            HashKind::Pdq => 64,
        }
    }

    /// The name used in messages and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            HashKind::Md5 => "MD5",
            HashKind::Sha1 => "SHA-1",
            HashKind::Pdq => "PDQ",
        }
    }
}

/// Bytes from hex text of exactly `N` bytes, either case.
pub(crate) fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let t = text.as_bytes();
    if t.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        let hi = (t[2 * i] as char).to_digit(16)?;
        let lo = (t[2 * i + 1] as char).to_digit(16)?;
        *o = (hi << 4 | lo) as u8;
    }
    Some(out)
}

impl HashEntry {
    /// Sets the hash of `kind` from hex text; `false` if the text is not such a hash.
    pub fn set(&mut self, kind: HashKind, hex: &str) -> bool {
        match kind {
            HashKind::Md5 => unhex(hex).map(|h| self.md5 = Some(h)).is_some(),
            HashKind::Sha1 => unhex(hex).map(|h| self.sha1 = Some(h)).is_some(),
            HashKind::Pdq => unhex(hex).map(|h| self.pdq = Some(h)).is_some(),
        }
    }

    /// Whether the entry carries any hash at all.
    pub fn has_hash(&self) -> bool {
        self.md5.is_some() || self.sha1.is_some() || self.pdq.is_some()
    }
}
