//! A signed-in request: the actor the use cases take, and the session it came with (for the CSRF token
//! and signing out). Built by the extractors in [`crate::auth`].

use app::Actor;
use app::auth::Session;

/// A signed-in request.
#[derive(Clone, Debug)]
pub struct Ctx {
    /// Who is acting, and why.
    pub actor: Actor,
    /// Their session.
    pub session: Session,
    /// For the central desk's pages: how many escalated referrals wait unrouted (shown in the header).
    pub escalated_unrouted: Option<i64>,
}

impl std::ops::Deref for Ctx {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.actor
    }
}

impl Ctx {
    /// The same request with the justification typed on a page (blank keeps the one already given).
    pub fn with_justification(mut self, j: Option<&String>) -> Self {
        if let Some(j) = j.map(|j| j.trim()).filter(|j| !j.is_empty()) {
            self.actor.justification = Some(j.to_string());
        }
        self
    }
}
