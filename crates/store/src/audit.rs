//! The access log (Data Protection Act 2018, s62): append-only, hash-chained and anchored.
//!
//! Each event's hash covers its own fields and the previous event's hash, so editing or deleting a row
//! breaks the chain from that row on. The chain's head (last sequence number and hash) is kept in
//! `audit_checkpoint`, signed with an HMAC key that lives outside the database, so that cutting off the tail
//! of the log — which leaves a shorter but internally valid chain — still shows.

use crate::BeginWrite;
use crate::{Store, StoreError, ms, on_pool, ts};
use domain::audit::{AccessOutcome, Processing};
use domain::{ForceId, UserId};
use hmac::{KeyInit, Mac};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

/// Append one event inside an open transaction (the caller holds `write_lock`). A macro rather than a
/// function so that it expands once per backend without generic executor bounds.
macro_rules! append_in_tx {
    ($store:expr, $conn:expr, $draft:expr) => {{
        let head: Option<(i64, String)> = sqlx::query_as($store.head_sql())
            .fetch_optional(&mut *$conn)
            .await?;
        let row = $crate::audit::new_row(0, String::new(), $draft);
        $crate::audit::append_row!($store, $conn, head, row, None::<String>)
    }};
}
pub(crate) use append_in_tx;

/// Chain `$row` (its fields filled, its place not yet) after `$head` (the last sequence number and hash, read
/// under the chain's lock) and write it with its spool key, if it waited in the spool, and the new signed
/// checkpoint. Gives the event.
macro_rules! append_row {
    ($store:expr, $conn:expr, $head:expr, $row:expr, $key:expr) => {{
        let head: Option<(i64, String)> = $head;
        let (prev_seq, prev_hash) = head.unwrap_or((0, $crate::audit::GENESIS.to_string()));
        let mut row: $crate::audit::AuditRow = $row;
        row.seq = prev_seq + 1;
        row.prev_hash = prev_hash;
        row.hash = $crate::audit::event_hash_pub(&row);
        let key: Option<String> = $key;
        sqlx::query(
            "INSERT INTO access_log (seq, at, force_id, user_id, username, action, record_type, record_id,
                                     justification, outcome, detail, prev_hash, hash, spool_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(row.seq).bind(row.at).bind(&row.force_id).bind(&row.user_id).bind(&row.username)
        .bind(&row.action).bind(&row.record_type).bind(&row.record_id).bind(&row.justification)
        .bind(&row.outcome).bind(&row.detail).bind(&row.prev_hash).bind(&row.hash).bind(key)
        .execute(&mut *$conn).await?;
        let mac = $store.checkpoint_mac_pub(row.seq, &row.hash);
        sqlx::query(
            "INSERT INTO audit_checkpoint (id, seq, hash, mac) VALUES (1, $1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, mac = excluded.mac",
        )
        .bind(row.seq).bind(&row.hash).bind(mac)
        .execute(&mut *$conn).await?;
        $crate::AuditEvent::from(row)
    }};
}
pub(crate) use append_row;

/// Rows of the access log written many at a time (an import's batch, a `Batch`).
pub(crate) fn log_rows() -> crate::bulk::Rows {
    crate::bulk::Rows::new(
        "INSERT INTO access_log (seq, at, force_id, user_id, username, action, record_type, record_id,
            justification, outcome, detail, prev_hash, hash)",
        13,
    )
}

/// Chain `draft` after `head` (the last sequence number and hash, moved on to this event) and add its row to
/// `log`.
pub(crate) fn push_chained(
    log: &mut crate::bulk::Rows,
    head: &mut (i64, String),
    draft: AuditDraft,
) {
    let (seq, prev) = std::mem::take(head);
    let mut row = new_row(seq + 1, prev, draft);
    row.hash = event_hash(&row);
    *head = (row.seq, row.hash.clone());
    log.push([
        row.seq.into(),
        row.at.into(),
        row.force_id.into(),
        row.user_id.into(),
        row.username.into(),
        row.action.into(),
        row.record_type.into(),
        row.record_id.into(),
        row.justification.into(),
        row.outcome.into(),
        row.detail.into(),
        row.prev_hash.into(),
        row.hash.into(),
    ]);
}

/// The hash before the first event.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event about to be logged.
#[derive(Clone, Debug)]
pub struct AuditDraft {
    /// The force whose record it is (none for events with no force, e.g. a failed sign-in).
    pub force: Option<ForceId>,
    /// The acting user, when known.
    pub user: Option<UserId>,
    /// The acting user's name (or what was typed at sign-in).
    pub username: String,
    /// The kind of processing.
    pub action: Processing,
    /// `referral`, `person`, `user`, `session`, `access_log`.
    pub record_type: String,
    /// The record's id (or `-` for a collection).
    pub record_id: String,
    /// The justification given, if any.
    pub justification: Option<String>,
    /// Allowed or denied.
    pub outcome: AccessOutcome,
    /// What exactly (e.g. `GET /api/v1/referrals/…`, `risk level High`); never the personal data itself.
    pub detail: String,
}

/// A logged event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AuditEvent {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When.
    pub at: Timestamp,
    /// Force.
    pub force: Option<ForceId>,
    /// User id.
    pub user: Option<UserId>,
    /// User name.
    pub username: String,
    /// Processing kind.
    pub action: String,
    /// Record type.
    pub record_type: String,
    /// Record id.
    pub record_id: String,
    /// Justification given.
    pub justification: Option<String>,
    /// `allowed` or `denied`.
    pub outcome: String,
    /// What exactly.
    pub detail: String,
    /// Previous event's hash.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub(crate) seq: i64,
    pub(crate) at: i64,
    pub(crate) force_id: Option<String>,
    pub(crate) user_id: Option<String>,
    pub(crate) username: String,
    pub(crate) action: String,
    pub(crate) record_type: String,
    pub(crate) record_id: String,
    pub(crate) justification: Option<String>,
    pub(crate) outcome: String,
    pub(crate) detail: String,
    pub(crate) prev_hash: String,
    pub(crate) hash: String,
}

impl From<AuditRow> for AuditEvent {
    fn from(r: AuditRow) -> Self {
        AuditEvent {
            seq: r.seq,
            at: ts(r.at),
            force: r.force_id.and_then(|s| s.parse().ok()),
            user: r.user_id.and_then(|s| s.parse().ok()),
            username: r.username,
            action: r.action,
            record_type: r.record_type,
            record_id: r.record_id,
            justification: r.justification,
            outcome: r.outcome,
            detail: r.detail,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// The hash of an event: SHA-256 over the previous hash and every field, separated unambiguously.
fn event_hash(e: &AuditRow) -> String {
    let mut h = Sha256::new();
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "\u{0}".into());
    let fields = [
        e.prev_hash.clone(),
        e.seq.to_string(),
        e.at.to_string(),
        opt(&e.force_id),
        opt(&e.user_id),
        e.username.clone(),
        e.action.clone(),
        e.record_type.clone(),
        e.record_id.clone(),
        opt(&e.justification),
        e.outcome.clone(),
        e.detail.clone(),
    ];
    for f in fields {
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    hex::encode(h.finalize())
}

impl Store {
    fn checkpoint_mac(&self, seq: i64, hash: &str) -> String {
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&self.audit_key)
            .expect("HMAC takes any key length");
        mac.update(format!("safeguard-audit-checkpoint:{seq}:{hash}").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub(crate) fn head_sql(&self) -> &'static str {
        match self.backend {
            crate::Backend::Sqlite(_) => "SELECT seq, hash FROM audit_checkpoint WHERE id = 1",
            crate::Backend::Postgres(_) => {
                "SELECT seq, hash FROM audit_checkpoint WHERE id = 1 FOR UPDATE"
            }
        }
    }

    /// Log one event on its own, waiting for the chain's lock (operator events such as a backup). Access by
    /// users goes through `log_access`, which never waits for an import.
    pub async fn append_audit(&self, draft: AuditDraft) -> Result<AuditEvent, StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let ev = append_in_tx!(self, &mut *tx, draft);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok(ev)
        })
    }

    /// Events newest first, filtered.
    pub async fn list_audit(&self, q: &AuditQuery) -> Result<Vec<AuditEvent>, StoreError> {
        self.drain_spool(false).await?;
        let rows: Vec<AuditRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT * FROM access_log
             WHERE ($1 IS NULL OR force_id = $1)
               AND ($2 IS NULL OR outcome = $2)
               AND ($3 IS NULL OR username = $3)
               AND ($4 IS NULL OR record_id = $4)
               AND ($5 IS NULL OR at >= $5)
               AND ($6 IS NULL OR at < $6)
               AND ($7 IS NULL OR seq < $7)
             ORDER BY seq DESC LIMIT $8")
            .bind(q.force.map(|f| f.to_string()))
            .bind(q.outcome.map(|o| o.as_str()))
            .bind(q.username.clone())
            .bind(q.record_id.clone())
            .bind(q.from.map(ms))
            .bind(q.to.map(ms))
            .bind(q.before_seq)
            .bind(q.limit.clamp(1, 1000))
            .fetch_all(p).await)?;
        Ok(rows.into_iter().map(AuditEvent::from).collect())
    }

    /// Walk the whole chain and check it against the anchor outside the database and the signed checkpoint,
    /// and list the protections of the log that are missing.
    pub async fn verify_audit(&self) -> Result<VerifyReport, StoreError> {
        self.drain_spool(false).await?;
        let anchored = match self.anchor_path() {
            Some(path) => Some(crate::anchor::read_anchor(path)?),
            None => None,
        };
        let mut report = self
            .verify_chain(anchored.as_ref().and_then(|a| a.as_ref()))
            .await?;
        report.anchor = match anchored {
            None => AnchorState::NotKept,
            Some(None) => AnchorState::Absent,
            Some(Some(a)) if report.is_intact() => AnchorState::Matched { seq: a.seq },
            Some(Some(a)) => AnchorState::Unmatched { seq: a.seq },
        };
        report.missing_protections = self.missing_protections().await?;
        report.waiting = self.audit_waiting().await?;
        if report.anchor == AnchorState::Absent && report.events > 0 {
            report.missing_protections.push(format!(
                "there is no anchor of the log outside the database at {} yet (it is written after the next logged access)",
                self.anchor_path().map(|p| p.display().to_string()).unwrap_or_default()
            ));
        }
        Ok(report)
    }

    /// What keeps the log from being changed without notice that is not in place: the database's refusal
    /// of edits (triggers), and on PostgreSQL a role that cannot edit, delete or unprotect the log.
    async fn missing_protections(&self) -> Result<Vec<String>, StoreError> {
        let mut missing = vec![];
        match &self.backend {
            crate::Backend::Sqlite(p) => {
                let triggers: Vec<(String,)> = sqlx::query_as(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'access_log'",
                )
                .fetch_all(p)
                .await?;
                for t in ["access_log_no_update", "access_log_no_delete"] {
                    if !triggers.iter().any(|(n,)| n == t) {
                        missing.push(format!(
                            "the trigger {t} that refuses edits of the log is gone"
                        ));
                    }
                }
            }
            crate::Backend::Postgres(p) => {
                let triggers: Vec<(String,)> = sqlx::query_as(
                    "SELECT tgname::text FROM pg_trigger
                     WHERE tgrelid = to_regclass('access_log') AND NOT tgisinternal AND tgenabled <> 'D'",
                )
                .fetch_all(p)
                .await?;
                for t in ["access_log_no_update", "access_log_no_truncate"] {
                    if !triggers.iter().any(|(n,)| n == t) {
                        missing.push(format!(
                            "the trigger {t} that refuses edits of the log is gone or disabled"
                        ));
                    }
                }
                let (role, update, delete, truncate, owner, superuser): (String, bool, bool, bool, bool, bool) =
                    sqlx::query_as(
                        "SELECT current_user::text,
                                has_table_privilege('access_log', 'UPDATE'),
                                has_table_privilege('access_log', 'DELETE'),
                                has_table_privilege('access_log', 'TRUNCATE'),
                                pg_has_role((SELECT relowner FROM pg_class WHERE oid = to_regclass('access_log')), 'USAGE'),
                                (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)",
                    )
                    .fetch_one(p)
                    .await?;
                if superuser {
                    missing.push(format!(
                        "the database role '{role}' is a superuser, so it can drop the log's triggers: run Safeguard as a role that is not"
                    ));
                } else if owner {
                    missing.push(format!(
                        "the database role '{role}' owns the access_log table, so it can drop its triggers: let another role own it"
                    ));
                }
                let rights: Vec<&str> = [
                    ("UPDATE", update),
                    ("DELETE", delete),
                    ("TRUNCATE", truncate),
                ]
                .into_iter()
                .filter_map(|(r, has)| has.then_some(r))
                .collect();
                if !rights.is_empty() {
                    missing.push(format!(
                        "the database role '{role}' has {} on access_log (only the triggers stop it): grant it SELECT and INSERT only",
                        rights.join(", ")
                    ));
                }
            }
        }
        Ok(missing)
    }

    async fn verify_chain(
        &self,
        anchored: Option<&crate::Anchored>,
    ) -> Result<VerifyReport, StoreError> {
        let mut expected_prev = GENESIS.to_string();
        let mut expected_seq = 1i64;
        loop {
            let rows: Vec<AuditRow> = on_pool!(self, p => sqlx::query_as(
                "SELECT * FROM access_log WHERE seq >= $1 ORDER BY seq LIMIT 10000")
                .bind(expected_seq).fetch_all(p).await)?;
            let Some(first) = rows.first() else { break };
            if first.seq != expected_seq {
                return Ok(VerifyReport::broken(
                    expected_seq - 1,
                    ChainBreak::Missing { seq: expected_seq },
                ));
            }
            for row in &rows {
                if row.seq != expected_seq {
                    return Ok(VerifyReport::broken(
                        expected_seq - 1,
                        ChainBreak::Missing { seq: expected_seq },
                    ));
                }
                if row.prev_hash != expected_prev {
                    return Ok(VerifyReport::broken(
                        expected_seq - 1,
                        ChainBreak::Relinked { seq: row.seq },
                    ));
                }
                if event_hash(row) != row.hash {
                    return Ok(VerifyReport::broken(
                        expected_seq - 1,
                        ChainBreak::Altered { seq: row.seq },
                    ));
                }
                expected_prev = row.hash.clone();
                expected_seq += 1;
            }
        }
        let last = expected_seq - 1;
        if let Some(a) = anchored {
            if self.checkpoint_mac(a.seq, &a.hash) != a.mac {
                return Ok(VerifyReport::broken(last, ChainBreak::AnchorForged));
            }
            if a.seq > last {
                return Ok(VerifyReport::broken(
                    last,
                    ChainBreak::BehindAnchor {
                        last,
                        anchored: a.seq,
                    },
                ));
            }
            let held: Option<(String,)> = on_pool!(self, p => sqlx::query_as(
                "SELECT hash FROM access_log WHERE seq = $1").bind(a.seq).fetch_optional(p).await)?;
            if a.seq > 0 && held.map(|(h,)| h) != Some(a.hash.clone()) {
                return Ok(VerifyReport::broken(
                    last,
                    ChainBreak::AnchorMismatch { seq: a.seq },
                ));
            }
        }
        let head: Option<(i64, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT seq, hash, mac FROM audit_checkpoint WHERE id = 1").fetch_optional(p).await)?;
        let Some((cp_seq, cp_hash, cp_mac)) = head else {
            return Ok(if last == 0 {
                VerifyReport {
                    events: 0,
                    ..VerifyReport::default()
                }
            } else {
                VerifyReport::broken(last, ChainBreak::CheckpointMissing)
            });
        };
        if self.checkpoint_mac(cp_seq, &cp_hash) != cp_mac {
            return Ok(VerifyReport::broken(last, ChainBreak::CheckpointForged));
        }
        if cp_seq > last {
            return Ok(VerifyReport::broken(
                last,
                ChainBreak::Truncated {
                    last,
                    checkpoint: cp_seq,
                },
            ));
        }
        if cp_seq < last || cp_hash != expected_prev {
            return Ok(VerifyReport::broken(
                last,
                ChainBreak::Unanchored { checkpoint: cp_seq },
            ));
        }
        Ok(VerifyReport {
            events: last,
            ..VerifyReport::default()
        })
    }
}

pub(crate) fn new_row(seq: i64, prev_hash: String, d: AuditDraft) -> AuditRow {
    AuditRow {
        seq,
        prev_hash,
        ..new_row_at(d, Timestamp::now())
    }
}

/// An event's row at the time given, its place in the chain not yet set.
pub(crate) fn new_row_at(d: AuditDraft, at: Timestamp) -> AuditRow {
    AuditRow {
        seq: 0,
        at: ms(at),
        force_id: d.force.map(|f| f.to_string()),
        user_id: d.user.map(|u| u.to_string()),
        username: d.username,
        action: d.action.as_str().to_string(),
        record_type: d.record_type,
        record_id: d.record_id,
        justification: d.justification.filter(|j| !j.trim().is_empty()),
        outcome: d.outcome.as_str().to_string(),
        detail: d.detail,
        prev_hash: String::new(),
        hash: String::new(),
    }
}

pub(crate) fn event_hash_pub(r: &AuditRow) -> String {
    event_hash(r)
}

impl Store {
    pub(crate) fn checkpoint_mac_pub(&self, seq: i64, hash: &str) -> String {
        self.checkpoint_mac(seq, hash)
    }
}

/// Filters for listing the log.
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// Only this force's events.
    pub force: Option<ForceId>,
    /// Only allowed or only denied.
    pub outcome: Option<AccessOutcome>,
    /// Only this user.
    pub username: Option<String>,
    /// Only this record.
    pub record_id: Option<String>,
    /// At or after.
    pub from: Option<Timestamp>,
    /// Before.
    pub to: Option<Timestamp>,
    /// Events before this sequence number (for paging).
    pub before_seq: Option<i64>,
    /// How many (1 to 1000).
    pub limit: i64,
}

/// The first thing wrong with the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainBreak {
    /// An event's contents no longer match its hash: it was edited.
    Altered { seq: i64 },
    /// An event's link to its predecessor is wrong: events were replaced or reordered.
    Relinked { seq: i64 },
    /// An event is missing: it was deleted.
    Missing { seq: i64 },
    /// The log ends before the signed checkpoint: its tail was cut off.
    Truncated { last: i64, checkpoint: i64 },
    /// The log runs past the checkpoint, or ends on a different hash: events were added around the product.
    Unanchored { checkpoint: i64 },
    /// The checkpoint is missing although events exist.
    CheckpointMissing,
    /// The checkpoint's signature is wrong (forged, or the wrong key is configured).
    CheckpointForged,
    /// The log ends before the event the anchor outside the database records: it was cut off or wiped,
    /// checkpoint and all.
    BehindAnchor { last: i64, anchored: i64 },
    /// The log holds the anchored event, but not as it was anchored: the log was replaced.
    AnchorMismatch { seq: i64 },
    /// The anchor's signature is wrong (forged, or a different audit key is configured).
    AnchorForged,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainBreak::Altered { seq } => write!(
                f,
                "event {seq} has been altered: its contents do not match its hash"
            ),
            ChainBreak::Relinked { seq } => {
                write!(f, "event {seq} does not link to the event before it")
            }
            ChainBreak::Missing { seq } => write!(f, "event {seq} is missing: it has been deleted"),
            ChainBreak::Truncated { last, checkpoint } => write!(
                f,
                "the log ends at event {last} but the signed checkpoint records {checkpoint} events: its tail was cut off"
            ),
            ChainBreak::Unanchored { checkpoint } => write!(
                f,
                "the log does not end where the signed checkpoint (event {checkpoint}) says: events were added outside Safeguard"
            ),
            ChainBreak::CheckpointMissing => write!(f, "the signed checkpoint is missing"),
            ChainBreak::BehindAnchor { last, anchored } => write!(
                f,
                "the log ends at event {last} but its anchor outside the database records {anchored} events: it has been cut off or wiped"
            ),
            ChainBreak::AnchorMismatch { seq } => write!(
                f,
                "event {seq} is not the event the anchor outside the database records: the log has been replaced"
            ),
            ChainBreak::AnchorForged => write!(
                f,
                "the anchor's signature is wrong (forged, or a different audit key is configured)"
            ),
            ChainBreak::CheckpointForged => {
                write!(
                    f,
                    "the checkpoint's signature is wrong (forged, or a different audit key is configured)"
                )
            }
        }
    }
}

/// What verification found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    /// Events checked and found intact, up to the first break.
    pub events: i64,
    /// The first break, if any.
    pub first_break: Option<ChainBreak>,
    /// The anchor outside the database.
    pub anchor: AnchorState,
    /// Protections of the log that are not in place (the log may still be intact).
    pub missing_protections: Vec<String>,
    /// Users' access events still waiting in the spool to join the chain (an import holds its head).
    pub waiting: i64,
}

/// The anchor outside the database, as verification found it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AnchorState {
    /// No anchor is kept (the store was opened without one).
    #[default]
    NotKept,
    /// An anchor is kept, but its file does not exist yet.
    Absent,
    /// The log reaches the anchored event, as anchored.
    Matched {
        /// The anchored event.
        seq: i64,
    },
    /// The log is not intact against the anchor or otherwise (see the break).
    Unmatched {
        /// The anchored event.
        seq: i64,
    },
}

impl VerifyReport {
    fn broken(events: i64, b: ChainBreak) -> Self {
        Self {
            events,
            first_break: Some(b),
            ..Self::default()
        }
    }

    /// Whether the whole chain is intact.
    pub fn is_intact(&self) -> bool {
        self.first_break.is_none()
    }
}
