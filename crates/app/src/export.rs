//! Exports of lists (CSV downloads): each is a disclosure of personal data, so it needs a recipient and a
//! purpose, is held to at most `Config::export_max_rows` rows, and is recorded in the access log with both.
//! The queue and the work lists share these rules; the CSV itself is written at the web edge.

use crate::{Actor, App, Error};
use domain::audit::{AccessOutcome, Processing};

/// The most rows an export holds by default (the limit).
pub const MAX_ROWS: usize = 10_000;

/// Who an export is for and why, as the user gave them: both required.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disclosure {
    /// Who it is for (at most 200 characters).
    pub recipient: String,
    /// Why (at most 1,000 characters).
    pub purpose: String,
}

impl Disclosure {
    /// The recipient and purpose as typed; a blank or over-long one is refused naming its field
    /// (`recipient`, `purpose`).
    pub fn parse(recipient: Option<&str>, purpose: Option<&str>) -> Result<Self, Error> {
        Ok(Disclosure {
            recipient: crate::required_text(recipient.unwrap_or(""), "recipient", 200)?,
            purpose: crate::required_text(purpose.unwrap_or(""), "purpose", 1000)?,
        })
    }
}

/// Refuse an export of `rows` rows when it is over the limit, saying how many there are and what to do.
pub fn check_size(app: &App, rows: usize) -> Result<(), Error> {
    let max = app.config().export_max_rows;
    if rows > max {
        return Err(Error::invalid(
            "export.too_large",
            format!(
                "This list has {} rows and an export holds at most {}: narrow it with the filters, then export again.",
                thousands(rows),
                thousands(max)
            ),
        ));
    }
    Ok(())
}

/// Record the export of `rows` rows of `what` as a disclosure with its recipient and purpose. Where the force
/// requires a justification for disclosures, the purpose is that justification.
pub async fn record(
    app: &App,
    actor: &Actor,
    what: &str,
    rows: usize,
    d: &Disclosure,
) -> Result<(), Error> {
    crate::access::log(
        app,
        &justified(actor, d),
        Processing::Disclosure,
        "referral",
        "-",
        AccessOutcome::Allowed,
        format!(
            "exported {what} as CSV ({rows} rows) to {} for {}",
            d.recipient, d.purpose
        ),
    )
    .await
}

/// The actor with the export's purpose as their justification, unless they gave one already: where the
/// force requires a justification, the purpose of a disclosure is its justification.
pub fn justified(actor: &Actor, d: &Disclosure) -> Actor {
    let mut actor = actor.clone();
    if actor.justification.is_none() {
        actor.justification = Some(d.purpose.clone());
    }
    actor
}

/// A count as people write it: `12345` as `12,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_needs_both_a_recipient_and_a_purpose() {
        let e = Disclosure::parse(Some("  "), Some("weekly review")).unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { location: Some(l), .. } if l == "recipient"),
            "{e:?}"
        );
        let e = Disclosure::parse(Some("DS Review Team"), None).unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { location: Some(l), .. } if l == "purpose"),
            "{e:?}"
        );
        let d = Disclosure::parse(Some(" DS Review Team "), Some("weekly review")).unwrap();
        assert_eq!(d.recipient, "DS Review Team");
    }

    #[test]
    fn row_counts_are_written_with_thousands_separators() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
