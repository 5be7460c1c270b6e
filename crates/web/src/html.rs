//! The page frame (header, navigation by role, sign-out, skip link) and the error pages: the HTML every
//! page and the sign-in extractor share. It depends on nothing else of the web crate but the request's
//! [`Ctx`] and the error's status, so that the pages and the extractors do not import each other.

use crate::ctx::Ctx;
use crate::error::{Error, status as status_of};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use domain::Role;
use maud::{DOCTYPE, Markup, html};

/// Wrap page content in the frame.
pub fn frame(ctx: Option<&Ctx>, title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Safeguard" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                a.skip href="#main" { "Skip to main content" }
                header.masthead {
                    div.wrap {
                        a.brand href="/" { "Safeguard" }
                        @if let Some(ctx) = ctx {
                            nav aria-label="Main" {
                                ul {
                                    @for (href, label) in nav_links(ctx.user.role) {
                                        li {
                                            a href=(href) {
                                                (label)
                                                @if href == "/central" && let Some(n) = ctx.escalated_unrouted && n > 0 {
                                                    " " span.count { "(" (n) " escalated, unrouted)" }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                            div.who {
                                span { (ctx.user.display_name) " · " (ctx.user.role.label()) }
                                a href="/account/password" { "Your password" }
                                form method="post" action="/logout" {
                                    input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                                    button.link type="submit" { "Sign out" }
                                }
                            }
                        }
                    }
                }
                main #main .wrap tabindex="-1" { (content) }
                footer.wrap { p { "Safeguard · synthetic demonstration data only · every access to personal data is logged" } }
            }
        }
    }
}

fn nav_links(role: Role) -> Vec<(&'static str, &'static str)> {
    match role {
        Role::Investigator | Role::Supervisor | Role::BcuLead | Role::CentralTriage => {
            let mut v = match role {
                Role::Investigator => vec![("/work", "My work")],
                Role::Supervisor => vec![("/team", "Team"), ("/work", "My work")],
                Role::BcuLead => vec![("/team", "Team")],
                _ => vec![("/central", "Central desk"), ("/team", "Teams")],
            };
            v.extend([
                ("/referrals", "Referral queue"),
                ("/referrals/new", "New referral"),
                ("/referrals/upload", "Import"),
            ]);
            if role != Role::CentralTriage {
                v.push(("/exhibits", "Exhibits"));
            }
            if matches!(role, Role::Supervisor | Role::BcuLead | Role::CentralTriage) {
                v.push(("/oversight", "Figures"));
            }
            if matches!(role, Role::BcuLead | Role::CentralTriage) {
                v.push(("/governance", "Inspections"));
            }
            if role != Role::CentralTriage {
                v.push(("/governance/training", "Training"));
            }
            v
        }
        Role::Auditor => vec![
            ("/referrals", "Referrals"),
            ("/quality", "Quality reviews"),
            ("/team", "Teams"),
            ("/oversight", "Figures"),
            ("/governance", "Inspections"),
        ],
        Role::Oversight => vec![("/oversight", "Figures"), ("/governance", "Inspections")],
        Role::Dpo => vec![("/audit", "Access log"), ("/governance", "Inspections")],
        Role::ImprovementLead => vec![
            ("/governance", "Inspections"),
            ("/governance/training", "Training"),
        ],
        Role::Admin => vec![("/admin/users", "Users")],
        Role::Forensics => vec![("/exhibits", "Exhibits queue")],
    }
}

/// A page with one message.
pub fn message_page(ctx: Option<&Ctx>, status: StatusCode, title: &str, message: &str) -> Response {
    let body = frame(
        ctx,
        title,
        html! { h1 { (title) } p { (message) } p { a href="/" { "Go to your start page" } } },
    );
    (status, Html(body.into_string())).into_response()
}

/// An error as a page: the same status and message as the API, never internal detail.
pub fn error_page(ctx: Option<&Ctx>, e: Error) -> Response {
    crate::error::log(&e);
    let status = status_of(&e);
    let title = match status {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::FORBIDDEN => "Not available to your role",
        StatusCode::CONFLICT => "Changed by someone else",
        StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
        StatusCode::INTERNAL_SERVER_ERROR => "Sorry, there is a problem",
        StatusCode::SERVICE_UNAVAILABLE => "Sorry, the service is unavailable",
        _ => "There is a problem",
    };
    let msg = match e {
        Error::NotFound => "There is no such record, or it is not yours to see. If you typed the address, check it.".to_string(),
        other => other.message(),
    };
    message_page(ctx, status, title, &msg)
}

/// An error summary box at the top of a form.
pub fn error_summary(errors: &[String]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-title" tabindex="-1" {
                h2 #error-title { "There is a problem" }
                ul { @for e in errors { li { (e) } } }
            }
        }
    }
}

/// Ask for a justification before showing a page whose processing needs one; the answer comes back as
/// the `justification` query parameter.
pub fn justification_page(ctx: &Ctx, action: &str, message: &str) -> Response {
    let body = frame(
        Some(ctx),
        "Justification needed",
        html! {
            h1 { "Why are you opening this?" }
            p { (message) }
            form.narrow method="get" action=(action) {
                div.field {
                    label for="justification" { "Justification" }
                    input #justification name="justification" type="text" required;
                }
                button type="submit" { "Continue" }
            }
        },
    );
    (StatusCode::UNPROCESSABLE_ENTITY, Html(body.into_string())).into_response()
}
