//! `safeguard backup` and `safeguard restore`: a consistent copy of a SQLite database taken while the server
//! runs, and a restore that verifies the backup's access log before anything is replaced.

use super::common::{self, DataArgs};
use anyhow::bail;
use std::path::PathBuf;

/// `safeguard backup` arguments.
#[derive(clap::Args)]
pub struct BackupArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The file to write (it must not exist), for example /backups/safeguard-2026-12-04.db.
    #[arg(long)]
    to: PathBuf,
}

/// `safeguard restore` arguments.
#[derive(clap::Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    data: DataArgs,
    /// The backup file to restore from.
    #[arg(long)]
    from: PathBuf,
}

/// Take a backup.
pub fn exec_backup(args: BackupArgs) -> anyhow::Result<()> {
    common::runtime()?.block_on(async {
        let app = args.data.open(false).await?;
        let r = app::backup::backup(&app, &args.to)
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
        println!(
            "Backed up the database to {}, taken at {}: its access log verifies ({} events).",
            r.path.display(),
            r.taken_at,
            r.events
        );
        println!("Keep it apart from the audit key, which is needed to verify it.");
        Ok(())
    })
}

/// Restore from a backup.
pub fn exec_restore(args: RestoreArgs) -> anyhow::Result<()> {
    common::runtime()?.block_on(async {
        let (location, key) = args.data.location(true)?;
        let app::Location::SqliteFile(target) = location else {
            bail!("a PostgreSQL database is restored with pg_restore: see docs/deploy.md#backups");
        };
        let r = app::backup::restore(&target, &args.from, key, Some(args.data.anchor_path()))
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
        println!(
            "Restored {} from the backup taken at {} ({} events, verified).",
            target.display(),
            r.taken_at,
            r.events
        );
        if let Some(aside) = r.replaced {
            println!("The database it replaced is kept as {}.", aside.display());
        }
        println!(
            "The restore is recorded in the access log, and the anchor outside the database now follows the restored log."
        );
        Ok(())
    })
}
