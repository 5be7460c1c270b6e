//! The 256-bit PDQ hash value: its bit layout, its 64-character hex text form and the Hamming distance
//! between two hashes. Bit `k` of the reference's sixteen 16-bit words is bit `k & 63` of word `k >> 6` here,
//! so the hex text (the 256-bit number in big-endian) is the same as the reference's.

use std::fmt;
use std::str::FromStr;

/// A PDQ hash: 256 bits, bit `k` in `words[k >> 6]` at position `k & 63`. Aligned to 32 bytes so that in an
/// index's array each hash sits in one cache line.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[repr(C, align(32))]
pub struct PdqHash(pub [u64; 4]);

impl PdqHash {
    /// Sets bit `k` (0..256).
    pub fn set_bit(&mut self, k: usize) {
        self.0[k >> 6] |= 1 << (k & 63);
    }

    /// Whether bit `k` is set.
    pub fn bit(&self, k: usize) -> bool {
        self.0[k >> 6] >> (k & 63) & 1 == 1
    }

    /// The number of differing bits between two hashes.
    pub fn distance(&self, other: &PdqHash) -> u32 {
        (self.0[0] ^ other.0[0]).count_ones()
            + (self.0[1] ^ other.0[1]).count_ones()
            + (self.0[2] ^ other.0[2]).count_ones()
            + (self.0[3] ^ other.0[3]).count_ones()
    }

    /// The hash as 32 big-endian bytes (the hex text's byte order).
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (q, chunk) in out.chunks_exact_mut(8).enumerate() {
            chunk.copy_from_slice(&self.0[3 - q].to_be_bytes());
        }
        out
    }

    /// The hash from 32 big-endian bytes, the inverse of [`PdqHash::to_bytes`].
    pub fn from_bytes(bytes: &[u8; 32]) -> PdqHash {
        let mut words = [0u64; 4];
        for (q, chunk) in bytes.chunks_exact(8).enumerate() {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            words[3 - q] = u64::from_be_bytes(b);
        }
        PdqHash(words)
    }
}

impl fmt::Display for PdqHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:016x}{:016x}{:016x}{:016x}",
            self.0[3], self.0[2], self.0[1], self.0[0]
        )
    }
}

impl fmt::Debug for PdqHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PdqHash({self})")
    }
}

/// Why a text is not a PDQ hash.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a PDQ hash is 64 hexadecimal characters, got {0:?}")]
pub struct ParsePdqError(pub String);

impl FromStr for PdqHash {
    type Err = ParsePdqError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ParsePdqError(s.chars().take(80).collect());
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let mut words = [0u64; 4];
        for q in 0..4 {
            words[3 - q] = u64::from_str_radix(&s[q * 16..q * 16 + 16], 16).map_err(|_| bad())?;
        }
        Ok(PdqHash(words))
    }
}

impl serde::Serialize for PdqHash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PdqHash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_text_round_trips_and_puts_bit_zero_last() {
        let mut h = PdqHash::default();
        h.set_bit(0);
        h.set_bit(255);
        let text = h.to_string();
        assert!(text.starts_with('8') && text.ends_with('1'));
        assert_eq!(text.parse::<PdqHash>().unwrap(), h);
        assert_eq!(PdqHash::from_bytes(&h.to_bytes()), h);
    }

    #[test]
    fn distance_counts_differing_bits() {
        let a = PdqHash([0, 0, 0, 0]);
        let b = PdqHash([1, 3, 0, u64::MAX]);
        assert_eq!(a.distance(&b), 67);
    }

    #[test]
    fn text_that_is_not_64_hex_characters_is_rejected() {
        assert!("abc".parse::<PdqHash>().is_err());
        assert!("g".repeat(64).parse::<PdqHash>().is_err());
    }
}
