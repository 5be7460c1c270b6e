//! Exhibits: the devices and media seized in an investigation, each with its continuity (every handover) and its
//! forensic path, a fixed order of steps from seizure to the upload of its images to the national database. Each
//! step's turnaround is a clock started when the step before it happened (`forensic_<step>` in the timeliness
//! table); this module holds the order, the rules for recording a step, and the charging summary the
//! sentencing guideline needs.

use crate::timeliness::{TargetSpan, TimelinessTable};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What was seized.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ExhibitKind {
    /// A mobile phone.
    Phone,
    /// A desktop or laptop computer.
    Computer,
    /// A tablet.
    Tablet,
    /// A USB stick, memory card, external or loose hard drive.
    StorageMedia,
    /// A games console.
    GamesConsole,
    /// A camera.
    Camera,
    /// Anything else (say what in the description).
    Other,
}

impl ExhibitKind {
    /// Every kind, in the order a form lists them.
    pub const ALL: [ExhibitKind; 7] = [
        ExhibitKind::Phone,
        ExhibitKind::Computer,
        ExhibitKind::Tablet,
        ExhibitKind::StorageMedia,
        ExhibitKind::GamesConsole,
        ExhibitKind::Camera,
        ExhibitKind::Other,
    ];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ExhibitKind::Phone => "phone",
            ExhibitKind::Computer => "computer",
            ExhibitKind::Tablet => "tablet",
            ExhibitKind::StorageMedia => "storage_media",
            ExhibitKind::GamesConsole => "games_console",
            ExhibitKind::Camera => "camera",
            ExhibitKind::Other => "other",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            ExhibitKind::Phone => "Mobile phone",
            ExhibitKind::Computer => "Computer",
            ExhibitKind::Tablet => "Tablet",
            ExhibitKind::StorageMedia => "Storage media (USB stick, memory card, hard drive)",
            ExhibitKind::GamesConsole => "Games console",
            ExhibitKind::Camera => "Camera",
            ExhibitKind::Other => "Other",
        }
    }
}

impl std::str::FromStr for ExhibitKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ExhibitKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "'{s}' is not an exhibit type (expected one of phone, computer, tablet, storage_media, games_console, camera, other)"
                )
            })
    }
}

/// How much of an examination is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Examination {
    /// A full examination.
    Full,
    /// Triage only: a quick look for what the risk needs now.
    TriageOnly,
}

impl Examination {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Examination::Full => "full",
            Examination::TriageOnly => "triage_only",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Examination::Full => "Full examination",
            Examination::TriageOnly => "Triage only",
        }
    }
}

impl std::str::FromStr for Examination {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "full" => Ok(Examination::Full),
            "triage_only" => Ok(Examination::TriageOnly),
            _ => Err(format!(
                "'{s}' is not an examination (expected full or triage_only)"
            )),
        }
    }
}

/// A step of the forensic path, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ForensicStep {
    /// Submitted for examination (from seizure).
    Submitted,
    /// The examination started (from submission).
    ExaminationStarted,
    /// The device and its results returned (from the start of the examination).
    Returned,
    /// The images graded A, B, C (from the return).
    Graded,
    /// New images sent for victim identification (from grading; only when new images were found).
    VictimIdentification,
    /// The images uploaded to the national image database (from grading).
    NationalDatabase,
}

impl ForensicStep {
    /// Every step, in order.
    pub const ALL: [ForensicStep; 6] = [
        ForensicStep::Submitted,
        ForensicStep::ExaminationStarted,
        ForensicStep::Returned,
        ForensicStep::Graded,
        ForensicStep::VictimIdentification,
        ForensicStep::NationalDatabase,
    ];

    /// As stored and in the API (`examination_started`); the timeliness key is `forensic_` and this.
    pub fn as_str(self) -> &'static str {
        match self {
            ForensicStep::Submitted => "submitted",
            ForensicStep::ExaminationStarted => "examination_started",
            ForensicStep::Returned => "returned",
            ForensicStep::Graded => "graded",
            ForensicStep::VictimIdentification => "victim_identification",
            ForensicStep::NationalDatabase => "national_database",
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            ForensicStep::Submitted => "Submitted for examination",
            ForensicStep::ExaminationStarted => "Examination started",
            ForensicStep::Returned => "Returned",
            ForensicStep::Graded => "Images graded",
            ForensicStep::VictimIdentification => "New images sent for victim identification",
            ForensicStep::NationalDatabase => "Uploaded to the national image database",
        }
    }

    /// The step it waits for (its clock starts when that one happens); none for submission, which counts
    /// from seizure.
    pub fn after(self) -> Option<ForensicStep> {
        match self {
            ForensicStep::Submitted => None,
            ForensicStep::ExaminationStarted => Some(ForensicStep::Submitted),
            ForensicStep::Returned => Some(ForensicStep::ExaminationStarted),
            ForensicStep::Graded => Some(ForensicStep::Returned),
            ForensicStep::VictimIdentification | ForensicStep::NationalDatabase => {
                Some(ForensicStep::Graded)
            }
        }
    }

    /// The steps whose clocks start when this one happens (`new_images`: whether grading found images no
    /// hash set knows, which victim identification needs).
    pub fn next(self, new_images: bool) -> Vec<ForensicStep> {
        match self {
            ForensicStep::Submitted => vec![ForensicStep::ExaminationStarted],
            ForensicStep::ExaminationStarted => vec![ForensicStep::Returned],
            ForensicStep::Returned => vec![ForensicStep::Graded],
            ForensicStep::Graded if new_images => vec![
                ForensicStep::VictimIdentification,
                ForensicStep::NationalDatabase,
            ],
            ForensicStep::Graded => vec![ForensicStep::NationalDatabase],
            ForensicStep::VictimIdentification | ForensicStep::NationalDatabase => vec![],
        }
    }

    /// Whether digital forensics records it (the investigator records the submission).
    pub fn by_forensics(self) -> bool {
        self != ForensicStep::Submitted
    }

    /// The time allowed for it in `table`.
    pub fn target(self, table: &TimelinessTable) -> TargetSpan {
        match self {
            ForensicStep::Submitted => table.forensic_submitted,
            ForensicStep::ExaminationStarted => table.forensic_examination_started,
            ForensicStep::Returned => table.forensic_returned,
            ForensicStep::Graded => table.forensic_graded,
            ForensicStep::VictimIdentification => table.forensic_victim_identification,
            ForensicStep::NationalDatabase => table.forensic_national_database,
        }
    }
}

impl std::str::FromStr for ForensicStep {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ForensicStep::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "'{s}' is not a forensic step (expected one of submitted, examination_started, returned, graded, victim_identification, national_database)"
                )
            })
    }
}

/// Why a step cannot be recorded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// The step is already recorded.
    #[error("{0} is already recorded")]
    AlreadyDone(&'static str),
    /// The step before it has not happened.
    #[error("{0} has to be recorded first")]
    NotYet(&'static str),
    /// Victim identification when grading found no new images.
    #[error("grading found no new images to send for victim identification")]
    NoNewImages,
    /// Before the step it follows (or the seizure), or in the future.
    #[error("the time is before {0}, or in the future")]
    OutOfOrder(&'static str),
}

/// Whether `step` may be recorded at `at`, given the steps done so far (`done`: step and when) and the seizure.
pub fn may_record(
    step: ForensicStep,
    at: Timestamp,
    now: Timestamp,
    seized_at: Timestamp,
    done: &[(ForensicStep, Timestamp)],
    new_images: Option<bool>,
) -> Result<(), StepError> {
    let when = |s: ForensicStep| done.iter().find(|(d, _)| *d == s).map(|(_, t)| *t);
    if when(step).is_some() {
        return Err(StepError::AlreadyDone(step.label()));
    }
    let (prior, label) = match step.after() {
        Some(before) => (
            when(before).ok_or(StepError::NotYet(before.label()))?,
            before.label(),
        ),
        None => (seized_at, "the seizure"),
    };
    if step == ForensicStep::VictimIdentification && new_images != Some(true) {
        return Err(StepError::NoNewImages);
    }
    if at < prior || at > now + jiff::SignedDuration::from_mins(5) {
        return Err(StepError::OutOfOrder(label));
    }
    Ok(())
}

/// Images per category.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CategoryCounts {
    /// Category A.
    pub a: u64,
    /// Category B.
    pub b: u64,
    /// Category C.
    pub c: u64,
}

impl CategoryCounts {
    /// A + B + C.
    pub fn total(&self) -> u64 {
        self.a + self.b + self.c
    }

    fn add(&mut self, o: &CategoryCounts) {
        self.a += o.a;
        self.b += o.b;
        self.c += o.c;
    }
}

/// What one exhibit gives the charging summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExhibitFindings {
    /// Exact matches per category in its latest scan report.
    pub exact: CategoryCounts,
    /// Near (PDQ) matches per category in its latest scan report: a grader has not confirmed them.
    pub near: CategoryCounts,
    /// Images a grader categorised beyond the exact matches; none until graded.
    pub graded: Option<CategoryCounts>,
    /// The grader found that images were shared or sent.
    pub distribution: bool,
    /// The grader found images that appear to have been made by the suspect.
    pub production: bool,
    /// New images (no hash set knows them) the grader found indecent.
    pub new_images: u64,
}

/// Whether an offence is indicated, and on what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Indication {
    /// Indicated.
    pub indicated: bool,
    /// On what, in words.
    pub basis: String,
}

/// The charging summary: images per category the sentencing guideline counts, and which offences are indicated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChargingSummary {
    /// Images per category: exact matches and graded images.
    pub images: CategoryCounts,
    /// Of those, exact matches to known images.
    pub exact: CategoryCounts,
    /// Of those, images a grader categorised.
    pub graded: CategoryCounts,
    /// Near matches waiting for a grader's confirmation (not counted above).
    pub near_awaiting_confirmation: CategoryCounts,
    /// Exhibits counted.
    pub exhibits: usize,
    /// Of those, exhibits not yet graded (the counts can still rise).
    pub exhibits_not_graded: usize,
    /// Possession (any indecent image).
    pub possession: Indication,
    /// Distribution (shown, shared or sent).
    pub distribution: Indication,
    /// Production (making an image that did not exist before).
    pub production: Indication,
}

/// Put together the charging summary from each exhibit's findings. Near matches never count until a grader
/// confirms them: a grader who does counts them among the graded images.
pub fn charging_summary(exhibits: &[ExhibitFindings]) -> ChargingSummary {
    let (mut exact, mut graded, mut near) = (
        CategoryCounts::default(),
        CategoryCounts::default(),
        CategoryCounts::default(),
    );
    for e in exhibits {
        exact.add(&e.exact);
        near.add(&e.near);
        if let Some(g) = &e.graded {
            graded.add(g);
        }
    }
    let mut images = exact;
    images.add(&graded);
    let not_graded = exhibits.iter().filter(|e| e.graded.is_none()).count();
    let shared = exhibits.iter().filter(|e| e.distribution).count();
    let made = exhibits.iter().filter(|e| e.production).count();
    let new_images: u64 = exhibits.iter().map(|e| e.new_images).sum();
    let plural = |n: usize| if n == 1 { "exhibit" } else { "exhibits" };
    ChargingSummary {
        possession: Indication {
            indicated: images.total() > 0,
            basis: if images.total() > 0 {
                format!(
                    "{} indecent images ({} exact matches, {} graded)",
                    images.total(),
                    exact.total(),
                    graded.total()
                )
            } else if near.total() > 0 {
                format!(
                    "No confirmed images yet: {} near matches await a grader",
                    near.total()
                )
            } else {
                "No indecent images found".into()
            },
        },
        distribution: Indication {
            indicated: shared > 0,
            basis: if shared > 0 {
                format!("The grader found sharing on {shared} {}", plural(shared))
            } else {
                "Not found by a grader".into()
            },
        },
        production: Indication {
            indicated: made > 0,
            basis: match (made, new_images) {
                (0, 0) => "Not found by a grader".into(),
                (0, n) => format!(
                    "Not found by a grader; {n} new images were sent for victim identification"
                ),
                (m, _) => format!("The grader found images made on {m} {}", plural(m)),
            },
        },
        images,
        exact,
        graded,
        near_awaiting_confirmation: near,
        exhibits: exhibits.len(),
        exhibits_not_graded: not_graded,
    }
}

#[cfg(test)]
mod tests;
