//! A step on a referral's timeline together with its access-log event, written inside the caller's
//! transaction so that the record, its timeline and the log never disagree.

/// Write one timeline step and one access-log event in an open transaction (the caller holds `write_lock`).
/// `$force` is the referral's `ForceId`.
macro_rules! step_in_tx {
    ($store:expr, $conn:expr, $force:expr, $referral:expr, $actor:expr, $kind:expr, $summary:expr, $processing:expr, $detail:expr) => {
        $crate::steps::step_in_tx!(at: jiff::Timestamp::now(), $store, $conn, $force, $referral, $actor, $kind, $summary, $processing, $detail)
    };
    // The step as it happened at `$at` (a step recorded after the event, such as the demo's history); the
    // access-log event is always now.
    (at: $at:expr, $store:expr, $conn:expr, $force:expr, $referral:expr, $actor:expr, $kind:expr, $summary:expr, $processing:expr, $detail:expr) => {{
        let actor: &$crate::Actor = $actor;
        sqlx::query(
            "INSERT INTO referral_events (id, referral_id, at, user_id, actor, kind, summary) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind($referral.to_string())
        .bind($crate::ms($at))
        .bind(actor.user.map(|u| u.to_string()))
        .bind(&actor.display_name)
        .bind($kind)
        .bind($summary)
        .execute(&mut *$conn)
        .await?;
        let draft = $crate::AuditDraft {
            force: Some($force),
            user: actor.user,
            username: actor.username.clone(),
            action: $processing,
            record_type: "referral".into(),
            record_id: $referral.to_string(),
            justification: actor.justification.clone(),
            outcome: domain::audit::AccessOutcome::Allowed,
            detail: $detail,
        };
        $crate::audit::append_in_tx!($store, &mut *$conn, draft)
    }};
}
pub(crate) use step_in_tx;
