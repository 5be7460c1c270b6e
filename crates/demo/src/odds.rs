//! The proportions and delays the demo aims for, in one place: the risk mix (Very High 5%, High 25%,
//! Medium 45%, Low 25%), how long triage, allocation and investigation take, how often the first
//! enforcement misses its target (about one in five), and which outcomes are recorded.

use crate::calendar::{days, hours, plus_minutes};
use crate::names::weighted;
use domain::{EnforcementKind, RiskLevel};
use jiff::Timestamp;
use rand::Rng;

/// Outcome codes after enforcement, with how often each is recorded.
#[rustfmt::skip]
pub const OUTCOMES: &[(u8, u32)] = &[
    (1, 22), (2, 2), (3, 6), (8, 1), (22, 3), (9, 2), (10, 3), (14, 2), (15, 4), (16, 16), (18, 4), (20, 10),
    (21, 18),
];

/// The outcome of an investigation after enforcement at this risk level: the more a level's referrals
/// involve contact with children or imagery of the worst category, the more often they end in a charge or
/// caution (codes 1 to 3), so the demo's levels separate outcomes as a working instrument's should.
pub fn outcome(rng: &mut impl Rng, level: RiskLevel) -> u8 {
    let charge_weight = match level {
        RiskLevel::VeryHigh => 3.0,
        RiskLevel::High => 1.6,
        RiskLevel::Medium => 1.0,
        RiskLevel::Low => 0.6,
    };
    let weights: Vec<(u8, u32)> = OUTCOMES
        .iter()
        .map(|&(code, w)| {
            if (1..=3).contains(&code) {
                (code, (f64::from(w) * charge_weight).round() as u32)
            } else {
                (code, w)
            }
        })
        .collect();
    weighted(rng, &weights)
}

/// Outcome codes for referrals closed without enforcement.
pub const OUTCOMES_WITHOUT_ENFORCEMENT: &[(u8, u32)] = &[(18, 5), (20, 3), (14, 2)];

/// Share of allocated referrals closed without any enforcement action.
pub const CLOSED_WITHOUT_ENFORCEMENT: f64 = 0.08;

/// Share of no-further-action proposals a sergeant returns once before approving.
pub const NFA_RETURNED: f64 = 0.2;

/// Share of closed referrals reopened later (new material, a review).
pub const REOPENED: f64 = 0.02;

/// Minutes from receipt to risk assessment: minutes for an escalated report, usually hours, sometimes days.
pub fn triage_minutes(rng: &mut impl Rng, escalated: bool) -> i64 {
    if escalated {
        return rng.random_range(20..180);
    }
    match weighted(rng, &[(0u8, 70), (1, 22), (2, 8)]) {
        0 => hours(rng, 1, 20),
        1 => days(rng, 1, 5),
        _ => days(rng, 5, 14),
    }
}

/// The risk level; an escalated report is at least High.
pub fn risk_level(rng: &mut impl Rng, escalated: bool) -> RiskLevel {
    use RiskLevel::*;
    if escalated {
        return weighted(rng, &[(VeryHigh, 35), (High, 65)]);
    }
    // Escalated reports (about 7%) add to Very High and High, so the overall mix lands near 5/25/45/25.
    weighted(rng, &[(VeryHigh, 3), (High, 22), (Medium, 49), (Low, 26)])
}

/// Minutes from assessment to allocation: the more urgent, the sooner.
pub fn allocation_minutes(rng: &mut impl Rng, level: RiskLevel) -> i64 {
    match level {
        RiskLevel::VeryHigh => rng.random_range(30..240),
        RiskLevel::High => hours(rng, 2, 48),
        RiskLevel::Medium => hours(rng, 4, 120),
        RiskLevel::Low => days(rng, 1, 10),
    }
}

/// When the first enforcement action happens: within target mostly, late for some.
pub fn enforcement_time(
    rng: &mut impl Rng,
    due: Timestamp,
    allocated_at: Timestamp,
    level: RiskLevel,
) -> Timestamp {
    let miss = match level {
        RiskLevel::VeryHigh => 0.12,
        RiskLevel::High => 0.2,
        RiskLevel::Medium => 0.17,
        RiskLevel::Low => 0.14,
    };
    let window = (due.as_second() - allocated_at.as_second()) / 60;
    if window > 10 && !rng.random_bool(miss) {
        return plus_minutes(allocated_at, rng.random_range(window / 10..window));
    }
    let late = match level {
        RiskLevel::VeryHigh => hours(rng, 2, 72),
        RiskLevel::High => days(rng, 1, 10),
        RiskLevel::Medium => days(rng, 1, 21),
        RiskLevel::Low => days(rng, 1, 30),
    };
    plus_minutes(due.max(allocated_at), late)
}

/// The kind of the first enforcement action.
pub fn enforcement_kind(rng: &mut impl Rng) -> EnforcementKind {
    use EnforcementKind::*;
    weighted(
        rng,
        &[(Warrant, 45), (VoluntaryInterview, 35), (Arrest, 20)],
    )
}

/// Minutes from enforcement to outcome: forensic examination makes most investigations take months.
pub fn investigation_minutes(rng: &mut impl Rng) -> i64 {
    days(rng, 14, 300).min(days(rng, 14, 300))
}
