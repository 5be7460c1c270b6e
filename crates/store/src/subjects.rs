//! Subjects: the person behind one or more referrals. Reads a subject with its referrals and the reported
//! person's identifiers that tie them together, the links (applied, suggested and decided) that put
//! referrals in subjects, a person's decision on a suggested link, and how widely a referral's files are
//! spread across subjects (viral content). The store decides nothing about who may see what: each row
//! carries the referral's BCU so that the caller can apply need-to-know.

use crate::BeginWrite;
use crate::rows::{parse_id, parse_opt};
use crate::steps::step_in_tx;
use crate::{Actor, Store, StoreError, ms, on_pool, ts};
use domain::audit::Processing;
use domain::{BcuId, ForceId, RecordScope, ReferralId, Status};
use jiff::Timestamp;
use serde::Serialize;

/// A subject with its referrals and linking identifiers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// Its id.
    pub id: String,
    /// Owning force.
    pub force: ForceId,
    /// When it was first created.
    pub created_at: Timestamp,
    /// Its referrals, oldest received first.
    pub referrals: Vec<SubjectReferral>,
    /// The reported person's identifiers in those referrals, one entry per kind and normalised value.
    pub identifiers: Vec<SharedIdentifier>,
}

/// One referral of a subject, as listed on the subject page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubjectReferral {
    /// The referral.
    pub id: ReferralId,
    /// The sender's report id.
    pub report_id: String,
    /// The sender.
    pub source: String,
    /// Force receipt.
    pub received_at: Timestamp,
    /// Where it is in its flow.
    pub status: Status,
    /// Its BCU, if routed (for need-to-know).
    #[serde(skip)]
    pub bcu: Option<BcuId>,
    /// Its BCU's code, if routed.
    pub bcu_code: Option<String>,
    /// Incident type.
    pub incident_type: String,
}

/// An identifier of the reported person and the subject's referrals that carry it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SharedIdentifier {
    /// `email`, `phone`, `esp_user_id`, `screen_name`, `display_name`.
    pub kind: String,
    /// Normalised value (the matching key).
    pub norm: String,
    /// As first received.
    pub raw: String,
    /// The referrals carrying it.
    pub referrals: Vec<ReferralId>,
}

/// Why a referral is, or might be, in a subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkRow {
    /// Its id.
    pub id: String,
    /// The referral.
    pub referral_id: ReferralId,
    /// The referral's report id and source, to name it.
    pub referral_report_id: String,
    /// The referral's source.
    pub referral_source: String,
    /// The referral's BCU (for need-to-know).
    #[serde(skip)]
    pub referral_bcu: Option<BcuId>,
    /// The subject.
    pub subject_id: String,
    /// `strong` or `weak`.
    pub strength: String,
    /// `linked`, `suggested`, `confirmed` or `rejected`.
    pub status: String,
    /// What matched.
    pub basis: String,
    /// Who decided (display name).
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<Timestamp>,
    /// The decision's reason.
    pub reason: Option<String>,
}

impl LinkRow {
    /// Whether it waits for a person's decision.
    pub fn is_pending(&self) -> bool {
        self.status == "suggested"
    }
}

/// How widely one of a referral's file hashes is spread across the force's subjects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HashSpread {
    /// `md5` or `sha1`.
    pub kind: &'static str,
    /// Lower-case hex.
    pub hash: String,
    /// Distinct subjects among the force's referrals carrying it (a referral not yet in a subject counts
    /// as one of its own).
    pub distinct_subjects: usize,
    /// Whether `domain::identifiers::is_likely_viral` flags it.
    pub likely_viral: bool,
}

type ReferralTuple = (
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
);
type LinkTuple = (
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
);

const SELECT_LINKS: &str = "SELECT l.id, l.referral_id, r.report_id, r.source, r.bcu_id, l.subject_id, l.strength,
        l.status, l.basis, u.display_name, l.decided_at, l.reason
     FROM subject_links l JOIN referrals r ON r.id = l.referral_id LEFT JOIN users u ON u.id = l.decided_by";

fn link_row(t: LinkTuple) -> Result<LinkRow, StoreError> {
    let (id, rid, report_id, source, bcu, subject_id, strength, status, basis, by, at, reason) = t;
    Ok(LinkRow {
        id,
        referral_id: parse_id(&rid)?,
        referral_report_id: report_id,
        referral_source: source,
        referral_bcu: parse_opt(bcu.as_deref(), "BCU id")?,
        subject_id,
        strength,
        status,
        basis,
        decided_by: by,
        decided_at: at.map(ts),
        reason,
    })
}

impl SubjectReferral {
    /// Where the referral sits, for permission decisions.
    pub fn scope(&self, force: ForceId) -> RecordScope {
        RecordScope {
            force,
            bcu: self.bcu,
        }
    }
}

impl Subject {
    /// The same subject showing only the referrals `keep` allows, and only the identifiers (and sharing
    /// referrals) of those: what a user with need-to-know for some of its referrals may see.
    pub fn restricted_to(mut self, keep: impl Fn(&SubjectReferral) -> bool) -> Subject {
        self.referrals.retain(|r| keep(r));
        let shown: Vec<ReferralId> = self.referrals.iter().map(|r| r.id).collect();
        for i in &mut self.identifiers {
            i.referrals.retain(|r| shown.contains(r));
        }
        self.identifiers.retain(|i| !i.referrals.is_empty());
        self
    }
}

impl Store {
    /// A subject of the force with all its referrals and the reported person's identifiers among them;
    /// `None` if there is no such subject in this force. No access check: the caller decides and logs.
    pub async fn subject(&self, force: ForceId, id: &str) -> Result<Option<Subject>, StoreError> {
        let head: Option<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT created_at FROM subjects WHERE id = $1 AND force_id = $2")
            .bind(id).bind(force.to_string()).fetch_optional(p).await)?;
        let Some(created_at) = head else {
            return Ok(None);
        };
        let rows: Vec<ReferralTuple> = on_pool!(self, p => sqlx::query_as(
            "SELECT r.id, r.report_id, r.source, r.received_at, r.status, r.bcu_id, b.code, r.incident_type
             FROM referrals r LEFT JOIN bcus b ON b.id = r.bcu_id
             WHERE r.force_id = $1 AND r.subject_id = $2 ORDER BY r.received_at, r.id")
            .bind(force.to_string()).bind(id).fetch_all(p).await)?;
        let referrals = rows
            .into_iter()
            .map(
                |(rid, report_id, source, at, status, bcu, code, incident)| {
                    Ok(SubjectReferral {
                        id: parse_id(&rid)?,
                        report_id,
                        source,
                        received_at: ts(at),
                        status: status
                            .parse()
                            .map_err(|_| StoreError::Corrupt(format!("bad status '{status}'")))?,
                        bcu: parse_opt(bcu.as_deref(), "BCU id")?,
                        bcu_code: code,
                        incident_type: incident,
                    })
                },
            )
            .collect::<Result<Vec<_>, StoreError>>()?;
        let idents: Vec<(String, String, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT i.kind, i.norm, i.raw, i.referral_id FROM identifiers i JOIN referrals r ON r.id = i.referral_id
             WHERE r.force_id = $1 AND r.subject_id = $2 AND i.role = 'reported'
             ORDER BY i.kind, i.norm, r.received_at, i.referral_id")
            .bind(force.to_string()).bind(id).fetch_all(p).await)?;
        let mut identifiers: Vec<SharedIdentifier> = vec![];
        for (kind, norm, raw, rid) in idents {
            let rid: ReferralId = parse_id(&rid)?;
            match identifiers.last_mut() {
                Some(last) if last.kind == kind && last.norm == norm => {
                    if !last.referrals.contains(&rid) {
                        last.referrals.push(rid);
                    }
                }
                _ => identifiers.push(SharedIdentifier {
                    kind,
                    norm,
                    raw,
                    referrals: vec![rid],
                }),
            }
        }
        Ok(Some(Subject {
            id: id.to_string(),
            force,
            created_at: ts(created_at),
            referrals,
            identifiers,
        }))
    }

    /// One link of the force.
    pub async fn link(&self, force: ForceId, id: &str) -> Result<Option<LinkRow>, StoreError> {
        let sql = format!("{SELECT_LINKS} WHERE l.id = $1 AND l.force_id = $2");
        let row: Option<LinkTuple> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id).bind(force.to_string()).fetch_optional(p).await)?;
        row.map(link_row).transpose()
    }

    /// Every link of a referral (to its own subject and suggested to others), oldest first.
    pub async fn suggestions_for_referral(
        &self,
        referral: ReferralId,
    ) -> Result<Vec<LinkRow>, StoreError> {
        let sql = format!("{SELECT_LINKS} WHERE l.referral_id = $1 ORDER BY l.id");
        let rows: Vec<LinkTuple> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(referral.to_string()).fetch_all(p).await)?;
        rows.into_iter().map(link_row).collect()
    }

    /// Every link that concerns a subject: those pointing at it, and those of its referrals pointing
    /// elsewhere, oldest first.
    pub async fn links_for_subject(&self, subject: &str) -> Result<Vec<LinkRow>, StoreError> {
        let sql = format!(
            "{SELECT_LINKS} WHERE l.subject_id = $1
               OR l.referral_id IN (SELECT id FROM referrals WHERE subject_id = $1) ORDER BY l.id"
        );
        let rows: Vec<LinkTuple> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(subject).fetch_all(p).await)?;
        rows.into_iter().map(link_row).collect()
    }

    /// Confirm or reject a suggested link, with the reason. Confirming moves the referral to the link's
    /// subject (its former subject stays, possibly empty). The decision, the referral's timeline step and a
    /// `combination` access-log event are written together; a link already decided (or not a suggestion)
    /// is a `Conflict`, an unknown one `NotFound`.
    pub async fn decide_link(
        &self,
        force: ForceId,
        link_id: &str,
        confirm: bool,
        reason: &str,
        actor: &Actor,
    ) -> Result<LinkRow, StoreError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Config("a link decision needs a reason".into()));
        }
        let status = if confirm { "confirmed" } else { "rejected" };
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let found: Option<(String, String, String)> = sqlx::query_as(
                "SELECT referral_id, subject_id, basis FROM subject_links WHERE id = $1 AND force_id = $2")
                .bind(link_id).bind(force.to_string()).fetch_optional(&mut *tx).await?;
            let (rid, subject, basis) = found.ok_or(StoreError::NotFound)?;
            let done = sqlx::query(
                "UPDATE subject_links SET status = $1, decided_by = $2, decided_at = $3, reason = $4
                 WHERE id = $5 AND status = 'suggested'")
                .bind(status).bind(actor.user.map(|u| u.to_string())).bind(ms(Timestamp::now()))
                .bind(reason).bind(link_id)
                .execute(&mut *tx).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::Conflict);
            }
            if confirm {
                sqlx::query("UPDATE referrals SET subject_id = $1, updated_at = $2 WHERE id = $3")
                    .bind(&subject).bind(ms(Timestamp::now())).bind(&rid)
                    .execute(&mut *tx).await?;
            }
            let referral: ReferralId = parse_id(&rid)?;
            let summary = format!("Suggested link to subject {subject} ({basis}) {status}: {reason}");
            let (kind, detail) = if confirm {
                ("link_confirmed", format!("suggested link {link_id} confirmed: referral moved to subject {subject}"))
            } else {
                ("link_rejected", format!("suggested link {link_id} to subject {subject} rejected"))
            };
            let _e = step_in_tx!(self, &mut *tx, force, referral, actor, kind, summary,
                Processing::Combination, detail);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })?;
        self.link(force, link_id).await?.ok_or(StoreError::NotFound)
    }

    /// For each MD5 and SHA-1 of the referral's files, how many distinct subjects of the force carry the
    /// same hash, flagged as likely viral at `threshold` (see `domain::identifiers::is_likely_viral`).
    pub async fn viral_hashes(
        &self,
        referral: ReferralId,
        threshold: usize,
    ) -> Result<Vec<HashSpread>, StoreError> {
        let mut out = vec![];
        for kind in ["md5", "sha1"] {
            // `kind` is one of two fixed column names, never input.
            let sql = format!(
                "SELECT f.{kind}, COUNT(DISTINCT COALESCE(r.subject_id, r.id))
                 FROM files f JOIN referrals r ON r.id = f.referral_id
                 WHERE f.force_id = (SELECT force_id FROM referrals WHERE id = $1)
                   AND f.{kind} IN (SELECT {kind} FROM files WHERE referral_id = $1 AND {kind} IS NOT NULL)
                 GROUP BY f.{kind} ORDER BY f.{kind}"
            );
            let rows: Vec<(String, i64)> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(referral.to_string()).fetch_all(p).await)?;
            out.extend(rows.into_iter().map(|(hash, n)| {
                let n = usize::try_from(n).unwrap_or(0);
                HashSpread {
                    kind,
                    hash,
                    distinct_subjects: n,
                    likely_viral: domain::identifiers::is_likely_viral(n, threshold),
                }
            }));
        }
        Ok(out)
    }
}
