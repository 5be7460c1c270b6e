//! Reading definitions: the shipped default, and bad files refused with the item named.

use super::*;

/// A small valid instrument, for breaking one piece at a time.
const SMALL: &str = r#"
id = "small"
version = "2"
title = "Small"
[thresholds]
very_high = 6
high = 4
medium = 2
[[steps]]
id = "only"
title = "Only step"
[[steps.questions]]
id = "q1"
kind = "yes_no"
text = "Q1?"
help = "Help."
yes_points = 2
[[steps.questions]]
id = "q2"
kind = "number"
text = "Q2?"
help = "Help."
min = 0
max = 10
bands = [{ at_least = 1, points = 1 }]
[[floors]]
id = "f1"
level = "high"
why = "Because."
when = [{ question = "q1", is = "yes" }]
"#;

fn refused(text: &str) -> String {
    Instrument::from_toml(text)
        .expect_err("should be refused")
        .to_string()
}

#[test]
fn the_default_instrument_loads_and_validates() {
    let i = Instrument::default_instrument();
    assert_eq!(i.reference().id, "safeguard-default");
    let steps: Vec<_> = i.steps().iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        steps,
        [
            "Previous behaviour",
            "Access to children",
            "Current behaviour",
            "Other factors"
        ]
    );
    assert!(i.questions().count() >= 12);
    assert!(
        i.floors()
            .iter()
            .any(|f| f.id == "escalated" && f.level == RiskLevel::High)
    );
    assert!(
        i.floors()
            .iter()
            .any(|f| f.id == "immediate_risk" && f.level == RiskLevel::VeryHigh)
    );
}

#[test]
fn every_prefill_source_fills_one_question_of_the_default() {
    let i = Instrument::default_instrument();
    let mut sources: Vec<_> = i.questions().filter_map(|q| q.prefill).collect();
    sources.sort();
    assert_eq!(sources.len(), 6);
}

#[test]
fn the_small_fixture_is_valid() {
    Instrument::from_toml(SMALL).unwrap();
}

#[test]
fn bad_definitions_are_refused_naming_the_item() {
    let cases: &[(&str, String, &str)] = &[
        (
            "missing version",
            SMALL.replace("version = \"2\"\n", ""),
            "version",
        ),
        (
            "duplicate question id",
            SMALL.replace("id = \"q2\"", "id = \"q1\""),
            "question id 'q1'",
        ),
        (
            "unknown question in a floor",
            SMALL.replace("question = \"q1\"", "question = \"q9\""),
            "unknown question 'q9'",
        ),
        (
            "floor on a yes/no with a number",
            SMALL.replace("is = \"yes\"", "at_least = 1"),
            "floor 'f1'",
        ),
        (
            "thresholds out of order",
            SMALL.replace("high = 4", "high = 7"),
            "thresholds",
        ),
        (
            "min above max",
            SMALL.replace("min = 0", "min = 11"),
            "question 'q2'",
        ),
        (
            "misspelt field",
            SMALL.replace("yes_points", "yes_point"),
            "yes_point",
        ),
        (
            "field of another kind",
            SMALL.replace("yes_points = 2", "yes_points = 2\nmin = 1"),
            "question 'q1'",
        ),
        (
            "count pre-fill on yes/no",
            SMALL.replace("yes_points = 2", "prefill = \"prior_reports\""),
            "question 'q1'",
        ),
        (
            "upper-case id",
            SMALL.replace("id = \"q1\"", "id = \"Q1\""),
            "'Q1'",
        ),
        (
            "duplicate floor",
            format!(
                "{SMALL}[[floors]]\nid = \"f1\"\nlevel = \"low\"\nwhy = \"x\"\nwhen = [{{ question = \"q1\", is = \"no\" }}]\n"
            ),
            "floor id 'f1'",
        ),
    ];
    for (what, text, named) in cases {
        let message = refused(text);
        assert!(
            message.contains(named),
            "{what}: '{message}' should name {named}"
        );
    }
}

#[test]
fn a_floor_naming_an_option_the_question_lacks_is_refused() {
    let bad = DEFAULT_TOML.replace("is = \"meeting\"", "is = \"met\"");
    let message = refused(&bad);
    assert!(
        message.contains("meeting_a_child") && message.contains("'met'"),
        "{message}"
    );
}

#[test]
fn the_example_in_the_documentation_loads() {
    let doc = include_str!("../../../../../docs/risk-instrument.md");
    let start = doc.find("```toml\n").expect("the page has a TOML example") + "```toml\n".len();
    let example = &doc[start..start + doc[start..].find("```").unwrap()];
    let i = Instrument::from_toml(example).unwrap();
    assert_eq!(i.reference().to_string(), "my-force version 2026-1");
    let mut answers = i.prefill(&PrefillFacts {
        escalated: Some(true),
        prior_reports: Some(0),
        ..Default::default()
    });
    i.answer(&mut answers, "category", AnswerValue::Choice("none".into()))
        .unwrap();
    assert_eq!(i.evaluate(&answers).unwrap().level(), Some(RiskLevel::High));
}
