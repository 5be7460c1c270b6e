//! Two handles on one database, as two processes have. Reads while another process imports: the import holds the access log's head (and, on SQLite, the
//! database's only write lock) from its first report to its commit, yet every read is answered at once and
//! logged; the events spooled meanwhile join the chain, with the time of the read, when the import commits.

use crate::harness::{App, postgres_pair, second_server, spawn, spawn_with, sqlite_pair};
use reqwest::StatusCode;
use std::time::Duration;
use store::{AuditQuery, Store};

/// Users reading, and how many reads each of 20 clients makes.
const READERS: [&str; 4] = ["inv.cn", "sup.cn", "lead.cn", "central"];
const CLIENTS: usize = 20;
const READS_EACH: usize = 5;

async fn logged_for(store: &Store, users: &[&str]) -> Vec<store::AuditEvent> {
    let mut all = vec![];
    for u in users {
        all.extend(
            store
                .list_audit(&AuditQuery {
                    username: Some((*u).into()),
                    limit: 1000,
                    ..Default::default()
                })
                .await
                .unwrap(),
        );
    }
    all
}

async fn reads_are_answered_and_logged_while_another_process_holds_an_import_open(
    app: App,
    importer: Store,
) {
    let mut tokens = vec![];
    for u in READERS {
        tokens.push(app.token(u).await);
    }
    let before = logged_for(&app.store, &READERS).await.len();
    let force = app.store.force_by_code("met").await.unwrap().unwrap();
    let admin = app.actor("admin").await;

    // Another process starts an import and holds it open, as a 20,000-report package does for a minute.
    let mut import = importer.begin_import(force, admin).await.unwrap();
    import
        .begin_package("application/json", Some("held.json"))
        .await
        .unwrap();
    let started = jiff::Timestamp::now();

    let http = reqwest::Client::new();
    let mut clients = tokio::task::JoinSet::new();
    for c in 0..CLIENTS {
        let (http, token) = (http.clone(), tokens[c % tokens.len()].clone());
        let one = app.url(&format!("/api/v1/referrals/{}", app.cn_referral));
        let queue = app.url("/api/v1/referrals?limit=5");
        clients.spawn(async move {
            let mut statuses = vec![];
            for r in 0..READS_EACH {
                let url = if (c + r) % 2 == 0 { &one } else { &queue };
                let res = http.get(url).bearer_auth(&token).send().await.unwrap();
                statuses.push((res.status(), url.clone()));
            }
            statuses
        });
    }
    let answered = tokio::time::timeout(Duration::from_secs(60), clients.join_all())
        .await
        .expect("the reads are answered while the import is open");
    let statuses: Vec<_> = answered.into_iter().flatten().collect();
    assert_eq!(statuses.len(), CLIENTS * READS_EACH);
    let failed: Vec<_> = statuses
        .iter()
        .filter(|(s, _)| *s != StatusCode::OK)
        .collect();
    assert!(
        failed.is_empty(),
        "every read is answered while the import holds the database: {failed:?}"
    );
    let read_until = jiff::Timestamp::now();

    // The import is still open: its data and the spooled events are not in the log yet, and a verification
    // says how many wait.
    let waiting = app.store.verify_audit().await.unwrap();
    assert!(waiting.is_intact(), "{waiting:?}");
    assert_eq!(
        waiting.waiting as usize,
        CLIENTS * READS_EACH,
        "every read waits in the spool while the import holds the log"
    );

    import.commit().await.unwrap();

    let after = logged_for(&app.store, &READERS).await;
    let new: Vec<_> = after
        .iter()
        .filter(|e| e.at >= started && e.at <= read_until)
        .collect();
    assert_eq!(
        after.len() - before,
        CLIENTS * READS_EACH,
        "one access-log event per read, none lost and none twice"
    );
    assert_eq!(
        new.len(),
        CLIENTS * READS_EACH,
        "each spooled event keeps the time of the read, not of the import's commit"
    );
    assert!(
        new.iter()
            .any(|e| e.record_id == app.cn_referral.to_string())
    );
    let report = app.store.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(
        report.waiting, 0,
        "the spool is empty once the import commits"
    );
}

/// Two servers on one database: wrong passwords from one address, some through each, reach the limit per
/// address on both (the count is in the database, not in either server's memory).
async fn wrong_passwords_from_one_address_through_two_servers_reach_one_limit(
    pair: (Store, Store),
) {
    let config = app::Config {
        max_failed_logins_per_address: 3,
        ..Default::default()
    };
    let (first, second) = pair;
    let a = spawn_with(first, config.clone()).await;
    let b = second_server(second, config).await;
    let http = reqwest::Client::new();
    let attempt = |base: String, user: &'static str| {
        let http = http.clone();
        async move {
            let res = http
                .post(format!("{base}/api/v1/auth/login"))
                .json(&serde_json::json!({"username": user, "password": "not the password"}))
                .send()
                .await
                .unwrap();
            let status = res.status();
            let body: serde_json::Value = res.json().await.unwrap();
            (
                status,
                body["error"]["code"].as_str().unwrap_or("").to_string(),
            )
        }
    };
    // Three different (unknown) accounts, so that only the address's count can refuse.
    assert_eq!(
        attempt(a.base.clone(), "nobody.1").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        attempt(b.clone(), "nobody.2").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        attempt(a.base.clone(), "nobody.3").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    for base in [b.clone(), a.base.clone()] {
        assert_eq!(
            attempt(base.clone(), "nobody.4").await,
            (StatusCode::TOO_MANY_REQUESTS, "auth.throttled".to_string()),
            "the address is over its limit on {base} too"
        );
    }
}

mod sqlite {
    #[tokio::test]
    async fn wrong_passwords_from_one_address_through_two_servers_reach_one_limit() {
        super::wrong_passwords_from_one_address_through_two_servers_reach_one_limit(
            super::sqlite_pair().await,
        )
        .await
    }

    #[tokio::test]
    async fn reads_are_answered_and_logged_while_another_process_holds_an_import_open() {
        let (served, importer) = super::sqlite_pair().await;
        super::reads_are_answered_and_logged_while_another_process_holds_an_import_open(
            super::spawn(served).await,
            importer,
        )
        .await
    }
}

mod postgres {
    #[tokio::test]
    async fn wrong_passwords_from_one_address_through_two_servers_reach_one_limit() {
        match super::postgres_pair().await {
            Some(pair) => {
                super::wrong_passwords_from_one_address_through_two_servers_reach_one_limit(pair)
                    .await
            }
            None => eprintln!(
                "skipped: TEST_POSTGRES_URL is not set, so the PostgreSQL run of two servers' address limit is skipped"
            ),
        }
    }

    #[tokio::test]
    async fn reads_are_answered_and_logged_while_another_process_holds_an_import_open() {
        match super::postgres_pair().await {
            Some((served, importer)) => {
                super::reads_are_answered_and_logged_while_another_process_holds_an_import_open(
                    super::spawn(served).await,
                    importer,
                )
                .await
            }
            None => eprintln!(
                "skipped: TEST_POSTGRES_URL is not set, so the PostgreSQL run of reads during an import is skipped"
            ),
        }
    }
}
