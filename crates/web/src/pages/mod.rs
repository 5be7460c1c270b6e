//! The HTML pages: rendered on the server with maud, no JavaScript, accessible (labels, headings, a skip
//! link, visible focus), in a plain public-sector style of the project's own.

mod admin;
mod audit;
mod board;
mod exhibits;
mod governance;
mod governance_response;
mod login;
mod new_referral;
mod oversight;
mod quality;
mod queue;
mod referral;
mod subject;
mod training;
mod upload;
mod work;

use crate::html as layout;
pub use crate::html::error_page;

use crate::AppState;
use crate::auth::PageCtx;
use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::Role;

/// Page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/static/app.css", get(css))
        .route(
            "/login",
            get(login::form)
                .post(login::submit)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::api::MAX_SIGN_IN_BODY,
                )),
        )
        .route("/logout", post(login::logout))
        .route("/referrals", get(queue::page))
        .route("/referrals.csv", get(queue::export))
        .route("/work", get(work::my_work))
        .route("/team", get(work::team))
        .route("/team/allocate", post(work::allocate))
        .route("/central", get(work::central))
        .route("/work.csv", get(work::export))
        .route("/team.csv", get(work::export))
        .route("/central.csv", get(work::export))
        .route(
            "/referrals/new",
            get(new_referral::form).post(new_referral::submit),
        )
        .route(
            "/referrals/upload",
            get(upload::form)
                .post(upload::submit)
                .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route("/referrals/{id}", get(referral::page))
        .route(
            "/referrals/{id}/original",
            get(crate::originals::page_report),
        )
        .route(
            "/referrals/{id}/package",
            get(crate::originals::page_package),
        )
        .route("/referrals/{id}/{step}", post(referral::step))
        .route("/exhibits", get(exhibits::queue))
        .route("/exhibits/{id}", get(exhibits::page))
        .route(
            "/exhibits/{id}/scan",
            post(exhibits::scan).layer(axum::extract::DefaultBodyLimit::max(
                app::exhibits::MAX_SCAN_BYTES + 64 * 1024,
            )),
        )
        .route("/exhibits/{id}/{form}", post(exhibits::submit))
        .route("/governance", get(governance::list))
        .route("/governance/inspections", post(governance::add_inspection))
        .route("/governance/inspections/{id}", get(governance::inspection))
        .route(
            "/governance/inspections/{id}/recommendations",
            post(governance::add_recommendation),
        )
        .route(
            "/governance/inspections/{id}/response",
            get(governance_response::response).post(governance_response::save_response),
        )
        .route(
            "/governance/inspections/{id}/response/publish",
            post(governance_response::publish),
        )
        .route(
            "/governance/inspections/{id}/response/letter",
            get(governance_response::response_letter),
        )
        .route(
            "/governance/recommendations/{id}",
            get(governance::recommendation),
        )
        .route(
            "/governance/recommendations/{id}/actions/{action}/done",
            post(governance::action_done),
        )
        .route(
            "/governance/recommendations/{id}/{form}",
            post(governance::recommendation_form),
        )
        .route(
            "/governance/meetings",
            get(board::list).post(board::schedule),
        )
        .route(
            "/governance/meetings/{id}",
            get(board::meeting).post(board::edit),
        )
        .route("/governance/meetings/{id}/snapshot", post(board::freeze))
        .route("/governance/meetings/{id}/pack", get(board::pack))
        .route("/governance/meetings/{id}/pack.pdf", get(board::pack_pdf))
        .route(
            "/governance/inspections/{id}/response.pdf",
            get(governance_response::response_pdf),
        )
        .route("/governance/training", get(training::page))
        .route(
            "/governance/training/completions",
            post(training::import).layer(axum::extract::DefaultBodyLimit::max(
                app::governance::MAX_CSV_BYTES + 64 * 1024,
            )),
        )
        .route("/governance/training/{form}", post(training::form))
        .route("/quality", get(quality::page))
        .route("/quality/samples", post(quality::draw))
        .route("/quality/samples/{id}", get(quality::sample))
        .route("/subjects/{id}", get(subject::page))
        .route("/links/{id}/decision", post(subject::decision))
        .route("/audit", get(audit::page))
        .route("/oversight", get(oversight::page))
        .route("/oversight/csv/{table}", get(oversight::csv))
        .route("/admin/users", get(admin::page).post(admin::create))
        .route("/admin/users/{id}", get(admin::account))
        .route("/admin/users/{id}/{action}", post(admin::change))
        .route("/admin/requests/{id}/{decision}", post(admin::decide))
        .route(
            "/account/password",
            get(admin::password_form).post(admin::password_submit),
        )
        .method_not_allowed_fallback(method_not_allowed)
}

/// Any address no route answers: a styled "Page not found" (JSON for an address under `/api/`, which the
/// API's own fallback answers).
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::json_error(
            axum::http::StatusCode::NOT_FOUND,
            "not_found",
            "There is no such API route: see /api/v1/openapi.json.",
        );
    }
    layout::message_page(
        None,
        axum::http::StatusCode::NOT_FOUND,
        "Page not found",
        "If you typed the address, check it is correct. If you pasted the address, check you copied the whole address.",
    )
}

/// A page address asked for with a method it does not take.
async fn method_not_allowed() -> Response {
    layout::message_page(
        None,
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "Page not found",
        "This page cannot be used that way. Go back and use the page's own links and buttons.",
    )
}

/// Each role's starting page.
async fn home(PageCtx(ctx): PageCtx) -> Response {
    let to = match ctx.user.role {
        Role::Oversight => "/oversight",
        Role::Dpo => "/audit",
        Role::Admin => "/admin/users",
        Role::Investigator => "/work",
        Role::Supervisor | Role::BcuLead => "/team",
        Role::CentralTriage => "/central",
        Role::Forensics => "/exhibits",
        Role::Auditor => "/quality",
        Role::ImprovementLead => "/governance",
    };
    Redirect::to(to).into_response()
}

async fn css() -> impl IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("app.css"),
    )
}

/// The refusal of a form whose CSRF token does not match the session's, if it does not.
pub(crate) fn csrf_rejection(ctx: &crate::Ctx, given: &str) -> Option<Response> {
    use sha2::{Digest, Sha256};
    // Compare digests so the comparison time does not depend on how much of the token matched.
    let same =
        Sha256::digest(given.as_bytes()) == Sha256::digest(ctx.session.csrf_token.as_bytes());
    if same && !given.is_empty() {
        None
    } else {
        let msg = "This form has expired or did not come from Safeguard, so nothing was saved. Go back, reload the page and try again.";
        Some(layout::message_page(
            Some(ctx),
            axum::http::StatusCode::FORBIDDEN,
            "Form not accepted",
            msg,
        ))
    }
}

/// The start of an upload form (`multipart/form-data`): its first field must be the CSRF token, checked before
/// anything else is read, and the role must be one that may ever do `any_of`; otherwise the answer is given at
/// once and the file is never read.
pub(crate) async fn upload_allowed(
    ctx: &crate::Ctx,
    multipart: &mut axum::extract::Multipart,
    any_of: &[domain::Action],
) -> Result<(), Response> {
    let refused = || csrf_rejection(ctx, "").expect("an empty token is refused");
    let field = match multipart.next_field().await {
        Ok(Some(f)) if f.name() == Some("csrf") => f,
        _ => return Err(refused()),
    };
    let token = read_text(field, 256).await.unwrap_or_default();
    if let Some(r) = csrf_rejection(ctx, &token) {
        return Err(r);
    }
    let principal = ctx.principal();
    let may = any_of.iter().any(|a| {
        domain::permissions::decide(&principal, *a, domain::permissions::Target::Collection)
            == domain::permissions::Decision::Allow
    });
    if !may {
        return Err(crate::html::error_page(Some(ctx), app::Error::Forbidden));
    }
    Ok(())
}

/// A text field of an upload form, read up to `max` bytes and checked as typed text by its name.
pub(crate) async fn read_text(
    mut field: axum::extract::multipart::Field<'_>,
    max: usize,
) -> Result<String, app::Error> {
    let name = field.name().unwrap_or("field").to_string();
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| app::Error::invalid_at("request.invalid", e.body_text(), name.clone()))?
    {
        if bytes.len() + chunk.len() > max {
            return Err(crate::input::refused(
                &name,
                &domain::text::TextProblem::TooLong { max },
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        app::Error::invalid_at(
            "request.invalid",
            "The field is not UTF-8 text.",
            name.clone(),
        )
    })?;
    domain::text::check(&name, &text).map_err(|p| crate::input::refused(&name, &p))?;
    Ok(text)
}
