//! Linking a new referral to a subject. A strong identifier of the reported person (email, phone, ESP id
//! within its service) shared with an earlier referral joins that referral's subject; weak matches (the same
//! display name or screen name, the same IP address and port within a few minutes) become suggestions for
//! a person to confirm or reject. Victims' and recipients' identifiers never link.
//!
//! A batch looks up every earlier referral its reports could match in one query per kind (`Index::lookup`),
//! then links its reports in order, adding each to the index before the next, so that a report matches
//! the ones before it in the same batch exactly as it matches those already stored.

use super::batch::Pending;
use super::{ImportTx, on_tx};
use crate::StoreError;
use crate::bulk::{Style, placeholders, style};
use std::collections::{BTreeSet, HashMap};

/// How close in time two IP events with the same address and port must be to suggest a link.
pub const IP_WINDOW_MS: i64 = 5 * 60 * 1000;

/// Pairs (or quadruples) looked up per statement.
const LOOKUP_CHUNK: usize = 2_000;

/// What linking did with a new referral.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct LinkOutcome {
    /// The subject the referral now belongs to.
    pub subject_id: String,
    /// Whether that subject already existed (the referral joined an existing case).
    pub joined_existing: bool,
    /// The identifiers that joined it (`email a@example.com`).
    pub basis: Vec<String>,
    /// Weak matches waiting for a decision: (subject id, basis).
    pub suggestions: Vec<(String, String)>,
}

/// The subjects of earlier referrals, by the reported person's identifiers and by IP address and port.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// (kind, normalised value) → subjects.
    idents: HashMap<(String, String), BTreeSet<String>>,
    /// (canonical address, port) → (instant in ms, subject) of every event seen.
    ips: HashMap<(String, i64), Vec<(i64, String)>>,
}

/// The placeholder after `n - 1` others (the force, bound last).
pub(super) fn last(style: Style, n: usize) -> String {
    match style {
        Style::Question => "?".into(),
        Style::Numbered => format!("${n}"),
    }
}

/// The reported person's identifiers that can match (links and suggestions come only from these).
fn reported(p: &Pending) -> impl Iterator<Item = &super::IdentifierRow> {
    p.identifiers.iter().filter(|i| i.role == "reported")
}

/// The reported person's IP events that can suggest a link: those with a port and a time.
fn reported_events(
    p: &Pending,
) -> impl Iterator<Item = (&intake::model::IpCaptureEvent, i64, i64)> {
    p.report
        .reported
        .iter()
        .flat_map(|r| &r.ip_events)
        .filter_map(|e| Some((e, i64::from(e.port?), crate::ms(e.time.as_ref()?.at))))
}

/// Every IP event of a report, as stored: the reported person's, then each file's.
pub(super) fn all_events(
    report: &intake::Report,
) -> impl Iterator<Item = &intake::model::IpCaptureEvent> {
    report
        .reported
        .iter()
        .flat_map(|p| &p.ip_events)
        .chain(report.files.iter().flat_map(|f| &f.ip_events))
}

/// The canonical text of an address: IPv4-mapped IPv6 written as IPv4.
pub(crate) fn canonical_ip(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(|v4| v4.to_string())
            .unwrap_or_else(|| v6.to_string()),
        v4 => v4.to_string(),
    }
}

impl Index {
    /// Everything stored that the batch's reports could match.
    pub(super) async fn lookup<'a>(
        tx: &mut ImportTx,
        batch: impl Iterator<Item = &'a Pending> + Clone,
    ) -> Result<Self, StoreError> {
        // (A batch staged but not yet written is not in the database: the caller merges it.)
        let force = tx.force.to_string();
        let mut index = Index::default();

        let mut keys: Vec<(&str, &str)> = batch
            .clone()
            .flat_map(|p| reported(p).map(|i| (i.kind, i.norm.as_str())))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        for chunk in keys.chunks(LOOKUP_CHUNK) {
            let sql = |style| {
                format!(
                    "WITH q(kind, norm) AS (VALUES {})
                     SELECT DISTINCT i.kind, i.norm, r.subject_id
                     FROM q CROSS JOIN identifiers i JOIN referrals r ON r.id = i.referral_id
                     JOIN subjects s ON s.id = r.subject_id
                     WHERE i.force_id = {} AND i.role = 'reported' AND i.kind = q.kind AND i.norm = q.norm",
                    placeholders(style, chunk.len(), 2, 1),
                    last(style, chunk.len() * 2 + 1)
                )
            };
            let found: Vec<(String, String, String)> = on_tx!(tx.conn, c => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql(style(&*c)))).persistent(false);
                for (kind, norm) in chunk {
                    q = q.bind(*kind).bind(*norm);
                }
                q.bind(&force).fetch_all(c).await
            })?;
            for (kind, norm, subject) in found {
                index
                    .idents
                    .entry((kind, norm))
                    .or_default()
                    .insert(subject);
            }
        }

        let events: Vec<(String, i64, i64)> = batch
            .flat_map(|p| reported_events(p).map(|(e, port, at)| (canonical_ip(e.ip), port, at)))
            .collect();
        for chunk in events.chunks(LOOKUP_CHUNK) {
            let sql = |style| {
                format!(
                    "WITH q(address, port, lo, hi) AS (VALUES {})
                     SELECT DISTINCT q.address, q.port, e.at, r.subject_id
                     FROM q CROSS JOIN ip_events e JOIN referrals r ON r.id = e.referral_id
                     JOIN subjects s ON s.id = r.subject_id
                     WHERE e.force_id = {} AND e.address = q.address AND e.port = q.port
                       AND e.at BETWEEN q.lo AND q.hi",
                    placeholders(style, chunk.len(), 4, 1),
                    last(style, chunk.len() * 4 + 1)
                )
            };
            let found: Vec<(String, i64, i64, String)> = on_tx!(tx.conn, c => {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql(style(&*c)))).persistent(false);
                for (address, port, at) in chunk {
                    q = q.bind(address).bind(*port).bind(at - IP_WINDOW_MS).bind(at + IP_WINDOW_MS);
                }
                q.bind(&force).fetch_all(c).await
            })?;
            for (address, port, at, subject) in found {
                index
                    .ips
                    .entry((address, port))
                    .or_default()
                    .push((at, subject));
            }
        }
        Ok(index)
    }

    /// Add a report just linked, so that later reports of the same batch can match it.
    pub(super) fn add(&mut self, p: &Pending, subject: &str) {
        for i in reported(p) {
            self.idents
                .entry((i.kind.to_string(), i.norm.clone()))
                .or_default()
                .insert(subject.to_string());
        }
        for e in all_events(&p.report) {
            let (Some(port), Some(t)) = (e.port, e.time.as_ref()) else {
                continue;
            };
            self.ips
                .entry((canonical_ip(e.ip), i64::from(port)))
                .or_default()
                .push((crate::ms(t.at), subject.to_string()));
        }
    }

    /// Add everything another index holds (a batch linked but not yet written).
    pub(super) fn merge(&mut self, other: &Index) {
        for (k, subjects) in &other.idents {
            self.idents
                .entry(k.clone())
                .or_default()
                .extend(subjects.iter().cloned());
        }
        for (k, seen) in &other.ips {
            self.ips
                .entry(k.clone())
                .or_default()
                .extend(seen.iter().cloned());
        }
    }

    fn subjects_with(&self, kind: &str, norm: &str) -> impl Iterator<Item = &String> {
        self.idents
            .get(&(kind.to_string(), norm.to_string()))
            .into_iter()
            .flatten()
    }

    fn subjects_near(&self, address: String, port: i64, at: i64) -> BTreeSet<&String> {
        self.ips
            .get(&(address, port))
            .into_iter()
            .flatten()
            .filter(|(t, _)| (t - at).abs() <= IP_WINDOW_MS)
            .map(|(_, s)| s)
            .collect()
    }
}

/// Link one report: join the first subject a strong identifier shares (in the order of its identifiers,
/// then of subject id), or start a new subject; every other match becomes a suggestion.
pub(super) fn resolve(index: &Index, p: &Pending) -> LinkOutcome {
    let mut strong: Vec<(String, String)> = vec![]; // (subject, basis)
    let mut weak: Vec<(String, String)> = vec![];
    for i in reported(p) {
        let label = i.kind.replace('_', " ");
        for s in index.subjects_with(i.kind, &i.norm) {
            if i.strong {
                strong.push((s.clone(), format!("{label} {}", i.raw)));
            } else {
                weak.push((s.clone(), format!("same {label} '{}'", i.raw)));
            }
        }
    }
    for (e, port, at) in reported_events(p) {
        for s in index.subjects_near(canonical_ip(e.ip), port, at) {
            weak.push((
                s.clone(),
                format!("same IP {}:{port} within 5 minutes", e.address),
            ));
        }
    }
    let joined = strong.first().map(|(s, _)| s.clone());
    let subject = joined
        .clone()
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let basis = strong
        .iter()
        .filter(|(s, _)| *s == subject)
        .map(|(_, b)| b.clone())
        .collect();
    let mut suggestions: Vec<(String, String)> = strong
        .into_iter()
        .chain(weak)
        .filter(|(s, _)| *s != subject)
        .collect();
    suggestions.sort();
    suggestions.dedup_by(|a, b| a.0 == b.0);
    LinkOutcome {
        subject_id: subject,
        joined_existing: joined.is_some(),
        basis,
        suggestions,
    }
}
