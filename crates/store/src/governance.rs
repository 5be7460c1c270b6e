//! A force's governance changes (the tracker, section 55 responses, board meetings, training), appended in one
//! sequence and never changed, and the board's frozen snapshots. The changes are opaque JSON here: what they
//! mean, and what they add up to, is `domain::governance`'s.

use crate::{Actor, BeginWrite, Store, StoreError, ms, on_pool, ts};
use domain::ForceId;
use jiff::Timestamp;

/// One stored change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GovernanceRow {
    /// Its place in the sequence.
    pub seq: i64,
    /// When it was recorded.
    pub at: Timestamp,
    /// Who recorded it (their name as shown then).
    pub by: String,
    /// The change (JSON).
    pub change: String,
}

/// A change to append: its kind and subject (for reading the table by eye) and its JSON.
#[derive(Clone, Debug)]
pub struct NewGovernance {
    /// The change's kind.
    pub kind: String,
    /// The id it is about.
    pub subject: String,
    /// The change (JSON).
    pub change: String,
}

/// A frozen snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotRow {
    /// Its id.
    pub id: String,
    /// The meeting's id.
    pub meeting: String,
    /// When it was frozen.
    pub frozen_at: Timestamp,
    /// Who froze it.
    pub frozen_by: Option<String>,
    /// Its content (JSON).
    pub content: String,
    /// The content's SHA-256 (hex).
    pub sha256: String,
}

type SnapshotTuple = (String, String, i64, Option<String>, String, String);

impl Store {
    /// Every governance change of `force`, in sequence.
    pub async fn governance_events(
        &self,
        force: ForceId,
    ) -> Result<Vec<GovernanceRow>, StoreError> {
        let rows: Vec<(i64, i64, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT seq, at, by_name, change FROM governance_events WHERE force_id = $1 ORDER BY seq")
            .bind(force.to_string()).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(seq, at, by, change)| GovernanceRow {
                seq,
                at: ts(at),
                by,
                change,
            })
            .collect())
    }

    /// Append `changes` to `force`'s sequence in one transaction, provided its last change is still
    /// `expected_last` (0 for none): the rules were checked against that state, so a change recorded in between
    /// by someone else answers [`StoreError::Conflict`] and nothing is written. Gives the new last sequence number.
    pub async fn append_governance(
        &self,
        force: ForceId,
        expected_last: i64,
        changes: &[NewGovernance],
        at: Timestamp,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (last,): (Option<i64>,) = sqlx::query_as(
                "SELECT MAX(seq) FROM governance_events WHERE force_id = $1")
                .bind(force.to_string()).fetch_one(&mut *tx).await?;
            if last.unwrap_or(0) != expected_last {
                return Err(StoreError::Conflict);
            }
            let mut seq = expected_last;
            for c in changes {
                let (s,): (i64,) = sqlx::query_as(
                    "INSERT INTO governance_events (force_id, at, by_user, by_name, kind, subject, change)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq")
                    .bind(force.to_string()).bind(ms(at)).bind(actor.user.map(|u| u.to_string()))
                    .bind(&actor.display_name).bind(&c.kind).bind(&c.subject).bind(&c.change)
                    .fetch_one(&mut *tx).await?;
                seq = s;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(seq)
        })
    }

    /// Freeze a meeting's snapshot: once per meeting ([`StoreError::Conflict`] if it is already frozen).
    pub async fn freeze_snapshot(
        &self,
        force: ForceId,
        meeting: &str,
        content: &str,
        sha256: &str,
        at: Timestamp,
        actor: &Actor,
    ) -> Result<String, StoreError> {
        let _guard = self.write_lock.lock().await;
        let id = uuid::Uuid::now_v7().to_string();
        let done = on_pool!(self, p => sqlx::query(
            "INSERT INTO board_snapshots (id, force_id, meeting, frozen_at, frozen_by, content, sha256)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (force_id, meeting) DO NOTHING")
            .bind(&id).bind(force.to_string()).bind(meeting).bind(ms(at))
            .bind(actor.user.map(|u| u.to_string())).bind(content).bind(sha256)
            .execute(p).await.map(|r| r.rows_affected()))?;
        if done == 0 {
            return Err(StoreError::Conflict);
        }
        Ok(id)
    }

    /// The force's frozen snapshots, oldest first.
    pub async fn snapshots(&self, force: ForceId) -> Result<Vec<SnapshotRow>, StoreError> {
        let rows: Vec<SnapshotTuple> = on_pool!(self, p => sqlx::query_as(
            "SELECT s.id, s.meeting, s.frozen_at, u.display_name, s.content, s.sha256
             FROM board_snapshots s LEFT JOIN users u ON u.id = s.frozen_by
             WHERE s.force_id = $1 ORDER BY s.frozen_at, s.id")
            .bind(force.to_string()).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, meeting, frozen_at, frozen_by, content, sha256)| SnapshotRow {
                    id,
                    meeting,
                    frozen_at: ts(frozen_at),
                    frozen_by,
                    content,
                    sha256,
                },
            )
            .collect())
    }
}

impl Store {
    /// The staff numbers of `force`'s users (those that have one), by user id.
    pub async fn staff_numbers(
        &self,
        force: ForceId,
    ) -> Result<Vec<(domain::UserId, String)>, StoreError> {
        let rows: Vec<(String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, staff_number FROM users WHERE force_id = $1 AND staff_number IS NOT NULL ORDER BY staff_number")
            .bind(force.to_string()).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(id, n)| {
                id.parse()
                    .map(|id| (id, n))
                    .map_err(|_| StoreError::Corrupt(format!("user id {id}")))
            })
            .collect()
    }

    /// Set (or clear) a user's staff number; another user of the force already holding it answers
    /// [`StoreError::Conflict`].
    pub async fn set_staff_number(
        &self,
        force: ForceId,
        user: domain::UserId,
        staff_number: Option<&str>,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        let result = on_pool!(self, p => sqlx::query(
            "UPDATE users SET staff_number = $1 WHERE id = $2 AND force_id = $3")
            .bind(staff_number).bind(user.to_string()).bind(force.to_string()).execute(p).await.map(|r| r.rows_affected()));
        match result {
            Ok(0) => Err(StoreError::NotFound),
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict),
            Err(e) => Err(e.into()),
        }
    }
}
