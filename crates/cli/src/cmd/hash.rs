//! `safeguard hash PATH...`: MD5 and SHA-1 (and SHA-256) of every file, and PDQ with its quality (and its eight
//! variants) of every image, one line or one JSON object per file. Folders are walked without following links.
//! A file that cannot be read or decoded is reported with `error` and the run goes on.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use media::record::{self, HashOptions, Perceptual};
use media::walk::{self, Entry, EntryKind};
use rayon::prelude::*;

/// Arguments of `safeguard hash`.
#[derive(clap::Args)]
pub struct Args {
    /// Files or folders to hash (folders are walked; links are listed, not followed).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Also print the eight rotation/flip PDQ variants of each image.
    #[arg(long)]
    dihedral: bool,
    /// Also compute SHA-256.
    #[arg(long)]
    sha256: bool,
    /// Print one JSON object per line instead of tab-separated text.
    #[arg(long)]
    json: bool,
}

/// Runs `safeguard hash`.
pub fn exec(args: Args) -> anyhow::Result<()> {
    let entries: Vec<Entry> = args.paths.iter().flat_map(|p| walk::walk(p)).collect();
    let options = HashOptions {
        sha256: args.sha256,
        ..HashOptions::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Chunks keep the output in walk order while bounding what is held in memory.
    for chunk in entries.chunks(4096) {
        let lines: Vec<String> = chunk
            .par_iter()
            .map(|e| {
                let line = describe(e, options, args.dihedral);
                if args.json {
                    serde_json::to_string(&line).unwrap_or_default()
                } else {
                    text_line(&line)
                }
            })
            .collect();
        for line in lines {
            writeln!(out, "{line}").context("failed to write the output")?;
        }
    }
    out.flush().context("failed to write the output")
}

/// One output line; absent fields are left out.
#[derive(Default, serde::Serialize)]
struct Line {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    md5: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pdq: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quality: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pdq_dihedral: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skipped: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Hashes one entry into its output line.
fn describe(entry: &Entry, options: HashOptions, dihedral: bool) -> Line {
    let mut line = Line {
        path: entry.path.to_string_lossy().into_owned(),
        ..Line::default()
    };
    match &entry.kind {
        EntryKind::Link => line.skipped = Some("link"),
        EntryKind::Special => line.skipped = Some("special file"),
        EntryKind::Unreadable(e) => line.error = Some(e.clone()),
        EntryKind::File => match record::hash_file(&entry.path, options) {
            Err(e) => line.error = Some(e.to_string()),
            Ok(h) => {
                line.size = Some(h.digests.size);
                line.md5 = Some(hex::encode(h.digests.md5));
                line.sha1 = Some(hex::encode(h.digests.sha1));
                line.sha256 = h.digests.sha256.map(hex::encode);
                match h.perceptual {
                    Some(Perceptual::Hashed(plain, variants)) => {
                        line.pdq = Some(plain.hash.to_string());
                        line.quality = Some(plain.quality);
                        if dihedral {
                            line.pdq_dihedral =
                                Some(variants.hashes.iter().map(|h| h.to_string()).collect());
                        }
                    }
                    Some(Perceptual::Undecodable(e)) => line.error = Some(e),
                    Some(Perceptual::TooLarge) => {
                        line.error = Some("image too large to decode".into())
                    }
                    None => {}
                }
            }
        },
    }
    line
}

/// Tab-separated text: the path, then `key=value` for every present field.
fn text_line(l: &Line) -> String {
    let mut out = l.path.clone();
    let mut push = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            out.push_str(&format!("\t{k}={v}"));
        }
    };
    push("size", l.size.map(|v| v.to_string()));
    push("md5", l.md5.clone());
    push("sha1", l.sha1.clone());
    push("sha256", l.sha256.clone());
    push("pdq", l.pdq.clone());
    push("quality", l.quality.map(|v| v.to_string()));
    push("pdq_dihedral", l.pdq_dihedral.as_ref().map(|v| v.join(",")));
    push("skipped", l.skipped.map(str::to_string));
    push("error", l.error.clone());
    out
}
