//! Reference data: forces, their BCUs and the boroughs each BCU covers (with effective dates, because BCUs
//! are reorganised).

use crate::BeginWrite;
use crate::{Store, StoreError, ms, on_pool};
use domain::{Bcu, BcuId, ForceId};
use jiff::Timestamp;

#[derive(sqlx::FromRow)]
struct BcuRow {
    id: String,
    force_id: String,
    code: String,
    name: String,
}

impl TryFrom<BcuRow> for Bcu {
    type Error = StoreError;
    fn try_from(r: BcuRow) -> Result<Self, StoreError> {
        Ok(Bcu {
            id: crate::rows::parse_id(&r.id)?,
            force: crate::rows::parse_id(&r.force_id)?,
            code: r.code,
            name: r.name,
        })
    }
}

impl Store {
    /// Create a force; its code is unique in the deployment.
    pub async fn create_force(&self, code: &str, name: &str) -> Result<ForceId, StoreError> {
        let id = ForceId::new();
        on_pool!(self, p => sqlx::query("INSERT INTO forces (id, code, name) VALUES ($1, $2, $3)")
            .bind(id.to_string()).bind(code).bind(name).execute(p).await.map(|_| ()))
        .map_err(|e| StoreError::unique_as(e, &format!("force '{code}'")))?;
        Ok(id)
    }

    /// A force by its code.
    pub async fn force_by_code(&self, code: &str) -> Result<Option<ForceId>, StoreError> {
        let id: Option<String> = on_pool!(self, p => sqlx::query_scalar("SELECT id FROM forces WHERE code = $1")
            .bind(code).fetch_optional(p).await)?;
        id.map(|s| crate::rows::parse_id(&s)).transpose()
    }

    /// Create a BCU with the boroughs it covers from `valid_from`; its code is unique within the force.
    pub async fn create_bcu(
        &self,
        force: ForceId,
        code: &str,
        name: &str,
        boroughs: &[&str],
        valid_from: Timestamp,
    ) -> Result<BcuId, StoreError> {
        let id = BcuId::new();
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query("INSERT INTO bcus (id, force_id, code, name) VALUES ($1, $2, $3, $4)")
                .bind(id.to_string()).bind(force.to_string()).bind(code).bind(name)
                .execute(&mut *tx).await
                .map_err(|e| StoreError::unique_as(e, &format!("BCU '{code}'")))?;
            for b in boroughs {
                // A borough another BCU covers moves to this one from `valid_from`: the earlier mapping ends
                // then, so that exactly one BCU covers it at any time. Taking it over from a date on or before
                // the current mapping's start would rewrite history, and is refused.
                let current: Option<(String, i64)> = sqlx::query_as(
                    "SELECT c.code, m.valid_from FROM boroughs m JOIN bcus c ON c.id = m.bcu_id
                     WHERE m.force_id = $1 AND m.name_key = $2 AND m.valid_to IS NULL")
                    .bind(force.to_string()).bind(b.to_lowercase()).fetch_optional(&mut *tx).await?;
                if let Some((other, since)) = current {
                    if since >= ms(valid_from) {
                        return Err(StoreError::Config(format!(
                            "borough '{b}' is covered by BCU '{other}' from {}: a new BCU can take it over only from a later date (give --valid-from)",
                            crate::ts(since)
                        )));
                    }
                    sqlx::query("UPDATE boroughs SET valid_to = $1 WHERE force_id = $2 AND name_key = $3 AND valid_to IS NULL")
                        .bind(ms(valid_from)).bind(force.to_string()).bind(b.to_lowercase())
                        .execute(&mut *tx).await?;
                }
                sqlx::query("INSERT INTO boroughs (force_id, name, name_key, bcu_id, valid_from) VALUES ($1, $2, $3, $4, $5)")
                    .bind(force.to_string()).bind(*b).bind(b.to_lowercase()).bind(id.to_string()).bind(ms(valid_from))
                    .execute(&mut *tx).await
                    .map_err(|e| StoreError::unique_as(e, &format!("borough '{b}'")))?;
            }
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(id)
    }

    /// The force's BCUs, by name.
    pub async fn list_bcus(&self, force: ForceId) -> Result<Vec<Bcu>, StoreError> {
        let rows: Vec<BcuRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, force_id, code, name FROM bcus WHERE force_id = $1 ORDER BY name")
            .bind(force.to_string()).fetch_all(p).await)?;
        rows.into_iter().map(Bcu::try_from).collect()
    }

    /// One BCU by its code within a force.
    pub async fn bcu_by_code(&self, force: ForceId, code: &str) -> Result<Option<Bcu>, StoreError> {
        let row: Option<BcuRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, force_id, code, name FROM bcus WHERE force_id = $1 AND code = $2")
            .bind(force.to_string()).bind(code).fetch_optional(p).await)?;
        row.map(Bcu::try_from).transpose()
    }

    /// The BCU covering a borough (any case) at `at`, with the borough's canonical spelling.
    pub async fn bcu_for_borough(
        &self,
        force: ForceId,
        borough: &str,
        at: Timestamp,
    ) -> Result<Option<(BcuId, String)>, StoreError> {
        let row: Option<(String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT bcu_id, name FROM boroughs
             WHERE force_id = $1 AND name_key = $2 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3)")
            .bind(force.to_string()).bind(borough.trim().to_lowercase()).bind(ms(at))
            .fetch_optional(p).await)?;
        row.map(|(id, name)| Ok((crate::rows::parse_id(&id)?, name)))
            .transpose()
    }

    /// The force's BCUs, each with the boroughs it covers now (both sorted by name).
    pub async fn bcus_with_boroughs(
        &self,
        force: ForceId,
    ) -> Result<Vec<(Bcu, Vec<String>)>, StoreError> {
        let bcus = self.list_bcus(force).await?;
        let rows: Vec<(String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT bcu_id, name FROM boroughs WHERE force_id = $1 AND valid_to IS NULL ORDER BY name")
            .bind(force.to_string()).fetch_all(p).await)?;
        Ok(bcus
            .into_iter()
            .map(|b| {
                let id = b.id.to_string();
                let names = rows
                    .iter()
                    .filter(|(bcu, _)| *bcu == id)
                    .map(|(_, n)| n.clone())
                    .collect();
                (b, names)
            })
            .collect())
    }

    /// Borough names of the force currently in use, sorted.
    pub async fn list_boroughs(&self, force: ForceId) -> Result<Vec<String>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT name FROM boroughs WHERE force_id = $1 AND valid_to IS NULL ORDER BY name")
            .bind(force.to_string()).fetch_all(p).await)?)
    }
}

impl Store {
    /// The force, when the database holds exactly one.
    pub async fn only_force(&self) -> Result<Option<ForceId>, StoreError> {
        let ids: Vec<String> = on_pool!(self, p => sqlx::query_scalar("SELECT id FROM forces LIMIT 2").fetch_all(p).await)?;
        match ids.as_slice() {
            [one] => Ok(Some(crate::rows::parse_id(one)?)),
            _ => Ok(None),
        }
    }
}

impl Store {
    /// How many referrals of the same subject were received before this one.
    pub async fn earlier_referrals_of_subject(
        &self,
        referral: &domain::Referral,
    ) -> Result<i64, StoreError> {
        let Some(subject) = &referral.subject_id else {
            return Ok(0);
        };
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM referrals WHERE subject_id = $1 AND id <> $2 AND received_at < $3")
            .bind(subject).bind(referral.id.to_string()).bind(ms(referral.received_at)).fetch_one(p).await)?)
    }
}
