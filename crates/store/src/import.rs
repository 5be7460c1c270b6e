//! Importing a package all-or-nothing: one transaction holds the package's bytes (in chunks, as they
//! stream in), every report's referral, original, people, identifiers, IP events and files, and the links
//! to subjects. Dropping an `ImportTx` without `commit` rolls everything back, so a bad report anywhere in
//! a package leaves nothing behind.

mod links;
mod report;

pub use links::LinkOutcome;

use crate::{Actor, Inserted, NewReferral, Store, StoreError, ms};
use domain::ForceId;
use jiff::Timestamp;
use sqlx::{Postgres, Sqlite, Transaction};
use std::sync::Arc;

/// One identifier of a report, as received and normalised (normalising is the caller's: `domain`'s rules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentifierRow {
    /// `reported`, `victim` or `recipient`: only `reported` identifiers ever link subjects.
    pub role: &'static str,
    /// `email`, `phone`, `esp_user_id`, `screen_name`, `display_name`.
    pub kind: &'static str,
    /// Whether a match on it links subjects by itself (otherwise it only suggests a link).
    pub strong: bool,
    /// As received.
    pub raw: String,
    /// Normalised (`service:value` for service-scoped kinds).
    pub norm: String,
}

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
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl Store {
    /// Start an import for a force.
    pub async fn begin_import(&self, force: ForceId, actor: Actor) -> Result<ImportTx, StoreError> {
        let guard = Arc::clone(&self.write_lock).lock_owned().await;
        let conn = match &self.backend {
            crate::Backend::Sqlite(p) => {
                let mut tx = p.begin().await?;
                // A large package dirties many index pages in one transaction: a 256 MiB page cache keeps them
                // in memory rather than spilling them to the WAL and reading them back (measured: 1.7x).
                sqlx::query("PRAGMA cache_size = -262144")
                    .execute(&mut *tx)
                    .await?;
                Conn::Sqlite(tx)
            }
            crate::Backend::Postgres(p) => Conn::Postgres(p.begin().await?),
        };
        Ok(ImportTx {
            store: self.clone(),
            conn,
            force,
            actor,
            package: None,
            _guard: guard,
        })
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

    /// Store one report as a referral (or find it already stored: a duplicate changes nothing), with its
    /// original, people, identifiers, IP events and files, and link it to a subject.
    pub async fn add_report(
        &mut self,
        new: &NewReferral,
        report: &intake::Report,
        identifiers: &[IdentifierRow],
    ) -> Result<(Inserted, Option<LinkOutcome>), StoreError> {
        let r = &new.referral;
        let existing: Option<String> = on_tx!(self.conn, c => sqlx::query_scalar(
            "SELECT id FROM referrals WHERE force_id = $1 AND source = $2 AND report_id = $3")
            .bind(r.force.to_string()).bind(&r.source).bind(&r.report_id).fetch_optional(c).await)?;
        if let Some(id) = existing {
            return Ok((Inserted::Duplicate(crate::rows::parse_id(&id)?), None));
        }
        let package = self.package.as_ref().map(|p| p.0.clone());
        report::insert(self, new, report, identifiers, package).await?;
        let link = links::link(self, r.id, identifiers, report).await?;
        Ok((Inserted::Created(r.id), Some(link)))
    }

    /// Finish: fix the package's size and SHA-256, and commit everything.
    pub async fn commit(mut self) -> Result<Option<String>, StoreError> {
        use sha2::Digest;
        let mut sha = None;
        if let Some((id, _, hasher, size)) = self.package.take() {
            let hex = crate::audit::hex(&hasher.finalize());
            on_tx!(self.conn, c => sqlx::query("UPDATE packages SET sha256 = $1, size = $2 WHERE id = $3")
                .bind(&hex).bind(size).bind(&id).execute(c).await.map(|_| ()))?;
            sha = Some(hex);
        }
        match self.conn {
            Conn::Sqlite(tx) => tx.commit().await?,
            Conn::Postgres(tx) => tx.commit().await?,
        }
        Ok(sha)
    }
}
