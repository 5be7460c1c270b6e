//! The load generator of `bench/load`: signs in as one user and has N clients read one API path as fast as
//! they can, printing how many reads were answered, how many failed (5xx) and the latency percentiles.
//!
//! ```text
//! load_bench queue  BASE USER PASSWORD PATH CLIENTS SECONDS
//!     reads for SECONDS after a 3-second warm-up
//! load_bench during BASE USER PASSWORD PATH CLIENTS -- COMMAND [ARGS...]
//!     reads from the moment COMMAND starts until it ends (an import), and prints how long it ran
//! load_bench package FILE FIRST COUNT PACKAGE_REF
//!     writes a JSON package of the import benchmark's generated reports numbered FIRST on
//! load_bench pages BASE USER PASSWORD REPEAT PATH...
//!     signs in (the form for pages, the API for /api/ paths) and fetches each PATH once (cold: the first
//!     time since the server started) and REPEAT times more, printing the cold time and the median of the
//!     rest; fails unless every answer is 200
//! ```

/// The import benchmark's generator of synthetic CyberTipline reports, shared rather than copied.
#[allow(dead_code)]
#[path = "../../app/examples/import_bench/synth.rs"]
mod synth;

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn usage() -> ! {
    eprintln!(
        "usage: load_bench queue BASE USER PASSWORD PATH CLIENTS SECONDS\n       load_bench during BASE USER PASSWORD PATH CLIENTS -- COMMAND [ARGS...]\n       load_bench package FILE FIRST COUNT PACKAGE_REF\n       load_bench pages BASE USER PASSWORD REPEAT PATH..."
    );
    std::process::exit(2)
}

/// Each answer: its latency, and whether it was a server error (5xx) or another non-success.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    server_errors: usize,
    other_errors: usize,
}

async fn sign_in(c: &reqwest::Client, base: &str, user: &str, password: &str) -> String {
    let res = c
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": user, "password": password}))
        .send()
        .await
        .expect("the server answers");
    assert!(
        res.status().is_success(),
        "{user} signs in: {}",
        res.status()
    );
    let body: serde_json::Value = res.json().await.unwrap();
    body["token"].as_str().unwrap().to_string()
}

/// Run `clients` readers of `url` while `running` holds; each reader's tally.
async fn read_while(
    c: &reqwest::Client,
    url: &str,
    token: &str,
    clients: usize,
    running: Arc<AtomicBool>,
    measuring: Arc<AtomicBool>,
) -> Tally {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (c, url, token, running, measuring) = (
            c.clone(),
            url.to_string(),
            token.to_string(),
            Arc::clone(&running),
            Arc::clone(&measuring),
        );
        set.spawn(async move {
            let mut t = Tally::default();
            while running.load(Ordering::SeqCst) {
                let start = Instant::now();
                let res = c.get(&url).bearer_auth(&token).send().await;
                let (server_error, other) = match res {
                    Ok(r) => {
                        let s = r.status();
                        let _ = r.bytes().await;
                        (s.is_server_error(), !s.is_success() && !s.is_server_error())
                    }
                    Err(_) => (true, false),
                };
                if measuring.load(Ordering::SeqCst) {
                    t.latencies.push(start.elapsed());
                    t.server_errors += usize::from(server_error);
                    t.other_errors += usize::from(other);
                }
            }
            t
        });
    }
    let mut all = Tally::default();
    for t in set.join_all().await {
        all.latencies.extend(t.latencies);
        all.server_errors += t.server_errors;
        all.other_errors += t.other_errors;
    }
    all
}

fn report(label: &str, mut t: Tally, over: Duration) {
    t.latencies.sort();
    let n = t.latencies.len();
    let pct = |p: f64| -> f64 {
        if n == 0 {
            return f64::NAN;
        }
        let i = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
        t.latencies[i].as_secs_f64() * 1000.0
    };
    println!(
        "{label:<10} {n} reads in {:.1} s ({:.0}/s), 5xx {}, other failures {}; ms p50 {:.1}, p90 {:.1}, p99 {:.1}, max {:.1}",
        over.as_secs_f64(),
        n as f64 / over.as_secs_f64().max(0.001),
        t.server_errors,
        t.other_errors,
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(1.0),
    );
}

/// Sign in through the sign-in form, keeping the session's cookie.
async fn browser(base: &str, user: &str, password: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let form = c
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf\" value=\"";
    let at = form.find(marker).expect("the sign-in form has its token") + marker.len();
    let csrf = &form[at..at + form[at..].find('"').unwrap()];
    let res = c
        .post(format!("{base}/login"))
        .form(&[("username", user), ("password", password), ("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert!(
        !res.url().path().starts_with("/login"),
        "{user} signs in through the form"
    );
    c
}

/// Time each path: cold, then the median of `repeat` more.
async fn pages(base: &str, user: &str, password: &str, repeat: usize, paths: &[String]) {
    let page = browser(base, user, password).await;
    let api = reqwest::Client::new();
    let token = sign_in(&api, base, user, password).await;
    for path in paths {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..=repeat {
            let start = Instant::now();
            let res = if path.starts_with("/api/") {
                api.get(format!("{base}{path}"))
                    .bearer_auth(&token)
                    .send()
                    .await
            } else {
                page.get(format!("{base}{path}")).send().await
            }
            .expect("the server answers");
            let status = res.status();
            bytes = res.bytes().await.map(|b| b.len()).unwrap_or(0);
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            if !status.is_success() {
                eprintln!("{user} {path}: {status}");
                std::process::exit(1);
            }
        }
        let cold = times[0];
        let mut warm = times[1..].to_vec();
        warm.sort_by(f64::total_cmp);
        let median = warm.get(warm.len() / 2).copied().unwrap_or(cold);
        println!(
            "{user:<10} {path}\n           cold {cold:.0} ms, warm median {median:.0} ms of {repeat} ({} kB)",
            bytes / 1024
        );
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("package") && args.len() == 5 {
        let (first, count) = (
            args[2].parse().unwrap_or_else(|_| usage()),
            args[3].parse().unwrap_or_else(|_| usage()),
        );
        let mut out = std::io::BufWriter::new(std::fs::File::create(&args[1]).unwrap());
        synth::write_package_from(&mut out, first, count, &args[4]).unwrap();
        std::io::Write::flush(&mut out).unwrap();
        return;
    }
    if args.first().map(String::as_str) == Some("pages") && args.len() >= 6 {
        let repeat: usize = args[4].parse().unwrap_or_else(|_| usage());
        pages(&args[1], &args[2], &args[3], repeat, &args[5..]).await;
        return;
    }
    if args.len() < 6 {
        usage();
    }
    let (mode, base, user, password, path) = (&args[0], &args[1], &args[2], &args[3], &args[4]);
    let clients: usize = args[5].parse().unwrap_or_else(|_| usage());
    let c = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap();
    let token = sign_in(&c, base, user, password).await;
    let url = format!("{base}{path}");
    let running = Arc::new(AtomicBool::new(true));
    let measuring = Arc::new(AtomicBool::new(false));
    match mode.as_str() {
        "queue" => {
            let seconds: u64 = args
                .get(6)
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| usage());
            let readers = tokio::spawn({
                let (c, url, token, running, measuring) = (
                    c.clone(),
                    url.clone(),
                    token.clone(),
                    Arc::clone(&running),
                    Arc::clone(&measuring),
                );
                async move { read_while(&c, &url, &token, clients, running, measuring).await }
            });
            tokio::time::sleep(Duration::from_secs(3)).await;
            measuring.store(true, Ordering::SeqCst);
            let start = Instant::now();
            tokio::time::sleep(Duration::from_secs(seconds)).await;
            measuring.store(false, Ordering::SeqCst);
            let over = start.elapsed();
            running.store(false, Ordering::SeqCst);
            report("reads", readers.await.unwrap(), over);
        }
        "during" => {
            let Some(dash) = args.iter().position(|a| a == "--") else {
                usage()
            };
            let command = &args[dash + 1..];
            if command.is_empty() {
                usage();
            }
            measuring.store(true, Ordering::SeqCst);
            let readers = tokio::spawn({
                let (c, url, token, running, measuring) = (
                    c.clone(),
                    url.clone(),
                    token.clone(),
                    Arc::clone(&running),
                    Arc::clone(&measuring),
                );
                async move { read_while(&c, &url, &token, clients, running, measuring).await }
            });
            let start = Instant::now();
            let mut child = Command::new(&command[0])
                .args(&command[1..])
                .spawn()
                .expect("the command starts");
            let status = loop {
                if let Some(s) = child.try_wait().unwrap() {
                    break s;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            };
            let over = start.elapsed();
            measuring.store(false, Ordering::SeqCst);
            running.store(false, Ordering::SeqCst);
            println!(
                "command    ran {:.1} s, {}",
                over.as_secs_f64(),
                if status.success() {
                    "succeeded".to_string()
                } else {
                    format!("FAILED ({status})")
                }
            );
            report("reads", readers.await.unwrap(), over);
            if !status.success() {
                std::process::exit(1);
            }
        }
        _ => usage(),
    }
}
