//! User accounts: created by an administrator (the page and the API) or by the database's operator (the
//! command line), with the same checks. No case content here.

use crate::access;
use crate::{Actor, App, Error};
use domain::audit::{AccessOutcome, Processing};
use domain::{Action, ForceId, Role, User};

/// A new account as asked for.
#[derive(Clone, Debug, Default)]
pub struct NewUser {
    /// Sign-in name.
    pub username: String,
    /// Name shown to others.
    pub display_name: String,
    /// Role name.
    pub role: String,
    /// BCU code (BCU roles).
    pub bcu: Option<String>,
    /// Initial password (at least 12 characters).
    pub password: String,
}

/// An account with its BCU's code and name, for the administrator's list.
#[derive(Clone, Debug)]
pub struct Account {
    /// The user.
    pub user: User,
    /// Their BCU, if any.
    pub bcu: Option<domain::Bcu>,
}

/// Every account of the administrator's force (a logged consultation).
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<Account>, Error> {
    access::require(
        app,
        actor,
        Action::ManageUsers,
        Processing::Consultation,
        "list users",
    )
    .await?;
    accounts(app, actor.user.force).await
}

/// Every account of a force with its BCU (the operator's view, for the demo's sign-in list).
pub async fn accounts(app: &App, force: ForceId) -> Result<Vec<Account>, Error> {
    let bcus = app.store().list_bcus(force).await?;
    let users = app.store().list_users(force, None).await?;
    Ok(users
        .into_iter()
        .map(|user| Account {
            bcu: user
                .bcu
                .and_then(|id| bcus.iter().find(|b| b.id == id))
                .cloned(),
            user,
        })
        .collect())
}

/// An administrator creates an account in their force (a logged collection).
pub async fn create_as(app: &App, actor: &Actor, new: &NewUser) -> Result<User, Error> {
    access::require(
        app,
        actor,
        Action::ManageUsers,
        Processing::Collection,
        "create user",
    )
    .await?;
    let user = create(app, actor.user.force, new).await?;
    access::log(
        app,
        actor,
        Processing::Collection,
        "user",
        &user.id.to_string(),
        AccessOutcome::Allowed,
        format!("created user {}", user.username),
    )
    .await?;
    Ok(user)
}

/// Validate and create an account in `force` (the operator's command, and the administrator's after the
/// permission check).
pub async fn create(app: &App, force: ForceId, b: &NewUser) -> Result<User, Error> {
    let role: Role = b.role.parse().map_err(|e: domain::role::UnknownRole| {
        Error::invalid_at("user.invalid", e.to_string(), "role")
    })?;
    let username = b.username.trim();
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
    {
        return Err(Error::invalid_at(
            "user.invalid",
            "A user name is 1 to 64 letters, digits, dots, dashes or underscores.",
            "username",
        ));
    }
    if b.password.chars().count() < 12 {
        return Err(Error::invalid_at(
            "user.invalid",
            "A password needs at least 12 characters.",
            "password",
        ));
    }
    let bcu = match (
        role.is_bcu_scoped(),
        b.bcu.as_deref().filter(|s| !s.is_empty()),
    ) {
        (true, Some(code)) => Some(
            app.store()
                .bcu_by_code(force, code)
                .await?
                .ok_or_else(|| {
                    Error::invalid_at(
                        "user.invalid",
                        format!("There is no BCU with code '{code}'."),
                        "bcu",
                    )
                })?
                .id,
        ),
        (true, None) => {
            return Err(Error::invalid_at(
                "user.invalid",
                format!("Every {} needs a BCU.", role.label().to_lowercase()),
                "bcu",
            ));
        }
        (false, _) => None,
    };
    let password = b.password.clone();
    let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
        .await
        .map_err(|e| Error::Internal(e.to_string()))??;
    Ok(app
        .store()
        .create_user(&store::NewUser {
            force,
            bcu,
            username: username.to_string(),
            display_name: b.display_name.trim().to_string(),
            role,
            password_hash: hash,
        })
        .await?)
}
