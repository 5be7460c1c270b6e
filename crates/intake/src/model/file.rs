//! Uploaded files (`fileDetails`): hashes, what the platform saw, and its own classification.

use super::{IpCaptureEvent, Moment};
use serde::{Deserialize, Serialize};

/// One `fileDetails` element.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDetails {
    /// `reportId`: in a separate `<fileDetails>` document, the report it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_id: Option<String>,
    /// `fileId`.
    pub file_id: Option<String>,
    /// `fileName`.
    pub file_name: Option<String>,
    /// `originalFileName`.
    pub original_file_name: Option<String>,
    /// `locationOfFile`.
    pub location_of_file: Option<String>,
    /// `uploadedToEspTimestamp`.
    pub uploaded_at: Option<Moment>,
    /// `fileViewedByEsp`.
    pub viewed_by_esp: Option<bool>,
    /// `exifViewedByEsp`.
    pub exif_viewed_by_esp: Option<bool>,
    /// `publiclyAvailable`.
    pub publicly_available: Option<bool>,
    /// `fileRelevance` (`Reported`, `Supplemental Reported`).
    pub relevance: Option<String>,
    /// `fileAnnotations/*`: element names (`viral`, `generativeAi`).
    pub annotations: Vec<String>,
    /// `industryClassification`.
    pub industry_classification: Option<IndustryClassification>,
    /// `originalFileHash[@hashType="MD5"]`, lower-case hex.
    pub md5: Option<String>,
    /// `originalFileHash[@hashType="SHA1"]`, lower-case hex.
    pub sha1: Option<String>,
    /// Other `originalFileHash` types, as received.
    pub other_hashes: Vec<OtherHash>,
    /// `ipCaptureEvent` of this file's upload.
    pub ip_events: Vec<IpCaptureEvent>,
    /// `deviceId` of this file's upload.
    pub device_ids: Vec<DeviceId>,
    /// `details`: EXIF or hash name/value pairs.
    pub details: Vec<FileDetail>,
    /// `additionalInfo`: what the platform says of this file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_info: Vec<String>,
}

/// The platform's own classification (not the UK A/B/C scale).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IndustryClassification {
    /// Prepubescent, sex act.
    A1,
    /// Prepubescent, lascivious exhibition.
    A2,
    /// Pubescent, sex act.
    B1,
    /// Pubescent, lascivious exhibition.
    B2,
}

impl IndustryClassification {
    /// `A1`, `A2`, `B1`, `B2` (any case).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_uppercase().as_str() {
            "A1" => Some(Self::A1),
            "A2" => Some(Self::A2),
            "B1" => Some(Self::B1),
            "B2" => Some(Self::B2),
            _ => None,
        }
    }

    /// The code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A1 => "A1",
            Self::A2 => "A2",
            Self::B1 => "B1",
            Self::B2 => "B2",
        }
    }
}

/// A file hash of a type Safeguard does not match on (kept as received).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherHash {
    /// `@hashType`.
    pub kind: String,
    /// The value.
    pub value: String,
}

/// A `details` name/value pair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDetail {
    /// `details/@type` (`EXIF`, `HASH`).
    pub kind: Option<String>,
    /// `nameValuePair/name`.
    pub name: String,
    /// `nameValuePair/value`.
    pub value: String,
}

/// `deviceId`: plain text, or `idType` and `idValue` children.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceId {
    /// `idType` (`IMEI`, `Advertising ID`…).
    pub kind: Option<String>,
    /// `idValue`, or the element's text.
    pub value: String,
    /// `eventName`: when the device was seen (`Login`, `Upload` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// `dateTime`, as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

impl DeviceId {
    /// `IMEI 990000862471854 (Login, 2024-05-01T10:00:00Z)`.
    pub fn display(&self) -> String {
        let mut t = match &self.kind {
            Some(k) => format!("{k} {}", self.value),
            None => self.value.clone(),
        };
        let when: Vec<&str> = [&self.event, &self.time]
            .into_iter()
            .filter_map(|x| x.as_deref())
            .collect();
        if !when.is_empty() {
            t.push_str(&format!(" ({})", when.join(", ")));
        }
        t
    }
}
