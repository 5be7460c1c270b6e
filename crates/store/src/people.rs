//! The people of a referral as kept: those the report named and those recorded by hand, each with their
//! category, and every change by hand attributed (a `person_changes` row, a timeline step and an access-log
//! event, in one transaction). Re-categorising a person moves their identifiers to the new category with them,
//! so a reported child re-categorised as a victim no longer links referrals.

use crate::steps::step_in_tx;
use crate::{Actor, Store, StoreError, ms, on_pool, ts};
use domain::audit::Processing;
use domain::identifiers::PartyRole;
use domain::{ForceId, ReferralId};
use jiff::Timestamp;

/// Keep a change to a person in an open transaction.
macro_rules! record_change {
    ($tx:expr, $referral:expr, $person:expr, $at:expr, $user:expr, $change:expr) => {
        sqlx::query(
            "INSERT INTO person_changes (id, referral_id, person_id, at, by_user, change, summary)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind($referral.to_string())
        .bind($person)
        .bind(ms($at))
        .bind($user)
        .bind($change.change)
        .bind(&$change.summary)
        .execute(&mut *$tx)
        .await?
    };
}

/// A person of a referral, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRow {
    /// Its id.
    pub id: String,
    /// Its category (`reported`, `victim`, `recipient`, `witness`, `child_with_access`).
    pub role: String,
    /// What is known, as a JSON party (names, age, date of birth, school, identifiers …).
    pub details: String,
    /// How a child with access has it (`lives_with` …).
    pub access: Option<String>,
    /// Who recorded the person by hand (display name); none when the report named them.
    pub added_by: Option<String>,
    /// When.
    pub added_at: Option<Timestamp>,
    /// Who last corrected or re-categorised them (display name).
    pub changed_by: Option<String>,
    /// When.
    pub changed_at: Option<Timestamp>,
}

type PersonTuple = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

/// A change to a person, as the caller made it.
#[derive(Clone, Debug)]
pub struct PersonChange<'a> {
    /// The new category.
    pub role: PartyRole,
    /// The new details (JSON party).
    pub details: &'a str,
    /// How a child with access has it.
    pub access: Option<&'a str>,
    /// `added`, `corrected` or `recategorised`.
    pub change: &'static str,
    /// What changed, in words, for the timeline.
    pub summary: String,
}

impl Store {
    /// The people of a referral: the report's in the order it named them, then those recorded by hand.
    pub async fn person_rows(&self, referral: ReferralId) -> Result<Vec<PersonRow>, StoreError> {
        let rows: Vec<PersonTuple> = on_pool!(self, p => sqlx::query_as(
            "SELECT p.id, p.role, p.details, p.access, a.display_name, p.added_at, c.display_name, p.changed_at
             FROM people p LEFT JOIN users a ON a.id = p.added_by LEFT JOIN users c ON c.id = p.changed_by
             WHERE p.referral_id = $1 ORDER BY COALESCE(p.added_at, 0), p.id")
            .bind(referral.to_string()).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, role, details, access, added_by, added_at, changed_by, changed_at)| {
                    PersonRow {
                        id,
                        role,
                        details,
                        access,
                        added_by,
                        added_at: added_at.map(ts),
                        changed_by,
                        changed_at: changed_at.map(ts),
                    }
                },
            )
            .collect())
    }

    /// Record a person by hand; returns its id.
    pub async fn add_person(
        &self,
        force: ForceId,
        referral: ReferralId,
        person: &PersonChange<'_>,
        actor: &Actor,
    ) -> Result<String, StoreError> {
        let _guard = self.write_lock.lock().await;
        let id = uuid::Uuid::now_v7().to_string();
        let now = Timestamp::now();
        let user = actor.user.map(|u| u.to_string());
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO people (id, referral_id, role, details, access, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&id).bind(referral.to_string()).bind(person.role.as_str()).bind(person.details)
                .bind(person.access).bind(&user).bind(ms(now))
                .execute(&mut *tx).await?;
            record_change!(tx, referral, &id, now, &user, person);
            let _ = step_in_tx!(self, &mut *tx, force, referral, actor, "person", person.summary.clone(),
                Processing::Alteration, format!("person {} ({})", person.change, person.role.as_str()));
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })?;
        Ok(id)
    }

    /// Correct or re-categorise a person: their details, category and access change together, and their
    /// identifiers take the new category (so a person no longer reported no longer links referrals).
    pub async fn change_person(
        &self,
        force: ForceId,
        referral: ReferralId,
        person_id: &str,
        person: &PersonChange<'_>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        let now = Timestamp::now();
        let user = actor.user.map(|u| u.to_string());
        on_pool!(self, p => {
            let mut tx = p.begin().await?;
            let done = sqlx::query(
                "UPDATE people SET role = $1, details = $2, access = $3, changed_by = $4, changed_at = $5
                 WHERE id = $6 AND referral_id = $7")
                .bind(person.role.as_str()).bind(person.details).bind(person.access).bind(&user).bind(ms(now))
                .bind(person_id).bind(referral.to_string())
                .execute(&mut *tx).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("UPDATE identifiers SET role = $1 WHERE person_id = $2 AND referral_id = $3")
                .bind(person.role.as_str()).bind(person_id).bind(referral.to_string())
                .execute(&mut *tx).await?;
            record_change!(tx, referral, person_id, now, &user, person);
            let _ = step_in_tx!(self, &mut *tx, force, referral, actor, "person", person.summary.clone(),
                Processing::Alteration, format!("person {} ({})", person.change, person.role.as_str()));
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }
}
