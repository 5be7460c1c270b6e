//! The end-to-end test in headless Chromium (driven through ChromeDriver's WebDriver protocol): sign in,
//! open the queue, record a risk level and see it on the timeline. Skipped where no browser is installed,
//! except under CI=true, where a missing browser is a failure.

use crate::harness::{App, PASSWORD};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};

struct Driver {
    child: Child,
    url: String,
    http: reqwest::Client,
    session: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // End the session first: ChromeDriver then closes Chromium, which killing ChromeDriver alone would
        // leave running after the test. (A plain request, since nothing can be awaited in a drop.)
        use std::io::{Read, Write};
        if let Some(addr) = self.url.strip_prefix("http://")
            && let Ok(mut s) = std::net::TcpStream::connect(addr)
        {
            let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(10)));
            let req = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
                self.session
            );
            let _ = s.write_all(req.as_bytes());
            let _ = s.read_to_end(&mut Vec::new());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find(names: &[&str]) -> Option<String> {
    names
        .iter()
        .map(|n| n.to_string())
        .find(|p| std::path::Path::new(p).exists())
}

impl Driver {
    async fn start() -> Option<Driver> {
        let chrome = find(&[
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        ])?;
        let driver = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let url = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if http.get(format!("{url}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap().keep();
        // A form's submission may still be loading the next page when the click returns: finding an element
        // waits up to 10 seconds for it to appear (the WebDriver "implicit" wait), rather than failing at once.
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "timeouts": {"implicit": 10000}, "goog:chromeOptions": {
            "binary": chrome,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.display())]
        }}}});
        let res: Value = http
            .post(format!("{url}/session"))
            .json(&caps)
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        let session = res["value"]["sessionId"].as_str()?.to_string();
        Some(Driver {
            child,
            url,
            http,
            session,
        })
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.url, self.session);
        let res: Value = self
            .http
            .request(method, url)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            res["value"].get("error").is_none(),
            "webdriver {path}: {res}"
        );
        res["value"].clone()
    }

    async fn go(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", json!({"url": url}))
            .await;
    }

    async fn element(&self, css: &str) -> String {
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v.as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let e = self.element(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{e}/value"),
            json!({"text": text}),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let e = self.element(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{e}/click"),
            json!({}),
        )
        .await;
    }

    async fn text(&self, css: &str) -> String {
        let e = self.element(css).await;
        self.cmd(
            reqwest::Method::GET,
            &format!("/element/{e}/text"),
            json!({}),
        )
        .await
        .as_str()
        .unwrap()
        .to_string()
    }

    async fn title(&self) -> String {
        self.cmd(reqwest::Method::GET, "/title", json!({}))
            .await
            .as_str()
            .unwrap()
            .to_string()
    }
}

#[tokio::test]
async fn an_investigator_signs_in_opens_the_queue_records_a_risk_level_and_sees_it_on_the_timeline()
{
    let Some(driver) = Driver::start().await else {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI=true but Chromium or ChromeDriver is missing"
        );
        eprintln!("skipped: Chromium and ChromeDriver are not installed");
        return;
    };
    let app: App = crate::harness::spawn(crate::harness::sqlite().await).await;
    driver.go(&app.url("/login")).await;
    driver.type_into("#username", "inv.cn").await;
    driver.type_into("#password", PASSWORD).await;
    driver.click("button[type=submit]").await;
    assert_eq!(driver.title().await, "Referral queue – Safeguard");
    let queue = driver.text("table.queue").await;
    assert!(
        queue.contains("NCA 1001") && !queue.contains("2001"),
        "{queue}"
    );
    driver.click("table.queue a").await;
    assert!(driver.title().await.starts_with("Referral 1001"));
    driver.click("#level-high").await;
    driver
        .type_into("#reason", "Suspect lives with two children")
        .await;
    driver.click("#risk-h + form button[type=submit]").await;
    assert_eq!(driver.text(".notice").await, "Risk level recorded.");
    let timeline = driver.text("ol.timeline").await;
    assert!(
        timeline.contains("Risk level High: Suspect lives with two children"),
        "{timeline}"
    );
    assert!(timeline.contains("Officer inv.cn"), "the timeline says who");
    let bar = driver.text(".summary-bar").await;
    assert!(bar.contains("High"), "{bar}");
}
