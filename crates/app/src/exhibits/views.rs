//! An exhibit as a page or the API shows it: its details, continuity, forensic path with each step's clock, the
//! examination request, the grader's findings, its scan reports, and the plan's open forensics actions.

use crate::plans::ActionView;
use crate::{App, Error};
use domain::clocks::ClockState;
use domain::exhibits::{
    CategoryCounts, ChargingSummary, Examination, ExhibitFindings, ExhibitKind, ForensicStep,
    charging_summary,
};
use domain::plans::Doer;
use domain::{BcuId, ReferralId};
use jiff::Timestamp;
use store::ExhibitRow;

fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An exhibit.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExhibitView {
    /// Its id.
    pub id: String,
    /// The referral it belongs to.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub referral_id: ReferralId,
    /// The referral's BCU (code).
    pub bcu: Option<String>,
    /// The BCU's id (for permissions).
    #[serde(skip)]
    pub bcu_id: Option<BcuId>,
    /// The exhibit reference.
    pub reference: String,
    /// What kind of device or media.
    pub kind: ExhibitKind,
    /// What it is.
    pub description: String,
    /// When seized (RFC 3339).
    pub seized_at: String,
    /// Where.
    pub seized_where: String,
    /// From whom (as written at seizure).
    pub seized_from: String,
    /// The referral's person it was seized from, if one.
    pub seized_from_person: Option<String>,
    /// Who recorded the seizure.
    pub recorded_by: Option<String>,
    /// The examination asked for, once submitted.
    pub examination: Option<Examination>,
    /// Why that examination.
    pub submission_reason: Option<String>,
    /// The investigator's examination request.
    pub request: Option<RequestView>,
    /// Every handover, oldest first.
    pub handovers: Vec<HandoverView>,
    /// The forensic path: every step, done or not, each with its clock once started.
    pub path: Vec<StepView>,
    /// The next step to record, if any.
    pub next_step: Option<ForensicStep>,
    /// Images a grader categorised (beyond the exact matches), once graded.
    pub graded: Option<CategoryCounts>,
    /// New images (in no hash set) the grader found indecent.
    pub new_images: Option<u64>,
    /// The grader found sharing.
    pub distribution: bool,
    /// The grader found images made by the suspect.
    pub production: bool,
    /// The grader's note.
    pub grading_note: Option<String>,
    /// The latest scan report's counts, as its summary gave them.
    pub counts: Option<SummaryCounts>,
    /// The scan reports, newest first.
    pub scans: Vec<ScanView>,
    /// The investigation plan's open actions for digital forensics.
    pub forensic_actions: Vec<ActionView>,
}

/// The examination request.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestView {
    /// Identifiers to look for.
    pub identifiers: String,
    /// From this date (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// To this date.
    pub to: Option<String>,
    /// The investigator's questions.
    pub questions: String,
}

/// A handover.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverView {
    /// When (RFC 3339).
    pub at: String,
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// Who recorded it.
    pub recorded_by: Option<String>,
}

/// One step of the forensic path.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepView {
    /// The step.
    pub step: ForensicStep,
    /// In words.
    pub label: String,
    /// When it happened (RFC 3339).
    pub done_at: Option<String>,
    /// Who recorded it.
    pub done_by: Option<String>,
    /// Its turnaround clock's state (none before the step it waits for).
    pub state: Option<ClockState>,
    /// When it falls (or fell) due.
    pub due_at: Option<String>,
    /// The reason code it was done late with.
    pub late_code: Option<String>,
    /// Its clock (a supervisor may pause it).
    pub clock_id: Option<String>,
}

/// Files per category, as a scan's summary gave them.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SummaryCounts {
    /// Category A.
    pub a: u64,
    /// Category B.
    pub b: u64,
    /// Category C.
    pub c: u64,
    /// Not indecent.
    pub not_indecent: u64,
    /// Known but uncategorised.
    pub uncategorised: u64,
}

/// A scan report attached to an exhibit.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScanView {
    /// Its id.
    pub id: String,
    /// When attached (RFC 3339).
    pub received_at: String,
    /// Who attached it.
    pub received_by: Option<String>,
    /// The tool.
    pub tool: String,
    /// Its version.
    pub tool_version: String,
    /// The scanned path.
    pub root: String,
    /// When the scan started (RFC 3339).
    pub started_at: String,
    /// Files per category of their best match, as the summary gave them.
    pub counts: SummaryCounts,
    /// Matched files in categories without a mapping.
    pub other: u64,
    /// Regular files.
    pub files: u64,
    /// Images.
    pub images: u64,
    /// Files with an exact match.
    pub exact: u64,
    /// Files matched only by PDQ (waiting for a grader's confirmation).
    pub near: u64,
    /// Images matching no set.
    pub unknown_images: u64,
    /// Files that could not be read.
    pub unreadable: u64,
    /// Exact matches per category.
    pub exact_by_category: CategoryCounts,
    /// Near matches per category.
    pub near_by_category: CategoryCounts,
    /// The hash sets used, with their checksums.
    pub sets: Vec<SetView>,
    /// SHA-256 of the report as received.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// A hash set a scan used.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetView {
    /// Its name.
    pub name: String,
    /// SHA-256 of its file.
    pub checksum: String,
}

fn n(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// The view of a referral's exhibits.
pub(super) async fn of(app: &App, r: &domain::Referral) -> Result<Vec<ExhibitView>, Error> {
    let mut out = vec![];
    for e in app.store().exhibits_of(r.id).await? {
        out.push(view(app, e).await?);
    }
    Ok(out)
}

/// The view of one exhibit.
pub(super) async fn view(app: &App, e: ExhibitRow) -> Result<ExhibitView, Error> {
    let now = Timestamp::now();
    let at_risk = app.config().timeliness.at_risk_percent;
    let clocks = app.store().clocks(e.referral).await?;
    let mut path = vec![];
    for step in ForensicStep::ALL {
        let row = e.steps.iter().find(|s| s.step == step.as_str());
        let clock = row
            .and_then(|s| clocks.iter().find(|c| c.id == s.clock_id))
            .filter(|c| !c.cancelled);
        path.push(StepView {
            step,
            label: step.label().into(),
            done_at: row.and_then(|s| s.done_at).map(rfc3339),
            done_by: row.and_then(|s| s.done_by.clone()),
            state: clock.map(|c| c.clock.state(now, at_risk)),
            due_at: clock.map(|c| rfc3339(c.clock.due_at(now))),
            late_code: clock.and_then(|c| c.clock.late_reason.as_ref().map(|l| l.code.clone())),
            clock_id: row.map(|s| s.clock_id.clone()),
        });
    }
    let next_step = path
        .iter()
        .find(|s| s.done_at.is_none() && s.clock_id.is_some())
        .map(|s| s.step);
    let scans = app
        .store()
        .scans_of(std::slice::from_ref(&e.id))
        .await?
        .into_iter()
        .map(|s| {
            let c = s.counts;
            let counts = SummaryCounts {
                a: n(c.count_a),
                b: n(c.count_b),
                c: n(c.count_c),
                not_indecent: n(c.not_indecent),
                uncategorised: n(c.uncategorised),
            };
            ScanView {
                id: s.id,
                received_at: rfc3339(s.received_at),
                received_by: s.received_by,
                tool: s.tool,
                tool_version: s.tool_version,
                root: s.root,
                started_at: rfc3339(s.started_at),
                counts,
                other: n(c.other),
                files: n(c.files),
                images: n(c.images),
                exact: n(c.exact),
                near: n(c.near),
                unknown_images: n(c.unknown_images),
                unreadable: n(c.unreadable),
                exact_by_category: CategoryCounts {
                    a: n(c.exact_a),
                    b: n(c.exact_b),
                    c: n(c.exact_c),
                },
                near_by_category: CategoryCounts {
                    a: n(c.near_a),
                    b: n(c.near_b),
                    c: n(c.near_c),
                },
                sets: serde_json::from_str(&s.sets).unwrap_or_default(),
                sha256: s.sha256,
                size: n(s.size),
            }
        })
        .collect::<Vec<_>>();
    let forensic_actions = crate::plans::plan_of_id(app, e.referral)
        .await?
        .into_iter()
        .filter(|a| a.who == Doer::Forensics && a.status == "open")
        .collect();
    Ok(ExhibitView {
        id: e.id,
        referral_id: e.referral,
        bcu: e.bcu_code,
        bcu_id: e.bcu,
        reference: e.reference,
        kind: e.kind.parse().unwrap_or(ExhibitKind::Other),
        description: e.description,
        seized_at: rfc3339(e.seized_at),
        seized_where: e.seized_where,
        seized_from: e.seized_from,
        seized_from_person: e.seized_from_person,
        recorded_by: e.created_by,
        examination: e.examination.as_deref().and_then(|x| x.parse().ok()),
        submission_reason: e.submission_reason,
        request: e.request_identifiers.map(|identifiers| RequestView {
            identifiers,
            from: e.request_from,
            to: e.request_to,
            questions: e.request_questions.unwrap_or_default(),
        }),
        handovers: e
            .handovers
            .into_iter()
            .map(|h| HandoverView {
                at: rfc3339(h.at),
                from: h.from,
                to: h.to,
                recorded_by: h.recorded_by,
            })
            .collect(),
        path,
        next_step,
        graded: e.graded.map(|(a, b, c)| CategoryCounts {
            a: n(a),
            b: n(b),
            c: n(c),
        }),
        new_images: e.new_images.map(n),
        distribution: e.distribution,
        production: e.production,
        grading_note: e.grading_note,
        counts: scans.first().map(|s| s.counts),
        scans,
        forensic_actions,
    })
}

/// The charging summary of a referral's exhibits: each exhibit's latest scan and its grading.
pub(super) fn charging(exhibits: &[ExhibitView]) -> ChargingSummary {
    let findings: Vec<ExhibitFindings> = exhibits
        .iter()
        .map(|e| {
            let latest = e.scans.first();
            ExhibitFindings {
                exact: latest.map(|s| s.exact_by_category).unwrap_or_default(),
                near: latest.map(|s| s.near_by_category).unwrap_or_default(),
                graded: e.graded,
                distribution: e.distribution,
                production: e.production,
                new_images: e.new_images.unwrap_or(0),
            }
        })
        .collect();
    charging_summary(&findings)
}
