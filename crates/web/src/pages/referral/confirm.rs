//! Steps that are confirmed before they are taken: closing a referral (an outcome that closes it at once, or a
//! supervisor's approval), which only a supervisor can undo, and a risk level whose target has already passed,
//! which makes the referral overdue at once. No script: a page asks, and its form sends the same fields again.

use super::super::layout::frame;
use crate::error::Error;
use crate::{AppState, Ctx};
use axum::response::{Html, IntoResponse, Response};
use domain::{OutcomeCode, RiskLevel};
use maud::html;
use std::collections::HashMap;

/// What the confirmation page asks.
pub struct Confirm {
    /// The page's heading.
    pub title: String,
    /// What will happen, in words.
    pub message: String,
    /// The button that goes ahead.
    pub button: String,
}

/// The overdue warning for recording `level` on `r`, if its target has already passed.
fn overdue_at_once(state: &AppState, r: &domain::Referral, level: RiskLevel) -> Option<Confirm> {
    if r.first_enforcement_at.is_some() {
        return None;
    }
    let due = state.app.config().timeliness.enforcement_due(r, level);
    let now = jiff::Timestamp::now();
    (due < now).then(|| Confirm {
        title: format!("Record {level}: the referral will be overdue at once"),
        message: format!(
            "A {level} referral must have its first enforcement action by {}, counted from receipt. That was {} ago, so the referral will show as overdue from now.",
            domain::time::display(due),
            domain::time::describe_duration(now.as_second() - due.as_second())
        ),
        button: format!("Yes, record {level}"),
    })
}

/// Whether the step asks for confirmation first, and what it says.
pub async fn needed(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    step: &str,
    f: &HashMap<String, String>,
) -> Result<Option<Confirm>, Error> {
    let field = |k: &str| f.get(k).map(String::as_str).unwrap_or("").trim();
    if !matches!(
        step,
        "outcome" | "outcome-decision" | "risk" | "decision" | "instrument"
    ) {
        return Ok(None);
    }
    // Which level or code the step would record, from the form; a form the step would refuse asks nothing.
    let code: Option<OutcomeCode> = field("code").parse().ok();
    let level: Option<RiskLevel> = field("level").parse().ok();
    // A form the step would refuse for a missing text is refused first, without asking.
    let text_missing = match step {
        "outcome" => field("rationale").is_empty(),
        "risk" | "decision" => field("reason").is_empty(),
        _ => false,
    };
    if text_missing {
        return Ok(None);
    }
    match step {
        "outcome" if code.is_none() => return Ok(None),
        "outcome-decision" if field("approve") != "true" => return Ok(None),
        "risk" if level.is_none() => return Ok(None),
        "decision" if field("decision") != "override" || level.is_none() => return Ok(None),
        _ => {}
    }
    let r =
        app::access::read_referral(&state.app, ctx, id, "check a step before it is taken").await?;
    Ok(match step {
        "outcome" => {
            let code = code.expect("checked");
            (!state.app.config().nfa.is_nfa(code)).then(|| Confirm {
                title: "Close the referral".into(),
                message: format!(
                    "Outcome {code} – {} closes the referral at once. Only a supervisor can reopen a closed referral.",
                    code.label()
                ),
                button: "Yes, record the outcome and close the referral".into(),
            })
        }
        "outcome-decision" => Some(Confirm {
            title: "Approve and close the referral".into(),
            message: format!(
                "Approving outcome {} closes the referral. Only a supervisor can reopen a closed referral.",
                r.outcome
                    .map(|c| format!("{c} – {}", c.label()))
                    .unwrap_or_default()
            ),
            button: "Yes, approve and close the referral".into(),
        }),
        "risk" | "decision" => overdue_at_once(state, &r, level.expect("checked")),
        _ => {
            let given = super::instrument_answers(f);
            match app::triage::instrument_level(&state.app, &r, &given).await? {
                Some(level) => overdue_at_once(state, &r, level),
                None => None,
            }
        }
    })
}

/// The confirmation page: what will happen, and the same form again with `confirmed=yes`, or back to the
/// referral with everything as typed.
pub fn page(ctx: &Ctx, id: &str, step: &str, f: &HashMap<String, String>, c: Confirm) -> Response {
    let mut fields: Vec<(&String, &String)> = f
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "csrf" | "confirmed" | "back"))
        .collect();
    fields.sort();
    let body = frame(
        Some(ctx),
        &c.title,
        html! {
            h1 { (c.title) }
            div.warning-text { p { (c.message) } }
            form method="post" action={"/referrals/" (id) "/" (step)} {
                input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                @for (k, v) in &fields { input type="hidden" name=(k) value=(v); }
                input type="hidden" name="confirmed" value="yes";
                div.button-group {
                    button type="submit" { (c.button) }
                    button.secondary type="submit" name="back" value="yes" { "No, go back" }
                }
            }
        },
    );
    Html(body.into_string()).into_response()
}
