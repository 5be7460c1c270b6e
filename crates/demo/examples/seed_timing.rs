//! Seeds the full 2,500-referral demo into a temporary SQLite file and prints how long it took and what was
//! made: `cargo run --release -p demo --example seed_timing [referrals]`.

use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let referrals = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(2_500);
    let dir = tempfile::tempdir()?;
    let store = store::Store::open(
        &store::Location::SqliteFile(dir.path().join("demo.db")),
        b"k".to_vec(),
    )
    .await?;
    let opts = demo::DemoOptions {
        seed: 1,
        created_at: jiff::Timestamp::now(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$ZGVtbw$ZGVtbw".into(),
        referrals,
        table: domain::TimelinessTable::default(),
        instrument: std::sync::Arc::new(domain::instrument::Instrument::default_instrument()),
    };
    let started = Instant::now();
    let summary = demo::seed(&store, &opts).await?;
    let took = started.elapsed();
    println!(
        "seeded {} referrals and {} accounts in {took:.2?}",
        summary.referrals,
        summary.users.len()
    );
    for (status, n) in &summary.by_status {
        println!("  {:<26} {n}", status.label());
    }
    println!(
        "  unrouted {}; targets met {}, missed {}; overdue now {}",
        summary.unrouted, summary.targets_met, summary.targets_missed, summary.overdue_now
    );
    Ok(())
}
