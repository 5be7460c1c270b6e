//! A fresh application per test: a store, a small force, a server on a random port and HTTP helpers.

use domain::{BcuId, Received, Referral, ReferralId, ReportedPerson, Role, TimelinessTable};
use reqwest::StatusCode;
use serde_json::Value;
use store::{Actor, Inserted, NewReferral, NewUser, Store};

pub const PASSWORD: &str = "correct horse battery staple";

/// Generate `#[tokio::test]`s running one story on each backend.
#[macro_export]
macro_rules! stories {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name($crate::harness::spawn($crate::harness::sqlite().await).await).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() {
                match $crate::harness::postgres().await {
                    Some(store) => super::$name($crate::harness::spawn(store).await).await,
                    None => eprintln!("skipped: TEST_POSTGRES_URL is not set, so the PostgreSQL run of {} is skipped", stringify!($name)),
                }
            })*
        }
    };
}

pub async fn sqlite() -> Store {
    let path = tempfile::tempdir().unwrap().keep().join("safeguard.db");
    Store::open(&store::Location::SqliteFile(path), b"k".to_vec())
        .await
        .unwrap()
}

pub async fn postgres() -> Option<Store> {
    let opts = postgres_schema().await?;
    Some(
        Store::open_postgres_with(opts, b"k".to_vec())
            .await
            .unwrap(),
    )
}

/// Connection options for a fresh schema of its own on `TEST_POSTGRES_URL`, if set.
async fn postgres_schema() -> Option<sqlx::postgres::PgConnectOptions> {
    use std::str::FromStr;
    let Ok(url) = std::env::var("TEST_POSTGRES_URL") else {
        // Under CI the PostgreSQL run is part of the check: its absence is a failure, never a skip.
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but TEST_POSTGRES_URL is not set: the PostgreSQL stories must run in CI"
        );
        return None;
    };
    let schema = format!("w_{}", uuid_simple());
    let admin = sqlx::PgPool::connect(&url)
        .await
        .expect("TEST_POSTGRES_URL answers");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    Some(
        sqlx::postgres::PgConnectOptions::from_str(&url)
            .unwrap()
            .options([("search_path", schema.as_str())]),
    )
}

/// Two handles on one SQLite file, as two processes have: one serves, the other (an import) writes.
pub async fn sqlite_pair() -> (Store, Store) {
    let path = tempfile::tempdir().unwrap().keep().join("safeguard.db");
    let location = store::Location::SqliteFile(path);
    let first = Store::open(&location, b"k".to_vec()).await.unwrap();
    let second = Store::open(&location, b"k".to_vec()).await.unwrap();
    (first, second)
}

/// Two handles on one PostgreSQL schema, as two application servers have.
pub async fn postgres_pair() -> Option<(Store, Store)> {
    let opts = postgres_schema().await?;
    let first = Store::open_postgres_with(opts.clone(), b"k".to_vec())
        .await
        .unwrap();
    let second = Store::open_postgres_with(opts, b"k".to_vec())
        .await
        .unwrap();
    Some((first, second))
}

fn uuid_simple() -> String {
    ReferralId::new().0.simple().to_string()
}

/// The running application and what the fixture created.
pub struct App {
    pub base: String,
    pub store: Store,
    /// A Central North referral (medium priority, not escalated).
    pub cn_referral: ReferralId,
    /// A Central West referral.
    pub cw_referral: ReferralId,
    /// An unrouted referral (central queue).
    pub unrouted: ReferralId,
    pub http: reqwest::Client,
}

pub async fn spawn(store: Store) -> App {
    spawn_with(store, app::Config::default()).await
}

pub async fn spawn_with(store: Store, config: app::Config) -> App {
    spawn_full(store, config, web::WebConfig::default()).await
}

/// A server with the given settings of the use cases and of the web edge.
pub async fn spawn_full(store: Store, config: app::Config, web_config: web::WebConfig) -> App {
    let force = store
        .create_force("met", "Metropolitan Police Service")
        .await
        .unwrap();
    let since = "2019-01-01T00:00:00Z".parse().unwrap();
    let cn = store
        .create_bcu(
            force,
            "cn",
            "Central North",
            &["Camden", "Islington"],
            since,
        )
        .await
        .unwrap();
    let cw = store
        .create_bcu(force, "cw", "Central West", &["Westminster"], since)
        .await
        .unwrap();
    let hash = app::auth::hash_password(PASSWORD).unwrap();
    for (name, role, bcu) in [
        ("inv.cn", Role::Investigator, Some(cn)),
        ("inv.cn.2", Role::Investigator, Some(cn)),
        ("sup.cn", Role::Supervisor, Some(cn)),
        ("lead.cn", Role::BcuLead, Some(cn)),
        ("inv.cw", Role::Investigator, Some(cw)),
        ("central", Role::CentralTriage, None),
        ("auditor", Role::Auditor, None),
        ("forensics", Role::Forensics, None),
        ("oversight", Role::Oversight, None),
        ("dpo", Role::Dpo, None),
        ("improve", Role::ImprovementLead, None),
        ("admin", Role::Admin, None),
        ("admin2", Role::Admin, None),
    ] {
        let display_name = format!("Officer {name}");
        let u = NewUser {
            force,
            bcu,
            username: name.into(),
            display_name,
            role,
            password_hash: hash.clone(),
        };
        store.create_user(&u).await.unwrap();
    }
    let system = Actor {
        user: None,
        username: "system".into(),
        display_name: "Test".into(),
        justification: None,
    };
    let add = async |bcu: Option<BcuId>, report: &str, person: &str| {
        let r = Referral::new_received(
            Received {
                force,
                bcu,
                borough: None,
                source: "NCA".into(),
                package_ref: Some("NCA-TEST".into()),
                report_id: report.into(),
                received_at: jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2),
                incident_type: "Child Pornography (possession, manufacture, and distribution)"
                    .into(),
                incident_at: None,
                escalation: None,
                summary: format!("Narrative about {person}"),
                reported_person: ReportedPerson {
                    first_name: Some(person.into()),
                    emails: vec![format!("{person}@example.com")],
                    ..Default::default()
                },
            },
            &TimelinessTable::default(),
        );
        match store
            .insert_referral(
                &NewReferral::fresh(r, "{}".into(), "default-2019", None, "NCA"),
                &system,
            )
            .await
            .unwrap()
        {
            Inserted::Created(id) => id,
            other => panic!("{other:?}"),
        }
    };
    let cn_referral = add(Some(cn), "1001", "Cnperson").await;
    let cw_referral = add(Some(cw), "2001", "Cwperson").await;
    let unrouted = add(None, "3001", "Unrouted").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = web::AppState::new(app::App::new(store.clone(), config), web_config);
    tokio::spawn(web::serve(listener, state));
    App {
        base,
        store,
        cn_referral,
        cw_referral,
        unrouted,
        http: reqwest::Client::new(),
    }
}

/// Another server on the same database as `app` (the second handle of a pair), with its own settings: the
/// second of two application servers behind a load balancer. Its base URL.
pub async fn second_server(store: Store, config: app::Config) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = web::AppState::new(app::App::new(store, config), web::WebConfig::default());
    tokio::spawn(web::serve(listener, state));
    base
}

impl App {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sign in through the API; the bearer token.
    pub async fn token(&self, username: &str) -> String {
        let res = self
            .http
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "sign-in of {username}");
        res.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let res = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let res = self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// A browser-like client signed in through the sign-in form (cookies kept).
    pub async fn browser(&self, username: &str) -> reqwest::Client {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let form = client
            .get(self.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = hidden(&form, "csrf");
        let res = client
            .post(self.url("/login"))
            .form(&[
                ("username", username),
                ("password", PASSWORD),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap();
        assert!(
            !res.url().path().starts_with("/login"),
            "page sign-in of {username} leaves the sign-in page"
        );
        client
    }

    /// A page's HTML as `username` sees it, signed in through the sign-in form.
    pub async fn page_as(&self, username: &str, path: &str) -> String {
        self.browser(username)
            .await
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// `username` as the store records who acted (for steps a test writes straight to the store).
    pub async fn actor(&self, username: &str) -> store::Actor {
        let u = self
            .store
            .user_by_username(username)
            .await
            .unwrap()
            .unwrap();
        store::Actor {
            user: Some(u.id),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            justification: None,
        }
    }

    /// The access log's events for a record, newest first (read straight from the store).
    pub async fn log_for(&self, record: &str) -> Vec<store::AuditEvent> {
        self.store
            .list_audit(&store::AuditQuery {
                record_id: Some(record.into()),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
    }
}

/// The value of the first hidden input called `name` in an HTML page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name} in page"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}
