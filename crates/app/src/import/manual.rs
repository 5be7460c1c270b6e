//! A referral typed in by hand: the new-referral form's fields made into a package of one report, sent
//! through the same import path as a file.

use super::{Form, ImportResult, import_as};
use crate::{Actor, App, Error};

/// A referral typed in by hand (the new-referral form): the fields a desk officer copies from a package
/// that did not arrive as a file. Blank fields are left out of the report.
#[derive(Clone, Debug, Default)]
pub struct ManualReferral {
    /// Force receipt; now when absent.
    pub received_at: Option<jiff::Timestamp>,
    /// The report's id; a fresh `MAN-…` id when blank.
    pub report_id: String,
    /// The borough named.
    pub borough: String,
    /// CyberTipline incident type.
    pub incident_type: String,
    /// When the incident happened; the receipt time when absent.
    pub incident_at: Option<jiff::Timestamp>,
    /// The escalation text, if the sender escalated it.
    pub escalation: String,
    /// The narrative.
    pub narrative: String,
    /// The reported person's first name.
    pub first_name: String,
    /// Their last name.
    pub last_name: String,
    /// Their email address.
    pub email: String,
    /// Their phone number.
    pub phone: String,
    /// Their screen name.
    pub screen_name: String,
    /// The service the screen name is on.
    pub esp_service: String,
}

/// Create a referral typed in by hand, through the same checks and path as an imported package (so the
/// same field errors, linking and logging apply). Returns the import's answer, whose one entry is the
/// referral created, or the one already stored for that report id.
pub async fn create_by_hand(
    app: &App,
    actor: &Actor,
    m: &ManualReferral,
) -> Result<ImportResult, Error> {
    let received_at = m.received_at.unwrap_or_else(jiff::Timestamp::now);
    let report_id = match m.report_id.trim() {
        "" => format!("MAN-{}", &crate::auth::random_token()[..10].to_uppercase()),
        given => given.to_string(),
    };
    let package = serde_json::json!({
        "source": "manual",
        "received_at": received_at.to_string(),
        "borough": m.borough.trim(),
        "reports": [{
            "report_id": report_id,
            "narrative": m.narrative.trim(),
            "report": {
                "incidentSummary": {
                    "incidentType": m.incident_type.trim(),
                    "incidentDateTime": m.incident_at.unwrap_or(received_at).to_string(),
                    "escalateToHighPriority": m.escalation.trim(),
                },
                "personOrUserReported": {
                    "personOrUserReportedPerson": {
                        "firstName": m.first_name.trim(), "lastName": m.last_name.trim(),
                        "email": m.email.trim(), "phone": m.phone.trim(),
                    },
                    "screenName": m.screen_name.trim(),
                    "espService": m.esp_service.trim(),
                }
            }
        }]
    });
    let bytes = package.to_string().into_bytes();
    import_as(app, actor, Form::Json, None, std::io::Cursor::new(bytes)).await
}
