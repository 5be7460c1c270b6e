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
