//! Fresh stores for each test, and a small force to work with.

use domain::{BcuId, ForceId, Received, Referral, ReportedPerson, Role, TimelinessTable, User};
use jiff::Timestamp;
use store::{Actor, NewReferral, NewUser, Store};

/// Generate `#[tokio::test]`s running one story on each backend.
#[macro_export]
macro_rules! stories {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name($crate::harness::sqlite().await).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() {
                match $crate::harness::postgres().await {
                    Some(store) => super::$name(store).await,
                    None => eprintln!("skipped: TEST_POSTGRES_URL is not set, so the PostgreSQL run of {} is skipped", stringify!($name)),
                }
            })*
        }
    };
}

pub const KEY: &[u8] = b"test audit key";

pub async fn sqlite() -> Store {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.keep().join("safeguard.db");
    Store::open(&store::Location::SqliteFile(path), KEY.to_vec())
        .await
        .unwrap()
}

pub async fn postgres() -> Option<Store> {
    let Ok(url) = std::env::var("TEST_POSTGRES_URL") else {
        // Under CI the PostgreSQL run is part of the check: its absence is a failure, never a skip.
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but TEST_POSTGRES_URL is not set: the PostgreSQL stories must run in CI"
        );
        return None;
    };
    use sqlx::postgres::PgConnectOptions;
    use std::str::FromStr;
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&url)
        .await
        .expect("TEST_POSTGRES_URL answers");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let opts = PgConnectOptions::from_str(&url)
        .unwrap()
        .options([("search_path", schema.as_str())]);
    Some(Store::open_postgres_with(opts, KEY.to_vec()).await.unwrap())
}

pub struct Force {
    pub id: ForceId,
    pub cn: BcuId,
    pub cw: BcuId,
    pub inv_cn: User,
}

pub async fn force(store: &Store) -> Force {
    let code = format!("f{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let id = store.create_force(&code, "Test Force").await.unwrap();
    let since: Timestamp = "2019-01-01T00:00:00Z".parse().unwrap();
    let cn = store
        .create_bcu(id, "cn", "Central North", &["Camden", "Islington"], since)
        .await
        .unwrap();
    let cw = store
        .create_bcu(
            id,
            "cw",
            "Central West",
            &[
                "Hammersmith and Fulham",
                "Kensington and Chelsea",
                "Westminster",
            ],
            since,
        )
        .await
        .unwrap();
    let user = |name: &str, bcu| NewUser {
        force: id,
        bcu: Some(bcu),
        username: format!("{name}.{code}"),
        display_name: format!("DC {name}"),
        role: Role::Investigator,
        password_hash: "not-a-real-hash".into(),
    };
    let inv_cn = store.create_user(&user("cn", cn)).await.unwrap();
    store.create_user(&user("cw", cw)).await.unwrap();
    Force { id, cn, cw, inv_cn }
}

pub fn actor(u: &User) -> Actor {
    Actor {
        user: Some(u.id),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        justification: None,
    }
}

pub fn referral(
    force: ForceId,
    bcu: Option<BcuId>,
    report_id: &str,
    received_at: &str,
) -> NewReferral {
    let r = Referral::new_received(
        Received {
            force,
            bcu,
            borough: None,
            source: "NCA".into(),
            package_ref: Some("PKG-1".into()),
            report_id: report_id.into(),
            received_at: received_at.parse().unwrap(),
            incident_type: "Child Pornography (possession, manufacture, and distribution)".into(),
            incident_at: None,
            escalation: None,
            summary: "Synthetic narrative".into(),
            reported_person: ReportedPerson {
                screen_names: vec!["synthetic_user".into()],
                ..Default::default()
            },
        },
        &TimelinessTable::default(),
    );
    NewReferral::fresh(r, "{}".into(), "default-2019", None, "NCA")
}
