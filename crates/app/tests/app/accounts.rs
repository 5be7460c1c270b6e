//! Separation of duties for accounts: one administrator alone cannot give anyone case content; leavers lose
//! access at once; every change is logged with what it was before and after.

use crate::harness::Fixture;
use crate::on_each_backend;
use app::accounts::{self as ops, Outcome};
use app::users::NewUser;
use domain::Role;

const STRONG: &str = "violet tractor ninety harbour";

fn new_user(username: &str, role: &str, bcu: Option<&str>) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: format!("Officer {username}"),
        role: role.into(),
        bcu: bcu.map(Into::into),
        password: STRONG.into(),
    }
}

async fn one_administrator_alone_cannot_give_anyone_case_content(f: Fixture) {
    let admin = f.actor("admin", Role::Admin, None).await;
    let admin2 = f.actor("admin2", Role::Admin, None).await;
    for (name, role) in [
        ("auditor.x", "auditor"),
        ("admin.x", "admin"),
        ("dpo.x", "dpo"),
    ] {
        let Outcome::Pending(r) = ops::create(&f.app, &admin, &new_user(name, role, None))
            .await
            .unwrap()
        else {
            panic!("{role} waits for a second administrator")
        };
        assert!(
            f.store.user_by_username(name).await.unwrap().is_none(),
            "no {role} account exists before approval"
        );
        let own = ops::approve(&f.app, &admin, &r.id).await.unwrap_err();
        assert_eq!(own.code(), "account.separation_of_duties");
        let made = ops::approve(&f.app, &admin2, &r.id).await.unwrap();
        assert_eq!(
            (made.role.as_str(), made.must_change_password),
            (role, true)
        );
        let twice = ops::approve(&f.app, &admin2, &r.id).await.unwrap_err();
        assert_eq!(twice.code(), "account.request_decided");
    }
    // An oversight account holds no case content: it is made at once.
    let done = ops::create(&f.app, &admin, &new_user("mayor", "oversight", None))
        .await
        .unwrap();
    assert!(matches!(done, Outcome::Done(u) if u.role == Role::Oversight));
    // Giving oneself a role is a change to one's own account: the other administrator cannot be asked by
    // the same person to approve it, and the owner cannot approve a change to their own account.
    let me = admin.user.id.to_string();
    let Outcome::Pending(r) = ops::change_role(&f.app, &admin2, &me, "auditor", None, true)
        .await
        .unwrap()
    else {
        panic!("a role with case content waits")
    };
    let e = ops::approve(&f.app, &admin, &r.id).await.unwrap_err();
    assert_eq!(e.code(), "account.separation_of_duties");
    assert!(e.message().contains("own account"), "{e}");
    // Each step is in the access log, with before and after.
    let log = f
        .store
        .list_audit(&store::AuditQuery {
            force: Some(f.force),
            limit: 1000,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        log.iter().any(|e| e
            .detail
            .contains("role of admin: admin → auditor: waits for a second administrator")),
        "{:#?}",
        log.iter().map(|e| &e.detail).collect::<Vec<_>>()
    );
    assert!(log.iter().any(|e| {
        e.detail
            .starts_with("approved: create the account for auditor.x (asked by admin")
    }));
}

async fn a_leaver_is_disabled_at_once_with_their_sessions_ended_and_their_allocations_listed(
    f: Fixture,
) {
    let admin = f.actor("admin", Role::Admin, None).await;
    let leaver = f.user("inv.leaver", Role::Investigator, Some(f.cn)).await;
    let (token, _) = app::auth::start_session(&f.app, &leaver).await.unwrap();
    assert!(app::auth::session(&f.app, &token, None).await.is_ok());
    let unconfirmed = ops::disable(&f.app, &admin, &leaver.id.to_string(), false)
        .await
        .unwrap_err();
    assert_eq!(unconfirmed.code(), "account.unconfirmed");
    let d = ops::disable(&f.app, &admin, &leaver.id.to_string(), true)
        .await
        .unwrap();
    assert!(!d.user.active);
    assert_eq!(d.sessions_ended, 1);
    assert!(
        app::auth::session(&f.app, &token, None).await.is_err(),
        "their session has ended"
    );
    // Enabling again waits for a second administrator.
    let again = ops::enable(&f.app, &admin, &leaver.id.to_string(), true)
        .await
        .unwrap();
    assert!(matches!(again, Outcome::Pending(_)));
    assert!(!f.store.user(leaver.id).await.unwrap().unwrap().active);
    // An administrator cannot disable themselves; another force's account is not found.
    let own = ops::disable(&f.app, &admin, &admin.user.id.to_string(), true)
        .await
        .unwrap_err();
    assert_eq!(own.code(), "account.own");
    let nobody = ops::disable(&f.app, &admin, &domain::UserId::new().to_string(), true)
        .await
        .unwrap_err();
    assert_eq!(nobody.code(), "not_found");
}

async fn a_reset_password_must_be_changed_at_the_next_sign_in_and_a_weak_one_is_refused(
    f: Fixture,
) {
    let admin = f.actor("admin", Role::Admin, None).await;
    let admin2 = f.actor("admin2", Role::Admin, None).await;
    let officer = f.user("inv.reset", Role::Investigator, Some(f.cn)).await;
    let id = officer.id.to_string();
    for weak in ["password1234", "inv.reset1234", "qwertyuiopas"] {
        let e = ops::reset_password(&f.app, &admin, &id, weak, true)
            .await
            .unwrap_err();
        assert_eq!(e.code(), "password.weak", "{weak}");
    }
    let e = ops::reset_password(&f.app, &admin, &id, "short", true)
        .await
        .unwrap_err();
    assert!(e.message().contains("at least 12 characters"));
    let Outcome::Pending(r) = ops::reset_password(&f.app, &admin, &id, STRONG, true)
        .await
        .unwrap()
    else {
        panic!("a reset for a case role waits")
    };
    ops::approve(&f.app, &admin2, &r.id).await.unwrap();
    let user = app::auth::authenticate(&f.app, "inv.reset", STRONG, "192.0.2.1")
        .await
        .unwrap();
    assert!(user.must_change_password);
    let me = app::Actor::new(user, None);
    let wrong = ops::change_own_password(&f.app, &me, "not it", "granite ocelot whisper lantern")
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), "password.current_wrong");
    let same = ops::change_own_password(&f.app, &me, STRONG, STRONG)
        .await
        .unwrap_err();
    assert_eq!(same.code(), "password.unchanged");
    let changed = ops::change_own_password(&f.app, &me, STRONG, "granite ocelot whisper lantern")
        .await
        .unwrap();
    assert!(!changed.must_change_password);
    // Any characters, and 64 of them, are allowed.
    let long: String = "ünïcødé pässwörd ".repeat(4);
    app::users::check_password(&long, &[]).unwrap();
}

async fn a_locked_account_is_unlocked_at_once_by_an_administrator(f: Fixture) {
    let admin = f.actor("admin", Role::Admin, None).await;
    let officer = f.user("inv.locked", Role::Investigator, Some(f.cn)).await;
    for _ in 0..5 {
        f.store
            .open_sign_in(
                "inv.locked",
                5,
                jiff::SignedDuration::from_mins(15),
                jiff::Timestamp::now(),
            )
            .await
            .unwrap();
    }
    let view = ops::view(&f.app, &admin, &officer.id.to_string())
        .await
        .unwrap();
    assert!(view.locked_until.is_some());
    assert!(
        ops::unlock(&f.app, &admin, &officer.id.to_string(), true)
            .await
            .unwrap()
    );
    let view = ops::view(&f.app, &admin, &officer.id.to_string())
        .await
        .unwrap();
    assert!(view.locked_until.is_none());
    // The account list can be searched.
    let found = ops::search(&f.app, &admin, "LOCKED").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        ops::search(&f.app, &admin, "central north")
            .await
            .unwrap()
            .len(),
        1
    );
    // A supervisor manages no accounts.
    let sup = f.actor("sup.cn", Role::Supervisor, Some(f.cn)).await;
    assert_eq!(
        ops::unlock(&f.app, &sup, &officer.id.to_string(), true)
            .await
            .unwrap_err()
            .code(),
        "auth.forbidden"
    );
}

on_each_backend!(
    one_administrator_alone_cannot_give_anyone_case_content,
    a_leaver_is_disabled_at_once_with_their_sessions_ended_and_their_allocations_listed,
    a_reset_password_must_be_changed_at_the_next_sign_in_and_a_weak_one_is_refused,
    a_locked_account_is_unlocked_at_once_by_an_administrator,
);
