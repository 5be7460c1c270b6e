//! Linking a new referral to a subject inside the import transaction. A strong identifier of the reported
//! person (email, phone, ESP id within its service) shared with an earlier referral joins that referral's
//! subject; weak matches (the same display name, the same IP address and port within a few minutes) become
//! suggestions for a person to confirm or reject. Victims' and recipients' identifiers never link.

use super::{IdentifierRow, ImportTx, on_tx};
use crate::audit::append_in_tx;
use crate::{AuditDraft, StoreError, ms};
use domain::ReferralId;
use domain::audit::{AccessOutcome, Processing};

/// How close in time two IP events with the same address and port must be to suggest a link.
pub const IP_WINDOW_MS: i64 = 5 * 60 * 1000;

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

pub(super) async fn link(
    tx: &mut ImportTx,
    referral: ReferralId,
    idents: &[IdentifierRow],
    report: &intake::Report,
) -> Result<LinkOutcome, StoreError> {
    let (force, rid) = (tx.force.to_string(), referral.to_string());
    let mut strong: Vec<(String, String)> = vec![]; // (subject, basis)
    for i in idents.iter().filter(|i| i.role == "reported" && i.strong) {
        let found: Vec<String> = on_tx!(tx.conn, c => sqlx::query_scalar(
            "SELECT DISTINCT r.subject_id FROM identifiers i JOIN referrals r ON r.id = i.referral_id
             JOIN subjects s ON s.id = r.subject_id
             WHERE i.force_id = $1 AND i.role = 'reported' AND i.kind = $2 AND i.norm = $3 AND i.referral_id <> $4
             ORDER BY r.subject_id")
            .bind(&force).bind(i.kind).bind(&i.norm).bind(&rid).fetch_all(c).await)?;
        strong.extend(
            found
                .into_iter()
                .map(|s| (s, format!("{} {}", i.kind.replace('_', " "), i.raw))),
        );
    }
    let joined = strong.first().map(|(s, _)| s.clone());
    let subject = match &joined {
        Some(s) => s.clone(),
        None => {
            let s = uuid::Uuid::now_v7().to_string();
            on_tx!(tx.conn, c => sqlx::query("INSERT INTO subjects (id, force_id, created_at) VALUES ($1, $2, $3)")
                .bind(&s).bind(&force).bind(ms(jiff::Timestamp::now())).execute(c).await.map(|_| ()))?;
            s
        }
    };
    on_tx!(tx.conn, c => sqlx::query("UPDATE referrals SET subject_id = $1 WHERE id = $2")
        .bind(&subject).bind(&rid).execute(c).await.map(|_| ()))?;
    let basis: Vec<String> = strong
        .iter()
        .filter(|(s, _)| *s == subject)
        .map(|(_, b)| b.clone())
        .collect();
    if joined.is_some() {
        insert_link(tx, &rid, &subject, "strong", "linked", &basis.join("; ")).await?;
        log_combination(
            tx,
            &rid,
            format!("linked to subject {subject} on a strong identifier"),
        )
        .await?;
    }
    let mut suggestions: Vec<(String, String)> = strong
        .iter()
        .filter(|(s, _)| *s != subject)
        .cloned()
        .collect();
    suggestions.extend(
        weak_matches(tx, &rid, idents, report)
            .await?
            .into_iter()
            .filter(|(s, _)| *s != subject),
    );
    suggestions.sort();
    suggestions.dedup_by(|a, b| a.0 == b.0);
    for (s, b) in &suggestions {
        insert_link(tx, &rid, s, "weak", "suggested", b).await?;
    }
    Ok(LinkOutcome {
        subject_id: subject,
        joined_existing: joined.is_some(),
        basis,
        suggestions,
    })
}

async fn weak_matches(
    tx: &mut ImportTx,
    rid: &str,
    idents: &[IdentifierRow],
    report: &intake::Report,
) -> Result<Vec<(String, String)>, StoreError> {
    let force = tx.force.to_string();
    let mut out = vec![];
    for i in idents.iter().filter(|i| i.role == "reported" && !i.strong) {
        let found: Vec<String> = on_tx!(tx.conn, c => sqlx::query_scalar(
            "SELECT DISTINCT r.subject_id FROM identifiers i JOIN referrals r ON r.id = i.referral_id
             WHERE i.force_id = $1 AND i.role = 'reported' AND i.kind = $2 AND i.norm = $3
               AND i.referral_id <> $4 AND r.subject_id IS NOT NULL")
            .bind(&force).bind(i.kind).bind(&i.norm).bind(rid).fetch_all(c).await)?;
        out.extend(
            found
                .into_iter()
                .map(|s| (s, format!("same {} '{}'", i.kind.replace('_', " "), i.raw))),
        );
    }
    for e in report.reported.iter().flat_map(|p| &p.ip_events) {
        let (Some(port), Some(t)) = (e.port, e.time.as_ref()) else {
            continue;
        };
        let at = ms(t.at);
        let found: Vec<String> = on_tx!(tx.conn, c => sqlx::query_scalar(
            "SELECT DISTINCT r.subject_id FROM ip_events e JOIN referrals r ON r.id = e.referral_id
             WHERE e.force_id = $1 AND e.address = $2 AND e.port = $3 AND e.at BETWEEN $4 AND $5
               AND e.referral_id <> $6 AND r.subject_id IS NOT NULL")
            .bind(&force).bind(super::report::canonical_ip(e.ip)).bind(i64::from(port))
            .bind(at - IP_WINDOW_MS).bind(at + IP_WINDOW_MS).bind(rid).fetch_all(c).await)?;
        out.extend(
            found
                .into_iter()
                .map(|s| (s, format!("same IP {}:{port} within 5 minutes", e.address))),
        );
    }
    Ok(out)
}

async fn insert_link(
    tx: &mut ImportTx,
    rid: &str,
    subject: &str,
    strength: &str,
    status: &str,
    basis: &str,
) -> Result<(), StoreError> {
    let force = tx.force.to_string();
    on_tx!(tx.conn, c => sqlx::query(
        "INSERT INTO subject_links (id, force_id, referral_id, subject_id, strength, status, basis) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(uuid::Uuid::now_v7().to_string()).bind(&force).bind(rid).bind(subject).bind(strength).bind(status).bind(basis)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

async fn log_combination(tx: &mut ImportTx, rid: &str, detail: String) -> Result<(), StoreError> {
    let draft = AuditDraft {
        force: Some(tx.force),
        user: tx.actor.user,
        username: tx.actor.username.clone(),
        action: Processing::Combination,
        record_type: "referral".into(),
        record_id: rid.to_string(),
        justification: tx.actor.justification.clone(),
        outcome: AccessOutcome::Allowed,
        detail,
    };
    let store = tx.store.clone();
    on_tx!(tx.conn, c => { let _e = append_in_tx!(store, &mut *c, draft); Ok::<_, StoreError>(()) })
}
