//! Exhibits: recording a seizure, its handovers, the forensic path step by step (each step's turnaround a clock),
//! the scan reports attached to it and the charging summary they give. Need-to-know is per record type: digital
//! forensics reaches every exhibit of the force (its details, continuity, path, scan results, the examination
//! request and whom it was seized from) through [`open_exhibit`], never the referral itself.

mod scan;
mod steps;
mod views;

pub use scan::{MAX_SCAN_BYTES, ParsedScan, ScanReport, attach_scan, parse_scan, scan_report};
pub use steps::{StepInput, complete_forensic_action, record_step};
pub use views::{ExhibitView, HandoverView, RequestView, ScanView, StepView, SummaryCounts};

use crate::access::{log, open_referral, open_referral_to_change, require_justification};
use crate::supervision::text_field;
use crate::{Actor, App, Error};
use domain::audit::{AccessOutcome, Processing};
use domain::clocks::{Clock, ClockKind};
use domain::exhibits::{ChargingSummary, ExhibitKind, ForensicStep};
use domain::{Action, Decision, RecordScope, Target, decide};
use jiff::Timestamp;
use store::ExhibitRow;

/// The longest reference, description, place or party name.
pub const MAX_SHORT_TEXT: usize = 200;
/// The longest free text (a reason, a request's questions, a note).
pub const MAX_LONG_TEXT: usize = 10_000;
/// The most exhibits the forensics queue shows at once.
pub const QUEUE_LIMIT: i64 = 500;

/// Open an exhibit for `actions` (any one of them will do): `NotFound` when it does not exist or is out of
/// reach, logged either way; a consultation or disclosure is logged here as allowed, a change by the store.
pub async fn open_exhibit(
    app: &App,
    actor: &Actor,
    id: &str,
    actions: &[Action],
    kind: Processing,
    detail: &str,
) -> Result<ExhibitRow, Error> {
    let found = if id.len() <= 64 {
        app.store().exhibit(id).await?
    } else {
        None
    };
    let found = found.filter(|e| {
        let scope = RecordScope {
            force: e.force,
            bcu: e.bcu,
        };
        actions
            .iter()
            .any(|a| decide(&actor.user.principal(), *a, Target::Record(scope)) == Decision::Allow)
    });
    let Some(e) = found else {
        log(
            app,
            actor,
            kind,
            "exhibit",
            id,
            AccessOutcome::Denied,
            format!("{detail}: not found or out of scope"),
        )
        .await?;
        return Err(Error::NotFound);
    };
    require_justification(app, actor, kind, "exhibit", id, detail).await?;
    if matches!(kind, Processing::Consultation | Processing::Disclosure) {
        log(
            app,
            actor,
            kind,
            "exhibit",
            id,
            AccessOutcome::Allowed,
            detail.to_string(),
        )
        .await?;
    }
    Ok(e)
}

/// Whether the user may do `action` on this exhibit (to decide which forms to show).
pub fn may(actor: &Actor, action: Action, e: &ExhibitView) -> bool {
    crate::access::may_on(actor, action, e.bcu_id)
}

/// One exhibit (a logged consultation).
pub async fn read(app: &App, actor: &Actor, id: &str) -> Result<ExhibitView, Error> {
    let e = open_exhibit(
        app,
        actor,
        id,
        &[Action::ReadExhibits],
        Processing::Consultation,
        "read exhibit",
    )
    .await?;
    views::view(app, e).await
}

/// A referral's exhibits (a logged consultation). Reached through the referral, so only by those who may read
/// it: digital forensics reaches exhibits one by one and through its queue, and the referral answers it *not found*.
pub async fn of_referral(app: &App, actor: &Actor, id: &str) -> Result<Vec<ExhibitView>, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::ReadReferral,
        Processing::Consultation,
        "read exhibits",
    )
    .await?;
    views::of(app, &r).await
}

/// The exhibits of a referral already opened (for its page).
pub async fn of(app: &App, r: &domain::Referral) -> Result<Vec<ExhibitView>, Error> {
    views::of(app, r).await
}

/// The charging summary the exhibits of one referral give.
pub fn charging_from(exhibits: &[ExhibitView]) -> ChargingSummary {
    views::charging(exhibits)
}

/// A referral's charging summary (a logged consultation).
pub async fn charging(app: &App, actor: &Actor, id: &str) -> Result<ChargingSummary, Error> {
    Ok(views::charging(&of_referral(app, actor, id).await?))
}

/// The forensics queue: exhibits submitted for examination with a step still to happen, oldest submission
/// first: the whole force for digital forensics, the central desk and auditors; a BCU role's own BCU. The
/// listing is a logged consultation.
pub async fn queue(app: &App, actor: &Actor) -> Result<Vec<ExhibitView>, Error> {
    crate::access::require(
        app,
        actor,
        Action::ReadExhibits,
        Processing::Consultation,
        "list exhibits",
    )
    .await?;
    let bcu = if actor.user.role.is_bcu_scoped() {
        Some(actor.user.bcu.ok_or(Error::Forbidden)?)
    } else {
        None
    };
    let rows = app
        .store()
        .exhibit_queue(actor.user.force, bcu, QUEUE_LIMIT)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for e in rows {
        out.push(views::view(app, e).await?);
    }
    log(
        app,
        actor,
        Processing::Consultation,
        "collection",
        "exhibits",
        AccessOutcome::Allowed,
        format!("exhibits queue ({} listed)", out.len()),
    )
    .await?;
    Ok(out)
}

/// An exhibit as typed at seizure.
#[derive(Clone, Debug, Default)]
pub struct NewExhibit<'a> {
    /// The exhibit reference (`JD/1`).
    pub reference: &'a str,
    /// What kind of device or media (`phone`).
    pub kind: &'a str,
    /// What it is.
    pub description: &'a str,
    /// When seized.
    pub seized_at: Option<Timestamp>,
    /// Where.
    pub seized_where: &'a str,
    /// A person of the referral it was seized from (their id), if one.
    pub seized_from_person: &'a str,
    /// From whom, in words (defaults to the chosen person's name).
    pub seized_from: &'a str,
}

/// Record a seized exhibit on a referral: its submission clock starts from the seizure, and the plan's actions
/// that count from a device's seizure get their clocks.
pub async fn create(
    app: &App,
    actor: &Actor,
    id: &str,
    form: &NewExhibit<'_>,
) -> Result<ExhibitView, Error> {
    let r = open_referral_to_change(
        app,
        actor,
        id,
        Action::RecordExhibits,
        Processing::Alteration,
        "record an exhibit",
    )
    .await?;
    let code = "exhibit.invalid";
    let reference = text_field(form.reference, "reference", code, 40, true)?.unwrap_or_default();
    let kind: ExhibitKind = form.kind.trim().parse().map_err(|e: String| {
        Error::invalid_at(code, crate::referrals::capitalise(&e) + ".", "kind")
    })?;
    let description = text_field(form.description, "description", code, MAX_SHORT_TEXT, true)?
        .unwrap_or_default();
    let seized_where = text_field(
        form.seized_where,
        "seized_where",
        code,
        MAX_SHORT_TEXT,
        true,
    )?
    .unwrap_or_default();
    let now = Timestamp::now();
    let seized_at = form.seized_at.unwrap_or(now);
    if seized_at > now + jiff::SignedDuration::from_mins(5) || seized_at < r.received_at {
        return Err(Error::invalid_at(
            code,
            "The seizure is in the future or before the referral was received.",
            "seized_at",
        ));
    }
    let person = form.seized_from_person.trim();
    let chosen = if person.is_empty() {
        None
    } else {
        let details = app.store().report_details(r.id).await?;
        let people = crate::referrals::people_of(app, &r, details.platform.as_deref()).await?;
        Some(
            people
                .into_iter()
                .find(|p| p.id.as_deref() == Some(person))
                .ok_or_else(|| {
                    Error::invalid_at(
                        code,
                        "Choose a person of this referral.",
                        "seized_from_person",
                    )
                })?,
        )
    };
    let seized_from =
        match text_field(form.seized_from, "seized_from", code, MAX_SHORT_TEXT, false)? {
            Some(s) => s,
            None => chosen
                .as_ref()
                .and_then(|p| p.name.clone())
                .ok_or_else(|| {
                    Error::invalid_at(
                        code,
                        "Say whom or where the exhibit was seized from.",
                        "seized_from",
                    )
                })?,
        };
    let clock = Clock::start(
        ClockKind::Forensic,
        seized_at,
        ForensicStep::Submitted.target(&app.config().timeliness),
    );
    let summary = format!(
        "Exhibit {reference} seized: {} ({description}) from {seized_from} at {seized_where}",
        kind.label().to_lowercase()
    );
    let new = store::NewExhibit {
        reference: &reference,
        kind: kind.as_str(),
        description: &description,
        seized_at,
        seized_where: &seized_where,
        seized_from_person: chosen.as_ref().and(Some(person)),
        seized_from: &seized_from,
    };
    let exhibit = app
        .store()
        .add_exhibit(r.force, r.id, &new, &clock, now, summary, &actor.author())
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict => Error::invalid_at(
                "exhibit.duplicate",
                format!("This referral already has an exhibit {reference}."),
                "reference",
            ),
            other => other.into(),
        })?;
    crate::plans::after_step(app, &r, actor).await?;
    let row = app
        .store()
        .exhibit(&exhibit)
        .await?
        .ok_or_else(|| Error::Internal("an exhibit just recorded".into()))?;
    views::view(app, row).await
}

/// Record a handover of an exhibit (continuity): from whom, to whom, when.
pub async fn handover(
    app: &App,
    actor: &Actor,
    id: &str,
    at: Option<Timestamp>,
    from: &str,
    to: &str,
) -> Result<ExhibitView, Error> {
    let e = open_exhibit(
        app,
        actor,
        id,
        &[Action::RecordExhibits, Action::ExamineExhibits],
        Processing::Alteration,
        "record an exhibit handover",
    )
    .await?;
    let code = "exhibit.invalid";
    let from = text_field(from, "from", code, MAX_SHORT_TEXT, true)?.unwrap_or_default();
    let to = text_field(to, "to", code, MAX_SHORT_TEXT, true)?.unwrap_or_default();
    let now = Timestamp::now();
    let at = at.unwrap_or(now);
    let last = e.handovers.last().map_or(e.seized_at, |h| h.at);
    if at > now + jiff::SignedDuration::from_mins(5) || at < last {
        return Err(Error::invalid_at(
            code,
            "The handover is in the future or before the exhibit's last handover (or its seizure).",
            "at",
        ));
    }
    let summary = format!("Exhibit {} handed over from {from} to {to}", e.reference);
    app.store()
        .add_handover(&e, at, &from, &to, summary, &actor.author())
        .await?;
    let row = app.store().exhibit(&e.id).await?.ok_or(Error::NotFound)?;
    views::view(app, row).await
}
