//! Two `safeguard serve` processes on one PostgreSQL database, as behind a load balancer: a session opened on
//! one is good on the other and ends on both, wrong passwords counted by both lock the account on both,
//! concurrent writes through both are neither lost nor doubled (a change based on the same version is taken
//! once; the same package sent to both is stored once), and the access log is one intact chain.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::evidence::{call, serve_with, token};
use crate::load::synth;
use crate::media::safeguard;

/// A database of its own on the server of `TEST_POSTGRES_URL`, dropped when done.
struct Database {
    admin: String,
    name: String,
    url: String,
}

impl Database {
    async fn create(url: &str) -> Database {
        let name = format!(
            "sg_two_{}_{}",
            std::process::id(),
            jiff::Timestamp::now().as_millisecond()
        );
        let (head, _) = url
            .rsplit_once('/')
            .expect("a database URL names a database");
        let admin = sqlx::PgPool::connect(url)
            .await
            .expect("TEST_POSTGRES_URL answers");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
        Database {
            admin: url.to_string(),
            url: format!("{head}/{name}"),
            name,
        }
    }

    async fn drop_it(self) {
        let admin = sqlx::PgPool::connect(&self.admin).await.unwrap();
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )))
        .execute(&admin)
        .await;
        admin.close().await;
    }
}

fn package(first: u64, n: u64, reference: &str) -> Vec<u8> {
    let mut out = vec![];
    synth::write_package_from(&mut out, first, n, reference).unwrap();
    out
}

async fn sign_in(
    c: &reqwest::Client,
    base: &str,
    user: &str,
    password: &str,
) -> (StatusCode, Value) {
    call(
        c.post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": user, "password": password})),
    )
    .await
}

#[tokio::test]
async fn two_servers_on_one_postgresql_share_sessions_limits_and_one_access_log() {
    let Ok(url) = std::env::var("TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but TEST_POSTGRES_URL is not set: the two-server test must run in CI"
        );
        eprintln!(
            "skipped: TEST_POSTGRES_URL is not set, so two servers on one PostgreSQL are not tried"
        );
        return;
    };
    let db = Database::create(&url).await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    let demo = safeguard(
        dir.path(),
        &[
            "demo",
            "--data-dir",
            d,
            "--database-url",
            &db.url,
            "--referrals",
            "60",
            "--seed",
            "5",
            "--no-serve",
        ],
    );
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    // Both servers read the same audit key and write the same anchor (docs/deploy.md).
    let servers = (
        serve_with(&data, &["--database-url", &db.url]),
        serve_with(&data, &["--database-url", &db.url]),
    );
    let (a, b) = (servers.0.base.clone(), servers.1.base.clone());
    let c = reqwest::Client::new();

    // A session opened on A is good on B; signing out on B ends it on A.
    let t = token(&c, &a, "inv.cn").await;
    let (s, me) = call(c.get(format!("{b}/api/v1/me")).bearer_auth(&t)).await;
    assert_eq!(
        (s, me["username"].as_str()),
        (StatusCode::OK, Some("inv.cn")),
        "{me}"
    );
    let (s, _) = call(c.post(format!("{b}/api/v1/auth/logout")).bearer_auth(&t)).await;
    assert!(s.is_success(), "{s}");
    let (s, _) = call(c.get(format!("{a}/api/v1/me")).bearer_auth(&t)).await;
    assert_eq!(
        s,
        StatusCode::UNAUTHORIZED,
        "signed out on B is signed out on A"
    );

    // Five wrong passwords, some through each server, lock the account on both.
    for (i, base) in [&a, &b, &a, &b, &a].into_iter().enumerate() {
        let (s, e) = sign_in(&c, base, "lead.cn", &format!("wrong guess {i}")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    }
    for base in [&a, &b] {
        let (s, e) = sign_in(&c, base, "lead.cn", "safeguard-demo").await;
        assert_eq!(
            (s, e["error"]["code"].as_str()),
            (StatusCode::TOO_MANY_REQUESTS, Some("auth.throttled")),
            "locked on both servers: {e}"
        );
    }

    // The same change based on the same version, through both servers at once: one is taken, one is refused.
    let sup = token(&c, &b, "sup.cn").await;
    let (_, fresh) = call(
        c.get(format!("{a}/api/v1/referrals?status=new&limit=1"))
            .bearer_auth(&sup),
    )
    .await;
    let target = &fresh["items"][0];
    let (id, version) = (
        target["id"].as_str().unwrap().to_string(),
        target["version"].as_i64().unwrap(),
    );
    let race = |base: String| {
        let (c, sup, id) = (c.clone(), sup.clone(), id.clone());
        async move {
            call(c.post(format!("{base}/api/v1/referrals/{id}/risk")).bearer_auth(&sup).json(
                &json!({"level": "high", "reason": format!("Recorded through {base}"), "version": version}),
            ))
            .await
        }
    };
    let (one, two) = tokio::join!(race(a.clone()), race(b.clone()));
    let mut both = [one.0, two.0];
    both.sort();
    assert_eq!(
        both,
        [StatusCode::OK, StatusCode::CONFLICT],
        "one of the two is taken, not both"
    );
    let taken = if one.0 == StatusCode::OK {
        one.1
    } else {
        two.1
    };

    // Concurrent writes through both servers: with an offence recorded and the referral allocated to inv.cn,
    // its plan takes 20 actions, 10 through each server, each exactly once.
    let (s, r) = call(
        c.post(format!("{b}/api/v1/referrals/{id}/offence"))
            .bearer_auth(&sup)
            .json(&json!({"offence": "indecent_images", "version": taken["version"]})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let (s, r) = call(
        c.post(format!("{a}/api/v1/referrals/{id}/allocation"))
            .bearer_auth(&sup)
            .json(&json!({"officer": "inv.cn", "version": r["version"]})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let referral = id.clone();
    let inv = token(&c, &a, "inv.cn").await;
    let mut writes = tokio::task::JoinSet::new();
    for i in 0..20 {
        let (c, inv) = (c.clone(), inv.clone());
        let url = format!(
            "{}/api/v1/referrals/{referral}/plan/actions",
            if i % 2 == 0 { &a } else { &b }
        );
        writes.spawn(async move {
            call(c.post(url).bearer_auth(&inv).json(
                &json!({"title": format!("Concurrent action {i:02}"), "who": "investigator", "due_at": "2099-02-01T09:00:00Z"}),
            ))
            .await
            .0
        });
    }
    let statuses = writes.join_all().await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::CREATED),
        "{statuses:?}"
    );
    let (_, plan) = call(
        c.get(format!("{b}/api/v1/referrals/{referral}/plan"))
            .bearer_auth(&inv),
    )
    .await;
    let text = plan.to_string();
    for i in 0..20 {
        assert_eq!(
            text.matches(&format!("Concurrent action {i:02}")).count(),
            1,
            "action {i} is in the plan once: {plan}"
        );
    }

    // The same package sent to both servers at once is stored once.
    let central = token(&c, &a, "central").await;
    let body = package(9_000_000, 5, "NCA-TWO-SERVERS");
    let send = |base: String| {
        let (c, central, body) = (c.clone(), central.clone(), body.clone());
        async move {
            call(
                c.post(format!("{base}/api/v1/referrals"))
                    .bearer_auth(&central)
                    .header("content-type", "application/json")
                    .body(body),
            )
            .await
        }
    };
    let ((s1, r1), (s2, r2)) = tokio::join!(send(a.clone()), send(b.clone()));
    assert!(s1.is_success() && s2.is_success(), "{s1} {r1} / {s2} {r2}");
    for i in 0..5u64 {
        let report = format!("CT-{}", 10_000_000 + 9_000_000 + i);
        let (_, found) = call(
            c.get(format!("{a}/api/v1/referrals?q={report}&limit=10"))
                .bearer_auth(&central),
        )
        .await;
        assert_eq!(
            found["items"].as_array().unwrap().len(),
            1,
            "{report} once: {found}"
        );
    }

    drop(servers);
    let verify = safeguard(
        dir.path(),
        &[
            "audit",
            "verify",
            "--data-dir",
            d,
            "--database-url",
            &db.url,
        ],
    );
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(said.contains("The access log is intact"), "{said}");
    assert!(
        said.contains("It reaches the anchor outside the database"),
        "{said}"
    );
    db.drop_it().await;
}
