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
    /// `vehicleDescription`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle_description: Option<String>,
    /// `compromisedAccount`: the platform believes the account was taken over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compromised_account: Option<bool>,
    /// `profileBio`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_bio: Option<String>,
    /// `thirdPartyUserReported`: the user is another company's, reported for information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_party_user_reported: Option<bool>,
    /// `accountTemporarilyDisabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_temporarily_disabled: Option<AccountDisabled>,
    /// `accountPermanentlyDisabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_permanently_disabled: Option<AccountDisabled>,
    /// `allEmailsReported`: every email address of the account is in the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_emails_reported: Option<bool>,
    /// `associatedAccount`: the person's other accounts (billing, linked, parent or guardian …). Shown,
    /// never used for linking: a billing or guardian account may be someone else's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub associated_accounts: Vec<AssociatedAccount>,
}

impl Party {
    /// What a page and the API show of this party, as a person of `category` (`platform` is the report's,
    /// for a party that names no service of its own).
    pub fn in_report(
        &self,
        category: domain::report_details::PersonCategory,
        platform: Option<&str>,
    ) -> domain::report_details::PersonInReport {
        let p = &self.person;
        let mut notes = vec![];
        for (what, d) in [
            ("temporarily", &self.account_temporarily_disabled),
            ("permanently", &self.account_permanently_disabled),
        ] {
            if let Some(d) = d.as_ref().filter(|d| d.disabled != Some(false)) {
                let mut t = format!("Account {what} disabled");
                if let Some(date) = &d.date {
                    t.push_str(&format!(" on {date}"));
                }
                match d.user_notified {
                    Some(true) => t.push_str("; the user was told"),
                    Some(false) => t.push_str("; the user was not told"),
                    None => {}
                }
                notes.push(t);
            }
        }
        let flags = [
            (
                self.compromised_account,
                "The platform believes the account was compromised",
            ),
            (
                self.third_party_user_reported,
                "A user of another company, reported for information",
            ),
            (
                self.all_emails_reported,
                "All the account's email addresses are in the report",
            ),
        ];
        notes.extend(
            flags
                .into_iter()
                .filter(|(v, _)| *v == Some(true))
                .map(|(_, t)| t.to_string()),
        );
        domain::report_details::PersonInReport {
            id: None,
            access: None,
            recorded_by: None,
            changed_by: None,
            category,
            name: p.full_name(),
            age: p.age,
            date_of_birth: p.date_of_birth.map(|d| d.to_string()),
            age_discrepancy: p.age_discrepancy,
            school: self.school_name.clone(),
            emails: p.emails.iter().map(Contact::display).collect(),
            phones: p.phones.iter().map(Contact::display).collect(),
            addresses: p.addresses.iter().filter_map(Address::one_line).collect(),
            esp_service: self
                .esp_service
                .clone()
                .or_else(|| platform.map(str::to_string)),
            esp_user_ids: self.esp_identifiers.clone(),
            screen_names: self.screen_names.clone(),
            display_names: self.display_names.clone(),
            profile_urls: self.profile_urls.clone(),
            profile_bio: self.profile_bio.clone(),
            device_ids: self
                .device_ids
                .iter()
                .map(super::DeviceId::display)
                .collect(),
            estimated_locations: self
                .estimated_locations
                .iter()
                .filter_map(EstimatedLocation::one_line)
                .collect(),
            prior_reports: self.prior_reports.clone(),
            group_identifiers: self.group_identifiers.clone(),
            vehicle: self.vehicle_description.clone(),
            account_notes: notes,
            associated_accounts: self
                .associated_accounts
                .iter()
                .map(AssociatedAccount::one_line)
                .collect(),
            ip_events: self.ip_events.len() as u32,
            additional_info: self.additional_info.clone(),
        }
    }
}

impl AssociatedAccount {
    /// `Billing account on ExampleApp: Jane Smith, jane@example.com, user id 123`.
    pub fn one_line(&self) -> String {
        let a = &self.account;
        let kind = self.kind.as_deref().unwrap_or("Other");
        let mut head = format!("{kind} account");
        if let Some(p) = self.platform.as_ref().or(a.esp_service.as_ref()) {
            head.push_str(&format!(" on {p}"));
        }
        let parts: Vec<String> = a
            .person
            .full_name()
            .into_iter()
            .chain(a.person.emails.iter().map(Contact::display))
            .chain(a.person.phones.iter().map(Contact::display))
            .chain(a.screen_names.iter().map(|s| format!("screen name {s}")))
            .chain(a.esp_identifiers.iter().map(|s| format!("user id {s}")))
            .chain(a.profile_urls.iter().cloned())
            .chain(a.additional_info.iter().cloned())
            .collect();
        if parts.is_empty() {
            head
        } else {
            format!("{head}: {}", parts.join(", "))
        }
    }
}

/// `accountTemporarilyDisabled` / `accountPermanentlyDisabled` with their attributes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDisabled {
    /// The element's value.
    pub disabled: Option<bool>,
    /// `@disabledDate`, as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// `@userNotified`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_notified: Option<bool>,
    /// `@userNotifiedDate`, as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_notified_date: Option<String>,
}

/// `associatedAccount`: an account with its own person fields inline.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociatedAccount {
    /// `@accountType` (`Billing`, `Linked`, `Parent/Guardian` …).
    pub kind: Option<String>,
    /// `@thirdPartyUser`.
    pub third_party_user: Option<bool>,
    /// `platform`.
    pub platform: Option<String>,
    /// Everything else, in a party's shape.
    pub account: Box<Party>,
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
    /// `middleName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    /// `ageAssertionDiscrepancy`: the age the person gave does not match what the platform believes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_discrepancy: Option<bool>,
}

impl Person {
    /// Given, middle and family names joined, if any.
    pub fn full_name(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.first_name, &self.middle_name, &self.last_name]
            .into_iter()
            .filter_map(|n| n.as_deref())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

impl Contact {
    /// The value with its country calling code, and `(verified)` where the platform said so.
    pub fn display(&self) -> String {
        let mut t = match &self.country_calling_code {
            Some(code) if !self.value.starts_with('+') => format!("{code} {}", self.value),
            _ => self.value.clone(),
        };
        if self.verified == Some(true) {
            t.push_str(" (verified)");
        }
        t
    }
}

impl Address {
    /// The address on one line, `None` when it is empty.
    pub fn one_line(&self) -> Option<String> {
        let parts: Vec<&str> = [
            &self.street,
            &self.city,
            &self.county,
            &self.state,
            &self.non_usa_state,
            &self.zip_code,
            &self.non_usa_zip_code,
            &self.country,
        ]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

impl EstimatedLocation {
    /// The location on one line, `None` when it is empty.
    pub fn one_line(&self) -> Option<String> {
        let parts: Vec<&str> = [&self.text, &self.city, &self.region, &self.country_code]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
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

/// An IP capture event of an `internetDetails` incident (a peer-to-peer capture), with where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentIpEvent {
    /// The incident's kind.
    pub kind: domain::report_details::IncidentKind,
    /// The incident's position among the report's incidents (0-based).
    pub index: usize,
    /// The event.
    pub event: IpCaptureEvent,
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
