//! `safeguard force add` and `safeguard bcu add`: the reference data a real deployment starts from (the
//! demo creates the Met's own). A BCU is created with the boroughs it covers, which route referrals to it.

use super::common::{self, DataArgs};
use anyhow::Context;

/// `safeguard force …`.
#[derive(clap::Args)]
pub struct ForceArgs {
    #[command(subcommand)]
    command: ForceCommand,
}

#[derive(clap::Subcommand)]
enum ForceCommand {
    /// Add a force.
    Add {
        /// Short code, unique in the deployment (e.g. met).
        code: String,
        /// Full name.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

/// `safeguard bcu …`.
#[derive(clap::Args)]
pub struct BcuArgs {
    #[command(subcommand)]
    command: BcuCommand,
}

#[derive(clap::Subcommand)]
enum BcuCommand {
    /// Add a BCU to a force, with the boroughs it covers from today.
    Add {
        /// Short code, unique within the force (e.g. cn).
        code: String,
        /// The force's code.
        #[arg(long)]
        force: String,
        /// Full name (e.g. Central North).
        #[arg(long)]
        name: String,
        /// A borough it covers (repeat for each).
        #[arg(long = "borough")]
        boroughs: Vec<String>,
        /// From when the BCU covers them (RFC 3339); referrals received earlier route elsewhere. Default:
        /// always, so older referrals imported later still route here.
        #[arg(long, default_value = "1970-01-01T00:00:00Z")]
        valid_from: jiff::Timestamp,
        #[command(flatten)]
        data: DataArgs,
    },
}

/// Run `force add`.
pub fn exec_force(args: ForceArgs) -> anyhow::Result<()> {
    let ForceCommand::Add { code, name, data } = args.command;
    common::runtime()?.block_on(async {
        let app = data.open(true).await?;
        app::forces::add_force(&app, &code, &name)
            .await
            .with_context(|| format!("could not add force '{code}'"))?;
        println!("Added force {code} ({name}).");
        Ok(())
    })
}

/// Run `bcu add`.
pub fn exec_bcu(args: BcuArgs) -> anyhow::Result<()> {
    let BcuCommand::Add {
        code,
        force,
        name,
        boroughs,
        valid_from,
        data,
    } = args.command;
    common::runtime()?.block_on(async {
        let app = data.open(false).await?;
        let force_id = app::forces::force_by_code(&app, &force)
            .await?
            .with_context(|| format!("there is no force with code '{force}'"))?;
        let names: Vec<&str> = boroughs
            .iter()
            .map(|b| b.trim())
            .filter(|b| !b.is_empty())
            .collect();
        app::forces::add_bcu(&app, force_id, &code, &name, &names, valid_from)
            .await
            .with_context(|| format!("could not add BCU '{code}' to {force}"))?;
        println!(
            "Added BCU {code} ({name}) to {force}, covering {}.",
            if names.is_empty() {
                "no boroughs yet".to_string()
            } else {
                names.join(", ")
            }
        );
        Ok(())
    })
}
