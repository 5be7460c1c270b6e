//! The resume journal: one JSON line per finished file, appended as each file is done (one write per line, so
//! an interrupted scan loses at most the line being written). `--resume` reads it back and reuses every result
//! whose file still has the same size and modification time. A completed scan removes its journal.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::hashed::Hashed;

/// An open journal.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
}

impl Journal {
    /// Opens the journal at `path`. With `resume`, earlier results are read back and kept; otherwise the journal
    /// starts empty.
    pub fn open(path: &Path, resume: bool) -> io::Result<(Journal, HashMap<String, Hashed>)> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut done = HashMap::new();
        if resume && path.exists() {
            for line in BufReader::new(File::open(path)?).lines() {
                // A line cut short by the interruption does not parse and is simply redone.
                if let Ok(h) = serde_json::from_str::<Hashed>(&line?) {
                    done.insert(h.path.clone(), h);
                }
            }
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .truncate(false)
            .open(path)?;
        if !resume {
            file.set_len(0)?;
        }
        Ok((
            Journal {
                path: path.to_path_buf(),
                file: Mutex::new(file),
            },
            done,
        ))
    }

    /// Appends one finished file.
    pub fn record(&self, h: &Hashed) -> io::Result<()> {
        let mut line = serde_json::to_vec(h)?;
        line.push(b'\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(&line)
    }

    /// Removes the journal of a completed scan.
    pub fn finish(self) -> io::Result<()> {
        drop(self.file);
        std::fs::remove_file(&self.path)
    }
}
