//! The access log: the data protection officer's reading of it (itself logged), and the operator's check
//! of its hash chain against the signed checkpoint.

use crate::access;
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::{AccessOutcome, Processing};
use store::AuditQuery;

pub use store::{AnchorState, AuditEvent, ChainBreak, VerifyReport};

/// Filters of the log as typed (the page's form, the API's query): all optional.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct AuditFilter {
    /// `allowed` or `denied`.
    pub outcome: Option<String>,
    /// A user name.
    pub user: Option<String>,
    /// A record id.
    pub record: Option<String>,
    /// RFC 3339: at or after.
    pub from: Option<String>,
    /// RFC 3339: before.
    pub to: Option<String>,
    /// Events before this sequence number (paging).
    pub before: Option<i64>,
    /// Page size (default 100, at most 1000).
    pub limit: Option<i64>,
}

impl AuditFilter {
    /// To the store's query for a force; a time that is not RFC 3339 is refused naming its field.
    fn to_query(&self, force: domain::ForceId) -> Result<AuditQuery, Error> {
        let time = |s: &Option<String>, name: &str| -> Result<Option<jiff::Timestamp>, Error> {
            s.as_deref()
                .filter(|v| !v.is_empty())
                .map(|v| {
                    v.parse().map_err(|_| {
                        Error::invalid_at(
                            "request.invalid",
                            format!("`{name}` must be an RFC 3339 time, e.g. 2026-01-31T00:00:00Z"),
                            name,
                        )
                    })
                })
                .transpose()
        };
        let nonempty = |s: &Option<String>| s.clone().filter(|v| !v.trim().is_empty());
        Ok(AuditQuery {
            force: Some(force),
            outcome: nonempty(&self.outcome)
                .map(|o| o.parse::<AccessOutcome>())
                .transpose()
                .map_err(|e| Error::invalid_at("request.invalid", e, "outcome"))?,
            username: nonempty(&self.user),
            record_id: nonempty(&self.record),
            from: time(&self.from, "from")?,
            to: time(&self.to, "to")?,
            before_seq: self.before,
            limit: self.limit.unwrap_or(100).clamp(1, 1000),
        })
    }
}

/// One page of the log, newest first, and where the next page starts.
#[derive(Debug)]
pub struct LogPage {
    /// The events.
    pub items: Vec<AuditEvent>,
    /// `before` for the next page, when the page was full.
    pub next_before: Option<i64>,
}

/// Events of the actor's force, newest first (the data protection officer). Reading the log is logged.
pub async fn list(app: &App, actor: &Actor, f: &AuditFilter) -> Result<LogPage, Error> {
    access::require(
        app,
        actor,
        Action::ReadAuditLog,
        Processing::Consultation,
        "read access log",
    )
    .await?;
    let q = f.to_query(actor.user.force)?;
    let items = app.store().list_audit(&q).await?;
    access::log(
        app,
        actor,
        Processing::Consultation,
        "access_log",
        "-",
        AccessOutcome::Allowed,
        format!("listed {} events", items.len()),
    )
    .await?;
    let next_before = if items.len() as i64 == q.limit {
        items.last().map(|e| e.seq)
    } else {
        None
    };
    Ok(LogPage { items, next_before })
}

/// Walk the whole chain and check it against the signed checkpoint (the operator's command).
pub async fn verify(app: &App) -> Result<VerifyReport, Error> {
    Ok(app.store().verify_audit().await?)
}
