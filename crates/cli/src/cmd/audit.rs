//! `safeguard audit verify`: walk the access log's hash chain and check it against the signed checkpoint.
//! Exits 0 when intact, 1 with the first broken link otherwise.

use super::common::{self, DataArgs};

/// `safeguard audit …`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(clap::Subcommand)]
enum AuditCommand {
    /// Check that the access log is complete and unaltered.
    Verify(VerifyArgs),
}

#[derive(clap::Args)]
struct VerifyArgs {
    #[command(flatten)]
    data: DataArgs,
}

/// Run `audit verify`.
pub fn exec(args: Args) -> anyhow::Result<()> {
    let AuditCommand::Verify(v) = args.command;
    let report = common::runtime()?.block_on(async {
        let app = v.data.open(false).await?;
        Ok::<_, anyhow::Error>(app::audit::verify(&app).await?)
    })?;
    match &report.first_break {
        None => {
            println!(
                "The access log is intact: {} events, chained and matching the signed checkpoint.",
                report.events
            );
            if let app::audit::AnchorState::Matched { seq } = report.anchor {
                println!(
                    "It reaches the anchor outside the database ({}), which records event {seq}.",
                    v.data.anchor_path().display()
                );
            }
        }
        Some(b) => {
            println!("The access log has been tampered with: {b}.");
            println!("{} events before that point are intact.", report.events);
        }
    }
    if report.waiting > 0 {
        println!(
            "{} more events wait in the spool to join the log, because another writer (an import) holds it; they join when it finishes.",
            report.waiting
        );
    }
    for p in &report.missing_protections {
        println!("Missing protection: {p}.");
    }
    if !report.is_intact() {
        std::process::exit(1);
    }
    if !report.missing_protections.is_empty() {
        std::process::exit(2);
    }
    Ok(())
}
