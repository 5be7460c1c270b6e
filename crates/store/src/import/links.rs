//! Linking a new referral to a subject. The rule (which subject a referral joins, what is only suggested,
//! and why) is `domain::identifiers::resolve_link`; this module only finds the candidates it weighs: the
//! subjects of earlier referrals sharing one of the reported person's link keys, and the IP events seen on
//! the same address and port around the time of the reported person's.
//!
//! A batch looks up every earlier referral its reports could match in one query per kind (`Index::lookup`),
//! then links its reports in order, adding each to the index before the next, so that a report matches
//! the ones before it in the same batch exactly as it matches those already stored.

use super::batch::Pending;
use super::{ImportTx, on_tx};
use crate::StoreError;
use domain::identifiers::{
    DEFAULT_IP_WINDOW, IpEvent, LinkKey, PartyRole, canonical_ip_text, resolve_link,
};
use jiff::Timestamp;
use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

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

/// The subjects of earlier referrals, by the reported person's link keys and by IP address and port.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// Link key's kind → its value → subjects (nested, so a lookup needs no owned key).
    idents: HashMap<String, HashMap<String, BTreeSet<String>>>,
    /// (canonical address, port) → every event seen there, with its subject.
    ips: HashMap<(IpAddr, u16), Vec<(IpEvent, String)>>,
}

/// The report's link keys (only the reported person's identifiers have one), each with its raw text.
fn keys(p: &Pending) -> impl Iterator<Item = (&LinkKey, &str)> {
    p.rows
        .identifiers
        .iter()
        .filter_map(|i| Some((i.link.as_ref()?, i.raw.as_str())))
}

/// An instant as stored (to the millisecond), so that a report matches the others of its batch exactly
/// as it matches those already written.
fn stored(at: Timestamp) -> Timestamp {
    Timestamp::from_millisecond(crate::ms(at)).unwrap_or(at)
}

/// An event that can be matched (it has a port and a time), as the rule takes it.
fn matchable(e: &super::ReportIpEvent) -> Option<IpEvent> {
    Some(IpEvent::new(e.address, Some(e.port?), stored(e.at?)))
}

/// The reported person's IP events that can suggest a link, each with its address as received.
fn reported_events(p: &Pending) -> impl Iterator<Item = (IpEvent, &str)> {
    p.rows
        .ip_events
        .iter()
        .filter(|e| e.reported)
        .filter_map(|e| Some((matchable(e)?, e.address_raw.as_str())))
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

        let mut wanted: Vec<(&str, &str)> = batch
            .clone()
            .flat_map(|p| keys(p).map(|(k, _)| (k.kind().as_str(), k.value())))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        for chunk in wanted.chunks(LOOKUP_CHUNK) {
            let found: Vec<(String, String, String, String)> = on_tx!(tx.conn, c => {
                let mut q = sqlx::QueryBuilder::new("WITH q(kind, norm) AS (");
                q.push_values(chunk, |mut row, (kind, norm)| {
                    row.push_bind(kind.to_string()).push_bind(norm.to_string());
                });
                q.push(") SELECT DISTINCT i.role, i.kind, i.norm, r.subject_id \
                        FROM q CROSS JOIN identifiers i JOIN referrals r ON r.id = i.referral_id \
                        JOIN subjects s ON s.id = r.subject_id WHERE i.force_id = ")
                    .push_bind(force.clone())
                    .push(" AND i.kind = q.kind AND i.norm = q.norm");
                q.build_query_as().persistent(false).fetch_all(c).await
            })?;
            for (role, kind, norm, subject) in found {
                // Whose identifier may link is the domain's to say: a stored victim's or recipient's
                // identifier with the same value is never a candidate.
                if role
                    .parse::<PartyRole>()
                    .is_ok_and(PartyRole::links_referrals)
                {
                    index.insert_key(kind, norm, subject);
                }
            }
        }

        // The database narrows by the window (inclusive, as the rule is); the rule then decides each match.
        let window = i64::try_from(DEFAULT_IP_WINDOW.as_millis()).unwrap_or(i64::MAX);
        let events: Vec<(String, i64, i64)> = batch
            .flat_map(|p| {
                reported_events(p).filter_map(|(e, _)| {
                    Some((
                        canonical_ip_text(e.address),
                        i64::from(e.port?),
                        e.at.as_millisecond(),
                    ))
                })
            })
            .collect();
        for chunk in events.chunks(LOOKUP_CHUNK) {
            let found: Vec<(String, i64, i64, String)> = on_tx!(tx.conn, c => {
                let mut q = sqlx::QueryBuilder::new("WITH q(address, port, lo, hi) AS (");
                q.push_values(chunk, |mut row, (address, port, at)| {
                    row.push_bind(address.clone())
                        .push_bind(*port)
                        .push_bind(at.saturating_sub(window))
                        .push_bind(at.saturating_add(window));
                });
                q.push(") SELECT DISTINCT q.address, q.port, e.at, r.subject_id \
                        FROM q CROSS JOIN ip_events e JOIN referrals r ON r.id = e.referral_id \
                        JOIN subjects s ON s.id = r.subject_id WHERE e.force_id = ")
                    .push_bind(force.clone())
                    .push(" AND e.address = q.address AND e.port = q.port AND e.at BETWEEN q.lo AND q.hi");
                q.build_query_as().persistent(false).fetch_all(c).await
            })?;
            for (address, port, at, subject) in found {
                // A stored row that does not read back as an address, a port and an instant matches nothing.
                let (Ok(address), Ok(port), Ok(at)) = (
                    address.parse::<IpAddr>(),
                    u16::try_from(port),
                    Timestamp::from_millisecond(at),
                ) else {
                    continue;
                };
                index.insert_event(IpEvent::new(address, Some(port), at), subject);
            }
        }
        Ok(index)
    }

    /// Add a report just linked, so that later reports of the same batch can match it: its link keys,
    /// and every IP event it stores (a file's too, as a later report matches it once written).
    pub(super) fn add(&mut self, p: &Pending, subject: &str) {
        for (k, _) in keys(p) {
            self.insert_key(
                k.kind().as_str().to_string(),
                k.value().to_string(),
                subject.to_string(),
            );
        }
        for e in p.rows.ip_events.iter().filter_map(matchable) {
            self.insert_event(e, subject.to_string());
        }
    }

    fn insert_key(&mut self, kind: String, value: String, subject: String) {
        self.idents
            .entry(kind)
            .or_default()
            .entry(value)
            .or_default()
            .insert(subject);
    }

    fn insert_event(&mut self, e: IpEvent, subject: String) {
        if let Some(port) = e.port {
            self.ips
                .entry((e.address.to_canonical(), port))
                .or_default()
                .push((e, subject));
        }
    }

    /// Add everything another index holds (a batch linked but not yet written).
    pub(super) fn merge(&mut self, other: &Index) {
        for (kind, values) in &other.idents {
            for (value, subjects) in values {
                for s in subjects {
                    self.insert_key(kind.clone(), value.clone(), s.clone());
                }
            }
        }
        for (k, seen) in &other.ips {
            self.ips.entry(*k).or_default().extend(seen.iter().cloned());
        }
    }

    /// The subjects of earlier referrals whose reported person had the key.
    fn sharing<'a>(&'a self, key: &LinkKey) -> impl Iterator<Item = &'a String> + use<'a> {
        self.idents
            .get(key.kind().as_str())
            .and_then(|values| values.get(key.value()))
            .into_iter()
            .flatten()
    }

    /// Every event seen on a canonical address and port, with its subject.
    fn seen_at(&self, address: IpAddr, port: u16) -> impl Iterator<Item = (IpEvent, &String)> {
        self.ips
            .get(&(address, port))
            .into_iter()
            .flatten()
            .map(|(e, s)| (*e, s))
    }
}

/// Link one report by the domain's rule: join the subject it names, or start a new one.
pub(super) fn resolve(index: &Index, p: &Pending) -> LinkOutcome {
    let r = resolve_link(
        keys(p),
        reported_events(p),
        |k| index.sharing(k),
        |address, port| index.seen_at(address, port),
    );
    LinkOutcome {
        joined_existing: r.joined.is_some(),
        subject_id: r
            .joined
            .cloned()
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
        basis: r.basis,
        suggestions: r
            .suggestions
            .into_iter()
            .map(|(s, b)| (s.clone(), b))
            .collect(),
    }
}
