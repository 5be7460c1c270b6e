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
    /// Add a force's first administrator.
    Add(AddArgs),
    /// List the account changes waiting for a second administrator.
    Requests(ForceArgs),
    /// Approve the request for a force's second administrator, while the force has only one.
    Approve(ApproveArgs),
}

#[derive(clap::Args)]
struct ForceArgs {
    /// Force code (e.g. met).
    #[arg(long)]
    force: String,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(clap::Args)]
struct ApproveArgs {
    /// The request's id (from `safeguard user requests`).
    request: String,
    #[command(flatten)]
    force: ForceArgs,
}

async fn force_of(app: &app::App, code: &str) -> anyhow::Result<domain::ForceId> {
    app::forces::force_by_code(app, code)
        .await?
        .with_context(|| format!("there is no force with code '{code}'"))
}

fn requests(f: ForceArgs) -> anyhow::Result<()> {
    common::runtime()?.block_on(async {
        let app = f.data.open(false).await?;
        let force = force_of(&app, &f.force).await?;
        let pending = app::accounts::pending_requests(&app, force).await?;
        if pending.is_empty() {
            println!("No account change is waiting for approval.");
        }
        for r in pending {
            println!(
                "{}  {} {} ({}), asked by {} at {}",
                r.id,
                r.change.label(),
                r.username,
                r.role.map(|x| x.as_str()).unwrap_or("-"),
                r.requested_by_name,
                r.requested_at
            );
        }
        Ok(())
    })
}

fn approve(a: ApproveArgs) -> anyhow::Result<()> {
    common::runtime()?.block_on(async {
        let app = a.force.data.open(false).await?;
        let force = force_of(&app, &a.force.force).await?;
        match app::accounts::approve_second_administrator(&app, force, &a.request).await {
            Ok(u) => {
                println!(
                    "Approved: {} is the force's second administrator (they choose a new password at first sign-in).",
                    u.username
                );
                Ok(())
            }
            Err(e) => bail!("could not approve: {}", e.message()),
        }
    })
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
    let a = match args.command {
        UserCommand::Add(a) => a,
        UserCommand::Requests(f) => return requests(f),
        UserCommand::Approve(a) => return approve(a),
    };
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
