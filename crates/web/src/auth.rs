//! The extractors that turn a request into a signed-in user — a bearer token for the API, an HttpOnly
//! SameSite cookie for the pages — and the client's address for sign-in throttling. Checking the token
//! is `app::auth`'s; this module only finds it in the request.

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{ApiError, Error};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "sg_session";

fn header(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The value of a cookie.
pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

async fn ctx_for_token(state: &AppState, token: &str, parts: &Parts) -> Result<Ctx, Error> {
    let justification = header(parts, "x-justification");
    let (actor, session) = app::auth::session(&state.app, token, justification).await?;
    Ok(Ctx { actor, session })
}

/// The API's signed-in user, from `Authorization: Bearer <token>`.
pub struct ApiCtx(pub Ctx);

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let auth = header(parts, "authorization").ok_or(Error::Unauthenticated)?;
        let token = auth.strip_prefix("Bearer ").ok_or(Error::Unauthenticated)?;
        Ok(ApiCtx(ctx_for_token(state, token.trim(), parts).await?))
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
        let token = cookie(parts, SESSION_COOKIE).ok_or_else(to_login)?;
        match ctx_for_token(state, &token, parts).await {
            Ok(ctx) => Ok(PageCtx(ctx)),
            Err(Error::Unauthenticated) => Err(to_login()),
            Err(e) => Err(crate::html::error_page(None, e)),
        }
    }
}

/// The client's address, for throttling (`unknown` when the server was not given connection info).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(ClientAddr(
            addr.map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "unknown".into()),
        ))
    }
}
