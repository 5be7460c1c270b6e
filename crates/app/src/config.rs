//! The use cases' settings, parsed once by the command line and passed down. One server serves every force
//! in its database: each user belongs to a force and sees only that force's records.

use domain::audit::JustificationPolicy;
use domain::{NfaPolicy, TimelinessTable};
use std::sync::Arc;

/// Settings fixed at start-up.
#[derive(Clone, Debug)]
pub struct Config {
    /// How long a sign-in lasts.
    pub session_hours: i64,
    /// Timeliness targets.
    pub timeliness: TimelinessTable,
    /// Which outcome codes count as no further action (and so need a supervisor's approval).
    pub nfa: NfaPolicy,
    /// When closed records are reviewed for retention.
    pub retention: domain::retention::RetentionTable,
    /// Which processing kinds need a justification.
    pub justification: JustificationPolicy,
    /// The investigation plan templates, one per offence.
    pub plans: Arc<domain::plans::PlanSet>,
    /// The risk instrument assessments are made with.
    pub instrument: Arc<domain::instrument::Instrument>,
    /// Failed sign-ins allowed before a name is locked out for `lockout_minutes`.
    pub max_failed_logins: u32,
    /// Lock-out length.
    pub lockout_minutes: i64,
    /// Password checks that may run at once (each holds about 19 MiB for Argon2id); beyond it a sign-in is
    /// refused at once with 429 and `Retry-After`.
    pub max_concurrent_sign_ins: usize,
    /// Failed sign-ins allowed from one client address within `lockout_minutes`: generous, since a force's
    /// users may share an address (set `--trusted-proxy` so that the address is each user's own).
    pub max_failed_logins_per_address: u32,
    /// The most rows a list's export (CSV) holds: a larger list is refused, to be narrowed first.
    pub export_max_rows: usize,
    /// The areas a quality review grades referrals against.
    pub quality_areas: Arc<domain::quality::QualityAreas>,
    /// The earliest date accepted for any time given (receipts, incidents, steps): earlier is a typing or
    /// sender's error.
    pub earliest: jiff::civil::Date,
    /// The fewest referrals a rate, share, median or percentile of the figures is computed from: below it,
    /// it is not shown (it would mislead, and could point at a case).
    pub figures_min_base: i64,
}

impl Default for Config {
    /// The documented defaults: 8-hour sessions, the default timeliness table and NFA set, no mandatory
    /// justification, five failed sign-ins then 15 minutes' lock-out.
    fn default() -> Self {
        Self {
            session_hours: 8,
            timeliness: TimelinessTable::default(),
            nfa: NfaPolicy::default(),
            retention: domain::retention::RetentionTable::default(),
            justification: JustificationPolicy::default(),
            instrument: Arc::new(domain::instrument::Instrument::default_instrument()),
            plans: Arc::new(domain::plans::PlanSet::default_set()),
            max_failed_logins: 5,
            lockout_minutes: 15,
            max_concurrent_sign_ins: 4,
            max_failed_logins_per_address: 100,
            export_max_rows: crate::export::MAX_ROWS,
            quality_areas: Arc::default(),
            earliest: domain::time::DEFAULT_EARLIEST,
            figures_min_base: 10,
        }
    }
}
