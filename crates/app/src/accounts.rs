//! What administrators do to accounts, with separation of duties: a change that can open case content is
//! stored as a request and takes effect only when a second administrator approves it (the rule is
//! `domain::accounts`); disabling a leaver and unlocking an account take effect at once. Every step is an
//! access-log event that says what the account was before and after. Owners change their own password here.

use crate::users::{NewUser, check_password};
use crate::{Actor, App, Error, access};
use domain::accounts::{AccountChange, may_approve, needs_second_administrator};
use domain::audit::{AccessOutcome, Processing};
use domain::{Action, Role, User, UserId};
use store::{AccountRequest, AccountUpdate, NewAccountRequest};

pub use store::AccountRequest as Request;

/// What became of a change: done at once, or waiting for a second administrator.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Done: the account as it now is.
    Done(User),
    /// Waiting for a second administrator.
    Pending(AccountRequest),
}

/// An account as its administrator sees it.
#[derive(Clone, Debug)]
pub struct AccountView {
    /// The account.
    pub account: crate::users::Account,
    /// Locked after failed sign-ins until then.
    pub locked_until: Option<jiff::Timestamp>,
    /// Open referrals allocated to them: (id, source, report id, status).
    pub open_allocations: Vec<(String, String, String, String)>,
    /// Changes to it waiting for approval.
    pub pending: Vec<AccountRequest>,
    /// Their staff number in the force's learning system (for importing training completions).
    pub staff_number: Option<String>,
}

/// What disabling an account did.
#[derive(Clone, Debug)]
pub struct Disabled {
    /// The account, now disabled.
    pub user: User,
    /// Sessions ended.
    pub sessions_ended: u64,
    /// Open referrals still allocated to them, for their sergeant to allocate again.
    pub open_allocations: Vec<(String, String, String, String)>,
}

async fn require(app: &App, actor: &Actor, what: &str) -> Result<(), Error> {
    access::require(
        app,
        actor,
        Action::ManageUsers,
        Processing::Alteration,
        what,
    )
    .await
}

async fn log(app: &App, actor: &Actor, user: &str, detail: String) -> Result<(), Error> {
    access::log(
        app,
        actor,
        Processing::Alteration,
        "user",
        user,
        AccessOutcome::Allowed,
        detail,
    )
    .await
}

/// The account `id` of the actor's force; any other is not found.
async fn target(app: &App, actor: &Actor, id: &str) -> Result<User, Error> {
    let id: UserId = id.parse().map_err(|_| Error::NotFound)?;
    app.store()
        .user(id)
        .await?
        .filter(|u| u.force == actor.user.force)
        .ok_or(Error::NotFound)
}

fn confirm(confirmed: bool) -> Result<(), Error> {
    if confirmed {
        Ok(())
    } else {
        Err(Error::invalid_at(
            "account.unconfirmed",
            "Tick the box to confirm the change.",
            "confirm",
        ))
    }
}

/// The accounts of the actor's force whose user name, name or role contain `query` (any case); all when empty.
pub async fn search(
    app: &App,
    actor: &Actor,
    query: &str,
) -> Result<Vec<crate::users::Account>, Error> {
    let all = crate::users::list(app, actor).await?;
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Ok(all);
    }
    Ok(all
        .into_iter()
        .filter(|a| {
            a.user.username.to_lowercase().contains(&q)
                || a.user.display_name.to_lowercase().contains(&q)
                || a.user.role.label().to_lowercase().contains(&q)
                || a.bcu.as_ref().is_some_and(|b| {
                    b.code.to_lowercase() == q || b.name.to_lowercase().contains(&q)
                })
        })
        .collect())
}

/// One account, with its lock, open allocations and pending changes (a logged consultation).
pub async fn view(app: &App, actor: &Actor, id: &str) -> Result<AccountView, Error> {
    access::require(
        app,
        actor,
        Action::ManageUsers,
        Processing::Consultation,
        "read account",
    )
    .await?;
    let user = target(app, actor, id).await?;
    let pending = app
        .store()
        .account_requests(user.force, true, 500)
        .await?
        .into_iter()
        .filter(|r| r.target == Some(user.id))
        .collect();
    Ok(AccountView {
        locked_until: app
            .store()
            .locked_until(user.id, jiff::Timestamp::now())
            .await?,
        open_allocations: app.store().open_allocations_of(user.id).await?,
        pending,
        staff_number: staff_number(app, &user).await?,
        account: crate::users::with_bcu(app, user).await?,
    })
}

async fn staff_number(app: &App, user: &User) -> Result<Option<String>, Error> {
    Ok(app
        .store()
        .staff_numbers(user.force)
        .await?
        .into_iter()
        .find(|(id, _)| *id == user.id)
        .map(|(_, n)| n))
}

/// The longest staff number.
pub const MAX_STAFF_NUMBER: usize = 40;

/// Set (or, blank, clear) a user's staff number in the force's learning system (an administrator): letters,
/// digits and `-` or `/`, at most 40, held by no other user of the force.
pub async fn set_staff_number(
    app: &App,
    actor: &Actor,
    id: &str,
    value: &str,
) -> Result<Option<String>, Error> {
    require(app, actor, "set staff number").await?;
    let user = target(app, actor, id).await?;
    let v = value.trim();
    let value = (!v.is_empty()).then(|| v.to_string());
    if let Some(v) = &value
        && (v.chars().count() > MAX_STAFF_NUMBER
            || !v
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/'))
    {
        return Err(Error::invalid_at(
            "user.invalid",
            format!("A staff number is letters, digits, - or /, at most {MAX_STAFF_NUMBER}."),
            "staff_number",
        ));
    }
    match app
        .store()
        .set_staff_number(user.force, user.id, value.as_deref())
        .await
    {
        Err(store::StoreError::Conflict) => {
            return Err(Error::invalid_at(
                "user.invalid",
                "Another account already has this staff number.",
                "staff_number",
            ));
        }
        other => other?,
    }
    log(
        app,
        actor,
        &user.id.to_string(),
        match &value {
            Some(v) => format!("staff number set to {v}"),
            None => "staff number cleared".into(),
        },
    )
    .await?;
    Ok(value)
}

async fn request(
    app: &App,
    actor: &Actor,
    r: NewAccountRequest,
    detail: String,
) -> Result<Outcome, Error> {
    let stored = app.store().create_account_request(&r).await?;
    let record = r
        .target
        .map(|t| t.to_string())
        .unwrap_or_else(|| format!("request {}", stored.id));
    log(
        app,
        actor,
        &record,
        format!("{detail}: waits for a second administrator"),
    )
    .await?;
    Ok(Outcome::Pending(stored))
}

/// Create an account: at once for a role with no case content, otherwise as a request.
pub async fn create(app: &App, actor: &Actor, new: &NewUser) -> Result<Outcome, Error> {
    require(app, actor, "create user").await?;
    let role: Role = new.role.parse().map_err(|e: domain::role::UnknownRole| {
        Error::invalid_at("user.invalid", e.to_string(), "role")
    })?;
    if !needs_second_administrator(AccountChange::Create, role) {
        let user = crate::users::create(app, actor.user.force, new).await?;
        log(
            app,
            actor,
            &user.id.to_string(),
            format!("created user {} ({})", user.username, role.as_str()),
        )
        .await?;
        return Ok(Outcome::Done(user));
    }
    let (role, bcu, username, hash) = crate::users::validate(app, actor.user.force, new).await?;
    if app.store().user_by_username(&username).await?.is_some() {
        return Err(Error::invalid_at(
            "user.exists",
            format!("There is already an account called {username}."),
            "username",
        ));
    }
    let detail = format!("asked to create user {username} ({})", role.as_str());
    request(
        app,
        actor,
        NewAccountRequest {
            force: actor.user.force,
            change: AccountChange::Create,
            target: None,
            username: Some(username),
            display_name: Some(new.display_name.trim().to_string()),
            role: Some(role),
            bcu,
            password_hash: Some(hash),
            requested_by: actor.user.id,
        },
        detail,
    )
    .await
}

/// Change an account's role (and BCU, when the new role needs one).
pub async fn change_role(
    app: &App,
    actor: &Actor,
    id: &str,
    role: &str,
    bcu: Option<&str>,
    confirmed: bool,
) -> Result<Outcome, Error> {
    require(app, actor, "change role").await?;
    let user = target(app, actor, id).await?;
    let role: Role = role.parse().map_err(|e: domain::role::UnknownRole| {
        Error::invalid_at("user.invalid", e.to_string(), "role")
    })?;
    confirm(confirmed)?;
    let bcu = crate::users::bcu_for_role(app, user.force, role, bcu).await?;
    let detail = format!(
        "role of {}: {} → {}",
        user.username,
        user.role.as_str(),
        role.as_str()
    );
    if !needs_second_administrator(AccountChange::ChangeRole, role) {
        app.store()
            .update_account(
                user.id,
                &AccountUpdate {
                    role: Some(role),
                    bcu: Some(bcu),
                    ..Default::default()
                },
            )
            .await?;
        log(app, actor, &user.id.to_string(), detail).await?;
        return Ok(Outcome::Done(target(app, actor, id).await?));
    }
    request(
        app,
        actor,
        NewAccountRequest {
            role: Some(role),
            ..change_to(actor, &user, AccountChange::ChangeRole, bcu, None)
        },
        detail,
    )
    .await
}

/// Move an officer to another BCU (always a request).
pub async fn move_bcu(
    app: &App,
    actor: &Actor,
    id: &str,
    bcu: &str,
    confirmed: bool,
) -> Result<Outcome, Error> {
    require(app, actor, "move user").await?;
    let user = target(app, actor, id).await?;
    if !user.role.is_bcu_scoped() {
        return Err(Error::invalid_at(
            "user.invalid",
            format!(
                "A {} works for the whole force, not a BCU.",
                user.role.label().to_lowercase()
            ),
            "bcu",
        ));
    }
    confirm(confirmed)?;
    let to = crate::users::bcu_for_role(app, user.force, user.role, Some(bcu)).await?;
    if to == user.bcu {
        return Err(Error::invalid_at(
            "user.invalid",
            "The officer is already in that BCU.",
            "bcu",
        ));
    }
    let detail = format!(
        "BCU of {}: {bcu_before} → {bcu}",
        user.username,
        bcu_before = code_of(app, &user).await?
    );
    request(
        app,
        actor,
        change_to(actor, &user, AccountChange::MoveBcu, to, None),
        detail,
    )
    .await
}

async fn code_of(app: &App, user: &User) -> Result<String, Error> {
    Ok(match user.bcu {
        Some(b) => app
            .store()
            .list_bcus(user.force)
            .await?
            .into_iter()
            .find(|x| x.id == b)
            .map(|x| x.code)
            .unwrap_or_else(|| "?".into()),
        None => "none".into(),
    })
}

/// Disable a leaver's account at once: their sessions end, and their open allocations are listed for their
/// sergeant. An administrator cannot disable themselves, nor the force's last administrator.
pub async fn disable(
    app: &App,
    actor: &Actor,
    id: &str,
    confirmed: bool,
) -> Result<Disabled, Error> {
    require(app, actor, "disable user").await?;
    let user = target(app, actor, id).await?;
    confirm(confirmed)?;
    if user.id == actor.user.id {
        return Err(Error::invalid(
            "account.own",
            "You cannot disable your own account: ask another administrator.",
        ));
    }
    if !user.active {
        return Err(Error::AlreadyDone {
            code: "account.already_disabled",
            message: format!("{} is already disabled.", user.username),
        });
    }
    app.store()
        .update_account(
            user.id,
            &AccountUpdate {
                active: Some(false),
                ..Default::default()
            },
        )
        .await?;
    let sessions_ended = app.store().end_sessions_of(user.id).await?;
    let open_allocations = app.store().open_allocations_of(user.id).await?;
    log(
        app,
        actor,
        &user.id.to_string(),
        format!(
            "disabled {}: active → disabled; {sessions_ended} session(s) ended; {} open allocation(s) left for their sergeant",
            user.username,
            open_allocations.len()
        ),
    )
    .await?;
    Ok(Disabled {
        user: target(app, actor, id).await?,
        sessions_ended,
        open_allocations,
    })
}

/// Enable a disabled account again (always a request).
pub async fn enable(app: &App, actor: &Actor, id: &str, confirmed: bool) -> Result<Outcome, Error> {
    require(app, actor, "enable user").await?;
    let user = target(app, actor, id).await?;
    confirm(confirmed)?;
    if user.active {
        return Err(Error::AlreadyDone {
            code: "account.already_enabled",
            message: format!("{} is already enabled.", user.username),
        });
    }
    let detail = format!("enable {}: disabled → active", user.username);
    request(
        app,
        actor,
        change_to(actor, &user, AccountChange::Enable, None, None),
        detail,
    )
    .await
}

/// Set another account's password; its owner must choose a new one at the next sign-in. A request unless
/// the account holds no case content.
pub async fn reset_password(
    app: &App,
    actor: &Actor,
    id: &str,
    password: &str,
    confirmed: bool,
) -> Result<Outcome, Error> {
    require(app, actor, "reset password").await?;
    let user = target(app, actor, id).await?;
    if user.id == actor.user.id {
        return Err(Error::invalid(
            "account.own",
            "Change your own password from your account page, not as a reset.",
        ));
    }
    check_password(password, &[&user.username, &user.display_name])?;
    confirm(confirmed)?;
    let hash = crate::users::hash_for(password).await?;
    let detail = format!(
        "reset the password of {} (to be changed at the next sign-in)",
        user.username
    );
    if !needs_second_administrator(AccountChange::ResetPassword, user.role) {
        app.store()
            .update_account(
                user.id,
                &AccountUpdate {
                    password_hash: Some(hash),
                    must_change_password: Some(true),
                    ..Default::default()
                },
            )
            .await?;
        app.store().end_sessions_of(user.id).await?;
        log(app, actor, &user.id.to_string(), detail).await?;
        return Ok(Outcome::Done(target(app, actor, id).await?));
    }
    request(
        app,
        actor,
        change_to(actor, &user, AccountChange::ResetPassword, None, Some(hash)),
        detail,
    )
    .await
}

/// Lift an account's sign-in lock at once. Whether it was locked.
pub async fn unlock(app: &App, actor: &Actor, id: &str, confirmed: bool) -> Result<bool, Error> {
    require(app, actor, "unlock user").await?;
    let user = target(app, actor, id).await?;
    confirm(confirmed)?;
    let was = app
        .store()
        .unlock_account(user.id, jiff::Timestamp::now())
        .await?;
    log(
        app,
        actor,
        &user.id.to_string(),
        format!(
            "unlocked {}: {} → unlocked",
            user.username,
            if was { "locked" } else { "not locked" }
        ),
    )
    .await?;
    Ok(was)
}

/// The force's requests: every pending one, and the most recent decided ones (a logged consultation).
pub async fn requests(app: &App, actor: &Actor) -> Result<Vec<AccountRequest>, Error> {
    access::require(
        app,
        actor,
        Action::ManageUsers,
        Processing::Consultation,
        "list account requests",
    )
    .await?;
    Ok(app
        .store()
        .account_requests(actor.user.force, false, 100)
        .await?)
}

async fn pending(app: &App, actor: &Actor, id: &str) -> Result<AccountRequest, Error> {
    let r = app
        .store()
        .account_request(id)
        .await?
        .filter(|r| r.force == actor.user.force)
        .ok_or(Error::NotFound)?;
    still_pending(&r)?;
    may_approve(actor.user.id, r.requested_by, r.target)
        .map_err(|e| Error::invalid("account.separation_of_duties", e.to_string()))?;
    Ok(r)
}

/// Refuse a request that has been decided already.
fn still_pending(r: &AccountRequest) -> Result<(), Error> {
    if r.status == "pending" {
        return Ok(());
    }
    Err(Error::AlreadyDone {
        code: "account.request_decided",
        message: format!("This request was already {}.", r.status),
    })
}

/// Decide a pending request, so that two decisions of one request cannot both take effect.
async fn claim(
    app: &App,
    id: &str,
    status: &str,
    by: Option<UserId>,
    reason: Option<&str>,
) -> Result<(), Error> {
    if app
        .store()
        .decide_account_request(id, status, by, reason)
        .await?
    {
        return Ok(());
    }
    Err(Error::AlreadyDone {
        code: "account.request_decided",
        message: "This request was decided by someone else just now.".into(),
    })
}

/// A request for a change to the existing account `user`.
fn change_to(
    actor: &Actor,
    user: &User,
    change: AccountChange,
    bcu: Option<domain::BcuId>,
    password_hash: Option<String>,
) -> NewAccountRequest {
    NewAccountRequest {
        force: user.force,
        change,
        target: Some(user.id),
        username: None,
        display_name: None,
        role: Some(user.role),
        bcu,
        password_hash,
        requested_by: actor.user.id,
    }
}

/// The force's pending requests, for the database's operator (no case content).
pub async fn pending_requests(
    app: &App,
    force: domain::ForceId,
) -> Result<Vec<AccountRequest>, Error> {
    Ok(app.store().account_requests(force, true, 500).await?)
}

/// A second administrator approves a request: the change takes effect now.
pub async fn approve(app: &App, actor: &Actor, id: &str) -> Result<User, Error> {
    require(app, actor, "approve account change").await?;
    let r = pending(app, actor, id).await?;
    // Claim the request first, so two approvals of one request cannot both apply it.
    claim(app, id, "approved", Some(actor.user.id), None).await?;
    let user = apply(app, &r).await?;
    log(
        app,
        actor,
        &user.id.to_string(),
        format!(
            "approved: {} for {} (asked by {} at {})",
            r.change.label().to_lowercase(),
            r.username,
            r.requested_by_name,
            r.requested_at
        ),
    )
    .await?;
    Ok(user)
}

/// Make an approved request's change.
async fn apply(app: &App, r: &AccountRequest) -> Result<User, Error> {
    let id = &r.id;
    let corrupt = || Error::Internal(format!("account request {id} is incomplete"));
    let user = match r.change {
        AccountChange::Create => {
            let created = app
                .store()
                .create_user(&store::NewUser {
                    force: r.force,
                    bcu: r.bcu,
                    username: r.username.clone(),
                    display_name: r.display_name.clone().ok_or_else(corrupt)?,
                    role: r.role.ok_or_else(corrupt)?,
                    password_hash: r.password_hash.clone().ok_or_else(corrupt)?,
                })
                .await?;
            app.store()
                .update_account(
                    created.id,
                    &AccountUpdate {
                        must_change_password: Some(true),
                        ..Default::default()
                    },
                )
                .await?;
            app.store().user(created.id).await?.ok_or(Error::NotFound)?
        }
        change => {
            let target_id = r.target.ok_or_else(corrupt)?;
            let update = match change {
                AccountChange::ChangeRole => AccountUpdate {
                    role: r.role,
                    bcu: Some(r.bcu),
                    ..Default::default()
                },
                AccountChange::MoveBcu => AccountUpdate {
                    bcu: Some(r.bcu),
                    ..Default::default()
                },
                AccountChange::Enable => AccountUpdate {
                    active: Some(true),
                    ..Default::default()
                },
                AccountChange::ResetPassword => AccountUpdate {
                    password_hash: r.password_hash.clone(),
                    must_change_password: Some(true),
                    ..Default::default()
                },
                AccountChange::Disable | AccountChange::Unlock | AccountChange::Create => {
                    return Err(corrupt());
                }
            };
            app.store().update_account(target_id, &update).await?;
            if matches!(
                change,
                AccountChange::ResetPassword | AccountChange::MoveBcu | AccountChange::ChangeRole
            ) {
                app.store().end_sessions_of(target_id).await?;
            }
            app.store().user(target_id).await?.ok_or(Error::NotFound)?
        }
    };
    Ok(user)
}

/// The database's operator approves, from the command line, a request for a force's second administrator
/// while the force has only one: the one case where no second administrator exists to approve. Logged as
/// the operator's decision.
pub async fn approve_second_administrator(
    app: &App,
    force: domain::ForceId,
    id: &str,
) -> Result<User, Error> {
    let r = app
        .store()
        .account_request(id)
        .await?
        .filter(|r| r.force == force)
        .ok_or(Error::NotFound)?;
    still_pending(&r)?;
    if r.change != AccountChange::Create || r.role != Some(Role::Admin) {
        return Err(Error::invalid(
            "account.separation_of_duties",
            "From the command line, only a request for a force's second administrator can be approved; an administrator approves everything else.",
        ));
    }
    if app.store().active_admins(force).await? != 1 {
        return Err(Error::invalid(
            "account.separation_of_duties",
            "The force already has two administrators: one of them approves this request, not the command line.",
        ));
    }
    claim(app, id, "approved", None, None).await?;
    let user = apply(app, &r).await?;
    app.store()
        .append_audit(store::AuditDraft {
            force: Some(force),
            user: None,
            username: "operator (command line)".into(),
            action: Processing::Alteration,
            record_type: "user".into(),
            record_id: user.id.to_string(),
            justification: None,
            outcome: AccessOutcome::Allowed,
            detail: format!(
                "approved: create the account for {} (the force's second administrator, asked by {} at {})",
                r.username, r.requested_by_name, r.requested_at
            ),
        })
        .await?;
    Ok(user)
}

/// A second administrator rejects a request, with a reason.
pub async fn reject(
    app: &App,
    actor: &Actor,
    id: &str,
    reason: &str,
) -> Result<AccountRequest, Error> {
    require(app, actor, "reject account change").await?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(Error::invalid_at(
            "account.reason_required",
            "Say why the change is rejected (up to 1,000 characters).",
            "reason",
        ));
    }
    let r = pending(app, actor, id).await?;
    claim(app, id, "rejected", Some(actor.user.id), Some(reason)).await?;
    log(
        app,
        actor,
        &r.target
            .map(|t| t.to_string())
            .unwrap_or_else(|| format!("request {id}")),
        format!(
            "rejected: {} for {} (asked by {}): {reason}",
            r.change.label().to_lowercase(),
            r.username,
            r.requested_by_name
        ),
    )
    .await?;
    app.store()
        .account_request(id)
        .await?
        .ok_or(Error::NotFound)
}

/// The signed-in user changes their own password (required after a reset).
pub async fn change_own_password(
    app: &App,
    actor: &Actor,
    current: &str,
    new: &str,
) -> Result<User, Error> {
    let me = &actor.user;
    let (_, stored) = app
        .store()
        .user_for_login(&me.username)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let (current_ok, check) = {
        let current = current.to_string();
        let stored2 = stored.clone();
        let ok =
            tokio::task::spawn_blocking(move || crate::auth::verify_password(&current, &stored2))
                .await
                .map_err(|e| Error::Internal(e.to_string()))?;
        (ok, check_password(new, &[&me.username, &me.display_name]))
    };
    if !current_ok {
        return Err(Error::invalid_at(
            "password.current_wrong",
            "Your current password is not right.",
            "current",
        ));
    }
    check?;
    if current == new {
        return Err(Error::invalid_at(
            "password.unchanged",
            "Choose a password different from the one you have.",
            "password",
        ));
    }
    let hash = crate::users::hash_for(new).await?;
    app.store()
        .update_account(
            me.id,
            &AccountUpdate {
                password_hash: Some(hash),
                must_change_password: Some(false),
                ..Default::default()
            },
        )
        .await?;
    log(
        app,
        actor,
        &me.id.to_string(),
        format!("{} changed their own password", me.username),
    )
    .await?;
    app.store().user(me.id).await?.ok_or(Error::NotFound)
}
