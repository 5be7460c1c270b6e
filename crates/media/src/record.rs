//! Hashing one file the way `hash` and `scan` need it: digests in one read and, for a file that starts like an
//! image, the PDQ hash and its variants from the same bytes. Errors are kept in the result, never raised, so
//! one bad file never stops a run.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::decode;
use crate::digest::{self, Digests, MultiHasher};
use crate::pdq::{self, Pdq, PdqDihedral};

/// What to compute for each file.
#[derive(Debug, Clone, Copy)]
pub struct HashOptions {
    /// Also compute SHA-256.
    pub sha256: bool,
    /// Images larger than this are hashed but not decoded (their bytes would have to be held in memory).
    pub max_image_bytes: u64,
}

impl Default for HashOptions {
    fn default() -> Self {
        HashOptions {
            sha256: false,
            max_image_bytes: 256 * 1024 * 1024,
        }
    }
}

/// The perceptual side of a file that looked like an image.
#[derive(Debug, Clone)]
pub enum Perceptual {
    /// It decoded: the plain hash and the eight variants.
    Hashed(Pdq, Box<PdqDihedral>),
    /// It looked like an image but did not decode.
    Undecodable(String),
    /// It is larger than [`HashOptions::max_image_bytes`].
    TooLarge,
}

/// Everything computed for one file.
#[derive(Debug, Clone)]
pub struct FileHashes {
    /// The digests.
    pub digests: Digests,
    /// For a file that starts like an image, its PDQ (or why there is none).
    pub perceptual: Option<Perceptual>,
}

/// Hashes the file at `path`; an error means it could not be read at all.
pub fn hash_file(path: &Path, options: HashOptions) -> io::Result<FileHashes> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    // The head is read without zero-filling a buffer first: most files are small, and clearing a full chunk
    // for each of them would cost more than hashing them.
    let mut head = Vec::with_capacity(len.min(digest::CHUNK as u64) as usize + 1);
    (&mut file)
        .take(digest::CHUNK as u64)
        .read_to_end(&mut head)?;
    let n = head.len();
    let mut hasher = MultiHasher::new(options.sha256);
    let sniffed = decode::sniff(&head).is_some();
    if !sniffed || len > options.max_image_bytes {
        hasher.update(&head);
        if n == digest::CHUNK {
            BUFFER.with(|b| digest::feed(&mut file, &mut hasher, &mut b.borrow_mut()))?;
        }
        let perceptual = sniffed.then_some(Perceptual::TooLarge);
        return Ok(FileHashes {
            digests: hasher.finish(),
            perceptual,
        });
    }
    let mut bytes = head;
    bytes.reserve(len.saturating_sub(n as u64) as usize);
    file.read_to_end(&mut bytes)?;
    hasher.update(&bytes);
    let perceptual = match decode::luma_from_bytes(&bytes) {
        Ok(luma) => {
            drop(bytes);
            let (plain, variants) = pdq::hash_and_dihedral(&luma);
            Perceptual::Hashed(plain, Box::new(variants))
        }
        Err(e) => Perceptual::Undecodable(e.to_string()),
    };
    Ok(FileHashes {
        digests: hasher.finish(),
        perceptual: Some(perceptual),
    })
}

thread_local! {
    /// Each thread's read buffer for streamed files, allocated once.
    static BUFFER: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0u8; digest::CHUNK]);
}
