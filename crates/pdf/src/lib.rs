//! Tagged PDF documents of headings, paragraphs, lists and tables, for the printed section 55 responses and
//! board packs. Written by hand rather than with a typesetting library: the documents are plain text in
//! tables, the standard Helvetica fonts need no embedding (nothing is downloaded or bundled), and the whole
//! writer is a few hundred lines with no dependencies. Every piece of text is marked content tied to a
//! structure element (H1–H3, P, L/LI, Table/TR/TH/TD) in the document's structure tree, the catalog says the
//! document is tagged and in British English, and page numbers are artifacts, so a screen reader reads the
//! document in order and a table as a table.

mod fonts;
mod layout;
mod write;

pub use layout::render;

/// A block of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// The title heading.
    H1(String),
    /// A section heading.
    H2(String),
    /// A sub-section heading.
    H3(String),
    /// A paragraph.
    P(String),
    /// A paragraph in bold.
    Strong(String),
    /// A bulleted list.
    List(Vec<String>),
    /// A table: a header row and rows of cells (each row as long as the header).
    Table {
        /// Column headings.
        header: Vec<String>,
        /// The rows.
        rows: Vec<Vec<String>>,
    },
}

/// A document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    /// Its title (shown by readers in the window's title).
    pub title: String,
    /// Its blocks, in reading order.
    pub blocks: Vec<Block>,
}
