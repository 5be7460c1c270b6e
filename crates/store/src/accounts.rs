//! Account changes: requests waiting for a second administrator, and the changes themselves (role, BCU,
//! enabled, password, lock), each one statement.

use crate::{Store, StoreError, ms, on_pool};
use domain::accounts::AccountChange;
use domain::{BcuId, ForceId, Role, UserId};
use jiff::Timestamp;

/// A change waiting for (or decided by) a second administrator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRequest {
    /// Its id.
    pub id: String,
    /// The force.
    pub force: ForceId,
    /// What is asked.
    pub change: AccountChange,
    /// The account changed (none for a new account until it is approved).
    pub target: Option<UserId>,
    /// The account's user name (the new name, or the target's).
    pub username: String,
    /// For a new account: its display name.
    pub display_name: Option<String>,
    /// The role asked for (a new account or a new role), or the target's role.
    pub role: Option<Role>,
    /// The BCU asked for (a new account or a move).
    pub bcu: Option<BcuId>,
    /// A new account's or a reset's password hash.
    pub password_hash: Option<String>,
    /// Who asked.
    pub requested_by: UserId,
    /// Their name.
    pub requested_by_name: String,
    /// When.
    pub requested_at: Timestamp,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// Who decided.
    pub decided_by_name: Option<String>,
    /// When.
    pub decided_at: Option<Timestamp>,
    /// Why it was rejected.
    pub reason: Option<String>,
}

/// A request to store.
#[derive(Clone, Debug)]
pub struct NewAccountRequest {
    /// The force.
    pub force: ForceId,
    /// What is asked.
    pub change: AccountChange,
    /// The account changed (none for a new account).
    pub target: Option<UserId>,
    /// A new account's user name.
    pub username: Option<String>,
    /// A new account's display name.
    pub display_name: Option<String>,
    /// The role asked for.
    pub role: Option<Role>,
    /// The BCU asked for.
    pub bcu: Option<BcuId>,
    /// A password hash.
    pub password_hash: Option<String>,
    /// Who asks.
    pub requested_by: UserId,
}

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: String,
    force_id: String,
    change: String,
    target_user: Option<String>,
    username: Option<String>,
    target_name: Option<String>,
    display_name: Option<String>,
    role: Option<String>,
    bcu_id: Option<String>,
    password_hash: Option<String>,
    requested_by: String,
    requested_by_name: String,
    requested_at: i64,
    status: String,
    decided_by_name: Option<String>,
    decided_at: Option<i64>,
    reason: Option<String>,
}

const REQUEST_SELECT: &str = "SELECT q.id, q.force_id, q.change, q.target_user, q.username, t.username AS target_name,
        q.display_name, q.role, q.bcu_id, q.password_hash, q.requested_by, r.username AS requested_by_name,
        q.requested_at, q.status, d.username AS decided_by_name, q.decided_at, q.reason
     FROM account_requests q JOIN users r ON r.id = q.requested_by
     LEFT JOIN users t ON t.id = q.target_user LEFT JOIN users d ON d.id = q.decided_by";

impl TryFrom<RequestRow> for AccountRequest {
    type Error = StoreError;
    fn try_from(r: RequestRow) -> Result<Self, StoreError> {
        let time = |t: i64| {
            Timestamp::from_millisecond(t)
                .map_err(|e| StoreError::Corrupt(format!("bad request time: {e}")))
        };
        Ok(AccountRequest {
            id: r.id,
            force: crate::rows::parse_id(&r.force_id)?,
            change: r.change.parse().map_err(StoreError::Corrupt)?,
            target: crate::rows::parse_opt(r.target_user.as_deref(), "user id")?,
            username: r.username.or(r.target_name).unwrap_or_default(),
            display_name: r.display_name,
            role: r
                .role
                .map(|s| {
                    s.parse()
                        .map_err(|_| StoreError::Corrupt(format!("bad role '{s}'")))
                })
                .transpose()?,
            bcu: crate::rows::parse_opt(r.bcu_id.as_deref(), "BCU id")?,
            password_hash: r.password_hash,
            requested_by: crate::rows::parse_id(&r.requested_by)?,
            requested_by_name: r.requested_by_name,
            requested_at: time(r.requested_at)?,
            status: r.status,
            decided_by_name: r.decided_by_name,
            decided_at: r.decided_at.map(time).transpose()?,
            reason: r.reason,
        })
    }
}

/// What to change of an account (each `Some` field is set).
#[derive(Clone, Debug, Default)]
pub struct AccountUpdate {
    /// A new role.
    pub role: Option<Role>,
    /// A new BCU (`Some(None)`: no BCU).
    pub bcu: Option<Option<BcuId>>,
    /// Enabled or disabled.
    pub active: Option<bool>,
    /// A new password hash.
    pub password_hash: Option<String>,
    /// Whether the owner must choose a new password at the next sign-in.
    pub must_change_password: Option<bool>,
}

impl Store {
    /// Store a request; it waits for a second administrator.
    pub async fn create_account_request(
        &self,
        r: &NewAccountRequest,
    ) -> Result<AccountRequest, StoreError> {
        let id = uuid::Uuid::now_v7().to_string();
        on_pool!(self, p => sqlx::query(
            "INSERT INTO account_requests (id, force_id, change, target_user, username, display_name, role, bcu_id,
                                           password_hash, requested_by, requested_at, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending')")
            .bind(&id).bind(r.force.to_string()).bind(r.change.as_str()).bind(r.target.map(|u| u.to_string()))
            .bind(&r.username).bind(&r.display_name).bind(r.role.map(|x| x.as_str()))
            .bind(r.bcu.map(|b| b.to_string())).bind(&r.password_hash).bind(r.requested_by.to_string())
            .bind(ms(Timestamp::now()))
            .execute(p).await.map(|_| ()))?;
        self.account_request(&id).await?.ok_or(StoreError::NotFound)
    }

    /// One request.
    pub async fn account_request(&self, id: &str) -> Result<Option<AccountRequest>, StoreError> {
        let sql = format!("{REQUEST_SELECT} WHERE q.id = $1");
        let row: Option<RequestRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id).fetch_optional(p).await)?;
        row.map(AccountRequest::try_from).transpose()
    }

    /// A force's requests, newest first: the pending ones, or the last `limit` of every status.
    pub async fn account_requests(
        &self,
        force: ForceId,
        pending_only: bool,
        limit: i64,
    ) -> Result<Vec<AccountRequest>, StoreError> {
        let sql = format!(
            "{REQUEST_SELECT} WHERE q.force_id = $1 AND ($2 = FALSE OR q.status = 'pending')
             ORDER BY q.requested_at DESC, q.id DESC LIMIT $3"
        );
        let rows: Vec<RequestRow> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).bind(pending_only).bind(limit).fetch_all(p).await)?;
        rows.into_iter().map(AccountRequest::try_from).collect()
    }

    /// Decide a pending request (`approved` or `rejected`): true when this call decided it, false when it
    /// had been decided already.
    pub async fn decide_account_request(
        &self,
        id: &str,
        status: &str,
        decided_by: Option<UserId>,
        reason: Option<&str>,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(self, p => sqlx::query(
            "UPDATE account_requests SET status = $2, decided_by = $3, decided_at = $4, reason = $5
             WHERE id = $1 AND status = 'pending'")
            .bind(id).bind(status).bind(decided_by.map(|u| u.to_string())).bind(ms(Timestamp::now())).bind(reason)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Change an account.
    pub async fn update_account(&self, id: UserId, u: &AccountUpdate) -> Result<(), StoreError> {
        let n = on_pool!(self, p => sqlx::query(
            "UPDATE users SET
                 role = COALESCE($2, role),
                 bcu_id = CASE WHEN $3 THEN $4 ELSE bcu_id END,
                 active = COALESCE($5, active),
                 password_hash = COALESCE($6, password_hash),
                 must_change_password = COALESCE($7, must_change_password)
             WHERE id = $1")
            .bind(id.to_string()).bind(u.role.map(|r| r.as_str()))
            .bind(u.bcu.is_some()).bind(u.bcu.flatten().map(|b| b.to_string()))
            .bind(u.active).bind(&u.password_hash).bind(u.must_change_password)
            .execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// End every session of an account (it was disabled).
    pub async fn end_sessions_of(&self, user: UserId) -> Result<u64, StoreError> {
        Ok(
            on_pool!(self, p => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.to_string()).execute(p).await.map(|r| r.rows_affected()))?,
        )
    }

    /// Lift an account's sign-in lock and start its count again. Whether it was locked.
    pub async fn unlock_account(&self, user: UserId, now: Timestamp) -> Result<bool, StoreError> {
        let was: Option<(Option<i64>,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT locked_until FROM users WHERE id = $1").bind(user.to_string()).fetch_optional(p).await)?;
        let Some((until,)) = was else {
            return Err(StoreError::NotFound);
        };
        on_pool!(self, p => sqlx::query(
            "UPDATE users SET sign_in_attempts = 0, locked_until = NULL WHERE id = $1")
            .bind(user.to_string()).execute(p).await.map(|_| ()))?;
        Ok(until.is_some_and(|t| t > ms(now)))
    }

    /// Whether an account is locked now, and until when.
    pub async fn locked_until(
        &self,
        user: UserId,
        now: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError> {
        let row: Option<(Option<i64>,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT locked_until FROM users WHERE id = $1").bind(user.to_string()).fetch_optional(p).await)?;
        Ok(row
            .and_then(|(t,)| t)
            .filter(|t| *t > ms(now))
            .and_then(|t| Timestamp::from_millisecond(t).ok()))
    }

    /// The open referrals allocated to an officer: (id, source, report id, status), for their sergeant.
    pub async fn open_allocations_of(
        &self,
        user: UserId,
    ) -> Result<Vec<(String, String, String, String)>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, source, report_id, status FROM referrals
             WHERE allocated_to = $1 AND status <> 'closed' ORDER BY received_at")
            .bind(user.to_string()).fetch_all(p).await)?)
    }

    /// Administrators of a force who can sign in.
    pub async fn active_admins(&self, force: ForceId) -> Result<i64, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE force_id = $1 AND role = 'admin' AND active")
            .bind(force.to_string()).fetch_one(p).await)?)
    }
}
