//! Laying the blocks out on A4 pages: words wrapped to the measure by the fonts' widths, a table's rows kept
//! whole on a page with its columns sized to their contents, and each piece of text given to the structure
//! element it belongs to.

use crate::fonts::width;
use crate::{Block, Doc};

pub(crate) const PAGE_W: f64 = 595.28;
pub(crate) const PAGE_H: f64 = 841.89;
const MARGIN: f64 = 56.0;
const BOTTOM: f64 = 64.0;
const MEASURE: f64 = PAGE_W - 2.0 * MARGIN;
const PAD: f64 = 4.0;

/// Something drawn on a page.
#[derive(Clone, Debug)]
pub(crate) enum Item {
    /// A line of text, part of marked content `mcid`.
    Text {
        x: f64,
        y: f64,
        size: f64,
        bold: bool,
        text: String,
        mcid: usize,
    },
    /// A chart's drawing, marked content `mcid` of its figure.
    Figure { mcid: usize, ops: Vec<u8> },
    /// A thin rule (an artifact).
    Rule { x1: f64, x2: f64, y: f64 },
}

/// A structure element.
#[derive(Clone, Debug)]
pub(crate) struct Elem {
    pub tag: &'static str,
    pub parent: usize,
    pub kids: Vec<Kid>,
    /// A figure's alternative text and bounding box.
    pub figure: Option<(String, [f64; 4])>,
}

/// A structure element's child: another element, or marked content on a page.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kid {
    Elem(usize),
    Mc { page: usize, mcid: usize },
}

/// The laid-out document.
pub(crate) struct Laid {
    pub pages: Vec<Vec<Item>>,
    /// Per page, the element each MCID belongs to (the index is the MCID).
    pub owners: Vec<Vec<usize>>,
    pub elems: Vec<Elem>,
}

struct Cursor {
    laid: Laid,
    y: f64,
}

impl Cursor {
    fn page(&self) -> usize {
        self.laid.pages.len() - 1
    }

    fn new_page(&mut self) {
        self.laid.pages.push(vec![]);
        self.laid.owners.push(vec![]);
        self.y = PAGE_H - MARGIN;
    }

    fn ensure(&mut self, height: f64) {
        if self.y - height < BOTTOM && !self.laid.pages[self.page()].is_empty() {
            self.new_page();
        }
    }

    fn elem(&mut self, tag: &'static str, parent: usize) -> usize {
        let id = self.laid.elems.len();
        self.laid.elems.push(Elem {
            tag,
            parent,
            kids: vec![],
            figure: None,
        });
        self.laid.elems[parent].kids.push(Kid::Elem(id));
        id
    }

    fn mcid(&mut self, elem: usize) -> usize {
        let page = self.page();
        let mcid = self.laid.owners[page].len();
        self.laid.owners[page].push(elem);
        self.laid.elems[elem].kids.push(Kid::Mc { page, mcid });
        mcid
    }

    /// Lines of one element, breaking to a new page where needed (a new piece of marked content on each page).
    fn lines(&mut self, elem: usize, lines: &[String], x: f64, size: f64, bold: bool) {
        let leading = size * 1.35;
        let mut current: Option<(usize, usize)> = None;
        for line in lines {
            self.ensure(leading);
            let page = self.page();
            let mcid = match current {
                Some((p, m)) if p == page => m,
                _ => {
                    let m = self.mcid(elem);
                    current = Some((page, m));
                    m
                }
            };
            self.y -= leading;
            self.laid.pages[page].push(Item::Text {
                x,
                y: self.y + size * 0.3,
                size,
                bold,
                text: line.clone(),
                mcid,
            });
        }
    }
}

/// `text` wrapped to `measure` points (its own new lines kept; a word longer than the measure broken).
pub(crate) fn wrap(text: &str, measure: f64, size: f64, bold: bool) -> Vec<String> {
    let mut out = vec![];
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, size, bold) <= measure {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            // A word wider than the measure is broken where it must be.
            let mut piece = String::new();
            for c in word.chars() {
                if width(&format!("{piece}{c}"), size, bold) > measure && !piece.is_empty() {
                    out.push(std::mem::take(&mut piece));
                }
                piece.push(c);
            }
            line = piece;
        }
        out.push(line);
    }
    out
}

/// Lay `doc` out.
pub(crate) fn lay_out(doc: &Doc) -> Laid {
    let mut c = Cursor {
        laid: Laid {
            pages: vec![vec![]],
            owners: vec![vec![]],
            elems: vec![Elem {
                tag: "Document",
                parent: 0,
                kids: vec![],
                figure: None,
            }],
        },
        y: PAGE_H - MARGIN,
    };
    for (n, block) in doc.blocks.iter().enumerate() {
        // What must follow a heading on its page: two lines, or a chart whole (after its paragraph, if one
        // comes between).
        let chart_after = |k: usize| match doc.blocks.get(k) {
            Some(Block::Chart(chart)) => Some(crate::chart::height(chart) + 24.0),
            _ => None,
        };
        let follows = match (
            doc.blocks.get(n + 1),
            chart_after(n + 1),
            chart_after(n + 2),
        ) {
            (_, Some(h), _) => h,
            (Some(Block::P(t)), None, Some(h)) => {
                wrap(t, MEASURE, 10.0, false).len() as f64 * 13.5 + 5.0 + h
            }
            _ => 30.0,
        };
        match block {
            Block::H1(t) | Block::H2(t) | Block::H3(t) => {
                let (tag, size, gap) = match block {
                    Block::H1(_) => ("H1", 18.0, 6.0),
                    Block::H2(_) => ("H2", 14.0, 12.0),
                    _ => ("H3", 11.5, 8.0),
                };
                // Keep a heading with at least two lines of what follows.
                c.ensure(gap + size * 1.35 + follows);
                c.y -= gap;
                let e = c.elem(tag, 0);
                c.lines(e, &wrap(t, MEASURE, size, true), MARGIN, size, true);
                c.y -= 2.0;
            }
            Block::P(t) | Block::Strong(t) => {
                let bold = matches!(block, Block::Strong(_));
                let e = c.elem("P", 0);
                c.lines(e, &wrap(t, MEASURE, 10.0, bold), MARGIN, 10.0, bold);
                c.y -= 5.0;
            }
            Block::List(items) => {
                let l = c.elem("L", 0);
                for item in items {
                    let li = c.elem("LI", l);
                    let body = c.elem("LBody", li);
                    let mut lines = wrap(item, MEASURE - 14.0, 10.0, false);
                    if let Some(first) = lines.first_mut() {
                        *first = format!("\u{2022} {first}");
                    }
                    c.lines(body, &lines, MARGIN + 4.0, 10.0, false);
                    c.y -= 2.0;
                }
                c.y -= 4.0;
            }
            Block::Table { header, rows } => table(&mut c, header, rows),
            Block::Chart(chart) => {
                let h = crate::chart::height(chart);
                c.ensure(h + 8.0 + if chart.title.is_empty() { 0.0 } else { 20.0 });
                if !chart.title.is_empty() {
                    let e = c.elem("P", 0);
                    c.lines(
                        e,
                        &wrap(&chart.title, MEASURE, 10.0, true),
                        MARGIN,
                        10.0,
                        true,
                    );
                }
                c.y -= 4.0;
                let e = c.elem("Figure", 0);
                let mcid = c.mcid(e);
                let top = c.y;
                let ops = crate::chart::draw(chart, MARGIN, top, MEASURE);
                c.laid.elems[e].figure =
                    Some((chart.alt.clone(), [MARGIN, top - h, MARGIN + MEASURE, top]));
                let page = c.page();
                c.laid.pages[page].push(Item::Figure { mcid, ops });
                c.y = top - h - 6.0;
            }
        }
    }
    c.laid
}

fn table(c: &mut Cursor, header: &[String], rows: &[Vec<String>]) {
    let cols = header.len().max(1);
    let size = 8.5;
    // Each column's natural width (its widest word and a share of its longest cell), scaled to the measure.
    let natural: Vec<f64> = (0..cols)
        .map(|i| {
            let cells = std::iter::once(&header[i]).chain(rows.iter().filter_map(|r| r.get(i)));
            cells
                .map(|t| {
                    let words = t
                        .split_whitespace()
                        .map(|w| width(w, size, true))
                        .fold(0.0, f64::max);
                    width(t, size, false).min(160.0).max(words)
                })
                .fold(24.0, f64::max)
                + 2.0 * PAD
        })
        .collect();
    let total: f64 = natural.iter().sum();
    let widths: Vec<f64> = natural.iter().map(|w| w * MEASURE / total).collect();
    let table = c.elem("Table", 0);
    c.y -= 4.0;
    for (n, row) in std::iter::once(header.to_vec())
        .chain(rows.iter().cloned())
        .enumerate()
    {
        let bold = n == 0;
        let wrapped: Vec<Vec<String>> = (0..cols)
            .map(|i| {
                wrap(
                    row.get(i).map(String::as_str).unwrap_or(""),
                    widths[i] - 2.0 * PAD,
                    size,
                    bold,
                )
            })
            .collect();
        let height =
            wrapped.iter().map(Vec::len).max().unwrap_or(1) as f64 * size * 1.35 + 2.0 * PAD;
        c.ensure(height);
        let tr = c.elem("TR", table);
        let top = c.y;
        let mut x = MARGIN;
        for (i, lines) in wrapped.iter().enumerate() {
            let cell = c.elem(if bold { "TH" } else { "TD" }, tr);
            c.y = top - PAD;
            c.lines(cell, lines, x + PAD, size, bold);
            x += widths[i];
        }
        c.y = top - height;
        let page = c.page();
        c.laid.pages[page].push(Item::Rule {
            x1: MARGIN,
            x2: MARGIN + MEASURE,
            y: c.y,
        });
    }
    c.y -= 8.0;
}

/// Lay out and write `doc` as a PDF.
pub fn render(doc: &Doc) -> Vec<u8> {
    crate::write::write(doc, &lay_out(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_to_the_measure_and_keeps_its_own_new_lines() {
        let lines = wrap(
            "one two three four five six seven eight nine ten",
            60.0,
            10.0,
            false,
        );
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 10.0, false) <= 60.0));
        assert_eq!(wrap("a\nb", 100.0, 10.0, false), ["a", "b"]);
        let long = wrap(&"x".repeat(200), 50.0, 10.0, false);
        assert!(long.len() > 1 && long.iter().all(|l| width(l, 10.0, false) <= 50.0));
    }

    #[test]
    fn a_long_table_runs_on_over_pages_with_every_cell_tagged() {
        let doc = Doc {
            title: "T".into(),
            blocks: vec![Block::Table {
                header: vec!["A".into(), "B".into()],
                rows: (0..200)
                    .map(|n| vec![format!("row {n}"), "cell".into()])
                    .collect(),
            }],
        };
        let laid = lay_out(&doc);
        assert!(laid.pages.len() > 2);
        let cells = laid
            .elems
            .iter()
            .filter(|e| e.tag == "TD" || e.tag == "TH")
            .count();
        assert_eq!(cells, 2 * 201);
        assert!(
            laid.elems
                .iter()
                .filter(|e| e.tag == "TD")
                .all(|e| e.kids.iter().any(|k| matches!(k, Kid::Mc { .. })))
        );
    }
}
