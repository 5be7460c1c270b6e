//! Writing the laid-out pages as a PDF 1.7 file: the catalog (tagged, British English, its title shown), the
//! pages with their content streams (each text in marked content with its MCID; rules and page numbers as
//! artifacts), the two standard fonts, the structure tree with its parent tree, and the cross-reference table.

use crate::Doc;
use crate::fonts::byte;
use crate::layout::{Item, Kid, Laid, PAGE_H, PAGE_W};
use std::fmt::Write as _;

/// A PDF string of WinAnsi bytes, escaped.
pub(crate) fn literal(text: &str) -> Vec<u8> {
    let mut out = vec![b'('];
    for c in text.chars() {
        let b = byte(c);
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
    out
}

/// A text string for the document's information (UTF-16BE with its byte order mark, in hex).
fn text_string(text: &str) -> String {
    let mut s = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(s, "{unit:04X}");
    }
    s.push('>');
    s
}

fn content(items: &[Item], owners: &[usize], laid: &Laid, page: usize, pages: usize) -> Vec<u8> {
    let mut out: Vec<u8> = vec![];
    let mut open: Option<usize> = None;
    let close = |out: &mut Vec<u8>, open: &mut Option<usize>| {
        if open.take().is_some() {
            out.extend_from_slice(b"EMC\n");
        }
    };
    for item in items {
        match item {
            Item::Text {
                x,
                y,
                size,
                bold,
                text,
                mcid,
            } => {
                if open != Some(*mcid) {
                    close(&mut out, &mut open);
                    let tag = laid.elems[owners[*mcid]].tag;
                    out.extend_from_slice(format!("/{tag} <</MCID {mcid}>> BDC\n").as_bytes());
                    open = Some(*mcid);
                }
                let font = if *bold { "F2" } else { "F1" };
                out.extend_from_slice(
                    format!("BT /{font} {size:.1} Tf {x:.2} {y:.2} Td ").as_bytes(),
                );
                out.extend_from_slice(&literal(text));
                out.extend_from_slice(b" Tj ET\n");
            }
            Item::Figure { mcid, ops } => {
                close(&mut out, &mut open);
                out.extend_from_slice(format!("/Figure <</MCID {mcid}>> BDC q\n").as_bytes());
                out.extend_from_slice(ops);
                out.extend_from_slice(b"Q EMC\n");
            }
            Item::Rule { x1, x2, y } => {
                close(&mut out, &mut open);
                out.extend_from_slice(
                    format!("/Artifact BMC 0.4 w 0.6 G {x1:.2} {y:.2} m {x2:.2} {y:.2} l S EMC\n")
                        .as_bytes(),
                );
            }
        }
    }
    close(&mut out, &mut open);
    let footer = format!("Page {} of {pages}", page + 1);
    out.extend_from_slice(
        format!(
            "/Artifact BMC BT /F1 8 Tf {:.2} 36 Td ",
            PAGE_W / 2.0 - 20.0
        )
        .as_bytes(),
    );
    out.extend_from_slice(&literal(&footer));
    out.extend_from_slice(b" Tj ET EMC\n");
    out
}

/// The file.
pub(crate) fn write(doc: &Doc, laid: &Laid) -> Vec<u8> {
    // Object numbers: 1 catalog, 2 pages, 3 and 4 fonts, 5 structure tree root, 6 information; then a page and
    // its content per page; then the structure elements.
    let pages = laid.pages.len();
    let page_obj = |p: usize| 7 + 2 * p;
    let elem_obj = |e: usize| 7 + 2 * pages + e;
    let mut objects: Vec<Vec<u8>> = vec![];
    let kids: Vec<String> = (0..pages).map(|p| format!("{} 0 R", page_obj(p))).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 5 0 R /MarkInfo << /Marked true >> /Lang (en-GB) /ViewerPreferences << /DisplayDocTitle true >> >>".to_vec());
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        )
        .into_bytes(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    let mut nums = String::new();
    for (p, owners) in laid.owners.iter().enumerate() {
        let refs: Vec<String> = owners
            .iter()
            .map(|e| format!("{} 0 R", elem_obj(*e)))
            .collect();
        let _ = write!(nums, "{p} [{}] ", refs.join(" "));
    }
    objects.push(format!("<< /Type /StructTreeRoot /K [{} 0 R] /ParentTree << /Nums [{nums}] >> /ParentTreeNextKey {pages} >>", elem_obj(0)).into_bytes());
    objects.push(
        format!(
            "<< /Title {} /Producer (Safeguard) >>",
            text_string(&doc.title)
        )
        .into_bytes(),
    );
    for (p, items) in laid.pages.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R /StructParents {p} /Tabs /S >>",
            page_obj(p) + 1
        ).into_bytes());
        let stream = content(items, &laid.owners[p], laid, p, pages);
        let mut obj = format!("<< /Length {} >>\nstream\n", stream.len()).into_bytes();
        obj.extend_from_slice(&stream);
        obj.extend_from_slice(b"\nendstream");
        objects.push(obj);
    }
    for (i, e) in laid.elems.iter().enumerate() {
        let parent = if i == 0 {
            "5 0 R".to_string()
        } else {
            format!("{} 0 R", elem_obj(e.parent))
        };
        let kids: Vec<String> = e
            .kids
            .iter()
            .map(|k| match k {
                Kid::Elem(c) => format!("{} 0 R", elem_obj(*c)),
                Kid::Mc { page, mcid } => {
                    format!("<< /Type /MCR /Pg {} 0 R /MCID {mcid} >>", page_obj(*page))
                }
            })
            .collect();
        let attrs = match &e.figure {
            Some((alt, [x1, y1, x2, y2])) => format!(
                " /Alt {} /A << /O /Layout /BBox [{x1:.2} {y1:.2} {x2:.2} {y2:.2}] /Placement /Block >>",
                text_string(alt)
            ),
            None if e.tag == "TH" => " /A << /O /Table /Scope /Column >>".to_string(),
            None => String::new(),
        };
        objects.push(
            format!(
                "<< /Type /StructElem /S /{} /P {parent} /K [{}]{attrs} >>",
                e.tag,
                kids.join(" ")
            )
            .into_bytes(),
        );
    }
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = vec![];
    for (n, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", n + 1).as_bytes());
        out.extend_from_slice(obj);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use crate::{Block, Doc, render};

    fn sample() -> Vec<u8> {
        render(&Doc {
            title: "Board pack – 5 December".into(),
            blocks: vec![
                Block::H1("Board pack (draft)".into()),
                Block::P("A paragraph with “quotes” and a backslash \\ in it.".into()),
                Block::List(vec!["First".into(), "Second".into()]),
                Block::Table {
                    header: vec!["BCU".into(), "Done".into()],
                    rows: vec![vec!["CN".into(), "10 of 10".into()]],
                },
            ],
        })
    }

    #[test]
    fn the_file_is_a_tagged_pdf_whose_cross_references_point_at_its_objects() {
        let pdf = sample();
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.7"));
        assert!(text.contains("/MarkInfo << /Marked true >>") && text.contains("/Lang (en-GB)"));
        for tag in [
            "/S /H1",
            "/S /P",
            "/S /L",
            "/S /LI",
            "/S /Table",
            "/S /TR",
            "/S /TH",
            "/S /TD",
        ] {
            assert!(text.contains(tag), "{tag}");
        }
        // Parentheses and backslashes are escaped inside strings.
        assert!(text.contains("(Board pack \\(draft\\))"));
        assert!(text.contains("backslash \\\\ in"));
        // Every offset in the table starts its object (read on the bytes: the file is not UTF-8).
        let tail = pdf.windows(10).rposition(|w| w == b"startxref\n").unwrap() + 10;
        let start: usize = std::str::from_utf8(&pdf[tail..])
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let table = std::str::from_utf8(&pdf[start..]).unwrap();
        assert!(table.starts_with("xref\n0 "), "{table}");
        let entries: Vec<&str> = table
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .collect();
        assert!(entries.len() > 10, "{} entries", entries.len());
        for (n, line) in entries.iter().enumerate() {
            let at: usize = line[..10].parse().unwrap();
            assert!(
                pdf[at..].starts_with(format!("{} 0 obj", n + 1).as_bytes()),
                "object {}",
                n + 1
            );
        }
    }
}
