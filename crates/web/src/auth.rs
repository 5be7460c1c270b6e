//! Sign-in: Argon2id password hashes, session tokens (only their SHA-256 is stored), throttling of repeated
//! failures, and the extractors that turn a request into a signed-in user — a bearer token for the API, an
//! HttpOnly SameSite cookie for the pages.

use crate::AppState;
use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use domain::User;
use jiff::{Timestamp, ToSpan};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use store::Session;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "sg_session";

/// Hash a password with Argon2id and a fresh salt (CPU-heavy: call from `spawn_blocking` in handlers).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches the stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A random token as 64 hex characters.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a token, hex: what the store keeps.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Start a session for a user; returns the token to hand to the client.
pub async fn start_session(state: &AppState, user: &User) -> Result<(String, Session), AppError> {
    let token = random_token();
    let session = Session {
        token_hash: token_hash(&token),
        user: user.id,
        csrf_token: random_token(),
        expires_at: Timestamp::now() + state.config.session_hours.hours(),
    };
    state.store.create_session(&session).await?;
    Ok((token, session))
}

/// Check a username and password, with throttling. Unknown names cost the same time as wrong passwords.
pub async fn authenticate(
    state: &AppState,
    username: &str,
    password: &str,
    client: &str,
) -> Result<User, AppError> {
    let keys = [
        format!("user:{}", username.to_lowercase()),
        format!("ip:{client}"),
    ];
    for k in &keys {
        state.throttle.check(
            k,
            state.config.max_failed_logins * if k.starts_with("ip:") { 4 } else { 1 },
        )?;
    }
    let found = state.store.user_for_login(username).await?;
    let (password, stored) = (password.to_string(), found.as_ref().map(|(_, h)| h.clone()));
    let ok = tokio::task::spawn_blocking(move || match stored {
        Some(h) => verify_password(&password, &h),
        None => {
            let _ = hash_password(&password);
            false
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    match found {
        Some((user, _)) if ok && user.active => {
            keys.iter().for_each(|k| state.throttle.clear(k));
            Ok(user)
        }
        _ => {
            tracing::warn!(username, client, "failed sign-in");
            keys.iter()
                .for_each(|k| state.throttle.fail(k, state.config.lockout_minutes));
            Err(AppError::invalid(
                "auth.invalid",
                "The user name or password is not right.",
            ))
        }
    }
}

/// Failed sign-in counts per user name and per client address.
#[derive(Default, Debug)]
pub struct Throttle {
    entries: Mutex<HashMap<String, (u32, Timestamp)>>,
}

impl Throttle {
    fn check(&self, key: &str, limit: u32) -> Result<(), AppError> {
        let map = self.entries.lock().expect("throttle lock");
        match map.get(key) {
            Some((n, until)) if *n >= limit && *until > Timestamp::now() => {
                let secs = until.as_second() - Timestamp::now().as_second();
                let mins = (secs + 59) / 60;
                Err(AppError::Throttled { minutes: mins })
            }
            _ => Ok(()),
        }
    }

    fn fail(&self, key: &str, lockout_minutes: i64) {
        let mut map = self.entries.lock().expect("throttle lock");
        let now = Timestamp::now();
        let e = map.entry(key.to_string()).or_insert((0, now));
        if e.1 <= now {
            *e = (0, now);
        }
        e.0 += 1;
        e.1 = now + lockout_minutes.minutes();
    }

    fn clear(&self, key: &str) {
        self.entries.lock().expect("throttle lock").remove(key);
    }
}

/// A signed-in request: who, their session, and any justification they gave.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// The user.
    pub user: User,
    /// Their session (for the CSRF token).
    pub session: Session,
    /// `X-Justification`, if sent.
    pub justification: Option<String>,
}

impl Ctx {
    /// This user as the actor of a change, for the timeline and the access log.
    pub fn actor(&self) -> store::Actor {
        store::Actor {
            user: Some(self.user.id),
            username: self.user.username.clone(),
            display_name: self.user.display_name.clone(),
            justification: self.justification.clone(),
        }
    }
}

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

async fn ctx_for_token(state: &AppState, token: &str, parts: &Parts) -> Result<Ctx, AppError> {
    let (session, user) = state
        .store
        .session(&token_hash(token), Timestamp::now())
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(Ctx {
        user,
        session,
        justification: header(parts, "x-justification").filter(|j| !j.trim().is_empty()),
    })
}

/// The API's signed-in user, from `Authorization: Bearer <token>`.
pub struct ApiCtx(pub Ctx);

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let auth = header(parts, "authorization").ok_or(AppError::Unauthenticated)?;
        let token = auth
            .strip_prefix("Bearer ")
            .ok_or(AppError::Unauthenticated)?;
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
            Err(AppError::Unauthenticated) => Err(to_login()),
            Err(e) => Err(crate::pages::error_page(None, e)),
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
