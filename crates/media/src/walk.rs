//! Listing the files under a path without following links: a link is listed as such (never opened), so a scan
//! can say it skipped it; special files (pipes, devices, sockets) are listed too and never opened, because
//! opening a pipe would block the run.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// What a listed path is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// A regular file, to be hashed.
    File,
    /// A symbolic link: listed, not followed, not hashed.
    Link,
    /// A pipe, socket or device: listed, not opened.
    Special,
    /// The path could not be listed (a folder without permission, say).
    Unreadable(String),
}

/// One listed path.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The path as found under the root.
    pub path: PathBuf,
    /// What it is.
    pub kind: EntryKind,
}

/// Every file, link and special file under `root` (or `root` itself when it is a file), in a stable order.
pub fn walk(root: &Path) -> Vec<Entry> {
    let mut out = Vec::new();
    for item in WalkDir::new(root).follow_links(false).sort_by_file_name() {
        match item {
            Ok(e) => {
                let t = e.file_type();
                let kind = if t.is_symlink() {
                    EntryKind::Link
                } else if t.is_file() {
                    EntryKind::File
                } else if t.is_dir() {
                    continue;
                } else {
                    EntryKind::Special
                };
                out.push(Entry {
                    path: e.into_path(),
                    kind,
                });
            }
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                let message = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                out.push(Entry {
                    path,
                    kind: EntryKind::Unreadable(message),
                });
            }
        }
    }
    out
}
