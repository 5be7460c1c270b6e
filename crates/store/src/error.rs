//! What can go wrong in the store. Database detail stays here: the web layer logs it and shows a plain
//! message, never SQL.

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Somebody else changed the record since it was read.
    #[error("the record was changed by someone else since you opened it")]
    Conflict,
    /// A uniqueness rule was broken (e.g. a username already taken).
    #[error("{0} already exists")]
    Duplicate(String),
    /// The record does not exist.
    #[error("not found")]
    NotFound,
    /// Invalid configuration (a bad URL, a missing key).
    #[error("{0}")]
    Config(String),
    /// Stored data could not be read back (a corrupt value).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Another writer held the database past the wait allowed (on SQLite, an import in another process):
    /// nothing was written.
    #[error("the database is busy with another writer: {0}")]
    Busy(sqlx::Error),
    /// The database failed.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// Migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if is_busy(&e) {
            StoreError::Busy(e)
        } else {
            StoreError::Database(e)
        }
    }
}

/// Whether an error means only that another writer holds a lock: SQLite's SQLITE_BUSY or SQLITE_LOCKED
/// (after the busy timeout, or at once where none is set) or PostgreSQL's lock_not_available (NOWAIT).
pub(crate) fn is_busy(e: &sqlx::Error) -> bool {
    let Some(db) = e.as_database_error() else {
        return false;
    };
    if let Some(sqlite) = db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
        // The low byte of an extended result code is the primary code: 5 busy, 6 locked.
        let code = sqlx::error::DatabaseError::code(sqlite)
            .and_then(|c| c.parse::<i64>().ok())
            .unwrap_or(0);
        return matches!(code & 0xff, 5 | 6);
    }
    db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
        .is_some_and(|pg| pg.code() == "55P03")
}

impl StoreError {
    /// Map a unique-constraint violation to `Duplicate(what)`, passing other errors through.
    pub(crate) fn unique_as(err: sqlx::Error, what: &str) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Duplicate(what.to_string())
            }
            _ => StoreError::Database(err),
        }
    }
}
