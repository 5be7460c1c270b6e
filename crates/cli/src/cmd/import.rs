//! `safeguard import FILE...`: import referral packages (Safeguard's JSON) and bare CyberTipline XML
//! reports through the same path as the API. Each file is all-or-nothing; a folder imports every `.json`
//! and `.xml` file in it. Errors name the file and the place in it.

use super::common::{self, DataArgs};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// `safeguard import` arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Files or folders to import.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Source of bare XML reports (JSON packages name their own).
    #[arg(long, default_value = "NCA")]
    source: String,
    /// When the force received bare XML reports (RFC 3339, e.g. 2026-03-01T09:00:00Z; default now).
    #[arg(long)]
    received_at: Option<String>,
    /// Borough of bare XML reports (routes them to its BCU; unknown or absent: the central queue).
    #[arg(long)]
    borough: Option<String>,
    /// Report id of a single bare XML report (default: the SHA-256 of the file).
    #[arg(long)]
    report_id: Option<String>,
    /// Timeliness table for the new referrals' clocks (TOML; see docs/timeliness.md): give the same one
    /// as `serve`. The built-in defaults when absent.
    #[arg(long, env = "SAFEGUARD_TIMELINESS")]
    timeliness: Option<PathBuf>,
    /// The earliest date a receipt or incident may have (YYYY-MM-DD): earlier is refused as an error.
    #[arg(long, env = "SAFEGUARD_EARLIEST_DATE", default_value = "2000-01-01")]
    earliest_date: jiff::civil::Date,
    /// The force's code (needed only when the database holds more than one force).
    #[arg(long, env = "SAFEGUARD_FORCE")]
    force: Option<String>,
    #[command(flatten)]
    data: DataArgs,
}

fn files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = vec![];
    for p in paths {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("failed to read folder {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.is_file()
                        && matches!(f.extension().and_then(|x| x.to_str()), Some("xml" | "json"))
                })
                .collect();
            inside.sort();
            out.extend(inside);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn is_xml(path: &Path) -> anyhow::Result<bool> {
    match path.extension().and_then(|x| x.to_str()) {
        Some("xml") => Ok(true),
        Some("json") => Ok(false),
        _ => {
            use std::io::Read;
            let mut head = [0u8; 512];
            let n = std::fs::File::open(path)?.read(&mut head)?;
            let first = head[..n]
                .iter()
                .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF);
            Ok(first == Some(&b'<'))
        }
    }
}

/// Whether an XML file is a separate `<fileDetails>` document (judged on its first element).
fn is_file_details(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    let read = std::fs::File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    let text = String::from_utf8_lossy(&head);
    let mut rest = text.as_ref();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        return rest.starts_with("fileDetails")
            && rest[11..].starts_with(|c: char| c == '>' || c == '/' || c.is_whitespace());
    }
    false
}

/// Whether a JSON file is NCMEC's law-enforcement export of one report (judged on its first 64 KiB).
fn is_ncmec_export(path: &Path) -> anyhow::Result<bool> {
    use std::io::Read;
    let mut head = Vec::with_capacity(64 << 10);
    std::fs::File::open(path)?
        .take(64 << 10)
        .read_to_end(&mut head)?;
    Ok(app::import::is_ncmec_export(&head))
}

/// Duplicates and warnings printed per file at most (the counts are always whole).
const LISTED: usize = 100;

/// Import every file; exit non-zero if any failed.
pub fn exec(args: Args) -> anyhow::Result<()> {
    let mut files = files(&args.paths)?;
    // A separate <fileDetails> document attaches to a report imported before it, so those go last.
    files.sort_by_cached_key(|f| is_file_details(f));
    let timeliness = match &args.timeliness {
        Some(path) => common::timeliness_table(path)?,
        None => domain::TimelinessTable::default(),
    };
    if args.report_id.is_some() && files.len() != 1 {
        bail!("--report-id names one report, so give exactly one XML file with it");
    }
    let received_at = match &args.received_at {
        Some(t) => t.parse().with_context(|| {
            format!("--received-at '{t}' is not a date and time with a time zone")
        })?,
        None => jiff::Timestamp::now(),
    };
    let failed = common::runtime()?.block_on(async {
        let app = args.data.open(false).await?;
        let force = match &args.force {
            Some(code) => app::forces::force_by_code(&app, code)
                .await?
                .with_context(|| format!("there is no force with code '{code}'"))?,
            None => app::forces::only_force(&app).await?.context(
                "the database holds more than one force (or none): name one with --force",
            )?,
        };
        let os_user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
        let actor = app::import::operator(&os_user);
        let mut failed = 0;
        for file in &files {
            let bare = app::import::BareOptions {
                source: args.source.clone(),
                received_at,
                borough: args.borough.clone(),
                package_ref: None,
                report_id: args.report_id.clone(),
            };
            let form = if is_xml(file)? {
                app::import::Form::Xml(bare)
            } else if is_ncmec_export(file)? {
                app::import::Form::NcmecJson(bare)
            } else {
                app::import::Form::Json
            };
            let reader = std::fs::File::open(file)
                .with_context(|| format!("failed to open {}", file.display()))?;
            let req = app::import::ImportRequest {
                force,
                actor: actor.clone(),
                principal: None,
                form,
                file_name: file.file_name().map(|n| n.to_string_lossy().into_owned()),
                limits: app::import::PackageLimits::CLI,
                timeliness: timeliness.clone(),
                earliest: args.earliest_date,
                list_limit: LISTED,
            };
            match app::import::import(&app, req, reader).await {
                Ok(r) => {
                    let c = r.counts;
                    let mut notes = vec![];
                    if c.joined_existing_subject > 0 {
                        notes.push(format!(
                            "{} joined an existing subject",
                            c.joined_existing_subject
                        ));
                    }
                    if c.file_details_attached > 0 {
                        notes.push(format!(
                            "details of {} file{} added to an earlier referral",
                            c.file_details_attached,
                            if c.file_details_attached == 1 {
                                ""
                            } else {
                                "s"
                            }
                        ));
                    }
                    if c.with_suggested_links > 0 {
                        notes.push(format!(
                            "{} with suggested links to decide",
                            c.with_suggested_links
                        ));
                    }
                    println!(
                        "{}: {} imported, {} duplicate{}{}",
                        file.display(),
                        c.imported,
                        c.duplicates,
                        if c.duplicates == 1 { "" } else { "s" },
                        if notes.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", notes.join(", "))
                        }
                    );
                    for d in &r.duplicates {
                        println!(
                            "  duplicate: report {} is already referral {}",
                            d.report_id, d.id
                        );
                    }
                    if c.duplicates > r.duplicates.len() as u64 {
                        println!(
                            "  … and {} more duplicates",
                            c.duplicates - r.duplicates.len() as u64
                        );
                    }
                    for w in &r.warnings {
                        println!("  warning: {w}");
                    }
                    if c.warnings > r.warnings.len() as u64 {
                        println!(
                            "  … and {} more warnings",
                            c.warnings - r.warnings.len() as u64
                        );
                    }
                }
                Err(e) => {
                    failed += 1;
                    let at = match &e {
                        app::Error::Invalid {
                            location: Some(l), ..
                        } => format!(" at {l}"),
                        _ => String::new(),
                    };
                    eprintln!(
                        "{}{at}: {} (nothing from this file was imported)",
                        file.display(),
                        e.message()
                    );
                }
            }
        }
        Ok::<_, anyhow::Error>(failed)
    })?;
    if failed > 0 {
        bail!("{failed} of {} files could not be imported", files.len());
    }
    Ok(())
}
