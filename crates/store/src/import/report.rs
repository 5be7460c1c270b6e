//! The rows of one report, as the import writes them: plain values, so that the store does not depend on
//! the parser (`intake`), and whoever parses a report turns it into these once, off the store's thread.
//! What can link is not the caller's to decide: an identifier's link key comes from `domain`'s rule when
//! the row is made.

use domain::identifiers::{Identifier, IdentifierKind, LinkKey, PartyRole, link_key};
use jiff::Timestamp;
use std::net::IpAddr;

/// One identifier of a report, as received and normalised (normalising is `domain`'s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentifierRow {
    pub(crate) role: PartyRole,
    /// Which of the report's people (its index in `StoredReport::people`) it belongs to, when known.
    pub(crate) person: Option<usize>,
    pub(crate) kind: IdentifierKind,
    pub(crate) raw: String,
    pub(crate) norm: String,
    pub(crate) link: Option<LinkKey>,
}

impl IdentifierRow {
    /// An identifier of a party of the report. Its link key is `domain::identifiers::link_key`'s: only
    /// the reported person's identifiers get one, so a victim's or a recipient's is kept but never links.
    pub fn new(role: PartyRole, id: &Identifier, raw: impl Into<String>) -> Self {
        IdentifierRow {
            role,
            person: None,
            kind: id.kind(),
            raw: raw.into(),
            norm: id.value(),
            link: link_key(role, id).ok(),
        }
    }

    /// The same, belonging to the report's person at `index` of its people.
    pub fn of_person(mut self, index: usize) -> Self {
        self.person = Some(index);
        self
    }

    /// Whose identifier it is.
    pub fn role(&self) -> PartyRole {
        self.role
    }

    /// What kind of identifier.
    pub fn kind(&self) -> IdentifierKind {
        self.kind
    }

    /// As received.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Normalised (`service:value` for service-scoped kinds).
    pub fn norm(&self) -> &str {
        &self.norm
    }

    /// The key it links under, if it may link at all.
    pub fn link(&self) -> Option<&LinkKey> {
        self.link.as_ref()
    }
}

/// Everything stored for one report besides its referral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportRows {
    /// The report exactly as received.
    pub original: ReportOriginal,
    /// The platform's annotations of the report (`sextortion`).
    pub annotations: Vec<String>,
    /// What the parser did not read (unknown elements and attributes).
    pub warnings: Vec<String>,
    /// The people of the report, each in its own category.
    pub people: Vec<ReportPerson>,
    /// The identifiers of the report's people.
    pub identifiers: Vec<IdentifierRow>,
    /// Every IP capture event, in stored order: the reported person's first, then each file's.
    pub ip_events: Vec<ReportIpEvent>,
    /// The files the platform reported, in order.
    pub files: Vec<ReportFile>,
    /// What the report says beyond the fields Safeguard works with (`None` when it says nothing).
    pub details: Option<domain::report_details::ReportDetails>,
}

/// How a report was received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginalFormat {
    /// CyberTipline XML.
    Xml,
    /// Safeguard's JSON form.
    Json,
}

impl OriginalFormat {
    /// As stored: `xml` or `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            OriginalFormat::Xml => "xml",
            OriginalFormat::Json => "json",
        }
    }
}

/// A report exactly as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportOriginal {
    /// XML or JSON.
    pub format: OriginalFormat,
    /// SHA-256 of `text`, lower-case hex.
    pub sha256: String,
    /// The text, byte for byte.
    pub text: String,
}

/// One person of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportPerson {
    /// Reported person, victim or intended recipient.
    pub role: PartyRole,
    /// Names, age, date of birth, addresses … as a JSON object.
    pub details: String,
}

/// One IP capture event of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportIpEvent {
    /// The address (stored in canonical form: IPv4-mapped IPv6 as IPv4).
    pub address: IpAddr,
    /// The address as received.
    pub address_raw: String,
    /// The source port.
    pub port: Option<u16>,
    /// The event's name (`Login`, `Upload`).
    pub event: Option<String>,
    /// The instant (stored to the millisecond).
    pub at: Option<Timestamp>,
    /// The UTC offset the time was written with, in seconds.
    pub offset_seconds: Option<i32>,
    /// The time exactly as received.
    pub time_raw: Option<String>,
    /// Whether the platform flagged a possible proxy.
    pub possible_proxy: Option<bool>,
    /// Whether it is the reported person's own event (only those may suggest a link; a file's upload
    /// event is stored, and matched by later reports, but does not itself suggest one).
    pub reported: bool,
    /// Where in the report it came from: `reported_person`, `file`, or an internet incident's kind
    /// (`peer_to_peer`).
    pub origin: String,
}

/// One file the platform reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFile {
    /// The platform's file id.
    pub file_id: Option<String>,
    /// File name.
    pub file_name: Option<String>,
    /// Original file name.
    pub original_file_name: Option<String>,
    /// Where the platform found it.
    pub location: Option<String>,
    /// When it was uploaded.
    pub uploaded_at: Option<Timestamp>,
    /// Whether the platform viewed it.
    pub viewed_by_esp: Option<bool>,
    /// Whether the platform viewed its EXIF data.
    pub exif_viewed_by_esp: Option<bool>,
    /// Whether it was publicly available.
    pub publicly_available: Option<bool>,
    /// Reported or supplemental.
    pub relevance: Option<String>,
    /// The platform's annotations of the file (`viral`, `generativeAi`).
    pub annotations: Vec<String>,
    /// The platform's classification (A1, A2, B1, B2).
    pub industry_classification: Option<String>,
    /// MD5, lower-case hex.
    pub md5: Option<String>,
    /// SHA-1, lower-case hex.
    pub sha1: Option<String>,
}
