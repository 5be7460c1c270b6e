//! Importing a package all-or-nothing: one transaction holds the package's bytes (in chunks, as they
//! stream in), every report's referral, original, people, identifiers, IP events and files, and the links
//! to subjects. Dropping an `ImportTx` without `commit` rolls everything back, so a bad report anywhere in
//! a package leaves nothing behind.
//!
//! Reports are written in batches: `add_report` queues a report and, every `BATCH` reports, writes the
//! queue with one lookup of earlier subjects and one multi-row INSERT per table. Reports of the same batch
//! see each other exactly as if they had been written one by one (duplicates, links). The access log's
//! chain head is held here for the whole import and its signed checkpoint written once, at commit.

mod batch;
mod links;
mod report;

pub use batch::Attached;
pub use links::LinkOutcome;
pub use report::{
    IdentifierRow, OriginalFormat, ReportFile, ReportIpEvent, ReportOriginal, ReportPerson,
    ReportRows,
};

use crate::BeginWrite;
use crate::{Actor, Inserted, NewReferral, Store, StoreError, ms};
pub(crate) use batch::{Pending, Staged};
use domain::ForceId;
use jiff::Timestamp;
use sqlx::{Postgres, Sqlite, Transaction};
use std::sync::Arc;

/// Where a package came from, known once its header has been read.
#[derive(Clone, Debug)]
pub struct PackageRecord {
    /// Sender.
    pub source: String,
    /// Sender's reference.
    pub package_ref: Option<String>,
    /// Force receipt.
    pub received_at: Timestamp,
    /// Borough named.
    pub borough: Option<String>,
}

pub(crate) enum Conn {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Run the same code on whichever transaction is open; `$c` names `&mut *tx` inside `$body`.
macro_rules! on_tx {
    ($conn:expr, $c:ident => $body:expr) => {
        match &mut $conn {
            $crate::import::Conn::Sqlite(tx) => {
                let $c = &mut **tx;
                $body
            }
            $crate::import::Conn::Postgres(tx) => {
                let $c = &mut **tx;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

/// An import in progress. Holds the store's write lock until committed or dropped.
pub struct ImportTx {
    pub(crate) store: Store,
    pub(crate) conn: Conn,
    pub(crate) force: ForceId,
    pub(crate) actor: Actor,
    package: Option<(String, i64, sha2::Sha256, i64)>,
    /// Reports handed in and not yet linked.
    pub(crate) pending: Vec<Pending>,
    /// The last batch linked, its rows not yet written.
    pub(crate) staged: Option<Staged>,
    /// The access log's last (sequence, hash), including events this import has written.
    pub(crate) head: (i64, String),
    /// Whether this import has written access-log events (so the checkpoint must move at commit).
    pub(crate) logged: bool,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

/// The page cache an import's SQLite connection uses, in MiB (SQLite's default is 2): the most memory an
/// import's database pages take, whatever the size of the package.
pub const IMPORT_CACHE_MIB: i64 = 128;

/// Reports written together: enough to make each statement's round trip cheap per report, few enough
/// that a batch's rows stay a small, fixed amount of memory.
pub const BATCH: usize = 256;

/// What became of one report handed to `add_report`.
#[derive(Clone, Debug)]
pub struct ReportOutcome {
    /// The report's id in its source.
    pub report_id: String,
    /// A new referral, or the one already stored for the same source and report id.
    pub inserted: Inserted,
    /// For a new referral, how it was linked to a subject.
    pub link: Option<LinkOutcome>,
    /// For a new referral, when its triage clock falls due.
    pub due_at: Option<jiff::Timestamp>,
}

impl Store {
    /// Start an import for a force.
    pub async fn begin_import(&self, force: ForceId, actor: Actor) -> Result<ImportTx, StoreError> {
        let guard = Arc::clone(&self.write_lock).lock_owned().await;
        let conn = match &self.backend {
            crate::Backend::Sqlite(p) => {
                let mut tx = p.begin_write().await?;
                // A large package dirties many index pages in one transaction: a larger page cache keeps the
                // hot ones in memory rather than spilling them to the WAL and reading them back. It is bounded,
                // so memory stays flat however large the package (docs/import.md).
                let cache = format!("PRAGMA cache_size = -{}", IMPORT_CACHE_MIB * 1024);
                sqlx::query(sqlx::AssertSqlSafe(cache))
                    .execute(&mut *tx)
                    .await?;
                Conn::Sqlite(tx)
            }
            crate::Backend::Postgres(p) => Conn::Postgres(p.begin_write().await?),
        };
        let mut tx = ImportTx {
            store: self.clone(),
            conn,
            force,
            actor,
            package: None,
            pending: Vec::with_capacity(BATCH),
            staged: None,
            head: (0, crate::audit::GENESIS.to_string()),
            logged: false,
            _guard: guard,
        };
        let head_sql = self.head_sql();
        let head: Option<(i64, String)> =
            on_tx!(tx.conn, c => sqlx::query_as(head_sql).fetch_optional(c).await)?;
        if let Some(head) = head {
            tx.head = head;
        }
        Ok(tx)
    }
}

impl ImportTx {
    /// Start storing a package as received (its bytes follow with `add_bytes`, its header with
    /// `set_package_header` once read); returns its id.
    pub async fn begin_package(
        &mut self,
        content_type: &str,
        file_name: Option<&str>,
    ) -> Result<String, StoreError> {
        let id = uuid::Uuid::now_v7().to_string();
        let (force, user) = (
            self.force.to_string(),
            self.actor.user.map(|u| u.to_string()),
        );
        on_tx!(self.conn, c => sqlx::query(
            "INSERT INTO packages (id, force_id, source, package_ref, received_at, borough, content_type, file_name, sha256, size, imported_by, imported_at)
             VALUES ($1, $2, '', NULL, 0, NULL, $3, $4, '', 0, $5, $6)")
            .bind(&id).bind(&force).bind(content_type).bind(file_name).bind(user).bind(ms(Timestamp::now()))
            .execute(c).await.map(|_| ()))?;
        self.package = Some((id.clone(), 0, sha2::Digest::new(), 0));
        Ok(id)
    }

    /// Record the package's header.
    pub async fn set_package_header(&mut self, p: &PackageRecord) -> Result<(), StoreError> {
        let Some((id, ..)) = self.package.as_ref() else {
            return Err(StoreError::Config(
                "set_package_header before begin_package".into(),
            ));
        };
        let id = id.clone();
        on_tx!(self.conn, c => sqlx::query(
            "UPDATE packages SET source = $1, package_ref = $2, received_at = $3, borough = $4 WHERE id = $5")
            .bind(&p.source).bind(&p.package_ref).bind(ms(p.received_at)).bind(&p.borough).bind(&id)
            .execute(c).await.map(|_| ()))?;
        Ok(())
    }

    /// Append the next piece of the package's bytes (stored in chunks of the size given).
    pub async fn add_bytes(&mut self, bytes: &[u8]) -> Result<(), StoreError> {
        use sha2::Digest;
        let Some((id, seq, hasher, size)) = self.package.as_mut() else {
            return Err(StoreError::Config("add_bytes before begin_package".into()));
        };
        hasher.update(bytes);
        *size += bytes.len() as i64;
        let (id, n) = (id.clone(), *seq);
        *seq += 1;
        on_tx!(self.conn, c => sqlx::query("INSERT INTO package_chunks (package_id, seq, bytes) VALUES ($1, $2, $3)")
            .bind(&id).bind(n).bind(bytes).execute(c).await.map(|_| ()))?;
        Ok(())
    }

    /// Hand in one report to store as a referral (or to find already stored: a duplicate changes nothing),
    /// with its original, people, identifiers, IP events and files, linked to a subject by
    /// `domain::identifiers::resolve_link`. Reports are written in batches; this returns what became of
    /// those written by this call (none until a batch is full).
    pub async fn add_report(
        &mut self,
        new: NewReferral,
        rows: ReportRows,
    ) -> Result<Vec<ReportOutcome>, StoreError> {
        self.pending.push(Pending { new, rows });
        if self.pending.len() >= BATCH {
            batch::flush(self, false).await
        } else {
            Ok(vec![])
        }
    }

    /// Add one file's details, sent in a separate document after its report, to the referral of the
    /// report `report_id` from `source` (a file already there with the same id changes nothing).
    pub async fn attach_file(
        &mut self,
        source: &str,
        report_id: &str,
        file: ReportFile,
        ip_events: Vec<ReportIpEvent>,
    ) -> Result<batch::Attached, StoreError> {
        batch::attach_file(self, source, report_id, file, ip_events).await
    }

    /// Write every report handed in so far; returns what became of those not yet reported on, in the
    /// order handed in.
    pub async fn flush(&mut self) -> Result<Vec<ReportOutcome>, StoreError> {
        batch::flush(self, true).await
    }

    /// Keep the package `id` once per force: when the same bytes are already stored, its referrals point at
    /// that copy and this one goes; otherwise it gets its SHA-256 and size. On PostgreSQL two imports of the
    /// same bytes at once wait for each other here (a lock on the hash for the transaction).
    async fn keep_package_once(
        &mut self,
        id: &str,
        sha256: &str,
        size: i64,
    ) -> Result<(), StoreError> {
        let force = self.force.to_string();
        if let Conn::Postgres(tx) = &mut self.conn {
            let key = i64::from_str_radix(&sha256[..15], 16).unwrap_or_default();
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(key)
                .execute(&mut **tx)
                .await?;
        }
        let stored: Option<(String,)> = on_tx!(self.conn, c => sqlx::query_as(
            "SELECT id FROM packages WHERE force_id = $1 AND sha256 = $2 AND id <> $3 ORDER BY imported_at, id LIMIT 1")
            .bind(&force).bind(sha256).bind(id).fetch_optional(c).await)?;
        match stored {
            Some((first,)) => {
                on_tx!(self.conn, c => sqlx::query("UPDATE referrals SET package_id = $1 WHERE package_id = $2")
                    .bind(&first).bind(id).execute(c).await.map(|_| ()))?;
                on_tx!(self.conn, c => sqlx::query("DELETE FROM package_chunks WHERE package_id = $1")
                    .bind(id).execute(c).await.map(|_| ()))?;
                on_tx!(self.conn, c => sqlx::query("DELETE FROM packages WHERE id = $1")
                    .bind(id).execute(c).await.map(|_| ()))?;
            }
            None => {
                on_tx!(self.conn, c => sqlx::query("UPDATE packages SET sha256 = $1, size = $2 WHERE id = $3")
                    .bind(sha256).bind(size).bind(id).execute(c).await.map(|_| ()))?;
            }
        }
        Ok(())
    }

    /// Finish: fix the package's size and SHA-256 (or keep the copy already stored), and commit everything.
    pub async fn commit(mut self) -> Result<Option<String>, StoreError> {
        use sha2::Digest;
        if !self.pending.is_empty() || self.staged.is_some() {
            return Err(StoreError::Config(format!(
                "{} reports were handed in but not written: flush before commit",
                self.pending.len()
            )));
        }
        if self.logged {
            let (seq, hash) = self.head.clone();
            let mac = self.store.checkpoint_mac_pub(seq, &hash);
            on_tx!(self.conn, c => sqlx::query(
                "INSERT INTO audit_checkpoint (id, seq, hash, mac) VALUES (1, $1, $2, $3)
                 ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac")
                .bind(seq).bind(&hash).bind(mac).execute(c).await.map(|_| ()))?;
        }
        let mut sha = None;
        if let Some((id, _, hasher, size)) = self.package.take() {
            let hex = hex::encode(hasher.finalize());
            self.keep_package_once(&id, &hex, size).await?;
            sha = Some(hex);
        }
        match self.conn {
            Conn::Sqlite(mut tx) => {
                // Give the pooled connection back with SQLite's default cache (the pages are written at commit).
                sqlx::query("PRAGMA cache_size = -2000")
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?
            }
            Conn::Postgres(tx) => tx.commit().await?,
        }
        if self.logged {
            self.store.advance_anchor().await;
        }
        // Users' access events spooled while this import held the log's head join the chain now. They are
        // safe in the spool whatever happens here, so a failure is reported, not the import's.
        if let Err(e) = self.store.drain_spool_locked(true).await {
            tracing::warn!(
                "the access events spooled during the import wait for the next chance to join the log: {e}"
            );
        }
        Ok(sha)
    }
}
