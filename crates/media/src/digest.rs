//! MD5 and SHA-1 (and SHA-256 when asked) of a file's bytes in one pass, with bounded memory: the bytes are fed
//! to all the hashers from one buffer as they are read.

use std::io::{self, Read};

use md5::Md5;
use sha1::{Digest, Sha1};
use sha2::Sha256;

/// Size of the read buffer for streamed files.
pub const CHUNK: usize = 256 * 1024;

/// The cryptographic digests of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digests {
    /// Bytes read.
    pub size: u64,
    /// MD5 (the national image database's key).
    pub md5: [u8; 16],
    /// SHA-1 (Project VIC's key).
    pub sha1: [u8; 20],
    /// SHA-256, when asked for.
    pub sha256: Option<[u8; 32]>,
}

/// All the digests of a stream, fed chunk by chunk.
#[derive(Clone)]
pub struct MultiHasher {
    size: u64,
    md5: Md5,
    sha1: Sha1,
    sha256: Option<Sha256>,
}

impl MultiHasher {
    /// A hasher for MD5 and SHA-1, and SHA-256 when `sha256` is true.
    pub fn new(sha256: bool) -> MultiHasher {
        MultiHasher {
            size: 0,
            md5: Md5::new(),
            sha1: Sha1::new(),
            sha256: sha256.then(Sha256::new),
        }
    }

    /// Feeds the next bytes.
    pub fn update(&mut self, bytes: &[u8]) {
        self.size += bytes.len() as u64;
        self.md5.update(bytes);
        self.sha1.update(bytes);
        if let Some(s) = &mut self.sha256 {
            s.update(bytes);
        }
    }

    /// The digests of everything fed.
    pub fn finish(self) -> Digests {
        Digests {
            size: self.size,
            md5: self.md5.finalize().into(),
            sha1: self.sha1.finalize().into(),
            sha256: self.sha256.map(|s| s.finalize().into()),
        }
    }
}

/// Reads `reader` to its end, feeding `hasher` through `buffer`.
pub fn feed(mut reader: impl Read, hasher: &mut MultiHasher, buffer: &mut [u8]) -> io::Result<()> {
    loop {
        match reader.read(buffer) {
            Ok(0) => return Ok(()),
            Ok(n) => hasher.update(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// The digests of everything `reader` yields.
pub fn digest_reader(reader: impl Read, sha256: bool) -> io::Result<Digests> {
    let mut hasher = MultiHasher::new(sha256);
    feed(reader, &mut hasher, &mut vec![0u8; CHUNK])?;
    Ok(hasher.finish())
}

/// The SHA-256 of bytes in memory, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A reader that works out the SHA-256 of everything read through it: a file's checksum in the same pass that
/// parses it.
pub struct Sha256Reader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Sha256Reader<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Sha256Reader<R> {
        Sha256Reader {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Reads what is left, then gives the SHA-256 of everything, as lowercase hex.
    pub fn finish(mut self) -> io::Result<String> {
        io::copy(&mut self, &mut io::sink())?;
        Ok(hex::encode(self.hasher.finalize()))
    }
}

impl<R: Read> Read for Sha256Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Bytes from hexadecimal text of exactly `N` bytes (either case).
pub fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let t = text.as_bytes();
    if t.len() != 2 * N {
        return None;
    }
    let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = nibble(t[2 * i])? << 4 | nibble(t[2 * i + 1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_of_abc_are_the_published_ones() {
        let d = digest_reader(&b"abc"[..], true).unwrap();
        assert_eq!(hex::encode(d.md5), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            hex::encode(d.sha1),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex::encode(d.sha256.unwrap()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(d.size, 3);
    }

    #[test]
    fn a_sha256_reader_hashes_what_was_read_and_what_was_left() {
        let mut r = Sha256Reader::new(&b"abc"[..]);
        let mut first = [0u8; 1];
        r.read_exact(&mut first).unwrap();
        assert_eq!(
            r.finish().unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hex_round_trips_and_rejects_wrong_lengths() {
        assert_eq!(unhex::<2>("aBff"), Some([0xab, 0xff]));
        assert_eq!(unhex::<2>("abf"), None);
        assert_eq!(unhex::<1>("zz"), None);
    }
}
