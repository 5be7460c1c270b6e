//! A referral's use cases: the queue, reading one with its timeline, IP events and files, and each step
//! that moves it on (risk level, route, allocation, enforcement, outcome). Every one passes the
//! need-to-know check in [`crate::access`], then the state rules in `domain`, then a versioned store change,
//! so the pages, the API and the command line apply exactly the same checks.

use crate::access::{self, open_referral};
use crate::{Actor, App, Error};
use domain::audit::{AccessOutcome, Processing};
use domain::{
    Action, EnforcementKind, OutcomeCode, Referral, RiskLevel, Status, TransitionError,
    referral as rules,
};
use jiff::Timestamp;
use store::{ReferralChange, ReferralFilter, ReferralPage};

fn rule(e: TransitionError) -> Error {
    Error::invalid("referral.invalid_step", capitalise(&e.to_string()))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

async fn apply(
    app: &App,
    actor: &Actor,
    r: &Referral,
    version: i64,
    change: ReferralChange,
) -> Result<Referral, Error> {
    Ok(app
        .store()
        .update_referral(r.id, version, &change, &actor.author())
        .await?)
}

/// Record a risk level with its reason; the clock moves to the level's target.
pub async fn assess(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    level: RiskLevel,
    reason: &str,
) -> Result<Referral, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::AssessRisk,
        Processing::Alteration,
        "record risk level",
    )
    .await?;
    let status = rules::assess(r.status, level, reason).map_err(rule)?;
    let due_at = app.config().timeliness.enforcement_due(&r, level);
    let change = ReferralChange::Assess {
        level,
        reason: reason.trim().to_string(),
        due_at,
        clock_version: app.config().timeliness.version.clone(),
        status,
        instrument: None,
    };
    apply(app, actor, &r, version, change).await
}

/// Route an unrouted referral to a BCU (the central desk).
pub async fn route(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    bcu_code: &str,
) -> Result<Referral, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::Allocate,
        Processing::Alteration,
        "route to BCU",
    )
    .await?;
    rules::check_route(actor.user.role, &r).map_err(|e| match e {
        rules::RouteError::Step(step) => rule(step),
        other => Error::invalid(other.code(), other.to_string()),
    })?;
    let bcu = app
        .store()
        .bcu_by_code(r.force, bcu_code.trim())
        .await?
        .ok_or_else(|| {
            Error::invalid(
                "referral.unknown_bcu",
                format!("There is no BCU with code '{bcu_code}'."),
            )
        })?;
    let rerouted = rules::reroute(&r, bcu.id);
    apply(
        app,
        actor,
        &r,
        version,
        ReferralChange::Route {
            release_officer: rerouted.release_officer,
            status: rerouted.status,
            bcu: bcu.id,
            bcu_name: bcu.name,
        },
    )
    .await
}

/// Allocate to an officer of the referral's own BCU.
pub async fn allocate(
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    officer: &str,
) -> Result<Referral, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::Allocate,
        Processing::Alteration,
        "allocate",
    )
    .await?;
    let status = rules::allocate(r.status, r.bcu.is_some()).map_err(rule)?;
    let officer = app
        .store()
        .user_by_username(officer.trim())
        .await?
        .filter(|u| rules::may_be_allocated(u, &r))
        .ok_or_else(|| {
            Error::invalid(
                "referral.unknown_officer",
                format!("'{officer}' is not an officer of this referral's BCU."),
            )
        })?;
    apply(
        app,
        actor,
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
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    action: Enforcement<'_>,
) -> Result<Referral, Error> {
    let Enforcement {
        kind,
        at,
        address,
        notes,
    } = action;
    let r = open_referral(
        app,
        actor,
        id,
        Action::RecordEnforcement,
        Processing::Alteration,
        "record enforcement",
    )
    .await?;
    let status = rules::enforce(r.status).map_err(rule)?;
    let address = rules::check_enforcement(kind, at, address, r.received_at, Timestamp::now())
        .map_err(|e| Error::invalid(e.code(), e.to_string()))?;
    if let Some(a) = address.as_deref() {
        // Never act on an address that only one IP event (or none) points to.
        let c = app.store().corroboration_of(r.id, a).await?;
        if !c.is_corroborated() {
            return Err(Error::invalid(
                "referral.uncorroborated",
                format!(
                    "{}. Enforcement at this address cannot be recorded yet.",
                    c.describe()
                ),
            ));
        }
    }
    let notes = match address.as_deref() {
        Some(a) => format!("at {a}. {}", notes.trim())
            .trim_end_matches(". ")
            .to_string(),
        None => notes.trim().to_string(),
    };
    apply(
        app,
        actor,
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
    app: &App,
    actor: &Actor,
    id: &str,
    version: i64,
    code: OutcomeCode,
    rationale: &str,
) -> Result<Referral, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::RecordOutcome,
        Processing::Alteration,
        "record outcome",
    )
    .await?;
    let by_supervisor = access::may(actor, Action::ApproveNfa, &r);
    let status = rules::close(
        r.status,
        code,
        rationale,
        app.config().nfa.is_nfa(code),
        by_supervisor,
    )
    .map_err(rule)?;
    debug_assert_eq!(status, Status::Closed);
    apply(
        app,
        actor,
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

/// Which referrals of the queue to list by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusFilter {
    /// Every status.
    #[default]
    All,
    /// Open ones only.
    Open,
    /// One status only.
    Only(Status),
}

impl StatusFilter {
    /// `all`, `open`, or a status name; anything else is refused with a message naming it.
    pub fn parse(text: &str) -> Result<Self, Error> {
        match text {
            "all" => Ok(StatusFilter::All),
            "open" => Ok(StatusFilter::Open),
            other => other.parse().map(StatusFilter::Only).map_err(|_| {
                Error::invalid_at(
                    "request.invalid",
                    format!("unknown status '{other}'"),
                    "status",
                )
            }),
        }
    }
}

/// What to list of the queue.
#[derive(Clone, Debug)]
pub struct QueueRequest {
    /// By status.
    pub status: StatusFilter,
    /// Only unrouted referrals (the central queue).
    pub unrouted_only: bool,
    /// Page size, clamped to 1 to 500.
    pub limit: i64,
    /// From a previous page's cursor.
    pub cursor: Option<String>,
}

/// One page of the user's queue, and the name of what it covers.
#[derive(Debug)]
pub struct Queue {
    /// The referrals, soonest due first, and the next page's cursor.
    pub page: ReferralPage,
    /// `Central North BCU` or `the whole force`.
    pub scope_name: String,
    /// The page size used.
    pub limit: i64,
}

/// The referrals the user's role lists: their own BCU's, or the whole force's. A BCU-scoped account
/// without a BCU is refused (the scope never widens to the force).
pub async fn queue(app: &App, actor: &Actor, req: QueueRequest) -> Result<Queue, Error> {
    access::require(
        app,
        actor,
        Action::ListReferrals,
        Processing::Consultation,
        "list referrals",
    )
    .await?;
    let scope =
        domain::permissions::queue_scope(&actor.principal()).map_err(|_| Error::Forbidden)?;
    let limit = req.limit.clamp(1, 500);
    let filter = ReferralFilter {
        scope,
        unrouted_only: req.unrouted_only,
        open_only: req.status == StatusFilter::Open,
        status: match req.status {
            StatusFilter::Only(s) => Some(s),
            _ => None,
        },
        limit,
        cursor: req.cursor.filter(|c| !c.is_empty()),
    };
    let page = app
        .store()
        .list_referrals(&filter)
        .await
        .map_err(|e| match e {
            store::StoreError::Config(m) => Error::invalid_at("request.invalid", m, "cursor"),
            other => other.into(),
        })?;
    access::log(
        app,
        actor,
        Processing::Consultation,
        "referral",
        "-",
        AccessOutcome::Allowed,
        format!("listed {} referrals", page.items.len()),
    )
    .await?;
    let scope_name = match scope.bcu() {
        Some(b) => app
            .store()
            .list_bcus(scope.force())
            .await?
            .into_iter()
            .find(|x| x.id == b)
            .map(|x| format!("{} BCU", x.name))
            .unwrap_or_else(|| "your BCU".into()),
        None => "the whole force".into(),
    };
    Ok(Queue {
        page,
        scope_name,
        limit,
    })
}

/// A referral with what was received about it: its IP capture events and reported files.
#[derive(Debug)]
pub struct Received {
    /// The referral.
    pub referral: Referral,
    /// IP capture events, in the report's order.
    pub ip_events: Vec<store::IpEventRow>,
    /// Files (hashes and the platform's flags; never content).
    pub files: Vec<store::FileRow>,
}

/// Read one referral with its IP events and files (a logged consultation).
pub async fn read(app: &App, actor: &Actor, id: &str) -> Result<Received, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::ReadReferral,
        Processing::Consultation,
        "read referral",
    )
    .await?;
    Ok(Received {
        ip_events: app.store().ip_events(r.id).await?,
        files: app.store().files(r.id).await?,
        referral: r,
    })
}

/// A referral's timeline, oldest first (a logged consultation).
pub async fn timeline(
    app: &App,
    actor: &Actor,
    id: &str,
) -> Result<Vec<domain::TimelineEntry>, Error> {
    let r = open_referral(
        app,
        actor,
        id,
        Action::ReadReferral,
        Processing::Consultation,
        "read timeline",
    )
    .await?;
    Ok(app.store().timeline(r.id).await?)
}

/// Everything the referral page shows, read in one logged consultation.
#[derive(Debug)]
pub struct Dossier {
    /// The referral, its IP events and files.
    pub received: Received,
    /// Its timeline, oldest first.
    pub timeline: Vec<domain::TimelineEntry>,
    /// The officers it can be allocated to (only for a user who may allocate it).
    pub officers: Vec<domain::User>,
    /// The BCUs it can be routed to (only while unrouted, for a user who may route it).
    pub bcus: Vec<domain::Bcu>,
    /// Communications data requests raised from its IP events.
    pub cd_requests: Vec<store::CdRequest>,
    /// Completed instruments, newest first.
    pub assessments: Vec<store::AssessmentRow>,
    /// The instrument's answers the referral already gives.
    pub prefilled: domain::instrument::Answers,
    /// Each address named by a provider or a check, with how far it is corroborated.
    pub addresses: Vec<(String, domain::identification::Corroboration)>,
    /// The subject panel.
    pub subject: crate::subjects::Panel,
}

/// Read a referral for its page: the referral, its timeline, the choices its forms offer this user, the
/// triage record and the subject panel.
pub async fn dossier(app: &App, actor: &Actor, id: &str) -> Result<Dossier, Error> {
    let received = read(app, actor, id).await?;
    let r = &received.referral;
    let store = app.store();
    let may_allocate = access::may(actor, Action::Allocate, r);
    let officers = match r.bcu {
        Some(b) if may_allocate => store
            .list_users(r.force, Some(b))
            .await?
            .into_iter()
            .filter(|u| rules::may_be_allocated(u, r))
            .collect(),
        _ => vec![],
    };
    let bcus = if r.bcu.is_none() && may_allocate {
        store.list_bcus(r.force).await?
    } else {
        vec![]
    };
    let cd_requests = store.cd_requests(r.id).await?;
    let mut addresses: Vec<String> = cd_requests
        .iter()
        .filter_map(|q| q.subscriber_address.clone())
        .collect();
    addresses.extend(
        store
            .corroborations(r.id)
            .await?
            .into_iter()
            .map(|c| c.address),
    );
    addresses.sort_by_key(|a| domain::identification::normalise_address(a));
    addresses.dedup_by_key(|a| domain::identification::normalise_address(a));
    let mut corroborated = Vec::with_capacity(addresses.len());
    for a in addresses {
        let state = store.corroboration_of(r.id, &a).await?;
        corroborated.push((a, state));
    }
    Ok(Dossier {
        timeline: store.timeline(r.id).await?,
        officers,
        bcus,
        assessments: store.assessments(r.id).await?,
        prefilled: crate::triage::prefilled(app, r).await?,
        subject: crate::subjects::panel(app, actor, r).await?,
        cd_requests,
        addresses: corroborated,
        received,
    })
}
