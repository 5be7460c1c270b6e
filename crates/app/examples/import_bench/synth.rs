//! Synthetic CyberTipline reports for the import benchmark, derived from the report's number alone so that
//! the package can be written as a stream and the same rows regenerated for the bare-insert floor.
//!
//! About one report in six is about a person seen in an earlier report (same email, ESP id and screen
//! name; often an IP event at the same address and port a minute or two from that person's usual one), so
//! linking finds strong matches; one new person in thirty shares an earlier person's connection, which
//! linking offers as a weak suggestion. The phone range 07700 900000–900999 has only 1,000
//! numbers, so only one new person in ten has one: giving everyone a number would make each number join
//! about 85 unrelated people into one subject.

use std::fmt::Write as _;

const FIRST: [&str; 16] = [
    "Jordan", "Alex", "Sam", "Riley", "Casey", "Morgan", "Taylor", "Jamie", "Robin", "Charlie",
    "Avery", "Quinn", "Rowan", "Sasha", "Drew", "Hayden",
];
const LAST: [&str; 16] = [
    "Testperson",
    "Example",
    "Sampleton",
    "Fakeley",
    "Mockford",
    "Placeholder",
    "Dummett",
    "Synthwood",
    "Fictor",
    "Madeup",
    "Notreal",
    "Pretendy",
    "Specimen",
    "Trialson",
    "Demoran",
    "Stubbs",
];
const SERVICES: [&str; 4] = ["PixelShare", "ChatterBox", "Snapgram", "TalkNest"];
const INCIDENTS: [&str; 4] = [
    "Child Pornography (possession, manufacture, and distribution)",
    "Online Enticement of Children for Sexual Acts",
    "Unsolicited Obscene Material Sent to a Child",
    "Misleading Words or Digital Images on the Internet",
];
const EVENTS: [&str; 4] = ["Login", "Upload", "Registration", "Other"];
const OFFSETS: [i32; 4] = [0, 3600, -5 * 3600, 19800];
const NETS: [&str; 3] = ["192.0.2", "198.51.100", "203.0.113"];
/// 2019-01-01T00:00:00Z.
const EPOCH: i64 = 1_546_300_800;

/// A deterministic 64-bit mix of a number and a salt (splitmix64).
pub fn mix(n: u64, salt: u64) -> u64 {
    let mut z = n
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick<T: Copy>(items: &[T], n: u64, salt: u64) -> T {
    items[(mix(n, salt) % items.len() as u64) as usize]
}

/// The person report `i` is about: an earlier report's person one time in six.
fn person_of(i: u64) -> u64 {
    if i > 0 && mix(i, 1).is_multiple_of(6) {
        person_of(mix(i, 2) % i)
    } else {
        i
    }
}

/// One IP capture event.
pub struct Event {
    pub address: String,
    pub port: u16,
    pub event: &'static str,
    pub at_ms: i64,
    pub offset_seconds: i32,
    pub raw: String,
}

/// One file.
pub struct File {
    pub file_id: String,
    pub file_name: String,
    pub md5: String,
    pub sha1: String,
    pub viewed: bool,
    pub class: &'static str,
}

/// One generated report and everything the import would store of it.
pub struct Synth {
    pub report_id: String,
    pub xml: bool,
    pub first: &'static str,
    pub last: &'static str,
    pub email: String,
    pub phone: Option<String>,
    pub service: &'static str,
    pub esp_id: String,
    pub screen_name: String,
    pub display_name: Option<String>,
    pub incident_type: &'static str,
    pub incident_raw: String,
    pub incident_ms: i64,
    pub escalate: Option<&'static str>,
    pub events: Vec<Event>,
    pub files: Vec<File>,
}

fn raw_time(secs: i64, offset: i32) -> String {
    let local = jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::from_second(secs + i64::from(offset)).expect("in range"));
    if offset == 0 {
        return format!("{local}Z");
    }
    let (sign, o) = if offset < 0 {
        ('-', -offset)
    } else {
        ('+', offset)
    };
    format!("{local}{sign}{:02}:{:02}", o / 3600, o % 3600 / 60)
}

fn hex(n: u64, salt: u64, digits: usize) -> String {
    let mut s = String::with_capacity(digits);
    let mut k = 0;
    while s.len() < digits {
        write!(s, "{:016x}", mix(n, salt + k)).expect("a string");
        k += 1;
    }
    s.truncate(digits);
    s
}

impl Synth {
    /// Report number `i`.
    pub fn new(i: u64) -> Synth {
        let p = person_of(i);
        let (first, last) = (pick(&FIRST, p, 10), pick(&LAST, p, 11));
        let service = pick(&SERVICES, p, 12);
        let at = EPOCH + (mix(i, 3) % (365 * 86_400)) as i64;
        // One new person in thirty logs in from where an earlier, different person usually does (a shared
        // connection): a weak match that linking offers as a suggestion.
        let home = if p == i && i > 0 && mix(i, 15).is_multiple_of(30) {
            person_of(mix(i, 16) % i)
        } else {
            p
        };
        let home_at = EPOCH + (mix(home, 13) % (365 * 86_400)) as i64;
        let events = (0..1 + mix(i, 4) % 2)
            .map(|k| {
                // A returning person logs in from their usual address and port, close to their usual time.
                let usual = k == 0 && (p == i || mix(i, 5).is_multiple_of(2));
                let (n, secs) = if usual {
                    (home, home_at + (mix(i, 6) % 180) as i64)
                } else {
                    (i * 2 + k, at - (mix(i, 7 + k) % 86_400) as i64)
                };
                let offset = pick(&OFFSETS, n, 20);
                Event {
                    address: format!("{}.{}", pick(&NETS, n, 21), 1 + mix(n, 22) % 254),
                    port: 1024 + (mix(n, 23) % 64_000) as u16,
                    event: pick(&EVENTS, i + k, 24),
                    at_ms: secs * 1000,
                    offset_seconds: offset,
                    raw: raw_time(secs, offset),
                }
            })
            .collect();
        let files = (0..1 + mix(i, 8) % 2)
            .map(|k| {
                // One file in twenty is one of 50 widely shared images.
                let h = if mix(i, 30 + k).is_multiple_of(20) {
                    (1 << 40) | (mix(i, 31 + k) % 50)
                } else {
                    i * 2 + k
                };
                File {
                    file_id: format!("f-{i}-{k}"),
                    file_name: format!("img_{:06}.jpg", mix(i, 32 + k) % 1_000_000),
                    md5: hex(h, 40, 32),
                    sha1: hex(h, 41, 40),
                    viewed: !mix(i, 33 + k).is_multiple_of(3),
                    class: pick(&["A1", "A2", "B1", "B2"], i + k, 34),
                }
            })
            .collect();
        let offset = pick(&OFFSETS, i, 25);
        Synth {
            report_id: format!("CT-{}", 10_000_000 + i),
            xml: !mix(i, 9).is_multiple_of(4),
            first,
            last,
            email: format!(
                "{}.{}{p}@example.com",
                first.to_lowercase(),
                last.to_lowercase()
            ),
            phone: (p % 10 == 3).then(|| format!("07700 900{:03}", mix(p, 14) % 1000)),
            service,
            esp_id: format!("u-{}", 1_000_000 + p),
            screen_name: format!(
                "{}_{}{}",
                first.to_lowercase(),
                &last[..3].to_lowercase(),
                p
            ),
            display_name: p
                .is_multiple_of(2)
                .then(|| format!("{first} {}. ({p})", &last[..1])),
            incident_type: pick(&INCIDENTS, i, 26),
            incident_raw: raw_time(at, offset),
            incident_ms: at * 1000,
            escalate: mix(i, 27)
                .is_multiple_of(10)
                .then_some("Child appears to be in imminent danger"),
            events,
            files,
        }
    }

    /// The report as it is written in the package: the `<report>` XML or the JSON form's text.
    pub fn original(&self) -> String {
        if self.xml {
            self.to_xml()
        } else {
            self.to_json().to_string()
        }
    }

    fn to_xml(&self) -> String {
        let mut x = String::with_capacity(2048);
        x.push_str("<report><incidentSummary>");
        write!(x, "<incidentType>{}</incidentType>", self.incident_type).unwrap();
        if let Some(e) = self.escalate {
            write!(x, "<escalateToHighPriority>{e}</escalateToHighPriority>").unwrap();
        }
        write!(
            x,
            "<incidentDateTime>{}</incidentDateTime></incidentSummary>",
            self.incident_raw
        )
        .unwrap();
        x.push_str("<reporter><reportingPerson><email>safety@platform.example</email></reportingPerson></reporter>");
        x.push_str("<personOrUserReported><personOrUserReportedPerson>");
        write!(
            x,
            "<firstName>{}</firstName><lastName>{}</lastName>",
            self.first, self.last
        )
        .unwrap();
        if let Some(p) = &self.phone {
            write!(
                x,
                "<phone type=\"Mobile\" countryCallingCode=\"+44\">{p}</phone>"
            )
            .unwrap();
        }
        write!(
            x,
            "<email verified=\"true\">{}</email></personOrUserReportedPerson>",
            self.email
        )
        .unwrap();
        write!(
            x,
            "<espIdentifier>{}</espIdentifier><espService>{}</espService>",
            self.esp_id, self.service
        )
        .unwrap();
        write!(x, "<screenName>{}</screenName>", self.screen_name).unwrap();
        if let Some(d) = &self.display_name {
            write!(x, "<displayName>{d}</displayName>").unwrap();
        }
        for e in &self.events {
            write!(
                x,
                "<ipCaptureEvent><ipAddress>{}</ipAddress><eventName>{}</eventName><dateTime>{}</dateTime><possibleProxy>false</possibleProxy><port>{}</port></ipCaptureEvent>",
                e.address, e.event, e.raw, e.port
            )
            .unwrap();
        }
        x.push_str("</personOrUserReported>");
        for f in &self.files {
            write!(
                x,
                "<fileDetails><fileId>{}</fileId><fileName>{}</fileName><fileViewedByEsp>{}</fileViewedByEsp><industryClassification>{}</industryClassification><originalFileHash hashType=\"MD5\">{}</originalFileHash><originalFileHash hashType=\"SHA1\">{}</originalFileHash></fileDetails>",
                f.file_id, f.file_name, f.viewed, f.class, f.md5, f.sha1
            )
            .unwrap();
        }
        x.push_str("</report>");
        x
    }

    fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        let mut summary =
            json!({"incidentType": self.incident_type, "incidentDateTime": self.incident_raw});
        if let Some(e) = self.escalate {
            summary["escalateToHighPriority"] = json!(e);
        }
        let mut person = json!({"firstName": self.first, "lastName": self.last,
            "email": {"@verified": "true", "#text": self.email}});
        if let Some(p) = &self.phone {
            person["phone"] = json!({"@type": "Mobile", "#text": p});
        }
        let mut reported = json!({"personOrUserReportedPerson": person, "espIdentifier": self.esp_id,
            "espService": self.service, "screenName": self.screen_name,
            "ipCaptureEvent": self.events.iter().map(|e| json!({"ipAddress": e.address, "eventName": e.event,
                "dateTime": e.raw, "possibleProxy": false, "port": e.port})).collect::<Vec<_>>()});
        if let Some(d) = &self.display_name {
            reported["displayName"] = json!(d);
        }
        let files: Vec<_> = self
            .files
            .iter()
            .map(|f| {
                json!({"fileId": f.file_id, "fileName": f.file_name, "fileViewedByEsp": f.viewed,
                    "industryClassification": f.class, "originalFileHash": [
                        {"@hashType": "MD5", "#text": f.md5}, {"@hashType": "SHA1", "#text": f.sha1}]})
            })
            .collect();
        json!({"incidentSummary": summary,
            "reporter": {"reportingPerson": {"email": "safety@platform.example"}},
            "personOrUserReported": reported, "fileDetails": files})
    }

    /// The identifiers the import normalises and stores: (kind, raw).
    pub fn identifiers(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("email", self.email.clone())];
        out.extend(self.phone.iter().map(|p| ("phone", p.clone())));
        out.push(("screen_name", self.screen_name.clone()));
        out.push(("esp_user_id", self.esp_id.clone()));
        out.extend(
            self.display_name
                .iter()
                .map(|d| ("display_name", d.clone())),
        );
        out
    }
}

/// Write a package of `n` reports to `out`, one report at a time.
pub fn write_package(out: &mut impl std::io::Write, n: u64) -> std::io::Result<()> {
    write_package_from(out, 0, n, "NCA-BENCH-1")
}

/// Write a package of the reports numbered `first` to `first + n - 1`, under the sender's reference given.
pub fn write_package_from(
    out: &mut impl std::io::Write,
    first: u64,
    n: u64,
    package_ref: &str,
) -> std::io::Result<()> {
    write!(
        out,
        r#"{{"source":"NCA","package_ref":"{package_ref}","received_at":"2020-01-02T09:00:00Z","borough":"Camden","reports":["#
    )?;
    for i in first..first + n {
        let s = Synth::new(i);
        if i > first {
            out.write_all(b",\n")?;
        }
        write!(out, r#"{{"report_id":"{}","#, s.report_id)?;
        if s.xml {
            out.write_all(br#""cybertip_xml":"#)?;
            serde_json::to_writer(&mut *out, &s.to_xml())?;
        } else {
            out.write_all(br#""report":"#)?;
            serde_json::to_writer(&mut *out, &s.to_json())?;
        }
        out.write_all(b"}")?;
    }
    out.write_all(b"]}\n")
}
