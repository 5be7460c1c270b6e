//! Subject identification: the IP events and files a report carried, communications data requests built
//! from a stored IP event (never retyped), their answers, and recorded checks that corroborate an address.

use crate::BeginWrite;
use crate::steps::step_in_tx;
use crate::{Actor, Store, StoreError, ms, on_pool, ts};
use domain::audit::Processing;
use domain::{ForceId, ReferralId};
use jiff::Timestamp;
use serde::Serialize;

/// An IP capture event as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct IpEventRow {
    /// Its id.
    pub id: String,
    /// Order within the report.
    pub seq: i64,
    /// Canonical address.
    pub address: String,
    /// Address as received.
    pub address_raw: String,
    /// Port.
    pub port: Option<i64>,
    /// Event name (Login, Upload, …).
    pub event: Option<String>,
    /// UTC milliseconds.
    pub at: Option<i64>,
    /// The original UTC offset, in seconds.
    pub offset_seconds: Option<i64>,
    /// The time exactly as received.
    pub raw: Option<String>,
    /// Whether the platform flagged a possible proxy.
    pub possible_proxy: Option<bool>,
    /// Where in the report it came from: `reported_person`, `file`, or an internet incident
    /// (`peer_to_peer`); `None` for events imported before origins were recorded.
    pub origin: Option<String>,
}

impl IpEventRow {
    /// The instant, if the event had one.
    pub fn instant(&self) -> Option<Timestamp> {
        self.at.map(ts)
    }
}

/// A file the platform reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FileRow {
    /// Its id.
    pub id: String,
    /// Order within the report.
    pub seq: i64,
    /// The platform's file id.
    pub file_id: Option<String>,
    /// File name.
    pub file_name: Option<String>,
    /// Original file name.
    pub original_file_name: Option<String>,
    /// Where the platform found it.
    pub location: Option<String>,
    /// When it was uploaded (UTC milliseconds).
    pub uploaded_at: Option<i64>,
    /// Whether the platform viewed it.
    pub viewed_by_esp: Option<bool>,
    /// Whether the platform viewed its EXIF data.
    pub exif_viewed_by_esp: Option<bool>,
    /// Whether it was publicly available.
    pub publicly_available: Option<bool>,
    /// Reported or supplemental.
    pub relevance: Option<String>,
    /// JSON array of the platform's annotations.
    pub annotations: String,
    /// A1, A2, B1, B2.
    pub industry_classification: Option<String>,
    /// MD5, lower-case hex.
    pub md5: Option<String>,
    /// SHA-1, lower-case hex.
    pub sha1: Option<String>,
}

/// A communications data request and, once answered, its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CdRequest {
    /// Its id.
    pub id: String,
    /// The referral.
    pub referral_id: String,
    /// The IP event it was built from.
    pub ip_event_id: String,
    /// Address asked about.
    pub address: String,
    /// Port asked about.
    pub port: Option<i64>,
    /// The exact UTC instant sent (milliseconds).
    pub instant: i64,
    /// The provider asked.
    pub provider: String,
    /// Who asked (user id).
    pub requested_by: String,
    /// When.
    pub requested_at: i64,
    /// The subscriber named in the answer.
    pub subscriber: Option<String>,
    /// The address in the answer.
    pub subscriber_address: Option<String>,
    /// When answered.
    pub answered_at: Option<i64>,
}

/// A recorded check corroborating an address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CorroborationRow {
    /// The address (normalised).
    pub address: String,
    /// How it was checked.
    pub method: String,
    /// What was found.
    pub detail: String,
    /// When.
    pub recorded_at: i64,
}

impl Store {
    /// The referral's IP events, in report order.
    pub async fn ip_events(&self, referral: ReferralId) -> Result<Vec<IpEventRow>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, seq, address, address_raw, port, event, at, offset_seconds, raw, possible_proxy, origin
             FROM ip_events WHERE referral_id = $1 ORDER BY seq")
            .bind(referral.to_string()).fetch_all(p).await)?)
    }

    /// The referral's files, in report order.
    pub async fn files(&self, referral: ReferralId) -> Result<Vec<FileRow>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, seq, file_id, file_name, original_file_name, location, uploaded_at, viewed_by_esp,
                    exif_viewed_by_esp, publicly_available, relevance, annotations, industry_classification, md5, sha1
             FROM files WHERE referral_id = $1 ORDER BY seq")
            .bind(referral.to_string()).fetch_all(p).await)?)
    }

    /// Raise a communications data request from a stored IP event of the referral: the address, port and
    /// instant are copied from the event, never typed. Logged as a disclosure to the provider.
    pub async fn create_cd_request(
        &self,
        force: ForceId,
        referral: ReferralId,
        ip_event_id: &str,
        provider: &str,
        actor: &Actor,
    ) -> Result<CdRequest, StoreError> {
        let user = actor
            .user
            .ok_or_else(|| StoreError::Config("a request needs a signed-in user".into()))?;
        let events = self.ip_events(referral).await?;
        let ev = events
            .iter()
            .find(|e| e.id == ip_event_id)
            .ok_or(StoreError::NotFound)?;
        let at = ev.at.ok_or_else(|| {
            StoreError::Config(
                "this IP event has no time, so no provider could answer for it".into(),
            )
        })?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = ms(Timestamp::now());
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(
                "INSERT INTO cd_requests (id, force_id, referral_id, ip_event_id, address, port, instant, provider, requested_by, requested_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(&id).bind(force.to_string()).bind(referral.to_string()).bind(&ev.id).bind(&ev.address)
                .bind(ev.port).bind(at).bind(provider).bind(user.to_string()).bind(now)
                .execute(&mut *tx).await?;
            let port = ev.port.map(|p| format!(":{p}")).unwrap_or_default();
            let summary = format!("Communications data request to {provider} for {}{port} at {}", ev.address, ts(at));
            let _e = step_in_tx!(self, &mut *tx, force, referral, actor, "cd_request", summary,
                Processing::Disclosure, format!("communications data request {id} disclosed to {provider}"));
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })?;
        self.cd_request(&id).await?.ok_or(StoreError::NotFound)
    }

    /// One request.
    pub async fn cd_request(&self, id: &str) -> Result<Option<CdRequest>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, referral_id, ip_event_id, address, port, instant, provider, requested_by, requested_at,
                    subscriber, subscriber_address, answered_at FROM cd_requests WHERE id = $1")
            .bind(id).fetch_optional(p).await)?)
    }

    /// The referral's requests, oldest first.
    pub async fn cd_requests(&self, referral: ReferralId) -> Result<Vec<CdRequest>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT id, referral_id, ip_event_id, address, port, instant, provider, requested_by, requested_at,
                    subscriber, subscriber_address, answered_at FROM cd_requests WHERE referral_id = $1 ORDER BY requested_at, id")
            .bind(referral.to_string()).fetch_all(p).await)?)
    }

    /// Record the provider's answer to a request (once).
    pub async fn answer_cd_request(
        &self,
        force: ForceId,
        referral: ReferralId,
        request_id: &str,
        subscriber: &str,
        address: &str,
        actor: &Actor,
    ) -> Result<CdRequest, StoreError> {
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done = sqlx::query(
                "UPDATE cd_requests SET subscriber = $1, subscriber_address = $2, answered_by = $3, answered_at = $4
                 WHERE id = $5 AND referral_id = $6 AND answered_at IS NULL")
                .bind(subscriber).bind(address).bind(actor.user.map(|u| u.to_string())).bind(ms(Timestamp::now()))
                .bind(request_id).bind(referral.to_string())
                .execute(&mut *tx).await?.rows_affected();
            if done == 0 {
                return Err(StoreError::Conflict);
            }
            let summary = format!("Communications data answer recorded: subscriber at {address}");
            let _e = step_in_tx!(self, &mut *tx, force, referral, actor, "cd_answer", summary,
                Processing::Collection, format!("answer to communications data request {request_id} recorded"));
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })?;
        self.cd_request(request_id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Record a check (other than a second IP event) that corroborates an address.
    pub async fn record_corroboration(
        &self,
        force: ForceId,
        referral: ReferralId,
        address: &str,
        method: &str,
        detail: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let user = actor
            .user
            .ok_or_else(|| StoreError::Config("a check needs a signed-in user".into()))?;
        let _guard = self.write_lock.lock().await;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(
                "INSERT INTO corroborations (id, referral_id, address, method, detail, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(uuid::Uuid::now_v7().to_string()).bind(referral.to_string())
                .bind(domain::identification::normalise_address(address)).bind(method).bind(detail)
                .bind(user.to_string()).bind(ms(Timestamp::now()))
                .execute(&mut *tx).await?;
            let summary = format!("Address check recorded ({method}): {address}");
            let _e = step_in_tx!(self, &mut *tx, force, referral, actor, "corroboration", summary,
                Processing::Collection, format!("address corroboration recorded: {method}"));
            tx.commit().await?;
            self.advance_anchor().await;
            Ok::<_, StoreError>(())
        })
    }

    /// The referral's recorded checks.
    pub async fn corroborations(
        &self,
        referral: ReferralId,
    ) -> Result<Vec<CorroborationRow>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT address, method, detail, recorded_at FROM corroborations WHERE referral_id = $1 ORDER BY recorded_at")
            .bind(referral.to_string()).fetch_all(p).await)?)
    }

    /// How `address` stands for this referral: answered requests and recorded checks.
    pub async fn corroboration_of(
        &self,
        referral: ReferralId,
        address: &str,
    ) -> Result<domain::identification::Corroboration, StoreError> {
        let proxied: std::collections::HashSet<String> = self
            .ip_events(referral)
            .await?
            .into_iter()
            .filter(|e| e.possible_proxy == Some(true))
            .map(|e| e.id)
            .collect();
        let resolutions: Vec<domain::identification::Resolution> = self
            .cd_requests(referral)
            .await?
            .into_iter()
            .filter_map(|r| {
                r.subscriber_address
                    .map(|a| domain::identification::Resolution {
                        possible_proxy: proxied.contains(&r.ip_event_id),
                        ip_event: r.ip_event_id,
                        address: a,
                    })
            })
            .collect();
        let checks: Vec<(String, String)> = self
            .corroborations(referral)
            .await?
            .into_iter()
            .map(|c| (c.address, c.method))
            .collect();
        Ok(domain::identification::corroboration(
            address,
            &resolutions,
            &checks,
        ))
    }
}

impl Store {
    /// What the referral's report says beyond the fields Safeguard works with (empty for a referral
    /// created by hand or imported before these details were kept).
    pub async fn report_details(
        &self,
        referral: ReferralId,
    ) -> Result<domain::report_details::ReportDetails, StoreError> {
        let text: Option<String> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT details FROM report_details WHERE referral_id = $1")
            .bind(referral.to_string()).fetch_optional(p).await)?;
        match text {
            None => Ok(Default::default()),
            Some(t) => serde_json::from_str(&t)
                .map_err(|e| StoreError::Corrupt(format!("report details: {e}"))),
        }
    }

    /// The people of a referral: `(role, details JSON)` with role `reported`, `victim` or `recipient`.
    pub async fn people(&self, referral: ReferralId) -> Result<Vec<(String, String)>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT role, details FROM people WHERE referral_id = $1 ORDER BY role, id")
            .bind(referral.to_string()).fetch_all(p).await)?)
    }
}

/// A report or package exactly as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Original {
    /// `application/xml` or `application/json`.
    pub content_type: String,
    /// SHA-256, lower-case hex.
    pub sha256: String,
    /// File name to offer.
    pub file_name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl Store {
    /// The report behind a referral, exactly as received.
    pub async fn report_original(
        &self,
        referral: ReferralId,
    ) -> Result<Option<Original>, StoreError> {
        let row: Option<(String, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT format, sha256, content FROM report_originals WHERE referral_id = $1")
            .bind(referral.to_string()).fetch_optional(p).await)?;
        Ok(row.map(|(format, sha256, content)| Original {
            content_type: if format == "xml" {
                "application/xml".into()
            } else {
                "application/json".into()
            },
            file_name: format!("report-{referral}.{format}"),
            sha256,
            bytes: content.into_bytes(),
        }))
    }

    /// The whole package a referral arrived in, exactly as received.
    pub async fn package_original(
        &self,
        referral: ReferralId,
    ) -> Result<Option<Original>, StoreError> {
        let row: Option<(String, String, String, Option<String>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT k.id, k.content_type, k.sha256, k.file_name FROM referrals r JOIN packages k ON k.id = r.package_id WHERE r.id = $1")
            .bind(referral.to_string()).fetch_optional(p).await)?;
        let Some((id, content_type, sha256, file_name)) = row else {
            return Ok(None);
        };
        let chunks: Vec<Vec<u8>> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT bytes FROM package_chunks WHERE package_id = $1 ORDER BY seq")
            .bind(&id).fetch_all(p).await)?;
        let ext = if content_type.contains("xml") {
            "xml"
        } else {
            "json"
        };
        Ok(Some(Original {
            file_name: file_name.unwrap_or_else(|| format!("package-{id}.{ext}")),
            content_type,
            sha256,
            bytes: chunks.concat(),
        }))
    }
}
