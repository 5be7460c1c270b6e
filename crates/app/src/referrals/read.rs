//! Reading referrals: the user's queue, one referral with what was received about it, its timeline, and
//! everything its page shows. Each read is a logged consultation, through the need-to-know check.

use crate::access::{self, read_referral};
use crate::{Actor, App, Error};
use domain::audit::{AccessOutcome, Processing};
use domain::permissions::QueueScope;
use domain::report_details::{PersonCategory, PersonInReport, ReportDetails};
use domain::{Action, Referral, Status, referral as rules};
use store::{ReferralFilter, ReferralPage};

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
    /// From a previous page's cursor (`next_cursor` or `prev_cursor`).
    pub cursor: Option<String>,
    /// Only this risk level.
    pub risk_level: Option<domain::RiskLevel>,
    /// Only referrals allocated to this officer (a user name in the caller's scope).
    pub officer: Option<String>,
    /// Only referrals whose headline clock is past due now.
    pub overdue: bool,
    /// Only escalated referrals.
    pub escalated: bool,
    /// Leave referrals waiting only for an outcome decision out (the page lists them apart).
    pub except_outcome_proposed: bool,
    /// A reference, or an email, phone or screen name matched exactly once normalised.
    pub q: Option<String>,
}

impl Default for QueueRequest {
    fn default() -> Self {
        QueueRequest {
            status: StatusFilter::All,
            unrouted_only: false,
            limit: 50,
            cursor: None,
            risk_level: None,
            officer: None,
            overdue: false,
            escalated: false,
            except_outcome_proposed: false,
            q: None,
        }
    }
}

/// The longest search term.
pub const MAX_SEARCH: usize = 320;

/// One page of the user's queue, and what it covers.
#[derive(Debug)]
pub struct Queue {
    /// The referrals, soonest due first, and the next and previous pages' cursors.
    pub page: ReferralPage,
    /// The force, or the BCU, the queue lists.
    pub scope: QueueScope,
    /// The page size used.
    pub limit: i64,
    /// How many referrals the same filters match, per status.
    pub counts: Vec<(Status, i64)>,
}

/// The referrals the user's role lists: their own BCU's, or the whole force's. A BCU-scoped account
/// without a BCU is refused (the scope never widens to the force).
pub async fn queue(app: &App, actor: &Actor, req: QueueRequest) -> Result<Queue, Error> {
    let (filter, q) = queue_filter(app, actor, req, "list referrals").await?;
    let page = app
        .store()
        .list_referrals(&filter)
        .await
        .map_err(|e| match e {
            store::StoreError::Config(m) => Error::invalid_at("request.invalid", m, "cursor"),
            other => other.into(),
        })?;
    let counts = app.store().count_by_status(&filter).await?;
    // A search is recorded with what was searched for, so the data protection officer can see who looked
    // for whom.
    let detail = match q {
        Some(q) => format!(
            "searched for \"{q}\": listed {} referrals",
            page.items.len()
        ),
        None => format!("listed {} referrals", page.items.len()),
    };
    access::log(
        app,
        actor,
        Processing::Consultation,
        "referral",
        "-",
        AccessOutcome::Allowed,
        detail,
    )
    .await?;
    Ok(Queue {
        scope: filter.scope,
        limit: filter.limit,
        page,
        counts,
    })
}

/// The store's filter for a queue request, after the need-to-know check for `kind` (`detail` names the
/// use case in a refusal), with the search term as typed (trimmed). A search over 320 characters, and an
/// officer outside the caller's scope, are refused naming the parameter.
pub(super) async fn queue_filter(
    app: &App,
    actor: &Actor,
    req: QueueRequest,
    detail: &str,
) -> Result<(ReferralFilter, Option<String>), Error> {
    access::require(
        app,
        actor,
        Action::ListReferrals,
        Processing::Consultation,
        detail,
    )
    .await?;
    let scope =
        domain::permissions::queue_scope(&actor.principal()).map_err(|_| Error::Forbidden)?;
    let limit = req.limit.clamp(1, 500);
    let q = req
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_string);
    if q.as_deref().is_some_and(|q| q.chars().count() > MAX_SEARCH) {
        return Err(Error::invalid_at(
            "request.invalid",
            format!("A search is at most {MAX_SEARCH} characters."),
            "q",
        ));
    }
    // An officer named by user name, only within the caller's scope: anyone else matches nobody.
    let officer = match req
        .officer
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        None => None,
        Some(name) => {
            let u = app.store().user_by_username(name).await?;
            match u.filter(|u| {
                u.force == scope.force() && scope.bcu().is_none_or(|b| u.bcu == Some(b))
            }) {
                Some(u) => Some(u.id),
                None => {
                    return Err(Error::invalid_at(
                        "request.invalid",
                        format!("'{name}' is not an officer of the referrals you may see"),
                        "officer",
                    ));
                }
            }
        }
    };
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
        risk_level: req.risk_level,
        officer,
        overdue_at: req.overdue.then(jiff::Timestamp::now),
        escalated: req.escalated,
        except_status: req
            .except_outcome_proposed
            .then_some(Status::OutcomeProposed),
        search: q
            .as_deref()
            .and_then(domain::identifiers::SearchTerm::parse),
    };
    Ok((filter, q))
}

/// What a queue covers, for people: `Central North BCU` or `the whole force` (reference data only).
pub async fn scope_name(app: &App, scope: QueueScope) -> Result<String, Error> {
    Ok(match scope.bcu() {
        Some(b) => app
            .store()
            .list_bcus(scope.force())
            .await?
            .into_iter()
            .find(|x| x.id == b)
            .map(|x| format!("{} BCU", x.name))
            .unwrap_or_else(|| "your BCU".into()),
        None => "the whole force".into(),
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
    /// The people named in the report, reported person first, then victims, then intended recipients.
    pub people: Vec<PersonInReport>,
    /// What the report says beyond the fields Safeguard works with.
    pub details: ReportDetails,
}

/// Read one referral with its IP events, files, people and further details (a logged consultation).
pub async fn read(app: &App, actor: &Actor, id: &str) -> Result<Received, Error> {
    let r = read_referral(app, actor, id, "read referral").await?;
    let store = app.store();
    let details = store.report_details(r.id).await?;
    Ok(Received {
        ip_events: store.ip_events(r.id).await?,
        files: store.files(r.id).await?,
        people: people_of(app, &r, details.platform.as_deref()).await?,
        details,
        referral: r,
    })
}

/// A referral's people, by category (a logged consultation).
pub async fn people(app: &App, actor: &Actor, id: &str) -> Result<Vec<PersonInReport>, Error> {
    let r = read_referral(app, actor, id, "read people").await?;
    let details = app.store().report_details(r.id).await?;
    people_of(app, &r, details.platform.as_deref()).await
}

/// The people of a referral's report in the shape a page shows, in the order the law keeps them apart.
pub(crate) async fn people_of(
    app: &App,
    r: &Referral,
    platform: Option<&str>,
) -> Result<Vec<PersonInReport>, Error> {
    let mut people = vec![];
    for row in app.store().person_rows(r.id).await? {
        let role: domain::identifiers::PartyRole = row
            .role
            .parse()
            .map_err(|_| Error::Internal(format!("a person of unknown role '{}'", row.role)))?;
        let party: intake::model::Party = serde_json::from_str(&row.details)
            .map_err(|e| Error::Internal(format!("a stored person cannot be read: {e}")))?;
        let mut person = party.in_report(PersonCategory::of(role), platform);
        person.id = Some(row.id);
        person.access = row.access.as_deref().and_then(|a| a.parse().ok());
        person.recorded_by = row.added_by;
        person.changed_by = row.changed_by;
        people.push(person);
    }
    people.sort_by_key(|p| p.category as u8);
    if people.is_empty() {
        people.extend(PersonInReport::from_referral(&r.reported_person));
    }
    Ok(people)
}

/// A referral's timeline, oldest first (a logged consultation).
pub async fn timeline(
    app: &App,
    actor: &Actor,
    id: &str,
) -> Result<Vec<domain::TimelineEntry>, Error> {
    let r = read_referral(app, actor, id, "read timeline").await?;
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
    pub bcus: Vec<(domain::Bcu, Vec<String>)>,
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
    /// Its clocks (supervisory reviews), as at now.
    pub clocks: Vec<crate::supervision::ClockView>,
    /// Its supervisory reviews, oldest first.
    pub reviews: Vec<store::ReviewRow>,
    /// Its investigation plan, in order.
    pub plan: Vec<crate::plans::ActionView>,
    /// The safeguarding referrals its children with access need.
    pub safeguarding: Vec<crate::safeguarding::SafeguardingView>,
    /// Its children referred to the Child House.
    pub child_house: Vec<crate::child_house::ChildHouseView>,
    /// Its exhibits.
    pub exhibits: Vec<crate::exhibits::ExhibitView>,
    /// The charging summary its exhibits give.
    pub charging: domain::exhibits::ChargingSummary,
    /// Remedial actions quality reviews referred back.
    pub remedial: Vec<crate::quality::RemedialView>,
    /// Its quality reviews, with each sample's areas (for an auditor only).
    pub quality_reviews: Vec<(crate::quality::ReviewView, Vec<domain::quality::Area>)>,
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
        store.bcus_with_boroughs(r.force).await?
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
    let exhibits = crate::exhibits::of(app, r).await?;
    Ok(Dossier {
        timeline: store.timeline(r.id).await?,
        officers,
        bcus,
        assessments: store.assessments(r.id).await?,
        prefilled: crate::triage::prefilled(app, r).await?,
        subject: crate::subjects::panel(app, actor, r).await?,
        clocks: crate::supervision::clocks_of(app, r).await?,
        reviews: store.reviews(r.id).await?,
        plan: crate::plans::plan_of(app, r).await?,
        safeguarding: crate::safeguarding::of(app, r).await?,
        child_house: crate::child_house::of(app, r).await?,
        charging: crate::exhibits::charging_from(&exhibits),
        exhibits,
        remedial: crate::quality::remedial_views(app, r.id).await?,
        quality_reviews: crate::quality::reviews_of(app, actor, r).await?,
        cd_requests,
        addresses: corroborated,
        received,
    })
}
