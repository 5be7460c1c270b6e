//! `safeguard demo`: create (or reuse) a synthetic Metropolitan Police force in `./safeguard-demo`, print
//! who can sign in, and start the server.

use super::common::{self, DataArgs};
use super::serve::ServeArgs;
use anyhow::Context;
use domain::Role;
use std::path::PathBuf;

/// `safeguard demo` arguments.
#[derive(clap::Args)]
pub struct Args {
    /// Folder for the demo's database and audit key.
    #[arg(long, default_value = "./safeguard-demo")]
    data_dir: PathBuf,
    /// PostgreSQL URL, to put the demo in PostgreSQL instead.
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// Seed of the generated data: the same seed gives the same data relative to the day it is created.
    #[arg(long, default_value_t = 2019)]
    seed: u64,
    /// Password of every demo user.
    #[arg(long, default_value = "safeguard-demo")]
    demo_password: String,
    /// How many referrals to generate.
    #[arg(long, default_value_t = 2500)]
    referrals: usize,
    #[command(flatten)]
    serve: ServeArgs,
    /// Create the data and print the sign-in names, but do not start the server.
    #[arg(long)]
    no_serve: bool,
}

/// Create or reuse the demo, then serve it.
pub fn exec(args: Args) -> anyhow::Result<()> {
    common::init_logging();
    let data = DataArgs {
        data_dir: args.data_dir.clone(),
        database_url: args.database_url.clone(),
        audit_key_file: None,
        audit_anchor: None,
    };
    let config = args.serve.config()?;
    common::runtime()?.block_on(async {
        let (location, key) = data.location(true)?;
        let db = demo::DemoDb::open(&location, key, Some(data.anchor_path()))
            .await
            .context("failed to open the demo database")?;
        let mut fresh = false;
        let force = match db.existing_force().await? {
            Some(force) => {
                println!("Reusing the demo data in {} (delete the folder to start afresh).", args.data_dir.display());
                force
            }
            None => {
                println!("Creating a synthetic force with {} referrals in {} …", args.referrals, args.data_dir.display());
                let password = args.demo_password.clone();
                let hash = tokio::task::spawn_blocking(move || app::auth::hash_password(&password))
                    .await?
                    .map_err(|e| anyhow::anyhow!(e.message()))?;
                let created_at = jiff::Timestamp::now();
                let opts = demo::DemoOptions {
                    seed: args.seed,
                    created_at,
                    password_hash: hash,
                    referrals: args.referrals,
                    table: config.app.timeliness.clone(),
                    instrument: config.app.instrument.clone(),
                };
                let summary = db.seed(&opts).await.context("failed to create the demo data")?;
                println!(
                    "Created {} referrals ({} unrouted on the central queue; {} timeliness targets met, {} missed; {} overdue now).",
                    summary.referrals, summary.unrouted, summary.targets_met, summary.targets_missed, summary.overdue_now
                );
                let work = db
                    .work(&config.app, args.seed, created_at)
                    .await
                    .context("failed to create the demo's investigation work")?;
                println!(
                    "Worked {} allocated referrals: {} supervisory reviews ({} late, with reasons; {} overdue now), {} plan actions done ({} late, with reasons), {} set aside, {} clocks paused now.",
                    work.referrals, work.reviews, work.late_reviews, work.reviews_overdue, work.actions_done,
                    work.late_actions, work.actions_set_aside, work.paused_now
                );
                println!(
                    "Recorded {} victims and {} children with access to a suspect: {} social care or LADO referrals made ({} late, with reasons); {} victims referred to the Child House, {} interviews ({} repeats).",
                    work.victims, work.children_with_access, work.safeguarding_made, work.safeguarding_late,
                    work.child_house, work.interviews, work.repeat_interviews
                );
                println!(
                    "Seized {} exhibits: {} forensic steps recorded ({} late, with reasons), {} scan reports attached, {} exhibits waiting for a forensic step now.",
                    work.exhibits, work.forensic_steps, work.forensic_late, work.scans, work.exhibits_waiting
                );
                println!(
                    "Quality review: {} referrals graded, {} referred back with {} remedial actions ({} done).",
                    work.quality_graded, work.quality_referred_back, work.remedial_actions, work.remedial_done
                );
                fresh = true;
                summary.force
            }
        };
        let app = db.into_app(config.app.clone()).await.context("failed to open the demo database")?;
        if fresh {
            let examples = demo::reports::import_examples(&app, force, args.seed, 6, jiff::Timestamp::now())
                .await
                .map_err(|e| anyhow::anyhow!("failed to import the example reports: {}", e.message()))?;
            println!(
                "Imported {} whole CyberTipline reports received in the last few hours (report ids DEMO-WHOLE-001 to -00{}): open one to see the people, further details and IP captures a report gives.",
                examples.imported, examples.imported
            );
            let g = demo::governance::seed(&app, force, jiff::Timestamp::now())
                .await
                .map_err(|e| anyhow::anyhow!("failed to record the demo's governance history: {e}"))?;
            println!(
                "Recorded {} inspection reports with {} recommendations and {} actions ({} changes from 2016 to 2020, and the 2019 review's section 55 response); {} board meetings, {} with a frozen pack.",
                g.inspections, g.recommendations, g.actions, g.changes, g.meetings, g.snapshots
            );
        }
        print_logins(&app, force, &args.demo_password).await?;
        if args.no_serve {
            return Ok(());
        }
        args.serve.run(app, config).await
    })
}

async fn print_logins(
    app: &app::App,
    force: domain::ForceId,
    password: &str,
) -> anyhow::Result<()> {
    let accounts = app::users::accounts(app, force).await?;
    let users: Vec<_> = accounts.iter().map(|a| &a.user).collect();
    let bcus = app::forces::bcus(app, force).await?;
    println!();
    println!("Sign in with any of these names and the password '{password}'");
    println!("(if this folder was created with another --demo-password, use that one):");
    for role in [
        Role::CentralTriage,
        Role::Auditor,
        Role::Oversight,
        Role::Dpo,
        Role::Admin,
        Role::Forensics,
        Role::ImprovementLead,
    ] {
        let names: Vec<_> = users
            .iter()
            .filter(|u| u.role == role)
            .map(|u| u.username.as_str())
            .collect();
        if !names.is_empty() {
            println!("  {:<24} {}", role.label(), names.join(", "));
        }
    }
    let codes: Vec<_> = bcus.iter().map(|b| b.code.as_str()).collect();
    println!(
        "  {:<24} inv.<bcu> (and inv.<bcu>.2 … inv.<bcu>.8)",
        Role::Investigator.label()
    );
    println!("  {:<24} sup.<bcu>", Role::Supervisor.label());
    println!("  {:<24} lead.<bcu>", Role::BcuLead.label());
    println!("  where <bcu> is one of: {}", codes.join(", "));
    for b in &bcus {
        println!("    {:<4} {}", b.code, b.name);
    }
    println!();
    Ok(())
}
