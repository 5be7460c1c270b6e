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
