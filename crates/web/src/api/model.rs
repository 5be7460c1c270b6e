//! The JSON the API sends: one type per answer, each serialised as it stands and described by its own
//! schema in the OpenAPI document, so the document cannot drift from what the server does. Each is built
//! from the `app` use case's result; nothing here decides who may see what.

use domain::identification::Corroboration;
use domain::instrument::{Answers, QuestionKind};
use domain::{ReferralId, ReportedPerson, Role, Status};
use jiff::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

/// The one shape of every error: `{"error":{"code","message","location"?}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// An error's code (stable, for programs), message (for people) and, where one input is at fault, which.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable code such as `not_found`, `referral.stale` or `request.invalid`.
    #[schema(example = "request.invalid")]
    pub code: String,
    /// What went wrong, in words.
    pub message: String,
    /// The input at fault (`body`, `query`, `answers.q1`, a package's element), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

impl ErrorBody {
    /// An error with its code and message.
    pub fn new(code: &str, message: &str, location: Option<&str>) -> Self {
        ErrorBody {
            error: ErrorDetail {
                code: code.into(),
                message: message.into(),
                location: location.map(Into::into),
            },
        }
    }
}

fn time(t: Timestamp) -> String {
    t.to_string()
}

fn millis(ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Which clock a referral's due time belongs to.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClockName {
    /// From receipt to a risk level.
    Triage,
    /// From receipt to the first enforcement action, by risk level.
    Enforcement,
}

/// A referral as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralView {
    /// The referral's id.
    pub id: ReferralId,
    /// The BCU it is routed to (its code); none while it waits on the central queue.
    pub bcu: Option<String>,
    /// The borough the report gave.
    pub borough: Option<String>,
    /// Where it is in its flow.
    pub status: Status,
    /// The risk level, once assessed.
    pub risk_level: Option<domain::RiskLevel>,
    /// Why that level.
    pub risk_reason: Option<String>,
    /// When the running clock is due (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub due_at: String,
    /// Which clock `due_at` belongs to.
    pub clock: ClockName,
    /// Seconds until due (negative when overdue); none once the clock has stopped.
    pub seconds_left: Option<i64>,
    /// Whether the running clock is past due.
    pub overdue: bool,
    /// The headline due time: the soonest due time among the referral's running, unpaused clocks (triage or
    /// enforcement, supervisory reviews, plan actions, return dates); the queue's order. None when no clock
    /// runs.
    #[schema(format = DateTime)]
    pub headline_due_at: Option<String>,
    /// Which clock the headline due time belongs to.
    pub headline_clock: Option<domain::clocks::ClockKind>,
    /// Whether the stopped enforcement clock met its target; none while it runs.
    pub target_met: Option<bool>,
    /// Force receipt (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub received_at: String,
    /// Who sent it (`NCA`, `manual`).
    pub source: String,
    /// The sender's package reference.
    pub package_ref: Option<String>,
    /// The report's id in its source.
    pub report_id: String,
    /// The provider's incident type.
    pub incident_type: String,
    /// When the incident happened, as reported.
    #[schema(format = DateTime)]
    pub incident_at: Option<String>,
    /// Whether the provider escalated it.
    pub escalated: bool,
    /// The provider's reason for escalating.
    pub escalation_reason: Option<String>,
    /// The summary shown in lists.
    pub summary: String,
    /// The reported person as received.
    pub reported_person: ReportedPerson,
    /// The officer it is allocated to (display name).
    pub allocated_to: Option<String>,
    /// The first enforcement action.
    #[schema(format = DateTime)]
    pub first_enforcement_at: Option<String>,
    /// The Home Office outcome code: once closed, or proposed and awaiting a supervisor's approval
    /// (status `outcome_proposed`).
    pub outcome_code: Option<String>,
    /// Why that outcome.
    pub outcome_rationale: Option<String>,
    /// When the outcome was recorded.
    #[schema(format = DateTime)]
    pub closed_at: Option<String>,
    /// The version a change must name (a stale version answers 409).
    pub version: i64,
    /// The subject (suspect) it belongs to.
    pub subject_id: Option<String>,
    /// Other open referrals of the same subject.
    pub linked_open_referrals: i64,
    /// The platform's annotations of the report (`sextortion`, `csamSolicitation`, `minorToMinorInteraction`,
    /// `spam`), as received.
    pub annotations: Vec<String>,
    /// When the proposed outcome was proposed (while `outcome_proposed`).
    #[schema(format = DateTime)]
    pub outcome_proposed_at: Option<String>,
    /// For outcome 21: who was told of the decision.
    pub victim_informed: Option<domain::referral::InformedWho>,
    /// The status a returned outcome or a reopening goes back to (while awaiting a decision, or closed).
    pub prior_status: Option<Status>,
    /// When the closed record is next reviewed for retention (`YYYY-MM-DD`).
    #[schema(format = Date)]
    pub retention_review_on: Option<String>,
    /// The offence (confirmed, or suggested by the incident type) with its methods.
    pub classification: domain::offence::Classification,
}

impl ReferralView {
    /// The view of a referral, with its clock as at `now`.
    pub fn new(r: &domain::Referral, now: Timestamp) -> Self {
        let left = r.seconds_left(now);
        ReferralView {
            id: r.id,
            bcu: r.bcu_code.clone(),
            borough: r.borough.clone(),
            status: r.status,
            risk_level: r.risk_level,
            risk_reason: r.risk_reason.clone(),
            due_at: time(r.due_at),
            clock: match r.clock {
                domain::Clock::Triage => ClockName::Triage,
                domain::Clock::Enforcement(_) => ClockName::Enforcement,
            },
            seconds_left: left,
            overdue: left.is_some_and(|s| s < 0),
            headline_due_at: r.headline_due.map(time),
            headline_clock: r.headline_kind,
            target_met: r.target_met(),
            received_at: time(r.received_at),
            source: r.source.clone(),
            package_ref: r.package_ref.clone(),
            report_id: r.report_id.clone(),
            incident_type: r.incident_type.clone(),
            incident_at: r.incident_at.map(time),
            escalated: r.escalated,
            escalation_reason: r.escalation_reason.clone(),
            summary: r.summary.clone(),
            reported_person: r.reported_person.clone(),
            allocated_to: r.allocated_name.clone(),
            first_enforcement_at: r.first_enforcement_at.map(time),
            outcome_code: r.outcome.map(|c| c.to_string()),
            outcome_rationale: r.outcome_rationale.clone(),
            closed_at: r.closed_at.map(time),
            version: r.version,
            subject_id: r.subject_id.clone(),
            linked_open_referrals: r.linked_open,
            annotations: r.annotations.clone(),
            outcome_proposed_at: r.outcome_proposed_at.map(time),
            victim_informed: r.victim_informed,
            prior_status: r.prior_status,
            retention_review_on: r.retention_review_on.map(|d| d.to_string()),
            classification: r.classification(),
        }
    }

    /// The view as at now.
    pub fn now(r: &domain::Referral) -> Self {
        Self::new(r, Timestamp::now())
    }
}

/// One page of the caller's queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralPage {
    /// The referrals, soonest due first.
    pub items: Vec<ReferralView>,
    /// The page size used.
    pub page_size: i64,
    /// `cursor` for the next page; none on the last.
    pub next_cursor: Option<String>,
    /// `cursor` for the previous page; none on the first.
    pub prev_cursor: Option<String>,
    /// How many referrals the same filters match, per status (`status` and `cursor` aside): `{"new": 3, …}`.
    pub counts: std::collections::BTreeMap<String, i64>,
}

/// A referral with its IP capture events and reported files.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralDetail {
    /// The referral.
    #[serde(flatten)]
    pub referral: ReferralView,
    /// The report's IP capture events.
    pub ip_events: Vec<IpEventView>,
    /// The report's files (hashes and the provider's flags; never content).
    pub files: Vec<FileView>,
    /// The referral's people, kept apart by category (`reported`, `victim`, `recipient`, `witness`,
    /// `child_with_access`), each with its `age` where known. Reading them is part of this logged consultation.
    pub people: Vec<domain::report_details::PersonInReport>,
    /// Its clocks beside the triage and enforcement clock: supervisory reviews, plan actions, return dates,
    /// social care and LADO referrals (each with its `kind`, `due_at` and `state`).
    pub clocks: Vec<app::supervision::ClockView>,
    /// The safeguarding referrals its children with access need.
    pub safeguarding: Vec<app::safeguarding::SafeguardingView>,
    /// What the report says beyond the fields Safeguard works with: the platform, its narrative, the
    /// internet incidents (URLs, email addresses, numbers), other agencies and the reporter's notes.
    pub further_details: domain::report_details::ReportDetails,
}

/// An IP capture event: the instant in UTC, the offset it was written with, and the raw text.
#[derive(Debug, Serialize, ToSchema)]
pub struct IpEventView {
    /// The event's id (what a communications data request names).
    pub id: String,
    /// The address, in canonical form.
    pub address: String,
    /// The address as reported.
    pub address_raw: String,
    /// The source port.
    pub port: Option<i64>,
    /// What happened (`Login`, `Upload`).
    pub event: Option<String>,
    /// When (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub at: Option<String>,
    /// The offset the report wrote the time with (`+01:00`).
    pub offset: Option<String>,
    /// The time as reported.
    pub raw: Option<String>,
    /// The provider's flag that the address may be a proxy (a resolution of it never corroborates an
    /// address).
    pub possible_proxy: Option<bool>,
    /// Where in the report it came from: `reported_person`, `file`, or an internet incident
    /// (`peer_to_peer`, `chat_im` …); absent for events imported before origins were kept.
    pub origin: Option<String>,
}

impl From<&app::rows::IpEventRow> for IpEventView {
    fn from(e: &app::rows::IpEventRow) -> Self {
        IpEventView {
            id: e.id.clone(),
            address: e.address.clone(),
            address_raw: e.address_raw.clone(),
            port: e.port,
            event: e.event.clone(),
            at: e.instant().map(time),
            offset: e.offset_seconds.map(crate::views::offset_text),
            raw: e.raw.clone(),
            possible_proxy: e.possible_proxy,
            origin: e.origin.clone(),
        }
    }
}

/// A reported file: hashes and the provider's flags, never content.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileView {
    /// The provider's file id.
    pub file_id: Option<String>,
    /// The file name.
    pub file_name: Option<String>,
    /// The name it was uploaded under.
    pub original_file_name: Option<String>,
    /// MD5, hex.
    pub md5: Option<String>,
    /// SHA-1, hex.
    pub sha1: Option<String>,
    /// Whether the provider viewed it.
    pub viewed_by_esp: Option<bool>,
    /// Whether the provider viewed its EXIF data.
    pub exif_viewed_by_esp: Option<bool>,
    /// Whether it was publicly available.
    pub publicly_available: Option<bool>,
    /// The provider's relevance (`Reported`, `Supplemental Reported`).
    pub relevance: Option<String>,
    /// The industry classification (`A1`, `B2`).
    pub industry_classification: Option<String>,
    /// The provider's annotations, as reported.
    pub annotations: serde_json::Value,
}

impl From<&app::rows::FileRow> for FileView {
    fn from(f: &app::rows::FileRow) -> Self {
        FileView {
            file_id: f.file_id.clone(),
            file_name: f.file_name.clone(),
            original_file_name: f.original_file_name.clone(),
            md5: f.md5.clone(),
            sha1: f.sha1.clone(),
            viewed_by_esp: f.viewed_by_esp,
            exif_viewed_by_esp: f.exif_viewed_by_esp,
            publicly_available: f.publicly_available,
            relevance: f.relevance.clone(),
            industry_classification: f.industry_classification.clone(),
            annotations: serde_json::from_str(&f.annotations).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// A referral's timeline, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Timeline {
    /// The entries.
    pub items: Vec<TimelineItem>,
}

/// One step in a referral's life.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineItem {
    /// When (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub at: String,
    /// Who (display name at the time).
    pub actor: String,
    /// What kind of step (`received`, `risk_assessed`, `routed`, `allocated`, `enforcement`, `outcome`).
    pub kind: String,
    /// What happened, in words.
    pub summary: String,
}

impl From<&domain::TimelineEntry> for TimelineItem {
    fn from(t: &domain::TimelineEntry) -> Self {
        TimelineItem {
            at: time(t.at),
            actor: t.actor.clone(),
            kind: t.kind.clone(),
            summary: t.summary.clone(),
        }
    }
}

/// A signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The account's id.
    pub id: domain::UserId,
    /// Sign-in name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
}

impl From<&domain::User> for Me {
    fn from(u: &domain::User) -> Self {
        Me {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role,
        }
    }
}

/// A new session's bearer token.
#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// When the session ends unless used (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub expires_at: String,
    /// Who signed in.
    pub user: Me,
}

/// The session has ended.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedOut {
    /// Always true.
    pub signed_out: bool,
}

/// The risk instrument, the answers the referral already gives, and its past assessments.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstrumentView {
    /// The instrument in force.
    pub instrument: InstrumentDefinition,
    /// Answers pre-filled from the referral's own facts.
    pub prefilled: Answers,
    /// Completed assessments, newest first.
    pub assessments: Vec<AssessmentView>,
}

/// An instrument: its steps and questions.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstrumentDefinition {
    /// The instrument's id.
    pub id: String,
    /// Its version (kept with every assessment).
    pub version: String,
    /// Its title.
    pub title: String,
    /// Its steps, in order.
    pub steps: Vec<InstrumentStep>,
}

/// A step of the instrument.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstrumentStep {
    /// The step's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its questions.
    pub questions: Vec<InstrumentQuestion>,
}

/// A question: `yes_no`, `number` (with `min` and `max`) or `choice` (with `options`).
#[derive(Debug, Serialize, ToSchema)]
pub struct InstrumentQuestion {
    /// The question's id (the key of its answer).
    pub id: String,
    /// The question.
    pub text: String,
    /// Guidance for the officer.
    pub help: String,
    /// `yes_no`, `number` or `choice`.
    pub kind: String,
    /// The referral fact that can pre-fill it.
    pub prefill: Option<String>,
    /// Smallest number allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Largest number allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// The choices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<ChoiceOption>>,
}

/// One choice of a `choice` question.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChoiceOption {
    /// The answer's value.
    pub id: String,
    /// What the officer sees.
    pub label: String,
}

impl From<&domain::instrument::Instrument> for InstrumentDefinition {
    fn from(i: &domain::instrument::Instrument) -> Self {
        let steps = i
            .steps()
            .iter()
            .map(|s| InstrumentStep {
                id: s.id.clone(),
                title: s.title.clone(),
                questions: s
                    .questions
                    .iter()
                    .map(|q| {
                        let (min, max, options) = match &q.kind {
                            QuestionKind::Number { min, max, .. } => (Some(*min), Some(*max), None),
                            QuestionKind::Choice { options } => (
                                None,
                                None,
                                Some(
                                    options
                                        .iter()
                                        .map(|o| ChoiceOption {
                                            id: o.id.clone(),
                                            label: o.label.clone(),
                                        })
                                        .collect(),
                                ),
                            ),
                            QuestionKind::YesNo { .. } => (None, None, None),
                        };
                        InstrumentQuestion {
                            id: q.id.as_str().into(),
                            text: q.text.clone(),
                            help: q.help.clone(),
                            kind: q.kind.name().into(),
                            prefill: q.prefill.map(|p| p.as_str().into()),
                            min,
                            max,
                            options,
                        }
                    })
                    .collect(),
            })
            .collect();
        InstrumentDefinition {
            id: i.id().into(),
            version: i.version().into(),
            title: i.title().into(),
            steps,
        }
    }
}

/// A completed instrument and the supervisor's decision on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentView {
    /// The assessment's id.
    pub id: String,
    /// The instrument's id.
    pub instrument_id: String,
    /// The instrument's version.
    pub instrument_version: String,
    /// The level the instrument gave.
    pub level: String,
    /// Who completed it.
    pub assessed_by: Option<String>,
    /// When.
    #[schema(format = DateTime)]
    pub assessed_at: String,
    /// `sign_off` or `override`, once decided.
    pub decision: Option<String>,
    /// The level in force after the decision.
    pub final_level: Option<String>,
    /// Why the supervisor overrode it.
    pub override_reason: Option<String>,
    /// The supervisor.
    pub decided_by: Option<String>,
    /// When decided.
    #[schema(format = DateTime)]
    pub decided_at: Option<String>,
    /// The answers given, by question id.
    pub answers: serde_json::Value,
    /// How the answers gave the level.
    pub evaluation: serde_json::Value,
}

impl From<&app::rows::AssessmentRow> for AssessmentView {
    fn from(a: &app::rows::AssessmentRow) -> Self {
        AssessmentView {
            id: a.id.clone(),
            instrument_id: a.instrument_id.clone(),
            instrument_version: a.instrument_version.clone(),
            level: a.level.clone(),
            assessed_by: a.assessed_by_name.clone(),
            assessed_at: millis(a.assessed_at),
            decision: a.decision.clone(),
            final_level: a.final_level.clone(),
            override_reason: a.override_reason.clone(),
            decided_by: a.decided_by_name.clone(),
            decided_at: a.decided_at.map(millis),
            answers: serde_json::from_str(&a.answers).unwrap_or(serde_json::Value::Null),
            evaluation: serde_json::from_str(&a.evaluation).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// A communications data request and, once given, the provider's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct CdRequestView {
    /// The request's id.
    pub id: String,
    /// The IP event it was raised from.
    pub ip_event_id: String,
    /// The address (copied from the event, never typed).
    pub address: String,
    /// The port.
    pub port: Option<i64>,
    /// The instant (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub instant: String,
    /// The provider asked.
    pub provider: String,
    /// When asked.
    #[schema(format = DateTime)]
    pub requested_at: String,
    /// The subscriber the provider named.
    pub subscriber: Option<String>,
    /// The subscriber's address.
    pub subscriber_address: Option<String>,
    /// When answered.
    #[schema(format = DateTime)]
    pub answered_at: Option<String>,
}

impl From<&app::rows::CdRequest> for CdRequestView {
    fn from(r: &app::rows::CdRequest) -> Self {
        CdRequestView {
            id: r.id.clone(),
            ip_event_id: r.ip_event_id.clone(),
            address: r.address.clone(),
            port: r.port,
            instant: millis(r.instant),
            provider: r.provider.clone(),
            requested_at: millis(r.requested_at),
            subscriber: r.subscriber.clone(),
            subscriber_address: r.subscriber_address.clone(),
            answered_at: r.answered_at.map(millis),
        }
    }
}

/// A referral's communications data requests.
#[derive(Debug, Serialize, ToSchema)]
pub struct CdRequestList {
    /// The requests.
    pub items: Vec<CdRequestView>,
}

/// A check was recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    /// Always true.
    pub recorded: bool,
}

/// How an address stands for a referral.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorroborationView {
    /// The address asked about.
    pub address: String,
    /// Whether enforcement may be recorded there.
    pub corroborated: bool,
    /// Why.
    pub state: Corroboration,
    /// The same, in words.
    pub description: String,
}

/// A subject: its referrals in the caller's scope, the identifiers that link them, and its links.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectView {
    /// The subject's id.
    pub id: String,
    /// When it was first seen.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Its referrals in the caller's scope.
    pub referrals: Vec<SubjectReferralView>,
    /// The reported person's identifiers that link them.
    pub identifiers: Vec<IdentifierView>,
    /// Its links (suggested, confirmed, rejected) whose referral is in scope.
    pub links: Vec<LinkView>,
    /// Files of those referrals that several subjects share (likely viral content).
    pub likely_viral_files: Vec<ViralFileView>,
}

/// One of a subject's referrals.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubjectReferralView {
    /// The referral's id.
    pub id: ReferralId,
    /// The report's id in its source.
    pub report_id: String,
    /// Who sent it.
    pub source: String,
    /// Force receipt.
    #[schema(format = DateTime)]
    pub received_at: String,
    /// Where it is in its flow.
    pub status: Status,
    /// Its BCU's code.
    pub bcu: Option<String>,
    /// The provider's incident type.
    pub incident_type: String,
}

/// An identifier of the reported person that links referrals.
#[derive(Debug, Serialize, ToSchema)]
pub struct IdentifierView {
    /// `email`, `phone`, `esp_user`, `ip`...
    pub kind: String,
    /// As reported.
    pub value: String,
    /// As compared.
    pub norm: String,
    /// The referrals that carry it.
    pub referrals: Vec<ReferralId>,
}

/// A file hash that several subjects' referrals share.
#[derive(Debug, Serialize, ToSchema)]
pub struct ViralFileView {
    /// The referral it belongs to.
    pub referral_id: ReferralId,
    /// `md5` or `sha1`.
    pub kind: String,
    /// The hash, hex.
    pub hash: String,
    /// How many subjects' referrals carry it.
    pub distinct_subjects: usize,
}

impl From<app::subjects::VisibleSubject> for SubjectView {
    fn from(v: app::subjects::VisibleSubject) -> Self {
        let s = v.subject;
        SubjectView {
            id: s.id,
            created_at: time(s.created_at),
            referrals: s
                .referrals
                .into_iter()
                .map(|r| SubjectReferralView {
                    id: r.id,
                    report_id: r.report_id,
                    source: r.source,
                    received_at: time(r.received_at),
                    status: r.status,
                    bcu: r.bcu_code,
                    incident_type: r.incident_type,
                })
                .collect(),
            identifiers: s
                .identifiers
                .into_iter()
                .map(|i| IdentifierView {
                    kind: i.kind,
                    value: i.raw,
                    norm: i.norm,
                    referrals: i.referrals,
                })
                .collect(),
            links: v.links.iter().map(LinkView::from).collect(),
            likely_viral_files: v
                .viral
                .into_iter()
                .map(|(r, h)| ViralFileView {
                    referral_id: r,
                    kind: h.kind.into(),
                    hash: h.hash,
                    distinct_subjects: h.distinct_subjects,
                })
                .collect(),
        }
    }
}

/// A link between a referral and a subject.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkView {
    /// The link's id.
    pub id: String,
    /// The referral.
    pub referral_id: ReferralId,
    /// The referral as `source report_id`.
    pub referral: String,
    /// The subject it would join.
    pub subject_id: String,
    /// `strong` or `weak`.
    pub strength: String,
    /// `suggested`, `confirmed` or `rejected`.
    pub status: String,
    /// Which identifiers it rests on.
    pub basis: String,
    /// Who decided it.
    pub decided_by: Option<String>,
    /// When.
    #[schema(format = DateTime)]
    pub decided_at: Option<String>,
    /// Why.
    pub reason: Option<String>,
}

impl From<&app::rows::LinkRow> for LinkView {
    fn from(l: &app::rows::LinkRow) -> Self {
        LinkView {
            id: l.id.clone(),
            referral_id: l.referral_id,
            referral: format!("{} {}", l.referral_source, l.referral_report_id),
            subject_id: l.subject_id.clone(),
            strength: l.strength.clone(),
            status: l.status.clone(),
            basis: l.basis.clone(),
            decided_by: l.decided_by.clone(),
            decided_at: l.decided_at.map(time),
            reason: l.reason.clone(),
        }
    }
}

/// A page of the access log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// The events.
    pub items: Vec<AuditEventView>,
    /// `before` for the next page, when this one was full.
    pub next_before: Option<i64>,
}

/// One access-log event, with its place in the hash chain.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventView {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When.
    #[schema(format = DateTime)]
    pub at: String,
    /// The force.
    pub force: Option<domain::ForceId>,
    /// The user's id.
    pub user: Option<domain::UserId>,
    /// The user's name.
    pub username: String,
    /// The kind of processing (`consultation`, `disclosure`...).
    pub action: String,
    /// The record's type.
    pub record_type: String,
    /// The record's id.
    pub record_id: String,
    /// The justification given.
    pub justification: Option<String>,
    /// `allowed` or `denied`.
    pub outcome: String,
    /// What exactly.
    pub detail: String,
    /// The previous event's hash.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

impl From<app::audit::LogPage> for AuditPage {
    fn from(p: app::audit::LogPage) -> Self {
        AuditPage {
            items: p
                .items
                .into_iter()
                .map(|e| AuditEventView {
                    seq: e.seq,
                    at: time(e.at),
                    force: e.force,
                    user: e.user,
                    username: e.username,
                    action: e.action,
                    record_type: e.record_type,
                    record_id: e.record_id,
                    justification: e.justification,
                    outcome: e.outcome,
                    detail: e.detail,
                    prev_hash: e.prev_hash,
                    hash: e.hash,
                })
                .collect(),
            next_before: p.next_before,
        }
    }
}

/// A count, or `"<5"` where it is suppressed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Count {
    /// The count.
    Shown(i64),
    /// Suppressed: always `"<5"`.
    Suppressed(String),
}

impl From<Option<i64>> for Count {
    fn from(n: Option<i64>) -> Self {
        n.map_or(Count::Suppressed("<5".into()), Count::Shown)
    }
}

/// The aggregate measures of one BCU or the force.
#[derive(Debug, Serialize, ToSchema)]
pub struct Measures {
    /// Referrals received.
    pub received: Count,
    /// Open now.
    pub open: Count,
    /// Open and overdue now.
    pub overdue: Count,
    /// First enforcement within target.
    pub target_met: Count,
    /// First enforcement after target.
    pub target_missed: Count,
    /// Closed.
    pub closed: Count,
    /// Risk levels a supervisor overrode.
    pub risk_overrides: Count,
}

impl From<&[Option<i64>; domain::disclosure::MEASURES]> for Measures {
    fn from(v: &[Option<i64>; domain::disclosure::MEASURES]) -> Self {
        Measures {
            received: v[0].into(),
            open: v[1].into(),
            overdue: v[2].into(),
            target_met: v[3].into(),
            target_missed: v[4].into(),
            closed: v[5].into(),
            risk_overrides: v[6].into(),
        }
    }
}

/// One BCU's measures (the central queue has no code).
#[derive(Debug, Serialize, ToSchema)]
pub struct BcuMeasures {
    /// The measures.
    #[serde(flatten)]
    pub measures: Measures,
    /// The BCU's code; none for the central queue.
    pub bcu: Option<String>,
    /// Its name.
    pub name: String,
}

/// Aggregate figures per BCU and for the force; no personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    /// How small numbers are suppressed.
    pub suppression: String,
    /// Per BCU.
    pub bcus: Vec<BcuMeasures>,
    /// The force.
    pub force: Measures,
    /// Clocks stopped late (reviews, plan actions, return dates), force-wide, per reason code of the force's
    /// list; suppressed like the rest.
    pub late_reasons: Vec<LateReasonCount>,
    /// All clocks stopped late (`null` where suppressed).
    pub late_total: Option<i64>,
    /// The first month of the period the counts above cover, when one was asked for.
    pub from: Option<String>,
    /// Its last month.
    pub to: Option<String>,
    /// The figures' tables for the period asked for (the last three ended months if none): the same
    /// tables, suppressed the same way, as the figures pages and their CSV.
    pub figures: app::figures::report::Report,
}

/// How many clocks were stopped late with one reason code.
#[derive(Debug, Serialize, ToSchema)]
pub struct LateReasonCount {
    /// The code (`awaiting_forensics`).
    pub code: String,
    /// In words.
    pub label: String,
    /// How many (`null` where suppressed).
    pub count: Option<i64>,
}

/// An account.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    /// The account's id.
    pub id: domain::UserId,
    /// Sign-in name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// The BCU's code, for BCU roles.
    pub bcu: Option<String>,
    /// Whether it may sign in.
    pub active: bool,
    /// Whether its owner must choose a new password at the next sign-in.
    pub must_change_password: bool,
}

impl From<&app::users::Account> for AccountView {
    fn from(a: &app::users::Account) -> Self {
        AccountView {
            id: a.user.id,
            username: a.user.username.clone(),
            display_name: a.user.display_name.clone(),
            role: a.user.role,
            bcu: a.bcu.as_ref().map(|b| b.code.clone()),
            active: a.user.active,
            must_change_password: a.user.must_change_password,
        }
    }
}

/// One account with what its administrator needs: its lock, open allocations and pending changes.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountDetail {
    /// The account.
    #[serde(flatten)]
    pub account: AccountView,
    /// Locked after failed sign-ins until then.
    #[schema(format = DateTime)]
    pub locked_until: Option<String>,
    /// Open referrals allocated to them (for their sergeant), by reference only.
    pub open_allocations: Vec<AllocationRef>,
    /// Changes to it waiting for a second administrator.
    pub pending: Vec<AccountRequestView>,
    /// Their staff number in the force's learning system.
    pub staff_number: Option<String>,
}

/// A referral allocated to an officer, by reference only (no case content).
#[derive(Debug, Serialize, ToSchema)]
pub struct AllocationRef {
    /// The referral's id.
    pub id: String,
    /// `source report_id`.
    pub reference: String,
    /// Where it is in its flow.
    pub status: String,
}

impl AllocationRef {
    /// From the store's row.
    pub fn from_row(r: &(String, String, String, String)) -> Self {
        AllocationRef {
            id: r.0.clone(),
            reference: format!("{} {}", r.1, r.2),
            status: r.3.clone(),
        }
    }
}

/// A change to an account waiting for (or decided by) a second administrator.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountRequestView {
    /// The request's id.
    pub id: String,
    /// `create`, `change_role`, `move_bcu`, `enable` or `reset_password`.
    pub change: String,
    /// The account's id (none for a new account not yet approved).
    pub target: Option<domain::UserId>,
    /// The account's user name.
    pub username: String,
    /// The role asked for, or the account's.
    pub role: Option<Role>,
    /// Who asked.
    pub requested_by: String,
    /// When.
    #[schema(format = DateTime)]
    pub requested_at: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When.
    #[schema(format = DateTime)]
    pub decided_at: Option<String>,
    /// Why it was rejected.
    pub reason: Option<String>,
}

impl From<&app::accounts::Request> for AccountRequestView {
    fn from(r: &app::accounts::Request) -> Self {
        AccountRequestView {
            id: r.id.clone(),
            change: r.change.as_str().into(),
            target: r.target,
            username: r.username.clone(),
            role: r.role,
            requested_by: r.requested_by_name.clone(),
            requested_at: time(r.requested_at),
            status: r.status.clone(),
            decided_by: r.decided_by_name.clone(),
            decided_at: r.decided_at.map(time),
            reason: r.reason.clone(),
        }
    }
}

/// The force's account requests, pending first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountRequestList {
    /// The requests, newest first.
    pub items: Vec<AccountRequestView>,
}

/// What became of an account change: `done` (200, with the account) or `pending` (202, with the request a
/// second administrator must approve).
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountChangeView {
    /// `done` or `pending`.
    pub status: String,
    /// The account as it now is, when done.
    pub account: Option<AccountView>,
    /// The request, when pending.
    pub request: Option<AccountRequestView>,
}

/// A disabled account: its sessions ended, and its open allocations for the sergeant.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisabledView {
    /// The account, now disabled.
    pub account: AccountView,
    /// Sessions ended.
    pub sessions_ended: u64,
    /// Open referrals still allocated to them, for their sergeant to allocate again.
    pub open_allocations: Vec<AllocationRef>,
}

/// Whether the account was locked when it was unlocked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Unlocked {
    /// Whether it was locked.
    pub was_locked: bool,
}

/// The force's accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountList {
    /// The accounts.
    pub items: Vec<AccountView>,
}

/// A new account.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedAccount {
    /// The account's id.
    pub id: domain::UserId,
    /// Sign-in name.
    pub username: String,
    /// Role.
    pub role: Role,
}

/// What an import did: new referrals, duplicates, warnings, and the whole counts.
pub type ImportResult = app::import::ImportResult;

/// The values of a supervisor's decision on an assessment.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentDecision {
    /// Agree with the instrument's level.
    SignOff,
    /// Set another level, with a reason.
    Override,
}

/// The values of a decision on a suggested link.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LinkDecision {
    /// The referral joins the link's subject.
    Confirm,
    /// The link is set aside.
    Reject,
}

/// A JSON package of CyberTipline reports, as `POST /referrals` reads it. The importer streams the package
/// rather than deserialising this type, so a package of any size is read in bounded memory; this type
/// describes the same fields for the document, and a test imports a package built from it.
#[derive(Debug, serde::Deserialize, Serialize, ToSchema)]
pub struct Package {
    /// Who sent it (`NCA`, `manual`).
    #[schema(example = "NCA")]
    pub source: String,
    /// The sender's package reference.
    pub package_ref: Option<String>,
    /// Force receipt, RFC 3339 with an offset.
    #[schema(format = DateTime)]
    pub received_at: String,
    /// A borough name (any case); unknown or missing leaves the referrals on the central queue.
    pub borough: Option<String>,
    /// The reports, one referral each.
    #[schema(min_items = 1)]
    pub reports: Vec<PackageReport>,
}

/// One report of a package.
#[derive(Debug, serde::Deserialize, Serialize, ToSchema)]
pub struct PackageReport {
    /// The report's id in its source.
    pub report_id: String,
    /// The sender's narrative.
    pub narrative: Option<String>,
    /// The CyberTipline report as JSON, with NCMEC's element names; `incidentSummary.incidentType` and
    /// `incidentSummary.incidentDateTime` are required.
    pub report: serde_json::Value,
}
