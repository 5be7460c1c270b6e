//! The floor: the rows an import of the same package stores (the package itself in 1 MiB chunks, subjects,
//! referrals, their timeline, originals, people, identifiers, IP events, files and access-log events),
//! written in one transaction on a fresh
//! SQLite file with the store's schema and connection settings, by multi-row INSERTs of a batch of reports
//! at a time (as the import writes them), with the import's page cache, but with no parsing, no duplicate
//! check, no linking and no hash chain (the log rows carry fixed hashes). With `link` it also runs the
//! import's lookups of earlier subjects for each batch, so that link = floor+link − floor. With
//! `cache_mib` it sets another page cache, to show what the import's cache is worth.

use super::synth::Synth;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, Executor, QueryBuilder, Sqlite};

/// Rows written per table, in the order referrals, report_originals, identifiers, ip_events, files.
pub type Counts = [u64; 5];

/// One report's rows, generated once so that the timed part only writes them.
struct Prepared {
    rid: String,
    s: Synth,
    original: String,
    person: String,
}

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

async fn insert<T>(
    tx: &mut sqlx::SqliteConnection,
    head: &str,
    rows: impl IntoIterator<Item = T>,
    mut push: impl FnMut(sqlx::query_builder::Separated<'_, Sqlite, &'static str>, T),
) -> super::Res<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(head);
        qb.push_values(rows.by_ref().take(256), &mut push);
        qb.build().execute(&mut *tx).await?;
    }
    Ok(())
}

pub async fn run(
    path: &std::path::Path,
    package: &std::path::Path,
    force: &str,
    n: u64,
    link: bool,
    cache_mib: i64,
) -> super::Res<Counts> {
    let mut conn = SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .connect()
        .await?;
    let pragma = format!("PRAGMA cache_size = -{}", cache_mib * 1024);
    conn.execute(sqlx::AssertSqlSafe(pragma)).await?;
    let mut tx = conn.begin().await?;
    let mut counts = [0u64; 5];
    let now = jiff::Timestamp::now().as_millisecond();
    let package_id = id();
    sqlx::query(
        "INSERT INTO packages (id, force_id, source, package_ref, received_at, content_type, sha256, size, imported_at)
         VALUES ($1, $2, 'NCA', 'NCA-BENCH-1', $3, 'application/json', '', 0, $3)",
    )
    .bind(&package_id)
    .bind(force)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let mut file = std::fs::File::open(package)?;
    for seq in 0i64.. {
        use std::io::Read;
        let mut chunk = Vec::with_capacity(1 << 20);
        (&mut file).take(1 << 20).read_to_end(&mut chunk)?;
        if chunk.is_empty() {
            break;
        }
        sqlx::query("INSERT INTO package_chunks (package_id, seq, bytes) VALUES ($1, $2, $3)")
            .bind(&package_id)
            .bind(seq)
            .bind(chunk)
            .execute(&mut *tx)
            .await?;
    }
    let mut seq = 0i64;
    let mut i = 0;
    while i < n {
        let batch: Vec<Prepared> = (i..(i + 256).min(n))
            .map(|k| {
                let s = Synth::new(k);
                let person = serde_json::json!({"first_name": s.first, "last_name": s.last, "emails": [s.email],
                    "screen_names": [s.screen_name], "esp_service": s.service})
                .to_string();
                Prepared {
                    rid: id(),
                    original: s.original(),
                    person,
                    s,
                }
            })
            .collect();
        i += batch.len() as u64;
        if link {
            link_queries(&mut tx, force, &batch).await?;
        }
        let subjects: Vec<String> = batch.iter().map(|_| id()).collect();
        insert(
            &mut tx,
            "INSERT INTO subjects (id, force_id, created_at) ",
            &subjects,
            |mut b, s| {
                b.push_bind(s.clone())
                    .push_bind(force.to_string())
                    .push_bind(now);
            },
        )
        .await?;
        insert(
            &mut tx,
            "INSERT INTO referrals (id, force_id, source, package_ref, report_id, received_at, incident_type, incident_at,
                escalated, escalation_reason, summary, reported_person, report_json, status, due_at, clock, clock_version,
                version, created_at, updated_at, subject_id, package_id) ",
            batch.iter().zip(&subjects),
            |mut b, (p, subject)| {
                b.push_bind(p.rid.clone()).push_bind(force.to_string()).push_bind("NCA")
                    .push_bind("NCA-BENCH-1").push_bind(p.s.report_id.clone()).push_bind(now)
                    .push_bind(p.s.incident_type).push_bind(p.s.incident_ms).push_bind(p.s.escalate.is_some())
                    .push_bind(p.s.escalate).push_bind("").push_bind(p.person.clone()).push_bind("")
                    .push_bind("new").push_bind(now + 86_400_000).push_bind("triage").push_bind("v1")
                    .push_bind(1i64).push_bind(now).push_bind(now).push_bind(subject.clone())
                    .push_bind(package_id.clone());
            },
        )
        .await?;
        insert(
            &mut tx,
            "INSERT INTO referral_events (id, referral_id, at, actor, kind, summary) ",
            &batch,
            |mut b, p| {
                b.push_bind(id())
                    .push_bind(p.rid.clone())
                    .push_bind(now)
                    .push_bind("NCA")
                    .push_bind("received")
                    .push_bind(format!("Received from NCA (report {})", p.s.report_id));
            },
        )
        .await?;
        insert(
            &mut tx,
            "INSERT INTO report_originals (referral_id, format, sha256, content) ",
            &batch,
            |mut b, p| {
                b.push_bind(p.rid.clone())
                    .push_bind(if p.s.xml { "xml" } else { "json" })
                    .push_bind("0000000000000000000000000000000000000000000000000000000000000000")
                    .push_bind(p.original.clone());
            },
        )
        .await?;
        insert(
            &mut tx,
            "INSERT INTO people (id, referral_id, role, details) ",
            &batch,
            |mut b, p| {
                b.push_bind(id())
                    .push_bind(p.rid.clone())
                    .push_bind("reported")
                    .push_bind(p.person.clone());
            },
        )
        .await?;
        counts[0] += batch.len() as u64;
        counts[1] += batch.len() as u64;
        let idents: Vec<(&str, &'static str, String)> = batch
            .iter()
            .flat_map(|p| {
                p.s.identifiers()
                    .into_iter()
                    .map(|(k, raw)| (p.rid.as_str(), k, raw))
            })
            .collect();
        counts[2] += idents.len() as u64;
        insert(
            &mut tx,
            "INSERT INTO identifiers (id, force_id, referral_id, role, kind, raw, norm) ",
            idents,
            |mut b, (rid, kind, raw)| {
                b.push_bind(id())
                    .push_bind(force.to_string())
                    .push_bind(rid.to_string())
                    .push_bind("reported")
                    .push_bind(kind)
                    .push_bind(raw.to_lowercase())
                    .push_bind(raw);
            },
        )
        .await?;
        let events: Vec<_> = batch
            .iter()
            .flat_map(|p| {
                p.s.events
                    .iter()
                    .enumerate()
                    .map(|(k, e)| (p.rid.as_str(), k, e))
            })
            .collect();
        counts[3] += events.len() as u64;
        insert(
            &mut tx,
            "INSERT INTO ip_events (id, force_id, referral_id, seq, address, address_raw, port, event, at,
                offset_seconds, raw, possible_proxy) ",
            events,
            |mut b, (rid, k, e)| {
                b.push_bind(id()).push_bind(force.to_string()).push_bind(rid.to_string()).push_bind(k as i64)
                    .push_bind(e.address.clone()).push_bind(e.address.clone()).push_bind(i64::from(e.port))
                    .push_bind(e.event).push_bind(e.at_ms).push_bind(i64::from(e.offset_seconds))
                    .push_bind(e.raw.clone()).push_bind(false);
            },
        )
        .await?;
        let files: Vec<_> = batch
            .iter()
            .flat_map(|p| {
                p.s.files
                    .iter()
                    .enumerate()
                    .map(|(k, f)| (p.rid.as_str(), k, f))
            })
            .collect();
        counts[4] += files.len() as u64;
        insert(
            &mut tx,
            "INSERT INTO files (id, force_id, referral_id, seq, file_id, file_name, viewed_by_esp, annotations,
                industry_classification, md5, sha1) ",
            files,
            |mut b, (rid, k, f)| {
                b.push_bind(id()).push_bind(force.to_string()).push_bind(rid.to_string()).push_bind(k as i64)
                    .push_bind(f.file_id.clone()).push_bind(f.file_name.clone()).push_bind(f.viewed)
                    .push_bind("[]").push_bind(f.class).push_bind(f.md5.clone()).push_bind(f.sha1.clone());
            },
        )
        .await?;
        insert(
            &mut tx,
            "INSERT INTO access_log (seq, at, force_id, username, action, record_type, record_id, outcome, detail,
                prev_hash, hash) ",
            &batch,
            |mut b, p| {
                seq += 1;
                b.push_bind(seq).push_bind(now).push_bind(force.to_string()).push_bind("cli:bench")
                    .push_bind("collection").push_bind("referral").push_bind(p.rid.clone())
                    .push_bind("allowed").push_bind(format!("referral received from NCA (report {})", p.s.report_id))
                    .push_bind("0000000000000000000000000000000000000000000000000000000000000000")
                    .push_bind("0000000000000000000000000000000000000000000000000000000000000000");
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(counts)
}

/// The lookups `store::import::links` makes for a batch: earlier subjects by identifier, and by IP
/// address and port within five minutes.
async fn link_queries(
    tx: &mut sqlx::SqliteConnection,
    force: &str,
    batch: &[Prepared],
) -> super::Res<()> {
    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("WITH q(kind, norm) AS (");
    qb.push_values(
        batch.iter().flat_map(|p| p.s.identifiers()),
        |mut b, (kind, raw)| {
            b.push_bind(kind).push_bind(raw.to_lowercase());
        },
    );
    qb.push(
        ") SELECT DISTINCT i.role, i.kind, i.norm, r.subject_id FROM q CROSS JOIN identifiers i
         JOIN referrals r ON r.id = i.referral_id JOIN subjects s ON s.id = r.subject_id
         WHERE i.force_id = ",
    );
    // As the store does, the role comes back and is judged by the domain's rule, not filtered in SQL.
    qb.push_bind(force)
        .push(" AND i.kind = q.kind AND i.norm = q.norm");
    let _: Vec<(String, String, String, String)> = qb.build_query_as().fetch_all(&mut *tx).await?;

    let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("WITH q(address, port, lo, hi) AS (");
    qb.push_values(batch.iter().flat_map(|p| &p.s.events), |mut b, e| {
        b.push_bind(e.address.clone())
            .push_bind(i64::from(e.port))
            .push_bind(e.at_ms - 300_000)
            .push_bind(e.at_ms + 300_000);
    });
    qb.push(
        ") SELECT DISTINCT q.address, q.port, e.at, r.subject_id FROM q CROSS JOIN ip_events e
         JOIN referrals r ON r.id = e.referral_id JOIN subjects s ON s.id = r.subject_id
         WHERE e.force_id = ",
    );
    qb.push_bind(force)
        .push(" AND e.address = q.address AND e.port = q.port AND e.at BETWEEN q.lo AND q.hi");
    let _: Vec<(String, i64, i64, String)> = qb.build_query_as().fetch_all(&mut *tx).await?;
    Ok(())
}
