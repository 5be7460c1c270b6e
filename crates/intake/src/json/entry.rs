//! One element of a package's `reports` array, as read from the stream, and its conversion to a [`Report`]:
//! the embedded CyberTipline XML goes through the XML reader, the JSON form through the same mapping after
//! [`element`] turns it into an element tree (keys are element names; arrays repeat an element; `@name`
//! keys are attributes and `#text` the text beside them).

use crate::error::{IntakeError, Warning};
use crate::limits::{MAX_DEPTH, MAX_ELEMENTS, MAX_REPORT_BYTES, MAX_TEXT_BYTES};
use crate::model::{Original, OriginalFormat, Report};
use crate::tree::{Loc, Node};
use serde_json::Value;
use serde_json::value::RawValue;

/// The fields of one `reports[i]` object, not yet checked.
#[derive(Default)]
pub(crate) struct Entry {
    pub index: usize,
    pub report_id: Option<Value>,
    pub cybertip_xml: Option<Value>,
    pub report: Option<Box<RawValue>>,
    pub narrative: Option<Value>,
    pub unknown: Vec<String>,
}

/// Check and convert one entry.
pub(crate) fn report_of(entry: Entry) -> Result<Report, IntakeError> {
    let at = format!("reports[{}]", entry.index);
    let report_id = text(entry.report_id, &at, "report_id")?
        .ok_or_else(|| IntakeError::new(format!("{at}.report_id"), "is required"))?;
    let narrative = text(entry.narrative, &at, "narrative")?;
    let mut report = match (entry.cybertip_xml, entry.report) {
        (Some(Value::String(xml)), None) => {
            crate::cybertip::parse_report_xml(xml.as_bytes(), report_id, narrative)
                .map_err(|e| e.within(&format!("{at}.cybertip_xml")))?
        }
        (Some(_), None) => {
            return Err(IntakeError::new(
                format!("{at}.cybertip_xml"),
                "must be a string of XML",
            ));
        }
        (None, Some(raw)) => {
            let body = raw.get();
            if body.len() > MAX_REPORT_BYTES {
                let msg = format!(
                    "the report is over the limit of {} MiB",
                    MAX_REPORT_BYTES >> 20
                );
                return Err(IntakeError::new(format!("{at}.report"), msg));
            }
            let value: Value = serde_json::from_str(body)
                .map_err(|e| IntakeError::new(format!("{at}.report"), e.to_string()))?;
            let root = element(&value, format!("{at}.report"))?;
            let original = Original::new(OriginalFormat::Json, body.to_string());
            crate::map::report(&root, report_id, original, narrative)?
        }
        (Some(_), Some(_)) => {
            return Err(IntakeError::new(
                &at,
                "a report has cybertip_xml or report, not both",
            ));
        }
        (None, None) => {
            return Err(IntakeError::new(
                &at,
                "a report needs cybertip_xml or report",
            ));
        }
    };
    for k in entry.unknown {
        report.warnings.push(Warning {
            path: format!("{at}.{k}"),
            message: "unknown field: not read".into(),
        });
    }
    Ok(report)
}

/// An optional string field of the entry (blank is `None`).
fn text(v: Option<Value>, at: &str, key: &str) -> Result<Option<String>, IntakeError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        Some(_) => Err(IntakeError::new(format!("{at}.{key}"), "must be a string")),
    }
}

/// The element tree of a report's JSON form, rooted at an element called `report`.
pub(crate) fn element(value: &Value, path: String) -> Result<Node, IntakeError> {
    if !value.is_object() {
        return Err(IntakeError::new(path, "the report must be a JSON object"));
    }
    let mut count = 0;
    build("report", value, path, 1, &mut count)
}

fn build(
    name: &str,
    v: &Value,
    path: String,
    depth: usize,
    count: &mut usize,
) -> Result<Node, IntakeError> {
    let loc = Loc {
        path,
        line_col: None,
    };
    *count += 1;
    if *count > MAX_ELEMENTS {
        return Err(loc.err(format!("the report has more than {MAX_ELEMENTS} elements")));
    }
    if depth > MAX_DEPTH {
        return Err(loc.err(format!("elements are nested more than {MAX_DEPTH} deep")));
    }
    let mut node = Node {
        name: name.to_string(),
        ..Node::default()
    };
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let at = format!("{}.{k}", loc.path);
                if let Some(attr) = k.strip_prefix('@') {
                    node.attrs.push((attr.to_string(), scalar(v, &at)?));
                } else if k == "#text" {
                    node.text = scalar(v, &at)?;
                } else if let Value::Array(items) = v {
                    for (i, item) in items.iter().enumerate() {
                        let at = format!("{at}[{i}]");
                        if item.is_array() {
                            return Err(IntakeError::new(at, "an array may not hold arrays"));
                        }
                        node.children.push(build(k, item, at, depth + 1, count)?);
                    }
                } else {
                    node.children.push(build(k, v, at, depth + 1, count)?);
                }
            }
        }
        Value::Array(_) => return Err(loc.err("an array may not hold arrays")),
        other => node.text = scalar(other, &loc.path)?,
    }
    node.loc = loc;
    Ok(node)
}

/// Text of a string, number, boolean or null (empty).
fn scalar(v: &Value, at: &str) -> Result<String, IntakeError> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        _ => return Err(IntakeError::new(at, "must be text, a number or true/false")),
    };
    if s.len() > MAX_TEXT_BYTES {
        return Err(IntakeError::new(
            at,
            format!("the text is longer than {} KiB", MAX_TEXT_BYTES >> 10),
        ));
    }
    Ok(s)
}
