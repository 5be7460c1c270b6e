//! The VICS 2.0 case export of a scan's results, for upload to the national image database or Project VIC:
//! every image and every matched file, with its hashes, size, relative path and the category of its best
//! match. Safeguard's categories have no public UK numbering, so the number is only written for `other(n)`
//! (the source's own number); A, B and C travel as tags (`Safeguard:A`).

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Report;

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
            if let Some(p) = &f.pdq {
                m["AlternativeHashes"] = json!([{"HashName": "PDQ", "HashValue": p}]);
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
