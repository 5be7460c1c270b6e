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

thread_local! {
    /// This thread's Argon2 working memory, kept between checks: sign-in runs on a few long-lived threads,
    /// so the memory it ever holds is their number times one check's (about 19 MiB), however many checks run.
    static ARGON2_MEMORY: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether `password` matches the stored hash, computed in this thread's kept working memory.
fn verify_in_kept_memory(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt.as_ref(), parsed.hash.as_ref()) else {
        return false;
    };
    let Ok(params) = argon2::Params::try_from(&parsed) else {
        return false;
    };
    let Ok(algorithm) = argon2::Algorithm::try_from(parsed.algorithm.as_str()) else {
        return false;
    };
    let version = match parsed.version.map(argon2::Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let blocks = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.as_bytes().len()];
    let done = ARGON2_MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() < blocks {
            m.resize(blocks, argon2::Block::default());
        }
        argon
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt.as_ref(),
                &mut out,
                &mut m[..blocks],
            )
            .is_ok()
    });
    // Compare in time that does not depend on where the first difference is.
    done && out.len() == expected.as_bytes().len()
        && out
            .iter()
            .zip(expected.as_bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// A hash to check unknown names against, so that they cost what a wrong password costs.
fn stand_in_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("no account has this password").unwrap_or_default())
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
    let now = Timestamp::now();
    if let Some(until) = app
        .store()
        .address_refused_until(&address, config.max_failed_logins_per_address, now)
        .await?
    {
        return Err(Error::Throttled {
            retry_after_seconds: until.as_second() - now.as_second(),
            account: false,
        });
    }
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
                account: true,
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
    let ok = app
        .sign_ins
        .run(move || {
            checks.ran();
            let ok = match stored {
                Some(h) => verify_in_kept_memory(&password, &h),
                None => {
                    let _ = verify_in_kept_memory(&password, stand_in_hash());
                    false
                }
            };
            drop(permit);
            ok
        })
        .await?;
    match user {
        Some((user, attempt)) if ok && user.active => {
            app.store().sign_in_succeeded(user.id, attempt).await?;
            Ok(user)
        }
        _ => {
            tracing::warn!(username = %loggable(username), client, "failed sign-in");
            let now = Timestamp::now();
            app.store()
                .address_failed(
                    &address,
                    now + jiff::SignedDuration::from_mins(config.lockout_minutes),
                    now,
                )
                .await?;
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

/// The bound on password checks running at once, their counts, and the threads they run on. The checks run
/// on as many long-lived threads as may run at once, not on the runtime's blocking pool: each check holds
/// about 19 MiB, which the allocator keeps for the thread that used it, so a fixed set of threads keeps the
/// memory sign-in can ever hold at the bound times 19 MiB, however many attempts arrive over time.
#[derive(Debug)]
pub(crate) struct SignInChecks {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
    limit: usize,
    run: std::sync::atomic::AtomicU64,
    most_at_once: std::sync::atomic::AtomicUsize,
    jobs: std::sync::mpsc::Sender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

/// One running check; its place is given back when it is dropped.
pub(crate) struct CheckPermit(#[allow(dead_code)] tokio::sync::OwnedSemaphorePermit);

impl SignInChecks {
    pub(crate) fn new(limit: usize) -> Self {
        let limit = limit.max(1);
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = std::sync::Arc::new(Mutex::new(queue));
        for n in 0..limit {
            let queue = queue.clone();
            // The threads end when the application (and so the sender) is dropped.
            let _ = std::thread::Builder::new()
                .name(format!("sign-in-{n}"))
                .spawn(move || {
                    loop {
                        let job = queue.lock().expect("sign-in queue").recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => break,
                        }
                    }
                });
        }
        SignInChecks {
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(limit)),
            limit,
            run: Default::default(),
            most_at_once: Default::default(),
            jobs,
        }
    }

    /// Run a check on the sign-in threads and wait for its answer.
    async fn run<T: Send + 'static>(
        &self,
        check: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Error> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = tx.send(check());
            }))
            .map_err(|_| Error::Internal("the sign-in threads have stopped".into()))?;
        rx.await
            .map_err(|_| Error::Internal("a sign-in check did not finish".into()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_in_kept_memory_agrees_with_the_library_and_refuses_a_wrong_password() {
        let h = hash_password("violet tractor ninety harbour").unwrap();
        assert!(verify_in_kept_memory("violet tractor ninety harbour", &h));
        assert!(verify_password("violet tractor ninety harbour", &h));
        assert!(!verify_in_kept_memory("violet tractor ninety harbouR", &h));
        assert!(!verify_in_kept_memory("x", "not a hash"));
        assert!(!verify_in_kept_memory("x", stand_in_hash()));
    }

    #[test]
    fn a_log_line_shows_at_most_64_characters_of_a_name_with_control_characters_escaped() {
        assert_eq!(loggable("inv.cn"), "inv.cn");
        assert_eq!(loggable("a\nb"), "a\\nb");
        let long = loggable(&"x".repeat(10_000));
        assert_eq!(long.chars().count(), 65);
    }
}
