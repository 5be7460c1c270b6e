//! `safeguard migrate`: create or update the database schema (the server also does this on start).

use super::common::{self, DataArgs};

/// `safeguard migrate` arguments.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
}

/// Bring the schema up to date.
pub fn exec(args: Args) -> anyhow::Result<()> {
    common::runtime()?.block_on(async {
        let app = args.data.open(true).await?;
        println!("The {} database is up to date.", app.backend_name());
        Ok(())
    })
}
