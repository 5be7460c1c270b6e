//! When a closed referral's record is next reviewed for retention (Management of Police Information). The
//! rules are configuration (`--retention`, a TOML table): by default every online child abuse offence is in
//! the public-protection group, first reviewed ten years after closing and then every ten years. A rule may
//! name an offence; otherwise the default applies. Reviews fall on London calendar dates.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One retention rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    /// The MoPI group (`public_protection`), for people.
    pub group: String,
    /// Years from closing to the first review.
    pub first_review_years: u16,
    /// Years between later reviews.
    pub then_every_years: u16,
}

/// The versioned retention table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionTable {
    /// Version label.
    pub version: String,
    /// The rule for any offence not named below.
    pub default: RetentionRule,
    /// Rules for named offences (the offence classification's ids).
    #[serde(default)]
    pub offences: BTreeMap<String, RetentionRule>,
}

impl Default for RetentionTable {
    fn default() -> Self {
        RetentionTable {
            version: "mopi-default".into(),
            default: RetentionRule {
                group: "public_protection".into(),
                first_review_years: 10,
                then_every_years: 10,
            },
            offences: BTreeMap::new(),
        }
    }
}

/// The longest interval a rule may set: no record waits a century for review.
pub const MAX_YEARS: u16 = 100;

impl RetentionTable {
    /// Read a table from TOML, checking every rule.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        let t: RetentionTable = toml::from_str(text).map_err(|e| e.to_string())?;
        t.validate()?;
        Ok(t)
    }

    /// Every interval from 1 to [`MAX_YEARS`], and a version.
    pub fn validate(&self) -> Result<(), String> {
        if self.version.trim().is_empty() {
            return Err("the table needs a `version`".into());
        }
        let rules = std::iter::once(("default", &self.default))
            .chain(self.offences.iter().map(|(k, v)| (k.as_str(), v)));
        for (name, r) in rules {
            for (what, years) in [
                ("first_review_years", r.first_review_years),
                ("then_every_years", r.then_every_years),
            ] {
                if !(1..=MAX_YEARS).contains(&years) {
                    return Err(format!(
                        "`{what}` of `{name}` must be 1 to {MAX_YEARS} years, not {years}"
                    ));
                }
            }
        }
        Ok(())
    }

    /// The rule for an offence (the default when it is not named, or not yet classified).
    pub fn rule(&self, offence: Option<&str>) -> &RetentionRule {
        offence
            .and_then(|o| self.offences.get(o))
            .unwrap_or(&self.default)
    }

    /// The first review date of a record closed at `closed_at`: that many years later, on the London date
    /// (29 February becomes 28 February in a year without it).
    pub fn first_review(&self, offence: Option<&str>, closed_at: Timestamp) -> Date {
        let closed = crate::time::in_london(closed_at).date();
        add_years(closed, self.rule(offence).first_review_years)
    }

    /// The review after one held on `reviewed_on`.
    pub fn next_review(&self, offence: Option<&str>, reviewed_on: Date) -> Date {
        add_years(reviewed_on, self.rule(offence).then_every_years)
    }
}

fn add_years(d: Date, years: u16) -> Date {
    d.checked_add(jiff::Span::new().years(i64::from(years)))
        .expect("at most a century after a real date stays within range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_default_a_closed_record_is_reviewed_ten_years_on_then_every_ten_years() {
        let t = RetentionTable::default();
        let closed: Timestamp = "2026-03-29T00:30:00Z".parse().unwrap();
        let first = t.first_review(None, closed);
        assert_eq!(first.to_string(), "2036-03-29");
        assert_eq!(t.next_review(None, first).to_string(), "2046-03-29");
    }

    #[test]
    fn the_review_date_is_the_london_date_of_closing() {
        let t = RetentionTable::default();
        // 23:30 UTC on 30 June is already 1 July in London (summer time).
        let closed: Timestamp = "2026-06-30T23:30:00Z".parse().unwrap();
        assert_eq!(t.first_review(None, closed).to_string(), "2036-07-01");
    }

    #[test]
    fn a_leap_day_closure_is_reviewed_on_the_28th_in_a_common_year() {
        let t = RetentionTable::default();
        let closed: Timestamp = "2028-02-29T12:00:00Z".parse().unwrap();
        assert_eq!(t.first_review(None, closed).to_string(), "2038-02-28");
    }

    #[test]
    fn a_named_offence_uses_its_own_rule_and_others_the_default() {
        let t = RetentionTable::from_toml(
            r#"
version = "met-2026"
[default]
group = "public_protection"
first_review_years = 10
then_every_years = 10
[offences.other]
group = "other"
first_review_years = 6
then_every_years = 5
"#,
        )
        .unwrap();
        let closed: Timestamp = "2026-01-10T12:00:00Z".parse().unwrap();
        assert_eq!(
            t.first_review(Some("other"), closed).to_string(),
            "2032-01-10"
        );
        assert_eq!(
            t.first_review(Some("iioc"), closed).to_string(),
            "2036-01-10"
        );
    }

    #[test]
    fn a_table_with_a_zero_or_absurd_interval_is_refused_naming_the_rule() {
        let bad = RetentionTable::from_toml(
            "version = \"x\"\n[default]\ngroup = \"g\"\nfirst_review_years = 0\nthen_every_years = 10\n",
        )
        .unwrap_err();
        assert!(bad.contains("`first_review_years` of `default`"), "{bad}");
        let huge = RetentionTable::from_toml(
            "version = \"x\"\n[default]\ngroup = \"g\"\nfirst_review_years = 10\nthen_every_years = 500\n",
        )
        .unwrap_err();
        assert!(huge.contains("1 to 100"), "{huge}");
    }
}
