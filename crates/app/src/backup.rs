//! Backups and restores of a SQLite database. A backup is a consistent copy taken while the server runs, and
//! is itself logged as a disclosure of the whole database. A restore checks the backup's access log before
//! anything is replaced, keeps the database it replaces, logs "restored from a backup taken at …", and moves
//! the anchor outside the database to the restored log, so that the restored log (rightly shorter than the
//! one it replaces) is not mistaken for a cut-off one. PostgreSQL is backed up with `pg_dump`.

use crate::{App, Error};
use domain::audit::{AccessOutcome, Processing};
use jiff::Timestamp;
use std::path::{Path, PathBuf};
use store::{AuditDraft, Location, Store};

/// What a backup wrote.
#[derive(Clone, Debug)]
pub struct BackupReport {
    /// The file.
    pub path: PathBuf,
    /// When it was taken.
    pub taken_at: Timestamp,
    /// Access-log events in it, all verified.
    pub events: i64,
}

/// What a restore did.
#[derive(Clone, Debug)]
pub struct RestoreReport {
    /// When the backup was taken (its own "backup taken" event; else its newest event).
    pub taken_at: Timestamp,
    /// Access-log events in the backup, all verified, before the restore's own event.
    pub events: i64,
    /// Where the database it replaced was kept, if there was one.
    pub replaced: Option<PathBuf>,
}

const TAKEN: &str = "backup taken at ";

fn operator_draft(action: Processing, record_id: String, detail: String) -> AuditDraft {
    AuditDraft {
        force: None,
        user: None,
        username: "operator (command line)".into(),
        action,
        record_type: "database".into(),
        record_id,
        justification: None,
        outcome: AccessOutcome::Allowed,
        detail,
    }
}

fn io(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::invalid(
        "backup.io",
        format!("cannot {what} {}: {e}", path.display()),
    )
}

/// Back the SQLite database up to `to` (which must not exist), safely while the server runs; the copy's
/// access log is verified before the backup is reported done.
pub async fn backup(app: &App, to: &Path) -> Result<BackupReport, Error> {
    if app.backend_name() != "sqlite" {
        return Err(Error::invalid(
            "backup.postgres",
            "A PostgreSQL database is backed up with pg_dump: see docs/deploy.md#backups.",
        ));
    }
    if to.exists() {
        return Err(Error::invalid_at(
            "backup.exists",
            format!(
                "{} already exists: a backup never overwrites a file",
                to.display()
            ),
            "to",
        ));
    }
    // Access events waiting in the spool (an import held the log) join the chain first, so the copy has them.
    app.store().drain_spool(true).await?;
    let taken_at = Timestamp::now();
    app.store()
        .append_audit(operator_draft(
            Processing::Disclosure,
            to.display().to_string(),
            format!("{TAKEN}{taken_at} to {}", to.display()),
        ))
        .await?;
    app.store().backup_into(to).await?;
    let copy = app
        .store()
        .open_with_same_key(&Location::SqliteFile(to.to_path_buf()))
        .await
        .map_err(|e| Error::Unavailable(e.to_string()))?;
    let report = copy.verify_audit().await?;
    copy.close().await;
    if let Some(b) = report.first_break {
        return Err(Error::Internal(format!(
            "the backup {} does not verify: {b}",
            to.display()
        )));
    }
    Ok(BackupReport {
        path: to.to_path_buf(),
        taken_at,
        events: report.events,
    })
}

/// The files of a SQLite database at `path`: itself, and its write-ahead log and shared memory if present.
fn sqlite_files(path: &Path) -> Vec<PathBuf> {
    let mut out = vec![path.to_path_buf()];
    for ext in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(ext);
        out.push(PathBuf::from(p));
    }
    out
}

fn rename_database(from: &Path, to: &Path) -> Result<(), Error> {
    for (f, t) in sqlite_files(from).into_iter().zip(sqlite_files(to)) {
        if f.exists() {
            std::fs::rename(&f, &t).map_err(|e| io("move", &f, e))?;
        }
    }
    Ok(())
}

/// Restore the SQLite database at `target` from the backup `from`. Nothing is replaced unless the backup's
/// access log verifies with `audit_key`; the database replaced is kept beside it as
/// `<name>.replaced-<time>`. The server must be stopped first.
pub async fn restore(
    target: &Path,
    from: &Path,
    audit_key: Vec<u8>,
    anchor: Option<PathBuf>,
) -> Result<RestoreReport, Error> {
    if !from.is_file() {
        return Err(Error::invalid_at(
            "restore.missing",
            format!("there is no backup file {}", from.display()),
            "from",
        ));
    }
    let now = Timestamp::now();
    let staged = target.with_extension("db.restoring");
    for f in sqlite_files(&staged) {
        let _ = std::fs::remove_file(f);
    }
    std::fs::copy(from, &staged).map_err(|e| io("copy", from, e))?;
    let check = async {
        let copy = Store::open(&Location::SqliteFile(staged.clone()), audit_key.clone())
            .await
            .map_err(|e| {
                Error::invalid(
                    "restore.unreadable",
                    format!("{} is not a Safeguard database: {e}", from.display()),
                )
            })?;
        let report = copy.verify_audit().await?;
        let taken = copy.last_logged("database", TAKEN).await?;
        copy.close().await;
        if let Some(b) = report.first_break {
            return Err(Error::invalid(
                "restore.tampered",
                format!(
                    "the backup's access log does not verify, so nothing was restored: {b} ({} events before that point are intact)",
                    report.events
                ),
            ));
        }
        Ok((report.events, taken))
    };
    let (events, taken) = match check.await {
        Ok(v) => v,
        Err(e) => {
            for f in sqlite_files(&staged) {
                let _ = std::fs::remove_file(f);
            }
            return Err(e);
        }
    };
    let taken_at = taken
        .as_ref()
        .and_then(|(_, d)| d.strip_prefix(TAKEN)?.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| taken.as_ref().map_or(now, |(t, _)| *t));
    let replaced = if target.exists() {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "safeguard.db".into());
        let aside = target.with_file_name(format!(
            "{name}.replaced-{}",
            now.strftime("%Y%m%dT%H%M%SZ")
        ));
        rename_database(target, &aside)?;
        Some(aside)
    } else {
        None
    };
    rename_database(&staged, target)?;
    let store = Store::open(&Location::SqliteFile(target.to_path_buf()), audit_key)
        .await
        .map_err(|e| Error::Unavailable(e.to_string()))?;
    let store = match anchor {
        Some(path) => store.with_anchor(path),
        None => store,
    };
    let mut detail = format!(
        "restored from a backup taken at {taken_at} ({}, {events} events)",
        from.display()
    );
    if let Some(aside) = &replaced {
        detail.push_str(&format!(
            "; the database it replaced is kept as {}",
            aside.display()
        ));
    }
    store
        .append_audit(operator_draft(
            Processing::Alteration,
            target.display().to_string(),
            detail,
        ))
        .await?;
    store.reset_anchor().await?;
    store.close().await;
    Ok(RestoreReport {
        taken_at,
        events,
        replaced,
    })
}
