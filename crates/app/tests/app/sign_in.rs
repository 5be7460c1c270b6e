//! Sign-in under attack: floods of parallel attempts, over-long names, parallel wrong passwords for one
//! account, and names that differ only in case. The tests count what ran and what was refused.

use crate::harness::Fixture;
use crate::on_each_backend;
use app::{App, Error};
use domain::Role;
use store::{NewUser, SignInGate};

const PASSWORD: &str = "correct horse battery staple";

async fn account(f: &Fixture, username: &str) {
    f.store
        .create_user(&NewUser {
            force: f.force,
            bcu: Some(f.cn),
            username: username.into(),
            display_name: username.into(),
            role: Role::Investigator,
            password_hash: app::auth::hash_password(PASSWORD).unwrap(),
        })
        .await
        .unwrap();
}

fn with(f: &Fixture, config: app::Config) -> App {
    App::new(f.store.clone(), config)
}

async fn a_parallel_burst_of_wrong_passwords_gets_no_more_checks_than_the_limit_and_leaves_the_account_locked(
    f: Fixture,
) {
    account(&f, "inv.cn").await;
    let app = with(
        &f,
        app::Config {
            max_concurrent_sign_ins: 64,
            ..Default::default()
        },
    );
    let attempts = (0..60).map(|i| {
        let app = app.clone();
        // The owner's correct password is somewhere inside the burst.
        let password = if i == 30 {
            PASSWORD.to_string()
        } else {
            format!("guess number {i}")
        };
        tokio::spawn(async move {
            app::auth::authenticate(&app, "inv.cn", &password, &format!("198.51.100.{i}")).await
        })
    });
    let results: Vec<Result<domain::User, Error>> = futures_join(attempts).await;
    let limit = app::Config::default().max_failed_logins as u64;
    assert!(
        app.sign_in_checks().run <= limit,
        "{} password checks ran for a limit of {limit}",
        app.sign_in_checks().run
    );
    let refused = results
        .iter()
        .filter(|r| matches!(r, Err(Error::Throttled { .. })))
        .count();
    assert!(
        refused >= 60 - limit as usize,
        "{refused} of 60 were refused unchecked"
    );
    let after = app::auth::authenticate(&app, "inv.cn", PASSWORD, "203.0.113.9").await;
    assert!(
        matches!(after, Err(Error::Throttled { .. })),
        "the account stays locked after the burst, even for its right password: {after:?}"
    );
    assert!(after.unwrap_err().retry_after().unwrap() > 60);
}

async fn futures_join<T: Send + 'static>(
    tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut out = vec![];
    for t in tasks.collect::<Vec<_>>() {
        out.push(t.await.unwrap());
    }
    out
}

async fn hundreds_of_parallel_sign_ins_never_run_more_password_checks_at_once_than_the_bound(
    f: Fixture,
) {
    let app = with(&f, app::Config::default());
    let bound = app::Config::default().max_concurrent_sign_ins;
    let attempts = (0..300).map(|i| {
        let app = app.clone();
        tokio::spawn(async move {
            app::auth::authenticate(
                &app,
                &format!("random.name.{i}"),
                "some password or other",
                &format!("2001:db8::{i:x}"),
            )
            .await
        })
    });
    let results = futures_join(attempts).await;
    let counts = app.sign_in_checks();
    assert!(
        counts.most_at_once <= bound,
        "{} checks ran at once for a bound of {bound}",
        counts.most_at_once
    );
    let busy: Vec<&Error> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .filter(|e| matches!(e, Error::Busy { .. }))
        .collect();
    assert!(
        !busy.is_empty(),
        "beyond the bound, attempts are refused as busy"
    );
    assert!(busy.iter().all(|e| e.retry_after() == Some(1)));
    assert_eq!(
        counts.run as usize + busy.len(),
        300,
        "every attempt was either checked or refused as busy"
    );
}

async fn a_user_name_or_password_over_256_bytes_is_refused_before_any_check(f: Fixture) {
    account(&f, "inv.cn").await;
    let app = with(&f, app::Config::default());
    let huge = "x".repeat(32 * 1024 * 1024);
    for (name, password, field) in [
        (huge.as_str(), PASSWORD, "username"),
        ("inv.cn", &"p".repeat(257), "password"),
    ] {
        let e = app::auth::authenticate(&app, name, password, "192.0.2.1")
            .await
            .unwrap_err();
        assert_eq!((e.code(), e.location()), ("auth.too_long", Some(field)));
    }
    assert_eq!(app.sign_in_checks().run, 0, "no password was checked");
    assert_eq!(
        f.store
            .address_refused_until("ip:192.0.2.1", 1, jiff::Timestamp::now())
            .await
            .unwrap(),
        None,
        "no failure was counted against the address"
    );
    // A 256-byte password is allowed (and simply wrong).
    let e = app::auth::authenticate(&app, "inv.cn", &"p".repeat(256), "192.0.2.1")
        .await
        .unwrap_err();
    assert_eq!(e.code(), "auth.invalid");
}

async fn user_names_are_one_account_whatever_their_case(f: Fixture) {
    account(&f, "inv.cn").await;
    let again = f
        .store
        .create_user(&NewUser {
            force: f.force,
            bcu: Some(f.cn),
            username: "INV.CN".into(),
            display_name: "Another".into(),
            role: Role::Investigator,
            password_hash: "x".into(),
        })
        .await;
    assert!(
        matches!(again, Err(store::StoreError::Duplicate(_))),
        "{again:?}"
    );
    let app = with(&f, app::Config::default());
    let user = app::auth::authenticate(&app, "Inv.CN", PASSWORD, "192.0.2.1")
        .await
        .unwrap();
    assert_eq!(user.username, "inv.cn");
}

async fn a_lock_ends_after_its_time_and_a_success_before_the_limit_starts_the_count_again(
    f: Fixture,
) {
    account(&f, "inv.cn").await;
    let t0: jiff::Timestamp = "2026-12-04T09:00:00Z".parse().unwrap();
    let lockout = jiff::SignedDuration::from_mins(15);
    let open = |g: &SignInGate| matches!(g, SignInGate::Open { .. });
    for _ in 0..5 {
        let g = f
            .store
            .open_sign_in("inv.cn", 5, lockout, t0)
            .await
            .unwrap();
        assert!(open(&g));
    }
    assert_eq!(
        f.store
            .open_sign_in("INV.cn", 5, lockout, t0)
            .await
            .unwrap(),
        SignInGate::Locked {
            until: t0 + lockout
        }
    );
    let later = t0 + jiff::SignedDuration::from_mins(16);
    let g = f
        .store
        .open_sign_in("inv.cn", 5, lockout, later)
        .await
        .unwrap();
    let SignInGate::Open { user, attempt, .. } = g else {
        panic!("the lock has ended: {g:?}")
    };
    assert_eq!(attempt, 1, "the count started again when the lock ended");
    // A success now, with no other attempt since, starts the count again.
    f.store.sign_in_succeeded(user.id, attempt).await.unwrap();
    for _ in 0..5 {
        assert!(open(
            &f.store
                .open_sign_in("inv.cn", 5, lockout, later)
                .await
                .unwrap()
        ));
    }
    assert_eq!(
        f.store
            .open_sign_in("nobody", 5, lockout, later)
            .await
            .unwrap(),
        SignInGate::NoSuchUser
    );
}

on_each_backend!(
    a_parallel_burst_of_wrong_passwords_gets_no_more_checks_than_the_limit_and_leaves_the_account_locked,
    hundreds_of_parallel_sign_ins_never_run_more_password_checks_at_once_than_the_bound,
    a_user_name_or_password_over_256_bytes_is_refused_before_any_check,
    user_names_are_one_account_whatever_their_case,
    a_lock_ends_after_its_time_and_a_success_before_the_limit_starts_the_count_again,
);
