//! Aggregate figures for the oversight board, BCU leads and the central desk: counts per BCU with small
//! numbers suppressed here, before anything leaves the use case, so that no edge ever holds a count that
//! could identify a child or a case.

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
