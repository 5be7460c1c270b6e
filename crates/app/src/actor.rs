//! Who is acting: the signed-in user and the justification they gave, built by an edge (the web's
//! extractors) and handed to every use case.

use domain::{Principal, User};

/// The user behind a request, and the justification they gave for it, if any.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The user.
    pub user: User,
    /// Why they are processing personal data (`X-Justification` or the form's justification field).
    pub justification: Option<String>,
}

impl Actor {
    /// The user acting, with an optional justification (blank counts as none).
    pub fn new(user: User, justification: Option<String>) -> Self {
        Self {
            user,
            justification: justification.filter(|j| !j.trim().is_empty()),
        }
    }

    /// The user's permissions.
    pub fn principal(&self) -> Principal {
        self.user.principal()
    }

    /// This actor as the author of a change, for the timeline and the access log.
    pub(crate) fn author(&self) -> store::Actor {
        store::Actor {
            user: Some(self.user.id),
            username: self.user.username.clone(),
            display_name: self.user.display_name.clone(),
            justification: self.justification.clone(),
        }
    }
}
