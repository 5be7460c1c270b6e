//! A fresh application per test: a store (SQLite always, PostgreSQL when `TEST_POSTGRES_URL` is set), a
//! force with two BCUs, and users of each role the tests act as.

use app::{Actor, App};
use domain::{BcuId, ForceId, Role, User};
use store::{NewUser, Store};

/// Generate `#[tokio::test]`s running one test on each backend.
#[macro_export]
macro_rules! on_each_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name($crate::harness::fixture($crate::harness::sqlite().await).await).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() {
                match $crate::harness::postgres().await {
                    Some(store) => super::$name($crate::harness::fixture(store).await).await,
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
    use std::str::FromStr;
    let Ok(url) = std::env::var("TEST_POSTGRES_URL") else {
        // Under CI the PostgreSQL run is part of the check: its absence is a failure, never a skip.
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but TEST_POSTGRES_URL is not set: the PostgreSQL stories must run in CI"
        );
        return None;
    };
    let schema = format!("a_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&url)
        .await
        .expect("TEST_POSTGRES_URL answers");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let opts = sqlx::postgres::PgConnectOptions::from_str(&url)
        .unwrap()
        .options([("search_path", schema.as_str())]);
    Some(
        Store::open_postgres_with(opts, b"k".to_vec())
            .await
            .unwrap(),
    )
}

/// The application and who acts in it.
pub struct Fixture {
    pub app: App,
    pub store: Store,
    pub force: ForceId,
    pub cn: BcuId,
    pub cw: BcuId,
}

pub async fn fixture(store: Store) -> Fixture {
    let force = store
        .create_force("met", "Metropolitan Police Service")
        .await
        .unwrap();
    let early: jiff::Timestamp = "2000-01-01T00:00:00Z".parse().unwrap();
    let cn = store
        .create_bcu(
            force,
            "cn",
            "Central North",
            &["Camden", "Islington"],
            early,
        )
        .await
        .unwrap();
    let cw = store
        .create_bcu(force, "cw", "Central West", &["Westminster"], early)
        .await
        .unwrap();
    Fixture {
        app: App::new(store.clone(), app::Config::default()),
        store,
        force,
        cn,
        cw,
    }
}

impl Fixture {
    /// A user of `role` in `bcu` (no password: these tests act without signing in).
    pub async fn user(&self, username: &str, role: Role, bcu: Option<BcuId>) -> User {
        self.store
            .create_user(&NewUser {
                force: self.force,
                bcu,
                username: username.into(),
                display_name: username.into(),
                role,
                password_hash: "not a password".into(),
            })
            .await
            .unwrap()
    }

    /// That user as the actor of a use case.
    pub async fn actor(&self, username: &str, role: Role, bcu: Option<BcuId>) -> Actor {
        Actor::new(self.user(username, role, bcu).await, None)
    }

    /// Import one bare CyberTipline report; what the import says of it.
    pub async fn import_entry(
        &self,
        desk: &Actor,
        report_id: &str,
        borough: &str,
        xml: &str,
    ) -> app::import::ImportedReport {
        let form = app::import::Form::Xml(app::import::BareOptions {
            source: "NCA".into(),
            received_at: jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1),
            borough: Some(borough.into()),
            package_ref: None,
            report_id: Some(report_id.into()),
        });
        let bytes = xml.as_bytes().to_vec();
        let mut r =
            app::import::import_as(&self.app, desk, form, None, std::io::Cursor::new(bytes))
                .await
                .unwrap_or_else(|e| panic!("import of {report_id}: {e}"));
        assert_eq!(r.imported.len(), 1, "{report_id} is new");
        r.imported.remove(0)
    }

    /// Import one bare CyberTipline report; the referral's id and its subject.
    pub async fn import(
        &self,
        desk: &Actor,
        report_id: &str,
        borough: &str,
        xml: &str,
    ) -> (String, Option<String>) {
        let entry = self.import_entry(desk, report_id, borough, xml).await;
        (entry.id, entry.subject_id)
    }
}

/// A bare report about a reported person, with more elements after (victims, IP events).
pub fn report(reported: &str, extra: &str) -> String {
    format!(
        "<report><incidentSummary><incidentType>Child Sex Tourism</incidentType>\
         <incidentDateTime>2026-01-01T10:00:00Z</incidentDateTime></incidentSummary>\
         <personOrUserReported>{reported}</personOrUserReported>{extra}</report>"
    )
}

/// A reported person known by an email address, with optional elements after it (IP events).
pub fn reported_email(email: &str, more: &str) -> String {
    format!("<personOrUserReportedPerson><email>{email}</email></personOrUserReportedPerson>{more}")
}
