//! The one error of the use cases. Every outcome a person can meet has a variant with a stable
//! machine-readable code; the edges (web, command line) decide only how to show it. Database and internal
//! failures carry their detail for the log, never for the person.

use store::StoreError;

/// Why a use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not signed in (or the session ended).
    #[error("sign in to continue")]
    Unauthenticated,
    /// The function is not open to the user's role.
    #[error("your role does not give access to this")]
    Forbidden,
    /// The user must choose a new password (after an administrator's reset) before anything else.
    #[error("choose a new password first")]
    PasswordChangeRequired,
    /// No such record, or not the user's to see: the two are deliberately indistinguishable.
    #[error("not found")]
    NotFound,
    /// Somebody else changed the record first (its version moved on).
    #[error("someone else changed this record first")]
    Conflict,
    /// Somebody else already did what was asked (a link already decided).
    #[error("{message}")]
    AlreadyDone {
        /// Stable code (`link.already_decided`).
        code: &'static str,
        /// For people.
        message: String,
    },
    /// The request is wrong: `code` is stable (`referral.invalid`), `location` names the field.
    #[error("{message}")]
    Invalid {
        /// Stable code.
        code: &'static str,
        /// For people.
        message: String,
        /// The field or element concerned.
        location: Option<String>,
    },
    /// The input is not of a form the use case takes (a package that is neither JSON nor XML).
    #[error("{0}")]
    UnsupportedType(String),
    /// The input is over a limit.
    #[error("{message}")]
    TooLarge {
        /// Stable code.
        code: &'static str,
        /// For people, naming the limit.
        message: String,
    },
    /// Too many sign-in attempts for the account or from the address: try again later.
    #[error("too many sign-in attempts: try again in {retry_after_seconds} seconds")]
    Throttled {
        /// Seconds until the next attempt is taken.
        retry_after_seconds: i64,
        /// Whether the account is locked (an administrator can unlock it), rather than the address.
        account: bool,
    },
    /// Too many password checks are running at once: try again in a moment.
    #[error("busy: try again in {retry_after_seconds} seconds")]
    Busy {
        /// Seconds to wait before trying again.
        retry_after_seconds: i64,
    },
    /// A part the use case needs (the database) does not answer.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Another writer (a large import on SQLite) held the database past the wait allowed: nothing was written.
    #[error("database busy: {0}")]
    WriteBusy(String),
    /// Something broke inside; the detail is for the log only.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// A validation failure with a code and a message, no field.
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            code,
            message: message.into(),
            location: None,
        }
    }

    /// A validation failure about one field.
    pub fn invalid_at(
        code: &'static str,
        message: impl Into<String>,
        location: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            code,
            message: message.into(),
            location: Some(location.into()),
        }
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthenticated => "auth.required",
            Error::Forbidden => "auth.forbidden",
            Error::PasswordChangeRequired => "auth.password_change_required",
            Error::NotFound => "not_found",
            Error::Conflict => "referral.conflict",
            Error::AlreadyDone { code, .. }
            | Error::Invalid { code, .. }
            | Error::TooLarge { code, .. } => code,
            Error::UnsupportedType(_) => "request.unsupported_type",
            Error::Throttled { .. } => "auth.throttled",
            Error::Busy { .. } => "auth.busy",
            Error::Unavailable(_) => "unavailable",
            Error::WriteBusy(_) => "store.busy",
            Error::Internal(_) => "internal",
        }
    }

    /// The message for people (never internal detail).
    pub fn message(&self) -> String {
        match self {
            Error::Unauthenticated => "Sign in to continue.".into(),
            Error::Forbidden => "Your role does not give access to this.".into(),
            Error::PasswordChangeRequired => {
                "An administrator has reset your password: choose a new one first (POST /api/v1/auth/password, or the account page).".into()
            }
            Error::NotFound => "Not found.".into(),
            Error::Conflict => "Someone else changed this referral since you opened it. Your change was not saved: \
                                look at the current version and try again."
                .into(),
            Error::Invalid { message, .. }
            | Error::AlreadyDone { message, .. }
            | Error::TooLarge { message, .. } => message.clone(),
            Error::UnsupportedType(message) => message.clone(),
            Error::Throttled {
                retry_after_seconds,
                account,
            } => {
                let minutes = (retry_after_seconds + 59) / 60;
                format!(
                    "Too many sign-in attempts. Try again in {minutes} minute{}{}.",
                    if minutes == 1 { "" } else { "s" },
                    if *account {
                        ", or ask an administrator to unlock the account"
                    } else {
                        ""
                    }
                )
            }
            Error::Busy { .. } => {
                "Safeguard is checking many sign-ins just now. Try again in a moment.".into()
            }
            Error::Unavailable(_) => {
                "Safeguard cannot reach its database just now. Try again in a few minutes.".into()
            }
            Error::WriteBusy(_) => {
                "Safeguard is busy saving another large change (an import, most likely): nothing was saved. Try again in a minute.".into()
            }
            Error::Internal(_) => "Something went wrong on our side. It has been logged.".into(),
        }
    }

    /// The field or element concerned, if any.
    pub fn location(&self) -> Option<&str> {
        match self {
            Error::Invalid { location, .. } => location.as_deref(),
            _ => None,
        }
    }

    /// Seconds a client should wait before trying again, for a refusal that passes with time.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            Error::Throttled {
                retry_after_seconds,
                ..
            }
            | Error::Busy {
                retry_after_seconds,
            } => Some((*retry_after_seconds).max(1)),
            Error::WriteBusy(_) => Some(30),
            _ => None,
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict => Error::Conflict,
            StoreError::NotFound => Error::NotFound,
            StoreError::Duplicate(what) => {
                Error::invalid("duplicate", format!("{what} already exists"))
            }
            StoreError::Busy(e) => Error::WriteBusy(e.to_string()),
            other => Error::Internal(other.to_string()),
        }
    }
}

/// A use case's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_conflict_is_a_conflict_and_a_database_failure_hides_its_detail() {
        assert!(matches!(Error::from(StoreError::Conflict), Error::Conflict));
        let e = Error::from(StoreError::Config("SELECT secret FROM x".into()));
        assert_eq!(e.code(), "internal");
        assert!(!e.message().contains("SELECT"));
    }

    #[test]
    fn an_invalid_field_keeps_its_code_message_and_location() {
        let e = Error::invalid_at("user.invalid", "Too long.", "username");
        assert_eq!(
            (e.code(), e.message().as_str(), e.location()),
            ("user.invalid", "Too long.", Some("username"))
        );
    }
}
