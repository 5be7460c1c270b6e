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

/// Counts per BCU now, with counts from 1 to 4 (and any that would reveal one) suppressed.
pub async fn by_bcu(app: &App, actor: &Actor) -> Result<Figures, Error> {
    access::require(
        app,
        actor,
        Action::ViewAggregates,
        Processing::Consultation,
        "view aggregates",
    )
    .await?;
    let figs = app
        .store()
        .figures_by_bcu(actor.user.force, jiff::Timestamp::now())
        .await?;
    let shown = domain::disclosure::suppress(
        &figs
            .iter()
            .map(store::BcuFigures::measures)
            .collect::<Vec<_>>(),
    );
    Ok(Figures {
        rows: figs
            .into_iter()
            .zip(shown.rows)
            .map(|(f, counts)| BcuRow {
                code: f.bcu_code,
                name: f.bcu_name,
                counts,
            })
            .collect(),
        totals: shown.totals,
    })
}

/// Clocks stopped late, per reason code, force-wide, small counts suppressed.
#[derive(Clone, Debug)]
pub struct LateReasons {
    /// Each code of the force's list (then any other code found), with its label and count.
    pub rows: Vec<(String, String, Option<i64>)>,
    /// All clocks stopped late.
    pub total: Option<i64>,
}

/// How many clocks were stopped late for each reason code (reviews, plan actions, return dates): the codes are
/// counted, never the words beside them.
pub async fn late_reasons(app: &App, actor: &Actor) -> Result<LateReasons, Error> {
    access::require(
        app,
        actor,
        Action::ViewAggregates,
        Processing::Consultation,
        "view late reasons",
    )
    .await?;
    let counts = app.store().late_reason_counts(actor.user.force).await?;
    let list = &app.config().timeliness.late_reasons;
    let mut rows: Vec<(String, String, i64)> = list
        .iter()
        .map(|c| {
            let n = counts
                .iter()
                .find(|(k, _)| *k == c.code)
                .map_or(0, |(_, n)| *n);
            (c.code.clone(), c.label.clone(), n)
        })
        .collect();
    // Codes no longer on the force's list still count.
    for (code, n) in &counts {
        if !list.iter().any(|c| &c.code == code) {
            rows.push((code.clone(), format!("{code} (no longer on the list)"), *n));
        }
    }
    let (shown, total) =
        domain::disclosure::suppress_list(&rows.iter().map(|r| r.2).collect::<Vec<_>>());
    Ok(LateReasons {
        rows: rows
            .into_iter()
            .zip(shown)
            .map(|((code, label, _), n)| (code, label, n))
            .collect(),
        total,
    })
}

/// The counts per BCU and the late reasons of [`by_bcu`] and [`late_reasons`] for the period asked for:
/// all-time (and open now) without `from` and `to`; with them, received, first actions on time and late,
/// closed and overrides in the period, open and overdue as at its end. Suppressed the same way.
pub async fn by_bcu_in(
    app: &App,
    actor: &Actor,
    q: &report::ReportQuery,
) -> Result<(Figures, LateReasons), Error> {
    if q.from.is_none() && q.to.is_none() {
        return Ok((by_bcu(app, actor).await?, late_reasons(app, actor).await?));
    }
    access::require(
        app,
        actor,
        Action::ViewAggregates,
        Processing::Consultation,
        "view aggregates for a period",
    )
    .await?;
    let now = jiff::Timestamp::now();
    let period = report::period_of(q, actor.user.role, now)
        .map_err(|(e, field)| Error::invalid_at("figures.period", e.to_string(), field))?;
    let (force, store) = (actor.user.force, app.store());
    let (start, end) = (period.from.start(), period.end());
    let months = store
        .figure_months(
            force,
            &period.from.to_string(),
            &period.to.to_string(),
            None,
        )
        .await?;
    let open = store.open_as_at(force, end.min(now)).await?;
    let overrides = store.overrides_between(force, start, end).await?;
    let late = store.late_reasons_between(force, start, end).await?;
    let mut places: Vec<(String, String, String)> = store
        .list_bcus(force)
        .await?
        .into_iter()
        .map(|b| (b.id.to_string(), b.code, b.name))
        .collect();
    places.sort_by(|a, b| a.2.cmp(&b.2));
    places.push((
        String::new(),
        String::new(),
        "Central queue (unrouted)".into(),
    ));
    let raw: Vec<[i64; MEASURES]> = places
        .iter()
        .map(|(key, _, _)| {
            let mut m = [0i64; MEASURES];
            for c in months.iter().filter(|c| &c.bcu_key == key) {
                match c.measure.as_str() {
                    "received" => m[0] += c.n,
                    "enforced" if c.dim.split('|').nth(1) == Some("1") => m[3] += c.n,
                    "enforced" => m[4] += c.n,
                    "closed" => m[5] += c.n,
                    _ => {}
                }
            }
            if let Some(o) = open.iter().find(|o| &o.bcu_key == key) {
                m[1] = o.open();
                m[2] = o.overdue;
            }
            m[6] = overrides.iter().filter(|o| &o.0 == key).map(|o| o.1).sum();
            m
        })
        .collect();
    // Leave out the central queue when it had nothing, as the all-time table does.
    let keep: Vec<usize> = (0..places.len())
        .filter(|&i| !places[i].0.is_empty() || raw[i].iter().any(|&n| n != 0))
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
    let list = &app.config().timeliness.late_reasons;
    let mut rows: Vec<(String, String, i64)> = list
        .iter()
        .map(|c| {
            let n = late.iter().filter(|l| l.1 == c.code).map(|l| l.2).sum();
            (c.code.clone(), c.label.clone(), n)
        })
        .collect();
    for (_, code, n) in &late {
        if let Some(r) = rows.iter_mut().find(|r| &r.0 == code) {
            if !list.iter().any(|c| &c.code == code) {
                r.2 += n;
            }
        } else if !list.iter().any(|c| &c.code == code) {
            rows.push((code.clone(), format!("{code} (no longer on the list)"), *n));
        }
    }
    let (counts, total) =
        domain::disclosure::suppress_list(&rows.iter().map(|r| r.2).collect::<Vec<_>>());
    Ok((
        figures,
        LateReasons {
            rows: rows
                .into_iter()
                .zip(counts)
                .map(|((code, label, _), n)| (code, label, n))
                .collect(),
            total,
        },
    ))
}
