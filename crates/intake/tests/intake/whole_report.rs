//! Every element of NCMEC's report schema read or kept as a further detail (no warning for any of them),
//! separate `<fileDetails>` documents, and NCMEC's law-enforcement JSON export of a report. Fixtures are
//! written for this project.

use crate::fixtures::opts;
use domain::report_details::IncidentKind;
use intake::model::IpEventName;
use intake::{XmlDocument, parse_cybertip_document, parse_cybertip_xml};

/// One of every incident kind and every element the schema defines outside the files.
const EVERY_ELEMENT: &str = r#"<report>
  <batchedReport reason="VIRAL_POTENTIAL_MEME"/>
  <incidentSummary>
    <incidentType>Child Pornography (possession, manufacture, and distribution)</incidentType>
    <platform>PixelShare Stories</platform>
    <escalateToHighPriority>Child appears to be in immediate danger</escalateToHighPriority>
    <reportAnnotations><sextortion/><csamSolicitation/><minorToMinorInteraction/><spam/><sadisticOnlineExploitation/><informational/></reportAnnotations>
    <incidentDateTime>2026-09-01T12:00:00Z</incidentDateTime>
    <incidentDateTimeDescription>Upload time</incidentDateTimeDescription>
  </incidentSummary>
  <internetDetails><webPageIncident thirdPartyHostedContent="true"><url>https://a.example/1</url><url>https://a.example/2</url><additionalInfo>Mirror</additionalInfo></webPageIncident></internetDetails>
  <internetDetails><emailIncident><emailAddress type="Home">sender@mail.example</emailAddress><content>Subject: hello</content><additionalInfo>Headers attached</additionalInfo></emailIncident></internetDetails>
  <internetDetails><newsgroupIncident><name>alt.example.pics</name><emailAddress>poster@news.example</emailAddress><content>Post 1</content></newsgroupIncident></internetDetails>
  <internetDetails><chatImIncident><chatClient>TalkTime</chatClient><chatRoomName>teens-lounge</chatRoomName><content>Log extract</content></chatImIncident></internetDetails>
  <internetDetails><onlineGamingIncident><gameName>Block Quest</gameName><console>Home console</console></onlineGamingIncident></internetDetails>
  <internetDetails><cellPhoneIncident><phoneNumber countryCallingCode="+44" type="Mobile">7700900456</phoneNumber><latitude>51.5072</latitude><longitude>-0.1276</longitude></cellPhoneIncident></internetDetails>
  <internetDetails><nonInternetIncident><locationName>Leisure centre</locationName><incidentAddress><address>1 Pool Lane</address><city>London</city><country>GB</country></incidentAddress></nonInternetIncident></internetDetails>
  <internetDetails><peer2peerIncident><client>ShareSwarm</client><ipCaptureEvent><ipAddress>203.0.113.9</ipAddress><eventName>Upload</eventName><dateTime>2026-09-01T11:00:00Z</dateTime><possibleProxy>false</possibleProxy><port>6881</port></ipCaptureEvent><fileNames>pack.zip</fileNames><additionalInfo>Seen twice</additionalInfo></peer2peerIncident></internetDetails>
  <lawEnforcement fleaCountry="CA"><agencyName>Example Police Service</agencyName><caseNumber>EPS-77</caseNumber><officerContact><firstName>Lee</firstName><lastName>Park</lastName><phone>555 0100</phone></officerContact><reportedToLe>true</reportedToLe><servedLegalProcessDomestic>false</servedLegalProcessDomestic><servedLegalPorcessInternational>true</servedLegalPorcessInternational></lawEnforcement>
  <reporter><reportingPerson><firstName>Safety</firstName><lastName>Desk</lastName><email>safety@pixelshare.example</email></reportingPerson><contactPerson><firstName>Duty</firstName><lastName>Lead</lastName><email>duty@pixelshare.example</email></contactPerson><companyTemplate>Standard PixelShare text</companyTemplate><termsOfService>No CSAM</termsOfService><legalURL>https://pixelshare.example/legal</legalURL></reporter>
  <personOrUserReported>
    <personOrUserReportedPerson><firstName>Kit</firstName><middleName>R</middleName><lastName>Sample</lastName><age>31</age><ageAssertionDiscrepancy>true</ageAssertionDiscrepancy><dateOfBirth>1995-01-02</dateOfBirth></personOrUserReportedPerson>
    <vehicleDescription>Blue van</vehicleDescription>
    <espIdentifier>u-1</espIdentifier>
    <compromisedAccount>false</compromisedAccount>
    <screenName>kit_s</screenName>
    <profileBio>Just me</profileBio>
    <deviceId><idType>IMEI</idType><idValue>350000000000001</idValue><eventName>Login</eventName><dateTime>2026-08-30T10:00:00Z</dateTime></deviceId>
    <thirdPartyUserReported>false</thirdPartyUserReported>
    <priorCTReports>555</priorCTReports>
    <groupIdentifier>g-9</groupIdentifier>
    <accountTemporarilyDisabled disabledDate="2026-09-02" userNotified="false">true</accountTemporarilyDisabled>
    <accountPermanentlyDisabled disabledDate="2026-09-03" userNotified="true" userNotifiedDate="2026-09-03">true</accountPermanentlyDisabled>
    <estimatedLocation verified="false"><city>Bristol</city><region>England</region><countryCode>GB</countryCode><timestamp>2026-09-01T00:00:00Z</timestamp></estimatedLocation>
    <allEmailsReported>true</allEmailsReported>
    <associatedAccount accountType="Billing" thirdPartyUser="false"><platform>PixelPay</platform><firstName>Kit</firstName><email>pay@mail.example</email><espIdentifier>pay-1</espIdentifier></associatedAccount>
    <additionalInfo>Several accounts</additionalInfo>
  </personOrUserReported>
  <intendedRecipient><intendedRecipientPerson><firstName>Rae</firstName></intendedRecipientPerson><accountTemporarilyDisabled>false</accountTemporarilyDisabled></intendedRecipient>
  <victim><victimPerson><firstName>Ash</firstName><age>13</age></victimPerson><schoolName>Example High</schoolName><estimatedLocation>North London</estimatedLocation></victim>
  <additionalInfo>Our moderators reviewed the account.</additionalInfo>
</report>"#;

#[test]
fn every_element_of_the_schema_is_read_without_a_warning() {
    let p = parse_cybertip_xml(EVERY_ELEMENT.as_bytes(), &opts(Some("E-1"))).unwrap();
    let r = &p.reports[0];
    assert!(r.warnings.is_empty(), "{:#?}", r.warnings);
    let d = &r.details;
    assert_eq!(d.platform.as_deref(), Some("PixelShare Stories"));
    assert_eq!(d.batched_reason.as_deref(), Some("VIRAL_POTENTIAL_MEME"));
    assert_eq!(
        d.platform_narrative,
        ["Our moderators reviewed the account."]
    );
    let kinds: Vec<IncidentKind> = d.internet.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, IncidentKind::ALL);
    let [web, email, news, chat, game, phone, place, p2p] = &d.internet[..] else {
        panic!("eight incidents")
    };
    assert_eq!(web.urls, ["https://a.example/1", "https://a.example/2"]);
    assert_eq!(web.third_party_hosted, Some(true));
    assert_eq!(email.email_addresses, ["sender@mail.example"]);
    assert_eq!(news.newsgroup.as_deref(), Some("alt.example.pics"));
    assert_eq!(
        (chat.chat_client.as_deref(), chat.chat_room.as_deref()),
        (Some("TalkTime"), Some("teens-lounge"))
    );
    assert_eq!(game.game.as_deref(), Some("Block Quest"));
    assert_eq!(phone.phone.as_deref(), Some("+44 7700900456"));
    assert_eq!(
        (phone.latitude.as_deref(), phone.longitude.as_deref()),
        (Some("51.5072"), Some("-0.1276"))
    );
    assert_eq!(place.addresses, ["1 Pool Lane, London, GB"]);
    assert_eq!(
        (p2p.client.as_deref(), p2p.ip_events),
        (Some("ShareSwarm"), 1)
    );
    let ev = &r.incident_ip_events[0];
    assert_eq!(
        (
            ev.kind,
            ev.index,
            ev.event.address.as_str(),
            ev.event.port,
            ev.event.event
        ),
        (
            IncidentKind::PeerToPeer,
            7,
            "203.0.113.9",
            Some(6881),
            Some(IpEventName::Upload)
        )
    );
    let a = &d.other_agencies[0];
    assert_eq!(
        (
            a.agency.as_deref(),
            a.case_number.as_deref(),
            a.country.as_deref()
        ),
        (Some("Example Police Service"), Some("EPS-77"), Some("CA"))
    );
    assert_eq!(
        a.legal_process_international,
        Some(true),
        "NCMEC's misspelt element"
    );
    let rep = d.reporter.as_ref().unwrap();
    assert_eq!(
        rep.legal_url.as_deref(),
        Some("https://pixelshare.example/legal")
    );
    assert_eq!(
        rep.contact_person.as_deref(),
        Some("Duty Lead, duty@pixelshare.example")
    );
    assert_eq!(
        r.reporter_email.as_deref(),
        Some("safety@pixelshare.example")
    );

    let shown = r.reported[0].in_report(
        domain::report_details::PersonCategory::Reported,
        d.platform.as_deref(),
    );
    assert_eq!(shown.name.as_deref(), Some("Kit R Sample"));
    assert_eq!(shown.esp_service.as_deref(), Some("PixelShare Stories"));
    assert_eq!(
        shown.device_ids,
        ["IMEI 350000000000001 (Login, 2026-08-30T10:00:00Z)"]
    );
    assert_eq!(shown.estimated_locations, ["Bristol, England, GB"]);
    assert_eq!(
        shown.account_notes,
        [
            "Account temporarily disabled on 2026-09-02; the user was not told",
            "Account permanently disabled on 2026-09-03; the user was told",
            "All the account's email addresses are in the report",
        ]
    );
    assert_eq!(
        shown.associated_accounts,
        ["Billing account on PixelPay: Kit, pay@mail.example, user id pay-1"]
    );
    assert_eq!(shown.vehicle.as_deref(), Some("Blue van"));
    assert_eq!(shown.age_discrepancy, Some(true));
}

#[test]
fn a_coordinate_that_is_not_a_number_of_degrees_is_refused_by_element_and_line() {
    let bad = EVERY_ELEMENT.replace("<latitude>51.5072</latitude>", "<latitude>north</latitude>");
    let e = parse_cybertip_xml(bad.as_bytes(), &opts(None)).unwrap_err();
    assert!(e.location.contains("cellPhoneIncident/latitude"), "{e}");
    assert!(e.location.contains("line 16"), "{e}");
    assert!(e.message.contains("decimal degrees"), "{e}");
}

#[test]
fn an_element_that_belongs_to_another_incident_kind_is_a_warning_not_lost_silently() {
    let odd = EVERY_ELEMENT.replace(
        "<gameName>Block Quest</gameName>",
        "<gameName>Block Quest</gameName><url>https://game.example</url>",
    );
    let r = &parse_cybertip_xml(odd.as_bytes(), &opts(None))
        .unwrap()
        .reports[0];
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].path.contains("onlineGamingIncident/url"));
}

const FILE_DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<fileDetails>
  <reportId>4564654</reportId>
  <fileId>b0754af766b426f2928a02c651ed4b99</fileId>
  <originalFileName>mypic.jpg</originalFileName>
  <fileRelevance>Reported</fileRelevance>
  <industryClassification>A1</industryClassification>
  <originalFileHash hashType="MD5">ABCDEF0123456789ABCDEF0123456789</originalFileHash>
  <ipCaptureEvent><ipAddress>63.116.246.17</ipAddress><eventName>Upload</eventName></ipCaptureEvent>
  <details type="EXIF"><nameValuePair><name>Make</name><value>Canon</value></nameValuePair></details>
  <additionalInfo>posted with 6 others</additionalInfo>
</fileDetails>"#;

#[test]
fn a_separate_file_details_document_names_its_report_and_reads_like_a_file_of_a_report() {
    let XmlDocument::FileDetails(doc) =
        parse_cybertip_document(FILE_DOC.as_bytes(), &opts(None)).unwrap()
    else {
        panic!("a fileDetails document")
    };
    assert_eq!(doc.report_id, "4564654");
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    assert_eq!(
        doc.file.md5.as_deref(),
        Some("abcdef0123456789abcdef0123456789")
    );
    assert_eq!(doc.file.additional_info, ["posted with 6 others"]);
    assert_eq!(doc.file.ip_events[0].address, "63.116.246.17");
    assert!(doc.original.text.starts_with("<fileDetails>"));
    let e = parse_cybertip_xml(FILE_DOC.as_bytes(), &opts(None)).unwrap_err();
    assert!(e.message.contains("separate <fileDetails> document"), "{e}");
}

#[test]
fn a_file_details_document_without_its_report_id_is_refused() {
    let doc = FILE_DOC.replace("<reportId>4564654</reportId>", "");
    let e = parse_cybertip_document(doc.as_bytes(), &opts(None)).unwrap_err();
    assert_eq!(e.location, "fileDetails/reportId");
}

/// NCMEC's law-enforcement JSON export of one report, with the field names public tools read.
const LE_EXPORT: &str = r#"{
  "reportId": "170000001",
  "dateReceived": "2026-09-02T08:00:00Z",
  "reportedInformation": {
    "reportingEsp": {"espName": "PixelShare, Inc.", "firstName": "Safety", "lastName": "Desk", "email": "safety@pixelshare.example"},
    "incidentSummary": {
      "incidentType": "Child Pornography (possession, manufacture, and distribution)",
      "incidentDateTime": "2026-09-01T12:00:00-04:00",
      "incidentDateTimeDescription": "Upload time"
    },
    "additionalInformations": [{"value": "The account uploaded three files."}],
    "incidentDetails": {
      "webpageIncident": [{"sourceInformation": {"sourceCaptures": [{"captureType": "URL", "value": "https://pixelshare.example/p/1"}]}}]
    },
    "reportedPeople": {"reportedPersons": [{
      "firstName": "Kit", "lastName": "Sample", "dateOfBirth": "1995-01-02", "approximateAge": 31,
      "espService": "PixelShare", "espUserId": "u-1", "screenName": {"value": "kit_s"},
      "emails": {"emails": [{"value": "kit@mail.example", "verified": true}]},
      "phones": {"phones": [{"value": "+447700900123"}]},
      "addresses": {"addresses": [{"street1": "1 Test Road", "city": "Bristol", "postalCode": "BS1 1AA", "country": "GB"}]},
      "occupation": "Coach",
      "sourceInformation": {"sourceCaptures": [
        {"captureType": "IP Address", "value": "198.51.100.5", "dateTime": "2026-09-01T15:59:00Z", "port": "443", "eventName": "Login"},
        {"captureType": "Profile URL", "value": "https://pixelshare.example/kit_s"}
      ]}
    }]},
    "uploadedFiles": {"uploadedFiles": [{
      "filename": "a.jpg", "originalFilename": "IMG_1.jpg", "verificationHash": "0123456789ABCDEF0123456789ABCDEF",
      "viewedByEsp": true,
      "sourceInformation": {"sourceCaptures": [{"captureType": "IP Address", "value": "198.51.100.5", "dateTime": "2026-09-01T16:00:00Z", "eventName": "UPLOAD"}]}
    }]}
  }
}"#;

#[test]
fn ncmecs_law_enforcement_json_export_reads_into_the_same_report() {
    assert!(intake::ncmec_json::is_le_export(LE_EXPORT.as_bytes()));
    let p = intake::ncmec_json::parse_le_export(LE_EXPORT.as_bytes(), &opts(None)).unwrap();
    let r = &p.reports[0];
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.report_id, "170000001");
    assert_eq!(r.incident_at.at.to_string(), "2026-09-01T16:00:00Z");
    assert_eq!(
        r.details.ncmec_received.as_deref(),
        Some("2026-09-02T08:00:00Z")
    );
    assert_eq!(
        r.details.platform_narrative,
        ["The account uploaded three files."]
    );
    assert_eq!(
        r.details.internet[0].urls,
        ["https://pixelshare.example/p/1"]
    );
    let s = &r.reported[0];
    assert_eq!(s.esp_identifiers, ["u-1"]);
    assert_eq!(s.screen_names, ["kit_s"]);
    assert_eq!(s.person.emails[0].value, "kit@mail.example");
    assert_eq!(s.person.age, Some(31));
    assert_eq!(s.ip_events[0].port, Some(443));
    assert_eq!(s.ip_events[0].event, Some(IpEventName::Login));
    assert_eq!(s.profile_urls, ["https://pixelshare.example/kit_s"]);
    assert!(s.additional_info.contains(&"Occupation: Coach".to_string()));
    let f = &r.files[0];
    assert_eq!(f.md5.as_deref(), Some("0123456789abcdef0123456789abcdef"));
    assert_eq!(f.ip_events[0].event, Some(IpEventName::Upload));
    assert_eq!(r.original.text, LE_EXPORT, "kept exactly as received");
}

#[test]
fn an_unknown_field_of_the_export_is_a_warning_and_a_bad_capture_names_its_path() {
    let extra = LE_EXPORT.replace("\"dateReceived\"", "\"priority\": 1, \"dateReceived\"");
    let r = &intake::ncmec_json::parse_le_export(extra.as_bytes(), &opts(None))
        .unwrap()
        .reports[0];
    assert_eq!(r.warnings[0].path, ".priority");
    let bad = LE_EXPORT.replace(
        "\"198.51.100.5\", \"dateTime\": \"2026-09-01T15:59:00Z\"",
        "\"not-an-ip\", \"dateTime\": \"2026-09-01T15:59:00Z\"",
    );
    let e = intake::ncmec_json::parse_le_export(bad.as_bytes(), &opts(None)).unwrap_err();
    assert_eq!(
        e.location,
        "reportedInformation.reportedPeople.reportedPersons[0].sourceInformation.sourceCaptures[0].value"
    );
}

#[test]
fn the_export_sent_as_a_package_is_refused_naming_its_format() {
    let e = intake::parse_package(LE_EXPORT.as_bytes(), &intake::PackageLimits::CLI).unwrap_err();
    assert!(
        e.to_string()
            .contains("NCMEC's law-enforcement JSON export"),
        "{e}"
    );
    assert!(!intake::ncmec_json::is_le_export(
        br#"{"source":"NCA","reports":[{"reportedInformation":{}}]}"#
    ));
}
