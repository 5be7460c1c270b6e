//! Reads one CyberTipline `<report>` document into a [`Node`] tree with quick-xml's streaming reader,
//! refusing what could hurt: any DOCTYPE (so no DTD, no entity declarations, no external entities, no
//! expansion bombs), entities other than the five predefined ones and numeric references, and documents
//! past the limits in [`crate::limits`]. It also finds the exact bytes of the `<report>` element.

use crate::error::IntakeError;
use crate::limits::{MAX_ATTRIBUTES, MAX_DEPTH, MAX_ELEMENTS, MAX_REPORT_BYTES, MAX_TEXT_BYTES};
use crate::tree::{LineCounter, Loc, Node};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// The tree of a report and the byte range of its `<report>` element in the (BOM-less) text.
pub(crate) struct ReadXml<'a> {
    /// The `report` element.
    pub root: Node,
    /// Its exact text, start tag to end tag.
    pub original: &'a str,
}

struct Frame {
    node: Node,
    seen: Vec<(String, u32)>,
}

struct State<'a> {
    lines: LineCounter<'a>,
    stack: Vec<Frame>,
    root: Option<Node>,
    start: usize,
    end: usize,
    elements: usize,
}

/// Read `text` (one XML document whose root is `report`, already decoded by `encoding::decode_xml`).
pub(crate) fn read(text: &str) -> Result<ReadXml<'_>, IntakeError> {
    let bytes = text.as_bytes();
    if bytes.len() > MAX_REPORT_BYTES {
        return Err(IntakeError::new(
            "report",
            format!(
                "the report is {} bytes, over the limit of {} MiB",
                bytes.len(),
                MAX_REPORT_BYTES >> 20
            ),
        ));
    }
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_comments = true;
    let mut st = State {
        lines: LineCounter::new(text),
        stack: vec![],
        root: None,
        start: 0,
        end: 0,
        elements: 0,
    };
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position() as usize;
                return Err(st.error_at(at, format!("malformed XML: {e}")));
            }
        };
        match event {
            // The declared encoding was read, and the text decoded, before (`encoding::decode_xml`).
            Event::Decl(_) => {}
            Event::DocType(_) => {
                return Err(st.error_at(before, "a DOCTYPE is not accepted: no DTD, entity declaration or external entity may appear in a report"));
            }
            Event::Start(e) => st.open(&e, before)?,
            Event::Empty(e) => {
                st.open(&e, before)?;
                st.close(reader.buffer_position() as usize);
            }
            Event::End(_) => st.close(reader.buffer_position() as usize),
            Event::Text(t) => st.text(&t.xml_content(XmlVersion::Implicit1_0), before)?,
            Event::CData(c) => st.text(&c.xml_content(XmlVersion::Implicit1_0), before)?,
            Event::GeneralRef(r) => {
                let ch = resolve(&r).ok_or_else(|| {
                    st.error_at(before, format!("the entity &{}; is not accepted: only &lt; &gt; &amp; &apos; &quot; and numeric references are", &*r))
                })?;
                st.text(ch.encode_utf8(&mut [0; 4]), before)?;
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = st.stack.last() {
        return Err(open
            .node
            .loc
            .err("the document ends before this element is closed"));
    }
    let root = st
        .root
        .ok_or_else(|| IntakeError::new("report", "the document has no <report> element"))?;
    Ok(ReadXml {
        root,
        original: &text[st.start..st.end],
    })
}

fn resolve(r: &BytesRef<'_>) -> Option<char> {
    if r.is_char_ref() {
        return r.resolve_char_ref().ok().flatten();
    }
    match &**r {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

impl State<'_> {
    fn error_at(&mut self, offset: usize, message: impl Into<String>) -> IntakeError {
        let path = match self.stack.last() {
            Some(f) => f.node.loc.path.clone(),
            None => "(document)".to_string(),
        };
        let line_col = Some(self.lines.at(offset));
        Loc { path, line_col }.err(message)
    }

    fn open(&mut self, e: &BytesStart<'_>, offset: usize) -> Result<(), IntakeError> {
        let name = e.name().as_ref().to_string();
        let path = match self.stack.last_mut() {
            None if self.root.is_some() => {
                return Err(self.error_at(
                    offset,
                    format!("a second top-level element <{name}> follows the report"),
                ));
            }
            None if name != "report" && name != "fileDetails" => {
                return Err(self.error_at(
                    offset,
                    format!(
                        "the top-level element must be <report> (or a separate <fileDetails>), not <{name}>"
                    ),
                ));
            }
            None => {
                self.start = offset;
                name.clone()
            }
            Some(parent) => {
                let n = match parent.seen.iter_mut().find(|(k, _)| *k == name) {
                    Some((_, n)) => {
                        *n += 1;
                        *n
                    }
                    None => {
                        parent.seen.push((name.clone(), 1));
                        1
                    }
                };
                let p = &parent.node.loc.path;
                if n > 1 {
                    format!("{p}/{name}[{n}]")
                } else {
                    format!("{p}/{name}")
                }
            }
        };
        let loc = Loc {
            path,
            line_col: Some(self.lines.at(offset)),
        };
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            return Err(loc.err(format!("the report has more than {MAX_ELEMENTS} elements")));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(loc.err(format!("elements are nested more than {MAX_DEPTH} deep")));
        }
        let mut attrs = vec![];
        for a in e.attributes() {
            let a = a.map_err(|err| loc.err(format!("malformed attribute: {err}")))?;
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|err| loc.err(format!("attribute {}: {err}", a.key.as_ref())))?;
            if value.len() > MAX_TEXT_BYTES || attrs.len() >= MAX_ATTRIBUTES {
                return Err(loc.err("an attribute is over the size or count limit"));
            }
            attrs.push((a.key.as_ref().to_string(), value.into_owned()));
        }
        let node = Node {
            name,
            attrs,
            text: String::new(),
            children: vec![],
            loc,
        };
        self.stack.push(Frame { node, seen: vec![] });
        Ok(())
    }

    fn close(&mut self, end: usize) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match self.stack.last_mut() {
            Some(parent) => parent.node.children.push(frame.node),
            None => {
                self.end = end;
                self.root = Some(frame.node);
            }
        }
    }

    fn text(&mut self, text: &str, offset: usize) -> Result<(), IntakeError> {
        match self.stack.last_mut() {
            Some(f) => {
                if f.node.text.len() + text.len() > MAX_TEXT_BYTES {
                    let msg = format!("the text is longer than {} KiB", MAX_TEXT_BYTES >> 10);
                    return Err(self.error_at(offset, msg));
                }
                f.node.text.push_str(text);
                Ok(())
            }
            None if text.trim().is_empty() => Ok(()),
            None => Err(self.error_at(offset, "text outside the <report> element")),
        }
    }
}
