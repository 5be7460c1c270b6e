//! What a report says beyond the fields Safeguard works with: its "further details" (the platform, the
//! platform's own narrative, the internet incidents with their URLs, addresses and numbers, another agency
//! already involved, the reporting company's notes) and each person named in it, in the shape a page and
//! the API show. Nothing here drives a rule; it is kept so that no lead in a report is lost or hidden, and
//! an officer never has to download the report (a disclosure) to read it.

use serde::{Deserialize, Serialize};

/// The report-level details that are shown rather than worked with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportDetails {
    /// `incidentSummary/platform`: the platform (product) the incident happened on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// When NCMEC received the report (`dateReceived` of its law-enforcement export), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ncmec_received: Option<String>,
    /// `incidentSummary/incidentDateTimeDescription`: what the incident time means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_time_description: Option<String>,
    /// The report's own `additionalInfo`: the platform's narrative.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platform_narrative: Vec<String>,
    /// `batchedReport/@reason`: the platform sent one report for many users (e.g. `VIRAL_POTENTIAL_MEME`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batched_reason: Option<String>,
    /// `internetDetails`: where and how the incident happened.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub internet: Vec<InternetIncident>,
    /// `lawEnforcement`: another agency already involved.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_agencies: Vec<OtherAgency>,
    /// `reporter`: the reporting company's contacts and notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<ReporterDetails>,
}

impl ReportDetails {
    /// Whether the report said nothing here.
    pub fn is_empty(&self) -> bool {
        self == &ReportDetails::default()
    }
}

macro_rules! incident_kinds {
    ($($variant:ident => $element:literal, $id:literal, $label:literal;)*) => {
        /// The kind of an `internetDetails` incident.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum IncidentKind {
            $(#[doc = $label] $variant,)*
        }

        impl IncidentKind {
            /// Every kind, in NCMEC's order.
            pub const ALL: [IncidentKind; 8] = [$(IncidentKind::$variant,)*];

            /// NCMEC's element name (`peer2peerIncident`).
            pub fn element(self) -> &'static str {
                match self { $(IncidentKind::$variant => $element,)* }
            }

            /// As stored and sent (`peer_to_peer`).
            pub fn as_str(self) -> &'static str {
                match self { $(IncidentKind::$variant => $id,)* }
            }

            /// In plain English (`Peer-to-peer network`).
            pub fn label(self) -> &'static str {
                match self { $(IncidentKind::$variant => $label,)* }
            }

            /// The kind whose element is `name`.
            pub fn from_element(name: &str) -> Option<Self> {
                match name { $($element => Some(IncidentKind::$variant),)* _ => None }
            }
        }
    };
}

incident_kinds! {
    WebPage => "webPageIncident", "web_page", "Web page";
    Email => "emailIncident", "email", "Email";
    Newsgroup => "newsgroupIncident", "newsgroup", "Newsgroup";
    ChatIm => "chatImIncident", "chat_im", "Chat or instant message";
    OnlineGaming => "onlineGamingIncident", "online_gaming", "Online game";
    CellPhone => "cellPhoneIncident", "cell_phone", "Mobile phone";
    NonInternet => "nonInternetIncident", "non_internet", "Not on the internet";
    PeerToPeer => "peer2peerIncident", "peer_to_peer", "Peer-to-peer network";
}

/// One `internetDetails` incident. Its IP capture events join the referral's IP events (marked with this
/// incident as their origin); `ip_events` says how many it carried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InternetIncident {
    /// Web page, email, chat …
    pub kind: IncidentKind,
    /// `url` (web page).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    /// `thirdPartyHostedContent` (web page): the content is hosted by another company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_party_hosted: Option<bool>,
    /// `emailAddress` (email, newsgroup).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_addresses: Vec<String>,
    /// `name` (newsgroup).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newsgroup: Option<String>,
    /// `chatClient` (chat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_client: Option<String>,
    /// `chatRoomName` (chat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_room: Option<String>,
    /// `gameName` (online game).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub game: Option<String>,
    /// `console` (online game).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub console: Option<String>,
    /// `content` (email, newsgroup, chat, game): headers or text the platform quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// `phoneNumber` (mobile phone), with its country calling code when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// `latitude` (mobile phone), as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<String>,
    /// `longitude` (mobile phone), as received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<String>,
    /// `locationName` (not on the internet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_name: Option<String>,
    /// `incidentAddress` (not on the internet), one line each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// `client` (peer-to-peer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// `fileNames` (peer-to-peer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_names: Option<String>,
    /// How many `ipCaptureEvent`s it carried.
    #[serde(default)]
    pub ip_events: u32,
    /// `additionalInfo`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_info: Vec<String>,
}

impl InternetIncident {
    /// An incident of `kind` with nothing in it yet.
    pub fn new(kind: IncidentKind) -> Self {
        InternetIncident {
            kind,
            urls: vec![],
            third_party_hosted: None,
            email_addresses: vec![],
            newsgroup: None,
            chat_client: None,
            chat_room: None,
            game: None,
            console: None,
            content: None,
            phone: None,
            latitude: None,
            longitude: None,
            location_name: None,
            addresses: vec![],
            client: None,
            file_names: None,
            ip_events: 0,
            additional_info: vec![],
        }
    }
}

/// `lawEnforcement`: an agency the platform also told, or that asked it for the data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtherAgency {
    /// `agencyName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// `caseNumber`: the agency's own reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_number: Option<String>,
    /// `@fleaCountry`: the agency's country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// `officerContact`: name, email addresses and phone numbers, one line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
    /// `reportedToLe`: the platform reported it to this agency itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_to_agency: Option<bool>,
    /// `servedLegalProcessDomestic`: the agency served domestic legal process on the platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_process_domestic: Option<bool>,
    /// `servedLegalProcessInternational` (also NCMEC's misspelt `servedLegalPorcessInternational`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_process_international: Option<bool>,
}

/// `reporter`: who at the platform sent the report, and the notes the platform attaches to every report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReporterDetails {
    /// `reportingPerson`: name, email addresses and phone numbers, one line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting_person: Option<String>,
    /// `contactPerson`: the same, for the person to contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_person: Option<String>,
    /// `companyTemplate`: the platform's standard text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_template: Option<String>,
    /// `termsOfService`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_of_service: Option<String>,
    /// `legalURL`: where law enforcement sends legal process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_url: Option<String>,
}

/// The category of a person of a referral, kept distinct as the law requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PersonCategory {
    /// `personOrUserReported`: treated as the suspect until re-categorised.
    Reported,
    /// `victim`.
    Victim,
    /// `intendedRecipient`.
    Recipient,
    /// A witness (recorded by hand).
    Witness,
    /// A child with access to the suspect (recorded by hand).
    ChildWithAccess,
}

impl PersonCategory {
    /// In plain English.
    pub fn label(self) -> &'static str {
        match self {
            PersonCategory::Reported => "Reported person",
            PersonCategory::Victim => "Victim",
            PersonCategory::Recipient => "Intended recipient",
            PersonCategory::Witness => "Witness",
            PersonCategory::ChildWithAccess => "Child with access to the suspect",
        }
    }

    /// The party role it is stored and linked as.
    pub fn role(self) -> crate::identifiers::PartyRole {
        use crate::identifiers::PartyRole as R;
        match self {
            PersonCategory::Reported => R::Reported,
            PersonCategory::Victim => R::Victim,
            PersonCategory::Recipient => R::Recipient,
            PersonCategory::Witness => R::Witness,
            PersonCategory::ChildWithAccess => R::ChildWithAccess,
        }
    }

    /// The category of a stored party role.
    pub fn of(role: crate::identifiers::PartyRole) -> Self {
        use crate::identifiers::PartyRole as R;
        match role {
            R::Reported => PersonCategory::Reported,
            R::Victim => PersonCategory::Victim,
            R::Recipient => PersonCategory::Recipient,
            R::Witness => PersonCategory::Witness,
            R::ChildWithAccess => PersonCategory::ChildWithAccess,
        }
    }

    /// Every category, in the order a page keeps them apart.
    pub const ALL: [PersonCategory; 5] = [
        PersonCategory::Reported,
        PersonCategory::Victim,
        PersonCategory::Recipient,
        PersonCategory::Witness,
        PersonCategory::ChildWithAccess,
    ];
}

/// How a child has access to the suspect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChildAccess {
    /// Lives with the suspect.
    LivesWith,
    /// Visits, or is visited by, the suspect.
    Visits,
    /// Through the suspect's work or the child's school (a LADO referral is due too).
    WorkOrSchool,
    /// Online contact.
    OnlineContact,
    /// Another way (say how in the notes).
    Other,
}

impl ChildAccess {
    /// Every kind, in the order a form offers them.
    pub const ALL: [ChildAccess; 5] = [
        ChildAccess::LivesWith,
        ChildAccess::Visits,
        ChildAccess::WorkOrSchool,
        ChildAccess::OnlineContact,
        ChildAccess::Other,
    ];

    /// As stored and sent (`lives_with`).
    pub fn as_str(self) -> &'static str {
        match self {
            ChildAccess::LivesWith => "lives_with",
            ChildAccess::Visits => "visits",
            ChildAccess::WorkOrSchool => "work_or_school",
            ChildAccess::OnlineContact => "online_contact",
            ChildAccess::Other => "other",
        }
    }

    /// In plain English.
    pub fn label(self) -> &'static str {
        match self {
            ChildAccess::LivesWith => "Lives with the suspect",
            ChildAccess::Visits => "Visits or is visited by the suspect",
            ChildAccess::WorkOrSchool => "Through the suspect's work or the child's school",
            ChildAccess::OnlineContact => "Online contact",
            ChildAccess::Other => "Other",
        }
    }
}

impl std::str::FromStr for ChildAccess {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChildAccess::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| {
                format!("'{s}' is not a kind of access (lives_with, visits, work_or_school, online_contact, other)")
            })
    }
}

/// One person named in a report, as a page and the API show them: every value the report gave, as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonInReport {
    /// The person's id (what a correction or re-categorisation names); none for the reported person of a
    /// referral created before people were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Reported person, victim, intended recipient, witness or child with access to the suspect.
    pub category: PersonCategory,
    /// How a child with access has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<ChildAccess>,
    /// Who recorded the person by hand (none: the report named them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
    /// Who last corrected or re-categorised them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<String>,
    /// Given and family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Age in years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u16>,
    /// Date of birth, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// `ageAssertionDiscrepancy`: the age the person gave does not match what the platform believes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_discrepancy: Option<bool>,
    /// School (victims).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
    /// Email addresses (with `(verified)` where the platform said so).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    /// Phone numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    /// Postal addresses, one line each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// The platform (service) the identities below belong to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esp_service: Option<String>,
    /// `espIdentifier`: the platform's user ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub esp_user_ids: Vec<String>,
    /// Screen names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screen_names: Vec<String>,
    /// Display names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub display_names: Vec<String>,
    /// Profile URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile_urls: Vec<String>,
    /// `profileBio`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_bio: Option<String>,
    /// Device ids (`IMEI 990000862471854`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub device_ids: Vec<String>,
    /// Estimated locations (`Leeds, England, GB`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub estimated_locations: Vec<String>,
    /// Earlier CyberTipline report ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prior_reports: Vec<String>,
    /// Group identifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_identifiers: Vec<String>,
    /// `vehicleDescription`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle: Option<String>,
    /// What the platform says of the account (`Account permanently disabled on 2024-05-01`,
    /// `All the account's email addresses are reported`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub account_notes: Vec<String>,
    /// `associatedAccount`: other accounts of the person, one line each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub associated_accounts: Vec<String>,
    /// How many IP capture events the report gave for this person (they are listed with the referral's).
    #[serde(default)]
    pub ip_events: u32,
    /// `additionalInfo`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_info: Vec<String>,
}

impl PersonInReport {
    /// The reported person as a referral holds them when its report's people were not kept (a referral
    /// created by hand, or imported before they were): names and identifiers only.
    pub fn from_referral(p: &crate::ReportedPerson) -> Option<Self> {
        if p == &crate::ReportedPerson::default() {
            return None;
        }
        let name = [p.first_name.as_deref(), p.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        Some(PersonInReport {
            id: None,
            access: None,
            recorded_by: None,
            changed_by: None,
            category: PersonCategory::Reported,
            name: (!name.is_empty()).then_some(name),
            age: None,
            date_of_birth: None,
            age_discrepancy: None,
            school: None,
            emails: p.emails.clone(),
            phones: p.phones.clone(),
            addresses: vec![],
            esp_service: p.esp_service.clone(),
            esp_user_ids: p.esp_ids.clone(),
            screen_names: p.screen_names.clone(),
            display_names: vec![],
            profile_urls: vec![],
            profile_bio: None,
            device_ids: vec![],
            estimated_locations: vec![],
            prior_reports: vec![],
            group_identifiers: vec![],
            vehicle: None,
            account_notes: vec![],
            associated_accounts: vec![],
            ip_events: 0,
            additional_info: vec![],
        })
    }
}
