//! The VICS 2.0 case export of a scan's results, for upload to the national image database or Project VIC:
//! every image and every matched file, with its hashes, size, relative path and the category of its best
//! match. Safeguard's categories have no public UK numbering, so the number is only written for `other(n)`
//! (the source's own number); A, B and C travel as tags (`Safeguard:A`). What the matching sets say about the
//! known image (`VictimIdentified`, `Series`, `IsDistributed`) travels with it, and SHA-256 and PDQ as
//! alternative hashes.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{MatchReport, Report};
use crate::hashset::Details;

/// Writes the export of `report` (scanned from `report.root`) to `out`.
pub fn write(report: &Report, case_id: &str, out: &mut dyn Write) -> io::Result<()> {
    let root = std::path::Path::new(&report.root);
    let media: Vec<Value> = report
        .files
        .iter()
        .filter(|f| f.pdq.is_some() || !f.matches.is_empty())
        .enumerate()
        .map(|(i, f)| {
            let path = std::path::Path::new(&f.path);
            let relative = path.strip_prefix(root).unwrap_or(path).to_string_lossy().into_owned();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let best = f.matches.first();
            let number = best.and_then(|m| m.parsed.0.to_string().strip_prefix("other(")?.strip_suffix(')')?.parse::<i64>().ok());
            let mut m = json!({
                "MediaID": i + 1,
                "MD5": f.md5.as_deref().map(str::to_uppercase),
                "SHA1": f.sha1.as_deref().map(str::to_uppercase),
                "Category": number,
                "MediaSize": f.size,
                "RelativeFilePath": relative,
                "IsPrecategorized": best.is_some(),
                "Tags": best.map(|b| vec![format!("Safeguard:{}", b.category), format!("Safeguard:{}", b.kind)]).unwrap_or_default(),
                "MediaFiles": [{"FileName": name, "FilePath": f.path}],
            });
            let details = details(&f.matches);
            if let Some(v) = details.victim_identified {
                m["VictimIdentified"] = json!(v);
            }
            if let Some(v) = &details.series {
                m["Series"] = json!(v);
            }
            if let Some(v) = details.is_distributed {
                m["IsDistributed"] = json!(v);
            }
            let mut alternative = Vec::new();
            if let Some(p) = &f.pdq {
                alternative.push(json!({"HashName": "PDQ", "HashValue": p}));
            }
            if let Some(h) = &f.sha256 {
                alternative.push(json!({"HashName": "SHA256", "HashValue": h.to_uppercase()}));
            }
            if !alternative.is_empty() {
                m["AlternativeHashes"] = Value::Array(alternative);
            }
            m
        })
        .collect();
    let export = json!({
        "@odata.context": "http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/UK/$metadata#Cases",
        "value": [{
            "CaseID": case_id,
            "SourceApplicationName": "Safeguard",
            "SourceApplicationVersion": report.tool.version,
            "TotalMediaFiles": media.len(),
            "Media": media,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &export)?;
    out.write_all(b"\n")
}

/// What the sets say about a file's known image, each field from the best match that says it (matches are
/// best first).
fn details(matches: &[MatchReport]) -> Details {
    matches.iter().fold(Details::default(), |acc, m| Details {
        victim_identified: acc.victim_identified.or(m.details.victim_identified),
        series: acc.series.or_else(|| m.details.series.clone()),
        is_distributed: acc.is_distributed.or(m.details.is_distributed),
    })
}
