//! A report, or its whole package, exactly as received: a logged disclosure, open to those who may read
//! the referral. The SHA-256 taken at receipt comes with it, so the copy can be checked.

use crate::access::open_referral;
use crate::{Actor, App, Error};
use domain::Action;
use domain::audit::Processing;

pub use store::Original;

/// Which original.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// The referral's own report.
    Report,
    /// The whole package it came in.
    Package,
}

/// Disclose the report or package behind a referral, as received.
pub async fn download(app: &App, actor: &Actor, id: &str, which: Which) -> Result<Original, Error> {
    let what = match which {
        Which::Report => "download the report as received",
        Which::Package => "download the package as received",
    };
    let r = open_referral(
        app,
        actor,
        id,
        Action::ReadReferral,
        Processing::Disclosure,
        what,
    )
    .await?;
    match which {
        Which::Report => app.store().report_original(r.id).await?,
        Which::Package => app.store().package_original(r.id).await?,
    }
    .ok_or(Error::NotFound)
}
