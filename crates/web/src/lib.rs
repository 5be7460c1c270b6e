//! Safeguard's web front, HTTP only: the HTML pages officers use and the JSON API under `/api/v1`, on one
//! axum router. It turns requests into calls of the `app` use cases (a page and its API route call the same
//! function) and their answers into pages or JSON; it never reaches the store itself. Every request is
//! signed in (a session cookie for pages, a bearer token for the API).

pub mod api;
pub mod auth;
mod charts;
mod csv;
mod ctx;
pub mod error;
mod html;
pub mod input;
mod originals;
pub mod pages;
mod print;
pub mod views;

pub use ctx::Ctx;

use axum::Router;
use std::sync::Arc;

/// Settings of the web edge itself (the use cases' settings are in `app::Config`).
#[derive(Clone, Debug, Default)]
pub struct WebConfig {
    /// Whether cookies are marked `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed: the client is the right-most address in it
    /// outside these ranges. Empty: the TCP peer is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// A proxy range as `--trusted-proxy` takes it: a CIDR (`10.0.0.0/8`, `fd00::/8`) or one address.
pub fn parse_proxy_range(s: &str) -> Result<ipnet::IpNet, String> {
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("'{s}' is not an address or a range such as 10.0.0.0/8"))
}

/// What every handler can reach: the use cases and the web edge's settings.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub app: app::App,
    /// Settings of the web edge.
    pub web: Arc<WebConfig>,
}

impl AppState {
    /// State for the application and the web edge's settings.
    pub fn new(app: app::App, web: WebConfig) -> Self {
        Self {
            app,
            web: Arc::new(web),
        }
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .route("/healthz", axum::routing::get(healthz))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(uri_limit))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

async fn healthz(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, &'static str) {
    match s.app.health().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok"),
        Err(e) => {
            error::log(&e);
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable",
            )
        }
    }
}

/// The longest address (path and query) answered; a longer one is refused before any routing, as JSON for
/// the API and as a page otherwise. (The HTTP layer itself refuses addresses over 64 KiB.)
pub const MAX_URI: usize = 8 * 1024;

async fn uri_limit(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let uri = req.uri();
    let len = uri.path_and_query().map_or(0, |p| p.as_str().len());
    if len <= MAX_URI {
        return next.run(req).await;
    }
    let status = axum::http::StatusCode::URI_TOO_LONG;
    let message = format!("The address is over the limit of {} KiB.", MAX_URI >> 10);
    if uri.path().starts_with("/api/") {
        error::json_error(status, "request.uri_too_long", &message)
    } else {
        html::message_page(None, status, "Address too long", &message)
    }
}

/// Headers every response carries: no framing, no sniffing, no caching of case data, a strict CSP (the
/// pages use no scripts at all).
async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::header::{self, HeaderValue};
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    res
}

/// Serve on an already-bound listener until the process is asked to stop.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

/// Ctrl+C, or SIGTERM (what service managers and containers send).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending::<()>().await } } => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
