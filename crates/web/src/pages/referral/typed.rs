//! A refused form comes back as it was typed, with an error summary whose entries link to their fields and
//! the error beside the field (the GOV.UK Design System's error summary and error message patterns).

use maud::{Markup, html};
use std::collections::HashMap;

/// A form the server refused: which step it was, what was typed, and why.
pub struct Refused<'a> {
    /// The step's path segment (`outcome`, `instrument`, `action-na`).
    pub step: &'a str,
    /// Every field as sent.
    pub values: &'a HashMap<String, String>,
    /// The error, in words.
    pub message: String,
    /// The id of the page element the error is about, when known.
    pub field: Option<String>,
}

/// What the page's forms need to show a refused form again: nothing, or the refusal.
#[derive(Clone, Copy, Default)]
pub struct Typed<'a> {
    refused: Option<&'a Refused<'a>>,
}

impl<'a> Typed<'a> {
    /// The page shown again after `r` was refused.
    pub fn from(r: Option<&'a Refused<'a>>) -> Self {
        Typed { refused: r }
    }

    /// What was typed into `name` of the form of `step`, if that form was the one refused.
    pub fn value(&self, step: &str, name: &str) -> Option<&'a str> {
        let r = self.refused?;
        (r.step == step)
            .then(|| r.values.get(name).map(String::as_str))
            .flatten()
    }

    /// The same, for a form shown once per item (a plan action, a clock): only when the refused form's
    /// hidden `key` field was `item`.
    pub fn value_of(&self, step: &str, key: &str, item: &str, name: &str) -> Option<&'a str> {
        (self.value(step, key) == Some(item))
            .then(|| self.value(step, name))
            .flatten()
    }

    /// Whether `value` was the one chosen in `name` of the refused form of `step`; `otherwise` when that form
    /// was not refused.
    pub fn chosen(&self, step: &str, name: &str, value: &str, otherwise: bool) -> bool {
        match self.refused {
            Some(r) if r.step == step => r.values.get(name).is_some_and(|v| v == value),
            _ => otherwise,
        }
    }

    /// The error about the element `id`, if any.
    pub fn error_for(&self, id: &str) -> Option<&'a str> {
        let r = self.refused?;
        (r.field.as_deref() == Some(id)).then_some(r.message.as_str())
    }

    /// `aria-describedby` for the element `id`: its error message's id when it has one.
    pub fn described_by(&self, id: &str) -> Option<String> {
        self.error_for(id).map(|_| format!("{id}-error"))
    }

    /// The error message shown beside the element `id` (nothing when it has none).
    pub fn error_line(&self, id: &str) -> Markup {
        html! {
            @if let Some(m) = self.error_for(id) {
                p.error-message id={(id) "-error"} { span.visually-hidden { "Error: " } (m) }
            }
        }
    }
}

/// The error summary at the top of the page: each error links to its field.
pub fn summary(refused: Option<&Refused>) -> Markup {
    html! {
        @if let Some(r) = refused && !r.message.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-title" tabindex="-1" autofocus {
                h2 #error-title { "There is a problem" }
                ul {
                    li {
                        @match &r.field {
                            Some(id) => a href={"#" (id)} { (r.message) },
                            None => (r.message),
                        }
                    }
                }
            }
        }
    }
}

/// The page element a refused step's error is about: the field the error names (`location` from the
/// application, or the form field a missing value was asked for), else the step's first field left empty,
/// else its first field.
pub fn element_for(
    step: &str,
    location: Option<&str>,
    values: &HashMap<String, String>,
) -> Option<String> {
    let item = |k: &str| values.get(k).map(String::as_str).unwrap_or("");
    // (name sent, or named by the application) → element id, in the order the form asks.
    let fields: Vec<(&str, String)> = match step {
        "risk" => vec![
            ("level", "level-very_high".into()),
            ("reason", "reason".into()),
        ],
        "route" => vec![("bcu", "bcu".into())],
        "allocation" => vec![("officer", "officer".into())],
        "enforcement" => vec![
            ("kind", "kind-warrant".into()),
            ("at", "at".into()),
            ("address", "enf-address".into()),
            ("notes", "notes".into()),
        ],
        "outcome" => vec![
            ("code", "code".into()),
            ("rationale", "rationale".into()),
            ("informed", "informed".into()),
            ("victim_informed", "informed".into()),
        ],
        "outcome-decision" => vec![
            ("approve", "approve-yes".into()),
            ("reason", "decision-reason".into()),
        ],
        "reopen" => vec![("reason", "reopen-reason".into())],
        "decision" => vec![
            ("decision", "dec-sign".into()),
            ("level", "dec-level".into()),
            ("reason", "dec-reason".into()),
        ],
        "review" => vec![
            ("progress", "review-progress".into()),
            ("risk_still_right", "risk-right-yes".into()),
            ("next_steps", "review-next".into()),
            ("plan_change", "review-plan".into()),
            ("late_code", "review-late".into()),
            ("late_reason", "review-late".into()),
        ],
        "offence" => vec![("offence", "offence".into())],
        "action-done" => vec![
            ("late_code", format!("late-{}", item("action_id"))),
            ("late_reason", format!("late-{}", item("action_id"))),
        ],
        "action-na" => vec![("reason", format!("na-{}", item("action_id")))],
        "action-add" => vec![
            ("title", "add-title".into()),
            ("due_at", "add-due".into()),
            ("guidance", "add-guidance".into()),
        ],
        "return-date" => vec![("return_on", "return-on".into())],
        "returned" => vec![
            ("late_code", format!("ret-late-{}", item("clock"))),
            ("late_reason", format!("ret-late-{}", item("clock"))),
        ],
        "pause-clock" => vec![("reason", format!("pause-{}", item("clock")))],
        "corroboration" => vec![
            ("address", "check-address".into()),
            ("method", "check-method".into()),
            ("detail", "check-detail".into()),
        ],
        "child-house-interview" => vec![("interviewer", format!("abe-by-{}", item("child")))],
        "safeguarding" => {
            let p = format!("sg-{}", item("safeguarding"));
            vec![
                ("authority", format!("{p}-authority")),
                ("made_at", format!("{p}-made")),
                ("strategy_discussion_on", format!("{p}-strategy")),
                ("late_code", format!("{p}-late")),
                ("late_reason", format!("{p}-late")),
                ("not_needed_reason", format!("{p}-not-needed")),
            ]
        }
        "person-add" | "person-correct" | "person-category" => {
            let prefix = match step {
                "person-add" => "add".to_string(),
                _ => format!("p-{}", item("person")),
            };
            let names: &[&str] = match step {
                "person-category" => &["category", "access", "reason"],
                "person-add" => &[
                    "category",
                    "given_name",
                    "family_name",
                    "age",
                    "date_of_birth",
                    "school",
                    "emails",
                    "phones",
                    "screen_names",
                    "access",
                    "notes",
                ],
                _ => &[
                    "given_name",
                    "family_name",
                    "age",
                    "date_of_birth",
                    "school",
                    "emails",
                    "phones",
                    "screen_names",
                    "access",
                    "notes",
                ],
            };
            names
                .iter()
                .map(|n| {
                    let id = match (step, *n) {
                        ("person-add", "category") => "person-category".to_string(),
                        ("person-category", "access") => format!("{prefix}-cat-access"),
                        _ => format!("{prefix}-{n}"),
                    };
                    (*n, id)
                })
                .collect()
        }
        "exhibit-add" => vec![
            ("reference", "ex-reference".into()),
            ("kind", "ex-kind".into()),
            ("description", "ex-description".into()),
            ("seized_at", "ex-seized-at".into()),
            ("seized_where", "ex-where".into()),
            ("seized_from_person", "ex-person".into()),
            ("seized_from", "ex-from".into()),
        ],
        "remedial-done" => vec![
            ("note", format!("rem-note-{}", item("action_id"))),
            ("late_code", format!("rem-late-{}", item("action_id"))),
            ("late_reason", format!("rem-late-{}", item("action_id"))),
        ],
        "quality-refer" => [
            "action_1", "due_1", "action_2", "due_2", "action_3", "due_3",
        ]
        .into_iter()
        .map(|k| (k, format!("q-{k}")))
        .collect(),
        _ => vec![],
    };
    // A quality review's grades name their area (`grade_supervision`): its fieldset.
    if step == "quality-grade" {
        return Some(format!("q-{}", location.unwrap_or("grade_overall")));
    }
    if step == "instrument" {
        // `answers.<question>` from the application: the question's input, or its fieldset for yes or no.
        return Some(format!("q.{}", location?.strip_prefix("answers.")?));
    }
    if let Some(loc) = location
        && let Some((_, id)) = fields.iter().find(|(k, _)| *k == loc)
    {
        return Some(id.clone());
    }
    fields
        .iter()
        .find(|(k, _)| values.contains_key(*k) && item(k).trim().is_empty())
        .or(fields.first())
        .map(|(_, id)| id.clone())
}
