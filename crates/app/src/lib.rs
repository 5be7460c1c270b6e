//! Safeguard's use cases: every action a person or a command can take is one function here, taking the
//! actor (who, with what justification) and returning domain values or an [`Error`]. The web pages, the
//! JSON API and the command line all call these functions, so a rule is applied the same way whichever
//! edge a request came through. Nothing reaches a record without passing the need-to-know choke point in
//! [`access`], which asks `domain::decide`, applies the justification policy and writes the access log.
//!
//! The state the use cases need (the store, the configuration, the sign-in limits) is an [`App`]; the store
//! itself is private to this crate, so that an edge cannot go around the choke point.

pub mod access;
pub mod accounts;
mod actor;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod child_house;
mod config;
mod error;
pub mod exhibits;
pub mod export;
pub mod figures;
pub mod forces;
pub mod governance;
pub mod import;
pub mod originals;
pub mod people;
pub mod plans;
pub mod quality;
pub mod referrals;
pub mod rows;
pub mod safeguarding;
pub mod subjects;
pub mod supervision;
pub mod triage;
pub mod users;
pub mod worklists;

pub use actor::Actor;
pub use config::Config;
pub use error::{Error, Result};
pub use store::Location;

/// Reading known-image hash sets (VICS JSON, CSV) for the media triage commands: the readers are intake's,
/// named here so that the command line needs only this crate.
pub use intake::hashsets;

use std::sync::Arc;
use store::Store;

/// What every use case can reach: the store, the settings fixed at start-up, and the password checks running.
#[derive(Clone)]
pub struct App {
    store: Store,
    config: Arc<Config>,
    sign_ins: Arc<auth::SignInChecks>,
}

impl App {
    /// The application on an open store.
    pub fn new(store: Store, config: Config) -> Self {
        let sign_ins = Arc::new(auth::SignInChecks::new(config.max_concurrent_sign_ins));
        Self {
            store,
            config: Arc::new(config),
            sign_ins,
        }
    }

    /// How many password checks sign-in has run, and the most that ran at once.
    pub fn sign_in_checks(&self) -> auth::CheckCounts {
        self.sign_ins.counts()
    }

    /// Open the database at `location` (creating or updating its schema), its access-log checkpoint signed
    /// with `audit_key`.
    pub async fn open(location: &Location, audit_key: Vec<u8>, config: Config) -> Result<Self> {
        let store = Store::open(location, audit_key)
            .await
            .map_err(|e| Error::Unavailable(e.to_string()))?;
        Ok(Self::new(store, config))
    }

    /// Open as [`App::open`] does, keeping the access log's anchor outside the database in `anchor`.
    pub async fn open_anchored(
        location: &Location,
        audit_key: Vec<u8>,
        anchor: std::path::PathBuf,
        config: Config,
    ) -> Result<Self> {
        let store = Store::open(location, audit_key)
            .await
            .map_err(|e| Error::Unavailable(e.to_string()))?
            .with_anchor(anchor);
        Ok(Self::new(store, config))
    }

    /// Close the database's connections (a command about to end, or a test handing the file on).
    pub async fn close(&self) {
        self.store.close().await
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        self.store.backend_name()
    }

    /// Whether the database answers (for a health check).
    pub async fn health(&self) -> Result<()> {
        self.store
            .ping()
            .await
            .map_err(|e| Error::Unavailable(e.to_string()))
    }

    pub(crate) fn store(&self) -> &Store {
        &self.store
    }
}

/// A typed text field, trimmed and required, of at most `max` characters; refused naming `field`.
pub fn required_text(value: &str, field: &'static str, max: usize) -> Result<String, Error> {
    Ok(supervision::text_field(value, field, "request.invalid", max, true)?.unwrap_or_default())
}
