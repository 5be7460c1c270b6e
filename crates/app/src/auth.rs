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

/// The longest user name or password read, in bytes: a longer one is refused before any other work.
pub const MAX_CREDENTIAL_BYTES: usize = 256;

/// Most client addresses whose failed sign-ins are remembered at once; beyond it the entry that would expire
/// first is forgotten, so a flood of addresses cannot grow memory without bound.
pub const MAX_TRACKED_ADDRESSES: usize = 10_000;

/// Check a user name and password. In order, before any password check: names and passwords over
/// [`MAX_CREDENTIAL_BYTES`] are refused; an address with too many recent failures is refused; beyond
/// `max_concurrent_sign_ins` checks at once the attempt is refused as busy; and the account's own count (in
/// the database, checked and incremented in one statement) must not have reached `max_failed_logins`.
/// Unknown names cost one password hash, as wrong passwords do.
pub async fn authenticate(
    app: &App,
    username: &str,
    password: &str,
    client: &str,
) -> Result<User, Error> {
    for (value, field, what) in [
        (username, "username", "user name"),
        (password, "password", "password"),
    ] {
        if value.len() > MAX_CREDENTIAL_BYTES {
            return Err(Error::invalid_at(
                "auth.too_long",
                format!("A {what} is at most {MAX_CREDENTIAL_BYTES} bytes."),
                field,
            ));
        }
    }
    let config = app.config();
    let address = format!("ip:{client}");
    app.throttle
        .check(&address, config.max_failed_logins_per_address)?;
    let permit = app.sign_ins.start()?;
    let gate = app
        .store()
        .open_sign_in(
            username,
            config.max_failed_logins,
            jiff::SignedDuration::from_mins(config.lockout_minutes),
            Timestamp::now(),
        )
        .await?;
    let (user, stored) = match gate {
        store::SignInGate::Locked { until } => {
            tracing::warn!(username = %loggable(username), client, "sign-in refused: the account is locked");
            return Err(Error::Throttled {
                retry_after_seconds: until.as_second() - Timestamp::now().as_second(),
            });
        }
        store::SignInGate::NoSuchUser => (None, None),
        store::SignInGate::Open {
            user,
            password_hash,
            attempt,
        } => (Some((user, attempt)), Some(password_hash)),
    };
    let password = password.to_string();
    let checks = app.sign_ins.clone();
    let ok = tokio::task::spawn_blocking(move || {
        checks.ran();
        let ok = match stored {
            Some(h) => verify_password(&password, &h),
            None => {
                let _ = hash_password(&password);
                false
            }
        };
        drop(permit);
        ok
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?;
    match user {
        Some((user, attempt)) if ok && user.active => {
            app.store().sign_in_succeeded(user.id, attempt).await?;
            Ok(user)
        }
        _ => {
            tracing::warn!(username = %loggable(username), client, "failed sign-in");
            app.throttle.fail(&address, config.lockout_minutes);
            Err(Error::invalid(
                "auth.invalid",
                "The user name or password is not right.",
            ))
        }
    }
}

/// A user name as a log line may show it: at most 64 characters, with control characters escaped.
fn loggable(name: &str) -> String {
    let short: String = name.chars().take(64).collect();
    let escaped = short.escape_debug().to_string();
    if name.chars().count() > 64 {
        format!("{escaped}…")
    } else {
        escaped
    }
}

/// How many password checks have run, and the most at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CheckCounts {
    /// Password checks run (including the stand-in hash for an unknown name).
    pub run: u64,
    /// The most that ran at the same time.
    pub most_at_once: usize,
}

/// The bound on password checks running at once, and their counts.
#[derive(Debug)]
pub(crate) struct SignInChecks {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
    limit: usize,
    run: std::sync::atomic::AtomicU64,
    most_at_once: std::sync::atomic::AtomicUsize,
}

/// One running check; its place is given back when it is dropped.
pub(crate) struct CheckPermit(#[allow(dead_code)] tokio::sync::OwnedSemaphorePermit);

impl SignInChecks {
    pub(crate) fn new(limit: usize) -> Self {
        let limit = limit.max(1);
        SignInChecks {
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(limit)),
            limit,
            run: Default::default(),
            most_at_once: Default::default(),
        }
    }

    /// A place for one check, or `Busy` when all are taken.
    fn start(&self) -> Result<CheckPermit, Error> {
        use std::sync::atomic::Ordering;
        let permit = self
            .permits
            .clone()
            .try_acquire_owned()
            .map_err(|_| Error::Busy {
                retry_after_seconds: 1,
            })?;
        let running = self.limit - self.permits.available_permits();
        self.most_at_once.fetch_max(running, Ordering::Relaxed);
        Ok(CheckPermit(permit))
    }

    fn ran(&self) {
        self.run.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub(crate) fn counts(&self) -> CheckCounts {
        use std::sync::atomic::Ordering;
        CheckCounts {
            run: self.run.load(Ordering::Relaxed),
            most_at_once: self.most_at_once.load(Ordering::Relaxed),
        }
    }
}

/// Failed sign-ins per client address, for at most [`MAX_TRACKED_ADDRESSES`] addresses.
#[derive(Default, Debug)]
pub struct Throttle {
    entries: Mutex<HashMap<String, (u32, Timestamp)>>,
}

impl Throttle {
    fn check(&self, key: &str, limit: u32) -> Result<(), Error> {
        let map = self.entries.lock().expect("throttle lock");
        match map.get(key) {
            Some((n, until)) if *n >= limit && *until > Timestamp::now() => Err(Error::Throttled {
                retry_after_seconds: until.as_second() - Timestamp::now().as_second(),
            }),
            _ => Ok(()),
        }
    }

    fn fail(&self, key: &str, lockout_minutes: i64) {
        let mut map = self.entries.lock().expect("throttle lock");
        let now = Timestamp::now();
        if map.len() >= MAX_TRACKED_ADDRESSES && !map.contains_key(key) {
            map.retain(|_, (_, until)| *until > now);
            if map.len() >= MAX_TRACKED_ADDRESSES
                && let Some(first) = map
                    .iter()
                    .min_by_key(|(_, (_, until))| *until)
                    .map(|(k, _)| k.clone())
            {
                map.remove(&first);
            }
        }
        let e = map.entry(key.to_string()).or_insert((0, now));
        if e.1 <= now {
            *e = (0, now);
        }
        e.0 += 1;
        e.1 = now + lockout_minutes.minutes();
    }

    /// How many addresses are remembered.
    pub fn len(&self) -> usize {
        self.entries.lock().expect("throttle lock").len()
    }

    /// Whether no address is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_from_more_addresses_than_the_bound_keep_memory_at_the_bound() {
        let t = Throttle::default();
        for i in 0..MAX_TRACKED_ADDRESSES + 50 {
            t.fail(
                &format!("ip:10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255),
                15,
            );
        }
        assert_eq!(t.len(), MAX_TRACKED_ADDRESSES);
        // The newest address is remembered, and still counted against.
        let newest = MAX_TRACKED_ADDRESSES + 49;
        let key = format!(
            "ip:10.{}.{}.{}",
            newest >> 16,
            (newest >> 8) & 255,
            newest & 255
        );
        assert!(t.check(&key, 1).is_err());
    }

    #[test]
    fn a_log_line_shows_at_most_64_characters_of_a_name_with_control_characters_escaped() {
        assert_eq!(loggable("inv.cn"), "inv.cn");
        assert_eq!(loggable("a\nb"), "a\\nb");
        let long = loggable(&"x".repeat(10_000));
        assert_eq!(long.chars().count(), 65);
    }
}
