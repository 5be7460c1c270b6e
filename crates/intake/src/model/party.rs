//! People in a report: the reported person, intended recipients and victims share one shape ([`Party`]), kept
//! apart by the field that holds them so that a victim's identifiers never join a suspect's.

use super::Moment;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// `personOrUserReported`, `intendedRecipient` or `victim`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// `personOrUserReportedPerson`, `intendedRecipientPerson` or `victimPerson`.
    pub person: Person,
    /// `espIdentifier`: the platform's user ids.
    pub esp_identifiers: Vec<String>,
    /// `espService`: the platform's service the ids belong to.
    pub esp_service: Option<String>,
    /// `screenName`.
    pub screen_names: Vec<String>,
    /// `displayName`.
    pub display_names: Vec<String>,
    /// `profileUrl`.
    pub profile_urls: Vec<String>,
    /// `ipCaptureEvent`.
    pub ip_events: Vec<IpCaptureEvent>,
    /// `deviceId`.
    pub device_ids: Vec<super::DeviceId>,
    /// `priorCTReports`: earlier CyberTipline report ids.
    pub prior_reports: Vec<String>,
    /// `groupIdentifier`.
    pub group_identifiers: Vec<String>,
    /// `estimatedLocation`.
    pub estimated_locations: Vec<EstimatedLocation>,
    /// `schoolName` (victims).
    pub school_name: Option<String>,
    /// `additionalInfo`.
    pub additional_info: Vec<String>,
}

/// The person element: names, contacts, address, age.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// `firstName`.
    pub first_name: Option<String>,
    /// `lastName`.
    pub last_name: Option<String>,
    /// `email` (with its `type` and `verified` attributes).
    pub emails: Vec<Contact>,
    /// `phone` (with its `type`, `verified` and `countryCallingCode` attributes).
    pub phones: Vec<Contact>,
    /// `address`.
    pub addresses: Vec<Address>,
    /// `age` in years.
    pub age: Option<u16>,
    /// `dateOfBirth` (ISO `YYYY-MM-DD` only, so day and month can never be swapped).
    pub date_of_birth: Option<Date>,
}

/// An email address or phone number with NCMEC's attributes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The address or number, trimmed.
    pub value: String,
    /// `@type` (`Home`, `Mobile`, `Business`…).
    pub kind: Option<String>,
    /// `@verified`.
    pub verified: Option<bool>,
    /// `@countryCallingCode` (phones).
    pub country_calling_code: Option<String>,
}

/// A postal address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// `@type` (`Home`, `Business`…).
    pub kind: Option<String>,
    /// `address`: street lines.
    pub street: Option<String>,
    /// `city`.
    pub city: Option<String>,
    /// `county`.
    pub county: Option<String>,
    /// `state`.
    pub state: Option<String>,
    /// `nonUsaState`.
    pub non_usa_state: Option<String>,
    /// `zipCode`.
    pub zip_code: Option<String>,
    /// `nonUsaZipCode`.
    pub non_usa_zip_code: Option<String>,
    /// `country`.
    pub country: Option<String>,
}

/// `estimatedLocation`: free text, or `city`/`region`/`countryCode` children.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstimatedLocation {
    /// The element's own text, when it has no children.
    pub text: Option<String>,
    /// `city`.
    pub city: Option<String>,
    /// `region`.
    pub region: Option<String>,
    /// `countryCode`.
    pub country_code: Option<String>,
}

/// `eventName` of an IP capture event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IpEventName {
    /// `Login`.
    Login,
    /// `Registration`.
    Registration,
    /// `Purchase`.
    Purchase,
    /// `Upload`.
    Upload,
    /// `Other`.
    Other,
    /// `Unknown`.
    Unknown,
}

impl IpEventName {
    /// Every name.
    pub const ALL: [IpEventName; 6] = [
        IpEventName::Login,
        IpEventName::Registration,
        IpEventName::Purchase,
        IpEventName::Upload,
        IpEventName::Other,
        IpEventName::Unknown,
    ];

    /// NCMEC's wording.
    pub fn as_str(self) -> &'static str {
        match self {
            IpEventName::Login => "Login",
            IpEventName::Registration => "Registration",
            IpEventName::Purchase => "Purchase",
            IpEventName::Upload => "Upload",
            IpEventName::Other => "Other",
            IpEventName::Unknown => "Unknown",
        }
    }

    /// The name, any case.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|n| n.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// `ipCaptureEvent`: the start of every communications data request, so nothing here is ever retyped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpCaptureEvent {
    /// `ipAddress` as received, trimmed.
    pub address: String,
    /// The parsed address.
    pub ip: IpAddr,
    /// `port`.
    pub port: Option<u16>,
    /// `eventName`.
    pub event: Option<IpEventName>,
    /// `dateTime`: instant, original offset and raw text (absent when the platform gave none).
    pub time: Option<Moment>,
    /// `possibleProxy`.
    pub possible_proxy: Option<bool>,
}
