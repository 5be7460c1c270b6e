//! `safeguard user add`: create an account from the command line (the first administrator, typically).

use super::common::{self, DataArgs};
use anyhow::{Context, bail};

/// `safeguard user …`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(clap::Subcommand)]
enum UserCommand {
    /// Add a user.
    Add(AddArgs),
}

#[derive(clap::Args)]
struct AddArgs {
    /// Sign-in name.
    username: String,
    /// Role: investigator, supervisor, bcu_lead, central_triage, forensics, auditor, oversight, dpo or admin.
    #[arg(long)]
    role: String,
    /// Force code (e.g. met).
    #[arg(long)]
    force: String,
    /// BCU code, for investigators, supervisors and BCU leads.
    #[arg(long)]
    bcu: Option<String>,
    /// Name shown to others (defaults to the user name).
    #[arg(long)]
    display_name: Option<String>,
    /// Password; read from SAFEGUARD_NEW_PASSWORD so it stays out of the shell history.
    #[arg(long, env = "SAFEGUARD_NEW_PASSWORD", hide_env_values = true)]
    password: String,
    #[command(flatten)]
    data: DataArgs,
}

/// Run `user add`.
pub fn exec(args: Args) -> anyhow::Result<()> {
    let UserCommand::Add(a) = args.command;
    common::runtime()?.block_on(async {
        let app = a.data.open(false).await?;
        let force = app::forces::force_by_code(&app, &a.force)
            .await?
            .with_context(|| format!("there is no force with code '{}'", a.force))?;
        let new = app::users::NewUser {
            username: a.username.clone(),
            display_name: a.display_name.clone().unwrap_or_else(|| a.username.clone()),
            role: a.role.clone(),
            bcu: a.bcu.clone(),
            password: a.password.clone(),
        };
        match app::users::create(&app, force, &new).await {
            Ok(u) => {
                println!("Created {} ({}).", u.username, u.role.label());
                Ok(())
            }
            Err(e) => bail!("could not create user '{}': {}", a.username, e.message()),
        }
    })
}
