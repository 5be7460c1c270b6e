//! What hashing one walked path produced, in the form kept in the resume journal: everything needed to match
//! and report the file later without reading it again.

use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::pdq::PdqHash;
use crate::record::{self, HashOptions, Perceptual};
use crate::walk::{Entry, EntryKind};

/// The hashing outcome of one walked path.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Hashed {
    /// The path as walked.
    pub path: String,
    /// Bytes hashed.
    pub size: Option<u64>,
    /// Modification time in nanoseconds, to tell whether a journaled result is still valid.
    pub mtime_ns: Option<u128>,
    /// MD5 bytes.
    pub md5: Option<[u8; 16]>,
    /// SHA-1 bytes.
    pub sha1: Option<[u8; 20]>,
    /// SHA-256 hex, when asked for.
    pub sha256: Option<String>,
    /// The plain PDQ hash.
    pub pdq: Option<PdqHash>,
    /// Its quality.
    pub quality: Option<u8>,
    /// The eight variants, for matching.
    pub variants: Option<[PdqHash; 8]>,
    /// Whether it decoded as an image.
    pub image: bool,
    /// Why it could not be read or decoded.
    pub error: Option<String>,
    /// Why it was not hashed at all (`link`, `special file`).
    pub skipped: Option<String>,
}

/// The modification time of a path, in nanoseconds since 1970, without following links.
pub fn mtime_ns(path: &Path) -> Option<u128> {
    let m = std::fs::symlink_metadata(path).ok()?;
    Some(
        m.modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos(),
    )
}

/// Hashes one walked entry (links and special files are only listed).
pub fn hash_entry(entry: &Entry, options: HashOptions) -> Hashed {
    let mut h = Hashed {
        path: entry.path.to_string_lossy().into_owned(),
        ..Hashed::default()
    };
    match &entry.kind {
        EntryKind::Link => h.skipped = Some("link".into()),
        EntryKind::Special => h.skipped = Some("special file".into()),
        EntryKind::Unreadable(e) => h.error = Some(e.clone()),
        EntryKind::File => {
            h.mtime_ns = mtime_ns(&entry.path);
            match record::hash_file(&entry.path, options) {
                Err(e) => h.error = Some(e.to_string()),
                Ok(r) => {
                    h.size = Some(r.digests.size);
                    h.md5 = Some(r.digests.md5);
                    h.sha1 = Some(r.digests.sha1);
                    h.sha256 = r.digests.sha256.map(hex::encode);
                    match r.perceptual {
                        Some(Perceptual::Hashed(plain, variants)) => {
                            h.image = true;
                            h.pdq = Some(plain.hash);
                            h.quality = Some(plain.quality);
                            h.variants = Some(variants.hashes);
                        }
                        Some(Perceptual::Undecodable(e)) => h.error = Some(e),
                        Some(Perceptual::TooLarge) => {
                            h.error = Some("image too large to decode".into())
                        }
                        None => {}
                    }
                }
            }
        }
    }
    h
}
