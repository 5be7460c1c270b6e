//! The extractors that turn a request into a signed-in user — a bearer token for the API, an HttpOnly
//! SameSite cookie for the pages — and the client's address for sign-in throttling. Checking the token
//! is `app::auth`'s; this module only finds it in the request.

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, Error};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "sg_session";

fn header(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A cookie for the pages: `Path=/`, HttpOnly, SameSite=Strict, `Secure` when served over HTTPS, kept for
/// `max_age_seconds`.
pub fn page_cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    max_age_seconds: i64,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.web.secure_cookies)
        .max_age(cookie::time::Duration::seconds(max_age_seconds))
        .build()
}

/// A page cookie that tells the browser to forget `name` at once.
pub fn cleared_cookie(state: &AppState, name: &'static str) -> Cookie<'static> {
    let mut c = page_cookie(state, name, String::new(), 0);
    c.make_removal();
    c
}

async fn ctx_for_token(state: &AppState, token: &str, parts: &Parts) -> Result<Ctx, Error> {
    let justification = header(parts, "x-justification");
    if let Some(j) = &justification {
        domain::text::check("justification", j)
            .map_err(|p| crate::input::refused("justification", &p))?;
    }
    let (actor, session) = app::auth::session(&state.app, token, justification).await?;
    Ok(Ctx {
        actor,
        session,
        escalated_unrouted: None,
    })
}

/// The API's signed-in user, from `Authorization: Bearer <token>`.
pub struct ApiCtx(pub Ctx);

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let auth = header(parts, "authorization").ok_or(Error::Unauthenticated)?;
        let token = auth.strip_prefix("Bearer ").ok_or(Error::Unauthenticated)?;
        let ctx = ctx_for_token(state, token.trim(), parts).await?;
        // After an administrator's reset, only choosing a new password (or leaving) is open.
        let path = parts.uri.path();
        if ctx.user.must_change_password
            && !matches!(
                path.trim_start_matches("/api/v1"),
                "/auth/password" | "/auth/logout" | "/me"
            )
        {
            return Err(Error::PasswordChangeRequired.into());
        }
        Ok(ApiCtx(ctx))
    }
}

/// The pages' signed-in user, from the session cookie; without one the browser is sent to sign in.
pub struct PageCtx(pub Ctx);

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = axum::response::Response;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let to_login = || axum::response::Redirect::to("/login").into_response();
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(SESSION_COOKIE)
            .map(|c| c.value().to_string())
            .ok_or_else(to_login)?;
        match ctx_for_token(state, &token, parts).await {
            Ok(ctx)
                if ctx.user.must_change_password
                    && !matches!(parts.uri.path(), "/account/password" | "/logout") =>
            {
                Err(axum::response::Redirect::to("/account/password").into_response())
            }
            Ok(mut ctx) => {
                ctx.escalated_unrouted = app::worklists::escalated_unrouted(&state.app, &ctx)
                    .await
                    .map_err(|e| crate::html::error_page(None, e))?;
                Ok(PageCtx(ctx))
            }
            Err(Error::Unauthenticated) => Err(to_login()),
            Err(e) => Err(crate::html::error_page(None, e)),
        }
    }
}

/// The client's address, for sign-in limits (`unknown` when the server was not given connection info). When
/// the TCP peer is a trusted proxy, it is the right-most `X-Forwarded-For` address that is not itself a trusted
/// proxy; a malformed header is not believed (the peer then stands for the client).
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let Some(peer) = peer else {
            return Ok(ClientAddr("unknown".into()));
        };
        Ok(ClientAddr(
            client_behind(peer, &parts.headers, &state.web.trusted_proxies).to_string(),
        ))
    }
}

/// The client address a request from `peer` with these headers stands for, given the trusted proxies.
pub fn client_behind(
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[ipnet::IpNet],
) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut hops = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(text) = value.to_str() else {
            return peer;
        };
        for hop in text.split(',') {
            match hop.trim().parse::<std::net::IpAddr>() {
                Ok(ip) => hops.push(ip),
                Err(_) => return peer,
            }
        }
    }
    hops.into_iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer)
}
