//! User accounts. Passwords arrive already hashed (Argon2id, by the web layer); the store never sees one.

use crate::{Store, StoreError, ms, on_pool};
use domain::{BcuId, ForceId, Role, User, UserId};
use jiff::Timestamp;

/// A user to create.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// Force.
    pub force: ForceId,
    /// BCU, for BCU-scoped roles.
    pub bcu: Option<BcuId>,
    /// Sign-in name (unique).
    pub username: String,
    /// Name shown to others.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Argon2id PHC string.
    pub password_hash: String,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    force_id: String,
    bcu_id: Option<String>,
    username: String,
    display_name: String,
    role: String,
    active: bool,
    must_change_password: bool,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        Ok(User {
            id: crate::rows::parse_id(&r.id)?,
            force: crate::rows::parse_id(&r.force_id)?,
            bcu: crate::rows::parse_opt(r.bcu_id.as_deref(), "BCU id")?,
            username: r.username,
            display_name: r.display_name,
            role: r
                .role
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("bad role '{}'", r.role)))?,
            active: r.active,
            must_change_password: r.must_change_password,
        })
    }
}

/// What an account's gate says of one sign-in attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInGate {
    /// No account has that name (in any case).
    NoSuchUser,
    /// The account is locked until then: no password check is made.
    Locked {
        /// When the next attempt is taken.
        until: Timestamp,
    },
    /// The attempt is counted and may check the password.
    Open {
        /// The account.
        user: User,
        /// Its Argon2id PHC string.
        password_hash: String,
        /// This attempt's number since the account's count last started again.
        attempt: i64,
    },
}

/// Refuse to bring the schema up to date while two accounts have names that differ only in case: the
/// migration that makes names unique whatever their case would fail with a bare constraint error, so list them.
pub(crate) async fn refuse_names_differing_only_in_case(
    backend: &crate::Backend,
) -> Result<(), StoreError> {
    let sql = "SELECT username, id FROM users WHERE lower(username) IN \
               (SELECT lower(username) FROM users GROUP BY lower(username) HAVING count(*) > 1) \
               ORDER BY lower(username), username";
    let clashes: Vec<(String, String)> = match backend {
        crate::Backend::Sqlite(p) => {
            let exists: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'",
            )
            .fetch_one(p)
            .await?;
            if exists == 0 {
                return Ok(());
            }
            sqlx::query_as(sql).fetch_all(p).await?
        }
        crate::Backend::Postgres(p) => {
            let exists: bool = sqlx::query_scalar("SELECT to_regclass('users') IS NOT NULL")
                .fetch_one(p)
                .await?;
            if !exists {
                return Ok(());
            }
            sqlx::query_as(sql).fetch_all(p).await?
        }
    };
    if clashes.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = clashes
        .iter()
        .map(|(name, id)| format!("'{name}' (id {id})"))
        .collect();
    Err(StoreError::Config(format!(
        "user names must be unique whatever their case, and these differ only in case: {}. Rename all but one \
         of each group (for example UPDATE users SET username = 'inv.cn.old' WHERE id = '…'), then start again.",
        list.join(", ")
    )))
}

impl Store {
    /// Count one sign-in attempt against the account named `username` (in any case) and say whether it may
    /// check the password. The check and the count are one statement, so however many attempts arrive at
    /// once (on however many servers), no more than `limit` are let through before the account locks until
    /// `now + lockout`; once that time has passed the count starts again.
    pub async fn open_sign_in(
        &self,
        username: &str,
        limit: u32,
        lockout: jiff::SignedDuration,
        now: Timestamp,
    ) -> Result<SignInGate, StoreError> {
        let until = now.checked_add(lockout).unwrap_or(now);
        let opened: Option<(String, String, i64)> = on_pool!(self, p => sqlx::query_as(
            "UPDATE users SET
                 sign_in_attempts = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE sign_in_attempts + 1 END,
                 locked_until = CASE
                     WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE sign_in_attempts + 1 END) >= $3 THEN $4
                     ELSE NULL END
             WHERE lower(username) = lower($1) AND (locked_until IS NULL OR locked_until <= $2)
             RETURNING id, password_hash, sign_in_attempts")
            .bind(username).bind(ms(now)).bind(i64::from(limit)).bind(ms(until))
            .fetch_optional(p).await)?;
        if let Some((id, password_hash, attempt)) = opened {
            let user = self
                .user(crate::rows::parse_id(&id)?)
                .await?
                .ok_or(StoreError::NotFound)?;
            return Ok(SignInGate::Open {
                user,
                password_hash,
                attempt,
            });
        }
        let locked: Option<(Option<i64>,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT locked_until FROM users WHERE lower(username) = lower($1)")
            .bind(username).fetch_optional(p).await)?;
        Ok(match locked {
            None => SignInGate::NoSuchUser,
            Some((until,)) => SignInGate::Locked {
                until: until
                    .and_then(|t| Timestamp::from_millisecond(t).ok())
                    .unwrap_or(now),
            },
        })
    }

    /// Attempt number `attempt` signed in: the account's count starts again, but only if no other attempt
    /// has been let through since (one of a parallel burst signing in does not reopen the account to the
    /// rest of the burst) and the account has not locked meanwhile (a success does not undo a lock).
    pub async fn sign_in_succeeded(&self, user: UserId, attempt: i64) -> Result<(), StoreError> {
        on_pool!(self, p => sqlx::query(
            "UPDATE users SET sign_in_attempts = 0
             WHERE id = $1 AND locked_until IS NULL AND sign_in_attempts = $2")
            .bind(user.to_string()).bind(attempt).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Until when a client address is refused sign-in: when it has `limit` failures in its current window.
    pub async fn address_refused_until(
        &self,
        address: &str,
        limit: u32,
        now: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError> {
        let until: Option<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT until FROM sign_in_addresses WHERE address = $1 AND failures >= $2 AND until > $3")
            .bind(address).bind(i64::from(limit)).bind(ms(now)).fetch_optional(p).await)?;
        Ok(until.map(crate::ts))
    }

    /// Count a failed sign-in from a client address: its window (until `until`) starts again with each
    /// failure, and a window that had ended counts from one. Windows that have ended are forgotten.
    pub async fn address_failed(
        &self,
        address: &str,
        until: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        on_pool!(self, p => {
            sqlx::query(
                "INSERT INTO sign_in_addresses (address, failures, until) VALUES ($1, 1, $2)
                 ON CONFLICT (address) DO UPDATE SET
                     failures = CASE WHEN sign_in_addresses.until <= $3 THEN 1 ELSE sign_in_addresses.failures + 1 END,
                     until = $2")
                .bind(address).bind(ms(until)).bind(ms(now)).execute(p).await?;
            sqlx::query("DELETE FROM sign_in_addresses WHERE until <= $1")
                .bind(ms(now)).execute(p).await.map(|_| ())
        })?;
        Ok(())
    }

    /// Create a user; the username must be free (whatever its case).
    pub async fn create_user(&self, u: &NewUser) -> Result<User, StoreError> {
        let id = UserId::new();
        on_pool!(self, p => sqlx::query(
            "INSERT INTO users (id, force_id, bcu_id, username, display_name, role, password_hash, active, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8)")
            .bind(id.to_string()).bind(u.force.to_string()).bind(u.bcu.map(|b| b.to_string()))
            .bind(&u.username).bind(&u.display_name).bind(u.role.as_str()).bind(&u.password_hash)
            .bind(ms(Timestamp::now()))
            .execute(p).await.map(|_| ()))
        .map_err(|e| StoreError::unique_as(e, &format!("user '{}'", u.username)))?;
        self.user(id).await?.ok_or(StoreError::NotFound)
    }

    /// A user by id.
    pub async fn user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, force_id, bcu_id, username, display_name, role, active, must_change_password FROM users WHERE id = $1")
            .bind(id.to_string()).fetch_optional(p).await)?;
        row.map(User::try_from).transpose()
    }

    /// A user and their password hash, for sign-in.
    pub async fn user_for_login(
        &self,
        username: &str,
    ) -> Result<Option<(User, String)>, StoreError> {
        let row: Option<(String,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT password_hash FROM users WHERE lower(username) = lower($1)")
            .bind(username).fetch_optional(p).await)?;
        let Some((hash,)) = row else { return Ok(None) };
        Ok(self.user_by_username(username).await?.map(|u| (u, hash)))
    }

    /// A user by sign-in name.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, force_id, bcu_id, username, display_name, role, active, must_change_password FROM users WHERE lower(username) = lower($1)")
            .bind(username).fetch_optional(p).await)?;
        row.map(User::try_from).transpose()
    }

    /// Users of a force, optionally of one BCU, by username.
    pub async fn list_users(
        &self,
        force: ForceId,
        bcu: Option<BcuId>,
    ) -> Result<Vec<User>, StoreError> {
        let rows: Vec<UserRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, force_id, bcu_id, username, display_name, role, active, must_change_password FROM users
             WHERE force_id = $1 AND ($2 IS NULL OR bcu_id = $2) ORDER BY username")
            .bind(force.to_string()).bind(bcu.map(|b| b.to_string())).fetch_all(p).await)?;
        rows.into_iter().map(User::try_from).collect()
    }

    /// Count of users (to tell an empty database from a populated one).
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(
            on_pool!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await)?,
        )
    }
}
