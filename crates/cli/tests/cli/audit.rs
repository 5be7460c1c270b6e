//! `safeguard demo`, `audit verify` and `user add` as a user runs them: the demo's access log verifies,
//! and an edit or deletion made directly in the database file is caught.

use std::path::Path;
use std::process::{Command, Output};

fn safeguard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(args)
        .output()
        .expect("the safeguard binary runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn demo(dir: &Path) -> Output {
    safeguard(&[
        "demo",
        "--data-dir",
        dir.to_str().unwrap(),
        "--referrals",
        "40",
        "--seed",
        "7",
        "--no-serve",
    ])
}

async fn tamper(dir: &Path, sql: &'static str) {
    let loc = store::Location::SqliteFile(dir.join("safeguard.db"));
    let store = store::Store::open(&loc, b"not needed to tamper".to_vec())
        .await
        .unwrap();
    store.execute_raw_for_tests("DROP TRIGGER IF EXISTS access_log_no_update; DROP TRIGGER IF EXISTS access_log_no_delete;").await.unwrap();
    store.execute_raw_for_tests(sql).await.unwrap();
    store.close().await;
}

#[tokio::test]
async fn the_demo_prints_its_sign_in_names_and_is_reused_when_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let first = demo(dir.path());
    assert!(first.status.success(), "{}", text(&first));
    let out = text(&first);
    for name in [
        "central",
        "oversight",
        "dpo",
        "auditor",
        "admin",
        "inv.<bcu>",
        "sup.<bcu>",
        "lead.<bcu>",
        "safeguard-demo",
    ] {
        assert!(out.contains(name), "the demo names {name}: {out}");
    }
    assert!(dir.path().join("safeguard.db").exists() && dir.path().join("audit.key").exists());
    let again = demo(dir.path());
    assert!(
        text(&again).contains("Reusing the demo data"),
        "{}",
        text(&again)
    );
}

#[tokio::test]
async fn audit_verify_passes_on_the_demo_and_fails_after_a_row_is_edited_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    assert!(demo(dir.path()).status.success());
    let d = dir.path().to_str().unwrap();
    let ok = safeguard(&["audit", "verify", "--data-dir", d]);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains("intact"));
    assert!(
        text(&ok).contains("It reaches the anchor outside the database")
            && dir.path().join("audit.anchor").exists(),
        "{}",
        text(&ok)
    );
    assert!(!text(&ok).contains("Missing protection"), "{}", text(&ok));
    tamper(
        dir.path(),
        "UPDATE access_log SET username = 'someone-else' WHERE seq = 17",
    )
    .await;
    let bad = safeguard(&["audit", "verify", "--data-dir", d]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad).contains("event 17 has been altered"),
        "{}",
        text(&bad)
    );
}

#[tokio::test]
async fn audit_verify_reports_a_deleted_row_and_a_cut_off_tail() {
    let dir = tempfile::tempdir().unwrap();
    assert!(demo(dir.path()).status.success());
    let d = dir.path().to_str().unwrap();
    tamper(
        dir.path(),
        "DELETE FROM access_log WHERE seq = (SELECT MAX(seq) FROM access_log)",
    )
    .await;
    let cut = safeguard(&["audit", "verify", "--data-dir", d]);
    assert_eq!(cut.status.code(), Some(1));
    assert!(
        text(&cut).contains("the log ends at event")
            && text(&cut).contains("has been cut off or wiped"),
        "{}",
        text(&cut)
    );
    tamper(dir.path(), "DELETE FROM access_log WHERE seq = 5").await;
    let gap = safeguard(&["audit", "verify", "--data-dir", d]);
    assert!(text(&gap).contains("event 5 is missing"), "{}", text(&gap));
}

fn user_add(d: &str, name: &str, role: &str, bcu: Option<&str>) -> Output {
    let mut args = vec![
        "user",
        "add",
        name,
        "--role",
        role,
        "--force",
        "met",
        "--data-dir",
        d,
    ];
    if let Some(b) = bcu {
        args.extend(["--bcu", b]);
    }
    Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(&args)
        .env("SAFEGUARD_NEW_PASSWORD", "violet tractor ninety harbour")
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_command_line_adds_only_a_forces_first_administrator() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert!(safeguard(&["migrate", "--data-dir", d]).status.success());
    let force = safeguard(&[
        "force",
        "add",
        "met",
        "--name",
        "Metropolitan Police Service",
        "--data-dir",
        d,
    ]);
    assert!(force.status.success(), "{}", text(&force));
    let sup = user_add(d, "sup.extra", "supervisor", Some("cn"));
    assert!(!sup.status.success());
    assert!(
        text(&sup).contains("creates only a force's first administrator"),
        "{}",
        text(&sup)
    );
    let first = user_add(d, "boss", "admin", None);
    assert!(first.status.success(), "{}", text(&first));
    let second = user_add(d, "boss2", "admin", None);
    assert!(!second.status.success());
    assert!(
        text(&second).contains("already has an administrator"),
        "{}",
        text(&second)
    );
    // The first administrator asks for a second; with nobody else to approve it, the operator does.
    let key = std::fs::read_to_string(dir.path().join("audit.key")).unwrap();
    let app = app::App::open(
        &app::Location::SqliteFile(dir.path().join("safeguard.db")),
        key.trim().as_bytes().to_vec(),
        app::Config::default(),
    )
    .await
    .unwrap();
    let boss = app::Actor::new(
        app::auth::authenticate(&app, "boss", "violet tractor ninety harbour", "test")
            .await
            .unwrap(),
        None,
    );
    let ask = |name: &str, role: &str| app::users::NewUser {
        username: name.into(),
        display_name: name.into(),
        role: role.into(),
        bcu: None,
        password: "granite ocelot whisper lantern".into(),
    };
    let app::accounts::Outcome::Pending(second) =
        app::accounts::create(&app, &boss, &ask("boss2", "admin"))
            .await
            .unwrap()
    else {
        panic!("a second administrator waits for approval")
    };
    let app::accounts::Outcome::Pending(auditor) =
        app::accounts::create(&app, &boss, &ask("aud", "auditor"))
            .await
            .unwrap()
    else {
        panic!("an auditor waits for approval")
    };
    app.close().await;
    let listed = safeguard(&["user", "requests", "--force", "met", "--data-dir", d]);
    assert!(
        text(&listed).contains(&second.id) && text(&listed).contains(&auditor.id),
        "{}",
        text(&listed)
    );
    let not_admin = safeguard(&[
        "user",
        "approve",
        &auditor.id,
        "--force",
        "met",
        "--data-dir",
        d,
    ]);
    assert!(
        !not_admin.status.success(),
        "the operator approves only the second administrator"
    );
    let approved = safeguard(&[
        "user",
        "approve",
        &second.id,
        "--force",
        "met",
        "--data-dir",
        d,
    ]);
    assert!(approved.status.success(), "{}", text(&approved));
    assert!(text(&approved).contains("boss2 is the force's second administrator"));
    let verify = safeguard(&["audit", "verify", "--data-dir", d]);
    assert!(verify.status.success(), "{}", text(&verify));
    // On the demo, which has its administrators, the command adds nobody.
    let demo_dir = tempfile::tempdir().unwrap();
    assert!(demo(demo_dir.path()).status.success());
    let again = user_add(
        demo_dir.path().to_str().unwrap(),
        "extra.admin",
        "admin",
        None,
    );
    assert!(!again.status.success());
}

#[test]
fn audit_verify_on_a_folder_without_a_database_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = safeguard(&[
        "audit",
        "verify",
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("audit key") || text(&out).contains("no database"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn wiping_the_log_and_its_checkpoint_is_reported_by_the_anchor_outside_the_database() {
    let dir = tempfile::tempdir().unwrap();
    assert!(demo(dir.path()).status.success());
    let d = dir.path().to_str().unwrap();
    tamper(dir.path(), "DELETE FROM access_log").await;
    tamper(dir.path(), "DELETE FROM audit_checkpoint").await;
    let wiped = safeguard(&["audit", "verify", "--data-dir", d]);
    assert_eq!(wiped.status.code(), Some(1), "{}", text(&wiped));
    let out = text(&wiped);
    assert!(
        out.contains("the log ends at event 0 but its anchor outside the database records")
            && out.contains("cut off or wiped"),
        "{out}"
    );
    assert!(
        out.contains("Missing protection: the trigger access_log_no_update that refuses edits of the log is gone"),
        "{out}"
    );
}

#[tokio::test]
async fn a_backup_restores_over_the_database_and_the_log_still_verifies_against_its_anchor() {
    let dir = tempfile::tempdir().unwrap();
    assert!(demo(dir.path()).status.success());
    let d = dir.path().to_str().unwrap();
    let file = dir.path().join("backup-1.db");
    let backup = safeguard(&["backup", "--data-dir", d, "--to", file.to_str().unwrap()]);
    assert!(backup.status.success(), "{}", text(&backup));
    assert!(
        text(&backup).contains("its access log verifies"),
        "{}",
        text(&backup)
    );
    // More is logged after the backup: the restored log is rightly shorter than the anchor.
    let more = safeguard(&[
        "backup",
        "--data-dir",
        d,
        "--to",
        dir.path().join("backup-2.db").to_str().unwrap(),
    ]);
    assert!(more.status.success());
    let restore = safeguard(&["restore", "--data-dir", d, "--from", file.to_str().unwrap()]);
    assert!(restore.status.success(), "{}", text(&restore));
    let out = text(&restore);
    assert!(
        out.contains("Restored") && out.contains("The database it replaced is kept as"),
        "{out}"
    );
    let verify = safeguard(&["audit", "verify", "--data-dir", d]);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(text(&verify).contains("It reaches the anchor outside the database"));
    let again = safeguard(&["backup", "--data-dir", d, "--to", file.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(
        text(&again).contains("already exists: a backup never overwrites a file"),
        "{}",
        text(&again)
    );
}
