//! Backups of a SQLite database: a consistent copy taken while the server runs (`VACUUM INTO` reads one
//! snapshot), and the queries a restore needs. PostgreSQL is backed up with `pg_dump` (see docs/deploy.md).

use crate::{Backend, Store, StoreError};
use std::path::Path;

impl Store {
    /// Write a consistent copy of the whole SQLite database to `to`, which must not exist. Safe while other
    /// connections write: the copy is one snapshot, with the access log and its checkpoint as they stood.
    pub async fn backup_into(&self, to: &Path) -> Result<(), StoreError> {
        let Backend::Sqlite(p) = &self.backend else {
            return Err(StoreError::Config(
                "a PostgreSQL database is backed up with pg_dump (see docs/deploy.md#backups)"
                    .into(),
            ));
        };
        if to.exists() {
            return Err(StoreError::Config(format!(
                "{} already exists: a backup never overwrites a file",
                to.display()
            )));
        }
        let target = to.to_str().ok_or_else(|| {
            StoreError::Config(format!("{} is not a path SQLite can take", to.display()))
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(p)
            .await?;
        Ok(())
    }

    /// Open another database (a backup) whose access log is signed with this store's audit key.
    pub async fn open_with_same_key(
        &self,
        location: &crate::Location,
    ) -> Result<Store, StoreError> {
        Store::open(location, self.audit_key.to_vec()).await
    }

    /// The time of the newest access-log event whose detail starts with `prefix`, if any.
    pub async fn last_logged(
        &self,
        record_type: &str,
        prefix: &str,
    ) -> Result<Option<(jiff::Timestamp, String)>, StoreError> {
        let row: Option<(i64, String)> = crate::on_pool!(self, p => sqlx::query_as(
            "SELECT at, detail FROM access_log WHERE record_type = $1 AND detail LIKE $2 ORDER BY seq DESC LIMIT 1")
            .bind(record_type).bind(format!("{prefix}%")).fetch_optional(p).await)?;
        Ok(row.and_then(|(at, d)| jiff::Timestamp::from_millisecond(at).ok().map(|t| (t, d))))
    }
}
