//! CSV and plain lists of hashes. A plain list has one hash a line (anything after the first space or comma
//! on a line is taken as its category when it is the second CSV column, and ignored otherwise, so `md5sum`
//! output reads too). A CSV file with a header row names its columns: `md5`, `sha1`, `sha256`, `pdq`, `hash`,
//! `category`. A bare hash's kind comes from its length (32 hex MD5, 40 SHA-1, 64 PDQ) unless the caller says
//! (a list of SHA-256 values says so, since they are as long as PDQ hashes).

use std::io::Read;

use super::HashSetError;
use super::entry::{HashEntry, HashKind, RawCategory};

/// Column roles found in a header row.
#[derive(Default)]
struct Columns {
    md5: Option<usize>,
    sha1: Option<usize>,
    sha256: Option<usize>,
    pdq: Option<usize>,
    hash: Option<usize>,
    category: Option<usize>,
}

impl Columns {
    /// The roles of a header row, or `None` when the row is not a header.
    fn from_header(record: &csv::StringRecord) -> Option<Columns> {
        let mut c = Columns::default();
        for (i, name) in record.iter().enumerate() {
            let n = name
                .trim()
                .to_ascii_lowercase()
                .replace(['-', '_', ' '], "");
            match n.as_str() {
                "md5" => c.md5 = Some(i),
                "sha1" => c.sha1 = Some(i),
                "sha256" | "sha2256" => c.sha256 = Some(i),
                "pdq" => c.pdq = Some(i),
                "hash" | "hashvalue" | "value" => c.hash = Some(i),
                "category" | "cat" => c.category = Some(i),
                _ => {}
            }
        }
        let any = c.md5.is_some()
            || c.sha1.is_some()
            || c.sha256.is_some()
            || c.pdq.is_some()
            || c.hash.is_some();
        any.then_some(c)
    }
}

/// Reads a CSV or plain list, handing each hash line to `on_entry`; returns how many were handed over.
pub fn read_list<R: Read>(
    reader: R,
    kind: Option<HashKind>,
    mut on_entry: impl FnMut(HashEntry),
) -> Result<u64, HashSetError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(reader);
    let mut record = csv::StringRecord::new();
    let mut columns: Option<Columns> = None;
    let mut first = true;
    let mut count = 0;
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(match e.into_kind() {
                    csv::ErrorKind::Io(io) => HashSetError::Io(io),
                    csv::ErrorKind::Utf8 { .. } => HashSetError::Invalid {
                        line,
                        message: "the text is not valid UTF-8".into(),
                    },
                    other => HashSetError::Invalid {
                        line,
                        message: format!("{other:?}"),
                    },
                });
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        if first {
            first = false;
            if let Some(c) = Columns::from_header(&record) {
                columns = Some(c);
                continue;
            }
        }
        let entry = match &columns {
            Some(c) => with_header(&record, c, kind, line)?,
            None => bare(&record, kind, line)?,
        };
        if let Some(entry) = entry {
            count += 1;
            on_entry(entry);
        }
    }
    Ok(count)
}

/// A header-less line: the hash first, then optionally a category.
fn bare(
    record: &csv::StringRecord,
    kind: Option<HashKind>,
    line: u64,
) -> Result<Option<HashEntry>, HashSetError> {
    let Some(first) = record.get(0) else {
        return Ok(None);
    };
    let hash = first.split_whitespace().next().unwrap_or("");
    if hash.is_empty() {
        return Ok(None);
    }
    let mut entry = HashEntry::default();
    set_hash(&mut entry, hash, kind, line, "the first column")?;
    entry.category = record.get(1).and_then(RawCategory::parse);
    Ok(Some(entry))
}

/// A line of a CSV file with a header.
fn with_header(
    record: &csv::StringRecord,
    c: &Columns,
    kind: Option<HashKind>,
    line: u64,
) -> Result<Option<HashEntry>, HashSetError> {
    let field = |i: Option<usize>| i.and_then(|i| record.get(i)).filter(|v| !v.is_empty());
    let mut entry = HashEntry::default();
    for (col, k, name) in [
        (c.md5, HashKind::Md5, "md5"),
        (c.sha1, HashKind::Sha1, "sha1"),
        (c.sha256, HashKind::Sha256, "sha256"),
        (c.pdq, HashKind::Pdq, "pdq"),
    ] {
        if let Some(v) = field(col) {
            set_hash(&mut entry, v, Some(k), line, name)?;
        }
    }
    if let Some(v) = field(c.hash) {
        set_hash(&mut entry, v, kind, line, "hash")?;
    }
    entry.category = field(c.category).and_then(RawCategory::parse);
    Ok(entry.has_hash().then_some(entry))
}

/// Sets one hash from text, with an error naming the line and column when it is not one.
fn set_hash(
    entry: &mut HashEntry,
    text: &str,
    kind: Option<HashKind>,
    line: u64,
    column: &str,
) -> Result<(), HashSetError> {
    let shown: String = text.chars().take(70).collect();
    let kind = kind.or_else(|| HashKind::from_len(text.len())).ok_or_else(|| HashSetError::Invalid {
        line,
        message: format!("{column}: {shown:?} is not an MD5, SHA-1 or PDQ hash (32, 40 or 64 hexadecimal characters)"),
    })?;
    if entry.set(kind, text) {
        Ok(())
    } else {
        Err(HashSetError::Invalid {
            line,
            message: format!(
                "{column}: {shown:?} is not a {} hash ({} hexadecimal characters)",
                kind.name(),
                kind.hex_len()
            ),
        })
    }
}
