//! Where the demo's history sits in time. Everything is placed relative to the London calendar day on which
//! the demo is created, and nothing happens on or after that day's midnight, so the same seed gives the same
//! data whatever the hour of creation and nothing lies in the future.

use domain::time::london;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use rand::Rng;

/// How far back the history reaches.
pub const MONTHS_OF_HISTORY: i32 = 18;

/// The span of the demo's history.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// The first day of the history (London).
    pub first_day: Date,
    /// Days in the history, up to the day before creation.
    pub days: i32,
    /// London midnight at the start of the creation day: every step happens before it.
    pub cutoff: Timestamp,
}

impl Window {
    /// The 18 months before `created_at`'s London day.
    pub fn before(created_at: Timestamp) -> Window {
        let today = domain::time::in_london(created_at).date();
        let first_day = today
            .checked_sub(MONTHS_OF_HISTORY.months())
            .expect("18 months back stays within the calendar");
        let days = first_day
            .until(today)
            .expect("the window is a few hundred days")
            .get_days();
        Window {
            first_day,
            days,
            cutoff: at_london(today, 0, 0),
        }
    }

    /// A receipt time: later months are busier (the force's referrals grow over the window, the newest month
    /// receiving a little over twice as many as the oldest), and most packages arrive in working hours.
    pub fn receipt(&self, rng: &mut impl Rng) -> Timestamp {
        // A mixture of a uniform draw and the larger of two (density 2t) gives a density rising linearly.
        let u: f64 = rng.random();
        let t = if rng.random_bool(0.4) {
            u.max(rng.random())
        } else {
            u
        };
        let offset = ((t * f64::from(self.days)) as i32).min(self.days - 1);
        let day = self
            .first_day
            .checked_add(offset.days())
            .expect("inside the window");
        let hour = if rng.random_bool(0.85) {
            rng.random_range(8..19)
        } else {
            rng.random_range(0..24)
        };
        at_london(day, hour, rng.random_range(0..60))
    }
}

/// A London wall-clock time on a day (a time skipped by the clocks going forward moves on an hour).
pub fn at_london(day: Date, hour: i8, minute: i8) -> Timestamp {
    day.at(hour, minute, 0, 0)
        .to_zoned_datetime(london())
        .expect("London times on demo days are representable")
        .timestamp()
}

/// `t` plus some minutes.
pub fn plus_minutes(t: Timestamp, minutes: i64) -> Timestamp {
    t.checked_add(minutes.minutes())
        .expect("demo offsets are small")
}

/// A minute count between `lo` and `hi` hours.
pub fn hours(rng: &mut impl Rng, lo: i64, hi: i64) -> i64 {
    rng.random_range(lo * 60..=hi * 60)
}

/// A minute count between `lo` and `hi` days.
pub fn days(rng: &mut impl Rng, lo: i64, hi: i64) -> i64 {
    rng.random_range(lo * 1_440..=hi * 1_440)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn receipts_fall_in_the_eighteen_months_before_the_creation_day() {
        let created: Timestamp = "2026-03-29T15:30:00Z".parse().unwrap();
        let w = Window::before(created);
        assert_eq!(w.first_day.to_string(), "2024-09-29");
        assert_eq!(w.cutoff.to_string(), "2026-03-29T00:00:00Z");
        let first = at_london(w.first_day, 0, 0);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let all: Vec<_> = (0..5_000).map(|_| w.receipt(&mut rng)).collect();
        assert!(all.iter().all(|t| *t >= first && *t < w.cutoff));
        let mid = at_london(w.first_day.checked_add((w.days / 2).days()).unwrap(), 0, 0);
        let later = all.iter().filter(|t| **t >= mid).count();
        assert!(later > 2_800, "the later half is busier: {later} of 5000");
    }
}
