//! Uploading a referral package or a CyberTipline XML report from the browser: the same import path as
//! `safeguard import` and the API, all or nothing, with the result or the located error shown.

use super::layout::{error_summary, frame};
use crate::auth::PageCtx;
use crate::error::Error;
use crate::{AppState, Ctx};
use app::import::{Form, ImportResult};
use axum::extract::{Multipart, State};
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};
use std::collections::HashMap;

fn render(
    ctx: &Ctx,
    boroughs: &[String],
    errors: &[String],
    result: Option<&ImportResult>,
    status: axum::http::StatusCode,
    asked: Option<&str>,
) -> Response {
    let body = frame(
        Some(ctx),
        "Import referrals",
        html! {
            h1 { "Import referrals" }
            (error_summary(errors))
            @if let Some(r) = result { (summary(r)) }
            p { "Upload Safeguard's JSON package, or one CyberTipline report as XML. A file is imported whole or not at all." }
            form method="post" action="/referrals/upload" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(ctx.session.csrf_token);
                div.field { label for="file" { "File (.json or .xml)" } input #file name="file" type="file" accept=".json,.xml,application/json,application/xml" required; }
                fieldset {
                    legend { "For an XML report only (a JSON package names its own)" }
                    div.field { label for="source" { "Source" } input #source name="source" type="text" value="NCA"; }
                    div.field { label for="received_at" { "Received by the force (London time; empty for now)" } input #received_at name="received_at" type="datetime-local" value=[asked]; }
                    @if asked.is_some() {
                        fieldset #received_at_fold {
                            legend { "That time happens twice in London (the night the clocks go back): which is meant?" }
                            div.radios {
                                div.radio { input type="radio" id="fold-first" name="received_at_fold" value="first" required; label for="fold-first" { "The first, in BST" } }
                                div.radio { input type="radio" id="fold-second" name="received_at_fold" value="second" required; label for="fold-second" { "The second, an hour later, in GMT" } }
                            }
                        }
                    }
                    div.field {
                        label for="borough" { "Borough" }
                        select #borough name="borough" {
                            option value="" { "Not known (central queue)" }
                            @for b in boroughs { option value=(b) { (b) } }
                        }
                    }
                    div.field { label for="report_id" { "Report id (empty: the file's SHA-256)" } input #report_id name="report_id" type="text"; }
                }
                button type="submit" { "Import" }
            }
        },
    );
    (status, Html(body.into_string())).into_response()
}

/// Reports and warnings listed on the page at most; the counts above them are always whole.
const SHOWN: usize = 200;

fn summary(r: &ImportResult) -> Markup {
    let c = &r.counts;
    let more = |listed: usize, total: u64| total.saturating_sub(listed.min(SHOWN) as u64);
    html! {
        div.notice role="status" {
            p {
                strong { (c.imported) " imported" } ", " (c.duplicates) " already held (duplicates, unchanged)"
                @if c.file_details_attached > 0 { ", " (c.file_details_attached) " file's details added to an earlier referral" }
                @if c.joined_existing_subject > 0 { "; " (c.joined_existing_subject) " joined an existing subject" }
                @if c.with_suggested_links > 0 { "; " (c.with_suggested_links) " with suggested links to decide" }
                "."
            }
            ul {
                @for i in r.imported.iter().take(SHOWN) {
                    li {
                        a href={"/referrals/" (i.id)} { "Report " (i.report_id) }
                        @if let Some(due) = i.triage_due_at.as_deref().and_then(|t| t.parse::<jiff::Timestamp>().ok()) {
                            " — risk assessment due " (domain::time::display(due))
                        }
                        @if i.joined_existing_subject { " — joins an existing subject" }
                    }
                }
                @if more(r.imported.len(), c.imported) > 0 { li { "… and " (more(r.imported.len(), c.imported)) " more on the queue" } }
                @for a in r.file_details_attached.iter().take(SHOWN) { li { a href={"/referrals/" (a.id)} { "Report " (a.report_id) } " (a file's details added)" } }
                @for d in r.duplicates.iter().take(SHOWN) { li { a href={"/referrals/" (d.id)} { "Report " (d.report_id) } " (duplicate)" } }
                @if more(r.duplicates.len(), c.duplicates) > 0 { li { "… and " (more(r.duplicates.len(), c.duplicates)) " more duplicates" } }
            }
            @if c.warnings > 0 {
                p { "Warnings:" }
                ul {
                    @for w in r.warnings.iter().take(SHOWN) { li { (w) } }
                    @if more(r.warnings.len(), c.warnings) > 0 { li { "… and " (more(r.warnings.len(), c.warnings)) " more" } }
                }
            }
        }
    }
}

/// `GET /referrals/upload`.
pub async fn form(State(state): State<AppState>, PageCtx(ctx): PageCtx) -> Response {
    match app::forces::boroughs(&state.app, &ctx).await {
        Ok(b) => render(&ctx, &b, &[], None, axum::http::StatusCode::OK, None),
        Err(e) => super::error_page(Some(&ctx), e),
    }
}

/// `POST /referrals/upload`.
pub async fn submit(
    State(state): State<AppState>,
    PageCtx(ctx): PageCtx,
    mut multipart: Multipart,
) -> Response {
    let boroughs = match app::forces::boroughs(&state.app, &ctx).await {
        Ok(b) => b,
        Err(e) => return super::error_page(Some(&ctx), e),
    };
    let render = |ctx: &Ctx, errors: &[String], result, status| {
        render(ctx, &boroughs, errors, result, status, None)
    };
    // The CSRF token comes first and the role is checked before the file is read.
    if let Err(r) =
        super::upload_allowed(&ctx, &mut multipart, &[domain::Action::CreateReferral]).await
    {
        return r;
    }
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("upload").to_string();
            match field.bytes().await {
                Ok(b) => file = Some((file_name, b.to_vec())),
                Err(_) => {
                    return render(
                        &ctx,
                        &["The file could not be read (it may be over 64 MiB).".into()],
                        None,
                        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    );
                }
            }
        } else {
            match super::read_text(field, domain::text::MAX_TEXT * 4).await {
                Ok(text) => {
                    fields.insert(name, text);
                }
                Err(e) => {
                    return render(
                        &ctx,
                        &[e.message()],
                        None,
                        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                    );
                }
            }
        }
    }
    let Some((file_name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return render(
            &ctx,
            &["Choose a file to import.".into()],
            None,
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let v = |k: &str| {
        fields
            .get(k)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let xml = file_name.ends_with(".xml")
        || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
    let ncmec = !xml && app::import::is_ncmec_export(&bytes[..bytes.len().min(64 << 10)]);
    let result = async {
        let bare = || -> Result<app::import::BareOptions, Error> {
            // A time that happens twice comes back with the answer to "which?".
            let received_at = match v("received_at") {
                Some(t) => match v("received_at_fold").as_deref() {
                    Some(a @ ("first" | "second")) => {
                        super::referral::parse_london_pub(&format!("{t} {a}"))?
                    }
                    _ => super::referral::parse_london_pub(&t)?,
                },
                None => jiff::Timestamp::now(),
            };
            Ok(app::import::BareOptions {
                source: v("source").unwrap_or_else(|| "NCA".into()),
                received_at,
                borough: v("borough"),
                package_ref: None,
                report_id: v("report_id"),
            })
        };
        let form = if xml {
            Form::Xml(bare()?)
        } else if ncmec {
            Form::NcmecJson(bare()?)
        } else {
            Form::Json
        };
        app::import::import_as(
            &state.app,
            &ctx,
            form,
            Some(file_name.clone()),
            std::io::Cursor::new(bytes),
        )
        .await
    }
    .await;
    match result {
        Ok(r) => render(&ctx, &[], Some(&r), axum::http::StatusCode::OK),
        Err(Error::Invalid {
            code,
            message,
            location,
        }) => {
            let at = location.map(|l| format!(" at {l}")).unwrap_or_default();
            let twice = code == "time.ambiguous";
            let msg = if twice {
                format!("{message} Choose which below, and choose the file again.")
            } else {
                format!("{file_name}{at}: {message}. Nothing from this file was imported.")
            };
            let asked = v("received_at").filter(|_| twice);
            self::render(
                &ctx,
                &boroughs,
                &[msg],
                None,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                asked.as_deref(),
            )
        }
        Err(e) => super::error_page(Some(&ctx), e),
    }
}
