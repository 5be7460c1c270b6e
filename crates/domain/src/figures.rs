//! The rules of the oversight figures that do not depend on where the counts are kept: the period (calendar
//! months in London), what the oversight role may choose, times to the step they are counted in, the middle
//! and 90th percentile of counted times, and the 95% interval of a share.

use crate::time::london;
use jiff::Timestamp;
use jiff::civil::Date;

/// A calendar month (`YYYY-MM`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// The year.
    pub year: i16,
    /// 1 to 12.
    pub month: i8,
}

/// Why a period was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Not `YYYY-MM`.
    #[error(
        "'{0}' is not a month: give it as YYYY-MM (for example 2026-09); the figures are counted by calendar month"
    )]
    NotAMonth(String),
    /// Not a month, a day or an instant.
    #[error(
        "'{0}' is not a month, a day or an instant: give YYYY-MM (for example 2026-09), YYYY-MM-DD (2026-09-14) or an instant such as 2026-09-14T09:00:00Z"
    )]
    NotAPeriodEnd(String),
    /// The oversight role gave a day or an instant.
    #[error(
        "'{0}' is a day or an instant: the oversight board's figures cover whole calendar months only (give YYYY-MM), so that two periods can never be subtracted to reveal a small count"
    )]
    MonthsOnly(String),
    /// `from` after `to`.
    #[error("the period starts ({from}) after it ends ({to})")]
    Backwards {
        /// The start asked for.
        from: String,
        /// The end asked for.
        to: String,
    },
    /// More than the most months allowed.
    #[error("the period is {months} months long; at most {most} months are shown at once")]
    TooLong {
        /// How many months were asked for.
        months: i64,
        /// The most allowed.
        most: i64,
    },
    /// The oversight role asked for a month that has not ended.
    #[error(
        "{0} has not ended yet: the oversight board's figures cover ended calendar months only, so that two periods can never be subtracted to reveal a small count"
    )]
    NotEnded(Month),
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl std::str::FromStr for Month {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || PeriodError::NotAMonth(s.chars().take(40).collect());
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let (year, month): (i16, i8) =
            (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        // Years the calendar and London's time zone can hold with a month to spare on either side.
        if !(1..=12).contains(&month) || !(1900..=2999).contains(&year) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }
}

impl Month {
    /// The month that holds `at` in London.
    pub fn of(at: Timestamp) -> Month {
        let d = at.to_zoned_datetime(london()).date();
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// The month after.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month before.
    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// Months from `self` to `other`, both counted (1 for the same month).
    pub fn count_to(self, other: Month) -> i64 {
        (i64::from(other.year) - i64::from(self.year)) * 12 + i64::from(other.month)
            - i64::from(self.month)
            + 1
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        Date::new(self.year, self.month, 1).expect("a month's first day exists")
    }

    /// The moment it starts in London.
    pub fn start(self) -> Timestamp {
        self.first_day()
            .to_zoned_datetime(london())
            .expect("midnight at the start of a month exists in London")
            .timestamp()
    }

    /// The moment it ends in London (the next month's start).
    pub fn end(self) -> Timestamp {
        self.next().start()
    }

    /// Its name, as `September 2026`.
    pub fn name(self) -> String {
        const NAMES: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!("{} {}", NAMES[(self.month - 1) as usize], self.year)
    }

    /// Its short name, as `Sep 2026`.
    pub fn short_name(self) -> String {
        format!("{} {}", &self.name()[..3], self.year)
    }
}

/// The most months shown at once (a trend of three years).
pub const MOST_MONTHS: i64 = 36;

/// One end of a period as a reader gives it: a month, a London day, or an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// `YYYY-MM`: from its start, or to its end.
    Month(Month),
    /// `YYYY-MM-DD`, a London day: from its midnight, or to the next midnight.
    Day(Date),
    /// An instant (RFC 3339): from or to that moment.
    Instant(Timestamp),
}

impl std::str::FromStr for Bound {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || PeriodError::NotAPeriodEnd(s.chars().take(40).collect());
        if s.len() == 7 {
            return s.parse::<Month>().map(Bound::Month).map_err(|_| bad());
        }
        let in_range = |year: i16| (1900..=2999).contains(&year);
        if s.len() == 10 {
            let ok = s.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
            let date: Date = s.parse().map_err(|_| bad())?;
            return (ok && in_range(date.year()))
                .then_some(Bound::Day(date))
                .ok_or_else(bad);
        }
        // An offset no place uses (`+25:00`) is refused, as everywhere a time is read.
        crate::time::check_offset(s).map_err(|_| bad())?;
        let at: Timestamp = s.parse().map_err(|_| bad())?;
        let year = Month::of(at).year;
        in_range(year).then_some(Bound::Instant(at)).ok_or_else(bad)
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Month(m) => write!(f, "{m}"),
            Bound::Day(d) => write!(f, "{d}"),
            Bound::Instant(t) => write!(f, "{t}"),
        }
    }
}

impl Bound {
    /// The moment a period starting here starts.
    pub fn start(self) -> Timestamp {
        match self {
            Bound::Month(m) => m.start(),
            Bound::Day(d) => day_start(d),
            Bound::Instant(t) => t,
        }
    }

    /// The moment a period ending here ends (the moment after its last).
    pub fn end(self) -> Timestamp {
        match self {
            Bound::Month(m) => m.end(),
            Bound::Day(d) => {
                day_start(d.tomorrow().expect("a day before the year 3000 has a next"))
            }
            Bound::Instant(t) => t,
        }
    }
}

/// The moment a London day starts (midnight exists in London every day of the year).
fn day_start(d: Date) -> Timestamp {
    d.to_zoned_datetime(london())
        .expect("midnight exists in London")
        .timestamp()
}

/// The time the figures cover: calendar months, both counted; or, for a reader who may choose them, days or
/// instants, from `start` to before `end`, touching the months `from` to `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// The first month (the one that holds the start).
    pub from: Month,
    /// The last month (the one that holds the end's last moment).
    pub to: Month,
    first: Bound,
    last: Bound,
}

impl Period {
    /// The period from `from` to `to`, checked: in order, at most [`MOST_MONTHS`], and, for a reader who
    /// sees only ended months (the oversight role), none that has not ended by `now`.
    pub fn new(
        from: Month,
        to: Month,
        ended_only: bool,
        now: Timestamp,
    ) -> Result<Period, PeriodError> {
        Period::between(Bound::Month(from), Bound::Month(to), ended_only, now)
    }

    /// The period from `first` to `last`, checked as [`Period::new`] checks months; a reader who sees only
    /// ended months gives months only.
    pub fn between(
        first: Bound,
        last: Bound,
        ended_only: bool,
        now: Timestamp,
    ) -> Result<Period, PeriodError> {
        if ended_only {
            for b in [first, last] {
                if !matches!(b, Bound::Month(_)) {
                    return Err(PeriodError::MonthsOnly(b.to_string()));
                }
            }
        }
        let (start, end) = (first.start(), last.end());
        if start >= end {
            return Err(PeriodError::Backwards {
                from: first.to_string(),
                to: last.to_string(),
            });
        }
        let from = Month::of(start);
        let to = Month::of(end - jiff::SignedDuration::from_millis(1));
        let months = from.count_to(to);
        if months > MOST_MONTHS {
            return Err(PeriodError::TooLong {
                months,
                most: MOST_MONTHS,
            });
        }
        if ended_only && to >= Month::of(now) {
            return Err(PeriodError::NotEnded(to));
        }
        Ok(Period {
            from,
            to,
            first,
            last,
        })
    }

    /// The period a reader sees when they choose none: the last `months` ended months before `now`.
    pub fn last_ended(months: i64, now: Timestamp) -> Period {
        let to = Month::of(now).prev();
        let mut from = to;
        for _ in 1..months.max(1) {
            from = from.prev();
        }
        Period {
            from,
            to,
            first: Bound::Month(from),
            last: Bound::Month(to),
        }
    }

    /// Every month the period touches, in order.
    pub fn months(&self) -> Vec<Month> {
        let mut out = vec![self.from];
        while *out.last().expect("one at least") < self.to {
            let next = out.last().expect("one at least").next();
            out.push(next);
        }
        out
    }

    /// The moment the period starts.
    pub fn start(&self) -> Timestamp {
        self.first.start()
    }

    /// The moment the period ends (the figures "as at" are counted then).
    pub fn end(&self) -> Timestamp {
        self.last.end()
    }

    /// Whether it is whole calendar months (from the first month's start to the last month's end).
    pub fn whole_months(&self) -> bool {
        self.start() == self.from.start() && self.end() == self.to.end()
    }

    /// Its start and end as asked for: `YYYY-MM`, `YYYY-MM-DD` or an instant.
    pub fn bounds(&self) -> (String, String) {
        (self.first.to_string(), self.last.to_string())
    }

    /// `September 2026`, `July 2026 to September 2026`, `14 September 2026 to 20 September 2026`, or from one
    /// moment to another.
    pub fn describe(&self) -> String {
        if self.whole_months() {
            return if self.from == self.to {
                self.from.name()
            } else {
                format!("{} to {}", self.from.name(), self.to.name())
            };
        }
        let day = |d: Date| format!("{} {}", d.day(), &Month::of(day_start(d)).name());
        match (self.first, self.last) {
            (Bound::Month(_) | Bound::Day(_), Bound::Month(_) | Bound::Day(_)) => {
                let first = self.start().to_zoned_datetime(london()).date();
                let last = (self.end() - jiff::SignedDuration::from_hours(12))
                    .to_zoned_datetime(london())
                    .date();
                if first == last {
                    day(first)
                } else {
                    format!("{} to {}", day(first), day(last))
                }
            }
            _ => format!(
                "{} to {}",
                crate::time::display(self.start()),
                crate::time::display(self.end())
            ),
        }
    }
}

/// The step a time of `minutes` is counted in (its start, in minutes): 5 minutes below 2 hours, 15 below a
/// day, an hour below a week, a day beyond. The database keeps times in these steps (migration 0018).
pub fn minutes_step(minutes: i64) -> i64 {
    let m = minutes.max(0);
    match m {
        _ if m < 120 => m / 5 * 5,
        _ if m < 1440 => m / 15 * 15,
        _ if m < 10_080 => m / 60 * 60,
        _ => m / 1440 * 1440,
    }
}

/// The time (the start of its step, in minutes) below which `q` (0 to 1) of the counted times fall: the
/// smallest step whose running count reaches `q` of the whole. `None` if nothing was counted.
pub fn quantile(steps: &[(i64, i64)], q: f64) -> Option<i64> {
    let mut sorted: Vec<(i64, i64)> = steps.iter().copied().filter(|s| s.1 > 0).collect();
    sorted.sort();
    let total: i64 = sorted.iter().map(|s| s.1).sum();
    if total == 0 {
        return None;
    }
    let rank = ((q * total as f64).ceil() as i64).clamp(1, total);
    let mut running = 0;
    for (step, n) in sorted {
        running += n;
        if running >= rank {
            return Some(step);
        }
    }
    None
}

/// The 95% Wilson score interval of `hits` out of `n` (as shares from 0 to 1). `None` when `n` is 0.
pub fn wilson(hits: i64, n: i64) -> Option<(f64, f64)> {
    if n <= 0 {
        return None;
    }
    let z = 1.959_963_984_540_054_f64;
    let (n, p) = (n as f64, hits as f64 / n as f64);
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let denom = 1.0 + z2 / n;
    Some((
        ((centre - spread) / denom).max(0.0),
        ((centre + spread) / denom).min(1.0),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_month_is_read_as_yyyy_mm_and_nothing_else() {
        assert_eq!(
            "2026-09".parse::<Month>().unwrap(),
            Month {
                year: 2026,
                month: 9
            }
        );
        for bad in [
            "2026-9",
            "2026-13",
            "2026-09-01",
            "2026-09-01T00:00:00Z",
            "09-2026",
            "9999-12",
            "0000-01",
            "",
        ] {
            assert!(
                matches!(bad.parse::<Month>(), Err(PeriodError::NotAMonth(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn months_start_at_midnight_in_london_whatever_the_season() {
        let july = Month {
            year: 2026,
            month: 7,
        };
        assert_eq!(july.start(), ts("2026-06-30T23:00:00Z"), "summer time");
        assert_eq!(
            Month {
                year: 2026,
                month: 1
            }
            .start(),
            ts("2026-01-01T00:00:00Z")
        );
        assert_eq!(Month::of(ts("2026-06-30T23:30:00Z")), july);
        assert_eq!(july.end(), ts("2026-07-31T23:00:00Z"));
    }

    #[test]
    fn the_oversight_role_may_choose_only_ended_months() {
        let now = ts("2026-12-05T12:00:00Z");
        let m = |s: &str| s.parse::<Month>().unwrap();
        assert!(Period::new(m("2026-09"), m("2026-11"), true, now).is_ok());
        assert_eq!(
            Period::new(m("2026-10"), m("2026-12"), true, now),
            Err(PeriodError::NotEnded(m("2026-12")))
        );
        assert!(
            Period::new(m("2026-10"), m("2026-12"), false, now).is_ok(),
            "others may see the month so far"
        );
        assert!(matches!(
            Period::new(m("2026-11"), m("2026-09"), false, now),
            Err(PeriodError::Backwards { .. })
        ));
        assert!(matches!(
            Period::new(m("2020-01"), m("2026-11"), false, now),
            Err(PeriodError::TooLong { .. })
        ));
        let p = Period::last_ended(3, now);
        assert_eq!((p.from, p.to), (m("2026-09"), m("2026-11")));
        assert_eq!(p.months().len(), 3);
        assert_eq!(p.describe(), "September 2026 to November 2026");
    }

    #[test]
    fn a_sergeant_may_choose_days_or_instants_and_the_oversight_role_may_not() {
        let now = ts("2026-12-05T12:00:00Z");
        let b = |s: &str| s.parse::<Bound>().unwrap();
        // Days in London: 29 March 2026 is 23 hours long (the clocks go forward at 01:00 GMT).
        let p = Period::between(b("2026-03-29"), b("2026-03-29"), false, now).unwrap();
        assert_eq!(p.start(), ts("2026-03-29T00:00:00Z"));
        assert_eq!(p.end(), ts("2026-03-29T23:00:00Z"));
        assert_eq!(p.describe(), "29 March 2026");
        assert!(!p.whole_months());
        // Across a month's end: the months it touches are its trend's.
        let p = Period::between(b("2026-10-20"), b("2026-11-03"), false, now).unwrap();
        assert_eq!(p.start(), ts("2026-10-19T23:00:00Z"), "BST on 20 October");
        assert_eq!(p.end(), ts("2026-11-04T00:00:00Z"), "GMT on 4 November");
        assert_eq!(p.months().len(), 2);
        assert_eq!(p.describe(), "20 October 2026 to 3 November 2026");
        assert_eq!(
            p.bounds(),
            ("2026-10-20".to_string(), "2026-11-03".to_string())
        );
        // A month and a day together; whole months stay whole.
        let p = Period::between(b("2026-09"), b("2026-11-30"), false, now).unwrap();
        assert!(p.whole_months());
        assert_eq!(p.describe(), "September 2026 to November 2026");
        // Instants are taken as given.
        let p = Period::between(
            b("2026-12-01T09:00:00Z"),
            b("2026-12-01T17:30:00Z"),
            false,
            now,
        )
        .unwrap();
        assert_eq!(p.end(), ts("2026-12-01T17:30:00Z"));
        assert_eq!(p.describe(), "1 Dec 2026 09:00 GMT to 1 Dec 2026 17:30 GMT");
        // The oversight role: months only, whatever else would be allowed.
        for s in ["2026-11-01", "2026-11-01T00:00:00Z"] {
            assert_eq!(
                Period::between(b(s), b("2026-11"), true, now),
                Err(PeriodError::MonthsOnly(s.to_string()))
            );
        }
        // What is refused, and why.
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "1899-12-31",
            "2026/11/01",
            "3000-01-01T00:00:00Z",
            "2026-11-02T09:00:00+25:00",
            "soon",
        ] {
            assert!(
                matches!(bad.parse::<Bound>(), Err(PeriodError::NotAPeriodEnd(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            Period::between(b("2026-11-05"), b("2026-11-04"), false, now),
            Err(PeriodError::Backwards { .. })
        ));
        assert!(matches!(
            Period::between(
                b("2026-12-01T10:00:00Z"),
                b("2026-12-01T10:00:00Z"),
                false,
                now
            ),
            Err(PeriodError::Backwards { .. })
        ));
    }

    #[test]
    fn times_are_counted_in_steps_that_widen_with_the_time() {
        assert_eq!(minutes_step(7), 5);
        assert_eq!(minutes_step(119), 115);
        assert_eq!(minutes_step(130), 120);
        assert_eq!(minutes_step(1439), 1425);
        assert_eq!(minutes_step(1510), 1500);
        assert_eq!(minutes_step(10_081), 10_080);
        assert_eq!(minutes_step(-3), 0);
    }

    #[test]
    fn the_middle_and_90th_percentile_come_from_the_counted_steps() {
        let steps = [(60, 5), (120, 4), (1440, 1)];
        assert_eq!(quantile(&steps, 0.5), Some(60));
        assert_eq!(quantile(&steps, 0.6), Some(120));
        assert_eq!(quantile(&steps, 0.9), Some(120));
        assert_eq!(quantile(&steps, 0.91), Some(1440));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn a_wilson_interval_holds_its_share_and_stays_within_nought_and_one() {
        let (lo, hi) = wilson(30, 100).unwrap();
        assert!(
            (lo - 0.2189).abs() < 0.001 && (hi - 0.3958).abs() < 0.001,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(0, 10).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.2775).abs() < 0.001, "{hi}");
        assert_eq!(wilson(0, 0), None);
    }
}
