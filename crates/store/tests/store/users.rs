//! Users, sessions and reference data.

use crate::harness::force;
use crate::stories;
use jiff::{Timestamp, ToSpan};
use store::{Session, Store, StoreError};

async fn a_username_can_be_taken_only_once(store: Store) {
    let f = force(&store).await;
    let again = store::NewUser {
        force: f.id,
        bcu: Some(f.cn),
        username: f.inv_cn.username.clone(),
        display_name: "Someone else".into(),
        role: domain::Role::Supervisor,
        password_hash: "x".into(),
    };
    assert!(matches!(
        store.create_user(&again).await,
        Err(StoreError::Duplicate(_))
    ));
}

async fn a_borough_routes_to_its_bcu_whatever_its_case(store: Store) {
    let f = force(&store).await;
    let now = Timestamp::now();
    let (bcu, name) = store
        .bcu_for_borough(f.id, "  iSLINGTON ", now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((bcu, name.as_str()), (f.cn, "Islington"));
    assert!(
        store
            .bcu_for_borough(f.id, "Atlantis", now)
            .await
            .unwrap()
            .is_none()
    );
}

async fn bcu_codes_are_unique_within_a_force_but_not_across_forces(store: Store) {
    let f = force(&store).await;
    let since = Timestamp::now();
    assert!(matches!(
        store.create_bcu(f.id, "cn", "Again", &[], since).await,
        Err(StoreError::Duplicate(_))
    ));
    let other = store
        .create_force(&format!("o{}", uuid::Uuid::new_v4().simple()), "Other")
        .await
        .unwrap();
    store
        .create_bcu(other, "cn", "Their Central North", &[], since)
        .await
        .unwrap();
}

async fn an_expired_session_no_longer_signs_anyone_in(store: Store) {
    let f = force(&store).await;
    let now = Timestamp::now();
    let s = Session {
        token_hash: "abc".into(),
        user: f.inv_cn.id,
        csrf_token: "c".into(),
        expires_at: now + 1.hour(),
    };
    store.create_session(&s).await.unwrap();
    assert_eq!(
        store.session("abc", now).await.unwrap().unwrap().1.id,
        f.inv_cn.id
    );
    assert!(
        store
            .session("abc", now + 2.hours())
            .await
            .unwrap()
            .is_none()
    );
    store.delete_session("abc").await.unwrap();
    assert!(store.session("abc", now).await.unwrap().is_none());
}

async fn a_borough_taken_over_by_a_new_bcu_moves_on_that_date_and_never_has_two_bcus(store: Store) {
    let f = force(&store).await;
    let covered_since: Timestamp = "2019-01-01T00:00:00Z".parse().unwrap();
    let refused = store
        .create_bcu(f.id, "nw", "North West", &["Islington"], covered_since)
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Config(m)) if m.contains("borough 'Islington' is covered by BCU 'cn'")),
        "{refused:?}"
    );
    assert!(
        store.bcu_by_code(f.id, "nw").await.unwrap().is_none(),
        "nothing half-made"
    );
    let moves: Timestamp = "2026-04-01T00:00:00Z".parse().unwrap();
    let nx = store
        .create_bcu(f.id, "nx", "North", &["islington"], moves)
        .await
        .unwrap();
    let at = |t: &str| {
        let store = store.clone();
        let t: Timestamp = t.parse().unwrap();
        async move {
            store
                .bcu_for_borough(f.id, "Islington", t)
                .await
                .unwrap()
                .unwrap()
                .0
        }
    };
    assert_eq!(at("2026-03-31T23:59:59Z").await, f.cn);
    assert_eq!(at("2026-04-01T00:00:00Z").await, nx);
    assert_eq!(at("2026-11-29T12:00:00Z").await, nx);
}

stories!(
    a_borough_taken_over_by_a_new_bcu_moves_on_that_date_and_never_has_two_bcus,
    a_username_can_be_taken_only_once,
    a_borough_routes_to_its_bcu_whatever_its_case,
    bcu_codes_are_unique_within_a_force_but_not_across_forces,
    an_expired_session_no_longer_signs_anyone_in,
);

#[tokio::test]
async fn a_sqlite_store_reopens_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let loc = store::Location::SqliteFile(dir.path().join("safeguard.db"));
    let s = Store::open(&loc, b"k".to_vec()).await.unwrap();
    force(&s).await;
    s.close().await;
    let s = Store::open(&loc, b"k".to_vec()).await.unwrap();
    assert_eq!(s.count_users().await.unwrap(), 2);
}

#[tokio::test]
async fn an_older_database_with_names_differing_only_in_case_is_refused_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("safeguard.db");
    let loc = store::Location::SqliteFile(path.clone());
    let s = Store::open(&loc, b"k".to_vec()).await.unwrap();
    let f = force(&s).await;
    s.close().await;
    // Put the database back as it was before names were unique whatever their case, with such a pair.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    for sql in [
        "DROP TRIGGER figure_days_insert",
        "DROP TRIGGER figure_days_update",
        "DROP TRIGGER figure_days_delete",
        "DROP TABLE figure_days",
        "ALTER TABLE referrals DROP COLUMN received_day",
        "ALTER TABLE referrals DROP COLUMN enforced_day",
        "ALTER TABLE referrals DROP COLUMN closed_day",
        "ALTER TABLE referrals DROP COLUMN assessed_day",
        "DROP TRIGGER clock_days_insert",
        "DROP TRIGGER clock_days_update",
        "DROP TRIGGER clock_days_delete",
        "DROP TRIGGER clock_days_referral_moved",
        "DROP TRIGGER clock_days_step_added",
        "DROP TRIGGER clock_days_step_taken",
        "DROP TABLE clock_days",
        "ALTER TABLE clocks DROP COLUMN stopped_day",
        "DROP TRIGGER figure_months_narrow_insert",
        "DROP TRIGGER figure_months_narrow_update",
        "DROP TRIGGER figure_months_narrow_delete",
        "DROP TABLE figure_months_narrow",
        "DROP INDEX clock_months_by_bcu",
        "DROP TRIGGER clock_force_months_insert",
        "DROP TRIGGER clock_force_months_update",
        "DROP TRIGGER clock_force_months_delete",
        "DROP TABLE clock_force_months",
        "DROP INDEX child_house_by_force_referred",
        "DROP INDEX referrals_enforced",
        "DROP INDEX referrals_assessed",
        "DROP TRIGGER override_months_insert",
        "DROP TRIGGER override_months_update",
        "DROP TRIGGER override_months_delete",
        "DROP TRIGGER override_months_referral_moved",
        "DROP TABLE override_months",
        "ALTER TABLE assessments DROP COLUMN decided_month",
        "DROP INDEX referrals_by_officer",
        "DROP INDEX referrals_open_as_at",
        "DROP TRIGGER exhibit_count_insert",
        "DROP TRIGGER exhibit_count_delete",
        "DROP TRIGGER exhibit_count_moved",
        "DROP INDEX referrals_closed_with_exhibits",
        "ALTER TABLE referrals DROP COLUMN exhibit_count",
        "DROP TRIGGER clock_months_insert",
        "DROP TRIGGER clock_months_update",
        "DROP TRIGGER clock_months_delete",
        "DROP TRIGGER clock_months_referral_moved",
        "DROP TRIGGER forensic_steps_fixed",
        "DROP TRIGGER clock_months_step_added",
        "DROP TRIGGER clock_months_step_taken",
        "DROP TABLE clock_months",
        "ALTER TABLE clocks DROP COLUMN stopped_month",
        "ALTER TABLE clocks DROP COLUMN stop_step",
        "DROP TRIGGER decision_months_insert",
        "DROP TRIGGER decision_months_update",
        "DROP TRIGGER decision_months_delete",
        "DROP TRIGGER decision_months_referral_moved",
        "DROP TABLE decision_months",
        "ALTER TABLE outcome_decisions DROP COLUMN decided_month",
        "DROP TABLE governance_events",
        "DROP TABLE board_snapshots",
        "DROP INDEX users_staff_number",
        "ALTER TABLE users DROP COLUMN staff_number",
        "DROP TRIGGER figure_months_insert",
        "DROP TRIGGER figure_months_update",
        "DROP TRIGGER figure_months_delete",
        "DROP TABLE figure_months",
        "DROP INDEX referrals_received",
        "DROP INDEX clocks_stopped",
        "DROP INDEX assessments_overridden",
        "ALTER TABLE referrals DROP COLUMN received_month",
        "ALTER TABLE referrals DROP COLUMN enforced_month",
        "ALTER TABLE referrals DROP COLUMN closed_month",
        "ALTER TABLE referrals DROP COLUMN assessed_month",
        "ALTER TABLE referrals DROP COLUMN enforce_step",
        "ALTER TABLE referrals DROP COLUMN triage_step",
        "DROP TABLE sign_in_addresses",
        "DROP TRIGGER referral_counts_insert",
        "DROP TRIGGER referral_counts_update",
        "DROP TRIGGER referral_counts_delete",
        "DROP TABLE referral_counts",
        "DROP INDEX referrals_bcu_queue",
        "DROP INDEX referrals_force_queue",
        "ALTER TABLE referrals DROP COLUMN queue_group",
        "ALTER TABLE referrals DROP COLUMN queue_due",
        "CREATE INDEX referrals_queue ON referrals(force_id, bcu_id, due_at, id)",
        "DROP INDEX access_log_spool_key",
        "ALTER TABLE access_log DROP COLUMN spool_key",
        "DROP INDEX packages_once_per_force",
        "DROP INDEX users_username_any_case",
        "DELETE FROM _sqlx_migrations WHERE version >= 3",
        "DROP TABLE remedial_actions",
        "DROP TABLE quality_reviews",
        "DROP TABLE quality_samples",
        "DROP TABLE scan_reports",
        "DROP TABLE forensic_steps",
        "DROP TABLE exhibit_handovers",
        "DROP TABLE exhibits",
        "ALTER TABLE users DROP COLUMN sign_in_attempts",
        "ALTER TABLE users DROP COLUMN locked_until",
        "DROP TABLE account_requests",
        "ALTER TABLE users DROP COLUMN must_change_password",
        "DROP TABLE report_details",
        "ALTER TABLE ip_events DROP COLUMN origin",
        "DROP TABLE outcome_decisions",
        "ALTER TABLE referrals DROP COLUMN prior_status",
        "ALTER TABLE referrals DROP COLUMN outcome_proposed_by",
        "ALTER TABLE referrals DROP COLUMN outcome_proposed_at",
        "ALTER TABLE referrals DROP COLUMN victim_informed",
        "ALTER TABLE referrals DROP COLUMN retention_review_on",
        "DROP TABLE supervision_reviews",
        "DROP TABLE clock_pauses",
        "DROP TABLE plan_actions",
        "DROP TABLE clocks",
        "ALTER TABLE referrals DROP COLUMN offence",
        "ALTER TABLE referrals DROP COLUMN method_sextortion",
        "ALTER TABLE referrals DROP COLUMN method_live_streaming",
        "DROP INDEX referrals_headline",
        "ALTER TABLE referrals DROP COLUMN headline_due",
        "ALTER TABLE referrals DROP COLUMN headline_kind",
        "DROP TABLE abe_interviews",
        "DROP TABLE child_house_referrals",
        "DROP TABLE safeguarding_referrals",
        "DROP TABLE person_changes",
        "DROP INDEX identifiers_by_person",
        "ALTER TABLE identifiers DROP COLUMN person_id",
        "ALTER TABLE people DROP COLUMN access",
        "ALTER TABLE people DROP COLUMN added_by",
        "ALTER TABLE people DROP COLUMN added_at",
        "ALTER TABLE people DROP COLUMN changed_by",
        "ALTER TABLE people DROP COLUMN changed_at",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    sqlx::query(
        "INSERT INTO users (id, force_id, bcu_id, username, display_name, role, password_hash, active, created_at)
         SELECT 'clash-id', force_id, bcu_id, upper(username), display_name, role, password_hash, active, created_at
         FROM users WHERE username = $1",
    )
    .bind(&f.inv_cn.username)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    let refused = Store::open(&loc, b"k".to_vec())
        .await
        .unwrap_err()
        .to_string();
    let upper = f.inv_cn.username.to_uppercase();
    assert!(
        refused.contains(&format!("'{}'", f.inv_cn.username))
            && refused.contains(&format!("'{upper}' (id clash-id)"))
            && refused.contains("differ only in case"),
        "{refused}"
    );
    // Renaming one of them lets the upgrade run.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    sqlx::query("UPDATE users SET username = 'inv.cn.old' WHERE id = 'clash-id'")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    Store::open(&loc, b"k".to_vec()).await.unwrap();
}
