//! Signing in: Argon2id password hashes, session tokens (only their SHA-256 is stored), and throttling of
//! repeated failures per user name and per client address. The edges carry the token (a cookie, a bearer
//! header); everything about checking it is here.

use crate::{Actor, App, Error};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use domain::User;
use jiff::{Timestamp, ToSpan};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

pub use store::Session;

/// Hash a password with Argon2id and a fresh salt (CPU-heavy: call from `spawn_blocking` in async code).
pub fn hash_password(password: &str) -> Result<String, Error> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
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
    hex::encode(bytes)
}

/// SHA-256 of a token, hex: what the store keeps.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Start a session for a user; returns the token to hand to the client.
pub async fn start_session(app: &App, user: &User) -> Result<(String, Session), Error> {
    let token = random_token();
    let session = Session {
        token_hash: token_hash(&token),
        user: user.id,
        csrf_token: random_token(),
        expires_at: Timestamp::now() + app.config().session_hours.hours(),
    };
    app.store().create_session(&session).await?;
    Ok((token, session))
}

/// The actor and session a token belongs to, while the session lasts; `Unauthenticated` otherwise.
pub async fn session(
    app: &App,
    token: &str,
    justification: Option<String>,
) -> Result<(Actor, Session), Error> {
    let (session, user) = app
        .store()
        .session(&token_hash(token), Timestamp::now())
        .await?
        .ok_or(Error::Unauthenticated)?;
    Ok((Actor::new(user, justification), session))
}

/// End a session.
pub async fn end_session(app: &App, session: &Session) -> Result<(), Error> {
    Ok(app.store().delete_session(&session.token_hash).await?)
}

/// Check a username and password, with throttling. Unknown names cost the same time as wrong passwords.
pub async fn authenticate(
    app: &App,
    username: &str,
    password: &str,
    client: &str,
) -> Result<User, Error> {
    let config = app.config();
    let keys = [
        format!("user:{}", username.to_lowercase()),
        format!("ip:{client}"),
    ];
    for k in &keys {
        let per_address = if k.starts_with("ip:") { 4 } else { 1 };
        app.throttle
            .check(k, config.max_failed_logins * per_address)?;
    }
    let found = app.store().user_for_login(username).await?;
    let (password, stored) = (password.to_string(), found.as_ref().map(|(_, h)| h.clone()));
    let ok = tokio::task::spawn_blocking(move || match stored {
        Some(h) => verify_password(&password, &h),
        None => {
            let _ = hash_password(&password);
            false
        }
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?;
    match found {
        Some((user, _)) if ok && user.active => {
            keys.iter().for_each(|k| app.throttle.clear(k));
            Ok(user)
        }
        _ => {
            tracing::warn!(username, client, "failed sign-in");
            keys.iter()
                .for_each(|k| app.throttle.fail(k, config.lockout_minutes));
            Err(Error::invalid(
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
    fn check(&self, key: &str, limit: u32) -> Result<(), Error> {
        let map = self.entries.lock().expect("throttle lock");
        match map.get(key) {
            Some((n, until)) if *n >= limit && *until > Timestamp::now() => {
                let secs = until.as_second() - Timestamp::now().as_second();
                let mins = (secs + 59) / 60;
                Err(Error::Throttled { minutes: mins })
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
