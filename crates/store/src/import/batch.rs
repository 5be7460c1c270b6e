//! Writing a batch of reports: which are already stored, how each new one links to a subject, then every
//! row of every table with one multi-row INSERT per table (split only where the drivers' limits require).

use super::links::{self, Index};
use super::{ImportTx, ReportOutcome, ReportRows, on_tx};
use crate::bulk::{Rows, write_rows};
use crate::referrals::row::{Placement, push_referral, referral_rows, timeline_rows};
use crate::{AuditDraft, Inserted, NewReferral, ReportFile, ReportIpEvent, StoreError, ms};
use domain::audit::{AccessOutcome, Processing};
use domain::identifiers::canonical_ip_text;
use std::collections::HashMap;

/// A report handed in and not yet written.
#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) new: NewReferral,
    pub(crate) rows: ReportRows,
}

fn id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Every table an import writes, in the order the foreign keys need.
#[derive(Debug)]
struct Writes {
    subjects: Rows,
    referrals: Rows,
    timeline: Rows,
    originals: Rows,
    people: Rows,
    identifiers: Rows,
    ip_events: Rows,
    files: Rows,
    details: Rows,
    links: Rows,
    log: Rows,
}

impl Writes {
    fn new() -> Self {
        Writes {
            subjects: Rows::new("INSERT INTO subjects (id, force_id, created_at)", 3),
            referrals: referral_rows(),
            timeline: timeline_rows(),
            originals: Rows::new(
                "INSERT INTO report_originals (referral_id, format, sha256, content)",
                4,
            ),
            people: Rows::new("INSERT INTO people (id, referral_id, role, details)", 4),
            identifiers: Rows::new(
                "INSERT INTO identifiers (id, force_id, referral_id, role, kind, raw, norm, person_id)",
                8,
            ),
            ip_events: Rows::new(
                "INSERT INTO ip_events (id, force_id, referral_id, seq, address, address_raw, port, event, at,
                    offset_seconds, raw, possible_proxy, origin)",
                13,
            ),
            files: Rows::new(
                "INSERT INTO files (id, force_id, referral_id, seq, file_id, file_name, original_file_name, location,
                    uploaded_at, viewed_by_esp, exif_viewed_by_esp, publicly_available, relevance, annotations,
                    industry_classification, md5, sha1)",
                17,
            ),
            details: Rows::new("INSERT INTO report_details (referral_id, details)", 2),
            links: Rows::new(
                "INSERT INTO subject_links (id, force_id, referral_id, subject_id, strength, status, basis)",
                7,
            ),
            log: crate::audit::log_rows(),
        }
    }

    async fn write(self, tx: &mut ImportTx) -> Result<(), StoreError> {
        on_tx!(tx.conn, c => {
            for rows in [
                self.subjects, self.referrals, self.timeline, self.originals, self.people, self.identifiers,
                self.ip_events, self.files, self.details, self.links, self.log,
            ] {
                write_rows!(c, rows);
            }
            Ok::<_, StoreError>(())
        })
    }
}

/// A batch linked and turned into rows, not yet written: the next batch is linked (on another thread)
/// while these rows are written, and sees this batch through `recent` and `keys` rather than the database.
#[derive(Debug)]
pub(crate) struct Staged {
    writes: Writes,
    recent: Index,
    keys: HashMap<(String, String), domain::ReferralId>,
}

/// What building a batch's rows needs from the import.
struct Ctx {
    force: domain::ForceId,
    actor: crate::Actor,
    package: Option<String>,
    head: (i64, String),
    now: i64,
}

/// Link the reports handed in so far and stage their rows, writing the batch staged before while they are
/// linked; with `all`, write everything. Returns what became of each report handed in, in order.
pub(super) async fn flush(tx: &mut ImportTx, all: bool) -> Result<Vec<ReportOutcome>, StoreError> {
    let batch = std::mem::take(&mut tx.pending);
    let mut outcomes = vec![];
    if !batch.is_empty() {
        let mut stored = already_stored(tx, &batch).await?;
        let mut index = Index::lookup(tx, batch.iter()).await?;
        if let Some(prev) = &tx.staged {
            stored.extend(prev.keys.iter().map(|(k, v)| (k.clone(), *v)));
            index.merge(&prev.recent);
        }
        let ctx = Ctx {
            force: tx.force,
            actor: tx.actor.clone(),
            package: tx.package.as_ref().map(|p| p.0.clone()),
            head: tx.head.clone(),
            now: ms(jiff::Timestamp::now()),
        };
        let build = tokio::task::spawn_blocking(move || build(ctx, batch, stored, index));
        if let Some(prev) = tx.staged.take() {
            prev.writes.write(tx).await?;
        }
        let (staged, built, head) = build
            .await
            .map_err(|e| StoreError::Config(format!("linking a batch of reports failed: {e}")))?;
        tx.logged |= head != tx.head;
        tx.head = head;
        tx.staged = Some(staged);
        outcomes = built;
    }
    if all && let Some(prev) = tx.staged.take() {
        prev.writes.write(tx).await?;
    }
    Ok(outcomes)
}

/// Decide each report of a batch (a duplicate, or new and linked how) and build the rows of the new ones.
fn build(
    mut ctx: Ctx,
    batch: Vec<Pending>,
    stored: HashMap<(String, String), domain::ReferralId>,
    mut index: Index,
) -> (Staged, Vec<ReportOutcome>, (i64, String)) {
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut keys: HashMap<(String, String), domain::ReferralId> = HashMap::new();
    let mut recent = Index::default();
    let mut w = Writes::new();
    for p in batch {
        let r = &p.new.referral;
        let key = (r.source.clone(), r.report_id.clone());
        if let Some(id) = stored.get(&key).or_else(|| keys.get(&key)) {
            outcomes.push(ReportOutcome {
                report_id: r.report_id.clone(),
                inserted: Inserted::Duplicate(*id),
                link: None,
                due_at: None,
            });
            continue;
        }
        keys.insert(key, r.id);
        let link = links::resolve(&index, &p);
        index.add(&p, &link.subject_id);
        recent.add(&p, &link.subject_id);
        if !link.joined_existing {
            w.subjects.push([
                (&link.subject_id).into(),
                ctx.force.to_string().into(),
                ctx.now.into(),
            ]);
        }
        let (report_id, id, due_at) = (r.report_id.clone(), r.id, r.due_at);
        rows_of(&mut ctx, &mut w, p, &link);
        outcomes.push(ReportOutcome {
            report_id,
            inserted: Inserted::Created(id),
            link: Some(link),
            due_at: Some(due_at),
        });
    }
    let head = ctx.head;
    (
        Staged {
            writes: w,
            recent,
            keys,
        },
        outcomes,
        head,
    )
}

/// The referrals already stored for the batch's (source, report id) pairs: (source, report id) → id.
async fn already_stored(
    tx: &mut ImportTx,
    batch: &[Pending],
) -> Result<HashMap<(String, String), domain::ReferralId>, StoreError> {
    let force = tx.force.to_string();
    let mut out = HashMap::new();
    for chunk in batch.chunks(4_000) {
        let found: Vec<(String, String, String)> = on_tx!(tx.conn, c => {
            let mut q = sqlx::QueryBuilder::new("WITH q(source, report_id) AS (");
            q.push_values(chunk, |mut row, p| {
                row.push_bind(p.new.referral.source.clone())
                    .push_bind(p.new.referral.report_id.clone());
            });
            q.push(") SELECT r.source, r.report_id, r.id FROM q CROSS JOIN referrals r WHERE r.force_id = ")
                .push_bind(force.clone())
                .push(" AND r.source = q.source AND r.report_id = q.report_id");
            q.build_query_as().persistent(chunk.len() == super::BATCH).fetch_all(c).await
        })?;
        for (s, r, id) in found {
            out.insert((s, r), crate::rows::parse_id(&id)?);
        }
    }
    Ok(out)
}

/// A list of strings as its column holds it: a JSON array.
fn strings(items: &[String]) -> String {
    serde_json::to_string(items).expect("strings serialise")
}

/// Add one new report's rows: its referral (placed in its package and subject), timeline, original,
/// people, identifiers, IP events, files, links and access-log events.
fn rows_of(ctx: &mut Ctx, w: &mut Writes, p: Pending, link: &links::LinkOutcome) {
    // The report's rows are moved into the statements, not copied: a batch's originals can be large.
    let Pending { new, rows: report } = p;
    let r = &new.referral;
    let (rid, force, now) = (r.id.to_string(), ctx.force.to_string(), ctx.now);
    let placement = Placement {
        package_id: ctx.package.clone(),
        subject_id: Some(link.subject_id.clone()),
        annotations: strings(&report.annotations),
        warnings: strings(&report.warnings),
    };
    push_referral(&mut w.referrals, &mut w.timeline, &new, placement, now);
    let original = report.original;
    w.originals.push([
        (&rid).into(),
        original.format.as_str().into(),
        original.sha256.into(),
        original.text.into(),
    ]);
    let person_ids: Vec<String> = report.people.iter().map(|_| id()).collect();
    for (person, pid) in report.people.into_iter().zip(&person_ids) {
        w.people.push([
            pid.into(),
            (&rid).into(),
            person.role.as_str().into(),
            person.details.into(),
        ]);
    }
    for i in report.identifiers {
        w.identifiers.push([
            id().into(),
            (&force).into(),
            (&rid).into(),
            i.role.as_str().into(),
            i.kind.as_str().into(),
            i.raw.into(),
            i.norm.into(),
            i.person.and_then(|n| person_ids.get(n).cloned()).into(),
        ]);
    }
    for (seq, e) in report.ip_events.into_iter().enumerate() {
        push_ip_event(w, &force, &rid, seq as i64, e);
    }
    if let Some(d) = &report.details {
        w.details.push([
            (&rid).into(),
            serde_json::to_string(d)
                .expect("report details serialise")
                .into(),
        ]);
    }
    for (seq, f) in report.files.into_iter().enumerate() {
        push_file(w, &force, &rid, seq as i64, f);
    }
    let mut link_row = |subject: &str, strength: &str, status: &str, basis: String| {
        w.links.push([
            id().into(),
            (&force).into(),
            (&rid).into(),
            subject.into(),
            strength.into(),
            status.into(),
            basis.into(),
        ]);
    };
    if link.joined_existing {
        link_row(&link.subject_id, "strong", "linked", link.basis.join("; "));
    }
    for (s, b) in &link.suggestions {
        link_row(s, "weak", "suggested", b.clone());
    }
    log(
        ctx,
        w,
        Processing::Collection,
        &rid,
        format!(
            "referral received from {} (report {})",
            r.source, r.report_id
        ),
    );
    if link.joined_existing {
        log(
            ctx,
            w,
            Processing::Combination,
            &rid,
            format!(
                "linked to subject {} on a strong identifier",
                link.subject_id
            ),
        );
    }
}

fn push_ip_event(w: &mut Writes, force: &str, rid: &str, seq: i64, e: ReportIpEvent) {
    w.ip_events.push([
        id().into(),
        force.into(),
        rid.into(),
        seq.into(),
        canonical_ip_text(e.address).into(),
        e.address_raw.into(),
        e.port.map(i64::from).into(),
        e.event.into(),
        e.at.map(ms).into(),
        e.offset_seconds.map(i64::from).into(),
        e.time_raw.into(),
        e.possible_proxy.into(),
        e.origin.into(),
    ]);
}

fn push_file(w: &mut Writes, force: &str, rid: &str, seq: i64, f: ReportFile) {
    w.files.push([
        id().into(),
        force.into(),
        rid.into(),
        seq.into(),
        f.file_id.into(),
        f.file_name.into(),
        f.original_file_name.into(),
        f.location.into(),
        f.uploaded_at.map(ms).into(),
        f.viewed_by_esp.into(),
        f.exif_viewed_by_esp.into(),
        f.publicly_available.into(),
        f.relevance.into(),
        strings(&f.annotations).into(),
        f.industry_classification.into(),
        f.md5.into(),
        f.sha1.into(),
    ]);
}

/// Add the next access-log event of the chain (its checkpoint moves once, at commit).
fn log(ctx: &mut Ctx, w: &mut Writes, action: Processing, rid: &str, detail: String) {
    let draft = AuditDraft {
        force: Some(ctx.force),
        user: ctx.actor.user,
        username: ctx.actor.username.clone(),
        action,
        record_type: "referral".into(),
        record_id: rid.to_string(),
        justification: ctx.actor.justification.clone(),
        outcome: AccessOutcome::Allowed,
        detail,
    };
    crate::audit::push_chained(&mut w.log, &mut ctx.head, draft);
}

/// What became of a file's details sent after its report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attached {
    /// Added to this referral.
    Added(domain::ReferralId),
    /// The referral already has a file with this id: nothing changed.
    Duplicate(domain::ReferralId),
    /// No report with this id from this source has been imported.
    NoSuchReport,
}

/// Add one file's details (from a separate `<fileDetails>` document) to the referral of the report it
/// names, with its IP events, a timeline entry and a collection event in the access log.
pub(super) async fn attach_file(
    tx: &mut ImportTx,
    source: &str,
    report_id: &str,
    file: ReportFile,
    ip_events: Vec<ReportIpEvent>,
) -> Result<Attached, StoreError> {
    // Reports handed in earlier in this import are written first, so a package may carry both.
    for rows in [tx.staged.take().map(|s| s.writes)].into_iter().flatten() {
        rows.write(tx).await?;
    }
    let force = tx.force.to_string();
    let found: Option<String> = on_tx!(tx.conn, c => sqlx::query_scalar(
        "SELECT id FROM referrals WHERE force_id = $1 AND source = $2 AND report_id = $3")
        .bind(&force).bind(source).bind(report_id).fetch_optional(c).await)?;
    let Some(rid) = found else {
        return Ok(Attached::NoSuchReport);
    };
    let referral: domain::ReferralId = rid
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("referral id {rid}")))?;
    if let Some(file_id) = &file.file_id {
        let seen: Option<i64> = on_tx!(tx.conn, c => sqlx::query_scalar(
            "SELECT seq FROM files WHERE referral_id = $1 AND file_id = $2")
            .bind(&rid).bind(file_id).fetch_optional(c).await)?;
        if seen.is_some() {
            return Ok(Attached::Duplicate(referral));
        }
    }
    let (file_seq, ip_seq): (i64, i64) = on_tx!(tx.conn, c => sqlx::query_as(
        "SELECT (SELECT COALESCE(MAX(seq) + 1, 0) FROM files WHERE referral_id = $1),
                (SELECT COALESCE(MAX(seq) + 1, 0) FROM ip_events WHERE referral_id = $1)")
        .bind(&rid).fetch_one(c).await)?;
    let mut w = Writes::new();
    let mut ctx = Ctx {
        force: tx.force,
        actor: tx.actor.clone(),
        package: tx.package.as_ref().map(|p| p.0.clone()),
        head: tx.head.clone(),
        now: ms(jiff::Timestamp::now()),
    };
    let name = file
        .file_id
        .clone()
        .unwrap_or_else(|| "without an id".into());
    push_file(&mut w, &force, &rid, file_seq, file);
    for (i, e) in ip_events.into_iter().enumerate() {
        push_ip_event(&mut w, &force, &rid, ip_seq + i as i64, e);
    }
    w.timeline.push([
        id().into(),
        (&rid).into(),
        ctx.now.into(),
        ctx.actor.user.map(|u| u.to_string()).into(),
        ctx.actor.display_name.clone().into(),
        "file_details".into(),
        format!("Details of file {name} received from {source}").into(),
    ]);
    log(
        &mut ctx,
        &mut w,
        Processing::Collection,
        &rid,
        format!("details of file {name} received from {source} for report {report_id}"),
    );
    w.write(tx).await?;
    tx.logged = true;
    tx.head = ctx.head;
    Ok(Attached::Added(referral))
}
