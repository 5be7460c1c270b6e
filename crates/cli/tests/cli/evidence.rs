//! An exhibit's scan through the real binary, as digital forensics works it: a folder of generated pattern
//! images is scanned with `safeguard scan --json`, the demo is served with `safeguard serve`, and the
//! `forensics` user takes a submitted exhibit from the queue, starts its examination and attaches the report.
//! The exhibit's counts are the scan's own, the report comes back byte for byte, and the referral itself stays
//! not found to forensics.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::media::{build_case, import_sets, safeguard};

/// A `safeguard serve` process, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves the data in `dir` on a free loopback port, once it says where it is running.
pub(crate) fn serve(dir: &Path) -> Server {
    serve_with(dir, &[])
}

/// As `serve`, with more arguments (a `--database-url`).
pub(crate) fn serve_with(dir: &Path, more: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(["serve", "--data-dir", dir.to_str().unwrap()])
        .args(["--bind", "127.0.0.1:0"])
        .args(more)
        .env_remove("SAFEGUARD_DATA_DIR")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("safeguard serve starts");
    let stdout = child.stdout.take().unwrap();
    let mut server = Server {
        child,
        base: String::new(),
    };
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("running at ").nth(1) {
            server.base = rest
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches('/')
                .to_string();
            return server;
        }
    }
    panic!("safeguard serve stopped before it said where it runs");
}

pub(crate) async fn token(c: &reqwest::Client, base: &str, user: &str) -> String {
    let res = c
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": user, "password": "safeguard-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{user} signs in");
    let body: Value = res.json().await.unwrap();
    body["token"].as_str().unwrap().to_string()
}

pub(crate) async fn call(req: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let res = req.send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn a_real_scan_of_generated_images_attached_to_a_demo_exhibit_fills_its_counts_and_forensics_never_sees_the_referral()
 {
    let case = build_case();
    import_sets(&case);
    let out = safeguard(
        case.dir.path(),
        &[
            "scan",
            "seized",
            "--hash-set",
            "vic",
            "pdq",
            "--json",
            "report.json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report_bytes = std::fs::read(case.dir.path().join("report.json")).unwrap();
    let report: Value = serde_json::from_slice(&report_bytes).unwrap();

    let data = tempfile::tempdir().unwrap();
    let demo = safeguard(
        case.dir.path(),
        &[
            "demo",
            "--data-dir",
            data.path().to_str().unwrap(),
            "--referrals",
            "150",
            "--seed",
            "7",
            "--no-serve",
        ],
    );
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let server = serve(data.path());
    let base = server.base.as_str();
    let c = reqwest::Client::new();
    let fx = token(&c, base, "forensics").await;

    let (s, queue) = call(c.get(format!("{base}/api/v1/exhibits")).bearer_auth(&fx)).await;
    assert_eq!(s, StatusCode::OK, "{queue}");
    let items = queue["items"].as_array().unwrap();
    let submitted: Vec<&Value> = items
        .iter()
        .filter(|e| e["next_step"] == "examination_started")
        .collect();
    assert!(
        !submitted.is_empty(),
        "the demo has exhibits waiting for an examination: {queue}"
    );
    let exhibit = submitted[0];
    let eid = exhibit["id"].as_str().unwrap();
    let referral = exhibit["referral_id"].as_str().unwrap();
    let (s, _) = call(
        c.get(format!("{base}/api/v1/referrals/{referral}"))
            .bearer_auth(&fx),
    )
    .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "forensics never reaches the referral"
    );

    let (s, e) = call(
        c.post(format!("{base}/api/v1/exhibits/{eid}/steps"))
            .bearer_auth(&fx)
            .json(&json!({"step": "examination_started"})),
    )
    .await;
    // The demo's submissions are months old: starting one now is late, and the queue wants to know why.
    assert_eq!(
        (s, e["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("clock.late_reason")),
        "{e}"
    );
    let (s, e) = call(
        c.post(format!("{base}/api/v1/exhibits/{eid}/steps"))
            .bearer_auth(&fx)
            .json(&json!({"step": "examination_started",
                          "late_reason": {"code": "workload", "text": "Backlog of very high risk devices"}})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_eq!(e["next_step"], "returned", "{e}");

    let (s, e) = call(
        c.post(format!("{base}/api/v1/exhibits/{eid}/scan"))
            .bearer_auth(&fx)
            .header("content-type", "application/json")
            .body(report_bytes.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let m = &report["summary"]["matched"];
    assert_eq!(
        e["counts"],
        json!({"a": m["A"], "b": m["B"], "c": m["C"],
               "not_indecent": m["not_indecent"], "uncategorised": m["uncategorised"]}),
        "the exhibit's counts are the scan summary's"
    );
    assert_eq!(e["counts"]["a"], 2, "{e}");
    let scan = &e["scans"][0];
    assert_eq!(scan["exact"], report["summary"]["exact"]);
    assert_eq!(scan["near"], report["summary"]["near"]);
    assert_eq!(scan["unknown_images"], 1);
    assert_eq!(scan["unreadable"], 1);
    assert_eq!(scan["tool_version"], report["tool"]["version"]);
    assert_eq!(scan["sets"][0]["checksum"], report["sets"][0]["checksum"]);

    let res = c
        .get(format!(
            "{base}/api/v1/exhibits/{eid}/scans/{}",
            scan["id"].as_str().unwrap()
        ))
        .bearer_auth(&fx)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.bytes().await.unwrap().as_ref(),
        report_bytes.as_slice(),
        "the report is kept as received"
    );
}

#[test]
fn serve_refuses_a_quality_area_list_that_is_not_right_and_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("areas.toml"),
        "[[areas]]\nkey = \"overall\"\nlabel = \"Overall\"\n",
    )
    .unwrap();
    let out = safeguard(
        dir.path(),
        &[
            "serve",
            "--data-dir",
            "data",
            "--quality-areas",
            "areas.toml",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid quality areas areas.toml") && err.contains("'overall'"),
        "{err}"
    );
}
