//! Separation of duties for accounts: which changes one administrator may make alone, which need a second
//! administrator's approval before they take effect, and who may approve. An administrator who could give
//! themselves (or a friend) case content alone could read every referral; so any change that can open case
//! content — an account with a case role, a role changed, a move to another BCU, an account enabled again, a
//! password set for someone else — waits for a second administrator. Changes that only take access away
//! (disabling, unlocking a locked account so its owner can sign in) take effect at once.

use crate::{Role, UserId};
use serde::{Deserialize, Serialize};

/// A change to an account, as requested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountChange {
    /// A new account with this role.
    Create,
    /// The account's role changed.
    ChangeRole,
    /// The account moved to another BCU.
    MoveBcu,
    /// A disabled account enabled again.
    Enable,
    /// An administrator set the account's password (a reset).
    ResetPassword,
    /// The account disabled (a leaver); its sessions end at once.
    Disable,
    /// The account's sign-in lock lifted.
    Unlock,
}

impl AccountChange {
    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountChange::Create => "create",
            AccountChange::ChangeRole => "change_role",
            AccountChange::MoveBcu => "move_bcu",
            AccountChange::Enable => "enable",
            AccountChange::ResetPassword => "reset_password",
            AccountChange::Disable => "disable",
            AccountChange::Unlock => "unlock",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            AccountChange::Create => "Create the account",
            AccountChange::ChangeRole => "Change the role",
            AccountChange::MoveBcu => "Move to another BCU",
            AccountChange::Enable => "Enable the account again",
            AccountChange::ResetPassword => "Reset the password",
            AccountChange::Disable => "Disable the account",
            AccountChange::Unlock => "Unlock the account",
        }
    }
}

impl std::str::FromStr for AccountChange {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        [
            AccountChange::Create,
            AccountChange::ChangeRole,
            AccountChange::MoveBcu,
            AccountChange::Enable,
            AccountChange::ResetPassword,
            AccountChange::Disable,
            AccountChange::Unlock,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
        .ok_or_else(|| format!("unknown account change '{s}'"))
    }
}

/// Roles an administrator may give alone: they hold no case content.
pub fn role_without_case_content(role: Role) -> bool {
    matches!(role, Role::Oversight)
}

/// Whether `change`, leaving the account with `role`, needs a second administrator's approval.
pub fn needs_second_administrator(change: AccountChange, role: Role) -> bool {
    match change {
        AccountChange::Create | AccountChange::ChangeRole | AccountChange::ResetPassword => {
            !role_without_case_content(role)
        }
        AccountChange::MoveBcu | AccountChange::Enable => true,
        AccountChange::Disable | AccountChange::Unlock => false,
    }
}

/// Why an approval is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    /// The administrator who asked for the change cannot also approve it.
    #[error(
        "the administrator who asked for a change cannot approve it: another administrator must"
    )]
    OwnRequest,
    /// A change to an administrator's own account needs someone else.
    #[error("an administrator cannot approve a change to their own account")]
    OwnAccount,
}

/// Whether `approver` may approve a change `requested_by` asked for, to the account `target` (none for a new
/// account).
pub fn may_approve(
    approver: UserId,
    requested_by: UserId,
    target: Option<UserId>,
) -> Result<(), ApprovalError> {
    if approver == requested_by {
        return Err(ApprovalError::OwnRequest);
    }
    if target == Some(approver) {
        return Err(ApprovalError::OwnAccount);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changes_that_can_open_case_content_wait_for_a_second_administrator() {
        use AccountChange::*;
        assert!(needs_second_administrator(Create, Role::Auditor));
        assert!(needs_second_administrator(Create, Role::Admin));
        assert!(!needs_second_administrator(Create, Role::Oversight));
        assert!(needs_second_administrator(ChangeRole, Role::Investigator));
        assert!(needs_second_administrator(MoveBcu, Role::Investigator));
        assert!(needs_second_administrator(Enable, Role::Oversight));
        assert!(needs_second_administrator(ResetPassword, Role::Dpo));
        assert!(!needs_second_administrator(ResetPassword, Role::Oversight));
        assert!(!needs_second_administrator(Disable, Role::Admin));
        assert!(!needs_second_administrator(Unlock, Role::Admin));
    }

    #[test]
    fn the_requester_never_approves_and_nobody_approves_a_change_to_their_own_account() {
        let (a, b, c) = (UserId::new(), UserId::new(), UserId::new());
        assert_eq!(may_approve(a, a, Some(c)), Err(ApprovalError::OwnRequest));
        assert_eq!(may_approve(b, a, Some(b)), Err(ApprovalError::OwnAccount));
        assert_eq!(may_approve(b, a, Some(c)), Ok(()));
        assert_eq!(may_approve(b, a, None), Ok(()));
        for c in [
            "create",
            "change_role",
            "move_bcu",
            "enable",
            "reset_password",
            "disable",
            "unlock",
        ] {
            assert_eq!(c.parse::<AccountChange>().unwrap().as_str(), c);
        }
    }
}
