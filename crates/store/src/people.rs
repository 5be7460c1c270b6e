//! The people of a referral as kept: those the report named and those recorded by hand, each with their
//! category, and every change by hand attributed (a `person_changes` row, a timeline step and an access-log
//! event, in one transaction). Re-categorising a person moves their identifiers to the new category with them,
//! so a reported child re-categorised as a victim no longer links referrals.

use crate::BeginWrite;
use crate::clocks::{insert_clock, stop_in_tx};
use crate::referrals::row::refresh_headline;
use crate::steps::step_in_tx;
use crate::{Actor, Store, StoreError, ms, on_pool, ts};
use domain::audit::Processing;
use domain::clocks::Clock;
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
    /// Safeguarding referrals the person now needs (`social_care`, `lado`), each with its clock.
    pub safeguarding: Vec<(&'static str, Clock)>,
    /// When the change was made (now, or when it happened for a history written afterwards).
    pub at: Timestamp,
}

/// Start each safeguarding referral a person needs, with its clock, in an open transaction.
macro_rules! start_safeguarding {
    ($tx:expr, $force:expr, $referral:expr, $person:expr, $list:expr) => {
        for (kind, clock) in $list {
            let clock_id = uuid::Uuid::now_v7().to_string();
            insert_clock!($tx, &clock_id, $force, $referral, clock);
            sqlx::query(
                "INSERT INTO safeguarding_referrals (id, force_id, referral_id, person_id, kind, clock_id)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind($force.to_string())
            .bind($referral.to_string())
            .bind($person)
            .bind(*kind)
            .bind(&clock_id)
            .execute(&mut *$tx)
            .await?;
        }
    };
}

/// A safeguarding referral a child needs, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafeguardingRow {
    /// Its id.
    pub id: String,
    /// The child.
    pub person_id: String,
    /// `social_care` or `lado`.
    pub kind: String,
    /// Its clock.
    pub clock_id: Option<String>,
    /// The local authority's code, once made.
    pub authority: Option<String>,
    /// When it was made.
    pub made_at: Option<Timestamp>,
    /// Who made it (display name).
    pub made_by: Option<String>,
    /// The authority's reference.
    pub authority_reference: Option<String>,
    /// The strategy discussion's date (`YYYY-MM-DD`).
    pub strategy_discussion_on: Option<String>,
    /// Why none was needed.
    pub not_needed_reason: Option<String>,
}

/// A safeguarding referral as recorded: made (with the authority …) or not needed with a reason.
#[derive(Clone, Debug)]
pub struct SafeguardingRecord<'a> {
    /// The authority's code (none when not needed).
    pub authority: Option<&'a str>,
    /// When it was made.
    pub made_at: Option<Timestamp>,
    /// The authority's reference.
    pub authority_reference: Option<&'a str>,
    /// The strategy discussion's date.
    pub strategy_discussion_on: Option<&'a str>,
    /// Why none was needed.
    pub not_needed_reason: Option<&'a str>,
    /// Its clock, stopped by the caller (none when cancelled because not needed).
    pub clock: Option<&'a Clock>,
    /// For the timeline.
    pub summary: String,
    /// When it was recorded.
    pub at: Timestamp,
}

impl<'a> SafeguardingRecord<'a> {
    /// Not needed, for `reason`, decided at `at`: its clock is cancelled. `label` names the referral's kind
    /// (`Children's social care referral`).
    pub fn not_needed(label: &str, reason: &'a str, at: Timestamp) -> Self {
        SafeguardingRecord {
            authority: None,
            made_at: None,
            authority_reference: None,
            strategy_discussion_on: None,
            not_needed_reason: Some(reason),
            clock: None,
            summary: format!("{label} not needed: {reason}"),
            at,
        }
    }
}

type SafeguardingTuple = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

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
        let now = person.at;
        let user = actor.user.map(|u| u.to_string());
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(
                "INSERT INTO people (id, referral_id, role, details, access, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(&id).bind(referral.to_string()).bind(person.role.as_str()).bind(person.details)
                .bind(person.access).bind(&user).bind(ms(now))
                .execute(&mut *tx).await?;
            record_change!(tx, referral, &id, now, &user, person);
            start_safeguarding!(tx, force, referral, &id, &person.safeguarding);
            refresh_headline!(tx, referral);
            let _ = step_in_tx!(at: now, self, &mut *tx, force, referral, actor, "person", person.summary.clone(),
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
        let now = person.at;
        let user = actor.user.map(|u| u.to_string());
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let was: Option<String> = sqlx::query_scalar("SELECT role FROM people WHERE id = $1 AND referral_id = $2")
                .bind(person_id).bind(referral.to_string()).fetch_optional(&mut *tx).await?;
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
            // No longer anyone's reported identifiers: a subject the referral shares with others through them no
            // longer holds it. It gets a subject of its own, and its links are recorded as rejected, with why.
            let mut summary = person.summary.clone();
            let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM identifiers WHERE referral_id = $1 AND role = 'reported'")
                .bind(referral.to_string()).fetch_one(&mut *tx).await?;
            if was.as_deref() == Some("reported") && person.role != PartyRole::Reported && left == 0 {
                let subject: Option<String> = sqlx::query_scalar("SELECT subject_id FROM referrals WHERE id = $1")
                    .bind(referral.to_string()).fetch_one(&mut *tx).await?;
                if let Some(subject) = subject {
                    let others: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM referrals WHERE subject_id = $1 AND id <> $2")
                        .bind(&subject).bind(referral.to_string()).fetch_one(&mut *tx).await?;
                    if others > 0 {
                        let own = uuid::Uuid::now_v7().to_string();
                        sqlx::query("INSERT INTO subjects (id, force_id, created_at) VALUES ($1, $2, $3)")
                            .bind(&own).bind(force.to_string()).bind(ms(now)).execute(&mut *tx).await?;
                        sqlx::query("UPDATE referrals SET subject_id = $1 WHERE id = $2")
                            .bind(&own).bind(referral.to_string()).execute(&mut *tx).await?;
                        sqlx::query(
                            "UPDATE subject_links SET status = 'rejected', decided_by = $1, decided_at = $2, reason = $3
                             WHERE referral_id = $4 AND status IN ('linked', 'confirmed', 'suggested')")
                            .bind(&user).bind(ms(now))
                            .bind("the person the link rested on was re-categorised: no longer the reported person")
                            .bind(referral.to_string()).execute(&mut *tx).await?;
                        summary.push_str("; the referral left the subject it shared through them");
                    }
                }
            }
            let person = &PersonChange { summary, ..person.clone() };
            record_change!(tx, referral, person_id, now, &user, person);
            start_safeguarding!(tx, force, referral, person_id, &person.safeguarding);
            refresh_headline!(tx, referral);
            let _ = step_in_tx!(at: now, self, &mut *tx, force, referral, actor, "person", person.summary.clone(),
                Processing::Alteration, format!("person {} ({})", person.change, person.role.as_str()));
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }

    /// A referral's safeguarding referrals (for its children with access), oldest first.
    pub async fn safeguarding_rows(
        &self,
        referral: ReferralId,
    ) -> Result<Vec<SafeguardingRow>, StoreError> {
        let rows: Vec<SafeguardingTuple> = on_pool!(self, p => sqlx::query_as(
            "SELECT s.id, s.person_id, s.kind, s.clock_id, s.authority, s.made_at, u.display_name,
                    s.authority_reference, s.strategy_discussion_on, s.not_needed_reason
             FROM safeguarding_referrals s LEFT JOIN users u ON u.id = s.made_by
             WHERE s.referral_id = $1 ORDER BY s.id")
            .bind(referral.to_string()).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    id,
                    person_id,
                    kind,
                    clock_id,
                    authority,
                    made_at,
                    made_by,
                    authority_reference,
                    strategy_discussion_on,
                    not_needed_reason,
                )| SafeguardingRow {
                    id,
                    person_id,
                    kind,
                    clock_id,
                    authority,
                    made_at: made_at.map(ts),
                    made_by,
                    authority_reference,
                    strategy_discussion_on,
                    not_needed_reason,
                },
            )
            .collect())
    }

    /// Record a safeguarding referral made (its clock stopped by the caller) or not needed (its clock
    /// cancelled: it counts in no figure); one timeline step and one access-log event.
    pub async fn record_safeguarding(
        &self,
        force: ForceId,
        referral: ReferralId,
        row: &SafeguardingRow,
        record: &SafeguardingRecord<'_>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().await;
        let now = record.at;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done = sqlx::query(
                "UPDATE safeguarding_referrals SET authority = $1, made_at = $2, made_by = $3, authority_reference = $4,
                    strategy_discussion_on = $5, not_needed_reason = $6, recorded_at = $7
                 WHERE id = $8 AND recorded_at IS NULL")
                .bind(record.authority).bind(record.made_at.map(ms))
                .bind(record.made_at.and(actor.user.map(|u| u.to_string())))
                .bind(record.authority_reference).bind(record.strategy_discussion_on).bind(record.not_needed_reason)
                .bind(ms(now)).bind(&row.id)
                .execute(&mut *tx).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::Conflict);
            }
            if let Some(clock_id) = &row.clock_id {
                match record.clock {
                    Some(c) => {
                        stop_in_tx!(tx, clock_id, c, "stopped");
                    }
                    None => {
                        sqlx::query("UPDATE clocks SET stopped_at = $1, ended = 'cancelled' WHERE id = $2 AND ended IS NULL")
                            .bind(ms(now)).bind(clock_id).execute(&mut *tx).await?;
                    }
                }
            }
            refresh_headline!(tx, referral);
            let _ = step_in_tx!(at: now, self, &mut *tx, force, referral, actor, "safeguarding", record.summary.clone(),
                Processing::Alteration, format!("{} referral recorded", row.kind));
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }
}
