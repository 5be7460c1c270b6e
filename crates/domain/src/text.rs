//! Typed text: what a person may type into any field. Every typed field has a length limit (names and short
//! labels 200 characters, a justification 1,000, reasons, rationales, notes and the rest 10,000), and no typed
//! text holds NUL or another control character other than a newline, a carriage return or a tab. Imported
//! packages are not typed text: they are kept exactly as received and escaped when shown.

/// The longest name or short label (a person's name, an exhibit reference, a place, a title).
pub const MAX_NAME: usize = 200;
/// The longest justification or purpose (`X-Justification`, an export's purpose).
pub const MAX_JUSTIFICATION: usize = 1_000;
/// The longest anything else typed: reasons, rationales, notes, narratives, questions.
pub const MAX_TEXT: usize = 10_000;

/// Fields holding a name or short label, limited to [`MAX_NAME`].
const NAMES: &[&str] = &[
    "name",
    "given_name",
    "family_name",
    "display_name",
    "username",
    "officer",
    "reference",
    "seized_from",
    "seized_where",
    "from",
    "to",
    "school",
    "interviewer",
    "authority",
    "authority_reference",
    "provider",
    "method",
    "title",
    "label",
    "borough",
    "bcu",
    "role",
    "code",
    "level",
    "kind",
    "decision",
    "status",
    "seed",
    "recipient",
    "subscriber",
    "report_id",
    "package_ref",
];

/// Fields limited to [`MAX_JUSTIFICATION`].
const JUSTIFICATIONS: &[&str] = &["justification", "purpose"];

/// The most characters `field` may hold (by its name, without any path: `reason`, `display_name`).
pub fn limit(field: &str) -> usize {
    if NAMES.contains(&field) {
        MAX_NAME
    } else if JUSTIFICATIONS.contains(&field) {
        MAX_JUSTIFICATION
    } else {
        MAX_TEXT
    }
}

/// Why typed text is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    /// Longer than the field allows.
    #[error("is over {max} characters")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Holds NUL or another control character.
    #[error(
        "holds a control character ({0}): only letters, numbers, punctuation, spaces, tabs and new lines may be typed"
    )]
    Control(String),
}

/// Check `value` as typed into a field limited to `max` characters.
pub fn check_with(value: &str, max: usize) -> Result<(), TextProblem> {
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(TextProblem::Control(format!("U+{:04X}", c as u32)));
    }
    // A cheap bound first: a string of at most `max` bytes has at most `max` characters.
    if value.len() > max && value.chars().count() > max {
        return Err(TextProblem::TooLong { max });
    }
    Ok(())
}

/// Check `value` as typed into the field named `field`.
pub fn check(field: &str, value: &str) -> Result<(), TextProblem> {
    check_with(value, limit(field))
}

/// The field's name in words for a message: `display_name` → `display name`; a path's last part.
pub fn words(field: &str) -> String {
    let last = field
        .rsplit(['.', '['])
        .next()
        .unwrap_or(field)
        .trim_end_matches(']');
    let last = if last.chars().all(|c| c.is_ascii_digit()) {
        field
    } else {
        last
    };
    last.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_reasons_and_justifications_have_their_own_limits() {
        assert_eq!(limit("display_name"), 200);
        assert_eq!(limit("justification"), 1_000);
        assert_eq!(limit("reason"), 10_000);
        assert_eq!(limit("rationale"), 10_000);
        assert!(check("reason", &"é".repeat(10_000)).is_ok());
        assert_eq!(
            check("reason", &"a".repeat(10_001)),
            Err(TextProblem::TooLong { max: 10_000 })
        );
        assert_eq!(
            check("name", &"a".repeat(201)),
            Err(TextProblem::TooLong { max: 200 })
        );
    }

    #[test]
    fn newlines_and_tabs_may_be_typed_but_nul_and_other_controls_may_not() {
        assert!(check("notes", "line one\r\nline two\tend").is_ok());
        assert_eq!(
            check("notes", "a\0b"),
            Err(TextProblem::Control("U+0000".into()))
        );
        assert_eq!(
            check("name", "bell\u{7}"),
            Err(TextProblem::Control("U+0007".into()))
        );
        assert!(check("name", "esc\u{1b}[31m").is_err());
        assert!(check("name", "c1\u{85}").is_err());
    }

    #[test]
    fn a_field_is_named_in_words_by_the_last_part_of_its_path() {
        assert_eq!(words("display_name"), "display name");
        assert_eq!(words("actions[0].action"), "action");
        assert_eq!(words("grades.supervision"), "supervision");
    }
}
