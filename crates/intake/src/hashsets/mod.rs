//! Hash-set readers: Project VIC / VICS JSON (1.3 hash sets and 2.0 case exports) and CSV or plain lists of
//! hashes. Both stream: entries are handed to a callback one by one, so a set of millions of hashes never sits
//! in memory as JSON. They yield plain entries; mapping categories and building an index is the caller's work.

mod entry;
mod list;
mod vics;

pub use entry::{HashEntry, HashKind, PHOTODNA_LEN, RawCategory};
pub use list::read_list;
pub use vics::{VicsVersion, read_vics};

use std::io::{BufRead, BufReader, Read};

/// Why a hash set could not be read: where (line, and column or element) and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum HashSetError {
    /// The input is not what its format requires.
    #[error("line {line}: {message}")]
    Invalid {
        /// 1-based line of the problem.
        line: u64,
        /// What is wrong, naming the element or column.
        message: String,
    },
    /// The input could not be read.
    #[error("read failed: {0}")]
    Io(#[from] std::io::Error),
}

/// The format a hash set file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetFormat {
    /// VICS JSON, with the version its header names (if any).
    Vics(VicsVersion),
    /// CSV or a plain list, one hash a line.
    List,
}

/// Reads a hash set of either format, deciding by its first significant byte (`{` is VICS JSON). A UTF-8
/// byte-order mark is skipped. Returns the format and the number of entries handed to `on_entry`.
pub fn read_any<R: Read>(
    reader: R,
    kind: Option<HashKind>,
    on_entry: impl FnMut(HashEntry),
) -> Result<(SetFormat, u64), HashSetError> {
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    skip_bom(&mut reader)?;
    let first = loop {
        let buf = reader.fill_buf()?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => break Some(buf[i]),
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    if first == Some(b'{') {
        let (version, n) = read_vics(reader, on_entry)?;
        Ok((SetFormat::Vics(version), n))
    } else {
        Ok((SetFormat::List, read_list(reader, kind, on_entry)?))
    }
}

/// Consumes a leading UTF-8 byte-order mark, if there is one.
pub(crate) fn skip_bom<R: BufRead>(reader: &mut R) -> std::io::Result<()> {
    let buf = reader.fill_buf()?;
    if buf.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    Ok(())
}
