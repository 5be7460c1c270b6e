//! The element tree both forms are read into before mapping: an XML element or a JSON value becomes a
//! [`Node`] that knows its path (and, for XML, its line and column), so one mapping serves both forms and
//! names the same problems the same way.

use crate::error::IntakeError;

/// Where a node is: its path, and its line and column when it came from XML.
#[derive(Clone, Debug, Default)]
pub(crate) struct Loc {
    /// `report/personOrUserReported/ipCaptureEvent[2]` or `reports[0].report.personOrUserReported`.
    pub path: String,
    /// 1-based line and column of the start tag.
    pub line_col: Option<(u64, u64)>,
}

impl Loc {
    /// The location text of an error here.
    pub fn describe(&self) -> String {
        match self.line_col {
            Some((l, c)) => format!("{} (line {l}, column {c})", self.path),
            None => self.path.clone(),
        }
    }

    /// The location of a child element `name` (which may be missing: for errors about absent elements).
    pub fn child(&self, name: &str) -> Loc {
        let sep = if self.line_col.is_some() { '/' } else { '.' };
        Loc {
            path: format!("{}{sep}{name}", self.path),
            line_col: self.line_col,
        }
    }

    /// An error here.
    pub fn err(&self, message: impl Into<String>) -> IntakeError {
        IntakeError::new(self.describe(), message)
    }
}

/// One element: name, attributes, text and children in document order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Node {
    /// Element name.
    pub name: String,
    /// Attributes (name, unescaped value) in order.
    pub attrs: Vec<(String, String)>,
    /// The element's own text (entities resolved), untrimmed.
    pub text: String,
    /// Child elements.
    pub children: Vec<Node>,
    /// Where it is.
    pub loc: Loc,
}

impl Node {
    /// The trimmed text, or `None` when blank.
    pub fn value(&self) -> Option<String> {
        let t = self.text.trim();
        (!t.is_empty()).then(|| t.to_string())
    }

    /// An attribute's trimmed value, or `None` when absent or blank.
    pub fn attr(&self, name: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// The path of an attribute of this node.
    pub fn attr_loc(&self, name: &str) -> Loc {
        Loc {
            path: format!("{}/@{name}", self.loc.path),
            line_col: self.loc.line_col,
        }
    }
}

/// Counts lines and columns forwards through a text, so that positions asked for in increasing order cost
/// one pass in all.
pub(crate) struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: u64,
    column: u64,
}

impl<'a> LineCounter<'a> {
    /// Start at the beginning of `text`.
    pub fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// 1-based line and column (in characters) of byte `offset`; restarts if asked to go backwards.
    pub fn at(&mut self, offset: usize) -> (u64, u64) {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            *self = LineCounter::new(self.text);
        }
        let bytes = &self.text.as_bytes()[self.offset..offset];
        for &b in bytes {
            if b == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
        self.offset = offset;
        (self.line, self.column)
    }
}

/// Line and column of byte `offset` in `bytes` (which may not be valid UTF-8).
pub(crate) fn line_col_of(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = before[start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count() as u64
        + 1;
    (line, column)
}
