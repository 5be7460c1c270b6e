//! Typing in a referral by hand. The form builds the same JSON package the API takes (a package of one
//! report from source `manual`) and goes through the same import path.

use super::layout::{error_summary, frame};
use crate::AppState;
use crate::auth::{Ctx, PageCtx};
use crate::error::AppError;
use axum::extract::{Form, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use serde_json::json;
use std::collections::HashMap;

async fn render(
    state: &AppState,
    ctx: &Ctx,
    errors: &[String],
    f: &HashMap<String, String>,
) -> Result<Response, AppError> {
    let boroughs = state.store.list_boroughs(ctx.user.force).await?;
    let v = |k: &str| f.get(k).cloned().unwrap_or_default();
    let text = |id: &str, label: &str, kind: &str| {
        html! {
            div.field { label for=(id) { (label) } input id=(id) name=(id) type=(kind) value=(v(id)); }
        }
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = frame(
        Some(ctx),
        "New referral",
        html! {
            h1 { "Type in a referral" }
            (error_summary(errors))
            form method="post" action="/referrals/new" {
                input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                fieldset {
                    legend { "The report" }
                    (text("report_id", "Report reference (leave empty to have one made)", "text"))
                    div.field {
                        label for="received_at" { "Received by the force (London time; leave empty for now)" }
                        input #received_at name="received_at" type="datetime-local" value=(v("received_at"));
                    }
                    div.field {
                        label for="borough" { "Borough" }
                        select #borough name="borough" {
                            option value="" { "Not known (central queue)" }
                            @for b in &boroughs { option value=(b) selected[v("borough") == *b] { (b) } }
                        }
                    }
                    div.field {
                        label for="incident_type" { "Incident type" }
                        select #incident_type name="incident_type" required {
                            @for t in intake::package::INCIDENT_TYPES { option value=(t) selected[v("incident_type") == t] { (t) } }
                        }
                    }
                    div.field {
                        label for="incident_at" { "When the content was detected (London time; leave empty if not known)" }
                        input #incident_at name="incident_at" type="datetime-local" value=(v("incident_at"));
                    }
                    (text("escalation", "Escalation (anything written here escalates the referral to high priority)", "text"))
                    div.field {
                        label for="narrative" { "Narrative" }
                        textarea #narrative name="narrative" rows="4" { (v("narrative")) }
                    }
                }
                fieldset {
                    legend { "The reported person" }
                    (text("first_name", "First name", "text"))
                    (text("last_name", "Last name", "text"))
                    (text("email", "Email address", "email"))
                    (text("phone", "Phone number", "tel"))
                    (text("screen_name", "Screen name", "text"))
                    (text("esp_service", "Service (platform)", "text"))
                }
                button type="submit" { "Save referral" }
            }
        },
    );
    Ok((status, Html(body.into_string())).into_response())
}

/// `GET /referrals/new`.
pub async fn form(State(state): State<AppState>, PageCtx(ctx): PageCtx) -> Response {
    if let Err(e) = crate::access::require(
        &state,
        &ctx,
        domain::Action::CreateReferral,
        domain::audit::Processing::Collection,
        "open new referral form",
    )
    .await
    {
        return super::error_page(Some(&ctx), e);
    }
    render(&state, &ctx, &[], &HashMap::new())
        .await
        .unwrap_or_else(|e| super::error_page(Some(&ctx), e))
}

fn london_rfc3339(s: &str, default_now: bool) -> Result<Option<String>, AppError> {
    if s.trim().is_empty() {
        return Ok(default_now.then(|| jiff::Timestamp::now().to_string()));
    }
    Ok(Some(super::referral::parse_london_pub(s)?.to_string()))
}

/// `POST /referrals/new`.
pub async fn submit(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let v = |k: &str| f.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    if let Some(r) = super::csrf_rejection(&ctx, &v("csrf")) {
        return r;
    }
    let result = async {
        let received_at = london_rfc3339(&v("received_at"), true)?.expect("defaulted");
        let report_id = if v("report_id").is_empty() { format!("MAN-{}", &crate::auth::random_token()[..10].to_uppercase()) } else { v("report_id") };
        let incident_at = london_rfc3339(&v("incident_at"), false)?.unwrap_or_else(|| received_at.clone());
        let package = json!({
            "source": "manual",
            "received_at": received_at,
            "borough": v("borough"),
            "reports": [{
                "report_id": report_id,
                "narrative": v("narrative"),
                "report": {
                    "incidentSummary": {"incidentType": v("incident_type"), "incidentDateTime": incident_at, "escalateToHighPriority": v("escalation")},
                    "personOrUserReported": {
                        "personOrUserReportedPerson": {"firstName": v("first_name"), "lastName": v("last_name"), "email": v("email"), "phone": v("phone")},
                        "screenName": v("screen_name"),
                        "espService": v("esp_service")
                    }
                }
            }]
        });
        crate::referral_ops::import_package(&state, &ctx, crate::import::Form::Json, None, std::io::Cursor::new(package.to_string().into_bytes())).await
    }
    .await;
    match result {
        Ok(r) => match r.imported.first().or(r.duplicates.first()) {
            Some(x) => Redirect::to(&format!("/referrals/{}", x.id)).into_response(),
            None => super::error_page(
                Some(&ctx),
                AppError::Internal("import stored nothing".into()),
            ),
        },
        Err(e @ AppError::Invalid { .. }) => {
            let msg = match &e {
                AppError::Invalid {
                    location: Some(l),
                    message,
                    ..
                } => format!("{message} ({})", friendly_field(l)),
                other => other.message(),
            };
            render(&state, &ctx, &[msg], &f)
                .await
                .unwrap_or_else(|e| super::error_page(Some(&ctx), e))
        }
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

fn friendly_field(location: &str) -> &str {
    location.rsplit('.').next().unwrap_or(location)
}
