//! `safeguard import` as an administrator runs it: a folder of CyberTipline XML reports imported with the
//! force's own timeliness table, a summary line per file, and nothing from a bad file.

use std::path::Path;
use std::process::{Command, Output};

fn safeguard(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(args)
        .args(["--data-dir", dir.to_str().unwrap()])
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

fn report(email: &str) -> String {
    format!(
        "<report><incidentSummary><incidentType>Child Sex Tourism</incidentType>\
         <incidentDateTime>2026-11-01T10:00:00Z</incidentDateTime></incidentSummary>\
         <personOrUserReported><personOrUserReportedPerson><email>{email}</email>\
         </personOrUserReportedPerson></personOrUserReported></report>"
    )
}

/// The Met with its Central North BCU (Camden), in the data folder `data`.
fn create_met_with_central_north(data: &Path) {
    for args in [
        &[
            "force",
            "add",
            "met",
            "--name",
            "Metropolitan Police Service",
        ][..],
        &[
            "bcu",
            "add",
            "cn",
            "--force",
            "met",
            "--name",
            "Central North",
            "--borough",
            "Camden",
        ][..],
    ] {
        let out = safeguard(data, args);
        assert!(out.status.success(), "{}", text(&out));
    }
}

#[tokio::test]
async fn a_folder_imported_with_the_forces_timeliness_table_gets_its_triage_clock_and_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    create_met_with_central_north(&data);
    let folder = dir.path().join("reports");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("a.xml"), report("same@example.com")).unwrap();
    std::fs::write(folder.join("b.xml"), report("Same@Example.com")).unwrap();
    let table = dir.path().join("timeliness.toml");
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/timeliness.example.toml"),
    )
    .unwrap();
    let ours = example
        .replace("version = \"default-2019\"", "version = \"met-2026\"")
        .replace("triage = { hours = 24 }", "triage = { hours = 12 }");
    std::fs::write(&table, ours).unwrap();

    let out = safeguard(
        &data,
        &[
            "import",
            folder.to_str().unwrap(),
            "--borough",
            "camden",
            "--received-at",
            "2026-11-02T09:00:00Z",
            "--timeliness",
            table.to_str().unwrap(),
        ],
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("a.xml: 1 imported, 0 duplicates"), "{said}");
    assert!(
        said.contains("b.xml: 1 imported, 0 duplicates (1 joined an existing subject)"),
        "{said}"
    );

    let store = store::Store::open(
        &store::Location::SqliteFile(data.join("safeguard.db")),
        std::fs::read(data.join("audit.key")).unwrap(),
    )
    .await
    .unwrap();
    let force = store.only_force().await.unwrap().unwrap();
    let page = store
        .list_referrals(&store::ReferralFilter {
            scope: domain::permissions::QueueScope::Force(force),
            unrouted_only: false,
            open_only: false,
            status: None,
            limit: 10,
            cursor: None,
            risk_level: None,
            officer: None,
            overdue_at: None,
            escalated: false,
            except_status: None,
            search: None,
        })
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    for r in &page.items {
        assert_eq!(
            r.due_at.to_string(),
            "2026-11-02T21:00:00Z",
            "12 hours from receipt, by the force's table"
        );
    }
    store.close().await;

    let bad = safeguard(
        &data,
        &[
            "import",
            dir.path().join("nowhere.toml").to_str().unwrap(),
            "--timeliness",
            dir.path().join("nowhere.toml").to_str().unwrap(),
        ],
    );
    assert!(!bad.status.success());
    assert!(
        text(&bad).contains("failed to read timeliness table"),
        "{}",
        text(&bad)
    );
}

#[test]
fn a_folder_with_a_report_its_file_details_and_ncmecs_json_export_imports_in_the_order_that_works()
{
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    create_met_with_central_north(&data);
    let folder = dir.path().join("in");
    std::fs::create_dir(&folder).unwrap();
    // Named so that the file details come first in the folder: they must still wait for their report.
    std::fs::write(
        folder.join("a-details.xml"),
        "<?xml version=\"1.0\"?>\n<fileDetails><reportId>R-9</reportId><fileId>f1</fileId>\
         <originalFileHash hashType=\"MD5\">00112233445566778899aabbccddeeff</originalFileHash></fileDetails>",
    )
    .unwrap();
    std::fs::write(folder.join("b-report.xml"), report("nine@example.com")).unwrap();
    std::fs::write(
        folder.join("c-export.json"),
        r#"{"reportId": "170000002", "reportedInformation": {"incidentSummary": {
            "incidentType": "Child Sex Tourism", "incidentDateTime": "2026-11-01T10:00:00Z"}}}"#,
    )
    .unwrap();
    let out = safeguard(
        &data,
        &[
            "import",
            folder.to_str().unwrap(),
            "--borough",
            "camden",
            "--report-id",
            "R-9",
        ],
    );
    // --report-id names one report: refused for a folder of several.
    assert!(!out.status.success());
    let single = safeguard(
        &data,
        &[
            "import",
            folder.join("b-report.xml").to_str().unwrap(),
            "--borough",
            "camden",
            "--report-id",
            "R-9",
        ],
    );
    assert!(single.status.success(), "{}", text(&single));
    let out = safeguard(
        &data,
        &[
            "import",
            folder.join("a-details.xml").to_str().unwrap(),
            folder.join("c-export.json").to_str().unwrap(),
            "--borough",
            "camden",
        ],
    );
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("a-details.xml: 0 imported, 0 duplicates (details of 1 file added to an earlier referral)"),
        "{said}"
    );
    assert!(said.contains("c-export.json: 1 imported"), "{said}");
    let export_first = said.find("c-export.json").unwrap() < said.find("a-details.xml").unwrap();
    assert!(
        export_first,
        "file details are imported after the reports: {said}"
    );
}
