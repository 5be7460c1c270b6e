//! `fileDetails`: an uploaded file's hashes (validated, lower-cased), what the platform saw, and its own
//! classification.

use super::party::device_id;
use super::{Ctx, values};
use crate::error::IntakeError;
use crate::model::{FileDetail, FileDetails, IndustryClassification, OtherHash};
use crate::tree::Node;

/// `fileAnnotations` NCMEC defines.
const FILE_ANNOTATIONS: [&str; 10] = [
    "animeDrawingVirtualHentai",
    "potentialMeme",
    "viral",
    "possibleSelfProduction",
    "physicalHarm",
    "violenceGore",
    "bestiality",
    "liveStreaming",
    "infant",
    "generativeAi",
];

/// Read one `fileDetails` element.
pub(crate) fn file(ctx: &mut Ctx, node: &Node) -> Result<FileDetails, IntakeError> {
    let mut f = FileDetails::default();
    ctx.attrs(node, &[]);
    ctx.each(node, |ctx, c| {
        match c.name.as_str() {
            "reportId" => f.report_id = ctx.leaf(c),
            "fileId" => f.file_id = ctx.leaf(c),
            "fileName" => f.file_name = ctx.leaf(c),
            "originalFileName" => f.original_file_name = ctx.leaf(c),
            "locationOfFile" => f.location_of_file = ctx.leaf(c),
            "uploadedToEspTimestamp" => f.uploaded_at = values::moment(c)?,
            "fileViewedByEsp" => f.viewed_by_esp = values::flag(c)?,
            "exifViewedByEsp" => f.exif_viewed_by_esp = values::flag(c)?,
            "publiclyAvailable" => f.publicly_available = values::flag(c)?,
            "fileRelevance" => f.relevance = ctx.leaf(c),
            "fileAnnotations" => f.annotations.extend(ctx.flags(c, &FILE_ANNOTATIONS)),
            "industryClassification" => {
                f.industry_classification = match c.value() {
                    None => None,
                    Some(t) => Some(IndustryClassification::parse(&t).ok_or_else(|| {
                        c.loc.err(format!(
                            "'{t}' is not an industry classification (A1, A2, B1 or B2)"
                        ))
                    })?),
                }
            }
            "originalFileHash" => hash(ctx, c, &mut f)?,
            "ipCaptureEvent" => f.ip_events.push(values::ip_event(ctx, c)?),
            "deviceId" => f.device_ids.extend(device_id(ctx, c)),
            "details" => details(ctx, c, &mut f.details),
            "additionalInfo" => f.additional_info.extend(ctx.leaf(c)),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(f)
}

/// `originalFileHash[@hashType]`. Without a `hashType`, 32 hex digits are read as MD5 and 40 as SHA-1.
fn hash(ctx: &mut Ctx, node: &Node, f: &mut FileDetails) -> Result<(), IntakeError> {
    ctx.attrs(node, &["hashType"]);
    let Some(value) = ctx.leaf_text(node) else {
        return Ok(());
    };
    let kind = node
        .attr("hashType")
        .map(|k| k.to_ascii_uppercase().replace('-', ""));
    let kind = kind.unwrap_or_else(|| match value.len() {
        32 => "MD5".into(),
        40 => "SHA1".into(),
        _ => String::new(),
    });
    let (slot, digits) = match kind.as_str() {
        "MD5" => (&mut f.md5, 32),
        "SHA1" => (&mut f.sha1, 40),
        "" => {
            return Err(node
                .loc
                .err("originalFileHash needs a hashType attribute (MD5 or SHA1)"));
        }
        _ => {
            f.other_hashes.push(OtherHash {
                kind: node.attr("hashType").unwrap_or_default(),
                value,
            });
            return Ok(());
        }
    };
    if value.len() != digits || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(node.loc.err(format!(
            "'{value}' is not a {kind} hash ({digits} hexadecimal digits)"
        )));
    }
    let value = value.to_ascii_lowercase();
    match slot {
        Some(old) if *old != value => Err(node
            .loc
            .err(format!("a second, different {kind} hash for one file"))),
        _ => {
            *slot = Some(value);
            Ok(())
        }
    }
}

/// `details[@type]/nameValuePair/{name, value}`.
fn details(ctx: &mut Ctx, node: &Node, out: &mut Vec<FileDetail>) {
    ctx.attrs(node, &["type"]);
    let kind = node.attr("type");
    let _ = ctx.each(node, |ctx, pair| {
        if pair.name != "nameValuePair" {
            return Ok(false);
        }
        let (mut name, mut value) = (None, None);
        let _ = ctx.each(pair, |ctx, c| {
            match c.name.as_str() {
                "name" => name = ctx.leaf(c),
                "value" => value = ctx.leaf(c),
                _ => return Ok(false),
            }
            Ok(true)
        });
        if let Some(name) = name {
            out.push(FileDetail {
                kind: kind.clone(),
                name,
                value: value.unwrap_or_default(),
            });
        }
        Ok(true)
    });
}
