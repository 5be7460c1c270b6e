//! Forces, BCUs and boroughs: set up by the database's operator from the command line (`safeguard force
//! add`, `safeguard bcu add`), and read by the pages that offer a choice of BCU or borough.

use crate::{Actor, App, Error};
use domain::{Bcu, BcuId, ForceId};
use jiff::Timestamp;

/// Add a force (the operator's command).
pub async fn add_force(app: &App, code: &str, name: &str) -> Result<ForceId, Error> {
    Ok(app.store().create_force(code.trim(), name.trim()).await?)
}

/// A force by its code.
pub async fn force_by_code(app: &App, code: &str) -> Result<Option<ForceId>, Error> {
    Ok(app.store().force_by_code(code).await?)
}

/// The force, when the database holds exactly one.
pub async fn only_force(app: &App) -> Result<Option<ForceId>, Error> {
    Ok(app.store().only_force().await?)
}

/// Add a BCU covering `boroughs` from `valid_from` (the operator's command).
pub async fn add_bcu(
    app: &App,
    force: ForceId,
    code: &str,
    name: &str,
    boroughs: &[&str],
    valid_from: Timestamp,
) -> Result<BcuId, Error> {
    Ok(app
        .store()
        .create_bcu(force, code.trim(), name.trim(), boroughs, valid_from)
        .await?)
}

/// The BCUs of a force, by name (reference data: no personal data).
pub async fn bcus(app: &App, force: ForceId) -> Result<Vec<Bcu>, Error> {
    Ok(app.store().list_bcus(force).await?)
}

/// The boroughs of the actor's force currently in use, sorted (reference data).
pub async fn boroughs(app: &App, actor: &Actor) -> Result<Vec<String>, Error> {
    Ok(app.store().list_boroughs(actor.user.force).await?)
}

/// The officers whose referrals the actor's queue may list (their BCU's, or the force's), by name: the queue's
/// officer filter.
pub async fn officers(app: &App, actor: &Actor) -> Result<Vec<domain::User>, Error> {
    let scope =
        domain::permissions::queue_scope(&actor.principal()).map_err(|_| Error::Forbidden)?;
    let mut users: Vec<domain::User> = app
        .store()
        .list_users(scope.force(), scope.bcu())
        .await?
        .into_iter()
        .filter(|u| {
            matches!(
                u.role,
                domain::Role::Investigator | domain::Role::Supervisor
            )
        })
        .collect();
    users.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    Ok(users)
}
