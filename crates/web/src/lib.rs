//! Safeguard's web front: the HTML pages officers use and the JSON API under `/api/v1`, on one axum
//! router. Every request is signed in (a session cookie for pages, a bearer token for the API), every
//! decision about a record goes through `domain::decide`, and every access to personal data is logged.

// The OpenAPI document is one large `json!` literal.
#![recursion_limit = "512"]

pub mod access;
pub mod api;
pub mod auth;
pub mod config;
pub mod error;
pub mod import;
pub mod originals;
pub mod pages;
mod referral_ops;
pub mod triage_ops;
pub mod views;

pub use config::WebConfig;

use axum::Router;
use std::sync::Arc;
use store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The data.
    pub store: Store,
    /// Settings fixed at start-up.
    pub config: Arc<WebConfig>,
    /// Failed sign-in counts, for throttling.
    pub throttle: Arc<auth::Throttle>,
}

impl AppState {
    /// State for a store and configuration.
    pub fn new(store: Store, config: WebConfig) -> Self {
        Self {
            store,
            config: Arc::new(config),
            throttle: Arc::default(),
        }
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .route("/healthz", axum::routing::get(healthz))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

async fn healthz(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, &'static str) {
    match s.store.ping().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!("health check failed: {e}");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable",
            )
        }
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
