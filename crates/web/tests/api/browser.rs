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

    async fn clear(&self, css: &str) {
        let e = self.element(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{e}/clear"),
            json!({}),
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

    /// A property of an element as the browser holds it now (`value`, `selected`, `href`).
    async fn property(&self, css: &str, name: &str) -> Value {
        let e = self.element(css).await;
        self.cmd(
            reqwest::Method::GET,
            &format!("/element/{e}/property/{name}"),
            json!({}),
        )
        .await
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
    driver.submit("button[type=submit]").await;
    // An investigator starts on their work list; the queue is a click away.
    assert_eq!(driver.title().await, "My work – Safeguard");
    driver.submit("nav a[href='/referrals']").await;
    assert_eq!(driver.title().await, "Referral queue – Safeguard");
    let queue = driver.text("table.queue").await;
    assert!(
        queue.contains("NCA 1001") && !queue.contains("NCA 2001"),
        "{queue}"
    );
    driver.submit("table.queue a").await;
    assert!(driver.title().await.starts_with("Referral 1001"));
    driver.click("#level-high").await;
    driver
        .type_into("#reason", "Suspect lives with two children")
        .await;
    driver.submit("#risk-h + form button[type=submit]").await;
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

impl Driver {
    /// Click a submit button or a link and wait (at most 10 s) until the page it leads to has replaced this
    /// one: a click may return before the navigation, and the old page's title or notice would otherwise be
    /// read.
    async fn submit(&self, css: &str) {
        let old = self.element("html").await;
        self.click(css).await;
        for _ in 0..100 {
            let url = format!("{}/session/{}/element/{old}/name", self.url, self.session);
            let res: Value = self
                .http
                .get(url)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if res["value"].get("error").is_some() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the page did not change after clicking {css}");
    }

    async fn sign_in(&self, app: &App, user: &str) {
        self.cmd(reqwest::Method::DELETE, "/cookie", json!({}))
            .await;
        self.go(&app.url("/login")).await;
        self.type_into("#username", user).await;
        self.type_into("#password", PASSWORD).await;
        self.submit("button[type=submit]").await;
        let home = match user {
            u if u.starts_with("inv.") => "My work – Safeguard",
            u if u.starts_with("sup.") || u.starts_with("lead.") => {
                // A sergeant's team view is named after the BCU.
                "Team: Central North – Safeguard"
            }
            "central" => "Central desk – Safeguard",
            "forensics" => "Exhibits queue – Safeguard",
            "auditor" => "Quality reviews – Safeguard",
            "improve" => "Inspections – Safeguard",
            "oversight" => "Figures: the force and its BCUs – Safeguard",
            _ => "Referral queue – Safeguard",
        };
        assert_eq!(self.title().await, home, "{user} signed in");
    }
}

#[tokio::test]
async fn an_investigator_works_the_plan_to_an_nfa_proposal_the_sergeant_returns_it_once_then_approves_it()
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
    // Received, assessed and allocated through the API.
    let central = app.token("central").await;
    let (_, body) = crate::triage::post_xml(
        &app,
        &central,
        &crate::triage::report_xml("nfa@example.com", "2019-03-31T00:30:00-05:00"),
        "borough=Camden&report_id=B-NFA",
    )
    .await;
    let id = body["imported"][0]["id"].as_str().unwrap().to_string();
    let sup = app.token("sup.cn").await;
    let base = format!("/api/v1/referrals/{id}");
    app.post(
        &sup,
        &format!("{base}/risk"),
        json!({"level": "medium", "reason": "r", "version": 1}),
    )
    .await;
    app.post(
        &sup,
        &format!("{base}/allocation"),
        json!({"officer": "inv.cn", "version": 2}),
    )
    .await;
    // Its review fell due long ago, as for a referral allocated months back.
    let rid: domain::ReferralId = id.parse().unwrap();
    let r = app.store.referral(rid).await.unwrap().unwrap();
    let clocks = app.store.clocks(rid).await.unwrap();
    let review = clocks
        .iter()
        .find(|c| c.clock.kind == domain::clocks::ClockKind::SupervisionReview)
        .unwrap();
    app.store
        .cancel_clock(&review.id, jiff::Timestamp::now())
        .await
        .unwrap();
    let old = domain::clocks::Clock::start(
        domain::clocks::ClockKind::SupervisionReview,
        "2026-01-05T09:00:00Z".parse().unwrap(),
        domain::TargetSpan::Days(28),
    );
    let old_id = app.store.start_clock(r.force, rid, &old).await.unwrap();
    // A sergeant paused it for a week while the officer was in court: its due time moved from 2 to 9 February.
    let by = app.actor("sup.cn").await;
    let mut paused = old.clone();
    paused
        .pause("2026-01-10T09:00:00Z".parse().unwrap(), "Officer at court")
        .unwrap();
    app.store
        .pause_or_resume(r.force, rid, &old_id, &paused, true, &by)
        .await
        .unwrap();
    paused
        .resume("2026-01-17T09:00:00Z".parse().unwrap())
        .unwrap();
    app.store
        .pause_or_resume(r.force, rid, &old_id, &paused, false, &by)
        .await
        .unwrap();
    let page = app.url(&format!("/referrals/{id}"));

    // The investigator completes a plan action and proposes no further action.
    driver.sign_in(&app, "inv.cn").await;
    driver.go(&page).await;
    let plan = driver.text("ol.plan").await;
    assert!(
        plan.contains("Research the suspect and the address"),
        "{plan}"
    );
    driver
        .submit("ol.plan form[action$='/action-done'] button")
        .await;
    assert_eq!(driver.text(".notice").await, "Plan action done.");
    assert!(driver.text("ol.plan").await.contains("Done"));
    // The next step is the first form on the page.
    assert_eq!(
        driver.element("main form").await,
        driver.element(".next-step form").await,
        "the first form on the page is in the next step panel"
    );
    // Outcome 21 without saying who was told is refused: the form comes back as typed, the error linked to
    // its field.
    driver.click("#code option[value='21']").await;
    driver
        .type_into(
            "#rationale",
            "Words of advice given; not in the public interest",
        )
        .await;
    driver
        .submit("section[aria-labelledby=out-h] form button[type=submit]")
        .await;
    let summary = driver.text(".error-summary").await;
    assert!(summary.starts_with("There is a problem"), "{summary}");
    let link = driver.property(".error-summary a", "hash").await;
    assert_eq!(link, "#informed", "the error links to the field: {summary}");
    assert_eq!(
        driver.property("#code", "value").await,
        "21",
        "the code is still chosen"
    );
    assert_eq!(
        driver.property("#rationale", "value").await,
        "Words of advice given; not in the public interest",
        "the rationale is still typed"
    );
    let beside = driver.text("#informed-error").await;
    assert!(
        beside.contains("was informed"),
        "the error is beside its field too: {beside}"
    );
    driver.click("#code option[value='16']").await;
    driver.clear("#rationale").await;
    driver
        .type_into("#rationale", "Victim does not support action")
        .await;
    driver
        .submit("section[aria-labelledby=out-h] form button[type=submit]")
        .await;
    assert!(
        driver
            .text(".notice")
            .await
            .starts_with("Outcome proposed: it awaits a supervisor's approval."),
        "{}",
        driver.text(".notice").await
    );
    assert!(
        driver
            .text(".summary-bar")
            .await
            .contains("Outcome awaiting approval")
    );

    // The sergeant starts on the team list: the outcome awaiting approval and the overdue review are there.
    driver.sign_in(&app, "sup.cn").await;
    let outcomes = driver.text("#outcomes + div").await;
    assert!(outcomes.contains("B-NFA"), "{outcomes}");
    let reviews = driver.text("#reviews + div").await;
    assert!(
        reviews.contains("B-NFA") && reviews.contains("Supervisory review"),
        "{reviews}"
    );
    // A search by the reported email, typed in another case, finds it.
    driver
        .go(&app.url("/referrals?q=NFA%40EXAMPLE.COM&show=all"))
        .await;
    assert!(driver.text("table.queue").await.contains("B-NFA"));
    // The sergeant sees the overdue review, pauses a plan action and returns the outcome once.
    driver.go(&page).await;
    let supervision = driver.text("#supervision + table").await;
    assert!(
        supervision.contains("Supervisory review") && supervision.contains("Overdue"),
        "{supervision}"
    );
    assert!(
        supervision.contains("9 Feb 2026") && supervision.contains("7 days, not counted"),
        "the week paused does not count: {supervision}"
    );
    let (_, plan) = app.get(&sup, &format!("{base}/plan")).await;
    let children = plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Identify children with access to the suspect")
        .unwrap()["clock_id"]
        .as_str()
        .unwrap()
        .to_string();
    driver
        .type_into(&format!("#pause-{children}"), "Waiting for the platform")
        .await;
    driver
        .submit(&format!("form:has(#pause-{children}) button"))
        .await;
    assert_eq!(
        driver.text(".notice").await,
        "Clock paused: the time paused does not count."
    );
    assert!(
        driver.text("ol.plan").await.contains("Paused"),
        "a paused action shows on the plan"
    );
    driver.click("#approve-no").await;
    driver
        .type_into(
            "#decision-reason",
            "Record whether the victim's parent was spoken to",
        )
        .await;
    driver
        .submit("section[aria-labelledby=decide-h] form button[type=submit]")
        .await;
    assert_eq!(
        driver.text(".notice").await,
        "Outcome returned to the investigator."
    );

    // The investigator proposes again; the sergeant approves; the closed referral offers no change.
    driver.sign_in(&app, "inv.cn").await;
    driver.go(&page).await;
    driver.click("#code option[value='16']").await;
    driver
        .type_into(
            "#rationale",
            "Parent spoken to: the family does not support action",
        )
        .await;
    driver
        .submit("section[aria-labelledby=out-h] form button[type=submit]")
        .await;
    driver.sign_in(&app, "sup.cn").await;
    driver.go(&page).await;
    driver.click("#approve-yes").await;
    driver
        .submit("section[aria-labelledby=decide-h] form button[type=submit]")
        .await;
    // Closing cannot be undone but by a supervisor's reopening: it is confirmed first.
    assert_eq!(driver.text("h1").await, "Approve and close the referral");
    assert!(
        driver
            .text(".warning-text")
            .await
            .contains("Approving outcome 16"),
        "{}",
        driver.text(".warning-text").await
    );
    driver.submit("main form button:not([name=back])").await;
    assert_eq!(
        driver.text(".notice").await,
        "Outcome approved: the referral is closed."
    );
    let closed = driver.text("section[aria-labelledby=closed-h]").await;
    assert!(closed.contains("reviewed for retention"), "{closed}");
    let timeline = driver.text("ol.timeline").await;
    assert!(
        timeline.contains(
            "Proposed outcome 16 returned: Record whether the victim's parent was spoken to"
        ) && timeline.contains("approved"),
        "{timeline}"
    );
    // Any change to the closed referral is refused.
    let (s, e) = app
        .post(
            &sup,
            &format!("{base}/risk"),
            json!({"level": "high", "reason": "x", "version": 99}),
        )
        .await;
    assert_eq!(
        (s.as_u16(), e["error"]["code"].as_str()),
        (409, Some("referral.closed"))
    );
}

#[tokio::test]
async fn forensics_works_an_exhibit_and_attaches_a_scan_in_the_browser_and_an_auditor_refers_the_referral_back_to_the_sergeant()
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
    let (id, eid) = crate::exhibits::submitted_exhibit(&app, "BR-EX-1").await;

    // Digital forensics starts on the queue, opens the exhibit, starts the examination and attaches a report.
    driver.sign_in(&app, "forensics").await;
    let queue = driver.text("main table").await;
    assert!(
        queue.contains("JD/1") && queue.contains("Examination started"),
        "{queue}"
    );
    driver.submit(&format!("a[href='/exhibits/{eid}']")).await;
    assert_eq!(driver.title().await, "Exhibit JD/1 – Safeguard");
    let request = driver.text("#request + dl").await;
    assert!(
        request.contains("named@example.com") && request.contains("2019-01-01 to 2019-04-01"),
        "the examination request: {request}"
    );
    driver
        .submit("section.next-step form button[type=submit]")
        .await;
    assert_eq!(driver.text(".notice").await, "Step recorded.");
    assert!(
        driver.text("section.next-step").await.contains("Returned"),
        "the next step is the return"
    );
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    std::fs::write(&report, crate::exhibits::scan_json().to_string()).unwrap();
    driver.click("details summary").await;
    driver
        .type_into("#scan-file", report.to_str().unwrap())
        .await;
    driver
        .submit("form[enctype='multipart/form-data'] button")
        .await;
    assert_eq!(driver.text(".notice").await, "Scan report attached.");
    let scans = driver.text("#scans + div table").await;
    assert!(scans.contains("safeguard 0.1.0"), "{scans}");
    // The referral itself is not found to digital forensics.
    driver.go(&app.url(&format!("/referrals/{id}"))).await;
    assert_eq!(driver.text("h1").await, "Page not found");

    // The auditor draws a sample, grades the referral and refers it back.
    driver.sign_in(&app, "auditor").await;
    driver.type_into("#seed", "Browser review").await;
    driver.clear("#per_bcu").await;
    driver.type_into("#per_bcu", "5").await;
    driver
        .submit("form[action='/quality/samples'] button")
        .await;
    assert!(driver.title().await.starts_with("Quality review sample"));
    driver
        .submit(&format!("a[href='/referrals/{id}#quality']"))
        .await;
    for area in [
        "initial_response",
        "risk_assessment",
        "investigation",
        "decision_making",
        "supervision",
        "safeguarding",
    ] {
        driver.click(&format!("#q-grade_{area}-good")).await;
    }
    driver.click("#q-grade_supervision-inadequate").await;
    driver.click("#q-grade_overall-requires_improvement").await;
    driver
        .type_into("#q-notes", "No supervisory review recorded")
        .await;
    driver
        .submit("form[action$='/quality-grade'] button[type=submit]")
        .await;
    assert_eq!(driver.text(".notice").await, "Quality review graded.");
    driver.click("#quality ~ details summary").await;
    driver
        .type_into(
            "#q-action_1",
            "Record a supervisory review with the rationale",
        )
        .await;
    driver
        .submit("form[action$='/quality-refer'] button[type=submit]")
        .await;
    assert_eq!(
        driver.text(".notice").await,
        "Referred back: the remedial actions are on the BCU's work lists."
    );

    // The sergeant sees it on the team's list.
    driver.sign_in(&app, "sup.cn").await;
    let team = driver.text("main").await;
    assert!(
        team.contains("Record a supervisory review with the rationale"),
        "the remedial action is on the sergeant's list"
    );
}

#[tokio::test]
async fn the_improvement_lead_records_an_action_and_a_status_and_the_oversight_body_publishes_its_section_55_response_late()
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
    // The improvement lead records the 2019 review in the browser, then a recommendation, an action and a status.
    driver.sign_in(&app, "improve").await;
    driver.type_into("#title", "Post-inspection review").await;
    driver.type_into("#published_on", "03/28/2019").await;
    driver
        .submit("form[action='/governance/inspections'] button[type=submit]")
        .await;
    assert_eq!(driver.title().await, "Post-inspection review – Safeguard");
    driver.type_into("#number", "2").await;
    driver
        .type_into(
            "#text",
            "Improve the quality and timeliness of online investigations.",
        )
        .await;
    driver
        .submit("form[action$='/recommendations'] button[type=submit]")
        .await;
    assert!(
        driver
            .text("#recommendations + p + div table, #recommendations ~ div table")
            .await
            .contains("9 May 2019"),
        "due six weeks after publication"
    );
    driver
        .submit("a[href^='/governance/recommendations/']")
        .await;
    assert_eq!(driver.title().await, "Recommendation 2 – Safeguard");
    driver
        .type_into("#action-text", "Train every BCU officer.")
        .await;
    driver.type_into("#owner", "Head of training").await;
    driver.type_into("#action-due", "09/30/2019").await;
    driver
        .submit("form[action$='/actions'] button[type=submit]")
        .await;
    driver.click("#st-force-on_track").await;
    driver.type_into("#status-on", "06/03/2019").await;
    driver
        .submit("form[action$='/status'] button[type=submit]")
        .await;
    let page = driver.text("main").await;
    assert!(
        page.contains("Train every BCU officer.") && page.contains("On track"),
        "{page}"
    );
    // The oversight body sees the last day, writes the response, publishes it and sees it was late.
    driver.sign_in(&app, "oversight").await;
    driver.go(&app.url("/governance")).await;
    driver.submit("main table a").await;
    driver.submit("a[href$='/response']").await;
    assert!(
        driver.text("main").await.contains("22 May 2019"),
        "the last day"
    );
    driver
        .type_into("#covering", "We welcome the review.")
        .await;
    driver
        .type_into("#text-0", "120 officers have had the awareness session.")
        .await;
    driver
        .submit("form[action$='/response'] button[type=submit]")
        .await;
    driver.clear("#published_on").await;
    driver.type_into("#published_on", "05/28/2019").await;
    driver
        .submit("form[action$='/publish'] button[type=submit]")
        .await;
    let page = driver.text("main").await;
    assert!(
        page.contains("Published on 28 May 2019, 6 days after the last day (22 May 2019)."),
        "{page}"
    );
    assert!(
        page.contains("120 officers have had the awareness session."),
        "{page}"
    );
}
