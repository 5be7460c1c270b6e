//! The figures for a period: for the force and each BCU, what was received, how quickly it was acted on,
//! how it ended, what was open at the period's end, and whether the risk levels separate outcomes. Every
//! table is built here, suppressed here (for readers who see aggregates only), and handed to the pages, the
//! API and the CSV in one shape, so the three can never disagree.
//!
//! Disclosure control (see `domain::disclosure`): counts from 1 to 4, and any count that would let one be
//! worked out from the table's totals, are hidden (`[c]`); a BCU lead or sergeant sees their own BCU whole
//! and others' under the same rule; a share, median or percentile is hidden when what it is computed from is
//! hidden, and not given (`[low]`) when computed from fewer than `figures_min_base` referrals.

use crate::{Actor, App, Error, access};
use domain::Action;
use domain::audit::Processing;
use domain::disclosure::{Sum, suppress_table_knowing};
use domain::figures::{Bound, Month, Period, PeriodError, quantile, wilson};
use domain::{RiskLevel, Role};
use std::collections::{BTreeMap, BTreeSet};
use store::MonthCount;

/// What the reader asked for: months `YYYY-MM` (both counted) and a BCU's code.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ReportQuery {
    /// The start: a month `YYYY-MM` (from its start); for readers other than the oversight role also a London
    /// day `YYYY-MM-DD` (from its midnight) or an instant. Without `from` and `to`, the last three ended months.
    pub from: Option<String>,
    /// The end: a month (to its end, counted), a day (to its end, counted) or an instant (to before it).
    pub to: Option<String>,
    /// The BCU (code) whose trend, calibration and late reasons are given; the force's if none. BCU leads
    /// and sergeants get their own unless they ask for another or for `force`.
    pub bcu: Option<String>,
}

/// One cell: a count, a share or a time, or why it is not given.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// A count, or minutes.
    Int(i64),
    /// A share from 0 to 1.
    Real(f64),
    /// Not given: `[c]` hidden by disclosure control, `[low]` computed from too few referrals, `[x]` nothing
    /// to compute it from.
    Marker(&'static str),
}

/// A number, or one of the markers (an integer is a number too, so `oneOf` integer and number would be
/// ambiguous).
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Cell {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some([HIDDEN, LOW, NONE])),
            )
            .description(Some(
                "A count, minutes or a share from 0 to 1; or `[c]` hidden by disclosure control, `[low]` computed from too few referrals, `[x]` nothing to compute it from",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Cell {}

/// Hidden by disclosure control.
pub const HIDDEN: &str = "[c]";
/// Computed from too few referrals to be given.
pub const LOW: &str = "[low]";
/// Nothing to compute it from.
pub const NONE: &str = "[x]";

impl Cell {
    fn count(n: Option<i64>) -> Cell {
        n.map_or(Cell::Marker(HIDDEN), Cell::Int)
    }

    /// The cell in words as a page or a printed pack shows it in a column of `kind`: a count, minutes as a
    /// duration, a ratio to two places, a share as a whole percentage, or the marker.
    pub fn text(&self, kind: Kind) -> String {
        match (self, kind) {
            (Cell::Int(m), Kind::Minutes) => domain::time::describe_duration(m * 60),
            (Cell::Int(n), _) => n.to_string(),
            (Cell::Real(x), Kind::Ratio) => format!("{x:.2}"),
            (Cell::Real(x), _) => format!("{:.0}%", x * 100.0),
            (Cell::Marker(m), _) => (*m).to_string(),
        }
    }

    /// The cell as a CSV or a page gives it plainly: a count, a share to four places, or the marker.
    pub fn plain(&self) -> String {
        match self {
            Cell::Int(n) => n.to_string(),
            Cell::Real(x) => format!("{x:.4}"),
            Cell::Marker(m) => (*m).to_string(),
        }
    }

    /// The number, if one is given.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(n) => Some(*n as f64),
            Cell::Real(x) => Some(*x),
            Cell::Marker(_) => None,
        }
    }
}

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// How many.
    Count,
    /// A share from 0 to 1.
    Share,
    /// A length of time in minutes.
    Minutes,
    /// A number of one thing per another (interviews per child).
    Ratio,
}

/// A column.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Column {
    /// Stable key (CSV and API).
    pub key: String,
    /// Its heading.
    pub label: String,
    /// What it holds.
    pub kind: Kind,
}

/// A row.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Row {
    /// Stable key: a BCU's code (`central` for the central queue, `force` for the force), a month, a level
    /// or a code.
    pub key: String,
    /// Its label.
    pub label: String,
    /// One cell per column.
    pub cells: Vec<Cell>,
}

/// A table of the figures.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Table {
    /// Stable id (the CSV's name, the page's anchor).
    pub id: &'static str,
    /// Its title.
    pub title: String,
    /// What it counts, in plain English.
    pub about: String,
    /// Its columns (after the row label).
    pub columns: Vec<Column>,
    /// Its rows, the total last when it has one.
    pub rows: Vec<Row>,
}

impl Table {
    /// The column with this key.
    pub fn column(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }
}

/// The figures for a period, as this reader may see them.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    /// The first month (`YYYY-MM`).
    pub from: String,
    /// The last month.
    pub to: String,
    /// `September 2026 to November 2026`.
    pub period: String,
    /// Open referrals, backlog and overdue are counted as at this moment (the period's end, or now if the
    /// period has not ended).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub as_at: jiff::Timestamp,
    /// When these figures were computed.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub computed_at: jiff::Timestamp,
    /// The BCU (code) the trend, calibration and late reasons are for; none for the force.
    pub bcu: Option<String>,
    /// Its name, or the force's.
    pub scope: String,
    /// Whether disclosure control was applied (the reader's own BCU, if any, is shown whole).
    pub suppressed: bool,
    /// The fewest referrals a share or time is computed from.
    pub min_base: i64,
    /// The tables.
    pub tables: Vec<Table>,
    /// The force's BCUs (code and name), to choose from.
    pub bcus: Vec<BcuChoice>,
}

/// A BCU the reader may choose.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BcuChoice {
    /// Its code (`cn`).
    pub code: String,
    /// Its name.
    pub name: String,
}

impl Report {
    /// The table with this id.
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }
}

/// Codes counted as charged or cautioned in the calibration table.
const CHARGE_OR_CAUTION: [&str; 6] = ["1", "1A", "2", "2A", "3", "3A"];

/// Age bands of the backlog.
const BANDS: [(&str, &str); 4] = [
    ("days_0_7", "0 to 7 days"),
    ("days_8_30", "8 to 30 days"),
    ("days_31_90", "31 to 90 days"),
    ("days_over_90", "Over 90 days"),
];

/// One row of the by-BCU tables: a BCU or the central queue.
struct Place {
    key: String,
    code: String,
    label: String,
}

/// How the reader sees the tables.
struct View {
    suppress: bool,
    /// The row (index into places) the reader knows whole.
    own: Option<usize>,
    min_base: i64,
}

/// Counts with row relations and column totals, suppressed for this view: `rows` of `width` counts, each
/// row's `relations` (`total column = Σ part columns`), a total row appended. Gives the rows and the total
/// row, hidden cells `None`.
fn suppress_counts(
    rows: &[Vec<i64>],
    relations: &[(usize, Vec<usize>)],
    view: &View,
    known: Known,
) -> Vec<Vec<Option<i64>>> {
    let known_rows: Vec<usize> = match known {
        Known::OwnBcu => view.own.into_iter().collect(),
        Known::Whole(true) => (0..=rows.len()).collect(),
        Known::Whole(false) => Vec::new(),
    };
    let width = rows.first().map_or(0, Vec::len);
    let mut cells: Vec<i64> = rows.iter().flatten().copied().collect();
    let totals: Vec<i64> = (0..width)
        .map(|c| rows.iter().map(|r| r[c]).sum())
        .collect();
    cells.extend(&totals);
    if !view.suppress {
        return cells
            .chunks(width.max(1))
            .map(|c| c.iter().map(|&n| Some(n)).collect())
            .collect();
    }
    let at = |r: usize, c: usize| r * width + c;
    let mut sums = Vec::new();
    for c in 0..width {
        sums.push(Sum {
            total: at(rows.len(), c),
            parts: (0..rows.len()).map(|r| at(r, c)).collect(),
        });
    }
    for r in 0..=rows.len() {
        for (total, parts) in relations {
            sums.push(Sum {
                total: at(r, *total),
                parts: parts.iter().map(|&p| at(r, p)).collect(),
            });
        }
    }
    let known: Vec<bool> = (0..cells.len())
        .map(|i| known_rows.contains(&(i / width.max(1))))
        .collect();
    let shown = suppress_table_knowing(&cells, &sums, &known);
    shown.chunks(width.max(1)).map(<[_]>::to_vec).collect()
}

/// Which rows of a table the reader already knows, and so sees whole.
#[derive(Clone, Copy)]
enum Known {
    /// A table by BCU: the reader's own BCU's row, if they have one.
    OwnBcu,
    /// A table of one scope (months, levels, kinds): all of it if the scope is the reader's own BCU.
    Whole(bool),
}

/// Counts as cells, hidden ones marked.
fn count_cells(shown: Vec<Vec<Option<i64>>>) -> Vec<Vec<Cell>> {
    shown
        .into_iter()
        .map(|r| r.into_iter().map(Cell::count).collect())
        .collect()
}

/// A share, given only when both counts are and the base is large enough.
fn share(num: Option<i64>, den: Option<i64>, min_base: i64) -> Cell {
    match (num, den) {
        (Some(n), Some(d)) if d >= min_base && d > 0 => Cell::Real(n as f64 / d as f64),
        (Some(_), Some(0)) => Cell::Marker(NONE),
        (Some(_), Some(_)) => Cell::Marker(LOW),
        _ => Cell::Marker(HIDDEN),
    }
}

/// A median or percentile of counted steps, given only when the count is shown and large enough.
fn time_cell(steps: &[(i64, i64)], q: f64, count: Option<i64>, min_base: i64) -> Cell {
    match count {
        None => Cell::Marker(HIDDEN),
        Some(0) => Cell::Marker(NONE),
        Some(n) if n < min_base => Cell::Marker(LOW),
        Some(_) => quantile(steps, q).map_or(Cell::Marker(NONE), Cell::Int),
    }
}

fn col(key: impl Into<String>, label: impl Into<String>, kind: Kind) -> Column {
    Column {
        key: key.into(),
        label: label.into(),
        kind,
    }
}

/// Parse the period asked for, with the oversight role's rule; a refusal names the parameter at fault.
pub fn period_of(
    q: &ReportQuery,
    role: Role,
    now: jiff::Timestamp,
) -> Result<Period, (PeriodError, &'static str)> {
    let ended_only = role == Role::Oversight;
    let (from, to) = match (q.from.as_deref(), q.to.as_deref()) {
        (None, None) => return Ok(Period::last_ended(3, now)),
        (Some(f), None) => (f, f),
        (None, Some(t)) => (t, t),
        (Some(f), Some(t)) => (f, t),
    };
    let bound = |s: &str, field: &'static str| {
        let b: Bound = s.parse().map_err(|e| (e, field))?;
        if ended_only && !matches!(b, Bound::Month(_)) {
            return Err((PeriodError::MonthsOnly(b.to_string()), field));
        }
        Ok(b)
    };
    let (from, to) = (bound(from, "from")?, bound(to, "to")?);
    Period::between(from, to, ended_only, now).map_err(|e| (e, "to"))
}

/// The counts a period's figures are built from, read once.
pub(crate) struct Fetched {
    /// The kept months in the shapes [`store::narrowed`] gives.
    pub(crate) months: Vec<MonthCount>,
    pub(crate) open: Vec<store::OpenAsAt>,
    pub(crate) decisions: Vec<(String, String, i64)>,
    /// NFA proposals awaiting approval at the end of the last month, per BCU.
    pub(crate) awaiting: Vec<(String, i64)>,
    /// Late clocks by BCU (of the scope) and reason code.
    pub(crate) late: Vec<(String, String, i64)>,
    /// Late clocks of the whole force by reason code, whatever the scope.
    pub(crate) late_force: Vec<(String, i64)>,
    pub(crate) overrides: Vec<(String, i64)>,
    pub(crate) bcus: Vec<domain::Bcu>,
    pub(crate) clocks: Vec<store::ClockCount>,
    pub(crate) quality: Vec<store::QualityCount>,
    pub(crate) category_a: Vec<store::CategoryACount>,
    pub(crate) child_house: (Vec<store::ChildHouseCount>, Vec<(String, i64, i64)>),
    /// The report's scope, as [`resolve_scope`] gave it: the clocks and late reasons were read for it alone.
    pub(crate) scope: Option<String>,
}

/// The force's BCUs and the scope of a report asked for (see [`resolve_scope`]).
pub(crate) async fn scope_of(
    app: &App,
    actor: &Actor,
    q: &ReportQuery,
) -> Result<(Vec<domain::Bcu>, Option<String>), Error> {
    let bcus = app.store().list_bcus(actor.user.force).await?;
    let scope = resolve_scope(&bcus, actor, q)?;
    Ok((bcus, scope))
}

/// The BCU a report is scoped to (its trend, calibration, clocks and late reasons): a BCU's key, `""` for the
/// central queue, or `None` for the whole force. Asked for with `bcu` (a code, `central` or `force`); by
/// default a BCU lead's or sergeant's own BCU, the force for everyone else.
fn resolve_scope(
    bcus: &[domain::Bcu],
    actor: &Actor,
    q: &ReportQuery,
) -> Result<Option<String>, Error> {
    match q.bcu.as_deref() {
        Some("force") | Some("") => Ok(None),
        Some(code) => bcus
            .iter()
            .find(|b| b.code.eq_ignore_ascii_case(code))
            .map(|b| b.id.to_string())
            .or_else(|| "central".eq_ignore_ascii_case(code).then(String::new))
            .map(Some)
            .ok_or_else(|| {
                Error::invalid_at(
                    "figures.bcu",
                    format!(
                        "There is no BCU '{}' in this force: give a BCU's code (for example {}) or 'force'.",
                        code.chars().take(40).collect::<String>(),
                        bcus.first().map_or("cn", |b| b.code.as_str())
                    ),
                    "bcu",
                )
            }),
        None => Ok(match actor.user.role {
            Role::BcuLead | Role::Supervisor => actor.user.bcu.map(|b| b.to_string()),
            _ => None,
        }),
    }
}

/// What is read for a period: whole months from the kept months, the parts of a month at either end of a
/// period of days or instants from the records themselves, events between two moments, and the open
/// referrals and the proposals awaiting approval as at a moment.
pub(crate) struct Span {
    /// The whole months, `YYYY-MM`, both counted; none if the period holds no whole month.
    months: Option<(String, String)>,
    /// Parts of a month, each from a moment to before another, counted directly: added to the whole months
    /// (`1`), or taken from them (`-1`) where a month only partly in the period is read whole less the rest of it.
    parts: Vec<(jiff::Timestamp, jiff::Timestamp, i64)>,
    /// Events from here …
    start: jiff::Timestamp,
    /// … to before here.
    end: jiff::Timestamp,
    /// Open referrals as at here.
    as_at: jiff::Timestamp,
    /// The NFA proposals awaiting approval at `as_at`: those awaiting at the end of this month (`YYYY-MM`,
    /// kept), and the decisions made from this moment to `as_at` if it is part way through a month.
    awaiting: (String, Option<jiff::Timestamp>),
}

impl Span {
    /// A period's months and parts of months; open referrals as at its end, or now if that is sooner.
    pub(crate) fn of(period: &Period, now: jiff::Timestamp) -> Span {
        let (start, end) = (period.start(), period.end());
        let mut whole: Vec<Month> = Vec::new();
        let mut parts = Vec::new();
        for m in period.months() {
            let (a, b) = (start.max(m.start()), end.min(m.end()));
            if (a, b) == (m.start(), m.end()) {
                whole.push(m);
            } else if a < b {
                // A month partly in the period is counted directly for its part, or read whole from the kept
                // months less a direct count of the rest of it, whichever spans less time with records in it
                // (nothing has happened after now, so the end of a period of days to yesterday is nearly free).
                let rest =
                    (a - m.start()).as_secs_f64() + (m.end().min(now) - b).as_secs_f64().max(0.0);
                if rest < (b - a).as_secs_f64() {
                    whole.push(m);
                    for (x, y) in [(m.start(), a), (b, m.end())] {
                        if x < y {
                            parts.push((x, y, -1));
                        }
                    }
                } else {
                    parts.push((a, b, 1));
                }
            }
        }
        let as_at = end.min(now);
        let last = Month::of(as_at - jiff::SignedDuration::from_millis(1));
        let awaiting = if as_at == last.end() {
            (last.to_string(), None)
        } else {
            (last.prev().to_string(), Some(last.start()))
        };
        Span {
            months: whole
                .first()
                .zip(whole.last())
                .map(|(a, b)| (a.to_string(), b.to_string())),
            parts,
            start,
            end,
            as_at,
            awaiting,
        }
    }

    /// Everything until now.
    pub(crate) fn all_time(now: jiff::Timestamp) -> Span {
        Span {
            months: Some(("0000-00".into(), "9999-99".into())),
            parts: Vec::new(),
            start: jiff::Timestamp::UNIX_EPOCH,
            end: now,
            as_at: now,
            awaiting: ("9999-99".into(), None),
        }
    }
}

/// The London days from `a` to before `b` (`YYYY-MM-DD`, both counted), if both are London midnights: a part
/// of a month made of whole days is read from the kept days.
fn london_days(a: jiff::Timestamp, b: jiff::Timestamp) -> Option<(String, String)> {
    let (za, zb) = (domain::time::in_london(a), domain::time::in_london(b));
    let midnight = jiff::civil::Time::midnight();
    let last = zb.date().yesterday().ok()?;
    (a < b && za.time() == midnight && zb.time() == midnight)
        .then(|| (za.date().to_string(), last.to_string()))
}

/// Rows read in pieces, added up by their key.
fn summed<K: Ord, T>(
    rows: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> K,
    n: impl Fn(&mut T) -> &mut i64,
) -> Vec<T> {
    let mut out: BTreeMap<K, T> = BTreeMap::new();
    for mut row in rows {
        match out.entry(key(&row)) {
            std::collections::btree_map::Entry::Occupied(mut e) => {
                let add = *n(&mut row);
                *n(e.get_mut()) += add;
            }
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(row);
            }
        }
    }
    out.into_values()
        .filter_map(|mut r| (*n(&mut r) != 0).then_some(r))
        .collect()
}

impl Fetched {
    /// The counts of a force for `span`.
    pub(crate) async fn read(
        app: &App,
        force: domain::ForceId,
        span: &Span,
        bcus: Vec<domain::Bcu>,
        scope: Option<&str>,
    ) -> Result<Fetched, Error> {
        let store = app.store();
        let (start, end) = (span.start, span.end);
        // Each count is its own statement, read side by side on the pool's connections: the slowest, not
        // their sum, is what a reader waits for.
        let kept = async {
            match &span.months {
                Some((from, to)) => {
                    let (months, decisions, clocks, overrides, late_force) = tokio::try_join!(
                        store.figure_months_narrow(force, from, to),
                        store.decisions_in(force, from, to),
                        store.clocks_stopped_in(force, from, to, scope),
                        store.overrides_in(force, from, to),
                        async {
                            match scope {
                                Some(_) => store.late_codes_in(force, from, to).await,
                                None => Ok(Vec::new()),
                            }
                        },
                    )?;
                    Ok::<_, store::StoreError>((months, decisions, clocks, overrides, late_force))
                }
                None => Ok(Default::default()),
            }
        };
        let parts =
            futures_util::future::try_join_all(span.parts.iter().map(|&(a, b, sign)| async move {
                let counts = tokio::try_join!(
                    async {
                        Ok(store::narrowed(match london_days(a, b) {
                            Some((first, last)) => {
                                store.figure_days_between(force, &first, &last).await?
                            }
                            None => store.figure_months_between(force, a, b).await?,
                        }))
                    },
                    store.decisions_between(force, a, b),
                    async {
                        match london_days(a, b) {
                            // Every BCU's, as a direct count gives: the force's late reasons count them all.
                            Some((first, last)) => {
                                store.clocks_stopped_on_days(force, &first, &last).await
                            }
                            None => store.clocks_stopped_between(force, a, b).await,
                        }
                    },
                    store.overrides_between(force, a, b),
                )?;
                Ok::<_, store::StoreError>((sign, counts))
            }));
        // The proposals awaiting approval at the end: as at the last whole month's end, and the decisions
        // since then if the end is part way through a month.
        let awaiting = async {
            let (through, since) = &span.awaiting;
            let (before, since) = tokio::try_join!(store.nfa_awaiting_at(force, through), async {
                match *since {
                    Some(a) => store.decisions_between(force, a, span.as_at).await,
                    None => Ok(Vec::new()),
                }
            },)?;
            let net = since
                .into_iter()
                .map(|(bcu, kind, n)| (bcu, if kind == "proposed" { n } else { -n }));
            Ok::<_, store::StoreError>(summed(
                before.into_iter().chain(net),
                |r| r.0.clone(),
                |r| &mut r.1,
            ))
        };
        let (
            (mut months, mut decisions, (mut clocks, mut late), mut overrides, mut late_force),
            parts,
            awaiting,
            open,
            quality,
            category_a,
            child_house,
        ) = tokio::try_join!(
            kept,
            parts,
            awaiting,
            store.open_as_at(force, span.as_at),
            store.quality_graded_between(force, start, end),
            store.category_a_between(force, start, end),
            store.child_house_between(force, start, end),
        )?;
        if scope.is_none() {
            late_force.extend(late.iter().map(|l| (l.1.clone(), l.2)));
        }
        let mine = |bcu: &String| scope.is_none_or(|s| s == bcu);
        // The force's clocks are kept without their BCU: a part's are added up the same way, so that a part
        // taken from a whole month cancels exactly.
        let keyed = |bcu: String| match scope {
            Some(_) => bcu,
            None => store::ALL_BCUS.to_string(),
        };
        for (sign, (m, d, (c, l), o)) in parts {
            late_force.extend(l.iter().map(|l| (l.1.clone(), sign * l.2)));
            months.extend(m.into_iter().map(|m| MonthCount { n: sign * m.n, ..m }));
            decisions.extend(d.into_iter().map(|(b, k, n)| (b, k, sign * n)));
            clocks.extend(
                c.into_iter()
                    .filter(|c| mine(&c.bcu_key))
                    .map(|c| store::ClockCount {
                        n: sign * c.n,
                        bcu_key: keyed(c.bcu_key),
                        ..c
                    }),
            );
            late.extend(
                l.into_iter()
                    .filter(|l| mine(&l.0))
                    .map(|(b, k, n)| (keyed(b), k, sign * n)),
            );
            overrides.extend(o.into_iter().map(|(b, n)| (b, sign * n)));
        }
        Ok(Fetched {
            months: summed(
                months,
                |m| {
                    (
                        m.measure.clone(),
                        m.month.clone(),
                        m.bcu_key.clone(),
                        m.dim.clone(),
                    )
                },
                |m| &mut m.n,
            ),
            open,
            decisions: summed(decisions, |d| (d.0.clone(), d.1.clone()), |d| &mut d.2),
            awaiting,
            late: summed(late, |l| (l.0.clone(), l.1.clone()), |l| &mut l.2),
            late_force: summed(late_force, |l| l.0.clone(), |l| &mut l.1),
            overrides: summed(overrides, |o| o.0.clone(), |o| &mut o.1),
            bcus,
            clocks: summed(
                clocks,
                |c| (c.bcu_key.clone(), c.kind.clone(), c.late, c.step),
                |c| &mut c.n,
            ),
            quality,
            category_a,
            child_house,
            scope: scope.map(str::to_string),
        })
    }

    /// As [`Fetched::read`] for a period.
    pub(crate) async fn for_period(
        app: &App,
        force: domain::ForceId,
        period: &Period,
        now: jiff::Timestamp,
        (bcus, scope): (Vec<domain::Bcu>, Option<&str>),
    ) -> Result<Fetched, Error> {
        Fetched::read(app, force, &Span::of(period, now), bcus, scope).await
    }
}

/// The period asked for, refused with the parameter at fault.
pub(crate) fn checked_period(
    q: &ReportQuery,
    actor: &Actor,
    now: jiff::Timestamp,
) -> Result<Period, Error> {
    period_of(q, actor.user.role, now)
        .map_err(|(e, field)| Error::invalid_at("figures.period", e.to_string(), field))
}

/// The figures for the period asked for, as this reader may see them.
pub async fn report(app: &App, actor: &Actor, q: &ReportQuery) -> Result<Report, Error> {
    access::require(
        app,
        actor,
        Action::ViewAggregates,
        Processing::Consultation,
        "view figures",
    )
    .await?;
    let now = jiff::Timestamp::now();
    let period = checked_period(q, actor, now)?;
    let (bcus, scope) = scope_of(app, actor, q).await?;
    let fetched = Fetched::for_period(
        app,
        actor.user.force,
        &period,
        now,
        (bcus, scope.as_deref()),
    )
    .await?;
    build(app, actor, &period, now, fetched)
}

/// The report from counts already read.
pub(crate) fn build(
    app: &App,
    actor: &Actor,
    period: &Period,
    now: jiff::Timestamp,
    fetched: Fetched,
) -> Result<Report, Error> {
    let Fetched {
        months,
        open,
        decisions,
        awaiting,
        late,
        late_force: _,
        overrides,
        bcus,
        clocks,
        quality,
        category_a,
        child_house,
        scope,
    } = fetched;
    let mut places: Vec<Place> = bcus
        .iter()
        .map(|b| Place {
            key: b.id.to_string(),
            code: b.code.clone(),
            label: b.name.clone(),
        })
        .collect();
    places.push(Place {
        key: String::new(),
        code: "central".into(),
        label: "Central queue (unrouted)".into(),
    });
    let own_bcu = match actor.user.role {
        Role::BcuLead | Role::Supervisor => actor.user.bcu,
        _ => None,
    };
    let own = own_bcu.and_then(|b| places.iter().position(|p| p.key == b.to_string()));
    // The scope of the trend, calibration, clocks and late reasons, as the counts were read for it.
    let scope: Option<usize> = scope
        .map(|key| {
            places.iter().position(|p| p.key == key).ok_or_else(|| {
                Error::Internal(format!(
                    "the figures were read for a BCU not in the force: {key}"
                ))
            })
        })
        .transpose()?;
    let view = View {
        suppress: true,
        own,
        min_base: app.config().figures_min_base.max(1),
    };
    let as_at = period.end().min(now);
    let facts = Facts::new(&months);
    let scope_key = scope.map(|i| places[i].key.clone());
    let scope_known = scope.is_some() && scope == own;
    let mut tables = vec![
        monthly_table(
            period,
            &facts,
            scope_key.as_deref(),
            scope_known,
            &view,
            &app.config().nfa,
        ),
        received_table(&places, &facts, &view),
        timeliness_table(&places, &facts, &view),
        times_table(
            "time_to_first_enforcement",
            "Time to first enforcement action",
            "From the force's receipt to the first enforcement action, for referrals whose first enforcement action was in the period: the median (half took less) and the 90th percentile (nine in ten took less).",
            &places,
            &facts.enforced_steps,
            &view,
        ),
        times_table(
            "triage_time",
            "Time to a risk level",
            "From the force's receipt to the risk level being recorded, for referrals given a level in the period: the median and the 90th percentile.",
            &places,
            &facts.triaged_steps,
            &view,
        ),
        outcomes_table(&places, &facts, &view, &app.config().nfa),
        decisions_table(&places, &decisions, &awaiting, &overrides, &view),
        backlog_table(&places, &open, &view),
    ];
    tables.push(received_trend_table(period, &places, &facts, &view));
    tables.push(child_house_table(&places, &child_house, &view));
    tables.push(quality_table(&places, &quality, &view));
    tables.push(clocks_table(
        &clocks,
        scope_key.as_deref(),
        scope_known,
        &view,
    ));
    tables.push(calibration_table(
        &facts,
        &category_a,
        scope_key.as_deref(),
        scope_known,
        &view,
    ));
    tables.push(late_reasons_table(
        app,
        &late,
        scope_key.as_deref(),
        scope_known,
        &view,
    ));
    let scope_name = scope.map_or_else(|| "the force".to_string(), |i| places[i].label.clone());
    for t in tables
        .iter_mut()
        .filter(|t| matches!(t.id, "monthly" | "calibration" | "late_reasons" | "clocks"))
    {
        t.title = format!("{}: {scope_name}", t.title);
    }
    Ok(Report {
        from: period.bounds().0,
        to: period.bounds().1,
        period: period.describe(),
        as_at,
        computed_at: now,
        bcu: scope.map(|i| places[i].code.clone()),
        scope: scope_name,
        suppressed: view.suppress,
        min_base: view.min_base,
        tables,
        bcus: bcus
            .iter()
            .map(|b| BcuChoice {
                code: b.code.clone(),
                name: b.name.clone(),
            })
            .collect(),
    })
}

/// The month counts, read into the shapes the tables need.
#[derive(Default)]
struct Facts {
    /// (bcu, month, source, level, escalated) → n
    received: Vec<(String, String, String, String, bool, i64)>,
    /// (bcu, month, level, met) → n
    enforced: Vec<(String, String, String, bool, i64)>,
    /// bcu → (step, n)
    enforced_steps: BTreeMap<String, Vec<(i64, i64)>>,
    /// (bcu, month, code, level) → n
    closed: Vec<(String, String, String, String, i64)>,
    /// bcu → (step, n)
    triaged_steps: BTreeMap<String, Vec<(i64, i64)>>,
}

impl Facts {
    fn new(months: &[MonthCount]) -> Facts {
        let mut f = Facts::default();
        for m in months {
            let d: Vec<&str> = m.dim.split('|').collect();
            let part = |i: usize| d.get(i).copied().unwrap_or("").to_string();
            let step = |i: usize| d.get(i).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
            match m.measure.as_str() {
                "received" => f.received.push((
                    m.bcu_key.clone(),
                    m.month.clone(),
                    part(0),
                    part(1),
                    part(2) == "1",
                    m.n,
                )),
                "enforced_met" => f.enforced.push((
                    m.bcu_key.clone(),
                    m.month.clone(),
                    part(0),
                    part(1) == "1",
                    m.n,
                )),
                "enforced_step" => f
                    .enforced_steps
                    .entry(m.bcu_key.clone())
                    .or_default()
                    .push((step(0), m.n)),
                "closed" => {
                    f.closed
                        .push((m.bcu_key.clone(), m.month.clone(), part(0), part(1), m.n))
                }
                "triaged_step" => f
                    .triaged_steps
                    .entry(m.bcu_key.clone())
                    .or_default()
                    .push((step(0), m.n)),
                _ => {}
            }
        }
        f
    }
}

/// Rows per place plus the total row, each with cells built from shown counts.
fn finish_rows(places: &[Place], shown: Vec<Vec<Cell>>) -> Vec<Row> {
    places
        .iter()
        .map(|p| (p.code.clone(), p.label.clone()))
        .chain([("force".to_string(), "Force".to_string())])
        .zip(shown)
        .map(|((key, label), cells)| Row { key, label, cells })
        .collect()
}

fn received_table(places: &[Place], f: &Facts, view: &View) -> Table {
    let sources: Vec<String> = f
        .received
        .iter()
        .map(|r| r.2.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut columns = vec![col("received", "Received", Kind::Count)];
    for s in &sources {
        columns.push(col(format!("source_{s}"), format!("From {s}"), Kind::Count));
    }
    for l in RiskLevel::ALL {
        columns.push(col(l.as_str(), l.label(), Kind::Count));
    }
    columns.push(col("no_level", "No level yet", Kind::Count));
    columns.push(col("escalated", "Escalated", Kind::Count));
    let width = columns.len();
    let counts: Vec<Vec<i64>> = places
        .iter()
        .map(|p| {
            let mut row = vec![0i64; width];
            for (bcu, _, source, level, esc, n) in &f.received {
                if *bcu != p.key {
                    continue;
                }
                row[0] += n;
                let s = sources.iter().position(|x| x == source).unwrap_or(0);
                row[1 + s] += n;
                let l = RiskLevel::ALL
                    .iter()
                    .position(|x| x.as_str() == level)
                    .unwrap_or(4);
                row[1 + sources.len() + l] += n;
                if *esc {
                    row[width - 1] += n;
                }
            }
            row
        })
        .collect();
    let relations = vec![
        (0, (1..=sources.len()).collect()),
        (0, (1 + sources.len()..width - 1).collect()),
    ];
    let shown = suppress_counts(&counts, &relations, view, Known::OwnBcu);
    columns.push(col("escalated_share", "Escalated share", Kind::Share));
    let cells = shown
        .into_iter()
        .map(|r| {
            let esc = share(r[width - 1], r[0], view.min_base);
            r.into_iter().map(Cell::count).chain([esc]).collect()
        })
        .collect();
    Table {
        id: "received",
        title: "Referrals received".into(),
        about: "Referrals the force received in the period, by where they came from and by their risk level now; escalated ones are those the sender marked urgent.".into(),
        columns,
        rows: finish_rows(places, cells),
    }
}

fn timeliness_table(places: &[Place], f: &Facts, view: &View) -> Table {
    // Per level: first actions, of them on time; then all levels.
    let mut columns = Vec::new();
    for l in RiskLevel::ALL {
        columns.push(col(
            format!("{}_acted", l.as_str()),
            format!("{}: first actions", l.label()),
            Kind::Count,
        ));
        columns.push(col(
            format!("{}_on_time", l.as_str()),
            format!("{}: on time", l.label()),
            Kind::Count,
        ));
    }
    columns.push(col("acted", "All levels: first actions", Kind::Count));
    columns.push(col("on_time", "All levels: on time", Kind::Count));
    let width = columns.len();
    let counts: Vec<Vec<i64>> = places
        .iter()
        .map(|p| {
            let mut row = vec![0i64; width];
            for (bcu, _, level, met, n) in &f.enforced {
                if *bcu != p.key {
                    continue;
                }
                let l = RiskLevel::ALL
                    .iter()
                    .position(|x| x.as_str() == level)
                    .unwrap_or(3);
                row[2 * l] += n;
                row[width - 2] += n;
                if *met {
                    row[2 * l + 1] += n;
                    row[width - 1] += n;
                }
            }
            row
        })
        .collect();
    let relations = vec![
        (width - 2, (0..4).map(|l| 2 * l).collect()),
        (width - 1, (0..4).map(|l| 2 * l + 1).collect()),
    ];
    let shown = suppress_counts(&counts, &relations, view, Known::OwnBcu);
    for l in RiskLevel::ALL {
        columns.push(col(
            format!("{}_share_on_time", l.as_str()),
            format!("{}: share on time", l.label()),
            Kind::Share,
        ));
    }
    columns.push(col(
        "share_on_time",
        "All levels: share on time",
        Kind::Share,
    ));
    let cells = shown
        .into_iter()
        .map(|r| {
            let shares: Vec<Cell> = (0..5)
                .map(|l| share(r[2 * l + 1], r[2 * l], view.min_base))
                .collect();
            r.into_iter().map(Cell::count).chain(shares).collect()
        })
        .collect();
    Table {
        id: "timeliness",
        title: "First enforcement action within the target".into(),
        about: "Referrals whose first enforcement action was taken in the period, by risk level, and how many of them were on time (by the target for their level, counted from the force's receipt).".into(),
        columns,
        rows: finish_rows(places, cells),
    }
}

fn times_table(
    id: &'static str,
    title: &str,
    about: &str,
    places: &[Place],
    steps: &BTreeMap<String, Vec<(i64, i64)>>,
    view: &View,
) -> Table {
    let counts: Vec<Vec<i64>> = places
        .iter()
        .map(|p| vec![steps.get(&p.key).map_or(0, |s| s.iter().map(|x| x.1).sum())])
        .collect();
    let shown = suppress_counts(&counts, &[], view, Known::OwnBcu);
    let all: Vec<(i64, i64)> = steps.values().flatten().copied().collect();
    let cells = shown
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let s: &[(i64, i64)] = match places.get(i) {
                Some(p) => steps.get(&p.key).map_or(&[], Vec::as_slice),
                None => &all,
            };
            vec![
                Cell::count(r[0]),
                time_cell(s, 0.5, r[0], view.min_base),
                time_cell(s, 0.9, r[0], view.min_base),
            ]
        })
        .collect();
    Table {
        id,
        title: title.into(),
        about: format!(
            "{about} Times are counted in steps: 5 minutes below 2 hours, 15 minutes below a day, an hour below a week, a day beyond; each figure is the start of its step."
        ),
        columns: vec![
            col("referrals", "Referrals", Kind::Count),
            col("median", "Median", Kind::Minutes),
            col("p90", "90th percentile", Kind::Minutes),
        ],
        rows: finish_rows(places, cells),
    }
}

fn code_sort_key(code: &str) -> (u32, String) {
    let digits: String = code.chars().take_while(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or(u32::MAX), code.to_string())
}

fn outcomes_table(
    places: &[Place],
    f: &Facts,
    view: &View,
    nfa: &domain::outcome::NfaPolicy,
) -> Table {
    let mut codes: Vec<String> = f
        .closed
        .iter()
        .map(|c| c.2.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    codes.sort_by_key(|c| code_sort_key(c));
    let is_nfa = |code: &str| {
        code.parse::<domain::outcome::OutcomeCode>()
            .map(|c| nfa.is_nfa(c))
            .unwrap_or(false)
    };
    let mut columns = vec![col("outcomes", "Outcomes", Kind::Count)];
    for c in &codes {
        let label = c
            .parse::<domain::outcome::OutcomeCode>()
            .map(|oc| format!("{c}: {}", oc.label()))
            .unwrap_or_else(|_| format!("{c} (not a Home Office code)"));
        columns.push(col(format!("code_{c}"), label, Kind::Count));
    }
    columns.push(col("nfa", "No further action", Kind::Count));
    let width = columns.len();
    let counts: Vec<Vec<i64>> = places
        .iter()
        .map(|p| {
            let mut row = vec![0i64; width];
            for (bcu, _, code, _, n) in &f.closed {
                if *bcu != p.key {
                    continue;
                }
                row[0] += n;
                if let Some(i) = codes.iter().position(|c| c == code) {
                    row[1 + i] += n;
                }
                if is_nfa(code) {
                    row[width - 1] += n;
                }
            }
            row
        })
        .collect();
    let nfa_parts: Vec<usize> = codes
        .iter()
        .enumerate()
        .filter(|(_, c)| is_nfa(c))
        .map(|(i, _)| 1 + i)
        .collect();
    let mut relations = vec![(0, (1..=codes.len()).collect::<Vec<_>>())];
    if !nfa_parts.is_empty() {
        relations.push((width - 1, nfa_parts));
    }
    let shown = suppress_counts(&counts, &relations, view, Known::OwnBcu);
    columns.push(col("nfa_rate", "NFA rate", Kind::Share));
    let cells = shown
        .into_iter()
        .map(|r| {
            let rate = share(r[width - 1], r[0], view.min_base);
            r.into_iter().map(Cell::count).chain([rate]).collect()
        })
        .collect();
    Table {
        id: "outcomes",
        title: "Outcomes by Home Office code".into(),
        about: format!(
            "Referrals closed in the period, by the Home Office outcome code recorded, each code separately. The NFA rate is outcomes in the force's no-further-action set (codes {}) divided by all outcomes recorded in the period.",
            nfa.nfa
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        columns,
        rows: finish_rows(places, cells),
    }
}

fn decisions_table(
    places: &[Place],
    decisions: &[(String, String, i64)],
    awaiting: &[(String, i64)],
    overrides: &[(String, i64)],
    view: &View,
) -> Table {
    let kinds = ["proposed", "approved", "returned"];
    let counts: Vec<Vec<i64>> = places
        .iter()
        .map(|p| {
            let mut row: Vec<i64> = kinds
                .iter()
                .map(|k| {
                    decisions
                        .iter()
                        .filter(|d| d.0 == p.key && d.1 == *k)
                        .map(|d| d.2)
                        .sum()
                })
                .collect();
            row.push(awaiting.iter().filter(|a| a.0 == p.key).map(|a| a.1).sum());
            row.push(overrides.iter().filter(|o| o.0 == p.key).map(|o| o.1).sum());
            row
        })
        .collect();
    let shown = suppress_counts(&counts, &[], view, Known::OwnBcu);
    Table {
        id: "decisions",
        title: "No-further-action approvals and risk-level overrides".into(),
        about: "No-further-action outcomes proposed by investigators in the period, approved by a supervisor, and returned for more work; those awaiting a supervisor's approval at the period's end; and risk levels a supervisor overrode at sign-off.".into(),
        columns: vec![
            col("nfa_proposed", "NFA proposed", Kind::Count),
            col("nfa_approved", "NFA approved", Kind::Count),
            col("nfa_returned", "NFA returned", Kind::Count),
            col("nfa_awaiting", "NFA awaiting approval at the end", Kind::Count),
            col("overrides", "Risk levels overridden", Kind::Count),
        ],
        rows: finish_rows(
            places,
            count_cells(shown),
        ),
    }
}

fn backlog_table(places: &[Place], open: &[store::OpenAsAt], view: &View) -> Table {
    let counts: Vec<Vec<i64>> = places
        .iter()
        .map(|p| {
            let o = open
                .iter()
                .find(|o| o.bcu_key == p.key)
                .cloned()
                .unwrap_or_default();
            vec![
                o.days_0_7,
                o.days_8_30,
                o.days_31_90,
                o.days_over_90,
                o.open(),
                o.overdue,
            ]
        })
        .collect();
    let shown = suppress_counts(&counts, &[(4, vec![0, 1, 2, 3])], view, Known::OwnBcu);
    let mut columns: Vec<Column> = BANDS
        .iter()
        .map(|(k, l)| col(*k, format!("Open {}", l.to_lowercase()), Kind::Count))
        .collect();
    columns.push(col("open", "Open", Kind::Count));
    columns.push(col("overdue", "Overdue", Kind::Count));
    Table {
        id: "backlog",
        title: "Open referrals at the period's end, by age".into(),
        about: "Referrals received by the end of the period and not closed by then, by how long before the end they were received; overdue ones had no first enforcement action by then and were past their due time.".into(),
        columns,
        rows: finish_rows(
            places,
            count_cells(shown),
        ),
    }
}

fn monthly_table(
    period: &Period,
    f: &Facts,
    scope: Option<&str>,
    known: bool,
    view: &View,
    nfa: &domain::outcome::NfaPolicy,
) -> Table {
    let in_scope = |bcu: &str| scope.is_none_or(|s| s == bcu);
    let months = period.months();
    let counts: Vec<Vec<i64>> = months
        .iter()
        .map(|m| {
            let key = m.to_string();
            let received = f
                .received
                .iter()
                .filter(|r| r.1 == key && in_scope(&r.0))
                .map(|r| r.5)
                .sum();
            let (mut acted, mut on_time) = (0, 0);
            for e in f.enforced.iter().filter(|e| e.1 == key && in_scope(&e.0)) {
                acted += e.4;
                if e.3 {
                    on_time += e.4;
                }
            }
            let (mut outcomes, mut nfas) = (0, 0);
            for c in f.closed.iter().filter(|c| c.1 == key && in_scope(&c.0)) {
                outcomes += c.4;
                if c.2
                    .parse::<domain::outcome::OutcomeCode>()
                    .is_ok_and(|oc| nfa.is_nfa(oc))
                {
                    nfas += c.4;
                }
            }
            vec![received, acted, on_time, outcomes, nfas]
        })
        .collect();
    let shown = suppress_counts(&counts, &[], view, Known::Whole(known));
    let rows = months
        .iter()
        .map(|m| (m.to_string(), m.short_name()))
        .chain([("total".to_string(), "Period total".to_string())])
        .zip(shown)
        .map(|((key, label), r)| {
            let on_time = share(r[2], r[1], view.min_base);
            let rate = share(r[4], r[3], view.min_base);
            Row {
                key,
                label,
                cells: r
                    .into_iter()
                    .map(Cell::count)
                    .chain([on_time, rate])
                    .collect(),
            }
        })
        .collect();
    Table {
        id: "monthly",
        title: "Month by month".into(),
        about: "For each month of the period: referrals received, first enforcement actions and how many were on time, outcomes recorded and how many were no further action. The months and their total are suppressed as one table.".into(),
        columns: vec![
            col("received", "Received", Kind::Count),
            col("acted", "First actions", Kind::Count),
            col("on_time", "On time", Kind::Count),
            col("outcomes", "Outcomes", Kind::Count),
            col("nfa", "No further action", Kind::Count),
            col("share_on_time", "Share on time", Kind::Share),
            col("nfa_rate", "NFA rate", Kind::Share),
        ],
        rows,
    }
}

fn received_trend_table(period: &Period, places: &[Place], f: &Facts, view: &View) -> Table {
    let months = period.months();
    let counts: Vec<Vec<i64>> = places
        .iter()
        .map(|p| {
            let mut row: Vec<i64> = months
                .iter()
                .map(|m| {
                    let key = m.to_string();
                    f.received
                        .iter()
                        .filter(|r| r.0 == p.key && r.1 == key)
                        .map(|r| r.5)
                        .sum()
                })
                .collect();
            row.push(row.iter().sum());
            row
        })
        .collect();
    let n = months.len();
    let shown = suppress_counts(&counts, &[(n, (0..n).collect())], view, Known::OwnBcu);
    let mut columns: Vec<Column> = months
        .iter()
        .map(|m| col(m.to_string(), m.short_name(), Kind::Count))
        .collect();
    columns.push(col("total", "Period total", Kind::Count));
    Table {
        id: "received_by_month",
        title: "Referrals received, month by month, by BCU".into(),
        about: "Referrals received in each month of the period by each BCU, with the period's total; the months and the total are suppressed as one table.".into(),
        columns,
        rows: finish_rows(
            places,
            count_cells(shown),
        ),
    }
}

fn calibration_table(
    f: &Facts,
    category_a: &[store::CategoryACount],
    scope: Option<&str>,
    known: bool,
    view: &View,
) -> Table {
    let counts: Vec<Vec<i64>> = RiskLevel::ALL
        .iter()
        .map(|l| {
            let (mut closed, mut charged) = (0, 0);
            for c in f
                .closed
                .iter()
                .filter(|c| c.3 == l.as_str() && scope.is_none_or(|s| s == c.0))
            {
                closed += c.4;
                if CHARGE_OR_CAUTION.contains(&c.2.as_str()) {
                    charged += c.4;
                }
            }
            let (mut exhibits, mut a) = (0, 0);
            for c in category_a
                .iter()
                .filter(|c| c.level == l.as_str() && scope.is_none_or(|s| s == c.bcu_key))
            {
                exhibits += c.with_exhibits;
                a += c.category_a;
            }
            vec![closed, charged, exhibits, a]
        })
        .collect();
    let shown = suppress_counts(&counts, &[], view, Known::Whole(known));
    // A share with its 95% interval, each hidden or marked as the share is.
    let rated = |num: Option<i64>, den: Option<i64>| {
        let rate = share(num, den, view.min_base);
        let interval = match (rate, den, num) {
            (Cell::Real(_), Some(n), Some(h)) => {
                let (lo, hi) = wilson(h, n).unwrap_or((0.0, 0.0));
                [Cell::Real(lo), Cell::Real(hi)]
            }
            (other, _, _) => [other, other],
        };
        [rate, interval[0], interval[1]]
    };
    let rows = RiskLevel::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), l.label().to_string()))
        .chain([("all".to_string(), "All levels".to_string())])
        .zip(shown)
        .map(|((key, label), r)| {
            let charged = rated(r[1], r[0]);
            let category = rated(r[3], r[2]);
            Row {
                key,
                label,
                cells: [r[0], r[1]]
                    .into_iter()
                    .map(Cell::count)
                    .chain(charged)
                    .chain([r[2], r[3]].into_iter().map(Cell::count))
                    .chain(category)
                    .collect(),
            }
        })
        .collect();
    Table {
        id: "calibration",
        title: "Risk levels and outcomes".into(),
        about: "For referrals closed in the period, by risk level: the share that ended in a charge or caution (codes 1, 1A, 2, 2A, 3, 3A), and of those with exhibits the share with category A images (exact matches in an exhibit's latest scan report, or images graded A), each with its 95% interval (Wilson). If the levels work, the shares fall from Very High to Low and the intervals do not all overlap.".into(),
        columns: vec![
            col("closed", "Closed", Kind::Count),
            col("charged_or_cautioned", "Charged or cautioned", Kind::Count),
            col("share", "Share", Kind::Share),
            col("share_low", "95% interval from", Kind::Share),
            col("share_high", "95% interval to", Kind::Share),
            col("with_exhibits", "With exhibits", Kind::Count),
            col("category_a", "With category A images", Kind::Count),
            col("share_a", "Share with category A", Kind::Share),
            col("share_a_low", "95% interval from (A)", Kind::Share),
            col("share_a_high", "95% interval to (A)", Kind::Share),
        ],
        rows,
    }
}

fn late_reasons_table(
    app: &App,
    late: &[(String, String, i64)],
    scope: Option<&str>,
    known: bool,
    view: &View,
) -> Table {
    let list = &app.config().timeliness.late_reasons;
    let mut codes: Vec<(String, String)> = list
        .iter()
        .map(|c| (c.code.clone(), c.label.clone()))
        .collect();
    for (_, code, _) in late {
        if !codes.iter().any(|c| &c.0 == code) {
            codes.push((code.clone(), format!("{code} (no longer on the list)")));
        }
    }
    let counts: Vec<Vec<i64>> = codes
        .iter()
        .map(|(code, _)| {
            vec![
                late.iter()
                    .filter(|l| &l.1 == code && scope.is_none_or(|s| s == l.0))
                    .map(|l| l.2)
                    .sum(),
            ]
        })
        .collect();
    let shown = suppress_counts(&counts, &[], view, Known::Whole(known));
    Table {
        id: "late_reasons",
        title: "Clocks stopped late, by reason".into(),
        about: "Reviews, plan actions, return dates and other clocks stopped after their due time in the period, by the reason code the officer gave (the codes are counted, never the words beside them).".into(),
        columns: vec![col("late", "Stopped late", Kind::Count)],
        rows: codes
            .into_iter()
            .chain([("total".to_string(), "All reasons".to_string())])
            .zip(shown)
            .map(|((key, label), r)| Row {
                key,
                label,
                cells: r.into_iter().map(Cell::count).collect(),
            })
            .collect(),
    }
}

/// The kinds of clock counted, in the order shown, with their names.
const CLOCK_KINDS: [(&str, &str); 12] = [
    ("social_care_referral", "Children's social care referral"),
    ("lado_referral", "LADO referral"),
    ("supervision_review", "Supervisory review"),
    ("plan_action", "Plan action"),
    ("bail_return", "Return date"),
    ("forensic:submitted", "Forensic: device submitted"),
    (
        "forensic:examination_started",
        "Forensic: examination started",
    ),
    ("forensic:returned", "Forensic: results returned"),
    ("forensic:graded", "Forensic: images graded"),
    (
        "forensic:victim_identification",
        "Forensic: victim identification",
    ),
    (
        "forensic:national_database",
        "Forensic: national database upload",
    ),
    ("remedial_action", "Remedial action after a quality review"),
];

fn clocks_table(
    clocks: &[store::ClockCount],
    scope: Option<&str>,
    known: bool,
    view: &View,
) -> Table {
    let mut kinds: Vec<(String, String)> = CLOCK_KINDS
        .iter()
        .map(|(k, l)| ((*k).to_string(), (*l).to_string()))
        .collect();
    for c in clocks {
        if !kinds.iter().any(|k| k.0 == c.kind) {
            kinds.push((c.kind.clone(), c.kind.replace(['_', ':'], " ")));
        }
    }
    let mine = |c: &&store::ClockCount| scope.is_none_or(|s| s == c.bcu_key);
    let counts: Vec<Vec<i64>> = kinds
        .iter()
        .map(|(k, _)| {
            let of_kind = clocks.iter().filter(mine).filter(|c| &c.kind == k);
            let (mut stopped, mut late) = (0, 0);
            for c in of_kind {
                stopped += c.n;
                if c.late {
                    late += c.n;
                }
            }
            vec![stopped, late]
        })
        .collect();
    let shown = suppress_counts(&counts, &[], view, Known::Whole(known));
    let rows = kinds
        .iter()
        .map(|(k, l)| (k.clone(), l.clone()))
        .chain([("total".to_string(), "All clocks".to_string())])
        .zip(shown)
        .map(|((key, label), r)| {
            let steps: Vec<(i64, i64)> = clocks
                .iter()
                .filter(mine)
                .filter(|c| key == "total" || c.kind == key)
                .map(|c| (c.step, c.n))
                .collect();
            let share_late = share(r[1], r[0], view.min_base);
            let median = time_cell(&steps, 0.5, r[0], view.min_base);
            let p90 = time_cell(&steps, 0.9, r[0], view.min_base);
            Row {
                key,
                label,
                cells: r
                    .into_iter()
                    .map(Cell::count)
                    .chain([share_late, median, p90])
                    .collect(),
            }
        })
        .collect();
    Table {
        id: "clocks",
        title: "Clocks stopped, by kind".into(),
        about: "Clocks stopped in the period, by kind: children's social care and LADO referrals after children are identified, supervisory reviews, plan actions, return dates, each step of the forensic path and remedial actions; how many were late (stopped after their due time, with a reason code), and the time from the clock's start to its stop (median and 90th percentile, including any time paused), in the same steps as the other times.".into(),
        columns: vec![
            col("stopped", "Stopped", Kind::Count),
            col("late", "Late", Kind::Count),
            col("share_late", "Share late", Kind::Share),
            col("median", "Median time", Kind::Minutes),
            col("p90", "90th percentile", Kind::Minutes),
        ],
        rows,
    }
}

fn quality_table(places: &[Place], quality: &[store::QualityCount], view: &View) -> Table {
    let grades = ["good", "requires_improvement", "inadequate"];
    let counts: Vec<Vec<i64>> = places
        .iter()
        .map(|p| {
            let mine: Vec<&store::QualityCount> =
                quality.iter().filter(|q| q.bcu_key == p.key).collect();
            let mut row: Vec<i64> = vec![mine.iter().map(|q| q.n).sum()];
            for g in grades {
                row.push(mine.iter().filter(|q| q.overall == g).map(|q| q.n).sum());
            }
            row.push(mine.iter().map(|q| q.referred_back).sum());
            row
        })
        .collect();
    let shown = suppress_counts(&counts, &[(0, vec![1, 2, 3])], view, Known::OwnBcu);
    Table {
        id: "quality",
        title: "Case quality reviews".into(),
        about: "Referrals graded by the force's quality auditors in the period, by overall grade (the inspectorate's good, requires improvement, inadequate), and how many were referred back to their team with remedial actions.".into(),
        columns: vec![
            col("graded", "Graded", Kind::Count),
            col("good", "Good", Kind::Count),
            col("requires_improvement", "Requires improvement", Kind::Count),
            col("inadequate", "Inadequate", Kind::Count),
            col("referred_back", "Referred back", Kind::Count),
        ],
        rows: finish_rows(
            places,
            count_cells(shown),
        ),
    }
}

fn child_house_table(
    places: &[Place],
    (counts, days): &(Vec<store::ChildHouseCount>, Vec<(String, i64, i64)>),
    view: &View,
) -> Table {
    let raw: Vec<Vec<i64>> = places
        .iter()
        .map(|p| {
            let c = counts
                .iter()
                .find(|c| c.bcu_key == p.key)
                .cloned()
                .unwrap_or_default();
            vec![c.children, c.interviewed, c.interviews, c.repeats]
        })
        .collect();
    let shown = suppress_counts(&raw, &[], view, Known::OwnBcu);
    let all_days: Vec<(i64, i64)> = days.iter().map(|d| (d.1 * 1440, d.2)).collect();
    let cells = shown
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let steps: Vec<(i64, i64)> = match places.get(i) {
                Some(p) => days
                    .iter()
                    .filter(|d| d.0 == p.key)
                    .map(|d| (d.1 * 1440, d.2))
                    .collect(),
                None => all_days.clone(),
            };
            let per_child = match (r[2], r[1]) {
                (Some(n), Some(d)) if d >= view.min_base => Cell::Real(n as f64 / d as f64),
                (Some(_), Some(0)) => Cell::Marker(NONE),
                (Some(_), Some(_)) => Cell::Marker(LOW),
                _ => Cell::Marker(HIDDEN),
            };
            let median = time_cell(&steps, 0.5, r[1], view.min_base);
            r.into_iter()
                .map(Cell::count)
                .chain([per_child, median])
                .collect()
        })
        .collect();
    Table {
        id: "child_house",
        title: "The Child House".into(),
        about: "Child victims referred to the Child House in the period: how many were interviewed (Achieving Best Evidence), their interviews and how many were repeats; interviews per child interviewed (the aim is one), and the median days from referral to the first interview (whole days).".into(),
        columns: vec![
            col("children", "Children referred", Kind::Count),
            col("interviewed", "Interviewed", Kind::Count),
            col("interviews", "Interviews", Kind::Count),
            col("repeats", "Repeat interviews", Kind::Count),
            col("interviews_per_child", "Interviews per child", Kind::Ratio),
            col("days_to_first", "Median to first interview", Kind::Minutes),
        ],
        rows: finish_rows(places, cells),
    }
}

/// The CSV's file name: `safeguard-<table>-<scope>-<from>-to-<to>.csv`.
pub fn csv_name(report: &Report, t: &Table) -> String {
    format!(
        "safeguard-{}-{}-{}-to-{}.csv",
        t.id.replace('_', "-"),
        report.bcu.as_deref().unwrap_or("force"),
        report.from,
        report.to
    )
}
