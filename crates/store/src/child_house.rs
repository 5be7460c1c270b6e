//! Child House referrals as kept: the referral, each Achieving Best Evidence interview, the medical examination
//! and the start of therapy; each change with its timeline step and access-log event in one transaction.

use crate::BeginWrite;
use crate::steps::step_in_tx;
use crate::{Actor, Store, StoreError, ms, on_pool, ts};
use domain::audit::Processing;
use domain::{ForceId, ReferralId};
use jiff::Timestamp;

/// A child's Child House referral, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildHouseRow {
    /// Its id.
    pub id: String,
    /// The child.
    pub person_id: String,
    /// When the child was referred.
    pub referred_at: Timestamp,
    /// Who referred them (display name).
    pub referred_by: Option<String>,
    /// Aged 18 to 25 with a learning disability.
    pub learning_disability: bool,
    /// The medical examination.
    pub medical_at: Option<Timestamp>,
    /// The start of therapy.
    pub therapy_started_at: Option<Timestamp>,
    /// Interviews, oldest first.
    pub interviews: Vec<InterviewRow>,
}

/// An Achieving Best Evidence interview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterviewRow {
    /// When.
    pub at: Timestamp,
    /// `child_house`, `video_suite`, `other`.
    pub place: String,
    /// Who interviewed.
    pub interviewer: String,
    /// Whether an intermediary was used.
    pub intermediary: bool,
    /// Whether it repeated an earlier interview.
    pub repeat: bool,
}

/// An interview being recorded.
#[derive(Clone, Debug)]
pub struct NewInterview<'a> {
    /// When.
    pub at: Timestamp,
    /// `child_house`, `video_suite`, `other`.
    pub place: &'a str,
    /// Who interviewed.
    pub interviewer: &'a str,
    /// Whether an intermediary was used.
    pub intermediary: bool,
    /// Whether it repeated an earlier interview.
    pub repeat: bool,
}

type ReferralTuple = (
    String,
    String,
    i64,
    Option<String>,
    bool,
    Option<i64>,
    Option<i64>,
);
type InterviewTuple = (String, i64, String, String, bool, bool);

impl Store {
    /// A referral's Child House referrals, with their interviews.
    pub async fn child_house_rows(
        &self,
        referral: ReferralId,
    ) -> Result<Vec<ChildHouseRow>, StoreError> {
        let rows: Vec<ReferralTuple> = on_pool!(self, p => sqlx::query_as(
            "SELECT c.id, c.person_id, c.referred_at, u.display_name, c.learning_disability, c.medical_at, c.therapy_started_at
             FROM child_house_referrals c LEFT JOIN users u ON u.id = c.referred_by
             WHERE c.referral_id = $1 ORDER BY c.referred_at, c.id")
            .bind(referral.to_string()).fetch_all(p).await)?;
        let interviews: Vec<InterviewTuple> = on_pool!(self, p => sqlx::query_as(
            "SELECT i.child_house_id, i.at, i.place, i.interviewer, i.intermediary, i.repeat_of_earlier
             FROM abe_interviews i JOIN child_house_referrals c ON c.id = i.child_house_id
             WHERE c.referral_id = $1 ORDER BY i.at, i.id")
            .bind(referral.to_string()).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    person_id,
                    referred_at,
                    referred_by,
                    learning_disability,
                    medical_at,
                    therapy,
                )| ChildHouseRow {
                    interviews: interviews
                        .iter()
                        .filter(|i| i.0 == id)
                        .map(
                            |(_, at, place, interviewer, intermediary, repeat)| InterviewRow {
                                at: ts(*at),
                                place: place.clone(),
                                interviewer: interviewer.clone(),
                                intermediary: *intermediary,
                                repeat: *repeat,
                            },
                        )
                        .collect(),
                    id,
                    person_id,
                    referred_at: ts(referred_at),
                    referred_by,
                    learning_disability,
                    medical_at: medical_at.map(ts),
                    therapy_started_at: therapy.map(ts),
                },
            )
            .collect())
    }

    /// Refer a child to the Child House (once per child); returns its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn refer_to_child_house(
        &self,
        force: ForceId,
        referral: ReferralId,
        person: &str,
        at: Timestamp,
        learning_disability: bool,
        summary: String,
        actor: &Actor,
    ) -> Result<String, StoreError> {
        let _guard = self.write_lock.lock().await;
        let id = uuid::Uuid::now_v7().to_string();
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done = sqlx::query(
                "INSERT INTO child_house_referrals (id, force_id, referral_id, person_id, referred_at, referred_by, learning_disability)
                 SELECT $1, $2, $3, $4, $5, $6, $7
                 WHERE NOT EXISTS (SELECT 1 FROM child_house_referrals WHERE person_id = $4)")
                .bind(&id).bind(force.to_string()).bind(referral.to_string()).bind(person).bind(ms(at))
                .bind(actor.user.map(|u| u.to_string())).bind(learning_disability)
                .execute(&mut *tx).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::Conflict);
            }
            let _ = step_in_tx!(at: at, self, &mut *tx, force, referral, actor, "child_house", summary,
                Processing::Alteration, "child house referral".to_string());
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })?;
        Ok(id)
    }

    /// Record an interview of a child referred to the Child House.
    pub async fn record_interview(
        &self,
        force: ForceId,
        referral: ReferralId,
        child_house: &str,
        interview: &NewInterview<'_>,
        summary: String,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        let now = Timestamp::now();
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(
                "INSERT INTO abe_interviews (id, child_house_id, at, place, interviewer, intermediary, repeat_of_earlier, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(uuid::Uuid::now_v7().to_string()).bind(child_house).bind(ms(interview.at)).bind(interview.place)
                .bind(interview.interviewer).bind(interview.intermediary).bind(interview.repeat)
                .bind(actor.user.map(|u| u.to_string())).bind(ms(now))
                .execute(&mut *tx).await?;
            let _ = step_in_tx!(at: interview.at, self, &mut *tx, force, referral, actor, "child_house", summary,
                Processing::Alteration, "achieving best evidence interview recorded".to_string());
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }

    /// Record the medical examination (`medical` true) or the start of therapy of a child, once.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_child_house_date(
        &self,
        force: ForceId,
        referral: ReferralId,
        child_house: &str,
        medical: bool,
        at: Timestamp,
        summary: String,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        let sql = if medical {
            "UPDATE child_house_referrals SET medical_at = $1 WHERE id = $2 AND medical_at IS NULL"
        } else {
            "UPDATE child_house_referrals SET therapy_started_at = $1 WHERE id = $2 AND therapy_started_at IS NULL"
        };
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done = sqlx::query(sql).bind(ms(at)).bind(child_house).execute(&mut *tx).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::Conflict);
            }
            let _ = step_in_tx!(at: at, self, &mut *tx, force, referral, actor, "child_house", summary,
                Processing::Alteration, format!("child house {} recorded", if medical { "medical" } else { "therapy" }));
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }
}
