//! Exporting the queue: every referral the filters match (not just one page), soonest due first, refused
//! above the export limit, and recorded as one disclosure naming the filters, the recipient and the purpose.

use super::read::{QueueRequest, StatusFilter, queue_filter};
use crate::export::{self, Disclosure};
use crate::{Actor, App, Error};
use domain::Referral;

/// The referrals of the caller's queue that `req` matches (its cursor, page size and the outcome-decision
/// split aside), for an export to `d`'s recipient.
pub async fn export_queue(
    app: &App,
    actor: &Actor,
    req: QueueRequest,
    d: &Disclosure,
) -> Result<Vec<Referral>, Error> {
    let actor = &export::justified(actor, d);
    let status = req.status;
    let what = describe(&req);
    let req = QueueRequest {
        cursor: None,
        limit: 500,
        except_outcome_proposed: false,
        ..req
    };
    let (mut filter, _) = queue_filter(app, actor, req, "export referrals").await?;
    let total: i64 = app
        .store()
        .count_by_status(&filter)
        .await?
        .into_iter()
        .filter(|(s, _)| match status {
            StatusFilter::All => true,
            StatusFilter::Open => s.is_open(),
            StatusFilter::Only(x) => *s == x,
        })
        .map(|(_, n)| n)
        .sum();
    export::check_size(app, usize::try_from(total).unwrap_or(usize::MAX))?;
    // Held to the limit even if referrals arrive between the count and the last page.
    let max = app.config().export_max_rows;
    let mut rows = vec![];
    loop {
        let page = app.store().list_referrals(&filter).await?;
        rows.extend(page.items);
        match page.next_cursor {
            Some(c) if rows.len() < max => filter.cursor = Some(c),
            _ => break,
        }
    }
    rows.truncate(max);
    export::record(app, actor, &what, rows.len(), d).await?;
    Ok(rows)
}

/// The list exported, in words, for the access log: `the referral queue (open, risk level high, search "x")`.
fn describe(req: &QueueRequest) -> String {
    let mut parts = vec![match req.status {
        StatusFilter::All => "all statuses".to_string(),
        StatusFilter::Open => "open".to_string(),
        StatusFilter::Only(s) => format!("status {}", s.as_str()),
    }];
    if let Some(l) = req.risk_level {
        parts.push(format!("risk level {}", l.as_str()));
    }
    if let Some(o) = req.officer.as_deref().filter(|o| !o.trim().is_empty()) {
        parts.push(format!("officer {}", o.trim()));
    }
    for (on, name) in [
        (req.overdue, "overdue"),
        (req.escalated, "escalated"),
        (req.unrouted_only, "unrouted"),
    ] {
        if on {
            parts.push(name.to_string());
        }
    }
    if let Some(q) = req.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        parts.push(format!("search \"{q}\""));
    }
    format!("the referral queue ({})", parts.join(", "))
}
