//! Safeguarding referrals for the children a suspect can reach: recording a child with access starts a
//! children's social care referral clock (and a LADO one where the access is through work); recording the
//! referral made (the local authority, when, its reference, the strategy discussion) stops it, late only with
//! a reason code; "not needed" ends it with a reason. These clocks never pause and never wait for enforcement.

use crate::access::{open_referral, read_referral};
use crate::supervision::{clock_error, text_field};
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::Processing;
use domain::clocks::{ClockState, LateReason};
use domain::safeguarding::{SafeguardingKind, authority};
use jiff::Timestamp;
use store::SafeguardingRecord;

/// A safeguarding referral as a page or the API shows it.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SafeguardingView {
    /// Its id.
    pub id: String,
    /// The child's id.
    pub person_id: String,
    /// `social_care` or `lado`.
    pub kind: SafeguardingKind,
    /// Its clock's state as at now.
    pub state: Option<ClockState>,
    /// When it falls (or fell) due (RFC 3339).
    pub due_at: Option<String>,
    /// The local authority (its name), once made.
    pub authority: Option<String>,
    /// When it was made (RFC 3339).
    pub made_at: Option<String>,
    /// Who recorded it.
    pub made_by: Option<String>,
    /// The authority's reference.
    pub authority_reference: Option<String>,
    /// The strategy discussion's date.
    pub strategy_discussion_on: Option<String>,
    /// Why none was needed.
    pub not_needed_reason: Option<String>,
    /// The reason code it was made late with.
    pub late_code: Option<String>,
}

fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The referral's safeguarding referrals, each with its clock as at now.
pub async fn of(app: &App, r: &domain::Referral) -> Result<Vec<SafeguardingView>, Error> {
    let now = Timestamp::now();
    let at_risk = app.config().timeliness.at_risk_percent;
    let clocks = app.store().clocks(r.id).await?;
    Ok(app
        .store()
        .safeguarding_rows(r.id)
        .await?
        .into_iter()
        .filter_map(|s| {
            let clock = s
                .clock_id
                .as_ref()
                .and_then(|id| clocks.iter().find(|c| &c.id == id))
                .filter(|c| !c.cancelled);
            Some(SafeguardingView {
                kind: s.kind.parse().ok()?,
                state: clock.map(|c| c.clock.state(now, at_risk)),
                due_at: clock.map(|c| rfc3339(c.clock.due_at(now))),
                late_code: clock.and_then(|c| c.clock.late_reason.as_ref().map(|l| l.code.clone())),
                authority: s.authority.as_deref().map(|code| {
                    domain::safeguarding::LOCAL_AUTHORITIES
                        .iter()
                        .find(|a| a.code == code)
                        .map_or(code.to_string(), |a| a.name.to_string())
                }),
                made_at: s.made_at.map(rfc3339),
                made_by: s.made_by,
                authority_reference: s.authority_reference,
                strategy_discussion_on: s.strategy_discussion_on,
                not_needed_reason: s.not_needed_reason,
                id: s.id,
                person_id: s.person_id,
            })
        })
        .collect())
}

/// A referral's safeguarding referrals (a logged consultation).
pub async fn list(app: &App, actor: &Actor, id: &str) -> Result<Vec<SafeguardingView>, Error> {
    let r = read_referral(app, actor, id, "read safeguarding referrals").await?;
    of(app, &r).await
}

/// What an officer records about a safeguarding referral.
#[derive(Clone, Debug, Default)]
pub struct Made<'a> {
    /// The local authority's code (required unless not needed).
    pub authority: &'a str,
    /// When it was made (default now).
    pub made_at: Option<Timestamp>,
    /// The authority's reference.
    pub authority_reference: &'a str,
    /// The strategy discussion's date (`YYYY-MM-DD`), if one was held.
    pub strategy_discussion_on: &'a str,
    /// Why no referral is needed (instead of making one).
    pub not_needed_reason: &'a str,
    /// A reason code (and words) when it was made after its due time.
    pub late: Option<LateReason>,
}

/// Record the `kind` referral of the child `person_id` as made, or as not needed with a reason.
pub async fn record(
    app: &App,
    actor: &Actor,
    id: &str,
    person_id: &str,
    kind: SafeguardingKind,
    made: &Made<'_>,
) -> Result<Vec<SafeguardingView>, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::RecordPeople,
        Processing::Alteration,
        "record a safeguarding referral",
    )
    .await?;
    let row = app
        .store()
        .safeguarding_rows(r.id)
        .await?
        .into_iter()
        .find(|s| s.person_id == person_id && s.kind == kind.as_str())
        .ok_or(Error::NotFound)?;
    if row.made_at.is_some() || row.not_needed_reason.is_some() {
        return Err(Error::AlreadyDone {
            code: "safeguarding.already_recorded",
            message: format!("The {} is already recorded.", kind.label().to_lowercase()),
        });
    }
    let not_needed = text_field(
        made.not_needed_reason,
        "not_needed_reason",
        "safeguarding.invalid",
        10_000,
        false,
    )?;
    let now = Timestamp::now();
    if let Some(reason) = &not_needed {
        app.store()
            .record_safeguarding(
                r.force,
                r.id,
                &row,
                &SafeguardingRecord::not_needed(kind.label(), reason, now),
                &actor.author(),
            )
            .await?;
        return of(app, &r).await;
    }
    let made_at = made.made_at.unwrap_or(now);
    if made_at > now + jiff::SignedDuration::from_mins(5) {
        return Err(Error::invalid_at(
            "safeguarding.invalid",
            "The referral cannot have been made in the future.",
            "made_at",
        ));
    }
    let day = domain::time::in_london(made_at).date();
    let la = authority(made.authority.trim(), day).ok_or_else(|| {
        Error::invalid_at(
            "safeguarding.invalid",
            "Choose the local authority the referral was made to (one that existed on that day).",
            "authority",
        )
    })?;
    let reference = text_field(
        made.authority_reference,
        "authority_reference",
        "safeguarding.invalid",
        200,
        false,
    )?;
    let strategy = match made.strategy_discussion_on.trim() {
        "" => None,
        d => Some(
            d.parse::<jiff::civil::Date>()
                .map_err(|_| {
                    Error::invalid_at(
                        "safeguarding.invalid",
                        format!("'{d}' is not a date (use YYYY-MM-DD)."),
                        "strategy_discussion_on",
                    )
                })?
                .to_string(),
        ),
    };
    let mut clock = match &row.clock_id {
        Some(cid) => app
            .store()
            .clocks(r.id)
            .await?
            .into_iter()
            .find(|c| &c.id == cid && !c.cancelled)
            .map(|c| c.clock),
        None => None,
    };
    if let Some(c) = clock.as_mut() {
        // A referral made before the child was recorded here counts from the recording.
        let at = made_at.max(c.started_at);
        c.stop(at, made.late.clone(), &app.config().timeliness.late_reasons)
            .map_err(|e| match clock_error(e) {
                Error::Invalid { code, message, .. } => Error::Invalid {
                    code,
                    message,
                    location: Some("late_reason".into()),
                },
                other => other,
            })?;
    }
    let summary = format!(
        "{} made to {}{}{}",
        kind.label(),
        la.name,
        reference
            .as_deref()
            .map(|x| format!(" (reference {x})"))
            .unwrap_or_default(),
        clock
            .as_ref()
            .and_then(|c| c.late_reason.as_ref())
            .map(|l| format!(" (late: {})", l.code))
            .unwrap_or_default()
    );
    app.store()
        .record_safeguarding(
            r.force,
            r.id,
            &row,
            &SafeguardingRecord {
                authority: Some(la.code),
                made_at: Some(made_at),
                authority_reference: reference.as_deref(),
                strategy_discussion_on: strategy.as_deref(),
                not_needed_reason: None,
                clock: clock.as_ref(),
                summary,
                at: now,
            },
            &actor.author(),
        )
        .await?;
    of(app, &r).await
}
