//! Synthetic CyberTipline reports shared by the tests (invented people, example.com/.test domains and
//! documentation IP ranges only).

use intake::BareOptions;

/// A report with every path formats.md lists, some of them repeated.
pub const FULL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<report>
  <incidentSummary>
    <incidentType>Online Enticement of Children for Sexual Acts</incidentType>
    <escalateToHighPriority>Child appears to be in imminent danger</escalateToHighPriority>
    <reportAnnotations>
      <sextortion/>
      <minorToMinorInteraction/>
    </reportAnnotations>
    <incidentDateTime>2019-03-30T23:10:00-05:00</incidentDateTime>
    <incidentDateTimeDescription>Detected by hash match &amp; review</incidentDateTimeDescription>
  </incidentSummary>
  <internetDetails><webPageIncident><url>https://pixelshare.example/p/1</url></webPageIncident></internetDetails>
  <reporter>
    <reportingPerson><firstName>Trust</firstName><email>safety@pixelshare.example</email></reportingPerson>
  </reporter>
  <personOrUserReported>
    <personOrUserReportedPerson>
      <firstName>Jordan</firstName>
      <lastName>Testperson</lastName>
      <phone type="Mobile" verified="true" countryCallingCode="+44">07700 900123</phone>
      <email verified="false">Jordan.T@example.com</email>
      <email>jt2@example.org</email>
      <address type="Home"><address>1 Synthetic Row</address><city>Camden</city><country>GB</country></address>
      <age>34</age>
      <dateOfBirth>1985-02-01</dateOfBirth>
    </personOrUserReportedPerson>
    <espIdentifier>u-123456</espIdentifier>
    <espService>PixelShare</espService>
    <screenName>jt_pix</screenName>
    <screenName>jt_pix2</screenName>
    <displayName>JT</displayName>
    <profileUrl>https://pixelshare.example/u/123456</profileUrl>
    <ipCaptureEvent>
      <ipAddress> 192.0.2.10 </ipAddress>
      <eventName>Login</eventName>
      <dateTime>2019-03-29T22:00:00Z</dateTime>
      <possibleProxy>false</possibleProxy>
      <port>50123</port>
    </ipCaptureEvent>
    <ipCaptureEvent>
      <ipAddress>2001:db8::1</ipAddress>
      <eventName>Upload</eventName>
      <dateTime>2019-03-31T00:30:00-05:00</dateTime>
      <possibleProxy>Yes</possibleProxy>
      <port>443</port>
    </ipCaptureEvent>
    <deviceId><idType>IMEI</idType><idValue>490154203237518</idValue></deviceId>
    <priorCTReports>1000001</priorCTReports>
    <priorCTReports>1000002</priorCTReports>
    <groupIdentifier>grp-77</groupIdentifier>
    <estimatedLocation><city>London</city><region>ENG</region><countryCode>GB</countryCode></estimatedLocation>
    <additionalInfo>Account created two days before the upload.</additionalInfo>
  </personOrUserReported>
  <intendedRecipient>
    <intendedRecipientPerson><firstName>Riley</firstName><age>13</age></intendedRecipientPerson>
    <screenName>riley_r</screenName>
  </intendedRecipient>
  <victim>
    <victimPerson><firstName>Alex</firstName><age>12</age><dateOfBirth>2006-07-08</dateOfBirth></victimPerson>
    <schoolName>Example Primary</schoolName>
    <estimatedLocation>North London</estimatedLocation>
  </victim>
  <fileDetails>
    <fileId>f-1</fileId>
    <fileName>img_001.jpg</fileName>
    <originalFileName>holiday.jpg</originalFileName>
    <locationOfFile>https://cdn.pixelshare.example/f-1</locationOfFile>
    <uploadedToEspTimestamp>2019-03-31T00:31:00-05:00</uploadedToEspTimestamp>
    <fileViewedByEsp>true</fileViewedByEsp>
    <exifViewedByEsp>NO</exifViewedByEsp>
    <publiclyAvailable>0</publiclyAvailable>
    <fileRelevance>Reported</fileRelevance>
    <fileAnnotations><possibleSelfProduction/><generativeAi/></fileAnnotations>
    <industryClassification>A1</industryClassification>
    <originalFileHash hashType="MD5">0123456789ABCDEF0123456789ABCDEF</originalFileHash>
    <originalFileHash hashType="SHA1">0123456789abcdef0123456789abcdef01234567</originalFileHash>
    <ipCaptureEvent><ipAddress>198.51.100.7</ipAddress><eventName>Upload</eventName></ipCaptureEvent>
    <deviceId>ADV-ID-1</deviceId>
    <details type="EXIF"><nameValuePair><name>Make</name><value>SynthCam</value></nameValuePair></details>
  </fileDetails>
</report>
"#;

/// A report with only the mandatory elements.
pub fn minimal(kind: &str, time: &str) -> String {
    format!(
        "<report><incidentSummary><incidentType>{kind}</incidentType>\
         <incidentDateTime>{time}</incidentDateTime></incidentSummary></report>"
    )
}

/// Bare-report options for tests.
pub fn opts(report_id: Option<&str>) -> BareOptions {
    BareOptions {
        source: "NCA".into(),
        received_at: "2019-04-01T09:00:00Z".parse().unwrap(),
        borough: Some("Camden".into()),
        package_ref: None,
        report_id: report_id.map(str::to_string),
    }
}
