//! What a hash-set reader yields: one entry per known file, with whichever hashes the source gave, its
//! category as written there, and what the source says about the victim, the series and distribution.

use std::fmt;

/// One known file from a hash set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HashEntry {
    /// MD5, if given.
    pub md5: Option<[u8; 16]>,
    /// SHA-1, if given.
    pub sha1: Option<[u8; 20]>,
    /// SHA-256, if given (VICS carries it among the alternative hashes).
    pub sha256: Option<[u8; 32]>,
    /// PDQ as its 32 big-endian bytes (the hex text's order), if given.
    pub pdq: Option<[u8; 32]>,
    /// PhotoDNA, if given: kept with the set, though nothing here can compute it to match.
    pub photodna: Option<Box<[u8; PHOTODNA_LEN]>>,
    /// The category as the source wrote it; `None` when absent or null (uncategorised).
    pub category: Option<RawCategory>,
    /// VICS `VictimIdentified`, when the source says.
    pub victim_identified: Option<bool>,
    /// VICS `Series`: the name of the series the image belongs to, when the source gives one.
    pub series: Option<String>,
    /// VICS `IsDistributed`, when the source says.
    pub is_distributed: Option<bool>,
}

/// The length of a PhotoDNA hash in bytes.
pub const PHOTODNA_LEN: usize = 144;

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
    /// 64 hex digits too: only ever taken as SHA-256 when the source names it.
    Sha256,
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
            HashKind::Pdq | HashKind::Sha256 => 64,
        }
    }

    /// The name used in messages and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            HashKind::Md5 => "MD5",
            HashKind::Sha1 => "SHA-1",
            HashKind::Pdq => "PDQ",
            HashKind::Sha256 => "SHA-256",
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

/// Bytes from standard base64 text (`+` and `/`, `=` padding optional, whitespace ignored), or `None` when it
/// is not base64. Written here because PhotoDNA is the only base64 in any hash set.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let sextet = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let body = text.trim_end_matches(|c: char| c == '=' || c.is_ascii_whitespace());
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in body.bytes().filter(|c| !c.is_ascii_whitespace()) {
        acc = acc << 6 | u32::from(sextet(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Six bits left over cannot end a base64 text (one character short); two or four are the padding's.
    (bits < 6).then_some(out)
}

impl HashEntry {
    /// Sets the hash of `kind` from hex text; `false` if the text is not such a hash.
    pub fn set(&mut self, kind: HashKind, hex: &str) -> bool {
        match kind {
            HashKind::Md5 => unhex(hex).map(|h| self.md5 = Some(h)).is_some(),
            HashKind::Sha1 => unhex(hex).map(|h| self.sha1 = Some(h)).is_some(),
            HashKind::Pdq => unhex(hex).map(|h| self.pdq = Some(h)).is_some(),
            HashKind::Sha256 => unhex(hex).map(|h| self.sha256 = Some(h)).is_some(),
        }
    }

    /// Sets the PhotoDNA hash from its base64 text; `Err` with the decoded length (`None` if the text is not
    /// base64 at all) when it is not 144 bytes.
    pub fn set_photodna(&mut self, base64: &str) -> Result<(), Option<usize>> {
        let bytes = decode_base64(base64).ok_or(None)?;
        let n = bytes.len();
        let hash: Box<[u8; PHOTODNA_LEN]> =
            bytes.into_boxed_slice().try_into().map_err(|_| Some(n))?;
        self.photodna = Some(hash);
        Ok(())
    }

    /// Whether the entry carries any hash at all.
    pub fn has_hash(&self) -> bool {
        self.md5.is_some()
            || self.sha1.is_some()
            || self.sha256.is_some()
            || self.pdq.is_some()
            || self.photodna.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_with_or_without_padding_and_refuses_other_text() {
        assert_eq!(decode_base64("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("aGVsbG8"), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("aGVs\nbG8h"), Some(b"hello!".to_vec()));
        assert_eq!(decode_base64("+/8="), Some(vec![0xfb, 0xff]));
        assert_eq!(decode_base64("aGVsbG8*"), None);
        assert_eq!(decode_base64("aGVsb"), None, "one character short");
    }
}
