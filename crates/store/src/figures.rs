//! The oversight figures' counts: months of referral measures kept by triggers (`figure_months`, migration
//! 0018), and the open referrals as at a moment, counted from the referrals themselves. Counts only: no row
//! here names a person or a case.

use crate::{Store, StoreError, ms, on_pool};
use domain::ForceId;
use jiff::Timestamp;

/// One count of `figure_months`: how many referrals of a BCU fell into a measure in a month with these
/// dimensions (see the migration for each measure's `dim`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct MonthCount {
    /// `received`, `enforced`, `closed` or `triaged`.
    pub measure: String,
    /// `YYYY-MM`, in London time.
    pub month: String,
    /// The BCU's id, or empty for the central queue.
    pub bcu_key: String,
    /// The measure's dimensions, joined by `|`.
    pub dim: String,
    /// How many.
    pub n: i64,
}

/// The open referrals of a BCU as at a moment, by age, and of them the overdue.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct OpenAsAt {
    /// The BCU's id, or empty for the central queue.
    pub bcu_key: String,
    /// Received within the 7 days before the moment.
    pub days_0_7: i64,
    /// Received 8 to 30 days before.
    pub days_8_30: i64,
    /// Received 31 to 90 days before.
    pub days_31_90: i64,
    /// Received more than 90 days before.
    pub days_over_90: i64,
    /// Open with no first enforcement action yet and past their due time.
    pub overdue: i64,
}

impl OpenAsAt {
    /// All the open referrals.
    pub fn open(&self) -> i64 {
        self.days_0_7 + self.days_8_30 + self.days_31_90 + self.days_over_90
    }
}

use std::collections::BTreeMap;

/// Counts of `figure_months` in the shapes a dashboard reads them (migration 0032), added up and sorted, rows of
/// zero left out: `received` and `closed` as they are; each `enforced` (dim `level|met|step`) as `enforced_met`
/// (`level|met`) and `enforced_step` (`step`); each `triaged` (`level|step`) as `triaged_step` (`step`).
pub fn narrowed(rows: impl IntoIterator<Item = MonthCount>) -> Vec<MonthCount> {
    let mut sums: BTreeMap<(String, String, String, String), i64> = BTreeMap::new();
    let mut add = |measure: &str, m: &MonthCount, dim: &str| {
        *sums
            .entry((
                measure.to_string(),
                m.month.clone(),
                m.bcu_key.clone(),
                dim.to_string(),
            ))
            .or_default() += m.n;
    };
    for m in rows {
        let (level, rest) = m.dim.split_once('|').unwrap_or((m.dim.as_str(), ""));
        match m.measure.as_str() {
            "enforced" => {
                let (met, step) = rest.split_once('|').unwrap_or((rest, ""));
                add("enforced_met", &m, &format!("{level}|{met}"));
                add("enforced_step", &m, step);
            }
            "triaged" => add("triaged_step", &m, rest),
            other => add(other, &m, &m.dim),
        }
    }
    sums.into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|((measure, month, bcu_key, dim), n)| MonthCount {
            measure,
            month,
            bcu_key,
            dim,
            n,
        })
        .collect()
}

const DAY_MS: i64 = 86_400_000;

/// A query giving `fields` of the rows of `from_where` packed into one text value: fields split by U+001F,
/// rows by U+001E (neither is in any key, code or number kept). sqlx hands SQLite's rows over one at a time, at
/// about 9 µs each, so a year of kept months (80,000 rows at 100,000 referrals) took 0.7 s row by row and takes
/// a few tens of milliseconds as one value; PostgreSQL is given the same shape.
fn packed_sql(backend: &str, fields: &[&str], from_where: &str) -> String {
    let (agg, unit, record, text) = match backend {
        "sqlite" => ("group_concat", "char(31)", "char(30)", ""),
        _ => ("string_agg", "chr(31)", "chr(30)", "::text"),
    };
    let joined = fields
        .iter()
        .map(|f| format!("{f}{text}"))
        .collect::<Vec<_>>()
        .join(&format!(" || {unit} || "));
    format!("SELECT {agg}({joined}, {record}) FROM {from_where}")
}

/// The rows of a packed value, each made by `row` from its fields (a row that does not read is an error).
fn unpack<T>(
    packed: Option<&str>,
    width: usize,
    row: impl Fn(&[&str]) -> Option<T>,
) -> Result<Vec<T>, StoreError> {
    let Some(packed) = packed.filter(|p| !p.is_empty()) else {
        return Ok(Vec::new());
    };
    packed
        .split('\u{1e}')
        .map(|r| {
            let fields: Vec<&str> = r.split('\u{1f}').collect();
            (fields.len() == width)
                .then(|| row(&fields))
                .flatten()
                .ok_or_else(|| StoreError::Corrupt(format!("a kept count does not read: {r:?}")))
        })
        .collect()
}

/// Packed counts of `figure_months`' shape: measure, month, BCU, dim, n.
fn unpack_month_counts(packed: Option<&str>) -> Result<Vec<MonthCount>, StoreError> {
    unpack(packed, 5, |f| {
        Some(MonthCount {
            measure: f[0].to_string(),
            month: f[1].to_string(),
            bcu_key: f[2].to_string(),
            dim: f[3].to_string(),
            n: f[4].parse().ok()?,
        })
    })
}

/// Packed counts of stopped clocks (BCU, kind, late code, step, n), added up as [`StoppedClocks`].
fn unpack_clocks(packed: Option<&str>) -> Result<StoppedClocks, StoreError> {
    let rows = unpack(packed, 5, |f| {
        Some((
            f[0].to_string(),
            f[1].to_string(),
            f[2].to_string(),
            f[3].parse::<i64>().ok()?,
            f[4].parse::<i64>().ok()?,
        ))
    })?;
    Ok(fold_clocks(rows))
}

impl Store {
    /// The counts of `figure_months` for a force from `from` to `to` (months `YYYY-MM`, inclusive), one
    /// BCU's only if `bcu` is given (empty for the central queue). Rows with a count of zero are left out.
    pub async fn figure_months(
        &self,
        force: ForceId,
        from: &str,
        to: &str,
        bcu: Option<&str>,
    ) -> Result<Vec<MonthCount>, StoreError> {
        let sql = packed_sql(
            self.backend_name(),
            &["measure", "month", "bcu_key", "dim", "n"],
            "figure_months WHERE force_id = $1 AND measure IN ('received', 'enforced', 'closed', 'triaged')
               AND month >= $2 AND month <= $3 AND ($4 IS NULL OR bcu_key = $4) AND n <> 0",
        );
        let (packed,): (Option<String>,) = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).bind(from).bind(to).bind(bcu).fetch_one(p).await)?;
        let mut rows = unpack_month_counts(packed.as_deref())?;
        rows.sort();
        Ok(rows)
    }

    /// The counts a dashboard reads for the months `from` to `to` (`YYYY-MM`, inclusive): the referrals
    /// received and the outcomes from `figure_months`, the first enforcement actions and the risk levels given
    /// from `figure_months_narrow` (migration 0032) in the shapes [`narrowed`] gives. Rows of zero left out.
    pub async fn figure_months_narrow(
        &self,
        force: ForceId,
        from: &str,
        to: &str,
    ) -> Result<Vec<MonthCount>, StoreError> {
        let sql = packed_sql(
            self.backend_name(),
            &["measure", "month", "bcu_key", "dim", "n"],
            "(SELECT measure, month, bcu_key, dim, n FROM figure_months
               WHERE force_id = $1 AND measure IN ('received', 'closed') AND month >= $2 AND month <= $3 AND n <> 0
              UNION ALL
              SELECT measure, month, bcu_key, dim, n FROM figure_months_narrow
               WHERE force_id = $1 AND measure IN ('enforced_met', 'enforced_step', 'triaged_step')
                 AND month >= $2 AND month <= $3 AND n <> 0) AS kept",
        );
        let (packed,): (Option<String>,) = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).bind(from).bind(to).fetch_one(p).await)?;
        let mut rows = unpack_month_counts(packed.as_deref())?;
        rows.sort();
        Ok(rows)
    }

    /// Every non-zero count of `figure_months_narrow` for a force, sorted: for the test that it is always
    /// `figure_months` [`narrowed`].
    #[doc(hidden)]
    pub async fn figure_months_narrow_kept(
        &self,
        force: ForceId,
    ) -> Result<Vec<MonthCount>, StoreError> {
        let mut rows: Vec<MonthCount> = on_pool!(self, p => sqlx::query_as(
            "SELECT measure, month, bcu_key, dim, n FROM figure_months_narrow WHERE force_id = $1 AND n <> 0")
            .bind(force.to_string()).fetch_all(p).await)?;
        rows.sort();
        Ok(rows)
    }

    /// The same counts worked out from the referrals themselves, as the migration first filled the table:
    /// for the test that the triggers keep `figure_months` exact.
    #[doc(hidden)]
    pub async fn figure_months_counted_directly(
        &self,
        force: ForceId,
    ) -> Result<Vec<MonthCount>, StoreError> {
        let sql = direct_sql(self.backend_name(), false);
        let mut rows: Vec<MonthCount> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).fetch_all(p).await)?;
        rows.sort();
        Ok(rows)
    }

    /// As [`Store::figure_months`] for the London days `from` to `to` (`YYYY-MM-DD`, both counted), from the
    /// kept days (migration 0034): each row under the month of its day, a month's days not yet added up.
    pub async fn figure_days_between(
        &self,
        force: ForceId,
        from: &str,
        to: &str,
    ) -> Result<Vec<MonthCount>, StoreError> {
        let sql = packed_sql(
            self.backend_name(),
            &["measure", "substr(day, 1, 7)", "bcu_key", "dim", "n"],
            "figure_days WHERE force_id = $1 AND measure IN ('received', 'enforced', 'closed', 'triaged')
               AND day >= $2 AND day <= $3 AND n <> 0",
        );
        let (packed,): (Option<String>,) = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).bind(from).bind(to).fetch_one(p).await)?;
        unpack_month_counts(packed.as_deref())
    }

    /// Every non-zero count of `figure_days` for a force, sorted, the day in `month`.
    #[doc(hidden)]
    pub async fn figure_days_kept(&self, force: ForceId) -> Result<Vec<MonthCount>, StoreError> {
        let mut rows: Vec<MonthCount> = on_pool!(self, p => sqlx::query_as(
            "SELECT measure, day AS month, bcu_key, dim, n FROM figure_days WHERE force_id = $1 AND n <> 0")
            .bind(force.to_string()).fetch_all(p).await)?;
        rows.sort();
        Ok(rows)
    }

    /// The kept days' counts worked out from the referrals, the day in `month`.
    #[doc(hidden)]
    pub async fn figure_days_counted_directly(
        &self,
        force: ForceId,
    ) -> Result<Vec<MonthCount>, StoreError> {
        let sql = direct_sql_by(self.backend_name(), false, true);
        let mut rows: Vec<MonthCount> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).fetch_all(p).await)?;
        rows.sort();
        Ok(rows)
    }

    /// Every non-zero count of `figure_months` for a force, sorted: the other half of that test.
    #[doc(hidden)]
    pub async fn figure_months_kept(&self, force: ForceId) -> Result<Vec<MonthCount>, StoreError> {
        let mut rows = self
            .figure_months(force, "0000-00", "9999-99", None)
            .await?;
        rows.sort();
        Ok(rows)
    }

    /// The referrals open at `at` (received by then, not closed by then) per BCU, by age, and how many of
    /// them were overdue then (no first enforcement action by then, due before then). Read as two ranges of
    /// one index (migration 0026): those still open, and those closed after `at`.
    pub async fn open_as_at(
        &self,
        force: ForceId,
        at: Timestamp,
    ) -> Result<Vec<OpenAsAt>, StoreError> {
        let t = ms(at);
        let rows: Vec<OpenAsAt> = on_pool!(self, p => sqlx::query_as(
            "SELECT COALESCE(bcu_id, '') AS bcu_key,
                    CAST(SUM(CASE WHEN received_at > $2 - $3 * 7 THEN 1 ELSE 0 END) AS BIGINT) AS days_0_7,
                    CAST(SUM(CASE WHEN received_at <= $2 - $3 * 7 AND received_at > $2 - $3 * 30 THEN 1 ELSE 0 END) AS BIGINT) AS days_8_30,
                    CAST(SUM(CASE WHEN received_at <= $2 - $3 * 30 AND received_at > $2 - $3 * 90 THEN 1 ELSE 0 END) AS BIGINT) AS days_31_90,
                    CAST(SUM(CASE WHEN received_at <= $2 - $3 * 90 THEN 1 ELSE 0 END) AS BIGINT) AS days_over_90,
                    CAST(SUM(CASE WHEN (first_enforcement_at IS NULL OR first_enforcement_at > $2) AND due_at < $2
                                  THEN 1 ELSE 0 END) AS BIGINT) AS overdue
             FROM (SELECT bcu_id, received_at, first_enforcement_at, due_at FROM referrals
                   WHERE force_id = $1 AND closed_at IS NULL AND received_at <= $2
                   UNION ALL
                   SELECT bcu_id, received_at, first_enforcement_at, due_at FROM referrals
                   WHERE force_id = $1 AND closed_at > $2 AND received_at <= $2) AS open_then
             GROUP BY COALESCE(bcu_id, '')
             ORDER BY 1")
            .bind(force.to_string()).bind(t).bind(DAY_MS).fetch_all(p).await)?;
        Ok(rows)
    }
}

impl Store {
    /// Risk levels a supervisor overrode in the months `from` to `to` (`YYYY-MM`, London, inclusive), per BCU,
    /// from the kept months (migration 0028).
    pub async fn overrides_in(
        &self,
        force: ForceId,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT bcu_key, CAST(SUM(n) AS BIGINT) FROM override_months
             WHERE force_id = $1 AND month >= $2 AND month <= $3
             GROUP BY bcu_key HAVING SUM(n) <> 0 ORDER BY 1")
            .bind(force.to_string()).bind(from).bind(to).fetch_all(p).await)?)
    }

    /// Every non-zero count of `override_months` for a force, as (month, bcu, n), sorted.
    #[doc(hidden)]
    pub async fn override_months_kept(
        &self,
        force: ForceId,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT month, bcu_key, n FROM override_months WHERE force_id = $1 AND n <> 0 ORDER BY 1, 2")
            .bind(force.to_string()).fetch_all(p).await)?)
    }

    /// The same, counted from the assessments as the migration first filled the table.
    #[doc(hidden)]
    pub async fn override_months_counted_directly(
        &self,
        force: ForceId,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        let month = match self.backend_name() {
            "sqlite" => "a.decided_month",
            _ => "safeguard_london_month(a.decided_at)",
        };
        let sql = format!(
            "SELECT {month} AS month, COALESCE(r.bcu_id, '') AS bcu_key, COUNT(*)
             FROM assessments a JOIN referrals r ON r.id = a.referral_id
             WHERE r.force_id = $1 AND a.decision = 'overridden' AND a.decided_at IS NOT NULL
             GROUP BY 1, 2 ORDER BY 1, 2"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).fetch_all(p).await)?,
        )
    }

    /// No-further-action decisions in the months `from` to `to` (`YYYY-MM`, London, inclusive), per BCU and kind
    /// (`proposed`, `approved`, `returned`), from the kept months (migration 0022).
    pub async fn decisions_in(
        &self,
        force: ForceId,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT bcu_key, kind, CAST(SUM(n) AS BIGINT) FROM decision_months
             WHERE force_id = $1 AND month >= $2 AND month <= $3
             GROUP BY bcu_key, kind HAVING SUM(n) <> 0 ORDER BY 1, 2")
            .bind(force.to_string()).bind(from).bind(to).fetch_all(p).await)?)
    }

    /// No-further-action proposals awaiting a supervisor's approval at the end of month `to` (`YYYY-MM`), per
    /// BCU: the proposals made by then less the approvals and returns (each proposal is decided once).
    pub async fn nfa_awaiting_at(
        &self,
        force: ForceId,
        to: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT bcu_key, CAST(SUM(CASE WHEN kind = 'proposed' THEN n ELSE -n END) AS BIGINT) FROM decision_months
             WHERE force_id = $1 AND month <= $2
             GROUP BY bcu_key HAVING SUM(CASE WHEN kind = 'proposed' THEN n ELSE -n END) <> 0 ORDER BY 1")
            .bind(force.to_string()).bind(to).fetch_all(p).await)?)
    }

    /// Every non-zero count of `decision_months` for a force, as (month, bcu, kind, n), sorted.
    #[doc(hidden)]
    pub async fn decision_months_kept(
        &self,
        force: ForceId,
    ) -> Result<Vec<(String, String, String, i64)>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT month, bcu_key, kind, n FROM decision_months WHERE force_id = $1 AND n <> 0
             ORDER BY 1, 2, 3")
            .bind(force.to_string()).fetch_all(p).await)?)
    }

    /// The same, counted from the decisions as the migration first filled the table.
    #[doc(hidden)]
    pub async fn decision_months_counted_directly(
        &self,
        force: ForceId,
    ) -> Result<Vec<(String, String, String, i64)>, StoreError> {
        let month = match self.backend_name() {
            "sqlite" => "d.decided_month",
            _ => "safeguard_london_month(d.at)",
        };
        let sql = format!(
            "SELECT {month} AS month, COALESCE(r.bcu_id, '') AS bcu_key, d.kind, COUNT(*)
             FROM outcome_decisions d JOIN referrals r ON r.id = d.referral_id
             WHERE d.force_id = $1 AND d.kind IN ('proposed', 'approved', 'returned')
             GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).fetch_all(p).await)?,
        )
    }
}

/// The BCU of counts read for the whole force together (a key no BCU has: BCU keys are ids, the central
/// queue's is empty).
pub const ALL_BCUS: &str = "*";

/// Clocks of one kind and BCU stopped in a period, late or not, taking one step of time.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ClockCount {
    /// The BCU of the clock's referral, or empty for the central queue.
    pub bcu_key: String,
    /// The clock's kind (`supervision_review`, `social_care_referral`, …), a forensic step's as
    /// `forensic:<step>`.
    pub kind: String,
    /// Stopped after its due time (with a reason code).
    pub late: bool,
    /// Minutes from start to stop, in steps (migration 0018).
    pub step: i64,
    /// How many.
    pub n: i64,
}

/// The quality reviews of a BCU graded in a period, by overall grade, and how many were referred back.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct QualityCount {
    /// The BCU reviewed.
    pub bcu_key: String,
    /// `good`, `requires_improvement` or `inadequate`.
    pub overall: String,
    /// How many.
    pub n: i64,
    /// Of them, referred back with remedial actions.
    pub referred_back: i64,
}

/// Closed referrals of a BCU and risk level that had exhibits, and of them those with category A images.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CategoryACount {
    /// The BCU of the referral, or empty for the central queue.
    pub bcu_key: String,
    /// Its risk level (empty if none was set).
    pub level: String,
    /// Closed in the period with at least one exhibit.
    pub with_exhibits: i64,
    /// Of them, with category A images.
    pub category_a: i64,
}

/// Children of a BCU referred to the Child House in a period: how many, how many interviewed, their
/// interviews and repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ChildHouseCount {
    /// The BCU of the child's referral.
    pub bcu_key: String,
    /// Children referred.
    pub children: i64,
    /// Of them, interviewed at least once.
    pub interviewed: i64,
    /// Their interviews.
    pub interviews: i64,
    /// Of them, repeats of an earlier interview.
    pub repeats: i64,
}

/// The kind a stopped clock counts under: a forensic clock as `forensic:<its step>`.
const KIND: &str = "CASE WHEN c.kind = 'forensic'
    THEN 'forensic:' || COALESCE((SELECT MIN(f.step) FROM forensic_steps f WHERE f.clock_id = c.id), '')
    ELSE c.kind END";

/// A count of `clock_months`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
pub struct ClockMonth {
    /// `YYYY-MM`, London.
    pub month: String,
    /// The BCU of the clock's referral, or empty for the central queue.
    pub bcu_key: String,
    /// The kind, a forensic step's as `forensic:<step>`.
    pub kind: String,
    /// The late reason code, empty when stopped on time.
    pub late_code: String,
    /// Minutes from start to stop, in steps.
    pub step: i64,
    /// How many.
    pub n: i64,
}

/// Stopped clocks by BCU, kind, late or not and step; and the late ones by BCU and reason code.
type StoppedClocks = (Vec<ClockCount>, Vec<(String, String, i64)>);

/// Stopped clocks as (bcu, kind, late code, step, n), added up as [`StoppedClocks`].
fn fold_clocks(rows: Vec<(String, String, String, i64, i64)>) -> StoppedClocks {
    let mut sums: BTreeMap<(String, String, bool, i64), i64> = BTreeMap::new();
    let mut late: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (bcu, kind, code, step, n) in rows {
        if !code.is_empty() {
            *late.entry((bcu.clone(), code.clone())).or_default() += n;
        }
        *sums.entry((bcu, kind, !code.is_empty(), step)).or_default() += n;
    }
    let clocks = sums
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|((bcu_key, kind, late, step), n)| ClockCount {
            bcu_key,
            kind,
            late,
            step,
            n,
        })
        .collect();
    let late = late
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|((bcu, code), n)| (bcu, code, n))
        .collect();
    (clocks, late)
}

/// A clock's time from start to stop in the migration's steps (SQLite has no function of its own for it).
const STEP_SQLITE: &str = "CASE WHEN max(0, (c.stopped_at - c.started_at) / 60000) < 120 THEN max(0, (c.stopped_at - c.started_at) / 60000) / 5 * 5
    WHEN (c.stopped_at - c.started_at) / 60000 < 1440 THEN (c.stopped_at - c.started_at) / 60000 / 15 * 15
    WHEN (c.stopped_at - c.started_at) / 60000 < 10080 THEN (c.stopped_at - c.started_at) / 60000 / 60 * 60
    ELSE (c.stopped_at - c.started_at) / 60000 / 1440 * 1440 END";

impl Store {
    /// Clocks stopped in the months `from` to `to` (`YYYY-MM`, London, inclusive; not cancelled), from the kept
    /// months (migration 0021): by BCU, kind, late or not, and the time from start to stop in steps (for
    /// safeguarding referral times, forensic turnaround per step, reviews and plan actions); and the late ones
    /// per BCU (of their referral) and reason code, the codes counted, never the officers' words beside them.
    /// Only the BCU `bcu` (`""` for the central queue) if given; otherwise the whole force, read from the
    /// force's months (migration 0031) with every row's BCU given as [`ALL_BCUS`].
    pub async fn clocks_stopped_in(
        &self,
        force: ForceId,
        from: &str,
        to: &str,
        bcu: Option<&str>,
    ) -> Result<StoppedClocks, StoreError> {
        // Read as one packed value and added up here: grouping in SQL sorted every row of the year again.
        let sql = match bcu {
            Some(_) => packed_sql(
                self.backend_name(),
                &["bcu_key", "kind", "late_code", "step", "n"],
                "clock_months WHERE force_id = $1 AND bcu_key = $4 AND month >= $2 AND month <= $3 AND n <> 0",
            ),
            None => packed_sql(
                self.backend_name(),
                &["$4", "kind", "late_code", "step", "n"],
                "clock_force_months WHERE force_id = $1 AND month >= $2 AND month <= $3 AND n <> 0",
            ),
        };
        let (packed,): (Option<String>,) = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).bind(from).bind(to).bind(bcu.unwrap_or(ALL_BCUS)).fetch_one(p).await)?;
        unpack_clocks(packed.as_deref())
    }

    /// Clocks of the whole force stopped late in the months `from` to `to`, by reason code (from the force's
    /// months, migration 0031).
    pub async fn late_codes_in(
        &self,
        force: ForceId,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT late_code, CAST(SUM(n) AS BIGINT) FROM clock_force_months
             WHERE force_id = $1 AND month >= $2 AND month <= $3 AND late_code <> ''
             GROUP BY late_code HAVING SUM(n) <> 0 ORDER BY 1")
            .bind(force.to_string()).bind(from).bind(to).fetch_all(p).await)?)
    }

    /// As [`Store::clocks_stopped_between`] for the London days `from` to `to` (`YYYY-MM-DD`, both counted), from
    /// the kept days (migration 0033): every BCU's, each row under its own.
    pub async fn clocks_stopped_on_days(
        &self,
        force: ForceId,
        from: &str,
        to: &str,
    ) -> Result<StoppedClocks, StoreError> {
        let sql = packed_sql(
            self.backend_name(),
            &["bcu_key", "kind", "late_code", "step", "n"],
            "clock_days WHERE force_id = $1 AND day >= $2 AND day <= $3 AND n <> 0",
        );
        let (packed,): (Option<String>,) = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).bind(from).bind(to).fetch_one(p).await)?;
        unpack_clocks(packed.as_deref())
    }

    /// Every non-zero count of `clock_days` for a force, sorted, the day in `month`.
    #[doc(hidden)]
    pub async fn clock_days_kept(&self, force: ForceId) -> Result<Vec<ClockMonth>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT day AS month, bcu_key, kind, late_code, step, n FROM clock_days WHERE force_id = $1 AND n <> 0
             ORDER BY day, bcu_key, kind, late_code, step")
            .bind(force.to_string()).fetch_all(p).await)?)
    }

    /// Every non-zero count of `clock_force_months` for a force, as (month, `*`, kind, late code, step, n),
    /// sorted: for the test that it is always the sum of `clock_months` over the BCUs.
    #[doc(hidden)]
    pub async fn clock_force_months_kept(
        &self,
        force: ForceId,
    ) -> Result<Vec<ClockMonth>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT month, $2 AS bcu_key, kind, late_code, step, n FROM clock_force_months WHERE force_id = $1 AND n <> 0
             ORDER BY month, kind, late_code, step")
            .bind(force.to_string()).bind(ALL_BCUS).fetch_all(p).await)?)
    }

    /// The same counts worked out from the clocks themselves, from `from` to before `to` (as
    /// [`Store::clocks_stopped_between`]): for the tests that the kept months are exact.
    #[doc(hidden)]
    pub async fn clocks_stopped_counted_directly(
        &self,
        force: ForceId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<ClockCount>, StoreError> {
        Ok(self.clocks_stopped_between(force, from, to).await?.0)
    }

    /// Every non-zero count of `clock_months` for a force, as (month, bcu, kind, late code, step, n), sorted.
    #[doc(hidden)]
    pub async fn clock_months_kept(&self, force: ForceId) -> Result<Vec<ClockMonth>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT month, bcu_key, kind, late_code, step, n FROM clock_months WHERE force_id = $1 AND n <> 0
             ORDER BY month, bcu_key, kind, late_code, step")
            .bind(force.to_string()).fetch_all(p).await)?)
    }

    /// The same, counted from the clocks as the migration first filled the table.
    #[doc(hidden)]
    pub async fn clock_months_counted_directly(
        &self,
        force: ForceId,
    ) -> Result<Vec<ClockMonth>, StoreError> {
        self.clocks_counted_by(force, false).await
    }

    /// The kept days' counts worked out from the clocks, the day in `month`.
    #[doc(hidden)]
    pub async fn clock_days_counted_directly(
        &self,
        force: ForceId,
    ) -> Result<Vec<ClockMonth>, StoreError> {
        self.clocks_counted_by(force, true).await
    }

    async fn clocks_counted_by(
        &self,
        force: ForceId,
        by_day: bool,
    ) -> Result<Vec<ClockMonth>, StoreError> {
        let (month, step) = match (self.backend_name(), by_day) {
            ("sqlite", false) => ("c.stopped_month", "c.stop_step"),
            ("sqlite", true) => ("c.stopped_day", "c.stop_step"),
            (_, false) => (
                "safeguard_london_month(c.stopped_at)",
                "safeguard_minutes_step(c.stopped_at - c.started_at)",
            ),
            (_, true) => (
                "safeguard_london_day(c.stopped_at)",
                "safeguard_minutes_step(c.stopped_at - c.started_at)",
            ),
        };
        let sql = format!(
            "SELECT {month} AS month, COALESCE(r.bcu_id, '') AS bcu_key, {KIND} AS kind,
                    COALESCE(c.late_code, '') AS late_code, {step} AS step, COUNT(*) AS n
             FROM clocks c JOIN referrals r ON r.id = c.referral_id
             WHERE c.force_id = $1 AND c.ended = 'stopped'
             GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).fetch_all(p).await)?,
        )
    }

    /// The clocks stopped from `$2` to before `$3`, by BCU, kind, late code and step, counted from the clocks
    /// (the step worked out from the times, not read from the column the kept months use).
    fn clocks_stopped_sql(&self) -> String {
        let step = match self.backend_name() {
            "sqlite" => STEP_SQLITE,
            _ => "safeguard_minutes_step(c.stopped_at - c.started_at)",
        };
        format!(
            "SELECT COALESCE(r.bcu_id, '') AS bcu_key, {KIND} AS kind, COALESCE(c.late_code, '') AS late_code,
                    {step} AS step, COUNT(*) AS n
             FROM clocks c JOIN referrals r ON r.id = c.referral_id
             WHERE c.force_id = $1 AND c.ended = 'stopped' AND c.stopped_at >= $2 AND c.stopped_at < $3
             GROUP BY 1, 2, 3, 4"
        )
    }

    /// SQLite's plan for [`Store::clocks_stopped_between`], one step per line (empty on PostgreSQL, whose
    /// planner joins by hash): for checking that each clock finds its forensic step through an index.
    pub async fn explain_clocks_stopped(&self, force: ForceId) -> Result<String, StoreError> {
        let crate::Backend::Sqlite(p) = &self.backend else {
            return Ok(String::new());
        };
        let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {}",
            self.clocks_stopped_sql()
        )))
        .bind(force.to_string())
        .bind(0i64)
        .bind(i64::MAX)
        .fetch_all(p)
        .await?;
        Ok(rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n"))
    }

    /// Referrals closed from `from` to before `to` that had exhibits, per BCU and risk level, and of them how
    /// many had category A images: an exhibit whose latest scan report found exact category A matches, or
    /// whose grader graded category A images. Only the referrals with exhibits are read (each keeps how many it
    /// has, migration 0025, and a partial index finds the closed ones).
    pub async fn category_a_between(
        &self,
        force: ForceId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<CategoryACount>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT COALESCE(r.bcu_id, '') AS bcu_key, COALESCE(r.risk_level, '') AS level, COUNT(*) AS with_exhibits,
                    CAST(SUM(CASE WHEN EXISTS (
                        SELECT 1 FROM exhibits e WHERE e.referral_id = r.id AND (COALESCE(e.graded_a, 0) > 0 OR EXISTS (
                            SELECT 1 FROM scan_reports s WHERE s.exhibit_id = e.id AND s.exact_a > 0
                              AND NOT EXISTS (SELECT 1 FROM scan_reports l WHERE l.exhibit_id = s.exhibit_id
                                                AND (l.received_at > s.received_at OR (l.received_at = s.received_at AND l.id > s.id))))))
                        THEN 1 ELSE 0 END) AS BIGINT) AS category_a
             FROM referrals r
             WHERE r.force_id = $1 AND r.exhibit_count > 0 AND r.closed_at >= $2 AND r.closed_at < $3
               AND r.status = 'closed'
             GROUP BY 1, 2")
            .bind(force.to_string()).bind(ms(from)).bind(ms(to)).fetch_all(p).await)?)
    }

    /// Quality reviews graded from `from` to before `to`, by BCU and overall grade.
    pub async fn quality_graded_between(
        &self,
        force: ForceId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<QualityCount>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT q.bcu_id AS bcu_key, q.overall, COUNT(*) AS n,
                    CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM remedial_actions a WHERE a.review_id = q.id) THEN 1 ELSE 0 END) AS BIGINT) AS referred_back
             FROM quality_reviews q JOIN referrals r ON r.id = q.referral_id
             WHERE r.force_id = $1 AND q.overall IS NOT NULL AND q.graded_at >= $2 AND q.graded_at < $3
             GROUP BY q.bcu_id, q.overall")
            .bind(force.to_string()).bind(ms(from)).bind(ms(to)).fetch_all(p).await)?)
    }

    /// Children referred to the Child House from `from` to before `to`, by BCU, with their interviews; and
    /// the days from referral to each interviewed child's first interview, by BCU and day (`(bcu, days, n)`).
    pub async fn child_house_between(
        &self,
        force: ForceId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<(Vec<ChildHouseCount>, Vec<(String, i64, i64)>), StoreError> {
        // One statement: each child of the range (an index on the time referred) finds its referral's BCU and
        // its interviews by their keys, and the children are counted by BCU and days to a first interview.
        let rows: Vec<(String, Option<i64>, i64, i64, i64)> = on_pool!(self, p => sqlx::query_as(
            "SELECT bcu_key, days, COUNT(*), CAST(SUM(interviews) AS BIGINT), CAST(SUM(repeats) AS BIGINT) FROM (
                 SELECT COALESCE((SELECT r.bcu_id FROM referrals r WHERE r.id = h.referral_id), '') AS bcu_key,
                        CAST(((SELECT MIN(i.at) FROM abe_interviews i WHERE i.child_house_id = h.id) - h.referred_at) / 86400000 AS BIGINT) AS days,
                        (SELECT COUNT(*) FROM abe_interviews i WHERE i.child_house_id = h.id) AS interviews,
                        (SELECT COUNT(*) FROM abe_interviews i WHERE i.child_house_id = h.id AND i.repeat_of_earlier) AS repeats
                 FROM child_house_referrals h
                 WHERE h.force_id = $1 AND h.referred_at >= $2 AND h.referred_at < $3
             ) d GROUP BY bcu_key, days")
            .bind(force.to_string()).bind(ms(from)).bind(ms(to)).fetch_all(p).await)?;
        let mut counts: BTreeMap<String, ChildHouseCount> = BTreeMap::new();
        let mut days = Vec::new();
        for (bcu, d, children, interviews, repeats) in rows {
            let c = counts
                .entry(bcu.clone())
                .or_insert_with(|| ChildHouseCount {
                    bcu_key: bcu.clone(),
                    ..Default::default()
                });
            c.children += children;
            c.interviews += interviews;
            c.repeats += repeats;
            if let Some(d) = d {
                c.interviewed += children;
                days.push((bcu, d, children));
            }
        }
        Ok((counts.into_values().collect(), days))
    }
}

/// Counted from the records themselves for a part of a month (a period of days or instants begins or ends
/// in one): each read is a range of an index on the time it counts, so a few weeks read quickly at any size.
/// The rows have the kept months' shapes, so the figures add them to whole months read from there.
impl Store {
    /// As [`Store::figure_months`] for the events from `from` to before `to`: referrals received, first
    /// enforcement actions, outcomes recorded and risk levels given, each by the London month it fell in.
    pub async fn figure_months_between(
        &self,
        force: ForceId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<MonthCount>, StoreError> {
        let ranged = direct_sql(self.backend_name(), true);
        let mut rows: Vec<MonthCount> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(ranged.clone()))
            .bind(force.to_string()).bind(ms(from)).bind(ms(to)).fetch_all(p).await)?;
        rows.sort();
        Ok(rows)
    }

    /// As [`Store::clocks_stopped_in`] for the clocks stopped from `from` to before `to`.
    pub async fn clocks_stopped_between(
        &self,
        force: ForceId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<StoppedClocks, StoreError> {
        let sql = self.clocks_stopped_sql();
        let rows: Vec<(String, String, String, i64, i64)> = on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).bind(ms(from)).bind(ms(to)).fetch_all(p).await)?;
        Ok(fold_clocks(rows))
    }

    /// As [`Store::decisions_in`] for the decisions from `from` to before `to`.
    pub async fn decisions_between(
        &self,
        force: ForceId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        Ok(on_pool!(self, p => sqlx::query_as(
            "SELECT COALESCE(r.bcu_id, '') AS bcu_key, d.kind, COUNT(*)
             FROM outcome_decisions d JOIN referrals r ON r.id = d.referral_id
             WHERE d.force_id = $1 AND d.kind IN ('proposed', 'approved', 'returned') AND d.at >= $2 AND d.at < $3
             GROUP BY 1, 2 ORDER BY 1, 2")
            .bind(force.to_string()).bind(ms(from)).bind(ms(to)).fetch_all(p).await)?)
    }

    /// As [`Store::overrides_in`] for the risk levels overridden from `from` to before `to`.
    pub async fn overrides_between(
        &self,
        force: ForceId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        // From the overrides of the range (a partial index) to their referrals: SQLite would otherwise start
        // from every referral of the force, so its join order is fixed (CROSS JOIN).
        let join = match self.backend_name() {
            "sqlite" => "CROSS JOIN",
            _ => "JOIN",
        };
        let sql = format!(
            "SELECT COALESCE(r.bcu_id, '') AS bcu_key, COUNT(*)
             FROM assessments a {join} referrals r ON r.id = a.referral_id
             WHERE r.force_id = $1 AND a.decision = 'overridden' AND a.decided_at >= $2 AND a.decided_at < $3
             GROUP BY COALESCE(r.bcu_id, '') ORDER BY 1"
        );
        Ok(
            on_pool!(self, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(force.to_string()).bind(ms(from)).bind(ms(to)).fetch_all(p).await)?,
        )
    }
}

/// `figure_months` counted from the referrals, as the migration first filled it: every month (`ranged` false),
/// or only the events from `$2` to before `$3`, each from an index on the time it counts. SQLite reads the
/// months and steps from the generated columns of migration 0018, PostgreSQL works them out with its functions.
fn direct_sql(backend: &str, ranged: bool) -> String {
    direct_sql_by(backend, ranged, false)
}

/// As [`direct_sql`], each count by the London day (`YYYY-MM-DD`) of its time rather than the month if `by_day`.
fn direct_sql_by(backend: &str, ranged: bool, by_day: bool) -> String {
    let unit = if by_day { "day" } else { "month" };
    let within = |col: &str| {
        if ranged {
            format!("r.{col} >= $2 AND r.{col} < $3")
        } else {
            format!("r.{col} IS NOT NULL")
        }
    };
    let (received, enforced, closed, assessed, enforce_step, triage_step) = match backend {
        "sqlite" => (
            format!("r.received_{unit}"),
            format!("r.enforced_{unit}"),
            format!("r.closed_{unit}"),
            format!("r.assessed_{unit}"),
            "r.enforce_step".to_string(),
            "r.triage_step".to_string(),
        ),
        _ => (
            format!("safeguard_london_{unit}(r.received_at)"),
            format!("safeguard_london_{unit}(r.first_enforcement_at)"),
            format!("safeguard_london_{unit}(r.closed_at)"),
            format!("safeguard_london_{unit}(r.assessed_at)"),
            "safeguard_minutes_step(r.first_enforcement_at - r.received_at)".to_string(),
            "safeguard_minutes_step(r.assessed_at - r.received_at)".to_string(),
        ),
    };
    format!(
        "SELECT 'received' AS measure, {received} AS month, COALESCE(r.bcu_id, '') AS bcu_key,
       r.source || '|' || COALESCE(r.risk_level, '') || '|' || (CASE WHEN r.escalated THEN 1 ELSE 0 END) AS dim,
       COUNT(*) AS n
  FROM referrals r WHERE r.force_id = $1 AND {} GROUP BY 1, 2, 3, 4
UNION ALL
SELECT 'enforced', {enforced}, COALESCE(r.bcu_id, ''),
       COALESCE(r.risk_level, '') || '|' || (CASE WHEN r.first_enforcement_at <= r.due_at THEN 1 ELSE 0 END) || '|' || {enforce_step},
       COUNT(*)
  FROM referrals r WHERE r.force_id = $1 AND {} AND r.clock <> 'triage' GROUP BY 1, 2, 3, 4
UNION ALL
SELECT 'closed', {closed}, COALESCE(r.bcu_id, ''), COALESCE(r.outcome_code, '') || '|' || COALESCE(r.risk_level, ''), COUNT(*)
  FROM referrals r WHERE r.force_id = $1 AND r.status = 'closed' AND {} GROUP BY 1, 2, 3, 4
UNION ALL
SELECT 'triaged', {assessed}, COALESCE(r.bcu_id, ''), COALESCE(r.risk_level, '') || '|' || {triage_step}, COUNT(*)
  FROM referrals r WHERE r.force_id = $1 AND {} GROUP BY 1, 2, 3, 4",
        within("received_at"),
        within("first_enforcement_at"),
        within("closed_at"),
        within("assessed_at"),
    )
}
