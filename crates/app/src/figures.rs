//! Aggregate figures for the oversight board, BCU leads and the central desk: counts per BCU with small
//! numbers suppressed here, before anything leaves the use case, so that no edge ever holds a count that
//! could identify a child or a case.

pub mod report;

use crate::access;
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::Processing;
use domain::disclosure::MEASURES;

/// One BCU's row (or the central queue's, with no code), each count `None` where suppressed.
#[derive(Clone, Debug)]
pub struct BcuRow {
    /// BCU code; empty for the central queue.
    pub code: String,
    /// BCU name.
    pub name: String,
    /// Received, open, overdue now, target met, target missed, closed, risk levels overridden.
    pub counts: [Option<i64>; MEASURES],
}

/// The figures by BCU, with the force's totals, as they may be shown.
#[derive(Clone, Debug)]
pub struct Figures {
    /// One row per BCU.
    pub rows: Vec<BcuRow>,
    /// The force total of each measure (`None` where it would give a suppressed count away).
    pub totals: [Option<i64>; MEASURES],
}

/// Everything `GET /api/v1/stats` answers, each count read once: the counts per BCU and the late reasons
/// (all-time, and open now, without `from` and `to`; for the period with them: received, first actions on
/// time and late, closed and overrides in it, open and overdue as at its end), and the figures' tables for
/// the period (the last three ended months without one).
pub async fn stats(
    app: &App,
    actor: &Actor,
    q: &report::ReportQuery,
) -> Result<(Figures, LateReasons, report::Report), Error> {
    access::require(
        app,
        actor,
        Action::ViewAggregates,
        Processing::Consultation,
        "view aggregates",
    )
    .await?;
    let now = jiff::Timestamp::now();
    let period = report::checked_period(q, actor, now)?;
    let force = actor.user.force;
    let (bcus, scope) = report::scope_of(app, actor, q).await?;
    let fetched =
        report::Fetched::for_period(app, force, &period, now, (bcus.clone(), scope.as_deref()))
            .await?;
    let (figures, late) = if q.from.is_none() && q.to.is_none() {
        // The force's late reasons of all time, whatever BCU the report is scoped to.
        let span = report::Span::all_time(now);
        let all = report::Fetched::read(app, force, &span, bcus, None).await?;
        legacy(app, &all)
    } else {
        legacy(app, &fetched)
    };
    let report = report::build(app, actor, &period, now, fetched)?;
    Ok((figures, late, report))
}

/// The counts per BCU and the late reasons from counts read, suppressed.
fn legacy(app: &App, f: &report::Fetched) -> (Figures, LateReasons) {
    let mut places: Vec<(String, String, String)> = f
        .bcus
        .iter()
        .map(|b| (b.id.to_string(), b.code.clone(), b.name.clone()))
        .chain([(
            String::new(),
            String::new(),
            "Central queue (unrouted)".to_string(),
        )])
        .collect();
    places.sort_by(|a, b| a.2.cmp(&b.2));
    let raw: Vec<[i64; MEASURES]> = places
        .iter()
        .map(|(key, _, _)| {
            let mut m = [0i64; MEASURES];
            for c in f.months.iter().filter(|c| &c.bcu_key == key) {
                match c.measure.as_str() {
                    "received" => m[0] += c.n,
                    "enforced_met" if c.dim.split('|').nth(1) == Some("1") => m[3] += c.n,
                    "enforced_met" => m[4] += c.n,
                    "closed" => m[5] += c.n,
                    _ => {}
                }
            }
            if let Some(o) = f.open.iter().find(|o| &o.bcu_key == key) {
                m[1] = o.open();
                m[2] = o.overdue;
            }
            m[6] = f
                .overrides
                .iter()
                .filter(|o| &o.0 == key)
                .map(|o| o.1)
                .sum();
            m
        })
        .collect();
    // A BCU (or the central queue) with nothing at all is left out, as it always was.
    let keep: Vec<usize> = (0..places.len())
        .filter(|&i| raw[i].iter().any(|&n| n != 0))
        .collect();
    let kept: Vec<[i64; MEASURES]> = keep.iter().map(|&i| raw[i]).collect();
    let shown = domain::disclosure::suppress(&kept);
    let figures = Figures {
        rows: keep
            .iter()
            .zip(shown.rows)
            .map(|(&i, counts)| BcuRow {
                code: places[i].1.clone(),
                name: places[i].2.clone(),
                counts,
            })
            .collect(),
        totals: shown.totals,
    };
    // Each code of the force's list, 0 included, then codes since taken off it.
    let list = &app.config().timeliness.late_reasons;
    let count = |code: &str| -> i64 {
        f.late_force
            .iter()
            .filter(|l| l.0 == code)
            .map(|l| l.1)
            .sum()
    };
    let mut rows: Vec<(String, String, i64)> = list
        .iter()
        .map(|c| (c.code.clone(), c.label.clone(), count(&c.code)))
        .collect();
    let mut others: Vec<&String> = f
        .late_force
        .iter()
        .map(|l| &l.0)
        .filter(|code| !list.iter().any(|c| &c.code == *code))
        .collect();
    others.sort();
    others.dedup();
    for code in others {
        rows.push((
            code.clone(),
            format!("{code} (no longer on the list)"),
            count(code),
        ));
    }
    let (counts, total) =
        domain::disclosure::suppress_list(&rows.iter().map(|r| r.2).collect::<Vec<_>>());
    let late = LateReasons {
        rows: rows
            .into_iter()
            .zip(counts)
            .map(|((code, label, _), n)| (code, label, n))
            .collect(),
        total,
    };
    (figures, late)
}

/// Clocks stopped late, per reason code, small counts suppressed.
#[derive(Clone, Debug)]
pub struct LateReasons {
    /// Each code of the force's list (then any other code found), with its label and count.
    pub rows: Vec<(String, String, Option<i64>)>,
    /// All clocks stopped late.
    pub total: Option<i64>,
}
