//! The normalised referral package: what both forms (CyberTipline XML and Safeguard's JSON) become, rich
//! enough for storage and linking. Every value is kept as received where the courts may ask for it (the
//! report's original text and its SHA-256, every time's raw string and offset) beside its parsed form.

mod file;
mod party;

pub use file::{DeviceId, FileDetail, FileDetails, IndustryClassification, OtherHash};
pub use party::{
    AccountDisabled, Address, AssociatedAccount, Contact, EstimatedLocation, IncidentIpEvent,
    IpCaptureEvent, IpEventName, Party, Person,
};

use crate::error::Warning;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The package fields that say where the reports came from: the same for every report in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageHeader {
    /// Who sent it (`NCA`, `manual`).
    pub source: String,
    /// The sender's reference.
    pub package_ref: Option<String>,
    /// Force receipt.
    pub received_at: Timestamp,
    /// Borough named by the sender (routing happens in the caller, against reference data).
    pub borough: Option<String>,
}

/// A whole package held in memory (see [`crate::json::read_json_package`] for the streaming reader).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// Where it came from.
    pub header: PackageHeader,
    /// One or more reports: each becomes a referral.
    pub reports: Vec<Report>,
    /// Package-level warnings (unknown top-level fields); each report carries its own.
    pub warnings: Vec<Warning>,
}

/// The form a report arrived in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginalFormat {
    /// CyberTipline XML: the exact bytes of the `<report>…</report>` element.
    Xml,
    /// Safeguard's JSON form: the exact text of the `report` object.
    Json,
}

/// A report exactly as received, with its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Original {
    /// XML or JSON.
    pub format: OriginalFormat,
    /// The text, byte for byte.
    pub text: String,
    /// SHA-256 of `text`, lower-case hex.
    pub sha256: String,
}

impl Original {
    /// Keep `text` with its hash.
    pub fn new(format: OriginalFormat, text: String) -> Self {
        let sha256 = crate::sha256_hex(text.as_bytes());
        Original {
            format,
            text,
            sha256,
        }
    }
}

/// A point in time as received: the instant, the offset it was written with, and the text itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment {
    /// The instant (UTC).
    pub at: Timestamp,
    /// The UTC offset it was written with, in seconds (`-18000` for `-05:00`; `0` for `Z`).
    pub offset_seconds: i32,
    /// The string exactly as received.
    pub raw: String,
}

/// One CyberTipline report, normalised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Its id within the source (for bare XML without one: the SHA-256 of the file).
    pub report_id: String,
    /// The report as received.
    pub original: Original,
    /// `incidentSummary/incidentType`.
    pub incident_type: IncidentType,
    /// `incidentSummary/incidentDateTime`: when the platform detected the content.
    pub incident_at: Moment,
    /// `incidentSummary/incidentDateTimeDescription`.
    pub incident_description: Option<String>,
    /// `incidentSummary/escalateToHighPriority`: any text escalates.
    pub escalation: Option<String>,
    /// `incidentSummary/reportAnnotations/*`: element names (`sextortion`).
    pub annotations: Vec<String>,
    /// `reporter/reportingPerson/email`: the reporting company's contact.
    pub reporter_email: Option<String>,
    /// `personOrUserReported` (usually one).
    pub reported: Vec<Party>,
    /// `intendedRecipient`.
    pub intended_recipients: Vec<Party>,
    /// `victim`.
    pub victims: Vec<Party>,
    /// `fileDetails`.
    pub files: Vec<FileDetails>,
    /// Safeguard's own free-text narrative (the package's `narrative`; never in NCMEC's content).
    pub narrative: Option<String>,
    /// What the report says beyond the fields Safeguard works with (platform, the platform's narrative,
    /// internet incidents, other agencies, the reporter's notes), shown as the referral's further details.
    pub details: domain::report_details::ReportDetails,
    /// The IP capture events of the report's internet incidents (peer-to-peer captures), with their origin.
    pub incident_ip_events: Vec<IncidentIpEvent>,
    /// What was not read (unknown elements and attributes).
    pub warnings: Vec<Warning>,
}

impl Report {
    /// Whether the platform asked for high priority.
    pub fn escalated(&self) -> bool {
        self.escalation.is_some()
    }

    /// The first reported person in the shape the rest of Safeguard keeps (names and identifiers).
    pub fn reported_person(&self) -> domain::ReportedPerson {
        let Some(p) = self.reported.first() else {
            return domain::ReportedPerson::default();
        };
        domain::ReportedPerson {
            first_name: p.person.first_name.clone(),
            last_name: p.person.last_name.clone(),
            emails: p.person.emails.iter().map(|c| c.value.clone()).collect(),
            phones: p.person.phones.iter().map(|c| c.value.clone()).collect(),
            screen_names: p.screen_names.clone(),
            esp_service: self.service_of(p),
            esp_ids: p.esp_identifiers.clone(),
        }
    }

    /// The service a party's platform identities belong to: its own `espService`, or else the report's
    /// `platform` (without either, a screen name is tied to no service and cannot be an identifier).
    pub fn service_of(&self, p: &Party) -> Option<String> {
        p.esp_service
            .clone()
            .or_else(|| self.details.platform.clone())
    }
}

macro_rules! incident_types {
    ($($variant:ident => $text:literal,)*) => {
        /// A CyberTipline incident type (formats.md); anything else is refused.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum IncidentType {
            $(#[doc = $text] #[serde(rename = $text)] $variant,)*
        }

        impl IncidentType {
            /// Every type, in NCMEC's order.
            pub const ALL: [IncidentType; 8] = [$(IncidentType::$variant,)*];

            /// NCMEC's wording.
            pub fn as_str(self) -> &'static str {
                match self { $(IncidentType::$variant => $text,)* }
            }

            /// The type with exactly this wording (surrounding spaces ignored).
            pub fn parse(text: &str) -> Option<Self> {
                match text.trim() { $($text => Some(IncidentType::$variant),)* _ => None }
            }
        }
    };
}

incident_types! {
    ChildPornography => "Child Pornography (possession, manufacture, and distribution)",
    ChildSexTrafficking => "Child Sex Trafficking",
    ChildSexTourism => "Child Sex Tourism",
    ChildSexualMolestation => "Child Sexual Molestation",
    MisleadingDomainName => "Misleading Domain Name",
    MisleadingWordsOrImages => "Misleading Words or Digital Images on the Internet",
    OnlineEnticement => "Online Enticement of Children for Sexual Acts",
    UnsolicitedObsceneMaterial => "Unsolicited Obscene Material Sent to a Child",
}

impl std::fmt::Display for IncidentType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
