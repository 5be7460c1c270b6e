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
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
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
