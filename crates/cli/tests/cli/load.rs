//! Reads while `safeguard import` writes into the served SQLite file: a package of 2,000 generated reports is
//! imported by the real binary while 20 clients read the queue and a referral from `safeguard serve`. No read
//! fails, reads are answered while the import runs, and every read is in the access log, whose chain is intact.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use reqwest::StatusCode;

use crate::evidence::{call, serve, token};
use crate::media::safeguard;

/// The import benchmark's generator of synthetic CyberTipline reports, shared rather than copied.
#[allow(dead_code)]
#[path = "../../../app/examples/import_bench/synth.rs"]
pub(crate) mod synth;

const READERS: [&str; 4] = ["inv.cn", "sup.cn", "lead.cn", "central"];
const CLIENTS: usize = 20;
const REPORTS: u64 = 2_000;

#[tokio::test]
async fn twenty_clients_read_without_a_failure_while_safeguard_import_writes_2000_reports_into_the_served_file()
 {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let demo = safeguard(
        dir.path(),
        &[
            "demo",
            "--data-dir",
            data.to_str().unwrap(),
            "--referrals",
            "60",
            "--seed",
            "11",
            "--no-serve",
        ],
    );
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let package = dir.path().join("package.json");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&package).unwrap());
    synth::write_package(&mut out, REPORTS).unwrap();
    drop(out);

    let server = serve(&data);
    let base = server.base.clone();
    let c = reqwest::Client::new();
    let mut tokens = vec![];
    for u in READERS {
        tokens.push(token(&c, &base, u).await);
    }
    let (s, queue) = call(
        c.get(format!("{base}/api/v1/referrals?limit=5"))
            .bearer_auth(&tokens[0]),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{queue}");
    let one = queue["items"][0]["id"].as_str().unwrap().to_string();
    let started = jiff::Timestamp::now();

    let mut import = Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(["import", package.to_str().unwrap()])
        .args(["--data-dir", data.to_str().unwrap()])
        .env_remove("SAFEGUARD_DATA_DIR")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("safeguard import starts");

    let importing = Arc::new(AtomicBool::new(true));
    let mut clients = tokio::task::JoinSet::new();
    for i in 0..CLIENTS {
        let (c, token, importing) = (
            c.clone(),
            tokens[i % tokens.len()].clone(),
            Arc::clone(&importing),
        );
        let urls = [
            format!("{base}/api/v1/referrals/{one}"),
            format!("{base}/api/v1/referrals?limit=20"),
        ];
        clients.spawn(async move {
            // (status, whether the import was still running when the answer came)
            let mut seen = vec![];
            let mut n = 0usize;
            while importing.load(Ordering::SeqCst) && n < 2_000 {
                let res = c
                    .get(&urls[(i + n) % 2])
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap();
                let status = res.status();
                let _ = res.bytes().await;
                seen.push((status, importing.load(Ordering::SeqCst)));
                n += 1;
            }
            seen
        });
    }
    let finished = loop {
        if let Some(status) = import.try_wait().unwrap() {
            break status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    importing.store(false, Ordering::SeqCst);
    let output = import.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(finished.success(), "{said}");
    assert!(said.contains("2000 imported"), "{said}");

    let seen: Vec<(StatusCode, bool)> = clients.join_all().await.into_iter().flatten().collect();
    let failed: Vec<_> = seen.iter().filter(|(s, _)| *s != StatusCode::OK).collect();
    assert!(
        failed.is_empty(),
        "no read fails while the import writes ({} of {}): {:?}",
        failed.len(),
        seen.len(),
        &failed[..failed.len().min(5)]
    );
    let during = seen.iter().filter(|(_, importing)| *importing).count();
    assert!(
        during >= CLIENTS,
        "reads are answered while the import runs, not after it: {during} of {}",
        seen.len()
    );

    // Every read is in the access log (the DPO's own reads of the log are logged under the DPO).
    let dpo = token(&c, &base, "dpo").await;
    let mut logged = 0usize;
    for u in READERS {
        let mut before: Option<i64> = None;
        loop {
            let mut url = format!(
                "{base}/api/v1/audit?user={u}&limit=1000&from={}",
                started.to_string().replace('+', "%2B")
            );
            if let Some(b) = before {
                url.push_str(&format!("&before={b}"));
            }
            let (s, page) = call(c.get(url).bearer_auth(&dpo)).await;
            assert_eq!(s, StatusCode::OK, "{page}");
            logged += page["items"].as_array().unwrap().len();
            match page["next_before"].as_i64() {
                Some(b) => before = Some(b),
                None => break,
            }
        }
    }
    assert_eq!(
        logged,
        seen.len(),
        "one access-log event per read, none lost and none twice"
    );
    drop(server);

    let verify = safeguard(
        dir.path(),
        &["audit", "verify", "--data-dir", data.to_str().unwrap()],
    );
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(said.contains("The access log is intact"), "{said}");
    assert!(!said.contains("wait in the spool"), "{said}");
}
