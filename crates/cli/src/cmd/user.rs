//! `safeguard user add`: create a force's first administrator from the command line. Every other account is
//! made by an administrator, with a second administrator's approval where the role holds case content.

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
        // One administrator alone must not give anyone case content: the command line makes only the force's
        // first administrator, who then adds the others (each waiting for a second administrator's approval).
        if a.role != "admin" {
            bail!(
                "safeguard user add creates only a force's first administrator. Other accounts are added by an administrator on the Users page (or POST /api/v1/users), and any role with case content waits for a second administrator's approval."
            );
        }
        if app::users::accounts(&app, force)
            .await?
            .iter()
            .any(|acc| acc.user.role == domain::Role::Admin && acc.user.active)
        {
            bail!(
                "force '{}' already has an administrator: further administrators are added on the Users page and approved by a second administrator",
                a.force
            );
        }
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
