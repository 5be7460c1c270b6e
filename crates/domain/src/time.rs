//! Time as the force sees it: instants are stored in UTC and shown in Europe/London wall-clock time,
//! using the time-zone database built into the binary (so results never depend on the host's zone files).

use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// How far ahead of the server's clock a time given by a person or a sender may be: their clocks and ours
/// can be a few minutes apart, and a time typed to the minute rounds up.
pub const CLOCK_SKEW: jiff::SignedDuration = jiff::SignedDuration::from_mins(5);

/// A time received that is later than now (allowing for [`CLOCK_SKEW`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the time received ({0}) is in the future")]
pub struct FutureReceipt(pub Timestamp);

/// Refuse a force receipt time in the future: the clocks run from it.
pub fn check_receipt(received_at: Timestamp, now: Timestamp) -> Result<(), FutureReceipt> {
    if received_at > now + CLOCK_SKEW {
        Err(FutureReceipt(received_at))
    } else {
        Ok(())
    }
}

/// The force's display zone.
pub fn london() -> TimeZone {
    TimeZone::get("Europe/London").expect("Europe/London is in the bundled time-zone database")
}

/// An instant in London time.
pub fn in_london(t: Timestamp) -> ZonedDateTime {
    t.to_zoned_datetime(london())
}

/// `29 Nov 2026 14:05` (London time, with GMT/BST shown so nobody misreads an hour).
pub fn display(t: Timestamp) -> String {
    in_london(t).strftime("%-d %b %Y %H:%M %Z").to_string()
}

/// A plain-English length of time such as `3 days 4 hours` or `45 minutes`, for the time left or overdue.
pub fn describe_duration(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    let (days, hours, minutes) = (s / 86_400, (s % 86_400) / 3_600, (s % 3_600) / 60);
    let unit = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    if days > 0 {
        if hours > 0 {
            format!("{} {}", unit(days, "day"), unit(hours, "hour"))
        } else {
            unit(days, "day")
        }
    } else if hours > 0 {
        format!("{} {}", unit(hours, "hour"), unit(minutes, "minute"))
    } else {
        unit(minutes, "minute")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winter_times_are_shown_as_gmt_and_summer_times_as_bst() {
        let winter: Timestamp = "2026-01-15T09:30:00Z".parse().unwrap();
        let summer: Timestamp = "2026-07-15T09:30:00Z".parse().unwrap();
        assert_eq!(display(winter), "15 Jan 2026 09:30 GMT");
        assert_eq!(display(summer), "15 Jul 2026 10:30 BST");
    }

    #[test]
    fn durations_read_as_plain_english() {
        assert_eq!(describe_duration(45 * 60), "45 minutes");
        assert_eq!(describe_duration(3_600 + 60), "1 hour 1 minute");
        assert_eq!(
            describe_duration(-(3 * 86_400 + 4 * 3_600)),
            "3 days 4 hours"
        );
        assert_eq!(describe_duration(86_400), "1 day");
    }
}

#[cfg(test)]
mod receipt_tests {
    use super::*;

    #[test]
    fn a_receipt_up_to_five_minutes_ahead_is_taken_and_later_is_refused() {
        let now: Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
        assert!(check_receipt(now + CLOCK_SKEW, now).is_ok());
        let late = now + CLOCK_SKEW + jiff::SignedDuration::from_secs(1);
        assert_eq!(
            check_receipt(late, now).unwrap_err().to_string(),
            format!("the time received ({late}) is in the future")
        );
    }
}

/// The earliest date a force accepts for a time it is given (receipts, incidents, steps), unless configured
/// otherwise: online child abuse referrals before it are not kept in Safeguard, and an earlier date is a typing
/// or sender's error (0001-01-01, 1970-01-01).
pub const DEFAULT_EARLIEST: jiff::civil::Date = jiff::civil::date(2000, 1, 1);

/// The largest offset from UTC any place on Earth uses (+14:00 in Kiribati; −12:00 is the other end).
pub const MAX_OFFSET_HOURS: i32 = 14;

/// Why a time given is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeProblem {
    /// Before the force's earliest date.
    #[error("{0} is before {1}, the earliest date Safeguard accepts")]
    TooEarly(String, jiff::civil::Date),
    /// An offset no place uses.
    #[error("the offset {0} is not one any place uses (from -12:00 to +14:00)")]
    Offset(String),
    /// A London wall-clock time skipped when the clocks went forward.
    #[error(
        "{0} did not happen in London: the clocks went forward from 01:00 GMT to 02:00 BST that night. Give a time before 01:00 or from 02:00"
    )]
    DoesNotExist(String),
    /// A London wall-clock time that happened twice when the clocks went back.
    #[error(
        "{0} happens twice in London: first in BST, then an hour later in GMT when the clocks went back. Choose which is meant"
    )]
    Twice(String),
}

impl TimeProblem {
    /// The error code a refusal carries: `time.ambiguous` when the person must say which time is meant,
    /// `time.invalid` otherwise.
    pub fn code(&self) -> &'static str {
        match self {
            TimeProblem::Twice(_) => "time.ambiguous",
            _ => "time.invalid",
        }
    }
}

/// Which of a time that happens twice (the clocks going back) is meant: the first (BST) or the second (GMT).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// The first, in BST.
    First,
    /// The second, an hour later, in GMT.
    Second,
}

/// The instant of a London wall-clock time: refused when it does not exist (the spring change), and, when it
/// happens twice (the autumn change), unless `fold` says which.
pub fn london_wall(
    dt: jiff::civil::DateTime,
    fold: Option<Fold>,
) -> Result<Timestamp, TimeProblem> {
    use jiff::tz::AmbiguousOffset;
    let words = || dt.strftime("%-d %b %Y %H:%M").to_string();
    let ambiguous = london().to_ambiguous_zoned_datetime(dt);
    match (ambiguous.offset(), fold) {
        (AmbiguousOffset::Unambiguous { .. }, _) => ambiguous
            .unambiguous()
            .map(|z| z.timestamp())
            .map_err(|_| TimeProblem::DoesNotExist(words())),
        (AmbiguousOffset::Gap { .. }, _) => Err(TimeProblem::DoesNotExist(words())),
        (AmbiguousOffset::Fold { .. }, None) => Err(TimeProblem::Twice(words())),
        (AmbiguousOffset::Fold { before, after }, Some(which)) => {
            let offset = if which == Fold::First { before } else { after };
            offset
                .to_timestamp(dt)
                .map_err(|_| TimeProblem::DoesNotExist(words()))
        }
    }
}

/// Whether some place uses an offset of `seconds` from UTC (−12:00 to +14:00).
pub fn offset_in_use(seconds: i32) -> bool {
    (-12 * 3600..=MAX_OFFSET_HOURS * 3600).contains(&seconds)
}

/// Refuse an RFC 3339 time whose offset no place uses (`+25:00`); `Z`, a time without an offset, and text that
/// is not a time pass (they are refused, if at all, where they are read).
pub fn check_offset(text: &str) -> Result<(), TimeProblem> {
    use jiff::fmt::temporal::{Pieces, PiecesOffset};
    let t = text.trim();
    match Pieces::parse(t).ok().and_then(|p| p.offset()) {
        Some(PiecesOffset::Numeric(n)) if !offset_in_use(n.offset().seconds()) => {
            let at = t.rfind(['+', '-']).unwrap_or(0);
            Err(TimeProblem::Offset(t[at..].to_string()))
        }
        _ => Ok(()),
    }
}

/// Refuse a time before the London midnight starting `earliest`.
pub fn check_not_before(t: Timestamp, earliest: jiff::civil::Date) -> Result<(), TimeProblem> {
    let start = earliest
        .to_zoned_datetime(london())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    if t < start {
        Err(TimeProblem::TooEarly(display(t), earliest))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod wall_clock_tests {
    use super::*;

    #[test]
    fn a_time_skipped_in_spring_is_refused_and_one_that_happens_twice_in_autumn_needs_a_choice() {
        let gap: jiff::civil::DateTime = "2026-03-29T01:30".parse().unwrap();
        assert!(matches!(
            london_wall(gap, None),
            Err(TimeProblem::DoesNotExist(_))
        ));
        let fold: jiff::civil::DateTime = "2026-10-25T01:30".parse().unwrap();
        assert!(matches!(
            london_wall(fold, None),
            Err(TimeProblem::Twice(_))
        ));
        assert_eq!(
            london_wall(fold, Some(Fold::First)).unwrap(),
            "2026-10-25T00:30:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(
            london_wall(fold, Some(Fold::Second)).unwrap(),
            "2026-10-25T01:30:00Z".parse::<Timestamp>().unwrap()
        );
        let plain: jiff::civil::DateTime = "2026-07-15T10:30".parse().unwrap();
        assert_eq!(
            london_wall(plain, None).unwrap(),
            "2026-07-15T09:30:00Z".parse::<Timestamp>().unwrap()
        );
    }

    #[test]
    fn offsets_beyond_those_any_place_uses_are_refused() {
        for ok in [
            "2026-01-01T10:00:00Z",
            "2026-01-01T10:00:00+14:00",
            "2026-01-01T10:00:00-12:00",
            "2026-01-01T10:00:00+05:45",
            "2026-01-01T10:00:00-05:00",
        ] {
            assert!(check_offset(ok).is_ok(), "{ok}");
        }
        for bad in [
            "2026-01-01T10:00:00+25:00",
            "2026-01-01T10:00:00+14:30",
            "2026-01-01T10:00:00-13:00",
        ] {
            assert!(
                matches!(check_offset(bad), Err(TimeProblem::Offset(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn times_before_the_earliest_date_are_refused() {
        assert!(
            check_not_before("1970-01-01T00:00:00Z".parse().unwrap(), DEFAULT_EARLIEST).is_err()
        );
        assert!(
            check_not_before("0001-01-01T00:00:00Z".parse().unwrap(), DEFAULT_EARLIEST).is_err()
        );
        assert!(
            check_not_before("2000-01-01T00:00:00Z".parse().unwrap(), DEFAULT_EARLIEST).is_ok()
        );
    }
}
