//! Writes a normalised report back out as CyberTipline XML or as Safeguard's JSON form, children in
//! NCMEC's order. The property tests use it to check that what is written reads back to the same report.

use crate::model::{
    Address, Contact, DeviceId, EstimatedLocation, FileDetails, IpCaptureEvent, Moment, Party,
    Report,
};
use crate::tree::Node;
use serde_json::{Map, Value};

/// The `<report>…</report>` element of `r` (its content only: the id, narrative and original are not
/// part of NCMEC's report).
pub fn report_xml(r: &Report) -> String {
    let mut out = String::new();
    xml(&report_node(r), &mut out);
    out
}

/// The JSON form of `r`'s content (the `report` object of a package entry).
pub fn report_json(r: &Report) -> Value {
    json(&report_node(r))
}

fn el(name: &str) -> Node {
    Node {
        name: name.to_string(),
        ..Node::default()
    }
}

fn leaf(name: &str, text: impl Into<String>) -> Node {
    Node {
        text: text.into(),
        ..el(name)
    }
}

fn with(mut n: Node, children: Vec<Node>) -> Node {
    n.children = children;
    n
}

fn opt(out: &mut Vec<Node>, name: &str, v: &Option<String>) {
    out.extend(v.iter().map(|t| leaf(name, t.as_str())));
}

fn many(out: &mut Vec<Node>, name: &str, v: &[String]) {
    out.extend(v.iter().map(|t| leaf(name, t.as_str())));
}

fn time(out: &mut Vec<Node>, name: &str, m: &Option<Moment>) {
    out.extend(m.iter().map(|m| leaf(name, m.raw.as_str())));
}

fn flag(out: &mut Vec<Node>, name: &str, v: Option<bool>) {
    out.extend(v.map(|b| leaf(name, b.to_string())));
}

fn report_node(r: &Report) -> Node {
    let mut s = vec![leaf("incidentType", r.incident_type.as_str())];
    opt(&mut s, "escalateToHighPriority", &r.escalation);
    if !r.annotations.is_empty() {
        s.push(with(
            el("reportAnnotations"),
            r.annotations.iter().map(|a| el(a)).collect(),
        ));
    }
    s.push(leaf("incidentDateTime", r.incident_at.raw.as_str()));
    opt(
        &mut s,
        "incidentDateTimeDescription",
        &r.incident_description,
    );
    let mut c = vec![with(el("incidentSummary"), s)];
    if let Some(e) = &r.reporter_email {
        c.push(with(
            el("reporter"),
            vec![with(el("reportingPerson"), vec![leaf("email", e.as_str())])],
        ));
    }
    c.extend(
        r.reported
            .iter()
            .map(|p| party(p, "personOrUserReported", "personOrUserReportedPerson")),
    );
    c.extend(
        r.intended_recipients
            .iter()
            .map(|p| party(p, "intendedRecipient", "intendedRecipientPerson")),
    );
    c.extend(r.victims.iter().map(|p| party(p, "victim", "victimPerson")));
    c.extend(r.files.iter().map(file));
    with(el("report"), c)
}

fn party(p: &Party, name: &str, person: &str) -> Node {
    let mut pc = vec![];
    opt(&mut pc, "firstName", &p.person.first_name);
    opt(&mut pc, "lastName", &p.person.last_name);
    pc.extend(p.person.phones.iter().map(|c| contact("phone", c)));
    pc.extend(p.person.emails.iter().map(|c| contact("email", c)));
    pc.extend(p.person.addresses.iter().map(address));
    pc.extend(p.person.age.map(|a| leaf("age", a.to_string())));
    pc.extend(
        p.person
            .date_of_birth
            .map(|d| leaf("dateOfBirth", d.to_string())),
    );
    let mut c = vec![with(el(person), pc)];
    many(&mut c, "espIdentifier", &p.esp_identifiers);
    opt(&mut c, "espService", &p.esp_service);
    many(&mut c, "screenName", &p.screen_names);
    many(&mut c, "displayName", &p.display_names);
    many(&mut c, "profileUrl", &p.profile_urls);
    c.extend(p.ip_events.iter().map(ip_event));
    c.extend(p.device_ids.iter().map(device));
    many(&mut c, "priorCTReports", &p.prior_reports);
    many(&mut c, "groupIdentifier", &p.group_identifiers);
    c.extend(p.estimated_locations.iter().map(location));
    opt(&mut c, "schoolName", &p.school_name);
    many(&mut c, "additionalInfo", &p.additional_info);
    with(el(name), c)
}

fn contact(name: &str, c: &Contact) -> Node {
    let mut n = leaf(name, c.value.as_str());
    n.attrs
        .extend(c.kind.iter().map(|k| ("type".into(), k.clone())));
    n.attrs
        .extend(c.verified.map(|v| ("verified".into(), v.to_string())));
    n.attrs.extend(
        c.country_calling_code
            .iter()
            .map(|k| ("countryCallingCode".into(), k.clone())),
    );
    n
}

fn address(a: &Address) -> Node {
    let mut c = vec![];
    opt(&mut c, "address", &a.street);
    opt(&mut c, "city", &a.city);
    opt(&mut c, "county", &a.county);
    opt(&mut c, "state", &a.state);
    opt(&mut c, "nonUsaState", &a.non_usa_state);
    opt(&mut c, "zipCode", &a.zip_code);
    opt(&mut c, "nonUsaZipCode", &a.non_usa_zip_code);
    opt(&mut c, "country", &a.country);
    let mut n = with(el("address"), c);
    n.attrs
        .extend(a.kind.iter().map(|k| ("type".into(), k.clone())));
    n
}

fn location(l: &EstimatedLocation) -> Node {
    let mut c = vec![];
    opt(&mut c, "city", &l.city);
    opt(&mut c, "region", &l.region);
    opt(&mut c, "countryCode", &l.country_code);
    let n = with(el("estimatedLocation"), c);
    Node {
        text: l.text.clone().unwrap_or_default(),
        ..n
    }
}

fn ip_event(e: &IpCaptureEvent) -> Node {
    let mut c = vec![leaf("ipAddress", e.address.as_str())];
    c.extend(e.event.map(|n| leaf("eventName", n.as_str())));
    time(&mut c, "dateTime", &e.time);
    flag(&mut c, "possibleProxy", e.possible_proxy);
    c.extend(e.port.map(|p| leaf("port", p.to_string())));
    with(el("ipCaptureEvent"), c)
}

fn device(d: &DeviceId) -> Node {
    match &d.kind {
        None => leaf("deviceId", d.value.as_str()),
        Some(k) => with(
            el("deviceId"),
            vec![
                leaf("idType", k.as_str()),
                leaf("idValue", d.value.as_str()),
            ],
        ),
    }
}

fn file(f: &FileDetails) -> Node {
    let mut c = vec![];
    opt(&mut c, "fileId", &f.file_id);
    opt(&mut c, "fileName", &f.file_name);
    opt(&mut c, "originalFileName", &f.original_file_name);
    opt(&mut c, "locationOfFile", &f.location_of_file);
    time(&mut c, "uploadedToEspTimestamp", &f.uploaded_at);
    flag(&mut c, "fileViewedByEsp", f.viewed_by_esp);
    flag(&mut c, "exifViewedByEsp", f.exif_viewed_by_esp);
    flag(&mut c, "publiclyAvailable", f.publicly_available);
    opt(&mut c, "fileRelevance", &f.relevance);
    if !f.annotations.is_empty() {
        c.push(with(
            el("fileAnnotations"),
            f.annotations.iter().map(|a| el(a)).collect(),
        ));
    }
    c.extend(
        f.industry_classification
            .map(|i| leaf("industryClassification", i.as_str())),
    );
    let hashes = [("MD5", &f.md5), ("SHA1", &f.sha1)];
    let hashes = hashes
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_string(), v.clone()?)));
    let others = f
        .other_hashes
        .iter()
        .map(|h| (h.kind.clone(), h.value.clone()));
    for (kind, value) in hashes.chain(others) {
        let mut n = leaf("originalFileHash", value);
        n.attrs.push(("hashType".into(), kind));
        c.push(n);
    }
    c.extend(f.ip_events.iter().map(ip_event));
    c.extend(f.device_ids.iter().map(device));
    for d in &f.details {
        let pair = with(
            el("nameValuePair"),
            vec![
                leaf("name", d.name.as_str()),
                leaf("value", d.value.as_str()),
            ],
        );
        let mut n = with(el("details"), vec![pair]);
        n.attrs
            .extend(d.kind.iter().map(|k| ("type".into(), k.clone())));
        c.push(n);
    }
    with(el("fileDetails"), c)
}

fn xml(n: &Node, out: &mut String) {
    out.push('<');
    out.push_str(&n.name);
    for (k, v) in &n.attrs {
        out.push_str(&format!(" {k}=\"{}\"", escape(v)));
    }
    if n.children.is_empty() && n.text.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    out.push_str(&escape(&n.text));
    for c in &n.children {
        xml(c, out);
    }
    out.push_str(&format!("</{}>", n.name));
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn json(n: &Node) -> Value {
    if n.attrs.is_empty() && n.children.is_empty() {
        return Value::String(n.text.clone());
    }
    let mut m = Map::new();
    for (k, v) in &n.attrs {
        m.insert(format!("@{k}"), Value::String(v.clone()));
    }
    if !n.text.is_empty() {
        m.insert("#text".into(), Value::String(n.text.clone()));
    }
    for c in &n.children {
        match m.get_mut(&c.name) {
            Some(Value::Array(items)) => items.push(json(c)),
            Some(single) => *single = Value::Array(vec![single.take(), json(c)]),
            None => {
                m.insert(c.name.clone(), json(c));
            }
        }
    }
    Value::Object(m)
}
