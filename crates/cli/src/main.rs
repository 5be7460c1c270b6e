//! The `safeguard` binary: parses the command line once and hands each subcommand to its own module.
//! No business logic lives here; every subcommand calls into the library crates.

mod cmd;

use clap::{Parser, Subcommand};

/// Safeguard: investigating online child abuse and exploitation, from referral to outcome.
#[derive(Parser)]
#[command(name = "safeguard", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create (or reuse) a synthetic demo force and start the server on it.
    Demo(cmd::demo::Args),
    /// Run the web pages and the API.
    Serve(cmd::serve::Args),
    /// Create or update the database schema.
    Migrate(cmd::migrate::Args),
    /// Import referral packages (JSON) and CyberTipline reports (XML).
    Import(cmd::import::Args),
    /// Add a force (reference data for a real deployment).
    Force(cmd::force::ForceArgs),
    /// Add a BCU and the boroughs it covers.
    Bcu(cmd::force::BcuArgs),
    /// Manage user accounts.
    User(cmd::user::Args),
    /// Check the access log.
    Audit(cmd::audit::Args),
    /// Back the SQLite database up to a file, safely while the server runs.
    Backup(cmd::backup::BackupArgs),
    /// Restore the SQLite database from a backup, after verifying its access log (stop the server first).
    Restore(cmd::backup::RestoreArgs),
    // Media triage toolkit (issue 4): hash, hashset, scan.
    // (variants are added here, one line each, by the modules in cmd/)
    /// Hash files: MD5, SHA-1 (SHA-256) and, for images, PDQ with its quality.
    Hash(cmd::hash::Args),
    /// Import and list known-image hash sets (VICS JSON, CSV, plain lists).
    Hashset(cmd::hashset::Args),
    /// Triage a folder or mounted image against hash sets: counts per category, unknown images.
    Scan(cmd::scan::Args),
}

/// Run the command; report a failure as one plain message (with its causes), never a backtrace.
fn main() -> std::process::ExitCode {
    match run(Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo(args) => cmd::demo::exec(args),
        Command::Serve(args) => cmd::serve::exec(args),
        Command::Migrate(args) => cmd::migrate::exec(args),
        Command::Import(args) => cmd::import::exec(args),
        Command::Force(args) => cmd::force::exec_force(args),
        Command::Bcu(args) => cmd::force::exec_bcu(args),
        Command::User(args) => cmd::user::exec(args),
        Command::Audit(args) => cmd::audit::exec(args),
        Command::Backup(args) => cmd::backup::exec_backup(args),
        Command::Restore(args) => cmd::backup::exec_restore(args),
        Command::Hash(args) => cmd::hash::exec(args),
        Command::Hashset(args) => cmd::hashset::exec(args),
        Command::Scan(args) => cmd::scan::exec(args),
    }
}
