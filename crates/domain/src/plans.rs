//! Investigation plan templates: versioned data (TOML under `config/plans/`, `--plans` for a force's own), one
//! plan per offence, each an ordered list of actions with a due offset from a named event (receipt, allocation,
//! first enforcement, device seizure), who does it, and guidance for the officer. Allocation instantiates the
//! referral's plan; each action is a clock once its start event has happened (before that it has no due time).

use crate::offence::Offence;
use crate::timeliness::TargetSpan;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The event an action's due time counts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StartEvent {
    /// Force receipt.
    Receipt,
    /// Allocation to an officer.
    Allocation,
    /// The first enforcement action.
    FirstEnforcement,
    /// A device seized (recorded with exhibits; until then the action has no due time).
    DeviceSeizure,
}

impl StartEvent {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            StartEvent::Receipt => "receipt",
            StartEvent::Allocation => "allocation",
            StartEvent::FirstEnforcement => "the first enforcement action",
            StartEvent::DeviceSeizure => "a device's seizure",
        }
    }
}

/// Who does an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Doer {
    /// The allocated investigator.
    Investigator,
    /// The sergeant.
    Supervisor,
    /// Digital forensics (the investigator completes these until exhibits exist).
    Forensics,
}

impl Doer {
    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            Doer::Investigator => "Investigator",
            Doer::Supervisor => "Supervisor",
            Doer::Forensics => "Digital forensics",
        }
    }
}

/// One action of a template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateAction {
    /// Stable id within the plan (`secure_devices`).
    pub id: String,
    /// What to do.
    pub title: String,
    /// The event the due time counts from.
    pub from: StartEvent,
    /// How long after it.
    pub due: TargetSpan,
    /// Who does it.
    pub who: Doer,
    /// Guidance for the officer.
    pub guidance: String,
}

/// The plan for one offence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// The offence it is for.
    pub offence: Offence,
    /// Its actions, in order.
    pub actions: Vec<TemplateAction>,
}

/// A versioned set of plan templates, one per offence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSet {
    /// Its id (`safeguard-default`).
    pub id: String,
    /// Its version, kept with every plan made from it.
    pub version: String,
    /// The templates.
    pub plans: Vec<Template>,
}

/// The set shipped with Safeguard, written by the project.
const DEFAULT: &str = include_str!("../../../config/plans/default.toml");

impl PlanSet {
    /// The shipped default set.
    pub fn default_set() -> Self {
        PlanSet::from_toml(DEFAULT).expect("the shipped plan templates are valid")
    }

    /// Read and check a set: one template per offence, every offence covered, unique action ids, a title and
    /// guidance for each action, targets of at least an hour or a day.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let set: PlanSet = toml::from_str(text).map_err(|e| e.to_string())?;
        if set.version.trim().is_empty() || set.id.trim().is_empty() {
            return Err("the plan set needs an `id` and a `version`".into());
        }
        let mut seen = BTreeSet::new();
        for t in &set.plans {
            if !seen.insert(t.offence) {
                return Err(format!("two plans for `{}`", t.offence.as_str()));
            }
            if t.actions.is_empty() {
                return Err(format!(
                    "the plan for `{}` has no actions",
                    t.offence.as_str()
                ));
            }
            let mut ids = BTreeSet::new();
            for a in &t.actions {
                let at = format!("action `{}` of `{}`", a.id, t.offence.as_str());
                if a.id.trim().is_empty() || !ids.insert(a.id.as_str()) {
                    return Err(format!("{at}: every action needs its own id"));
                }
                if a.title.trim().is_empty() || a.guidance.trim().is_empty() {
                    return Err(format!("{at} needs a title and guidance"));
                }
                if matches!(a.due, TargetSpan::Hours(0) | TargetSpan::Days(0)) {
                    return Err(format!("{at}: `due` must be at least 1 hour or 1 day"));
                }
                if matches!(a.due, TargetSpan::Days(d) if d > crate::timeliness::MAX_TARGET_DAYS)
                    || matches!(a.due, TargetSpan::Hours(h) if h > crate::timeliness::MAX_TARGET_DAYS * 24)
                {
                    return Err(format!("{at}: `due` is longer than ten years"));
                }
            }
        }
        if let Some(missing) = Offence::ALL.iter().find(|o| !seen.contains(o)) {
            return Err(format!("no plan for `{}`", missing.as_str()));
        }
        Ok(set)
    }

    /// The template for an offence.
    pub fn template(&self, offence: Offence) -> &Template {
        self.plans
            .iter()
            .find(|t| t.offence == offence)
            .expect("a checked set has a plan for every offence")
    }
}

/// When the events an action can count from happened, so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Events {
    /// Force receipt.
    pub receipt: Option<Timestamp>,
    /// Allocation.
    pub allocation: Option<Timestamp>,
    /// The first enforcement action.
    pub first_enforcement: Option<Timestamp>,
    /// A device seized.
    pub device_seizure: Option<Timestamp>,
}

impl Events {
    /// When `event` happened, if it has.
    pub fn at(&self, event: StartEvent) -> Option<Timestamp> {
        match event {
            StartEvent::Receipt => self.receipt,
            StartEvent::Allocation => self.allocation,
            StartEvent::FirstEnforcement => self.first_enforcement,
            StartEvent::DeviceSeizure => self.device_seizure,
        }
    }
}

/// The clock of an action whose start event has happened (none yet otherwise: no due time).
pub fn action_clock(
    from: StartEvent,
    due: TargetSpan,
    events: &Events,
) -> Option<crate::clocks::Clock> {
    events
        .at(from)
        .map(|at| crate::clocks::Clock::start(crate::clocks::ClockKind::PlanAction, at, due))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_set_has_a_checked_plan_for_every_offence() {
        let set = PlanSet::default_set();
        for o in Offence::ALL {
            assert!(!set.template(o).actions.is_empty(), "{o:?}");
        }
    }

    #[test]
    fn an_action_has_no_due_time_until_its_event_happens() {
        let allocated: Timestamp = "2026-02-02T10:00:00Z".parse().unwrap();
        let events = Events {
            receipt: Some("2026-02-01T10:00:00Z".parse().unwrap()),
            allocation: Some(allocated),
            ..Events::default()
        };
        assert!(action_clock(StartEvent::FirstEnforcement, TargetSpan::Days(3), &events).is_none());
        let c = action_clock(StartEvent::Allocation, TargetSpan::Hours(24), &events).unwrap();
        assert_eq!(c.base_due, "2026-02-03T10:00:00Z".parse().unwrap());
        assert_eq!(c.kind, crate::clocks::ClockKind::PlanAction);
        assert!(c.kind.may_pause(), "a supervisor may pause a plan action");
    }

    #[test]
    fn a_set_missing_an_offence_or_repeating_an_action_id_is_refused_by_name() {
        let one = r#"
id = "x"
version = "1"
[[plans]]
offence = "other"
[[plans.actions]]
id = "a"
title = "Do it"
from = "allocation"
due = { days = 1 }
who = "investigator"
guidance = "How"
"#;
        let e = PlanSet::from_toml(one).unwrap_err();
        assert!(e.starts_with("no plan for `indecent_images`"), "{e}");
        let twice = one.to_string() + &one[one.find("[[plans.actions]]").unwrap()..];
        let e = PlanSet::from_toml(&twice).unwrap_err();
        assert!(e.contains("action `a` of `other`"), "{e}");
    }
}
