//! Typing in a referral by hand: `app::import::create_by_hand` builds the same package the API takes (one
//! report from source `manual`) and sends it through the same import path.

use super::layout::{error_summary, frame};
use crate::auth::PageCtx;
use crate::error::Error;
use crate::input::Form;
use crate::{AppState, Ctx};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use std::collections::HashMap;

async fn render(
    state: &AppState,
    ctx: &Ctx,
    errors: &[String],
    f: &HashMap<String, String>,
) -> Result<Response, Error> {
    let boroughs = app::forces::boroughs(&state.app, ctx).await?;
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
                            @for t in app::import::INCIDENT_TYPES { option value=(t) selected[v("incident_type") == t] { (t) } }
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
    if let Err(e) = app::access::require(
        &state.app,
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

fn london(s: &str) -> Result<Option<jiff::Timestamp>, Error> {
    match s.trim() {
        "" => Ok(None),
        t => super::referral::parse_london_pub(t).map(Some),
    }
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
        let manual = app::import::ManualReferral {
            received_at: london(&v("received_at"))?,
            report_id: v("report_id"),
            borough: v("borough"),
            incident_type: v("incident_type"),
            incident_at: london(&v("incident_at"))?,
            escalation: v("escalation"),
            narrative: v("narrative"),
            first_name: v("first_name"),
            last_name: v("last_name"),
            email: v("email"),
            phone: v("phone"),
            screen_name: v("screen_name"),
            esp_service: v("esp_service"),
        };
        app::import::create_by_hand(&state.app, &ctx, &manual).await
    }
    .await;
    match result {
        Ok(r) => match r.imported.first().or(r.duplicates.first()) {
            Some(x) => Redirect::to(&format!("/referrals/{}", x.id)).into_response(),
            None => super::error_page(Some(&ctx), Error::Internal("import stored nothing".into())),
        },
        Err(e @ Error::Invalid { .. }) => {
            let msg = match &e {
                Error::Invalid {
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
