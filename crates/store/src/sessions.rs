//! Signed-in sessions, shared by the web pages (cookie) and the API (bearer token). Only the SHA-256 of a
//! token is stored. Each session carries its own CSRF token for forms.

use crate::{Store, StoreError, ms, on_pool, ts};
use domain::{User, UserId};
use jiff::Timestamp;

/// A live session.
#[derive(Clone, Debug)]
pub struct Session {
    /// SHA-256 of the bearer/cookie token, hex.
    pub token_hash: String,
    /// Whose.
    pub user: UserId,
    /// Token forms must echo back.
    pub csrf_token: String,
    /// When it stops working.
    pub expires_at: Timestamp,
}

impl Store {
    /// Record a new session.
    pub async fn create_session(&self, s: &Session) -> Result<(), StoreError> {
        on_pool!(self, p => sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&s.token_hash).bind(s.user.to_string()).bind(&s.csrf_token)
            .bind(ms(Timestamp::now())).bind(ms(s.expires_at))
            .execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// The unexpired session with this token hash, and its active user.
    pub async fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<(Session, User)>, StoreError> {
        let row: Option<(String, String, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT user_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2")
            .bind(token_hash).bind(ms(now)).fetch_optional(p).await)?;
        let Some((user_id, csrf_token, expires_at)) = row else {
            return Ok(None);
        };
        let user_id: UserId = crate::rows::parse_id(&user_id)?;
        let Some(user) = self.user(user_id).await?.filter(|u| u.active) else {
            return Ok(None);
        };
        let s = Session {
            token_hash: token_hash.to_string(),
            user: user_id,
            csrf_token,
            expires_at: ts(expires_at),
        };
        Ok(Some((s, user)))
    }

    /// End a session (sign out).
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, p => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Remove expired sessions.
    pub async fn purge_sessions(&self, now: Timestamp) -> Result<u64, StoreError> {
        Ok(
            on_pool!(self, p => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(ms(now)).execute(p).await.map(|r| r.rows_affected()))?,
        )
    }
}
