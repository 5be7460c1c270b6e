//! Writing one report's rows inside the import transaction.

use super::{IdentifierRow, ImportTx, on_tx};
use crate::audit::append_in_tx;
use crate::{AuditDraft, NewReferral, StoreError, ms};
use domain::audit::{AccessOutcome, Processing};

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The people of a report, each in its own category, as JSON (names, age, date of birth, addresses …).
fn people(report: &intake::Report) -> Vec<(&'static str, String)> {
    let json = |p: &intake::model::Party| serde_json::to_string(p).expect("a party serialises");
    let mut out = vec![];
    out.extend(report.reported.iter().map(|p| ("reported", json(p))));
    out.extend(report.victims.iter().map(|p| ("victim", json(p))));
    out.extend(
        report
            .intended_recipients
            .iter()
            .map(|p| ("recipient", json(p))),
    );
    out
}

pub(super) async fn insert(
    tx: &mut ImportTx,
    new: &NewReferral,
    report: &intake::Report,
    identifiers: &[IdentifierRow],
    package: Option<String>,
) -> Result<(), StoreError> {
    let r = &new.referral;
    let (rid, force) = (r.id.to_string(), tx.force.to_string());
    let draft = AuditDraft {
        force: Some(tx.force),
        user: tx.actor.user,
        username: tx.actor.username.clone(),
        action: Processing::Collection,
        record_type: "referral".into(),
        record_id: rid.clone(),
        justification: tx.actor.justification.clone(),
        outcome: AccessOutcome::Allowed,
        detail: format!(
            "referral received from {} (report {})",
            r.source, r.report_id
        ),
    };
    let annotations = serde_json::to_string(&report.annotations).expect("strings serialise");
    let warnings = serde_json::to_string(
        &report
            .warnings
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>(),
    )
    .expect("strings serialise");
    let store = tx.store.clone();
    on_tx!(tx.conn, c => {
        crate::referrals::row::insert!(c, new);
        sqlx::query("UPDATE referrals SET package_id = $1, annotations = $2, warnings = $3 WHERE id = $4")
            .bind(&package).bind(&annotations).bind(&warnings).bind(&rid).execute(&mut *c).await?;
        let _e = append_in_tx!(store, &mut *c, draft);
        sqlx::query("INSERT INTO report_originals (referral_id, format, sha256, content) VALUES ($1, $2, $3, $4)")
            .bind(&rid)
            .bind(match report.original.format { intake::model::OriginalFormat::Xml => "xml", intake::model::OriginalFormat::Json => "json" })
            .bind(&report.original.sha256).bind(&report.original.text)
            .execute(&mut *c).await?;
        for (role, details) in people(report) {
            sqlx::query("INSERT INTO people (id, referral_id, role, details) VALUES ($1, $2, $3, $4)")
                .bind(id()).bind(&rid).bind(role).bind(details).execute(&mut *c).await?;
        }
        for i in identifiers {
            sqlx::query("INSERT INTO identifiers (id, force_id, referral_id, role, kind, raw, norm) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(id()).bind(&force).bind(&rid).bind(i.role).bind(i.kind).bind(&i.raw).bind(&i.norm)
                .execute(&mut *c).await?;
        }
        let events = report.reported.iter().flat_map(|p| &p.ip_events).chain(report.files.iter().flat_map(|f| &f.ip_events));
        for (seq, e) in events.enumerate() {
            sqlx::query(
                "INSERT INTO ip_events (id, force_id, referral_id, seq, address, address_raw, port, event, at, offset_seconds, raw, possible_proxy)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
                .bind(id()).bind(&force).bind(&rid).bind(seq as i64)
                .bind(canonical_ip(e.ip)).bind(&e.address).bind(e.port.map(i64::from))
                .bind(e.event.map(|n| n.as_str()))
                .bind(e.time.as_ref().map(|t| ms(t.at))).bind(e.time.as_ref().map(|t| i64::from(t.offset_seconds)))
                .bind(e.time.as_ref().map(|t| t.raw.clone())).bind(e.possible_proxy)
                .execute(&mut *c).await?;
        }
        for (seq, f) in report.files.iter().enumerate() {
            sqlx::query(
                "INSERT INTO files (id, force_id, referral_id, seq, file_id, file_name, original_file_name, location, uploaded_at,
                    viewed_by_esp, exif_viewed_by_esp, publicly_available, relevance, annotations, industry_classification, md5, sha1)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)")
                .bind(id()).bind(&force).bind(&rid).bind(seq as i64)
                .bind(&f.file_id).bind(&f.file_name).bind(&f.original_file_name).bind(&f.location_of_file)
                .bind(f.uploaded_at.as_ref().map(|t| ms(t.at)))
                .bind(f.viewed_by_esp).bind(f.exif_viewed_by_esp).bind(f.publicly_available).bind(&f.relevance)
                .bind(serde_json::to_string(&f.annotations).expect("strings serialise"))
                .bind(f.industry_classification.map(|c| c.as_str()))
                .bind(&f.md5).bind(&f.sha1)
                .execute(&mut *c).await?;
        }
        Ok::<_, StoreError>(())
    })
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
