//! User accounts: created by an administrator (the page and the API) or by the database's operator (the
//! command line), with the same checks. No case content here.

use crate::access;
use crate::{Actor, App, Error};
use domain::audit::Processing;
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

/// One account with its BCU.
pub async fn with_bcu(app: &App, user: User) -> Result<Account, Error> {
    let bcu = match user.bcu {
        Some(id) => app
            .store()
            .list_bcus(user.force)
            .await?
            .into_iter()
            .find(|b| b.id == id),
        None => None,
    };
    Ok(Account { user, bcu })
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

/// Validate and create an account in `force` at once: the operator's command for the force's first
/// administrator (see `cli user add`), and an administrator's account with no case content.
pub async fn create(app: &App, force: ForceId, b: &NewUser) -> Result<User, Error> {
    let (role, bcu, username, hash) = validate(app, force, b).await?;
    Ok(app
        .store()
        .create_user(&store::NewUser {
            force,
            bcu,
            username,
            display_name: b.display_name.trim().to_string(),
            role,
            password_hash: hash,
        })
        .await?)
}

/// The role, BCU, user name and password hash of a new account as asked for, or what is wrong with it.
pub(crate) async fn validate(
    app: &App,
    force: ForceId,
    b: &NewUser,
) -> Result<(Role, Option<domain::BcuId>, String, String), Error> {
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
    check_password(&b.password, &[username, b.display_name.as_str()])?;
    if b.display_name.trim().is_empty() || b.display_name.chars().count() > 200 {
        return Err(Error::invalid_at(
            "user.invalid",
            "A name shown to others is 1 to 200 characters.",
            "display_name",
        ));
    }
    let bcu = bcu_for_role(app, force, role, b.bcu.as_deref()).await?;
    let hash = hash_for(&b.password).await?;
    Ok((role, bcu, username.to_string(), hash))
}

/// The BCU a role needs (BCU roles need one; force-wide roles have none).
pub(crate) async fn bcu_for_role(
    app: &App,
    force: ForceId,
    role: Role,
    code: Option<&str>,
) -> Result<Option<domain::BcuId>, Error> {
    Ok(
        match (role.is_bcu_scoped(), code.filter(|s| !s.is_empty())) {
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
        },
    )
}

pub(crate) async fn hash_for(password: &str) -> Result<String, Error> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
}

/// The shortest password taken, in characters (NCSC: length, not composition rules).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Whether a password may be used: at least 12 characters, at most 256 bytes (any characters, no rules on
/// their mix, no expiry), and not one that is common or easily guessed (zxcvbn's estimate of at least 10^10
/// guesses, counting the account's own name and user name as known words).
pub fn check_password(password: &str, own_words: &[&str]) -> Result<(), Error> {
    let invalid = |m: String| Error::invalid_at("password.weak", m, "password");
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(invalid(format!(
            "A password needs at least {MIN_PASSWORD_CHARS} characters; a few unrelated words make a good one."
        )));
    }
    if password.len() > crate::auth::MAX_CREDENTIAL_BYTES {
        return Err(invalid(format!(
            "A password is at most {} bytes.",
            crate::auth::MAX_CREDENTIAL_BYTES
        )));
    }
    let words: Vec<&str> = own_words
        .iter()
        .copied()
        .chain(
            own_words
                .iter()
                .flat_map(|w| w.split(|c: char| !c.is_alphanumeric())),
        )
        .filter(|w| w.len() >= 3)
        .collect();
    let lower = password.to_lowercase();
    if words
        .iter()
        .any(|w| w.chars().count() >= 4 && lower.contains(&w.trim().to_lowercase()))
    {
        return Err(invalid(
            "A password must not contain the account's user name or name.".into(),
        ));
    }
    let estimate = zxcvbn::zxcvbn(password, &words);
    if (estimate.score() as u8) < 3 {
        let why = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" ({})", w.to_string().trim_end_matches('.')))
            .unwrap_or_default();
        return Err(invalid(format!(
            "That password is too easy to guess{why}. Choose a longer one, for example a few unrelated words."
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_password;

    #[test]
    fn common_and_guessable_passwords_are_refused_and_long_unrelated_words_are_taken() {
        for (weak, own) in [
            ("password1234", &[][..]),
            ("qwertyuiopas", &[][..]),
            ("123456789012", &[][..]),
            ("Password123!", &[][..]),
            ("inv.reset1234", &["inv.reset"][..]),
            ("Amira Shah 2026", &["DC Amira Shah"][..]),
        ] {
            let e = check_password(weak, own);
            assert!(e.is_err(), "{weak} is refused");
        }
        check_password("violet tractor ninety harbour", &[]).unwrap();
        let common = check_password("password1234", &[]).unwrap_err().message();
        assert!(
            common.contains("(This is a very common password)") && !common.contains(".)."),
            "{common}"
        );
        assert!(
            check_password(&"é".repeat(129), &[]).is_err(),
            "over 256 bytes"
        );
    }
}
