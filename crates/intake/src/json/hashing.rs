//! A buffered reader that hashes and counts every byte it passes on, and stops at a size limit: the
//! package's SHA-256 comes out of the same single read that parses it.

use sha2::{Digest, Sha256};
use std::io::{self, BufRead, Read};

/// Buffers `R`, hashing (SHA-256) and counting the bytes read, and fails once more than `limit` arrive.
pub struct HashingReader<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    hasher: Sha256,
    bytes: u64,
    limit: u64,
    exceeded: bool,
}

impl<R: Read> HashingReader<R> {
    /// Wrap `inner`, allowing at most `limit` bytes.
    pub fn new(inner: R, limit: u64) -> Self {
        HashingReader {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            pos: 0,
            len: 0,
            hasher: Sha256::new(),
            bytes: 0,
            limit,
            exceeded: false,
        }
    }

    /// Whether reading stopped because the input was over the limit.
    pub fn exceeded(&self) -> bool {
        self.exceeded
    }

    /// Bytes read so far and their SHA-256 (lower-case hex).
    pub fn finish(self) -> (u64, String) {
        (self.bytes, hex::encode(self.hasher.finalize()))
    }
}

impl<R: Read> BufRead for HashingReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.len {
            let n = self.inner.read(&mut self.buf)?;
            self.hasher.update(&self.buf[..n]);
            self.bytes += n as u64;
            (self.pos, self.len) = (0, n);
            if self.bytes > self.limit {
                self.exceeded = true;
                return Err(io::Error::other("the package is over its size limit"));
            }
        }
        Ok(&self.buf[self.pos..self.len])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.len);
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}
