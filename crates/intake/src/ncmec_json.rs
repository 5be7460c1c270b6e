//! NCMEC's law-enforcement JSON export of one CyberTipline report: what a force downloads from NCMEC's case
//! management rather than the platform's XML. Its field names are those public tools that parse it read
//! (docs/import.md lists them): `reportId`, `dateReceived`, and under `reportedInformation` the
//! `reportingEsp`, `incidentSummary`, `additionalInformations`, `incidentDetails` (web page and email
//! incidents), `reportedPeople.reportedPersons`, `intendedRecipients.intendedRecipients` and
//! `uploadedFiles.uploadedFiles`, with each person's and file's `sourceInformation.sourceCaptures` (IP
//! addresses, with time, port and event, and profile URLs). It becomes the same normalised [`Report`] as the
//! XML; anything else is a warning and stays in the stored original.

use crate::cybertip::BareOptions;
use crate::error::{IntakeError, Warning};
use crate::map::values::moment_of;
use crate::model::{
    Address, Contact, FileDetails, IncidentType, IpCaptureEvent, IpEventName, Original,
    OriginalFormat, Package, PackageHeader, Party, Report,
};
use domain::report_details::{IncidentKind, InternetIncident, ReportDetails, ReporterDetails};
use serde_json::{Map, Value};

/// Whether `prefix` (the start of a JSON document) is an object whose top-level keys include
/// `reportedInformation` before any `reports`: NCMEC's export rather than Safeguard's package. Only the
/// keys of the outermost object are looked at; values are skipped without being parsed.
pub fn is_le_export(prefix: &[u8]) -> bool {
    let text = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    let mut depth = 0usize;
    let mut i = 0;
    let mut expect_key = false;
    while i < text.len() {
        match text[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < text.len() && text[i] != b'"' {
                    i += if text[i] == b'\\' { 2 } else { 1 };
                }
                if depth == 1 && expect_key {
                    match &text[start..i.min(text.len())] {
                        b"reportedInformation" => return true,
                        b"reports" => return false,
                        _ => {}
                    }
                    expect_key = false;
                }
            }
            b'{' | b'[' => {
                depth += 1;
                expect_key = depth == 1;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expect_key = true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// Parse NCMEC's law-enforcement JSON export of one report into a package of one, with the package fields
/// given by whoever imports it (as for a bare XML report).
pub fn parse_le_export(bytes: &[u8], opts: &BareOptions) -> Result<Package, IntakeError> {
    if opts.source.trim().is_empty() {
        return Err(IntakeError::new("source", "a report needs its source"));
    }
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
            IntakeError::new(
                "(file)",
                format!(
                    "NCMEC's JSON export must be UTF-8: byte {} is not",
                    e.valid_up_to()
                ),
            )
        })?;
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        IntakeError::new(
            format!("line {}, column {}", e.line(), e.column()),
            format!("NCMEC's JSON export is not valid JSON: {e}"),
        )
    })?;
    let mut r = Reader::default();
    let report = r.report(&doc, text, opts)?;
    Ok(Package {
        header: PackageHeader {
            source: opts.source.trim().to_string(),
            package_ref: opts.package_ref.clone(),
            received_at: opts.received_at,
            borough: opts.borough.clone(),
        },
        reports: vec![Report {
            warnings: r.warnings,
            ..report
        }],
        warnings: vec![],
    })
}

#[derive(Default)]
struct Reader {
    warnings: Vec<Warning>,
}

/// A string, or the `value` of an object (`{"value": "…"}`), trimmed; `None` when blank.
fn text_of(v: Option<&Value>) -> Option<String> {
    let v = v?;
    let t = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Object(o) => return text_of(o.get("value")),
        _ => return None,
    };
    (!t.is_empty()).then_some(t)
}

fn array(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// `{"key": {"key": [...]}}`, the export's way of wrapping lists (`uploadedFiles.uploadedFiles`).
fn wrapped<'v>(o: &'v Map<String, Value>, key: &str) -> &'v [Value] {
    array(o.get(key).and_then(|w| w.get(key)))
}

/// `additionalInformations: [{"value": "…"}]`.
fn infos(o: &Map<String, Value>) -> Vec<String> {
    array(o.get("additionalInformations"))
        .iter()
        .filter_map(|i| text_of(Some(i)))
        .collect()
}

impl Reader {
    /// Warn about every key of `o` at `path` not in `known`.
    fn unknown(&mut self, o: &Map<String, Value>, path: &str, known: &[&str]) {
        for k in o.keys().filter(|k| !known.contains(&k.as_str())) {
            self.warnings.push(Warning {
                path: format!("{path}.{k}"),
                message: "not read: kept in the original".into(),
            });
        }
    }

    fn object<'v>(v: &'v Value, path: &str) -> Result<&'v Map<String, Value>, IntakeError> {
        v.as_object()
            .ok_or_else(|| IntakeError::new(path, "must be a JSON object"))
    }

    fn report(
        &mut self,
        doc: &Value,
        text: &str,
        opts: &BareOptions,
    ) -> Result<Report, IntakeError> {
        let top = Self::object(doc, "(document)")?;
        self.unknown(
            top,
            "",
            &["reportId", "dateReceived", "reportedInformation"],
        );
        let ri = Self::object(
            top.get("reportedInformation").ok_or_else(|| {
                IntakeError::new(
                    "reportedInformation",
                    "NCMEC's JSON export has no reportedInformation",
                )
            })?,
            "reportedInformation",
        )?;
        let report_id = opts
            .report_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .or_else(|| text_of(top.get("reportId")))
            .ok_or_else(|| IntakeError::new("reportId", "the export has no reportId: give one"))?;
        self.unknown(
            ri,
            "reportedInformation",
            &[
                "reportingEsp",
                "incidentSummary",
                "additionalInformations",
                "incidentDetails",
                "reportedPeople",
                "intendedRecipients",
                "uploadedFiles",
            ],
        );
        let summary = Self::object(
            ri.get("incidentSummary").ok_or_else(|| {
                IntakeError::new(
                    "reportedInformation.incidentSummary",
                    "the mandatory incidentSummary is missing",
                )
            })?,
            "reportedInformation.incidentSummary",
        )?;
        self.unknown(
            summary,
            "reportedInformation.incidentSummary",
            &[
                "incidentType",
                "incidentDateTime",
                "incidentDateTimeDescription",
            ],
        );
        let kind_text = text_of(summary.get("incidentType")).ok_or_else(|| {
            IntakeError::new(
                "reportedInformation.incidentSummary.incidentType",
                "the mandatory incidentType is missing",
            )
        })?;
        let incident_type = IncidentType::parse(&kind_text).ok_or_else(|| {
            IntakeError::new(
                "reportedInformation.incidentSummary.incidentType",
                format!("unknown incident type '{kind_text}': it must be one of the eight CyberTipline types"),
            )
        })?;
        let at_path = "reportedInformation.incidentSummary.incidentDateTime";
        let at_text = text_of(summary.get("incidentDateTime")).ok_or_else(|| {
            IntakeError::new(at_path, "the mandatory incidentDateTime is missing")
        })?;
        let incident_at = moment_of(&at_text).map_err(|m| IntakeError::new(at_path, m))?;
        let incident_description = text_of(summary.get("incidentDateTimeDescription"));
        let mut details = ReportDetails {
            ncmec_received: text_of(top.get("dateReceived")),
            incident_time_description: incident_description.clone(),
            platform_narrative: infos(ri),
            ..ReportDetails::default()
        };
        let mut reporter_email = None;
        if let Some(esp) = ri.get("reportingEsp").and_then(Value::as_object) {
            self.unknown(
                esp,
                "reportedInformation.reportingEsp",
                &["espName", "firstName", "lastName", "email"],
            );
            reporter_email = text_of(esp.get("email"));
            let parts: Vec<String> = ["espName", "firstName", "lastName", "email"]
                .iter()
                .filter_map(|k| text_of(esp.get(*k)))
                .collect();
            details.platform = text_of(esp.get("espName"));
            details.reporter = (!parts.is_empty()).then(|| ReporterDetails {
                reporting_person: Some(parts.join(", ")),
                ..ReporterDetails::default()
            });
        }
        if let Some(inc) = ri.get("incidentDetails").and_then(Value::as_object) {
            self.incidents(inc, &mut details);
        }
        let mut reported = vec![];
        let persons = array(
            ri.get("reportedPeople")
                .and_then(|w| w.get("reportedPersons")),
        );
        for (i, p) in persons.iter().enumerate() {
            reported.push(self.person(
                p,
                &format!("reportedInformation.reportedPeople.reportedPersons[{i}]"),
            )?);
        }
        let mut recipients = vec![];
        for (i, p) in wrapped(ri, "intendedRecipients").iter().enumerate() {
            recipients.push(self.person(
                p,
                &format!("reportedInformation.intendedRecipients.intendedRecipients[{i}]"),
            )?);
        }
        let mut files = vec![];
        for (i, f) in wrapped(ri, "uploadedFiles").iter().enumerate() {
            files.push(self.file(
                f,
                &format!("reportedInformation.uploadedFiles.uploadedFiles[{i}]"),
            )?);
        }
        Ok(Report {
            report_id,
            original: Original::new(OriginalFormat::Json, text.to_string()),
            incident_type,
            incident_at,
            incident_description,
            escalation: None,
            annotations: vec![],
            reporter_email,
            reported,
            intended_recipients: recipients,
            victims: vec![],
            files,
            narrative: None,
            details,
            incident_ip_events: vec![],
            warnings: vec![],
        })
    }

    fn incidents(&mut self, inc: &Map<String, Value>, details: &mut ReportDetails) {
        let path = "reportedInformation.incidentDetails";
        self.unknown(inc, path, &["webpageIncident", "emailIncident"]);
        for (i, w) in array(inc.get("webpageIncident")).iter().enumerate() {
            let Some(o) = w.as_object() else { continue };
            let p = format!("{path}.webpageIncident[{i}]");
            self.unknown(o, &p, &["sourceInformation", "additionalInformations"]);
            let mut x = InternetIncident::new(IncidentKind::WebPage);
            for c in captures(o) {
                match text_of(c.get("captureType")).as_deref() {
                    Some("URL") => x.urls.extend(text_of(c.get("value"))),
                    other => x.additional_info.extend(
                        text_of(c.get("value"))
                            .map(|v| format!("{}: {v}", other.unwrap_or("Captured"))),
                    ),
                }
            }
            x.additional_info.extend(infos(o));
            details.internet.push(x);
        }
        for (i, e) in array(inc.get("emailIncident")).iter().enumerate() {
            let Some(o) = e.as_object() else { continue };
            let p = format!("{path}.emailIncident[{i}]");
            self.unknown(o, &p, &["contents", "additionalInformations"]);
            let mut x = InternetIncident::new(IncidentKind::Email);
            let contents: Vec<String> = array(o.get("contents"))
                .iter()
                .filter_map(|c| text_of(Some(c)))
                .collect();
            x.content = (!contents.is_empty()).then(|| contents.join("\n\n"));
            x.additional_info = infos(o);
            details.internet.push(x);
        }
    }

    fn person(&mut self, v: &Value, path: &str) -> Result<Party, IntakeError> {
        let o = Self::object(v, path)?;
        let mut p = Party::default();
        // Labelled fields the export gives that Safeguard shows as the platform's notes.
        const NOTED: [(&str, &str); 14] = [
            ("preferredName", "Preferred name"),
            ("gender", "Gender"),
            ("preferredPronouns", "Pronouns"),
            ("physicalDescription", "Physical description"),
            ("vehicleTagNumber", "Vehicle registration"),
            ("occupation", "Occupation"),
            ("relationshipToReporter", "Relationship to the reporter"),
            (
                "relationshipToChildVictim",
                "Relationship to the child victim",
            ),
            ("accessToChildVictim", "Access to the child victim"),
            ("accessToChildren", "Access to children"),
            ("accessToFirearms", "Access to firearms"),
            ("convictedSexOffender", "Convicted sex offender"),
            ("awareOfReport", "Aware of the report"),
            ("gangAffiliation", "Gang affiliation"),
        ];
        let mut known = vec![
            "firstName",
            "middleName",
            "lastName",
            "dateOfBirth",
            "approximateAge",
            "espService",
            "espUserId",
            "screenName",
            "emails",
            "phones",
            "addresses",
            "sourceInformation",
            "additionalInformations",
            "vehicleDescription",
            "ipAddress",
            "additionalContactInformation",
            "languages",
            "races",
            "disabilities",
            "additionalDisabilityInformation",
        ];
        known.extend(NOTED.iter().map(|(k, _)| *k));
        self.unknown(o, path, &known);
        p.person.first_name = text_of(o.get("firstName"));
        p.person.middle_name = text_of(o.get("middleName"));
        p.person.last_name = text_of(o.get("lastName"));
        if let Some(dob) = text_of(o.get("dateOfBirth")) {
            match dob.get(..10).and_then(|d| d.parse().ok()) {
                Some(d) => p.person.date_of_birth = Some(d),
                // Written another way (month and day could be swapped): shown as received, never guessed.
                None => p
                    .additional_info
                    .push(format!("Date of birth as written: {dob}")),
            }
        }
        if let Some(age) = text_of(o.get("approximateAge")) {
            p.person.age = Some(age.parse().map_err(|_| {
                IntakeError::new(
                    format!("{path}.approximateAge"),
                    format!("'{age}' is not a valid age in years"),
                )
            })?);
        }
        p.esp_service = text_of(o.get("espService"));
        p.esp_identifiers.extend(text_of(o.get("espUserId")));
        p.screen_names.extend(text_of(o.get("screenName")));
        p.vehicle_description = text_of(o.get("vehicleDescription"));
        for (key, list) in [
            ("emails", &mut p.person.emails),
            ("phones", &mut p.person.phones),
        ] {
            for c in wrapped(o, key) {
                if let Some(value) = text_of(c.get("value")) {
                    list.push(Contact {
                        value,
                        verified: c.get("verified").and_then(Value::as_bool),
                        ..Contact::default()
                    });
                }
            }
        }
        for a in wrapped(o, "addresses") {
            let street: Vec<String> = ["street1", "street2"]
                .iter()
                .filter_map(|k| text_of(a.get(*k)))
                .collect();
            p.person.addresses.push(Address {
                street: (!street.is_empty()).then(|| street.join(", ")),
                city: text_of(a.get("city")),
                state: text_of(a.get("state")),
                zip_code: text_of(a.get("postalCode")),
                country: text_of(a.get("country")),
                ..Address::default()
            });
        }
        for (i, c) in captures(o).iter().enumerate() {
            match text_of(c.get("captureType")).as_deref() {
                Some("IP Address") => p.ip_events.push(ip_capture(
                    c,
                    &format!("{path}.sourceInformation.sourceCaptures[{i}]"),
                )?),
                Some("Profile URL") => p.profile_urls.extend(text_of(c.get("value"))),
                other => p.additional_info.extend(
                    text_of(c.get("value"))
                        .map(|v| format!("{}: {v}", other.unwrap_or("Captured"))),
                ),
            }
        }
        for (key, label) in NOTED
            .iter()
            .copied()
            .chain([("additionalContactInformation", "Other contact details")])
        {
            p.additional_info
                .extend(text_of(o.get(key)).map(|v| format!("{label}: {v}")));
        }
        p.additional_info.extend(infos(o));
        Ok(p)
    }

    fn file(&mut self, v: &Value, path: &str) -> Result<FileDetails, IntakeError> {
        let o = Self::object(v, path)?;
        self.unknown(
            o,
            path,
            &[
                "filename",
                "originalFilename",
                "submittalId",
                "verificationHash",
                "viewedByEsp",
                "sourceInformation",
                "additionalInformations",
                "ncmecTags",
                "espMetadata",
            ],
        );
        let mut f = FileDetails {
            file_id: text_of(o.get("submittalId")),
            file_name: text_of(o.get("filename")),
            original_file_name: text_of(o.get("originalFilename")),
            viewed_by_esp: o.get("viewedByEsp").and_then(Value::as_bool),
            additional_info: infos(o),
            ..FileDetails::default()
        };
        if let Some(h) = text_of(o.get("verificationHash")) {
            // NCMEC's verification hash is the file's MD5.
            if h.len() == 32 && h.bytes().all(|b| b.is_ascii_hexdigit()) {
                f.md5 = Some(h.to_ascii_lowercase());
            } else {
                return Err(IntakeError::new(
                    format!("{path}.verificationHash"),
                    format!("'{h}' is not an MD5 hash (32 hexadecimal digits)"),
                ));
            }
        }
        for (i, c) in captures(o).iter().enumerate() {
            if text_of(c.get("captureType")).as_deref() == Some("IP Address") {
                f.ip_events.push(ip_capture(
                    c,
                    &format!("{path}.sourceInformation.sourceCaptures[{i}]"),
                )?);
            }
        }
        Ok(f)
    }
}

/// `sourceInformation.sourceCaptures`.
fn captures(o: &Map<String, Value>) -> Vec<&Map<String, Value>> {
    array(
        o.get("sourceInformation")
            .and_then(|s| s.get("sourceCaptures")),
    )
    .iter()
    .filter_map(Value::as_object)
    .collect()
}

/// A source capture of type `IP Address`: `value`, `dateTime`, `port`, `eventName`.
fn ip_capture(c: &Map<String, Value>, path: &str) -> Result<IpCaptureEvent, IntakeError> {
    let address = text_of(c.get("value"))
        .ok_or_else(|| IntakeError::new(format!("{path}.value"), "the IP address is blank"))?;
    let ip = address.parse().map_err(|_| {
        IntakeError::new(
            format!("{path}.value"),
            format!("'{address}' is not an IPv4 or IPv6 address"),
        )
    })?;
    let time = match text_of(c.get("dateTime")) {
        None => None,
        Some(t) => {
            Some(moment_of(&t).map_err(|m| IntakeError::new(format!("{path}.dateTime"), m))?)
        }
    };
    let port = match text_of(c.get("port")) {
        None => None,
        Some(t) => Some(t.parse().map_err(|_| {
            IntakeError::new(
                format!("{path}.port"),
                format!("'{t}' is not a valid port (0 to 65535)"),
            )
        })?),
    };
    Ok(IpCaptureEvent {
        address,
        ip,
        port,
        event: text_of(c.get("eventName")).and_then(|e| IpEventName::parse(&e)),
        time,
        possible_proxy: None,
    })
}
