//! Tagged PDF documents of headings, paragraphs, lists and tables, for the printed section 55 responses and
//! board packs. Written by hand rather than with a typesetting library: the documents are plain text in
//! tables, the standard Helvetica fonts need no embedding (nothing is downloaded or bundled), and the whole
//! writer is a few hundred lines with no dependencies. Every piece of text is marked content tied to a
//! structure element (H1–H3, P, L/LI, Table/TR/TH/TD, Figure with its alternative text) in the document's structure tree, the catalog says the
//! document is tagged and in British English, and page numbers are artifacts, so a screen reader reads the
//! document in order and a table as a table.

mod chart;
mod fonts;
mod layout;
mod write;

pub use chart::scale;
pub use layout::render;

/// A block of a document.
#[derive(Clone, Debug, PartialEq)]
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
    /// A chart: a figure with its alternative text (give the same figures in a table beside it).
    Chart(Chart),
    /// A table: a header row and rows of cells (each row as long as the header).
    Table {
        /// Column headings.
        header: Vec<String>,
        /// The rows.
        rows: Vec<Vec<String>>,
    },
}

/// A document.
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    /// Its title (shown by readers in the window's title).
    pub title: String,
    /// Its blocks, in reading order.
    pub blocks: Vec<Block>,
}

/// How a chart draws its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// A bar for each label, from the first series (counts, on a scale from 0).
    Bars,
    /// A line for each series across the labels, with markers (shares, on a scale from 0% to 100%).
    Lines,
}

/// A series of values, one per label: a number, or the reason there is none (`[c]`, `[low]`, `[x]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Its name, shown in the key of a line chart.
    pub name: String,
    /// Its values.
    pub values: Vec<Result<f64, String>>,
}

/// A chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// Its title, printed in bold above it (kept on the same page); empty for none.
    pub title: String,
    /// What it shows, in words, for a reader who cannot see it.
    pub alt: String,
    /// Bars or lines.
    pub style: Style,
    /// The labels along the bottom.
    pub labels: Vec<String>,
    /// The series.
    pub series: Vec<Series>,
}
