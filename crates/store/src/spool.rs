//! Access-log events that never wait for an import.
//!
//! Every read appends an event to the access log, and the log is one hash chain with one head: whoever
//! writes an event must hold the head. An import holds it (and, on SQLite, the database's only write lock)
//! from its first report to its commit, so that the package stays all-or-nothing. A read that waited for the
//! head would wait for the whole import and, past SQLite's busy timeout, fail.
//!
//! So a user's access is logged by `Store::log_access`: it chains the event at once when the head is free
//! (asking without waiting), and otherwise writes it to the spool, durably, and answers. A spooled event
//! joins the chain, in the order it was spooled and with the time it happened, the next time the head is
//! free: when the import commits, when this server next logs an access, or when the log is listed or
//! verified. Each spooled event carries a key, unique in the log, so it joins the chain exactly once even if
//! the server stops between chaining it and emptying the spool.
//!
//! On SQLite the spool is a second SQLite file beside the database (`safeguard.db-access-spool`), with a
//! write lock of its own; on PostgreSQL it is the `access_spool` table, which needs no lock on the head.

use crate::BeginWrite;
use crate::audit::{AuditRow, append_row};
use crate::error::is_busy;
use crate::{AuditDraft, Backend, Store, StoreError};
use jiff::Timestamp;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::oneshot;

/// Spooled events chained per transaction.
const DRAIN_BATCH: i64 = 500;

/// Where waiting events are kept, and how to ask for the head without waiting.
#[derive(Debug)]
pub(crate) struct Spool {
    at: SpoolAt,
    /// This process has spooled events that may not have joined the chain yet.
    waiting_here: AtomicBool,
    /// Events handed to `log_access`, waiting to be written in the next batch, each with its caller.
    pending: std::sync::Mutex<Vec<(AuditRow, Caller)>>,
    /// Held by the one `log_access` call writing a batch.
    leader: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// Where the caller of `log_access` waits for its event's batch to be written.
type Caller = oneshot::Sender<Result<(), StoreError>>;

/// The error of a batch, for each of its other callers.
fn echo(e: &StoreError) -> StoreError {
    let said = e.to_string();
    match e {
        StoreError::Busy(_) => StoreError::Busy(sqlx::Error::Protocol(said)),
        _ => StoreError::Config(format!("the access log was not written: {said}")),
    }
}

#[derive(Debug)]
enum SpoolAt {
    /// The spool file, and a pool on the main database whose connections never wait for its write lock.
    Sqlite {
        spool: SqlitePool,
        nowait: SqlitePool,
        path: std::path::PathBuf,
    },
    /// The `access_spool` table of the database itself.
    Postgres,
}

/// The spool file that belongs to a SQLite database.
pub fn spool_path(database: &Path) -> std::path::PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-access-spool");
    name.into()
}

impl Spool {
    /// The spool of a SQLite database file. The file is created beside the database when the first event
    /// is spooled, not before (a backup opened to be verified gets none).
    pub(crate) async fn sqlite(database: &Path) -> Result<Self, StoreError> {
        let path = spool_path(database);
        let spool = SqlitePoolOptions::new()
            .max_connections(4)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::query(
                        "CREATE TABLE IF NOT EXISTS access_spool (
                            spool_key     TEXT PRIMARY KEY,
                            at            BIGINT NOT NULL,
                            force_id      TEXT,
                            user_id       TEXT,
                            username      TEXT NOT NULL,
                            action        TEXT NOT NULL,
                            record_type   TEXT NOT NULL,
                            record_id     TEXT NOT NULL,
                            justification TEXT,
                            outcome       TEXT NOT NULL,
                            detail        TEXT NOT NULL
                        )",
                    )
                    .execute(conn)
                    .await
                    .map(|_| ())
                })
            })
            .connect_lazy_with(
                SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(10)),
            );
        // Busy timeout zero: a connection that finds another writer answers SQLITE_BUSY at once.
        let nowait = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(database)
                    .journal_mode(SqliteJournalMode::Wal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::ZERO),
            )
            .await?;
        Ok(Spool {
            at: SpoolAt::Sqlite {
                spool,
                nowait,
                path,
            },
            waiting_here: AtomicBool::new(false),
            pending: Default::default(),
            leader: Default::default(),
        })
    }

    /// Whether anything can be waiting: on SQLite, whether the spool file exists.
    fn may_hold(&self) -> bool {
        match &self.at {
            SpoolAt::Sqlite { path, .. } => path.exists(),
            SpoolAt::Postgres => true,
        }
    }

    pub(crate) fn postgres() -> Self {
        Spool {
            at: SpoolAt::Postgres,
            waiting_here: AtomicBool::new(false),
            pending: Default::default(),
            leader: Default::default(),
        }
    }

    pub(crate) async fn close(&self) {
        if let SpoolAt::Sqlite { spool, nowait, .. } = &self.at {
            nowait.close().await;
            spool.close().await;
        }
    }
}

/// A spooled event, as kept.
#[derive(sqlx::FromRow)]
struct SpooledRow {
    spool_key: String,
    at: i64,
    force_id: Option<String>,
    user_id: Option<String>,
    username: String,
    action: String,
    record_type: String,
    record_id: String,
    justification: Option<String>,
    outcome: String,
    detail: String,
}

impl SpooledRow {
    fn into_row(self) -> (String, AuditRow) {
        (
            self.spool_key,
            AuditRow {
                seq: 0,
                at: self.at,
                force_id: self.force_id,
                user_id: self.user_id,
                username: self.username,
                action: self.action,
                record_type: self.record_type,
                record_id: self.record_id,
                justification: self.justification,
                outcome: self.outcome,
                detail: self.detail,
                prev_hash: String::new(),
                hash: String::new(),
            },
        )
    }
}

/// Run the same code on the spool's pool; `$p` names it.
macro_rules! on_spool {
    ($store:expr, $p:ident => $body:expr) => {
        match (&$store.spool.at, &$store.backend) {
            (SpoolAt::Sqlite { spool: $p, .. }, _) => $body,
            (SpoolAt::Postgres, Backend::Postgres($p)) => $body,
            (SpoolAt::Postgres, Backend::Sqlite($p)) => $body,
        }
    };
}

impl Store {
    /// Log a user's access: chained at once if the head is free now, otherwise spooled (durably) to join the
    /// chain when it is. Never waits for an import. Answers once the event is durably written.
    ///
    /// Events logged at the same moment are written together (group commit): the first caller writes every
    /// event waiting, in one transaction, while the others wait for its answer, so twenty readers cost one
    /// commit and one flush to disk rather than twenty in a row.
    pub async fn log_access(&self, draft: AuditDraft) -> Result<(), StoreError> {
        let (tx, mut rx) = oneshot::channel();
        {
            // The time is taken under the queue's lock, so events join the queue in the order of their times.
            let mut pending = self.spool.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.push((crate::audit::new_row_at(draft, Timestamp::now()), tx));
        }
        let leader = std::sync::Arc::clone(&self.spool.leader).lock_owned().await;
        // A batch written while this call waited for its turn may have held this event.
        if let Ok(answer) = rx.try_recv() {
            return answer;
        }
        // This call writes the batch, on a task of its own, so that a request abandoned half-way (a client
        // that hangs up) cannot leave the other callers' events unwritten.
        let store = self.clone();
        let writer = tokio::spawn(async move {
            let _leader = leader;
            store.write_pending().await;
        });
        let _ = writer.await;
        rx.await.unwrap_or_else(|_| {
            Err(StoreError::Config(
                "the access-log writer stopped before answering".into(),
            ))
        })
    }

    /// Write every event waiting in the queue, in one transaction, and answer each caller.
    async fn write_pending(&self) {
        let batch =
            std::mem::take(&mut *self.spool.pending.lock().unwrap_or_else(|e| e.into_inner()));
        if batch.is_empty() {
            return;
        }
        let (rows, callers): (Vec<AuditRow>, Vec<_>) = batch.into_iter().unzip();
        let result = self.write_rows(rows).await;
        for caller in callers {
            let _ = caller.send(match &result {
                Ok(()) => Ok(()),
                Err(e) => Err(echo(e)),
            });
        }
    }

    async fn write_rows(&self, rows: Vec<AuditRow>) -> Result<(), StoreError> {
        if let Ok(_guard) = self.write_lock.try_lock() {
            let events = rows.iter().cloned().map(|r| (None, r)).collect();
            if self.chain_now(events).await? {
                if self.spool.waiting_here.swap(false, Ordering::SeqCst) {
                    // The events asked for are in the log; events spooled earlier that fail to join it now
                    // stay in the spool for the next try.
                    if let Err(e) = self.drain_spool_locked(false).await {
                        self.spool.waiting_here.store(true, Ordering::SeqCst);
                        tracing::error!("spooled access events were not chained yet: {e}");
                    }
                }
                self.advance_anchor().await;
                return Ok(());
            }
        }
        self.spool_rows(rows).await?;
        self.spool.waiting_here.store(true, Ordering::SeqCst);
        // The head may have come free while the events were spooled (an import that just committed).
        if let Ok(_guard) = self.write_lock.try_lock()
            && let Err(e) = self.drain_spool_locked(false).await
        {
            tracing::error!("spooled access events were not chained yet: {e}");
        }
        Ok(())
    }

    async fn spool_rows(&self, rows: Vec<AuditRow>) -> Result<(), StoreError> {
        on_spool!(self, p => {
            let mut tx = p.begin().await?;
            for row in &rows {
                let key = uuid::Uuid::now_v7().to_string();
                sqlx::query(
                    "INSERT INTO access_spool (spool_key, at, force_id, user_id, username, action, record_type,
                                               record_id, justification, outcome, detail)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                    .bind(&key).bind(row.at).bind(&row.force_id).bind(&row.user_id).bind(&row.username)
                    .bind(&row.action).bind(&row.record_type).bind(&row.record_id).bind(&row.justification)
                    .bind(&row.outcome).bind(&row.detail)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// Events waiting in the spool to join the chain.
    pub async fn audit_waiting(&self) -> Result<i64, StoreError> {
        if !self.spool.may_hold() {
            return Ok(0);
        }
        Ok(
            on_spool!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM access_spool")
            .fetch_one(p).await)?,
        )
    }

    /// Chain whatever waits in the spool, if the head can be had now (`wait` false) or by waiting for it
    /// (`wait` true). Gives how many joined the chain.
    pub async fn drain_spool(&self, wait: bool) -> Result<u64, StoreError> {
        let _guard = if wait {
            self.write_lock.lock().await
        } else {
            match self.write_lock.try_lock() {
                Ok(g) => g,
                Err(_) => return Ok(0),
            }
        };
        self.drain_spool_locked(wait).await
    }

    /// As `drain_spool`, for a caller that holds `write_lock`.
    pub(crate) async fn drain_spool_locked(&self, wait: bool) -> Result<u64, StoreError> {
        let mut chained = 0u64;
        if !self.spool.may_hold() {
            return Ok(0);
        }
        loop {
            let rows: Vec<SpooledRow> = on_spool!(self, p => sqlx::query_as(
                "SELECT * FROM access_spool ORDER BY at, spool_key LIMIT $1")
                .bind(DRAIN_BATCH).fetch_all(p).await)?;
            if rows.is_empty() {
                break;
            }
            let full = rows.len() as i64 == DRAIN_BATCH;
            let events: Vec<(Option<String>, AuditRow)> = rows
                .into_iter()
                .map(|r| {
                    let (k, row) = r.into_row();
                    (Some(k), row)
                })
                .collect();
            let keys: Vec<String> = events.iter().filter_map(|(k, _)| k.clone()).collect();
            let done = if wait {
                self.chain_waiting(events).await?;
                true
            } else {
                self.chain_now(events).await?
            };
            if !done {
                self.spool.waiting_here.store(true, Ordering::SeqCst);
                break;
            }
            chained += keys.len() as u64;
            // Chained (and committed): now the spool may forget them. Should this fail or the server stop
            // here, the keys already in the log keep them from being chained twice.
            on_spool!(self, p => {
                let mut tx = p.begin().await?;
                for k in &keys {
                    sqlx::query("DELETE FROM access_spool WHERE spool_key = $1")
                        .bind(k).execute(&mut *tx).await?;
                }
                tx.commit().await
            })?;
            if !full {
                break;
            }
        }
        if chained > 0 {
            self.advance_anchor().await;
        }
        Ok(chained)
    }

    /// Chain events if the head is free now; `false` (nothing written) if another writer holds it.
    async fn chain_now(&self, events: Vec<(Option<String>, AuditRow)>) -> Result<bool, StoreError> {
        match (&self.spool.at, &self.backend) {
            (SpoolAt::Sqlite { nowait, .. }, _) => {
                let mut tx = match nowait.begin_with("BEGIN IMMEDIATE").await {
                    Ok(tx) => tx,
                    Err(e) if is_busy(&e) => return Ok(false),
                    Err(e) => return Err(e.into()),
                };
                let head: Option<(i64, String)> = sqlx::query_as(self.head_sql())
                    .fetch_optional(&mut *tx)
                    .await?;
                self.chain_after(&mut tx, head, events).await?;
                tx.commit().await?;
                Ok(true)
            }
            (SpoolAt::Postgres, Backend::Postgres(p)) => {
                let mut tx = p.begin_write().await?;
                let head: Option<(i64, String)> = match sqlx::query_as(
                    "SELECT seq, hash FROM audit_checkpoint WHERE id = 1 FOR UPDATE NOWAIT",
                )
                .fetch_optional(&mut *tx)
                .await
                {
                    Ok(h) => h,
                    Err(e) if is_busy(&e) => return Ok(false),
                    Err(e) => return Err(e.into()),
                };
                self.chain_after_pg(&mut tx, head, events).await?;
                tx.commit().await?;
                Ok(true)
            }
            (SpoolAt::Postgres, Backend::Sqlite(_)) => Err(StoreError::Config(
                "a SQLite database opened without its spool".into(),
            )),
        }
    }

    /// Chain events, waiting for the head.
    async fn chain_waiting(
        &self,
        events: Vec<(Option<String>, AuditRow)>,
    ) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(p) => {
                let mut tx = p.begin_with("BEGIN IMMEDIATE").await?;
                let head: Option<(i64, String)> = sqlx::query_as(self.head_sql())
                    .fetch_optional(&mut *tx)
                    .await?;
                self.chain_after(&mut tx, head, events).await?;
                tx.commit().await?;
            }
            Backend::Postgres(p) => {
                let mut tx = p.begin_write().await?;
                let head: Option<(i64, String)> = sqlx::query_as(self.head_sql())
                    .fetch_optional(&mut *tx)
                    .await?;
                self.chain_after_pg(&mut tx, head, events).await?;
                tx.commit().await?;
            }
        }
        Ok(())
    }
}

/// Write each event after the head (skipping a spooled event already in the log), moving the head on.
macro_rules! chain_after_body {
    ($store:expr, $tx:expr, $head:expr, $events:expr) => {{
        let mut head: Option<(i64, String)> = $head;
        for (key, row) in $events {
            if let Some(k) = &key {
                let already: Option<i64> =
                    sqlx::query_scalar("SELECT seq FROM access_log WHERE spool_key = $1")
                        .bind(k)
                        .fetch_optional(&mut **$tx)
                        .await?;
                if already.is_some() {
                    continue;
                }
            }
            let ev = append_row!($store, &mut **$tx, head.take(), row, key);
            head = Some((ev.seq, ev.hash));
        }
        Ok(())
    }};
}

impl Store {
    async fn chain_after(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        head: Option<(i64, String)>,
        events: Vec<(Option<String>, AuditRow)>,
    ) -> Result<(), StoreError> {
        chain_after_body!(self, tx, head, events)
    }

    async fn chain_after_pg(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
        head: Option<(i64, String)>,
        events: Vec<(Option<String>, AuditRow)>,
    ) -> Result<(), StoreError> {
        chain_after_body!(self, tx, head, events)
    }
}
