//! Exhibits as kept: the exhibit, its handovers, its forensic path (a row per step whose clock has started) and
//! the scan reports attached to it, the report itself stored as received. Each change writes its timeline step on
//! the referral and its access-log event (about the exhibit) in the same transaction.

use crate::BeginWrite;
use crate::clocks::{insert_clock, stop_in_tx};
use crate::referrals::row::refresh_headline;
use crate::{Actor, Store, StoreError, ms, on_pool, ts};
use domain::audit::Processing;
use domain::clocks::Clock;
use domain::{BcuId, ForceId, ReferralId};
use jiff::Timestamp;

/// Write the referral's timeline step and an access-log event about the exhibit, in an open transaction.
macro_rules! exhibit_step_in_tx {
    ($store:expr, $conn:expr, $at:expr, $force:expr, $referral:expr, $exhibit:expr, $actor:expr, $summary:expr, $processing:expr, $detail:expr) => {{
        let actor: &$crate::Actor = $actor;
        sqlx::query(
            "INSERT INTO referral_events (id, referral_id, at, user_id, actor, kind, summary) VALUES ($1, $2, $3, $4, $5, 'exhibit', $6)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind($referral.to_string())
        .bind($crate::ms($at))
        .bind(actor.user.map(|u| u.to_string()))
        .bind(&actor.display_name)
        .bind($summary)
        .execute(&mut *$conn)
        .await?;
        let draft = $crate::AuditDraft {
            force: Some($force),
            user: actor.user,
            username: actor.username.clone(),
            action: $processing,
            record_type: "exhibit".into(),
            record_id: $exhibit.to_string(),
            justification: actor.justification.clone(),
            outcome: domain::audit::AccessOutcome::Allowed,
            detail: $detail,
        };
        $crate::audit::append_in_tx!($store, &mut *$conn, draft)
    }};
}

/// An exhibit as stored, with where it sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExhibitRow {
    /// Its id.
    pub id: String,
    /// Its force.
    pub force: ForceId,
    /// Its referral.
    pub referral: ReferralId,
    /// The referral's BCU.
    pub bcu: Option<BcuId>,
    /// The BCU's code.
    pub bcu_code: Option<String>,
    /// The exhibit reference.
    pub reference: String,
    /// `phone`, `computer`, ...
    pub kind: String,
    /// What it is.
    pub description: String,
    /// When seized.
    pub seized_at: Timestamp,
    /// Where.
    pub seized_where: String,
    /// The person of the referral it was seized from, if one.
    pub seized_from_person: Option<String>,
    /// From whom (as written).
    pub seized_from: String,
    /// Who recorded it.
    pub created_by: Option<String>,
    /// `full` or `triage_only`, once submitted.
    pub examination: Option<String>,
    /// Why that examination.
    pub submission_reason: Option<String>,
    /// The examination request: what to look for.
    pub request_identifiers: Option<String>,
    /// The request's date range.
    pub request_from: Option<String>,
    /// ...
    pub request_to: Option<String>,
    /// The investigator's questions.
    pub request_questions: Option<String>,
    /// Graded images A, B, C (beyond exact matches), once graded.
    pub graded: Option<(i64, i64, i64)>,
    /// New images found indecent.
    pub new_images: Option<i64>,
    /// Sharing found.
    pub distribution: bool,
    /// Making found.
    pub production: bool,
    /// The grader's note.
    pub grading_note: Option<String>,
    /// Handovers, oldest first.
    pub handovers: Vec<HandoverRow>,
    /// Steps whose clocks have started, in order of the path.
    pub steps: Vec<StepRow>,
}

/// One handover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoverRow {
    /// When.
    pub at: Timestamp,
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// Who recorded it.
    pub recorded_by: Option<String>,
}

/// One step of the forensic path whose clock has started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRow {
    /// `examination_started`, ...
    pub step: String,
    /// Its turnaround clock.
    pub clock_id: String,
    /// When it happened.
    pub done_at: Option<Timestamp>,
    /// Who recorded it.
    pub done_by: Option<String>,
}

/// A new exhibit.
#[derive(Clone, Debug)]
pub struct NewExhibit<'a> {
    /// Reference.
    pub reference: &'a str,
    /// Kind.
    pub kind: &'a str,
    /// Description.
    pub description: &'a str,
    /// When seized.
    pub seized_at: Timestamp,
    /// Where.
    pub seized_where: &'a str,
    /// The person of the referral it was seized from.
    pub seized_from_person: Option<&'a str>,
    /// From whom (as written).
    pub seized_from: &'a str,
}

/// What a step records beside its time.
#[derive(Clone, Debug, Default)]
pub struct StepDetails {
    /// The submission's examination and request.
    pub submission: Option<Submission>,
    /// The grader's findings.
    pub grading: Option<Grading>,
}

/// The examination asked for and the investigator's request.
#[derive(Clone, Debug)]
pub struct Submission {
    /// `full` or `triage_only`.
    pub examination: String,
    /// Why.
    pub reason: String,
    /// Identifiers to look for.
    pub identifiers: String,
    /// From this date.
    pub from: Option<String>,
    /// To this date.
    pub to: Option<String>,
    /// The questions.
    pub questions: String,
}

/// The grader's findings.
#[derive(Clone, Debug)]
pub struct Grading {
    /// Category A images beyond the exact matches.
    pub a: i64,
    /// Category B.
    pub b: i64,
    /// Category C.
    pub c: i64,
    /// New images found indecent.
    pub new_images: i64,
    /// Sharing found.
    pub distribution: bool,
    /// Images made by the suspect found.
    pub production: bool,
    /// A note.
    pub note: Option<String>,
}

/// A scan report's figures as attached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanRow {
    /// Its id.
    pub id: String,
    /// The exhibit.
    pub exhibit_id: String,
    /// When received.
    pub received_at: Timestamp,
    /// Who attached it.
    pub received_by: Option<String>,
    /// The tool and its version.
    pub tool: String,
    /// ...
    pub tool_version: String,
    /// The scanned path.
    pub root: String,
    /// When the scan started.
    pub started_at: Timestamp,
    /// Counts: files, images, A, B, C, not indecent, uncategorised, other, exact, near, unknown images,
    /// unreadable, exact A/B/C, near A/B/C.
    pub counts: ScanCounts,
    /// The sets used (JSON `[{name, checksum}]`).
    pub sets: String,
    /// SHA-256 of the report as received.
    pub sha256: String,
    /// Its size.
    pub size: i64,
}

/// A scan report's counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ScanCounts {
    /// Regular files.
    pub files: i64,
    /// Images.
    pub images: i64,
    /// Matched A.
    pub count_a: i64,
    /// Matched B.
    pub count_b: i64,
    /// Matched C.
    pub count_c: i64,
    /// Not indecent.
    pub not_indecent: i64,
    /// Uncategorised.
    pub uncategorised: i64,
    /// Other categories.
    pub other: i64,
    /// Exact matches.
    pub exact: i64,
    /// Near matches.
    pub near: i64,
    /// Unknown images.
    pub unknown_images: i64,
    /// Unreadable files.
    pub unreadable: i64,
    /// Exact A.
    pub exact_a: i64,
    /// Exact B.
    pub exact_b: i64,
    /// Exact C.
    pub exact_c: i64,
    /// Near A.
    pub near_a: i64,
    /// Near B.
    pub near_b: i64,
    /// Near C.
    pub near_c: i64,
}

/// A scan report being attached.
#[derive(Clone, Debug)]
pub struct NewScan<'a> {
    /// Tool.
    pub tool: &'a str,
    /// Version.
    pub tool_version: &'a str,
    /// Scanned path.
    pub root: &'a str,
    /// When the scan started.
    pub started_at: Timestamp,
    /// Counts.
    pub counts: ScanCounts,
    /// Sets (JSON).
    pub sets: String,
    /// SHA-256 of `bytes`.
    pub sha256: String,
    /// The report as received.
    pub bytes: &'a [u8],
}

const EXHIBIT_SELECT: &str = "SELECT e.id, e.force_id, e.referral_id, r.bcu_id, b.code, e.reference, e.kind, e.description,
        e.seized_at, e.seized_where, e.seized_from_person, e.seized_from, u.display_name, e.examination,
        e.submission_reason, e.request_identifiers, e.request_from, e.request_to, e.request_questions,
        e.graded_a, e.graded_b, e.graded_c, e.new_images, e.distribution, e.production, e.grading_note
     FROM exhibits e JOIN referrals r ON r.id = e.referral_id LEFT JOIN bcus b ON b.id = r.bcu_id
     LEFT JOIN users u ON u.id = e.created_by";

#[derive(sqlx::FromRow)]
struct Raw {
    id: String,
    force_id: String,
    referral_id: String,
    bcu_id: Option<String>,
    code: Option<String>,
    reference: String,
    kind: String,
    description: String,
    seized_at: i64,
    seized_where: String,
    seized_from_person: Option<String>,
    seized_from: String,
    display_name: Option<String>,
    examination: Option<String>,
    submission_reason: Option<String>,
    request_identifiers: Option<String>,
    request_from: Option<String>,
    request_to: Option<String>,
    request_questions: Option<String>,
    graded_a: Option<i64>,
    graded_b: Option<i64>,
    graded_c: Option<i64>,
    new_images: Option<i64>,
    distribution: bool,
    production: bool,
    grading_note: Option<String>,
}

impl Raw {
    fn into_row(self) -> Result<ExhibitRow, StoreError> {
        Ok(ExhibitRow {
            force: crate::rows::parse_id(&self.force_id)?,
            referral: crate::rows::parse_id(&self.referral_id)?,
            bcu: self
                .bcu_id
                .as_deref()
                .map(crate::rows::parse_id)
                .transpose()?,
            bcu_code: self.code,
            reference: self.reference,
            kind: self.kind,
            description: self.description,
            seized_at: ts(self.seized_at),
            seized_where: self.seized_where,
            seized_from_person: self.seized_from_person,
            seized_from: self.seized_from,
            created_by: self.display_name,
            examination: self.examination,
            submission_reason: self.submission_reason,
            request_identifiers: self.request_identifiers,
            request_from: self.request_from,
            request_to: self.request_to,
            request_questions: self.request_questions,
            graded: match (self.graded_a, self.graded_b, self.graded_c) {
                (Some(a), Some(b), Some(c)) => Some((a, b, c)),
                _ => None,
            },
            new_images: self.new_images,
            distribution: self.distribution,
            production: self.production,
            grading_note: self.grading_note,
            handovers: vec![],
            steps: vec![],
            id: self.id,
        })
    }
}

type HandoverTuple = (String, i64, String, String, Option<String>);
type StepTuple = (String, String, String, Option<i64>, Option<String>);

impl Store {
    async fn with_paths(&self, raws: Vec<Raw>) -> Result<Vec<ExhibitRow>, StoreError> {
        let mut rows = raws
            .into_iter()
            .map(Raw::into_row)
            .collect::<Result<Vec<_>, _>>()?;
        for row in &mut rows {
            let h: Vec<HandoverTuple> = on_pool!(self, p => sqlx::query_as(
                "SELECT h.exhibit_id, h.at, h.from_party, h.to_party, u.display_name FROM exhibit_handovers h
                 LEFT JOIN users u ON u.id = h.recorded_by WHERE h.exhibit_id = $1 ORDER BY h.at, h.id")
                .bind(&row.id).fetch_all(p).await)?;
            row.handovers = h
                .into_iter()
                .map(|(_, at, from, to, by)| HandoverRow {
                    at: ts(at),
                    from,
                    to,
                    recorded_by: by,
                })
                .collect();
            let s: Vec<StepTuple> = on_pool!(self, p => sqlx::query_as(
                "SELECT s.exhibit_id, s.step, s.clock_id, s.done_at, u.display_name FROM forensic_steps s
                 LEFT JOIN users u ON u.id = s.done_by WHERE s.exhibit_id = $1")
                .bind(&row.id).fetch_all(p).await)?;
            let mut steps: Vec<StepRow> = s
                .into_iter()
                .map(|(_, step, clock_id, done_at, by)| StepRow {
                    step,
                    clock_id,
                    done_at: done_at.map(ts),
                    done_by: by,
                })
                .collect();
            steps.sort_by_key(|s| {
                s.step
                    .parse::<domain::exhibits::ForensicStep>()
                    .map(|x| x as u8)
                    .unwrap_or(u8::MAX)
            });
            row.steps = steps;
        }
        Ok(rows)
    }

    /// A referral's exhibits, in the order they were recorded.
    pub async fn exhibits_of(&self, referral: ReferralId) -> Result<Vec<ExhibitRow>, StoreError> {
        let sql = format!("{EXHIBIT_SELECT} WHERE e.referral_id = $1 ORDER BY e.created_at, e.id");
        let raws: Vec<Raw> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(referral.to_string()).fetch_all(p).await)?;
        self.with_paths(raws).await
    }

    /// One exhibit.
    pub async fn exhibit(&self, id: &str) -> Result<Option<ExhibitRow>, StoreError> {
        let sql = format!("{EXHIBIT_SELECT} WHERE e.id = $1");
        let raws: Vec<Raw> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id).fetch_all(p).await)?;
        Ok(self.with_paths(raws).await?.into_iter().next())
    }

    /// The forensics queue: exhibits of the force (or one BCU) submitted for examination whose path has a step
    /// still to happen, oldest submission first (at most `limit`).
    pub async fn exhibit_queue(
        &self,
        force: ForceId,
        bcu: Option<BcuId>,
        limit: i64,
    ) -> Result<Vec<ExhibitRow>, StoreError> {
        let sql = format!(
            "{EXHIBIT_SELECT} JOIN forensic_steps sub ON sub.exhibit_id = e.id AND sub.step = 'submitted' AND sub.done_at IS NOT NULL
             WHERE e.force_id = $1 AND ($2 IS NULL OR r.bcu_id = $2)
               AND EXISTS (SELECT 1 FROM forensic_steps s JOIN clocks c ON c.id = s.clock_id
                           WHERE s.exhibit_id = e.id AND s.done_at IS NULL AND (c.ended IS NULL OR c.ended = 'stopped'))
             ORDER BY sub.done_at, e.id LIMIT $3"
        );
        let raws: Vec<Raw> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).bind(bcu.map(|b| b.to_string())).bind(limit).fetch_all(p).await)?;
        self.with_paths(raws).await
    }

    /// Record a new exhibit (recorded at `now`) with the clock of its submission; returns its id (`Conflict`: the reference is
    /// already used in this referral).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_exhibit(
        &self,
        force: ForceId,
        referral: ReferralId,
        e: &NewExhibit<'_>,
        submission_clock: &Clock,
        now: Timestamp,
        summary: String,
        actor: &Actor,
    ) -> Result<String, StoreError> {
        let _guard = self.write_lock.lock().await;
        let id = uuid::Uuid::now_v7().to_string();
        let clock_id = uuid::Uuid::now_v7().to_string();
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let taken: Option<String> = sqlx::query_scalar("SELECT id FROM exhibits WHERE referral_id = $1 AND reference = $2")
                .bind(referral.to_string()).bind(e.reference).fetch_optional(&mut *tx).await?;
            if taken.is_some() {
                return Err(StoreError::Conflict);
            }
            sqlx::query(
                "INSERT INTO exhibits (id, force_id, referral_id, reference, kind, description, seized_at, seized_where,
                    seized_from_person, seized_from, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
                .bind(&id).bind(force.to_string()).bind(referral.to_string()).bind(e.reference).bind(e.kind)
                .bind(e.description).bind(ms(e.seized_at)).bind(e.seized_where).bind(e.seized_from_person)
                .bind(e.seized_from).bind(actor.user.map(|u| u.to_string())).bind(ms(now))
                .execute(&mut *tx).await?;
            insert_clock!(tx, &clock_id, force, referral, submission_clock);
            sqlx::query("INSERT INTO forensic_steps (id, exhibit_id, step, clock_id) VALUES ($1, $2, 'submitted', $3)")
                .bind(uuid::Uuid::now_v7().to_string()).bind(&id).bind(&clock_id).execute(&mut *tx).await?;
            let _ = exhibit_step_in_tx!(self, &mut *tx, e.seized_at, force, referral, &id, actor, summary,
                Processing::Collection, "exhibit recorded".to_string());
            refresh_headline!(tx, referral);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })?;
        Ok(id)
    }

    /// Record a handover of an exhibit.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_handover(
        &self,
        exhibit: &ExhibitRow,
        at: Timestamp,
        from: &str,
        to: &str,
        summary: String,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(
                "INSERT INTO exhibit_handovers (id, exhibit_id, at, from_party, to_party, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(uuid::Uuid::now_v7().to_string()).bind(&exhibit.id).bind(ms(at)).bind(from).bind(to)
                .bind(actor.user.map(|u| u.to_string())).bind(ms(Timestamp::now()))
                .execute(&mut *tx).await?;
            let _ = exhibit_step_in_tx!(self, &mut *tx, at, exhibit.force, exhibit.referral, &exhibit.id, actor, summary,
                Processing::Alteration, "exhibit handover".to_string());
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }

    /// Record that `step` happened at `at`: its clock (stopped by the caller, `None` when it was cancelled) is
    /// kept with any late reason, the next steps' clocks start, and the submission or grading details are kept.
    /// `Conflict` when someone recorded the step first.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_forensic_step(
        &self,
        exhibit: &ExhibitRow,
        step: &str,
        at: Timestamp,
        stopped: Option<(&str, &Clock)>,
        next: &[(&str, Clock)],
        details: &StepDetails,
        summary: String,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        let (force, referral) = (exhibit.force, exhibit.referral);
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done = sqlx::query("UPDATE forensic_steps SET done_at = $1, done_by = $2 WHERE exhibit_id = $3 AND step = $4 AND done_at IS NULL")
                .bind(ms(at)).bind(actor.user.map(|u| u.to_string())).bind(&exhibit.id).bind(step)
                .execute(&mut *tx).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::Conflict);
            }
            if let Some((clock_id, clock)) = stopped {
                stop_in_tx!(tx, clock_id, clock, "stopped");
            }
            for (next_step, clock) in next {
                let clock_id = uuid::Uuid::now_v7().to_string();
                insert_clock!(tx, &clock_id, force, referral, clock);
                sqlx::query("INSERT INTO forensic_steps (id, exhibit_id, step, clock_id) VALUES ($1, $2, $3, $4)")
                    .bind(uuid::Uuid::now_v7().to_string()).bind(&exhibit.id).bind(*next_step).bind(&clock_id)
                    .execute(&mut *tx).await?;
            }
            if let Some(x) = &details.submission {
                sqlx::query("UPDATE exhibits SET examination = $1, submission_reason = $2, request_identifiers = $3,
                             request_from = $4, request_to = $5, request_questions = $6 WHERE id = $7")
                    .bind(&x.examination).bind(&x.reason).bind(&x.identifiers).bind(&x.from).bind(&x.to)
                    .bind(&x.questions).bind(&exhibit.id)
                    .execute(&mut *tx).await?;
            }
            if let Some(g) = &details.grading {
                sqlx::query("UPDATE exhibits SET graded_a = $1, graded_b = $2, graded_c = $3, new_images = $4,
                             distribution = $5, production = $6, grading_note = $7 WHERE id = $8")
                    .bind(g.a).bind(g.b).bind(g.c).bind(g.new_images).bind(g.distribution).bind(g.production)
                    .bind(&g.note).bind(&exhibit.id).execute(&mut *tx).await?;
            }
            let _ = exhibit_step_in_tx!(self, &mut *tx, at, force, referral, &exhibit.id, actor, summary,
                Processing::Alteration, format!("forensic step {step}"));
            refresh_headline!(tx, referral);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }

    /// Attach a scan report received at `now` (logged as a collection: its paths can hold names); returns its
    /// id.
    pub async fn attach_scan(
        &self,
        exhibit: &ExhibitRow,
        scan: &NewScan<'_>,
        now: Timestamp,
        summary: String,
        actor: &Actor,
    ) -> Result<String, StoreError> {
        let _guard = self.write_lock.lock().await;
        let id = uuid::Uuid::now_v7().to_string();
        let c = scan.counts;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(
                "INSERT INTO scan_reports (id, exhibit_id, received_at, received_by, tool, tool_version, root, started_at,
                    files, images, count_a, count_b, count_c, not_indecent, uncategorised, other, exact, near,
                    unknown_images, unreadable, exact_a, exact_b, exact_c, near_a, near_b, near_c, sets, sha256, bytes)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                    $21, $22, $23, $24, $25, $26, $27, $28, $29)")
                .bind(&id).bind(&exhibit.id).bind(ms(now)).bind(actor.user.map(|u| u.to_string()))
                .bind(scan.tool).bind(scan.tool_version).bind(scan.root).bind(ms(scan.started_at))
                .bind(c.files).bind(c.images).bind(c.count_a).bind(c.count_b).bind(c.count_c).bind(c.not_indecent)
                .bind(c.uncategorised).bind(c.other).bind(c.exact).bind(c.near).bind(c.unknown_images).bind(c.unreadable)
                .bind(c.exact_a).bind(c.exact_b).bind(c.exact_c).bind(c.near_a).bind(c.near_b).bind(c.near_c)
                .bind(&scan.sets).bind(&scan.sha256).bind(scan.bytes)
                .execute(&mut *tx).await?;
            let _ = exhibit_step_in_tx!(self, &mut *tx, now, exhibit.force, exhibit.referral, &exhibit.id, actor, summary,
                Processing::Collection, format!("scan report attached ({} bytes, sha256 {})", scan.bytes.len(), scan.sha256));
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })?;
        Ok(id)
    }

    /// The scan reports of some exhibits, newest first (without the report itself): one query per exhibit.
    pub async fn scans_of(&self, exhibits: &[String]) -> Result<Vec<ScanRow>, StoreError> {
        let mut out = vec![];
        for e in exhibits {
            let rows: Vec<ScanRaw> = on_pool!(self, p => sqlx::query_as(
                "SELECT s.id, s.exhibit_id, s.received_at, u.display_name AS received_by, s.tool, s.tool_version,
                        s.root, s.started_at, s.sets, s.sha256, CAST(LENGTH(s.bytes) AS BIGINT) AS size,
                        s.files, s.images, s.count_a, s.count_b, s.count_c, s.not_indecent, s.uncategorised, s.other,
                        s.exact, s.near, s.unknown_images, s.unreadable, s.exact_a, s.exact_b, s.exact_c,
                        s.near_a, s.near_b, s.near_c
                 FROM scan_reports s LEFT JOIN users u ON u.id = s.received_by
                 WHERE s.exhibit_id = $1 ORDER BY s.received_at DESC, s.id DESC")
                .bind(e).fetch_all(p).await)?;
            out.extend(rows.into_iter().map(|r| ScanRow {
                id: r.id,
                exhibit_id: r.exhibit_id,
                received_at: ts(r.received_at),
                received_by: r.received_by,
                tool: r.tool,
                tool_version: r.tool_version,
                root: r.root,
                started_at: ts(r.started_at),
                counts: r.counts,
                sets: r.sets,
                sha256: r.sha256,
                size: r.size,
            }));
        }
        Ok(out)
    }

    /// A scan report as received: `(exhibit id, bytes)`.
    pub async fn scan_bytes(&self, scan: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT exhibit_id, bytes FROM scan_reports WHERE id = $1")
            .bind(scan).fetch_optional(p).await)?)
    }
}

/// A scan report's row with its counts.
#[derive(sqlx::FromRow)]
struct ScanRaw {
    id: String,
    exhibit_id: String,
    received_at: i64,
    received_by: Option<String>,
    tool: String,
    tool_version: String,
    root: String,
    started_at: i64,
    sets: String,
    sha256: String,
    size: i64,
    #[sqlx(flatten)]
    counts: ScanCounts,
}
