//! Safeguard's JSON referral package: `{"source", "package_ref", "received_at", "borough", "reports": [...]}`,
//! each report `{"report_id", "narrative"?, "report": {…CyberTipline content as JSON…}}`. A hand-typed
//! referral is a package of one report from source `manual`. Every report is validated before anything is
//! stored, and an error names the element path (or line and column) and the problem.

use domain::ReportedPerson;
use jiff::Timestamp;
use serde_json::{Map, Value};

/// The CyberTipline incident types (formats.md).
pub const INCIDENT_TYPES: [&str; 8] = [
    "Child Pornography (possession, manufacture, and distribution)",
    "Child Sex Trafficking",
    "Child Sex Tourism",
    "Child Sexual Molestation",
    "Misleading Domain Name",
    "Misleading Words or Digital Images on the Internet",
    "Online Enticement of Children for Sexual Acts",
    "Unsolicited Obscene Material Sent to a Child",
];

/// A validated package.
#[derive(Clone, Debug)]
pub struct Package {
    /// Who sent it (`NCA`, `manual`).
    pub source: String,
    /// The sender's reference.
    pub package_ref: Option<String>,
    /// Force receipt.
    pub received_at: Timestamp,
    /// Borough named by the sender (routing happens in the caller, against reference data).
    pub borough: Option<String>,
    /// One or more reports: each becomes a referral.
    pub reports: Vec<Report>,
}

/// One validated report.
#[derive(Clone, Debug)]
pub struct Report {
    /// Its id within the source.
    pub report_id: String,
    /// CyberTipline incident type.
    pub incident_type: String,
    /// When the platform detected the content.
    pub incident_at: Timestamp,
    /// Escalation text (any value escalates).
    pub escalation: Option<String>,
    /// Free-text narrative.
    pub narrative: String,
    /// The reported person.
    pub reported_person: ReportedPerson,
    /// The report exactly as received (JSON text of the report object).
    pub original: String,
}

/// Where the input is wrong, and how.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct IntakeError {
    /// Element path (`reports[2].report.incidentSummary.incidentType`) or `line L, column C`.
    pub location: String,
    /// The problem.
    pub message: String,
}

fn err(location: impl Into<String>, message: impl Into<String>) -> IntakeError {
    IntakeError {
        location: location.into(),
        message: message.into(),
    }
}

/// Parse and validate a JSON package.
pub fn parse_json_package(bytes: &[u8]) -> Result<Package, IntakeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let root: Value = serde_json::from_slice(bytes).map_err(|e| {
        err(
            format!("line {}, column {}", e.line(), e.column()),
            format!("not valid JSON: {e}"),
        )
    })?;
    let obj = root
        .as_object()
        .ok_or_else(|| err("(top level)", "a package must be a JSON object"))?;
    let source = required_str(obj, "source", "")?;
    let received_at = timestamp(obj, "received_at", "")?;
    let reports = obj
        .get("reports")
        .and_then(Value::as_array)
        .ok_or_else(|| err("reports", "a package needs a `reports` array"))?;
    if reports.is_empty() {
        return Err(err("reports", "a package needs at least one report"));
    }
    let reports = reports
        .iter()
        .enumerate()
        .map(|(i, r)| parse_report(r, &format!("reports[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen = std::collections::HashSet::new();
    for (i, r) in reports.iter().enumerate() {
        if !seen.insert(&r.report_id) {
            return Err(err(
                format!("reports[{i}].report_id"),
                format!("report id '{}' appears twice in the package", r.report_id),
            ));
        }
    }
    Ok(Package {
        source,
        package_ref: optional_str(obj, "package_ref", "")?,
        received_at,
        borough: optional_str(obj, "borough", "")?,
        reports,
    })
}

fn parse_report(v: &Value, at: &str) -> Result<Report, IntakeError> {
    let obj = v
        .as_object()
        .ok_or_else(|| err(at, "a report must be an object"))?;
    let report_id = required_str(obj, "report_id", at)?;
    let body = obj
        .get("report")
        .and_then(Value::as_object)
        .ok_or_else(|| err(format!("{at}.report"), "missing the `report` object"))?;
    let rp = format!("{at}.report");
    let summary = body
        .get("incidentSummary")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            err(
                format!("{rp}.incidentSummary"),
                "missing the mandatory incidentSummary",
            )
        })?;
    let sp = format!("{rp}.incidentSummary");
    let incident_type = required_str(summary, "incidentType", &sp)?;
    if !INCIDENT_TYPES.contains(&incident_type.as_str()) {
        return Err(err(
            format!("{sp}.incidentType"),
            format!("unknown incident type '{incident_type}'"),
        ));
    }
    Ok(Report {
        report_id,
        incident_type,
        incident_at: timestamp(summary, "incidentDateTime", &sp)?,
        escalation: optional_str(summary, "escalateToHighPriority", &sp)?,
        narrative: optional_str(obj, "narrative", at)?.unwrap_or_default(),
        reported_person: person(
            body.get("personOrUserReported"),
            &format!("{rp}.personOrUserReported"),
        )?,
        original: serde_json::to_string(body).expect("a parsed value serialises"),
    })
}

fn person(v: Option<&Value>, at: &str) -> Result<ReportedPerson, IntakeError> {
    let Some(v) = v else {
        return Ok(ReportedPerson::default());
    };
    let obj = v.as_object().ok_or_else(|| err(at, "must be an object"))?;
    let empty = Map::new();
    let pp = format!("{at}.personOrUserReportedPerson");
    let p = match obj.get("personOrUserReportedPerson") {
        Some(Value::Object(m)) => m,
        Some(_) => return Err(err(pp, "must be an object")),
        None => &empty,
    };
    Ok(ReportedPerson {
        first_name: optional_str(p, "firstName", &pp)?,
        last_name: optional_str(p, "lastName", &pp)?,
        emails: strings(p, "email", &pp)?,
        phones: strings(p, "phone", &pp)?,
        screen_names: strings(obj, "screenName", at)?,
        esp_service: optional_str(obj, "espService", at)?,
    })
}

fn path(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

fn optional_str(
    obj: &Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<String>, IntakeError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(_) => Err(err(path(at, key), "must be a string")),
    }
}

fn required_str(obj: &Map<String, Value>, key: &str, at: &str) -> Result<String, IntakeError> {
    optional_str(obj, key, at)?.ok_or_else(|| err(path(at, key), "is required"))
}

/// A repeated element: one string or an array of strings.
fn strings(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Vec<String>, IntakeError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::String(s)) => Ok(if s.trim().is_empty() {
            vec![]
        } else {
            vec![s.trim().to_string()]
        }),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.as_str().is_some_and(|s| s.trim().is_empty()))
            .map(|(i, v)| {
                v.as_str()
                    .map(|s| s.trim().to_string())
                    .ok_or_else(|| err(format!("{}[{i}]", path(at, key)), "must be a string"))
            })
            .collect(),
        Some(_) => Err(err(
            path(at, key),
            "must be a string or an array of strings",
        )),
    }
}

fn timestamp(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Timestamp, IntakeError> {
    let s = required_str(obj, key, at)?;
    s.parse::<Timestamp>().map_err(|_| {
        err(path(at, key), format!("'{s}' is not a date and time with a time zone (e.g. 2026-03-01T14:05:00Z or 2026-03-01T14:05:00+01:00)"))
    })
}

#[cfg(test)]
mod tests;
