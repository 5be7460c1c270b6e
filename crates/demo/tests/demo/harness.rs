//! A freshly seeded store per test, and helpers to read everything back.

use demo::{DemoOptions, DemoSummary};
use domain::{Referral, TimelinessTable, User};
use jiff::Timestamp;
use store::{ReferralFilter, Store};

/// The creation instant most tests use: an afternoon in British Summer Time.
pub const CREATED_AT: &str = "2026-06-15T14:20:00Z";

/// A seeded demo and the directory its database lives in.
pub struct Seeded {
    pub store: Store,
    pub summary: DemoSummary,
    pub opts: DemoOptions,
    _dir: tempfile::TempDir,
}

pub fn options(seed: u64, referrals: usize, created_at: &str) -> DemoOptions {
    DemoOptions {
        seed,
        created_at: created_at.parse().unwrap(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$ZGVtb3NhbHQ$ZGVtb2hhc2g".into(),
        referrals,
        table: TimelinessTable::default(),
        instrument: std::sync::Arc::new(domain::instrument::Instrument::default_instrument()),
    }
}

pub async fn seeded(opts: DemoOptions) -> Seeded {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(
        &store::Location::SqliteFile(dir.path().join("demo.db")),
        b"k".to_vec(),
    )
    .await
    .unwrap();
    let summary = demo::seed(&store, &opts).await.unwrap();
    Seeded {
        store,
        summary,
        opts,
        _dir: dir,
    }
}

/// The usual demo: 300 referrals, seed 42.
pub async fn small() -> Seeded {
    seeded(options(42, 300, CREATED_AT)).await
}

impl Seeded {
    /// Every referral of the force, soonest due first.
    pub async fn referrals(&self) -> Vec<Referral> {
        let mut all = Vec::new();
        let mut cursor = None;
        loop {
            let page = self
                .store
                .list_referrals(&ReferralFilter {
                    scope: domain::permissions::QueueScope::Force(self.summary.force),
                    unrouted_only: false,
                    open_only: false,
                    status: None,
                    limit: 500,
                    cursor,
                    risk_level: None,
                    officer: None,
                    overdue_at: None,
                    escalated: false,
                    except_status: None,
                    search: None,
                })
                .await
                .unwrap();
            all.extend(page.items);
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => return all,
            }
        }
    }

    /// Every account of the force.
    pub async fn users(&self) -> Vec<User> {
        self.store
            .list_users(self.summary.force, None)
            .await
            .unwrap()
    }

    /// The creation instant.
    pub fn created_at(&self) -> Timestamp {
        self.opts.created_at
    }
}

/// London midnight at the start of the creation day of `CREATED_AT` (15 June 2026 00:00 BST).
pub fn creation_midnight() -> Timestamp {
    "2026-06-14T23:00:00Z".parse().unwrap()
}

/// `part` as a share of `all`.
pub fn share(part: usize, all: usize) -> f64 {
    part as f64 / all as f64
}
