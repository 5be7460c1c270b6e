//! The `Store`: every read and write of Safeguard's data, on an embedded SQLite file by default or on
//! PostgreSQL for a force or national deployment. The backend is chosen at run time from the database URL;
//! the same SQL text (with `$n` placeholders and instants as epoch milliseconds) serves both, and the
//! `on_pool!` macro expands each query once per backend so nothing above this crate knows which is in use.

mod accounts;
mod anchor;
mod audit;
mod backup;
mod batch;
mod bulk;
mod child_house;
mod clocks;
mod error;
mod exhibits;
mod figures;
mod governance;
mod identification;
mod import;
mod people;
mod plans;
mod quality;
mod reference;
mod referrals;
mod rows;
mod sessions;
mod spool;
mod steps;
mod subjects;
mod triage;
mod users;
mod worklists;

pub use accounts::{AccountRequest, AccountUpdate, NewAccountRequest};
pub use anchor::{Anchored, read_anchor};
pub use audit::{AnchorState, AuditDraft, AuditEvent, AuditQuery, ChainBreak, VerifyReport};
pub use batch::{
    ActionRef, Batch, ChildHouseRef, ClockRef, ExhibitRef, PersonRef, SafeguardingRef, StepRef,
};
pub use child_house::{ChildHouseRow, InterviewRow, NewInterview};
pub use clocks::{NewReview, ReviewRow, StoredClock};
pub use error::StoreError;
pub use exhibits::{
    ExhibitRow, Grading, HandoverRow, NewExhibit, NewScan, ScanCounts, ScanRow, StepDetails,
    StepRow, Submission,
};
pub use figures::{
    ALL_BCUS, CategoryACount, ChildHouseCount, ClockCount, ClockMonth, MonthCount, OpenAsAt,
    QualityCount, narrowed,
};
pub use governance::{GovernanceRow, NewGovernance, SnapshotRow};
pub use identification::{CdRequest, CorroborationRow, FileRow, IpEventRow, Original};
pub use import::{
    Attached, BATCH as IMPORT_BATCH, IMPORT_CACHE_MIB, IdentifierRow, ImportTx, LinkOutcome,
    OriginalFormat, PackageRecord, ReportFile, ReportIpEvent, ReportOriginal, ReportOutcome,
    ReportPerson, ReportRows,
};
pub use people::{PersonChange, PersonRow, SafeguardingRecord, SafeguardingRow};
pub use plans::{NewPlanAction, PlanActionRow};
pub use quality::{RemedialRow, ReviewRow as QualityReviewRow, SampleRow};
pub use referrals::{
    Actor, Inserted, InstrumentAssessment, NewAssessment, NewDecision, NewReferral, ReferralChange,
    ReferralFilter, ReferralPage,
};
pub use sessions::Session;
pub use spool::spool_path;
pub use subjects::{HashSpread, LinkRow, SharedIdentifier, Subject, SubjectReferral};
pub use triage::AssessmentRow;
pub use users::{NewUser, SignInGate};
pub use worklists::ListOf;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// The connection pool of whichever backend is in use.
#[derive(Clone, Debug)]
enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Run the same code against whichever pool is in use; `$p` names the pool inside `$body`.
macro_rules! on_pool {
    ($store:expr, $p:ident => $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite($p) => $body,
            $crate::Backend::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Write transactions. On SQLite, `BEGIN IMMEDIATE`: the write lock is taken at the start, waiting up to the
/// busy timeout for another process's writer (an import), rather than at the first write, where a transaction
/// that has already read an older snapshot would fail at once. On PostgreSQL, a plain `BEGIN`.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>>
    + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>>
    + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>>
    + Send {
        self.begin()
    }
}

/// Safeguard's data, behind one type. Cheap to clone (the pool and lock are shared).
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
    /// Audited writes take this lock so that the access log's hash chain stays a single line.
    write_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Key that signs the access log's checkpoint; held outside the database.
    audit_key: std::sync::Arc<Vec<u8>>,
    /// Where the access log's anchor is kept outside the database, if anywhere.
    anchor: Option<std::sync::Arc<anchor::Anchor>>,
    /// Where users' access events wait while an import holds the log's head.
    spool: std::sync::Arc<spool::Spool>,
}

/// Which database to open.
#[derive(Clone, Debug)]
pub enum Location {
    /// A SQLite file (created if missing).
    SqliteFile(std::path::PathBuf),
    /// A `postgres://` URL.
    Postgres(String),
}

impl Location {
    /// `--database-url` if given (postgres:// or sqlite://), else `safeguard.db` inside the data folder.
    pub fn resolve(database_url: Option<&str>, data_dir: &Path) -> Result<Self, StoreError> {
        match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Location::Postgres(url.to_string()))
            }
            Some(url) if url.starts_with("sqlite://") => Ok(Location::SqliteFile(
                url.trim_start_matches("sqlite://").into(),
            )),
            Some(url) => Err(StoreError::Config(format!(
                "unsupported database URL '{}': use postgres://… or sqlite://…",
                url.split('@').next_back().unwrap_or(url)
            ))),
            None => Ok(Location::SqliteFile(data_dir.join("safeguard.db"))),
        }
    }
}

impl Store {
    /// Open (creating a SQLite file if needed) and bring the schema up to date.
    pub async fn open(location: &Location, audit_key: Vec<u8>) -> Result<Self, StoreError> {
        Self::open_durable(location, audit_key, true).await
    }

    /// Open for generating data in bulk (the demo): each commit is written but not waited for on disk
    /// (SQLite `synchronous = NORMAL`, PostgreSQL `synchronous_commit = off`), so a million referrals take
    /// minutes rather than hours. A machine that stops mid-way loses the last moments of the generation,
    /// never its consistency; the database is then generated again. Close it and open it with
    /// [`Store::open`] before serving.
    pub async fn open_for_bulk(
        location: &Location,
        audit_key: Vec<u8>,
    ) -> Result<Self, StoreError> {
        Self::open_durable(location, audit_key, false).await
    }

    async fn open_durable(
        location: &Location,
        audit_key: Vec<u8>,
        durable: bool,
    ) -> Result<Self, StoreError> {
        let backend = match location {
            Location::SqliteFile(path) => {
                let opts = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(if durable {
                        SqliteSynchronous::Full
                    } else {
                        SqliteSynchronous::Normal
                    })
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                // Generating in bulk writes large transactions into large indexes: a page cache of 512 MiB
                // (SQLite's default is 2 MiB) keeps them from spilling to disk part way through.
                let opts = if durable {
                    opts
                } else {
                    opts.pragma("cache_size", "-524288")
                };
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(opts)
                    .await?;
                users::refuse_names_differing_only_in_case(&Backend::Sqlite(pool.clone())).await?;
                sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
                let spool = spool::Spool::sqlite(path).await?;
                return Ok(Self::with_backend(Backend::Sqlite(pool), audit_key, spool));
            }
            Location::Postgres(url) => {
                let mut opts = PgConnectOptions::from_str(url)?;
                if !durable {
                    opts = opts.options([("synchronous_commit", "off")]);
                }
                Self::open_postgres(opts).await?
            }
        };
        Ok(Self::with_backend(
            backend,
            audit_key,
            spool::Spool::postgres(),
        ))
    }

    /// Open PostgreSQL with explicit options (tests use this to give each run its own schema).
    pub async fn open_postgres_with(
        opts: PgConnectOptions,
        audit_key: Vec<u8>,
    ) -> Result<Self, StoreError> {
        Ok(Self::with_backend(
            Self::open_postgres(opts).await?,
            audit_key,
            spool::Spool::postgres(),
        ))
    }

    async fn open_postgres(opts: PgConnectOptions) -> Result<Backend, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .connect_with(opts)
            .await?;
        users::refuse_names_differing_only_in_case(&Backend::Postgres(pool.clone())).await?;
        let migrator = sqlx::migrate!("./migrations/postgres");
        // A server running as a role that may not create tables (see docs/deploy.md, Grants) opens a schema
        // that is already up to date without asking for more.
        if !postgres_schema_is_current(&pool, &migrator).await? {
            migrator.run(&pool).await?;
        }
        Ok(Backend::Postgres(pool))
    }

    fn with_backend(backend: Backend, audit_key: Vec<u8>, spool: spool::Spool) -> Self {
        Self {
            backend,
            write_lock: Default::default(),
            audit_key: std::sync::Arc::new(audit_key),
            anchor: None,
            spool: std::sync::Arc::new(spool),
        }
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Bring the query planner's statistics up to date after writing in bulk. PostgreSQL plans from
    /// statistics its autovacuum gathers only some time after a bulk load; SQLite plans from its indexes
    /// alone here (no `ANALYZE` has ever been run on it, and its plans were chosen that way), so it is left be.
    pub async fn refresh_statistics(&self) -> Result<(), StoreError> {
        if let Backend::Postgres(p) = &self.backend {
            sqlx::query("ANALYZE").execute(p).await?;
        }
        Ok(())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Close the pool (waits for connections to return).
    pub async fn close(&self) {
        self.spool.close().await;
        on_pool!(self, p => p.close().await)
    }

    /// Run raw SQL. For tests that play an attacker editing the database directly; not used by the product.
    #[doc(hidden)]
    pub async fn execute_raw_for_tests(&self, sql: &'static str) -> Result<u64, StoreError> {
        Ok(on_pool!(self, p => sqlx::raw_sql(sql).execute(p).await.map(|r| r.rows_affected()))?)
    }
}

/// Whether every migration is applied, unchanged, to the PostgreSQL schema.
async fn postgres_schema_is_current(
    pool: &sqlx::PgPool,
    migrator: &sqlx::migrate::Migrator,
) -> Result<bool, StoreError> {
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(pool)
        .await?;
    if !exists {
        return Ok(false);
    }
    let applied: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success")
            .fetch_all(pool)
            .await?;
    Ok(migrator.iter().all(|m| {
        applied
            .iter()
            .any(|(v, c)| *v == m.version && c.as_slice() == &*m.checksum)
    }))
}

/// Milliseconds since the epoch, as stored.
pub(crate) fn ms(t: jiff::Timestamp) -> i64 {
    t.as_millisecond()
}

/// A stored instant back to a timestamp.
pub(crate) fn ts(ms: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}
