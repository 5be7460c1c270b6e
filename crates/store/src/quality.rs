//! Case quality reviews as kept: the samples an auditor draws (seed, date, size and the areas graded against),
//! each sampled referral's grades, and the remedial actions a review refers back, each with its clock. Grading
//! and referring back write the referral's timeline and the access log in the same transaction.

use crate::BeginWrite;
use crate::clocks::{insert_clock, stop_in_tx};
use crate::steps::step_in_tx;
use crate::{Actor, Store, StoreError, ms, on_pool, ts};
use domain::audit::Processing;
use domain::clocks::Clock;
use domain::{BcuId, ForceId, ReferralId};
use jiff::Timestamp;

/// A sample as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleRow {
    /// Its id.
    pub id: String,
    /// The seed.
    pub seed: String,
    /// The date it was drawn as at (`YYYY-MM-DD`).
    pub as_at: String,
    /// Referrals drawn per BCU.
    pub per_bcu: i64,
    /// The areas graded against (JSON).
    pub areas: String,
    /// Who drew it.
    pub drawn_by: Option<String>,
    /// When.
    pub drawn_at: Timestamp,
}

/// A sampled referral and its grades.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewRow {
    /// Its id.
    pub id: String,
    /// The sample.
    pub sample_id: String,
    /// The referral.
    pub referral: ReferralId,
    /// Its BCU.
    pub bcu: BcuId,
    /// The BCU's code.
    pub bcu_code: String,
    /// Its stratum, in words.
    pub stratum: String,
    /// Grades per area (JSON), once graded.
    pub grades: Option<String>,
    /// The overall grade.
    pub overall: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Who graded it.
    pub graded_by: Option<String>,
    /// When.
    pub graded_at: Option<Timestamp>,
}

/// A remedial action as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemedialRow {
    /// Its id.
    pub id: String,
    /// The review that set it.
    pub review_id: String,
    /// The referral.
    pub referral: ReferralId,
    /// Its BCU.
    pub bcu: BcuId,
    /// What to do.
    pub action: String,
    /// Its clock.
    pub clock_id: String,
    /// Who set it.
    pub set_by: Option<String>,
    /// When.
    pub set_at: Timestamp,
    /// When done.
    pub done_at: Option<Timestamp>,
    /// Who did it.
    pub done_by: Option<String>,
    /// What was done.
    pub done_note: Option<String>,
}

type SampleTuple = (String, String, String, i64, String, Option<String>, i64);
type ReviewTuple = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
);
type RemedialTuple = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
);

const REVIEW_SELECT: &str =
    "SELECT q.id, q.sample_id, q.referral_id, q.bcu_id, b.code, q.stratum, q.grades, q.overall,
        q.notes, u.display_name, q.graded_at
     FROM quality_reviews q JOIN bcus b ON b.id = q.bcu_id LEFT JOIN users u ON u.id = q.graded_by";

const REMEDIAL_SELECT: &str = "SELECT a.id, a.review_id, a.referral_id, a.bcu_id, a.action, a.clock_id, s.display_name,
        a.set_at, a.done_at, d.display_name, a.done_note
     FROM remedial_actions a LEFT JOIN users s ON s.id = a.set_by LEFT JOIN users d ON d.id = a.done_by";

fn review(t: ReviewTuple) -> Result<ReviewRow, StoreError> {
    Ok(ReviewRow {
        id: t.0,
        sample_id: t.1,
        referral: crate::rows::parse_id(&t.2)?,
        bcu: crate::rows::parse_id(&t.3)?,
        bcu_code: t.4,
        stratum: t.5,
        grades: t.6,
        overall: t.7,
        notes: t.8,
        graded_by: t.9,
        graded_at: t.10.map(ts),
    })
}

fn remedial(t: RemedialTuple) -> Result<RemedialRow, StoreError> {
    Ok(RemedialRow {
        id: t.0,
        review_id: t.1,
        referral: crate::rows::parse_id(&t.2)?,
        bcu: crate::rows::parse_id(&t.3)?,
        action: t.4,
        clock_id: t.5,
        set_by: t.6,
        set_at: ts(t.7),
        done_at: t.8.map(ts),
        done_by: t.9,
        done_note: t.10,
    })
}

impl Store {
    /// Every routed referral of the force received by `until`: `(referral, BCU, closed by then, risk level)`.
    pub async fn quality_candidates(
        &self,
        force: ForceId,
        until: Timestamp,
    ) -> Result<Vec<(ReferralId, BcuId, bool, Option<String>)>, StoreError> {
        let rows: Vec<(String, String, bool, Option<String>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, bcu_id, (closed_at IS NOT NULL AND closed_at <= $2), risk_level FROM referrals
             WHERE force_id = $1 AND bcu_id IS NOT NULL AND received_at <= $2")
            .bind(force.to_string()).bind(ms(until)).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(r, b, closed, level)| {
                Ok((
                    crate::rows::parse_id(&r)?,
                    crate::rows::parse_id(&b)?,
                    closed,
                    level,
                ))
            })
            .collect()
    }

    /// Keep a sample drawn at `now` and its referrals (`(referral, BCU, stratum in words)`); returns its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_sample(
        &self,
        force: ForceId,
        seed: &str,
        as_at: &str,
        per_bcu: i64,
        areas: &str,
        drawn: &[(ReferralId, BcuId, String)],
        now: Timestamp,
        actor: &Actor,
    ) -> Result<String, StoreError> {
        let _guard = self.write_lock.lock().await;
        let id = uuid::Uuid::now_v7().to_string();
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("INSERT INTO quality_samples (id, force_id, seed, as_at, per_bcu, areas, drawn_by, drawn_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(&id).bind(force.to_string()).bind(seed).bind(as_at).bind(per_bcu).bind(areas)
                .bind(actor.user.map(|u| u.to_string())).bind(ms(now))
                .execute(&mut *tx).await?;
            for (referral, bcu, stratum) in drawn {
                sqlx::query("INSERT INTO quality_reviews (id, sample_id, referral_id, bcu_id, stratum) VALUES ($1, $2, $3, $4, $5)")
                    .bind(uuid::Uuid::now_v7().to_string()).bind(&id).bind(referral.to_string())
                    .bind(bcu.to_string()).bind(stratum).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(id)
    }

    /// The force's samples, newest first.
    pub async fn samples(&self, force: ForceId) -> Result<Vec<SampleRow>, StoreError> {
        let rows: Vec<SampleTuple> = on_pool!(self, p => sqlx::query_as(
            "SELECT s.id, s.seed, s.as_at, s.per_bcu, s.areas, u.display_name, s.drawn_at
             FROM quality_samples s LEFT JOIN users u ON u.id = s.drawn_by
             WHERE s.force_id = $1 ORDER BY s.drawn_at DESC, s.id DESC")
            .bind(force.to_string()).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, seed, as_at, per_bcu, areas, drawn_by, drawn_at)| SampleRow {
                    id,
                    seed,
                    as_at,
                    per_bcu,
                    areas,
                    drawn_by,
                    drawn_at: ts(drawn_at),
                },
            )
            .collect())
    }

    /// The reviews of a sample (of the force), by BCU.
    pub async fn sample_reviews(
        &self,
        force: ForceId,
        sample: &str,
    ) -> Result<Vec<ReviewRow>, StoreError> {
        let sql = format!(
            "{REVIEW_SELECT} JOIN quality_samples s ON s.id = q.sample_id
             WHERE s.force_id = $1 AND q.sample_id = $2 ORDER BY b.code, q.stratum, q.referral_id"
        );
        let rows: Vec<ReviewTuple> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).bind(sample).fetch_all(p).await)?;
        rows.into_iter().map(review).collect()
    }

    /// Every review of the force's samples (for the summary per BCU).
    pub async fn all_reviews(&self, force: ForceId) -> Result<Vec<ReviewRow>, StoreError> {
        let sql = format!(
            "{REVIEW_SELECT} JOIN quality_samples s ON s.id = q.sample_id WHERE s.force_id = $1 ORDER BY b.code"
        );
        let rows: Vec<ReviewTuple> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).fetch_all(p).await)?;
        rows.into_iter().map(review).collect()
    }

    /// The reviews of one referral across samples, oldest sample first.
    pub async fn quality_reviews_of(
        &self,
        referral: ReferralId,
    ) -> Result<Vec<ReviewRow>, StoreError> {
        let sql = format!(
            "{REVIEW_SELECT} JOIN quality_samples s ON s.id = q.sample_id WHERE q.referral_id = $1 ORDER BY s.drawn_at, q.id"
        );
        let rows: Vec<ReviewTuple> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(referral.to_string()).fetch_all(p).await)?;
        rows.into_iter().map(review).collect()
    }

    /// One review.
    pub async fn quality_review(&self, id: &str) -> Result<Option<ReviewRow>, StoreError> {
        let sql = format!("{REVIEW_SELECT} WHERE q.id = $1");
        let rows: Vec<ReviewTuple> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id).fetch_all(p).await)?;
        rows.into_iter().next().map(review).transpose()
    }

    /// Record a review's grades at `now` (once: `Conflict` when already graded).
    #[allow(clippy::too_many_arguments)]
    pub async fn grade_review(
        &self,
        force: ForceId,
        review: &ReviewRow,
        grades: &str,
        overall: &str,
        notes: Option<&str>,
        now: Timestamp,
        summary: String,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done = sqlx::query("UPDATE quality_reviews SET grades = $1, overall = $2, notes = $3, graded_by = $4, graded_at = $5
                                    WHERE id = $6 AND graded_at IS NULL")
                .bind(grades).bind(overall).bind(notes).bind(actor.user.map(|u| u.to_string())).bind(ms(now))
                .bind(&review.id).execute(&mut *tx).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::Conflict);
            }
            let _ = step_in_tx!(at: now, self, &mut *tx, force, review.referral, actor, "quality_review", summary,
                Processing::Alteration, "quality review graded".to_string());
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }

    /// Refer a reviewed referral back at `now` with remedial actions, each with its clock.
    #[allow(clippy::too_many_arguments)]
    pub async fn refer_back(
        &self,
        force: ForceId,
        review: &ReviewRow,
        actions: &[(String, Clock)],
        now: Timestamp,
        summary: String,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            for (text, clock) in actions {
                let clock_id = uuid::Uuid::now_v7().to_string();
                insert_clock!(tx, &clock_id, force, review.referral, clock);
                sqlx::query("INSERT INTO remedial_actions (id, force_id, review_id, referral_id, bcu_id, action, clock_id, set_by, set_at)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                    .bind(uuid::Uuid::now_v7().to_string()).bind(force.to_string()).bind(&review.id)
                    .bind(review.referral.to_string()).bind(review.bcu.to_string()).bind(text).bind(&clock_id)
                    .bind(actor.user.map(|u| u.to_string())).bind(ms(now)).execute(&mut *tx).await?;
            }
            let _ = step_in_tx!(at: now, self, &mut *tx, force, review.referral, actor, "quality_review", summary,
                Processing::Alteration, format!("referred back with {} remedial actions", actions.len()));
            crate::referrals::row::refresh_headline!(tx, review.referral);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }

    /// The remedial actions of a referral, oldest first.
    pub async fn remedial_of(&self, referral: ReferralId) -> Result<Vec<RemedialRow>, StoreError> {
        let sql = format!("{REMEDIAL_SELECT} WHERE a.referral_id = $1 ORDER BY a.set_at, a.id");
        let rows: Vec<RemedialTuple> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(referral.to_string()).fetch_all(p).await)?;
        rows.into_iter().map(remedial).collect()
    }

    /// Open remedial actions of a BCU (or of the whole force), oldest first.
    pub async fn remedial_open(
        &self,
        force: ForceId,
        bcu: Option<BcuId>,
    ) -> Result<Vec<RemedialRow>, StoreError> {
        let sql = format!(
            "{REMEDIAL_SELECT} WHERE a.force_id = $1 AND ($2 IS NULL OR a.bcu_id = $2) AND a.done_at IS NULL ORDER BY a.set_at, a.id LIMIT 500"
        );
        let rows: Vec<RemedialTuple> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).bind(bcu.map(|b| b.to_string())).fetch_all(p).await)?;
        rows.into_iter().map(remedial).collect()
    }

    /// Every remedial action of the force's reviews (for the summary).
    pub async fn remedial_all(&self, force: ForceId) -> Result<Vec<RemedialRow>, StoreError> {
        let sql = format!("{REMEDIAL_SELECT} WHERE a.force_id = $1 ORDER BY a.set_at, a.id");
        let rows: Vec<RemedialTuple> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).fetch_all(p).await)?;
        rows.into_iter().map(remedial).collect()
    }

    /// Complete a remedial action (its clock stopped by the caller); `Conflict` when already done.
    #[allow(clippy::too_many_arguments)]
    pub async fn complete_remedial(
        &self,
        force: ForceId,
        action: &RemedialRow,
        clock: &Clock,
        note: &str,
        at: Timestamp,
        summary: String,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done = sqlx::query("UPDATE remedial_actions SET done_at = $1, done_by = $2, done_note = $3 WHERE id = $4 AND done_at IS NULL")
                .bind(ms(at)).bind(actor.user.map(|u| u.to_string())).bind(note).bind(&action.id)
                .execute(&mut *tx).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::Conflict);
            }
            stop_in_tx!(tx, &action.clock_id, clock, "stopped");
            let _ = step_in_tx!(at: at, self, &mut *tx, force, action.referral, actor, "quality_review", summary,
                Processing::Alteration, "remedial action done".to_string());
            crate::referrals::row::refresh_headline!(tx, action.referral);
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }
}
