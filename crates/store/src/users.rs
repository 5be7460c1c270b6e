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
        })
    }
}

impl Store {
    /// Create a user; the username must be free.
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
            "SELECT id, force_id, bcu_id, username, display_name, role, active FROM users WHERE id = $1")
            .bind(id.to_string()).fetch_optional(p).await)?;
        row.map(User::try_from).transpose()
    }

    /// A user and their password hash, for sign-in.
    pub async fn user_for_login(
        &self,
        username: &str,
    ) -> Result<Option<(User, String)>, StoreError> {
        let row: Option<(String,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT password_hash FROM users WHERE username = $1")
            .bind(username).fetch_optional(p).await)?;
        let Some((hash,)) = row else { return Ok(None) };
        Ok(self.user_by_username(username).await?.map(|u| (u, hash)))
    }

    /// A user by sign-in name.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>, StoreError> {
        let row: Option<UserRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, force_id, bcu_id, username, display_name, role, active FROM users WHERE username = $1")
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
            "SELECT id, force_id, bcu_id, username, display_name, role, active FROM users
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
