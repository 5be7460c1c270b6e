//! The import benchmark (`bench/import`): writes a JSON package of generated CyberTipline reports to a
//! temporary file, then in one run measures
//! - the parse alone (`read_json_package` with a sink that drops each report),
//! - the import (`app::import::import` into a fresh SQLite store, as `safeguard import` does), with the
//!   resident memory at each quarter of the file and the peak,
//! - the floor: a bare insert of the same rows in one transaction on a fresh SQLite file (see `floor`), the
//!   floor plus the import's linking lookups, and the floor with SQLite's default page cache,
//!
//! and prints reports per second and the import's ratio to the floor.
//! Usage: `import_bench [REPORTS]` (100,000 by default); `$BENCH_DIR` holds the temporary files;
//! `IMPORT_BENCH_ONLY=1` measures the import alone (for profiling it).

mod floor;
mod synth;

use std::io::{BufReader, BufWriter, Read};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A field of /proc/self/status, in bytes.
fn status_bytes(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches(" kB").parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1 << 20) as f64
}

/// Reads the package and notes the resident memory as each quarter of it is read.
struct Progress<R> {
    inner: R,
    read: u64,
    total: u64,
    marks: Arc<Mutex<Vec<(u32, u64)>>>,
}

impl<R: Read> Read for Progress<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        let before = self.read * 4 / self.total.max(1);
        self.read += n as u64;
        let after = self.read * 4 / self.total.max(1);
        if after > before {
            let rss = status_bytes("VmRSS");
            let mut marks = self.marks.lock().expect("not poisoned");
            marks.extend((before + 1..=after).map(|q| (q as u32 * 25, rss)));
        }
        Ok(n)
    }
}

async fn fresh_store(path: &std::path::Path) -> Res<(store::Store, domain::ForceId)> {
    let store =
        store::Store::open(&store::Location::SqliteFile(path.into()), b"k".to_vec()).await?;
    let force = store
        .create_force("met", "Metropolitan Police Service")
        .await?;
    let since = "2019-01-01T00:00:00Z".parse()?;
    store
        .create_bcu(
            force,
            "cn",
            "Central North",
            &["Camden", "Islington"],
            since,
        )
        .await?;
    store
        .create_bcu(force, "cw", "Central West", &["Westminster"], since)
        .await?;
    Ok((store, force))
}

async fn counts(path: &std::path::Path) -> Res<Vec<(String, i64)>> {
    use sqlx::{ConnectOptions, Row};
    let mut c = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .connect()
        .await?;
    let mut out = vec![];
    for t in [
        "referrals",
        "report_originals",
        "identifiers",
        "ip_events",
        "files",
        "people",
        "subjects",
        "subject_links",
        "access_log",
        "package_chunks",
    ] {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {t}")))
            .fetch_one(&mut c)
            .await?;
        out.push((t.to_string(), row.get::<i64, _>(0)));
    }
    Ok(out)
}

fn rate(n: u64, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

#[tokio::main]
async fn main() -> Res<()> {
    let n: u64 = match std::env::args().nth(1) {
        Some(a) => a.replace(['_', ','], "").parse()?,
        None => 100_000,
    };
    let base = std::env::var_os("BENCH_DIR").map_or_else(std::env::temp_dir, Into::into);
    std::fs::create_dir_all(&base)?;
    let dir = tempfile::tempdir_in(base)?;
    let package = dir.path().join("package.json");

    let t = Instant::now();
    let mut w = BufWriter::new(std::fs::File::create(&package)?);
    synth::write_package(&mut w, n)?;
    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    let size = std::fs::metadata(&package)?.len();
    println!(
        "package   {n} reports, {:.0} MiB, written in {:.1} s (rss after writing {:.0} MiB)",
        mib(size),
        t.elapsed().as_secs_f64(),
        mib(status_bytes("VmRSS"))
    );

    // The parse alone.
    let t = Instant::now();
    let summary = intake::json::read_json_package(
        BufReader::new(std::fs::File::open(&package)?),
        &intake::json::PackageLimits::CLI,
        |_, _| Ok::<_, std::convert::Infallible>(()),
    )
    .map_err(|e| format!("the package does not parse: {e}"))?;
    let parse = t.elapsed();
    assert_eq!(summary.reports, n);

    // The import. Writing 5 to clear_refs resets the peak (VmHWM), so it is the import's own.
    let (store, force) = fresh_store(&dir.path().join("import.db")).await?;
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let rss_before = status_bytes("VmRSS");
    let marks = Arc::new(Mutex::new(vec![]));
    let reader = Progress {
        inner: std::fs::File::open(&package)?,
        read: 0,
        total: size,
        marks: Arc::clone(&marks),
    };
    let req = app::import::ImportRequest {
        force,
        actor: store::Actor {
            user: None,
            username: "cli:bench".into(),
            display_name: "Command-line import (bench)".into(),
            justification: None,
        },
        principal: None,
        form: app::import::Form::Json,
        file_name: Some("package.json".into()),
        limits: intake::json::PackageLimits::CLI,
        timeliness: domain::TimelinessTable::default(),
        earliest: domain::time::DEFAULT_EARLIEST,
        list_limit: 0,
    };
    let t = Instant::now();
    let result = app::import::import(
        &app::App::new(store.clone(), app::Config::default()),
        req,
        reader,
    )
    .await
    .map_err(|e| format!("the import failed: {}", e.message()))?;
    let import = t.elapsed();
    let peak = status_bytes("VmHWM");
    let rss_after = status_bytes("VmRSS");
    assert_eq!(result.counts.imported, n);
    let joined = result.counts.joined_existing_subject;
    let suggested = result.counts.with_suggested_links;
    let warnings = result.counts.warnings;
    drop(result);
    drop(store);
    let imported_rows = counts(&dir.path().join("import.db")).await?;
    if std::env::var_os("IMPORT_BENCH_ONLY").is_some() {
        println!(
            "import    {:8.0} reports/s (IMPORT_BENCH_ONLY: no floor)",
            rate(n, import)
        );
        return Ok(());
    }

    // The floor, the floor with the linking lookups, and the floor with SQLite's default page cache, each on
    // a fresh file.
    let mut floors = vec![];
    for (name, link, cache) in [
        ("floor", false, store::IMPORT_CACHE_MIB),
        ("floor_link", true, store::IMPORT_CACHE_MIB),
        ("floor_small", false, 2),
    ] {
        let path = dir.path().join(format!("{name}.db"));
        let (store, force) = fresh_store(&path).await?;
        drop(store);
        let t = Instant::now();
        let rows = floor::run(&path, &package, &force.to_string(), n, link, cache).await?;
        floors.push((t.elapsed(), rows));
    }
    let (floor, floor_rows) = floors[0];
    let (floor_link, _) = floors[1];
    let (floor_small, _) = floors[2];

    println!("machine   {} cores", std::thread::available_parallelism()?);
    println!(
        "import    {:8.0} reports/s  {:6.1} s  ({joined} joined an existing subject, {suggested} with suggested links, {warnings} warnings)",
        rate(n, import),
        import.as_secs_f64()
    );
    println!(
        "floor     {:8.0} reports/s  {:6.1} s  bare multi-row INSERTs of the same rows, one transaction, {} MiB page cache",
        rate(n, floor),
        floor.as_secs_f64(),
        store::IMPORT_CACHE_MIB
    );
    println!(
        "  2 MiB   {:8.0} reports/s  {:6.1} s  the same with SQLite's default page cache",
        rate(n, floor_small),
        floor_small.as_secs_f64()
    );
    println!(
        "ratio     {:.2}x the floor's time (floor {:.0}% of the import's rate)",
        import.as_secs_f64() / floor.as_secs_f64(),
        100.0 * floor.as_secs_f64() / import.as_secs_f64()
    );
    println!("breakdown (the parser runs on its own thread, beside the store)");
    println!(
        "  parse alone        {:8.0} reports/s  {:6.1} s  {:.0} MiB/s",
        rate(n, parse),
        parse.as_secs_f64(),
        mib(size) / parse.as_secs_f64()
    );
    println!(
        "  store (the floor)  {:8.0} reports/s  {:6.1} s",
        rate(n, floor),
        floor.as_secs_f64()
    );
    println!(
        "  link lookups       {:>19}  {:6.1} s  (floor with linking − floor)",
        "",
        (floor_link.saturating_sub(floor)).as_secs_f64()
    );
    println!(
        "  the rest           {:>19}  {:6.1} s  (import − floor with linking: parsing, duplicate check, hash chain)",
        "",
        import.as_secs_f64() - floor_link.as_secs_f64()
    );
    let marks = marks.lock().expect("not poisoned").clone();
    let quarters: Vec<String> = marks
        .iter()
        .map(|(p, rss)| format!("{p}% {:.0}", mib(*rss)))
        .collect();
    println!(
        "memory    rss MiB before {:.0}, while reading {}, after {:.0}; peak {:.0} MiB{}",
        mib(rss_before),
        quarters.join(", "),
        mib(rss_after),
        mib(peak),
        if reset {
            " (import only)"
        } else {
            " (whole run: clear_refs unavailable)"
        }
    );
    let floor_names = [
        "referrals",
        "report_originals",
        "identifiers",
        "ip_events",
        "files",
    ];
    let rows: Vec<String> = imported_rows
        .iter()
        .map(|(t, c)| match floor_names.iter().position(|f| f == t) {
            Some(k) if floor_rows[k] != *c as u64 => format!("{t} {c} (floor {})", floor_rows[k]),
            _ => format!("{t} {c}"),
        })
        .collect();
    println!("rows      {}", rows.join(", "));
    Ok(())
}
