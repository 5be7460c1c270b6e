//! The floor: the rows an import of the same package stores in referrals, report_originals, identifiers,
//! ip_events and files, written with plain INSERTs in one transaction on a fresh SQLite file (the same
//! schema, indexes and connection settings as the store), with no parsing, no linking and no audit chain.
//! With `link` it also runs the import's linking queries and writes (the subject, the referral's
//! subject_id), so that link = floor+link − floor. With `cache_mib` it sets the connection's page cache, to
//! show what a large transaction loses when its dirty pages spill to the WAL.

use super::synth::Synth;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, Executor};

/// Rows written per table, in the order referrals, report_originals, identifiers, ip_events, files.
pub type Counts = [u64; 5];

pub async fn run(
    path: &std::path::Path,
    force: &str,
    n: u64,
    link: bool,
    cache_mib: Option<i64>,
) -> super::Res<Counts> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .connect()
        .await?;
    if let Some(mib) = cache_mib {
        let pragma = format!("PRAGMA cache_size = -{}", mib * 1024);
        conn.execute(sqlx::AssertSqlSafe(pragma)).await?;
    }
    let mut tx = conn.begin().await?;
    let mut counts = [0u64; 5];
    let now = jiff::Timestamp::now().as_millisecond();
    let id = || uuid::Uuid::now_v7().to_string();
    for i in 0..n {
        let s = Synth::new(i);
        let rid = id();
        let original = s.original();
        let person = serde_json::json!({"first_name": s.first, "last_name": s.last, "emails": [s.email],
            "screen_names": [s.screen_name], "esp_service": s.service});
        sqlx::query(
            "INSERT INTO referrals (id, force_id, source, package_ref, report_id, received_at, incident_type, incident_at,
                escalated, escalation_reason, summary, reported_person, report_json, status, due_at, clock, clock_version,
                version, created_at, updated_at)
             VALUES ($1, $2, 'NCA', 'NCA-BENCH-1', $3, $4, $5, $6, $7, $8, '', $9, $10, 'new', $11, 'triage', 'v1', 1, $12, $12)")
            .bind(&rid).bind(force).bind(&s.report_id).bind(now).bind(s.incident_type).bind(s.incident_ms)
            .bind(s.escalate.is_some()).bind(s.escalate).bind(person.to_string()).bind(&original)
            .bind(now + 86_400_000).bind(now)
            .execute(&mut *tx).await?;
        sqlx::query("INSERT INTO report_originals (referral_id, format, sha256, content) VALUES ($1, $2, $3, $4)")
            .bind(&rid).bind(if s.xml { "xml" } else { "json" })
            .bind("0000000000000000000000000000000000000000000000000000000000000000").bind(&original)
            .execute(&mut *tx).await?;
        counts[0] += 1;
        counts[1] += 1;
        for (kind, raw) in s.identifiers() {
            sqlx::query("INSERT INTO identifiers (id, force_id, referral_id, role, kind, raw, norm) VALUES ($1, $2, $3, 'reported', $4, $5, $6)")
                .bind(id()).bind(force).bind(&rid).bind(kind).bind(&raw).bind(raw.to_lowercase())
                .execute(&mut *tx).await?;
            counts[2] += 1;
        }
        for (seq, e) in s.events.iter().enumerate() {
            sqlx::query(
                "INSERT INTO ip_events (id, force_id, referral_id, seq, address, address_raw, port, event, at, offset_seconds, raw, possible_proxy)
                 VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, 0)")
                .bind(id()).bind(force).bind(&rid).bind(seq as i64).bind(&e.address).bind(i64::from(e.port))
                .bind(e.event).bind(e.at_ms).bind(i64::from(e.offset_seconds)).bind(&e.raw)
                .execute(&mut *tx).await?;
            counts[3] += 1;
        }
        for (seq, f) in s.files.iter().enumerate() {
            sqlx::query(
                "INSERT INTO files (id, force_id, referral_id, seq, file_id, file_name, viewed_by_esp, annotations,
                    industry_classification, md5, sha1)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, '[]', $8, $9, $10)")
                .bind(id()).bind(force).bind(&rid).bind(seq as i64).bind(&f.file_id).bind(&f.file_name)
                .bind(f.viewed).bind(f.class).bind(&f.md5).bind(&f.sha1)
                .execute(&mut *tx).await?;
            counts[4] += 1;
        }
        if link {
            link_queries(&mut tx, force, &rid, &s).await?;
        }
    }
    tx.commit().await?;
    Ok(counts)
}

/// The lookups `store::import::links` makes for one referral, then a new subject (the common case).
async fn link_queries(
    tx: &mut sqlx::SqliteConnection,
    force: &str,
    rid: &str,
    s: &Synth,
) -> super::Res<()> {
    for (kind, raw) in s.identifiers() {
        let strong = matches!(kind, "email" | "phone" | "esp_user_id");
        let sql = if strong {
            "SELECT DISTINCT r.subject_id FROM identifiers i JOIN referrals r ON r.id = i.referral_id
             JOIN subjects s ON s.id = r.subject_id
             WHERE i.force_id = $1 AND i.role = 'reported' AND i.kind = $2 AND i.norm = $3 AND i.referral_id <> $4
             ORDER BY r.subject_id"
        } else {
            "SELECT DISTINCT r.subject_id FROM identifiers i JOIN referrals r ON r.id = i.referral_id
             WHERE i.force_id = $1 AND i.role = 'reported' AND i.kind = $2 AND i.norm = $3
               AND i.referral_id <> $4 AND r.subject_id IS NOT NULL"
        };
        let _: Vec<Option<String>> = sqlx::query_scalar(sql)
            .bind(force)
            .bind(kind)
            .bind(raw.to_lowercase())
            .bind(rid)
            .fetch_all(&mut *tx)
            .await?;
    }
    for e in &s.events {
        let _: Vec<Option<String>> = sqlx::query_scalar(
            "SELECT DISTINCT r.subject_id FROM ip_events e JOIN referrals r ON r.id = e.referral_id
             WHERE e.force_id = $1 AND e.address = $2 AND e.port = $3 AND e.at BETWEEN $4 AND $5
               AND e.referral_id <> $6 AND r.subject_id IS NOT NULL",
        )
        .bind(force)
        .bind(&e.address)
        .bind(i64::from(e.port))
        .bind(e.at_ms - 300_000)
        .bind(e.at_ms + 300_000)
        .bind(rid)
        .fetch_all(&mut *tx)
        .await?;
    }
    let subject = uuid::Uuid::now_v7().to_string();
    tx.execute(
        sqlx::query("INSERT INTO subjects (id, force_id, created_at) VALUES ($1, $2, 0)")
            .bind(&subject)
            .bind(force),
    )
    .await?;
    tx.execute(
        sqlx::query("UPDATE referrals SET subject_id = $1 WHERE id = $2")
            .bind(&subject)
            .bind(rid),
    )
    .await?;
    Ok(())
}
