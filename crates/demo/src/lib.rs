//! Fills a store with a realistic synthetic Metropolitan Police force for `safeguard demo`: the 12 BCUs of
//! 2019 with their boroughs, a team per BCU and the force-wide roles, and about 18 months of referrals with
//! histories that follow the product's rules. Everything is drawn from one generator seeded by the caller and
//! placed relative to the London day of creation, so the same seed on the same day gives the same data.
//! No person in it is real: names come from small built-in lists, identifiers from reserved ranges.

mod assessments;
mod calendar;
mod evidence;
mod force;
pub mod governance;
mod history;
mod names;
mod odds;
mod referrals;
pub mod reports;
mod text;
mod work;

use domain::{ForceId, NfaPolicy, Role, Status, TimelinessTable};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use store::{Actor, Store, StoreError};

pub use calendar::MONTHS_OF_HISTORY;
pub use force::OFFICERS_PER_BCU;
pub use work::WorkSummary;

/// What to create.
#[derive(Clone, Debug)]
pub struct DemoOptions {
    /// Same seed (on the same London day) gives the same data.
    pub seed: u64,
    /// "Today": all data is placed before the start of this instant's London calendar day.
    pub created_at: jiff::Timestamp,
    /// One Argon2id PHC string, used for every demo account.
    pub password_hash: String,
    /// How many referrals to create (the product's demo uses 2,500).
    pub referrals: usize,
    /// The timeliness targets the due times are computed from.
    pub table: TimelinessTable,
    /// The force's risk instrument, which the demo's assessments are made with.
    pub instrument: std::sync::Arc<domain::instrument::Instrument>,
}

/// What was created.
#[derive(Clone, Debug)]
pub struct DemoSummary {
    /// The force (`met`).
    pub force: ForceId,
    /// Every account, force-wide first, then BCU by BCU.
    pub users: Vec<DemoLogin>,
    /// Referrals stored.
    pub referrals: usize,
    /// Referrals per status, in flow order.
    pub by_status: Vec<(Status, usize)>,
    /// Referrals with no BCU (on the central queue or transferred from it).
    pub unrouted: usize,
    /// First enforcement on or before the due time.
    pub targets_met: usize,
    /// First enforcement after the due time.
    pub targets_missed: usize,
    /// Open referrals past their due time with no enforcement at `created_at`.
    pub overdue_now: usize,
}

/// One demo account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoLogin {
    /// Sign-in name (`inv.cn.2`).
    pub username: String,
    /// Role.
    pub role: Role,
    /// BCU code, for BCU-scoped roles.
    pub bcu: Option<String>,
    /// Name shown to others (`DC Amira Shah`).
    pub display_name: String,
}

/// Why the demo could not be created.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The store refused (for example, a `met` force or a demo username already exists).
    #[error("failed to store the demo data: {0}")]
    Store(#[from] StoreError),
    /// A generated step broke a referral rule: a bug in the demo, never in the data given to it.
    #[error("the demo history broke a referral rule: {0}")]
    History(#[from] domain::TransitionError),
    /// The investigation work could not be written.
    #[error("the demo's investigation work failed: {0}")]
    Work(String),
}

/// Referrals per store call: one transaction each.
const BATCH: usize = 500;

/// The Met's BCUs: code, name and the boroughs each covers.
pub fn bcus() -> &'static [(&'static str, &'static str, &'static [&'static str])] {
    force::BCUS
}

/// Create the demo force, its accounts and its referral history in `store`.
pub async fn seed(store: &Store, opts: &DemoOptions) -> Result<DemoSummary, DemoError> {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let roster = force::create(store, &mut rng, &opts.password_hash).await?;
    let window = calendar::Window::before(opts.created_at);
    let nfa = NfaPolicy::default();
    let setting = history::Setting {
        roster: &roster,
        table: &opts.table,
        nfa: &nfa,
        cutoff: window.cutoff,
        instrument: &opts.instrument,
    };
    let arrivals = referrals::arrivals(&mut rng, &roster, &window, opts.referrals);
    let actor = Actor {
        user: None,
        username: "system".into(),
        display_name: "Demo data".into(),
        justification: None,
    };
    // Each batch's histories are made, written and counted, then dropped: at a million referrals, holding
    // them all took about 7 GB. The histories are made in the same order as ever, so the data are the same.
    let mut summary = DemoSummary {
        force: roster.force,
        users: roster.logins.clone(),
        referrals: 0,
        by_status: Status::ALL.into_iter().map(|s| (s, 0)).collect(),
        unrouted: 0,
        targets_met: 0,
        targets_missed: 0,
        overdue_now: 0,
    };
    for chunk in arrivals.chunks(BATCH) {
        let items = chunk
            .iter()
            .cloned()
            .map(|a| history::history(&mut rng, a, &setting))
            .collect::<Result<Vec<_>, _>>()?;
        summary.referrals += store.insert_referrals_batch(&items, &actor).await?;
        for r in items.iter().map(|n| &n.referral) {
            if let Some(entry) = summary.by_status.iter_mut().find(|(s, _)| *s == r.status) {
                entry.1 += 1;
            }
            summary.unrouted += usize::from(r.bcu.is_none());
            summary.targets_met += usize::from(r.target_met() == Some(true));
            summary.targets_missed += usize::from(r.target_met() == Some(false));
            summary.overdue_now +=
                usize::from(r.seconds_left(opts.created_at).is_some_and(|s| s < 0));
        }
    }
    // The planner's statistics, for the work that reads what was written (PostgreSQL's autovacuum comes to
    // it only later, and meanwhile chose to read the whole queue in order of the wrong index).
    store.refresh_statistics().await?;
    Ok(summary)
}

/// The investigation work on the open, allocated referrals the seed created, under `config`'s timeliness
/// table and plans: their review clocks and plans (dated at allocation), then reviews, plan actions done, set
/// aside and paused as they would have been before `created_at`'s London day.
pub async fn investigate(
    store: &Store,
    config: &app::Config,
    seed: u64,
    created_at: jiff::Timestamp,
) -> Result<WorkSummary, DemoError> {
    let force = store
        .force_by_code("met")
        .await?
        .ok_or_else(|| DemoError::Work("the demo force is not in the database".into()))?;
    let mut sum = work::work(store, config, force, seed, created_at)
        .await
        .map_err(|e| DemoError::Work(e.to_string()))?;
    // Any open, allocated referral the work did not reach (none, as the demo makes them) still gets its
    // review clock and plan, as the server gives them at start-up.
    let app = app::App::new(store.clone(), config.clone());
    app::supervision::ensure_review_clocks(&app)
        .await
        .map_err(|e| DemoError::Work(e.message()))?;
    let author = Actor {
        user: None,
        username: "system".into(),
        display_name: "Demo data".into(),
        justification: None,
    };
    app::plans::make_missing_plans(&app, &author, true)
        .await
        .map_err(|e| DemoError::Work(e.message()))?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xe71d_e5ce);
    let cutoff = calendar::Window::before(created_at).cutoff;
    let table = &config.timeliness;
    evidence::quality(
        &mut rng,
        store,
        force,
        &config.quality_areas,
        table,
        cutoff,
        &mut sum,
    )
    .await
    .map_err(|e| DemoError::Work(e.to_string()))?;
    Ok(sum)
}

/// The demo's database, open: find its force, create it, then hand the database to the application.
pub struct DemoDb {
    store: Store,
    location: app::Location,
    audit_key: Vec<u8>,
    anchor: Option<std::path::PathBuf>,
}

impl DemoDb {
    /// Open (creating or updating) the database at `location`, for generating in bulk
    /// ([`Store::open_for_bulk`]), without moving the anchor after every write: [`DemoDb::into_app`] opens
    /// it again as the product always does and moves the anchor to the end of the log once.
    pub async fn open(
        location: &app::Location,
        audit_key: Vec<u8>,
        anchor: Option<std::path::PathBuf>,
    ) -> Result<Self, DemoError> {
        let store = Store::open_for_bulk(location, audit_key.clone()).await?;
        Ok(Self {
            store,
            location: location.clone(),
            audit_key,
            anchor,
        })
    }

    /// The demo force, if the database already holds it (running the demo again reuses its data).
    pub async fn existing_force(&self) -> Result<Option<ForceId>, DemoError> {
        Ok(self.store.force_by_code("met").await?)
    }

    /// Create the synthetic force.
    pub async fn seed(&self, opts: &DemoOptions) -> Result<DemoSummary, DemoError> {
        seed(&self.store, opts).await
    }

    /// The investigation work on the open, allocated referrals the seed created ([`investigate`]).
    pub async fn work(
        &self,
        config: &app::Config,
        seed: u64,
        created_at: jiff::Timestamp,
    ) -> Result<WorkSummary, DemoError> {
        investigate(&self.store, config, seed, created_at).await
    }

    /// The application on this database, opened again with every commit waited for on disk.
    pub async fn into_app(self, config: app::Config) -> Result<app::App, DemoError> {
        self.store.close().await;
        let store = Store::open(&self.location, self.audit_key).await?;
        let store = match self.anchor {
            Some(path) => {
                let store = store.with_anchor(path);
                store.anchor_to_checkpoint().await?;
                store
            }
            None => store,
        };
        Ok(app::App::new(store, config))
    }
}
