//! `safeguard hashset import|list`: turn a VICS JSON (1.3 or 2.0), CSV or plain-list hash set into the compact
//! set file at `<data-dir>/hashsets/NAME`, with its categories mapped and its own PDQ distance, and list the
//! sets held.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use app::hashsets::{self, HashKind, RawCategory, SetFormat, VicsVersion};
use media::hashset::{Builder, Category, CategoryMap, DEFAULT_DISTANCE, KnownSet, SourceCategory};
use media::pdq::PdqHash;

/// Arguments of `safeguard hashset`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
    /// Where Safeguard keeps its data; hash sets live in its `hashsets` folder.
    #[arg(
        long,
        env = "SAFEGUARD_DATA_DIR",
        default_value = "./safeguard-data",
        global = true
    )]
    data_dir: PathBuf,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Import a VICS JSON, CSV or plain-list hash set under a name.
    Import(ImportArgs),
    /// List the imported hash sets.
    List,
}

/// Arguments of `safeguard hashset import`.
#[derive(clap::Args)]
struct ImportArgs {
    /// The VICS JSON, CSV or plain-list file.
    file: PathBuf,
    /// The set's name (letters, digits, `.`, `_`, `-`).
    #[arg(long)]
    name: String,
    /// A file mapping the source's category numbers or labels to A, B, C, not indecent, uncategorised
    /// (`1 = A` a line); unmapped numbers are kept as other(n).
    #[arg(long)]
    category_map: Option<PathBuf>,
    /// PDQ Hamming distance within which an image matches this set.
    #[arg(long, default_value_t = DEFAULT_DISTANCE, value_parser = clap::value_parser!(u32).range(0..=255))]
    distance: u32,
    /// What a bare hash in a list is, when its length would mislead (64 hex characters are PDQ otherwise).
    #[arg(long, value_enum)]
    kind: Option<Kind>,
    /// Replace a set of the same name.
    #[arg(long)]
    replace: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Kind {
    Md5,
    Sha1,
    Pdq,
}

/// Runs `safeguard hashset`.
pub fn exec(args: Args) -> anyhow::Result<()> {
    match args.command {
        Sub::Import(import) => exec_import(import, &args.data_dir),
        Sub::List => exec_list(&args.data_dir),
    }
}

/// The folder of the sets.
pub fn sets_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("hashsets")
}

fn exec_import(args: ImportArgs, data_dir: &Path) -> anyhow::Result<()> {
    let valid = !args.name.is_empty()
        && !args.name.starts_with('.')
        && args
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !valid {
        bail!(
            "{:?} is not a valid set name: use letters, digits, `.`, `_` and `-`",
            args.name
        );
    }
    let dir = sets_dir(data_dir);
    let target = dir.join(&args.name);
    if target.exists() && !args.replace {
        bail!(
            "a hash set called {} already exists (use --replace to replace it)",
            args.name
        );
    }
    let map = match &args.category_map {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("failed to read category map {}", p.display()))?;
            CategoryMap::parse(&text)
                .with_context(|| format!("failed to read category map {}", p.display()))?
        }
        None => CategoryMap::default(),
    };
    let kind = args.kind.map(|k| match k {
        Kind::Md5 => HashKind::Md5,
        Kind::Sha1 => HashKind::Sha1,
        Kind::Pdq => HashKind::Pdq,
    });
    let set = read_set(&args.file, &args.name, args.distance, kind, &map)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("failed to create {}", dir.display()))?;
    set.save(&target)
        .with_context(|| format!("failed to write hash set {}", target.display()))?;
    let (_, checksum) = KnownSet::describe(&target)
        .with_context(|| format!("failed to read back {}", target.display()))?;
    let (md5, sha1, pdq) = set.counts();
    println!(
        "imported {} from {} ({}): {md5} MD5, {sha1} SHA-1, {pdq} PDQ, distance {}, sha256 {checksum}",
        args.name,
        args.file.display(),
        set.header.format,
        args.distance
    );
    Ok(())
}

/// Reads a VICS, CSV or plain-list file into a set (not saved).
pub fn read_set(
    file: &Path,
    name: &str,
    distance: u32,
    kind: Option<HashKind>,
    map: &CategoryMap,
) -> anyhow::Result<KnownSet> {
    let input =
        File::open(file).with_context(|| format!("failed to open hash set {}", file.display()))?;
    let mut builder = Builder::new(name, &file.display().to_string(), "", distance);
    let mut first_error: Option<String> = None;
    let mut index = 0u64;
    let (format, _) = hashsets::read_any(input, kind, |e| {
        index += 1;
        let raw = e.category.map(|c| match c {
            RawCategory::Number(n) => SourceCategory::Number(n),
            RawCategory::Label(l) => SourceCategory::Label(l),
        });
        let category = match map.map(raw.as_ref()) {
            Ok(c) => c,
            Err(err) => {
                first_error
                    .get_or_insert_with(|| format!("entry {index}: {err}; give a --category-map"));
                Category::Uncategorised
            }
        };
        builder.add(
            e.md5,
            e.sha1,
            e.pdq.map(|b| PdqHash::from_bytes(&b)),
            category,
        );
    })
    .with_context(|| format!("failed to read hash set {}", file.display()))?;
    if let Some(e) = first_error {
        bail!("failed to read hash set {}: {e}", file.display());
    }
    let mut set = builder.finish();
    set.header.format = match format {
        SetFormat::Vics(VicsVersion::V1_3) => "VICS 1.3",
        SetFormat::Vics(VicsVersion::V2_0) => "VICS 2.0",
        SetFormat::Vics(VicsVersion::Unknown) => "VICS",
        SetFormat::List => "list",
    }
    .into();
    Ok(set)
}

fn exec_list(data_dir: &Path) -> anyhow::Result<()> {
    let dir = sets_dir(data_dir);
    let mut names: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_none_or(|x| x != "partial"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("failed to list {}", dir.display())),
    };
    names.sort();
    if names.is_empty() {
        println!("no hash sets in {}", dir.display());
        return Ok(());
    }
    println!(
        "{:<20} {:>10} {:>10} {:>10} {:>8}  {:<9} {:<64}  source",
        "name", "md5", "sha1", "pdq", "distance", "format", "sha256"
    );
    for path in names {
        match KnownSet::describe(&path) {
            Ok((h, checksum)) => println!(
                "{:<20} {:>10} {:>10} {:>10} {:>8}  {:<9} {checksum}  {}",
                h.name, h.md5, h.sha1, h.pdq, h.distance, h.format, h.source
            ),
            Err(e) => println!(
                "{:<20} (unreadable: {e})",
                path.file_name().unwrap_or_default().to_string_lossy()
            ),
        }
    }
    Ok(())
}
