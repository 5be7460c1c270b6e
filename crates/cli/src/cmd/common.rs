//! What every data-touching subcommand shares: where the data is (`--data-dir` or `--database-url`), the
//! audit key that signs the access log's checkpoint, and the async runtime.

use anyhow::{Context, bail};
use app::{App, Location};
use std::path::{Path, PathBuf};

/// Where the data lives.
#[derive(clap::Args, Clone, Debug)]
pub struct DataArgs {
    /// Folder holding the SQLite database (`safeguard.db`), the audit key and hash sets.
    #[arg(long, env = "SAFEGUARD_DATA_DIR", default_value = "./safeguard-data")]
    pub data_dir: PathBuf,
    /// PostgreSQL URL (postgres://user@host/db) for a real deployment; SQLite in --data-dir when absent.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// File holding the key that signs the access log's checkpoint (default: audit.key in --data-dir).
    /// Keep it outside the database, and back it up: without it the log cannot be verified.
    #[arg(long, env = "SAFEGUARD_AUDIT_KEY_FILE")]
    pub audit_key_file: Option<PathBuf>,
    /// File holding the access log's anchor outside the database (default: audit.anchor beside the audit
    /// key). Put it where the database's own users cannot write, such as a write-once mount.
    #[arg(long, env = "SAFEGUARD_AUDIT_ANCHOR")]
    pub audit_anchor: Option<PathBuf>,
}

impl DataArgs {
    /// Same as `self`, but with another default data folder (the demo's).
    pub fn key_path(&self) -> PathBuf {
        self.audit_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit.key"))
    }

    /// Where the access log's anchor is kept.
    pub fn anchor_path(&self) -> PathBuf {
        self.audit_anchor
            .clone()
            .unwrap_or_else(|| self.key_path().with_extension("anchor"))
    }

    /// Open the application on its database, creating the data folder and audit key when `create` is set.
    pub async fn open(&self, create: bool) -> anyhow::Result<App> {
        self.open_with(create, app::Config::default()).await
    }

    /// The database's location and its audit key, creating the data folder and key when `create` is set.
    pub fn location(&self, create: bool) -> anyhow::Result<(Location, Vec<u8>)> {
        if create {
            std::fs::create_dir_all(&self.data_dir).with_context(|| {
                format!("failed to create data folder {}", self.data_dir.display())
            })?;
        }
        let location = Location::resolve(self.database_url.as_deref(), &self.data_dir)?;
        if let Location::SqliteFile(path) = &location
            && !create
            && !path.exists()
        {
            bail!(
                "there is no database at {} (run `safeguard migrate` or `safeguard demo` first, or pass --data-dir)",
                path.display()
            );
        }
        let key = read_or_create_key(&self.key_path(), create)?;
        Ok((location, key))
    }

    /// Open the application with these settings.
    pub async fn open_with(&self, create: bool, config: app::Config) -> anyhow::Result<App> {
        let (location, key) = self.location(create)?;
        App::open_anchored(&location, key, self.anchor_path(), config)
            .await
            .with_context(|| format!("failed to open the database ({})", describe(&location)))
    }
}

fn describe(l: &Location) -> String {
    match l {
        Location::SqliteFile(p) => p.display().to_string(),
        Location::Postgres(url) => url.rsplit('@').next().unwrap_or("postgres").to_string(),
    }
}

fn read_or_create_key(path: &Path, create: bool) -> anyhow::Result<Vec<u8>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text.trim().as_bytes().to_vec()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            use rand::RngCore;
            let mut bytes = [0u8; 32];
            rand::rng().fill_bytes(&mut bytes);
            let hex = hex::encode(bytes);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("failed to create {}", dir.display()))?;
            }
            write_private(path, &hex)
                .with_context(|| format!("failed to write audit key {}", path.display()))?;
            eprintln!(
                "Created the audit key {} (back it up; the access log is verified with it).",
                path.display()
            );
            Ok(hex.into_bytes())
        }
        Err(e) => Err(e).with_context(|| format!("failed to read audit key {}", path.display())),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// A multi-threaded runtime for the async subcommands.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("failed to start the async runtime")
}

/// Log to stderr; `RUST_LOG` overrides the default level.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// A timeliness table from its TOML file, checked (see docs/timeliness.md).
pub fn timeliness_table(path: &std::path::Path) -> anyhow::Result<domain::TimelinessTable> {
    use anyhow::Context;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read timeliness table {}", path.display()))?;
    let table: domain::TimelinessTable = toml::from_str(&text)
        .with_context(|| format!("invalid timeliness table {}", path.display()))?;
    table
        .validate()
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("invalid timeliness table {}", path.display()))?;
    Ok(table)
}
