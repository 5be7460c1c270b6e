//! The steps of a referral, shared by the pages and the API so both apply exactly the same checks:
//! need-to-know (`access`), the state rules (`domain::referral`), then a versioned store change.

use crate::AppState;
use crate::access::{self, open_referral};
use crate::auth::Ctx;
use crate::error::AppError;
use domain::audit::Processing;
use domain::{
    Action, Clock, EnforcementKind, OutcomeCode, Referral, RiskLevel, Role, Status,
    TransitionError, referral as rules,
};
use jiff::Timestamp;
use store::ReferralChange;

fn rule(e: TransitionError) -> AppError {
    AppError::invalid("referral.invalid_step", capitalise(&e.to_string()))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

async fn apply(
    state: &AppState,
    ctx: &Ctx,
    r: &Referral,
    version: i64,
    change: ReferralChange,
) -> Result<Referral, AppError> {
    Ok(state
        .store
        .update_referral(r.id, version, &change, &ctx.actor())
        .await?)
}

/// Record a risk level with its reason; the clock moves to the level's target.
pub async fn assess(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    version: i64,
    level: RiskLevel,
    reason: &str,
) -> Result<Referral, AppError> {
    let r = open_referral(
        state,
        ctx,
        id,
        Action::AssessRisk,
        Processing::Alteration,
        "record risk level",
    )
    .await?;
    let status = rules::assess(r.status, level, reason).map_err(rule)?;
    // Once the first enforcement has stopped the clock, a new level must not move the target it was
    // measured against (that would turn a missed target into a met one).
    let due_at = match r.first_enforcement_at {
        Some(_) => r.due_at,
        None => {
            state
                .config
                .timeliness
                .due_at(r.received_at, Clock::Enforcement(level), r.escalated)
        }
    };
    let change = ReferralChange::Assess {
        level,
        reason: reason.trim().to_string(),
        due_at,
        clock_version: state.config.timeliness.version.clone(),
        status,
        instrument: None,
    };
    apply(state, ctx, &r, version, change).await
}

/// Route an unrouted referral to a BCU (the central desk).
pub async fn route(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    version: i64,
    bcu_code: &str,
) -> Result<Referral, AppError> {
    let r = open_referral(
        state,
        ctx,
        id,
        Action::Allocate,
        Processing::Alteration,
        "route to BCU",
    )
    .await?;
    if !r.status.is_open() {
        return Err(rule(TransitionError::Closed));
    }
    if r.bcu.is_some() && ctx.user.role != Role::CentralTriage {
        return Err(AppError::invalid(
            "referral.already_routed",
            "This referral is already routed to a BCU: only the central referrals desk can move it.",
        ));
    }
    let bcu = state
        .store
        .bcu_by_code(r.force, bcu_code.trim())
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "referral.unknown_bcu",
                format!("There is no BCU with code '{bcu_code}'."),
            )
        })?;
    apply(
        state,
        ctx,
        &r,
        version,
        ReferralChange::Route {
            bcu: bcu.id,
            bcu_name: bcu.name,
        },
    )
    .await
}

/// Allocate to an officer of the referral's own BCU.
pub async fn allocate(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    version: i64,
    officer: &str,
) -> Result<Referral, AppError> {
    let r = open_referral(
        state,
        ctx,
        id,
        Action::Allocate,
        Processing::Alteration,
        "allocate",
    )
    .await?;
    let status = rules::allocate(r.status, r.bcu.is_some()).map_err(rule)?;
    let officer = state
        .store
        .user_by_username(officer.trim())
        .await?
        .filter(|u| {
            u.active
                && u.force == r.force
                && u.bcu == r.bcu
                && matches!(u.role, Role::Investigator | Role::Supervisor)
        })
        .ok_or_else(|| {
            AppError::invalid(
                "referral.unknown_officer",
                format!("'{officer}' is not an officer of this referral's BCU."),
            )
        })?;
    apply(
        state,
        ctx,
        &r,
        version,
        ReferralChange::Allocate {
            officer: officer.id,
            officer_name: officer.display_name,
            status,
        },
    )
    .await
}

/// An enforcement action as recorded by an officer.
pub struct Enforcement<'a> {
    /// Warrant, arrest or voluntary interview.
    pub kind: EnforcementKind,
    /// When it happened.
    pub at: Timestamp,
    /// Where (required for a warrant; must be corroborated).
    pub address: Option<&'a str>,
    /// Notes.
    pub notes: &'a str,
}

/// Record an enforcement action (the first stops the timeliness clock).
pub async fn enforce(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    version: i64,
    action: Enforcement<'_>,
) -> Result<Referral, AppError> {
    let Enforcement {
        kind,
        at,
        address,
        notes,
    } = action;
    let r = open_referral(
        state,
        ctx,
        id,
        Action::RecordEnforcement,
        Processing::Alteration,
        "record enforcement",
    )
    .await?;
    let status = rules::enforce(r.status).map_err(rule)?;
    if at > Timestamp::now() + jiff::SignedDuration::from_mins(5) {
        return Err(AppError::invalid(
            "referral.future_time",
            "The enforcement time is in the future.",
        ));
    }
    if at < r.received_at {
        return Err(AppError::invalid(
            "referral.time_before_receipt",
            "The enforcement time is before the referral was received.",
        ));
    }
    let address = address.map(str::trim).filter(|a| !a.is_empty());
    if kind == EnforcementKind::Warrant && address.is_none() {
        return Err(AppError::invalid(
            "referral.address_required",
            "A warrant is executed at an address: give the address.",
        ));
    }
    if let Some(a) = address {
        // Never act on an address that only one IP event (or none) points to.
        let c = state.store.corroboration_of(r.id, a).await?;
        if !c.is_corroborated() {
            return Err(AppError::invalid(
                "referral.uncorroborated",
                format!(
                    "{}. Enforcement at this address cannot be recorded yet.",
                    c.describe()
                ),
            ));
        }
    }
    let notes = match address {
        Some(a) => format!("at {a}. {}", notes.trim())
            .trim_end_matches(". ")
            .to_string(),
        None => notes.trim().to_string(),
    };
    apply(
        state,
        ctx,
        &r,
        version,
        ReferralChange::Enforce {
            kind,
            at,
            notes,
            status,
        },
    )
    .await
}

/// Record the Home Office outcome with its rationale; NFA outcomes need a supervisor.
pub async fn close(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    version: i64,
    code: OutcomeCode,
    rationale: &str,
) -> Result<Referral, AppError> {
    let r = open_referral(
        state,
        ctx,
        id,
        Action::RecordOutcome,
        Processing::Alteration,
        "record outcome",
    )
    .await?;
    let by_supervisor = access::may(ctx, Action::ApproveNfa, &r);
    let status = rules::close(
        r.status,
        code,
        rationale,
        state.config.nfa.is_nfa(code),
        by_supervisor,
    )
    .map_err(rule)?;
    debug_assert_eq!(status, Status::Closed);
    apply(
        state,
        ctx,
        &r,
        version,
        ReferralChange::Close {
            code,
            rationale: rationale.trim().to_string(),
            status,
        },
    )
    .await
}

/// Import a package for the signed-in user: the need-to-know check, then the shared import path.
pub async fn import_package<R: std::io::Read + Send + 'static>(
    state: &AppState,
    ctx: &Ctx,
    form: crate::import::Form,
    file_name: Option<String>,
    reader: R,
) -> Result<crate::import::ImportResult, AppError> {
    access::require(
        state,
        ctx,
        Action::CreateReferral,
        Processing::Collection,
        "create referral",
    )
    .await?;
    let req = crate::import::ImportRequest {
        force: ctx.user.force,
        actor: ctx.actor(),
        principal: Some(ctx.user.principal()),
        form,
        file_name,
        limits: intake::json::PackageLimits::API,
        timeliness: state.config.timeliness.clone(),
        list_limit: usize::MAX,
    };
    crate::import::import(&state.store, req, reader).await
}
