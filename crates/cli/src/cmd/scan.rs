//! `safeguard scan PATH`: triage a seized device's folder or mounted image against known-image hash sets. Prints
//! the counts a charging decision needs; `--json` writes the full report, `--vics` a VICS 2.0 export. SHA-256
//! is worked out when `--sha256` asks for it or a set holds SHA-256 hashes. Exits 0 whenever the scan
//! completes, whatever it found.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use media::hashset::{CategoryMap, DEFAULT_DISTANCE, KnownSet, file::is_set_file};
use media::record::HashOptions;
use media::scan::{self, Progress, Report, ScanOptions};

use super::hashset::{read_set, sets_dir};

/// Arguments of `safeguard scan`.
#[derive(clap::Args)]
pub struct Args {
    /// The folder or mounted image to scan (read-only; links are listed, never followed).
    path: PathBuf,
    /// Hash sets to match: names imported with `safeguard hashset import`, or files (set files, or VICS/CSV
    /// files read on the fly with distance 31 and no category map).
    #[arg(long = "hash-set", num_args = 1..)]
    hash_sets: Vec<String>,
    /// Where Safeguard keeps its data (hash sets, scan journals).
    #[arg(long, env = "SAFEGUARD_DATA_DIR", default_value = "./safeguard-data")]
    data_dir: PathBuf,
    /// Write the full JSON report to this file (`-` for standard output).
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write a VICS 2.0 export of the results to this file.
    #[arg(long)]
    vics: Option<PathBuf>,
    /// Continue an interrupted scan of the same path without re-hashing the files it finished.
    #[arg(long)]
    resume: bool,
    /// Also compute SHA-256 of every file (it is computed anyway when a set holds SHA-256 hashes).
    #[arg(long)]
    sha256: bool,
}

/// Runs `safeguard scan`.
pub fn exec(args: Args) -> anyhow::Result<()> {
    let sets = args
        .hash_sets
        .iter()
        .map(|s| load_set(s, &args.data_dir))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let root = std::fs::canonicalize(&args.path)
        .with_context(|| format!("failed to open {}", args.path.display()))?;
    let key = media::digest::sha256_hex(root.to_string_lossy().as_bytes());
    let journal = args
        .data_dir
        .join("scans")
        .join(format!("{}.journal", &key[..16]));
    let options = ScanOptions {
        hash: HashOptions {
            sha256: args.sha256,
            ..HashOptions::default()
        },
        journal: Some(&journal),
        resume: args.resume,
        version: env!("CARGO_PKG_VERSION"),
    };
    let bar = Bar::new();
    let report = scan::scan(&args.path, &sets, &options, &bar)?;
    bar.finish();
    if let Some(out) = &args.vics {
        let case_id = format!("safeguard-{}-{}", report.started_at, &key[..8]);
        write_file(out, |w| Ok(scan::vics::write(&report, &case_id, w)?))
            .with_context(|| format!("failed to write the VICS export {}", out.display()))?;
    }
    match &args.json {
        Some(out) if out.as_os_str() == "-" => write_json(&report, &mut std::io::stdout().lock())?,
        Some(out) => {
            write_file(out, |w| write_json(&report, w))
                .with_context(|| format!("failed to write the report {}", out.display()))?;
            print_summary(&report);
        }
        None => print_summary(&report),
    }
    Ok(())
}

/// A set by name (in the data folder) or by file.
fn load_set(name_or_file: &str, data_dir: &Path) -> anyhow::Result<KnownSet> {
    let as_file = Path::new(name_or_file);
    let named = sets_dir(data_dir).join(name_or_file);
    let path = if !name_or_file.contains(['/', '\\']) && named.is_file() {
        named
    } else {
        as_file.to_path_buf()
    };
    let mut head = [0u8; 32];
    let n = std::fs::File::open(&path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .with_context(|| format!("failed to read hash set {name_or_file}: no such set or file"))?;
    if is_set_file(&head[..n]) {
        KnownSet::load(&path).with_context(|| format!("failed to read hash set {}", path.display()))
    } else {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let (set, notes) = read_set(
            &path,
            &name,
            DEFAULT_DISTANCE,
            None,
            &CategoryMap::default(),
        )?;
        notes.print();
        Ok(set)
    }
}

fn write_json(report: &Report, w: &mut dyn Write) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report)?;
    writeln!(w)?;
    Ok(())
}

/// Writes through a temporary file, so a failed write leaves no half output.
fn write_file(
    path: &Path,
    body: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let tmp = path.with_extension("partial");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    body(&mut w)?;
    w.flush()?;
    drop(w);
    std::fs::rename(&tmp, path)?;
    Ok(())
}

fn print_summary(r: &Report) {
    let s = &r.summary;
    let m = &s.matched;
    println!(
        "scanned {} in {:.1} s: {} files, {} bytes ({:.1} MB/s), {} images",
        r.root,
        s.seconds,
        s.files,
        s.bytes,
        r.bytes_per_second / 1e6,
        s.images
    );
    println!(
        "matched: A {}, B {}, C {}, not indecent {}, uncategorised {}, other {}",
        m.a, m.b, m.c, m.not_indecent, m.uncategorised, m.other
    );
    for (n, count) in &m.other_by_number {
        println!("  other({n}): {count}");
    }
    println!(
        "exact matches {}, near matches {}, unknown images {}, unreadable {}",
        s.exact, s.near, s.unknown_images, s.unreadable
    );
    for set in &r.sets {
        println!(
            "set {} (distance {}, sha256 {})",
            set.name, set.distance, set.checksum
        );
    }
    for f in r
        .files
        .iter()
        .filter(|f| f.pdq.is_some() && f.matches.is_empty())
    {
        println!("unknown image: {}", f.path);
    }
    for f in &r.files {
        if let Some(e) = &f.error {
            println!("unreadable: {}: {e}", f.path);
        }
    }
}

/// The terminal progress bar: files, bytes, rate, time left; hidden when standard error is not a terminal.
struct Bar {
    bar: ProgressBar,
    files: AtomicU64,
    total: AtomicU64,
}

impl Bar {
    fn new() -> Bar {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(0), target);
        bar.set_style(
            ProgressStyle::with_template("{msg} files  {binary_bytes}/{binary_total_bytes}  {binary_bytes_per_sec}  {eta} left  {wide_bar}")
                .expect("valid template"),
        );
        Bar {
            bar,
            files: AtomicU64::new(0),
            total: AtomicU64::new(0),
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn start(&self, files: u64, bytes: u64) {
        self.total.store(files, Ordering::Relaxed);
        self.bar.set_length(bytes);
        self.bar.set_message(format!("0/{files}"));
    }

    fn advance(&self, bytes: u64) {
        let done = self.files.fetch_add(1, Ordering::Relaxed) + 1;
        self.bar.inc(bytes);
        self.bar
            .set_message(format!("{done}/{}", self.total.load(Ordering::Relaxed)));
    }
}
