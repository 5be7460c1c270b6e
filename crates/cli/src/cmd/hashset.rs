//! `safeguard hashset import|list`: turn a VICS JSON (1.3 or 2.0), CSV or plain-list hash set into the compact
//! set file at `<data-dir>/hashsets/NAME`, with its categories mapped, its own PDQ distance and the source
//! file's path and SHA-256, and list the sets held with their counts per category and per hash kind.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use app::hashsets::{self, HashEntry, HashKind, RawCategory, SetFormat, VicsVersion};
use media::digest::Sha256Reader;
use media::hashset::file::{Header, display_order};
use media::hashset::{
    Builder, Category, CategoryMap, DEFAULT_DISTANCE, Details, KnownFile, KnownSet, SourceCategory,
};
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
    /// What a bare hash in a list is, when its length would mislead (64 hex characters are PDQ otherwise, so a
    /// list of SHA-256 values needs `--kind sha256`).
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
    Sha256,
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
        Kind::Sha256 => HashKind::Sha256,
        Kind::Pdq => HashKind::Pdq,
    });
    let (set, notes) = read_set(&args.file, &args.name, args.distance, kind, &map)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("failed to create {}", dir.display()))?;
    set.save(&target)
        .with_context(|| format!("failed to write hash set {}", target.display()))?;
    let (header, checksum) = KnownSet::describe(&target)
        .with_context(|| format!("failed to read back {}", target.display()))?;
    println!(
        "imported {} from {} ({}): {}, distance {}, sha256 {checksum}",
        args.name,
        args.file.display(),
        header.format,
        kind_counts(&header),
        args.distance
    );
    println!("categories: {}", category_counts(&header));
    println!("source: {}", source_line(&header));
    notes.print();
    Ok(())
}

/// What an import noticed that the investigator should know about the set.
#[derive(Debug, Default)]
pub struct ImportNotes {
    /// PhotoDNA hashes read.
    photodna: u64,
    /// Category numbers the category map does not name (all of them when there is no map), with how many
    /// entries had each.
    unmapped: BTreeMap<i64, u64>,
    /// Whether a category map was given.
    map_given: bool,
    /// Whether the set holds a hash a scan can match (anything but PhotoDNA).
    matchable: bool,
}

impl ImportNotes {
    /// Prints the notes and warnings to standard error.
    pub fn print(&self) {
        if self.photodna > 0 {
            let (hashes, they) = match self.photodna {
                1 => ("hash is", "it"),
                _ => ("hashes are", "they"),
            };
            eprintln!(
                "note: {} PhotoDNA {hashes} kept with the set, but Safeguard cannot work out PhotoDNA, so {they} \
                 will never match in a scan; files are matched on the set's MD5, SHA-1, SHA-256 and PDQ hashes",
                self.photodna,
            );
        }
        if !self.matchable {
            eprintln!(
                "warning: the set holds only PhotoDNA hashes, so a scan against it will not match anything"
            );
        }
        if self.unmapped.is_empty() {
            return;
        }
        // "1 entry counts as other(1) and 2 entries as other(2)"
        let counted: Vec<String> = self
            .unmapped
            .iter()
            .enumerate()
            .map(|(i, (n, count))| {
                let (entries, verb) = match (i, *count) {
                    (0, 1) => ("entry", " counts"),
                    (0, _) => ("entries", " count"),
                    (_, 1) => ("entry", ""),
                    _ => ("entries", ""),
                };
                format!("{count} {entries}{verb} as other({n})")
            })
            .collect();
        if self.map_given {
            let numbers: Vec<String> = self.unmapped.keys().map(i64::to_string).collect();
            let categories = if numbers.len() == 1 {
                "category"
            } else {
                "categories"
            };
            eprintln!(
                "warning: the category map does not name {categories} {}, so {}",
                and_list(&numbers),
                and_list(&counted)
            );
        } else {
            eprintln!(
                "warning: the set gives its categories as numbers and no --category-map was given, so {}; \
                 import it again with --category-map (and --replace) to count them as A, B, C, not indecent \
                 or uncategorised",
                and_list(&counted)
            );
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `1 MD5, 0 SHA-1, 2 SHA-256, 0 PDQ, 2 PhotoDNA`.
fn kind_counts(h: &Header) -> String {
    [
        (h.md5, "MD5"),
        (h.sha1, "SHA-1"),
        (h.sha256, "SHA-256"),
        (h.pdq, "PDQ"),
        (h.photodna, "PhotoDNA"),
    ]
    .map(|(n, kind)| format!("{n} {kind}"))
    .join(", ")
}

/// `A 1, B 0, C 0, not indecent 0, uncategorised 2, other(7) 1`: the source's entries per category.
fn category_counts(h: &Header) -> String {
    let Some(counted) = h.entries_by_category() else {
        return "not counted (imported by an earlier version of Safeguard; import it again to count them)".into();
    };
    let mut all: BTreeMap<(u8, i64), (Category, u64)> = [
        Category::A,
        Category::B,
        Category::C,
        Category::NotIndecent,
        Category::Uncategorised,
    ]
    .into_iter()
    .map(|c| (display_order(c), (c, 0)))
    .collect();
    for (c, n) in counted {
        all.insert(display_order(c), (c, n));
    }
    all.values()
        .map(|(c, n)| match c {
            Category::NotIndecent => format!("not indecent {n}"),
            c => format!("{c} {n}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The source file's absolute path and SHA-256, or the path as given for a set imported before they were kept.
fn source_line(h: &Header) -> String {
    match (&h.source_path, &h.source_sha256) {
        (Some(path), Some(sha256)) => format!("{path}, sha256 {sha256}"),
        _ => format!("{} (as given; path and sha256 not recorded)", h.source),
    }
}

/// Reads a VICS, CSV or plain-list file into a set (not saved), with what the investigator should be told
/// about it. A file that holds no hash is refused.
pub fn read_set(
    file: &Path,
    name: &str,
    distance: u32,
    kind: Option<HashKind>,
    map: &CategoryMap,
) -> anyhow::Result<(KnownSet, ImportNotes)> {
    let failed = || format!("failed to read hash set {}", file.display());
    let input = File::open(file).with_context(failed)?;
    let mut input = Sha256Reader::new(input);
    let mut builder = Builder::new(name, &file.display().to_string(), "", distance);
    let mut notes = ImportNotes {
        map_given: !map.is_empty(),
        ..ImportNotes::default()
    };
    let mut first_error: Option<String> = None;
    let mut index = 0u64;
    let (format, _) = hashsets::read_any(&mut input, kind, |e| {
        index += 1;
        match known_file(e, map, &mut notes) {
            Ok(f) => builder.add_file(f),
            Err(err) => {
                first_error
                    .get_or_insert_with(|| format!("entry {index}: {err}; give a --category-map"));
            }
        }
    })
    .with_context(failed)?;
    if let Some(e) = first_error {
        bail!("{}: {e}", failed());
    }
    let source_sha256 = input.finish().with_context(failed)?;
    let mut set = builder.finish();
    if set.is_empty() {
        bail!("{}: it holds no hashes, so nothing was imported", failed());
    }
    let counts = set.counts();
    notes.matchable = counts.md5 + counts.sha1 + counts.sha256 + counts.pdq > 0;
    set.header.format = match format {
        SetFormat::Vics(VicsVersion::V1_3) => "VICS 1.3",
        SetFormat::Vics(VicsVersion::V2_0) => "VICS 2.0",
        SetFormat::Vics(VicsVersion::Unknown) => "VICS",
        SetFormat::List => "list",
    }
    .into();
    let absolute = std::fs::canonicalize(file).or_else(|_| std::path::absolute(file));
    set.header.source_path = absolute.ok().map(|p| p.display().to_string());
    set.header.source_sha256 = Some(source_sha256);
    Ok((set, notes))
}

/// One source entry as the set builder takes it, its category mapped (noting numbers the map does not name).
fn known_file(
    e: HashEntry,
    map: &CategoryMap,
    notes: &mut ImportNotes,
) -> Result<KnownFile, media::hashset::ParseCategoryError> {
    let raw = e.category.map(|c| match c {
        RawCategory::Number(n) => SourceCategory::Number(n),
        RawCategory::Label(l) => SourceCategory::Label(l),
    });
    let category = map.map(raw.as_ref())?;
    if let Some(SourceCategory::Number(n)) = &raw
        && !map.names(raw.as_ref().expect("a number"))
    {
        *notes.unmapped.entry(*n).or_default() += 1;
    }
    notes.photodna += u64::from(e.photodna.is_some());
    Ok(KnownFile {
        md5: e.md5,
        sha1: e.sha1,
        sha256: e.sha256,
        pdq: e.pdq.map(|b| PdqHash::from_bytes(&b)),
        photodna: e.photodna,
        category,
        details: Details {
            victim_identified: e.victim_identified,
            series: e.series,
            is_distributed: e.is_distributed,
        },
    })
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
    for (i, path) in names.iter().enumerate() {
        if i > 0 {
            println!();
        }
        let file_name = path.file_name().unwrap_or_default().to_string_lossy();
        match KnownSet::describe(path) {
            Ok((h, checksum)) => {
                let imported = jiff::Timestamp::from_second(h.imported_at as i64)
                    .map(domain::time::display)
                    .unwrap_or_default();
                println!("{}", h.name);
                println!(
                    "  format      {}, PDQ distance {}, imported {imported}",
                    h.format, h.distance
                );
                println!("  hashes      {}", kind_counts(&h));
                println!("  categories  {}", category_counts(&h));
                println!("  checksum    sha256 {checksum}");
                println!("  source      {}", source_line(&h));
            }
            Err(e) => println!("{file_name} (unreadable: {e})"),
        }
    }
    Ok(())
}
