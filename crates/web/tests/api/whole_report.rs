//! The whole report, as NCMEC really sends it: every lead kept and shown on the referral page and in the
//! API — internet incidents (a peer-to-peer capture joins the IP events and can start a communications
//! data request), the platform, its narrative, another agency, the annotations, the people with their
//! ages — a separate `<fileDetails>` document attached to its report, and a Latin-1 file.

use crate::harness::App;
use crate::stories;
use crate::triage::post_xml;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A report written for this project with one of each lead an officer must not miss.
const WHOLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<report>
  <batchedReport reason="VIRAL_POTENTIAL_MEME"/>
  <incidentSummary>
    <incidentType>Online Enticement of Children for Sexual Acts</incidentType>
    <platform>ChatterBox</platform>
    <reportAnnotations><sextortion/></reportAnnotations>
    <incidentDateTime>2026-10-02T18:30:00+01:00</incidentDateTime>
    <incidentDateTimeDescription>When our classifier flagged the conversation</incidentDateTimeDescription>
  </incidentSummary>
  <internetDetails>
    <peer2peerIncident>
      <client>ShareSwarm 2.1</client>
      <ipCaptureEvent><ipAddress>203.0.113.77</ipAddress><eventName>Upload</eventName><dateTime>2026-10-02T17:00:00Z</dateTime><possibleProxy>true</possibleProxy><port>6881</port></ipCaptureEvent>
      <fileNames>holiday-pack.zip</fileNames>
    </peer2peerIncident>
  </internetDetails>
  <internetDetails>
    <webPageIncident><url>https://pics.example.net/album/4471</url><additionalInfo>Album was public for two days</additionalInfo></webPageIncident>
  </internetDetails>
  <lawEnforcement fleaCountry="US">
    <agencyName>Example County Sheriff</agencyName>
    <caseNumber>ECS-2026-0419</caseNumber>
    <officerContact><firstName>Dana</firstName><lastName>Reyes</lastName><email>d.reyes@example.org</email></officerContact>
    <reportedToLe>true</reportedToLe>
  </lawEnforcement>
  <reporter><reportingPerson><firstName>Trust</firstName><lastName>Team</lastName><email>safety@chatterbox.example</email></reportingPerson><legalURL>https://chatterbox.example/legal</legalURL></reporter>
  <personOrUserReported>
    <personOrUserReportedPerson><firstName>Alex</firstName><dateOfBirth>1990-02-03</dateOfBirth></personOrUserReportedPerson>
    <espIdentifier>88812</espIdentifier>
    <screenName>night_owl_77</screenName>
    <ipCaptureEvent><ipAddress>192.0.2.10</ipAddress><eventName>Login</eventName><dateTime>2026-10-01T10:00:00Z</dateTime><port>50011</port></ipCaptureEvent>
    <deviceId><idType>IMEI</idType><idValue>990000862471854</idValue></deviceId>
    <priorCTReports>10101</priorCTReports>
    <estimatedLocation><city>Leeds</city><countryCode>GB</countryCode></estimatedLocation>
    <accountPermanentlyDisabled disabledDate="2026-10-03">true</accountPermanentlyDisabled>
    <additionalInfo>Asked the child to move to another app</additionalInfo>
  </personOrUserReported>
  <victim><victimPerson><firstName>Jo</firstName><age>12</age></victimPerson><schoolName>Hill Top Academy</schoolName></victim>
  <additionalInfo>The user sent threats after the child refused to send more images.</additionalInfo>
</report>"#;

async fn import_whole(app: &App, central: &str, report_id: &str) -> String {
    let (s, body) = post_xml(
        app,
        central,
        WHOLE,
        &format!("borough=Camden&report_id={report_id}&received_at=2026-10-03T09:00:00Z"),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["warnings"].as_array().map(Vec::len),
        Some(0),
        "every element of the report is read: {body}"
    );
    body["imported"][0]["id"].as_str().unwrap().to_string()
}

async fn every_lead_of_a_whole_report_shows_on_the_referral_page_and_in_the_api(app: App) {
    let central = app.token("central").await;
    let id = import_whole(&app, &central, "W-1").await;
    let (_, r) = app.get(&central, &format!("/api/v1/referrals/{id}")).await;
    let d = &r["further_details"];
    assert_eq!(d["platform"], "ChatterBox");
    assert_eq!(
        d["platform_narrative"],
        json!(["The user sent threats after the child refused to send more images."])
    );
    assert_eq!(d["batched_reason"], "VIRAL_POTENTIAL_MEME");
    assert_eq!(d["internet"][0]["kind"], "peer_to_peer");
    assert_eq!(d["internet"][0]["client"], "ShareSwarm 2.1");
    assert_eq!(d["internet"][0]["ip_events"], 1);
    assert_eq!(
        d["internet"][1]["urls"],
        json!(["https://pics.example.net/album/4471"])
    );
    assert_eq!(d["other_agencies"][0]["agency"], "Example County Sheriff");
    assert_eq!(d["other_agencies"][0]["case_number"], "ECS-2026-0419");
    assert_eq!(r["annotations"], json!(["sextortion"]));
    let people = r["people"].as_array().unwrap();
    let victim = people.iter().find(|p| p["category"] == "victim").unwrap();
    assert_eq!(
        (victim["name"].as_str(), victim["age"].as_u64()),
        (Some("Jo"), Some(12))
    );
    assert_eq!(victim["school"], "Hill Top Academy");
    let suspect = &people[0];
    assert_eq!(suspect["category"], "reported");
    assert_eq!(suspect["esp_user_ids"], json!(["88812"]));
    assert_eq!(
        suspect["esp_service"], "ChatterBox",
        "the report's platform"
    );
    assert_eq!(suspect["device_ids"], json!(["IMEI 990000862471854"]));
    assert_eq!(suspect["date_of_birth"], "1990-02-03");
    assert_eq!(suspect["estimated_locations"], json!(["Leeds, GB"]));
    assert_eq!(suspect["prior_reports"], json!(["10101"]));
    let p2p = r["ip_events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["origin"] == "peer_to_peer")
        .expect("the peer-to-peer capture is one of the referral's IP events");
    assert_eq!(
        (
            p2p["address"].as_str(),
            p2p["port"].as_i64(),
            p2p["possible_proxy"].as_bool()
        ),
        (Some("203.0.113.77"), Some(6881), Some(true))
    );

    let page = app
        .browser("central")
        .await
        .get(app.url(&format!("/referrals/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for shown in [
        "<h2 id=\"people\">People</h2>",
        "Jo",
        "12",
        "Hill Top Academy",
        "IMEI 990000862471854",
        "88812 (on ChatterBox)",
        "Leeds, GB",
        "10101",
        "Account permanently disabled on 2026-10-03",
        "Further details from the report",
        "ChatterBox",
        "The user sent threats after the child refused to send more images.",
        "Peer-to-peer network",
        "ShareSwarm 2.1",
        "https://pics.example.net/album/4471",
        "Example County Sheriff",
        "ECS-2026-0419",
        "Dana Reyes, d.reyes@example.org",
        "Peer-to-peer network incident",
        "Possible proxy",
        "Sextortion",
    ] {
        assert!(page.contains(shown), "the page shows {shown:?}");
    }
}

async fn a_peer_to_peer_capture_starts_a_communications_data_request_and_its_proxy_never_corroborates(
    app: App,
) {
    let central = app.token("central").await;
    let inv = app.token("inv.cn").await;
    let sup = app.token("sup.cn").await;
    let id = import_whole(&app, &central, "W-2").await;
    let base = format!("/api/v1/referrals/{id}");
    let (_, r) = app.get(&inv, &base).await;
    let event = |origin: &str| {
        r["ip_events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["origin"] == origin)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (p2p, login) = (event("peer_to_peer"), event("reported_person"));
    app.post(
        &inv,
        &format!("{base}/risk"),
        json!({"level": "high", "reason": "r", "version": 1}),
    )
    .await;
    app.post(
        &sup,
        &format!("{base}/allocation"),
        json!({"officer": "inv.cn", "version": 2}),
    )
    .await;
    let address = "1 Example Street, Leeds LS1 1AA";
    for (ip_event, expected) in [(&p2p, "203.0.113.77"), (&login, "192.0.2.10")] {
        let (s, req) = app
            .post(
                &inv,
                &format!("{base}/cd-requests"),
                json!({"ip_event_id": ip_event, "provider": "Example Telecom"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{req}");
        assert_eq!(
            req["address"].as_str(),
            Some(expected),
            "built from the stored event"
        );
        let (s, answered) = app
            .post(
                &inv,
                &format!("{base}/cd-requests/{}/answer", req["id"].as_str().unwrap()),
                json!({"subscriber": "A Person", "address": address}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{answered}");
    }
    let (_, c) = app
        .get(
            &inv,
            &format!("{base}/corroboration?address=1%20Example%20Street%2C%20Leeds%20LS1%201AA"),
        )
        .await;
    assert_eq!(
        c["corroborated"], false,
        "a possible proxy's answer does not count: {c}"
    );
    assert!(
        c.to_string().contains("possible prox"),
        "and it says why: {c}"
    );
}

async fn the_sextortion_annotation_prefills_its_question_marked_as_prefilled(app: App) {
    let central = app.token("central").await;
    let inv = app.token("inv.cn").await;
    let id = import_whole(&app, &central, "W-3").await;
    let (_, inst) = app
        .get(&inv, &format!("/api/v1/referrals/{id}/instrument"))
        .await;
    let answers = &inst["prefilled"]["answers"];
    assert_eq!(answers["sextortion"]["value"], true, "{answers}");
    assert_eq!(answers["sextortion"]["prefilled_from"], "sextortion");
    assert_eq!(
        answers["victim_under_13"]["value"], true,
        "the victim is 12"
    );
}

async fn a_screen_name_without_a_service_is_an_identifier_on_the_reports_platform(app: App) {
    let central = app.token("central").await;
    let first = import_whole(&app, &central, "W-4").await;
    // The same screen name on the same platform, and nothing else in common: a screen name links only
    // within its service, and the service here is the report's platform.
    let second = WHOLE
        .replace("<espIdentifier>88812</espIdentifier>", "")
        .replace(
            "<firstName>Alex</firstName><dateOfBirth>1990-02-03</dateOfBirth>",
            "",
        )
        .replace("203.0.113.77", "203.0.113.78")
        .replace("192.0.2.10", "192.0.2.99");
    let (s, body) = post_xml(&app, &central, &second, "borough=Camden&report_id=W-5").await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let (_, a) = app
        .get(&central, &format!("/api/v1/referrals/{first}"))
        .await;
    let suggested = body["imported"][0]["suggested_links"].to_string();
    assert!(
        suggested.contains(a["subject_id"].as_str().unwrap()) && suggested.contains("night_owl_77"),
        "a link to the first report's subject is suggested on the screen name: {body}"
    );
    let elsewhere = second.replace(
        "<platform>ChatterBox</platform>",
        "<platform>OtherApp</platform>",
    );
    let (_, body) = post_xml(&app, &central, &elsewhere, "borough=Camden&report_id=W-6").await;
    assert!(
        !body["imported"][0]["suggested_links"]
            .to_string()
            .contains("night_owl_77"),
        "the same name on another platform is another person's: {body}"
    );
}

async fn a_separate_file_details_document_attaches_to_the_report_it_names(app: App) {
    let central = app.token("central").await;
    let id = import_whole(&app, &central, "W-6").await;
    let doc = r#"<fileDetails>
  <reportId>W-6</reportId>
  <fileId>f-0001</fileId>
  <originalFileName>IMG_2001.jpg</originalFileName>
  <fileViewedByEsp>true</fileViewedByEsp>
  <originalFileHash hashType="MD5">00112233445566778899AABBCCDDEEFF</originalFileHash>
  <ipCaptureEvent><ipAddress>198.51.100.23</ipAddress><eventName>Upload</eventName><dateTime>2026-10-02T16:58:00Z</dateTime></ipCaptureEvent>
  <additionalInfo>Sent in a private message</additionalInfo>
</fileDetails>"#;
    let (s, body) = post_xml(&app, &central, doc, "borough=Camden").await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["counts"]["file_details_attached"], 1, "{body}");
    let (_, r) = app.get(&central, &format!("/api/v1/referrals/{id}")).await;
    let files = r["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{r}");
    assert_eq!(files[0]["md5"], "00112233445566778899aabbccddeeff");
    assert!(
        r["ip_events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["address"] == "198.51.100.23" && e["origin"] == "file"),
        "its upload event joins the referral's"
    );
    // The same document again changes nothing; one naming an unknown report is refused whole.
    let (s, again) = post_xml(&app, &central, doc, "borough=Camden").await;
    assert_eq!(s, StatusCode::OK, "{again}");
    let (_, r) = app.get(&central, &format!("/api/v1/referrals/{id}")).await;
    assert_eq!(r["files"].as_array().unwrap().len(), 1);
    let orphan = doc.replace("<reportId>W-6</reportId>", "<reportId>NOPE-1</reportId>");
    let (s, err) = post_xml(&app, &central, &orphan, "borough=Camden").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(
        err.to_string().contains("NOPE-1"),
        "the error names the report: {err}"
    );
}

async fn a_report_in_latin_1_imports_with_its_accents_and_a_warning_naming_the_encoding(app: App) {
    let central = app.token("central").await;
    let text = WHOLE
        .replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"")
        .replace("<firstName>Jo</firstName>", "<firstName>Zoë</firstName>");
    let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/referrals?borough=Camden&report_id=W-7"))
        .bearer_auth(&central)
        .header("content-type", "application/xml")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert!(body.to_string().contains("ISO-8859-1"), "{body}");
    let id = body["imported"][0]["id"].as_str().unwrap();
    let (_, r) = app.get(&central, &format!("/api/v1/referrals/{id}")).await;
    assert!(r["people"].to_string().contains("Zoë"), "{r}");
}

async fn ncmecs_json_export_of_a_report_imports_through_the_api_with_its_package_fields_from_the_query(
    app: App,
) {
    let central = app.token("central").await;
    let export = r#"{"reportId": "170000003", "dateReceived": "2026-10-02T20:00:00Z",
        "reportedInformation": {
          "reportingEsp": {"espName": "ChatterBox Ltd"},
          "incidentSummary": {"incidentType": "Online Enticement of Children for Sexual Acts",
                              "incidentDateTime": "2026-10-02T18:30:00+01:00"},
          "additionalInformations": [{"value": "Threats were sent."}],
          "reportedPeople": {"reportedPersons": [{"espUserId": "999", "espService": "ChatterBox",
            "sourceInformation": {"sourceCaptures": [{"captureType": "IP Address", "value": "192.0.2.200",
              "dateTime": "2026-10-02T17:00:00Z", "port": "443", "eventName": "Login"}]}}]}}}"#;
    let res = reqwest::Client::new()
        .post(
            app.url("/api/v1/referrals?source=NCA&borough=Camden&received_at=2026-10-03T09:00:00Z"),
        )
        .bearer_auth(&central)
        .header("content-type", "application/json")
        .body(export)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["imported"][0]["report_id"], "170000003", "{body}");
    let id = body["imported"][0]["id"].as_str().unwrap();
    let (_, r) = app.get(&central, &format!("/api/v1/referrals/{id}")).await;
    assert_eq!(
        r["further_details"]["ncmec_received"],
        "2026-10-02T20:00:00Z"
    );
    assert_eq!(
        r["further_details"]["platform_narrative"],
        json!(["Threats were sent."])
    );
    assert_eq!(r["ip_events"][0]["address"], "192.0.2.200");
    assert_eq!(r["reported_person"]["esp_ids"], json!(["999"]));
    // A package that carries the export's fields is refused, and the error names the format.
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/referrals"))
        .bearer_auth(&central)
        .header("content-type", "application/json")
        .body(r#"{"source": "NCA", "reports": [], "reportedInformation": {}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err = res.text().await.unwrap();
    assert!(err.contains("NCMEC's law-enforcement JSON export"), "{err}");
}

stories!(
    ncmecs_json_export_of_a_report_imports_through_the_api_with_its_package_fields_from_the_query,
    every_lead_of_a_whole_report_shows_on_the_referral_page_and_in_the_api,
    a_peer_to_peer_capture_starts_a_communications_data_request_and_its_proxy_never_corroborates,
    the_sextortion_annotation_prefills_its_question_marked_as_prefilled,
    a_screen_name_without_a_service_is_an_identifier_on_the_reports_platform,
    a_separate_file_details_document_attaches_to_the_report_it_names,
    a_report_in_latin_1_imports_with_its_accents_and_a_warning_naming_the_encoding,
);
