//! The figures for a period, through the API and the pages: each figure against a direct count of generated
//! referrals, disclosure control for every reader, the oversight role's ended months, CSV for every table.

use crate::harness::App;
use crate::stories;
use domain::{Received, Referral, ReportedPerson, TimelinessTable};
use reqwest::StatusCode;
use serde_json::Value;
use store::{Actor, Inserted, NewReferral};

stories!(
    figures_for_a_period_match_a_direct_count_of_the_generated_referrals,
    the_oversight_role_chooses_ended_months_only_and_a_day_is_refused,
    every_table_downloads_as_csv_with_the_same_suppression,
    a_sergeant_and_a_bcu_lead_see_their_own_bcu_whole_and_others_suppressed,
    a_sergeants_figures_for_days_or_instants_match_a_direct_count,
);

/// One generated referral, as the test knows it.
struct Made {
    bcu: &'static str,
    /// London month received (`YYYY-MM`).
    month: String,
    level: &'static str,
    on_time: Option<bool>,
    outcome: Option<(&'static str, String)>,
    /// A no-further-action proposal's month, and its approval or return with its month, if any.
    nfa: Option<(String, Option<(&'static str, String)>)>,
    /// An exhibit seized, and whether it had category A images.
    exhibit: Option<bool>,
    /// When it was received, first acted on (and whether on time) and closed.
    at: At,
}

/// A generated referral's moments, for counting periods of days and instants.
struct At {
    received: jiff::Timestamp,
    acted: Option<(jiff::Timestamp, bool)>,
    closed: Option<(&'static str, jiff::Timestamp)>,
    /// Its no-further-action proposal, and its approval or return.
    nfa: Option<(jiff::Timestamp, Option<(&'static str, jiff::Timestamp)>)>,
}

const LEVELS: [&str; 4] = ["very_high", "high", "medium", "low"];
const CODES: [&str; 6] = ["1", "2A", "10", "16", "20", "21"];

/// 180 referrals across January to June 2026 in both BCUs and the central queue, each given a level, most a
/// first enforcement action (on time or late), some closed with a code, all written beneath the product as
/// a generator would.
async fn generate(app: &App) -> Vec<Made> {
    let force = app.store.force_by_code("met").await.unwrap().unwrap();
    let bcus = app.store.list_bcus(force).await.unwrap();
    let id_of = |code: &str| bcus.iter().find(|b| b.code == code).map(|b| b.id);
    let system = Actor {
        user: None,
        username: "generator".into(),
        display_name: "Generator".into(),
        justification: None,
    };
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    };
    let start: jiff::Timestamp = "2026-01-01T09:00:00Z".parse().unwrap();
    let mut made = Vec::new();
    for i in 0..180u64 {
        let bcu = match i % 5 {
            0..=2 => "cn",
            3 => "cw",
            _ => "",
        };
        let received = start + jiff::SignedDuration::from_hours((i * 24 + next(20)) as i64);
        let r = Referral::new_received(
            Received {
                force,
                bcu: id_of(bcu),
                borough: None,
                source: if i % 7 == 0 { "manual" } else { "NCA" }.into(),
                package_ref: Some("NCA-FIG".into()),
                report_id: format!("FIG-{i}"),
                received_at: received,
                incident_type: "Child Pornography (possession, manufacture, and distribution)"
                    .into(),
                incident_at: None,
                escalation: None,
                summary: "Synthetic".into(),
                reported_person: ReportedPerson::default(),
            },
            &TimelinessTable::default(),
        );
        let id = match app
            .store
            .insert_referral(
                &NewReferral::fresh(r, "{}".into(), "default-2019", None, "NCA"),
                &system,
            )
            .await
            .unwrap()
        {
            Inserted::Created(id) => id,
            other => panic!("{other:?}"),
        };
        let level = LEVELS[next(4) as usize];
        let rec = received.as_millisecond();
        let target_h = [24, 168, 336, 720][LEVELS.iter().position(|l| *l == level).unwrap()];
        let mut status = "allocated";
        let mut sql = format!(
            "UPDATE referrals SET risk_level = '{level}', assessed_at = {}, clock = 'enforcement:{level}', due_at = {}",
            rec + 3_600_000 * (1 + next(10) as i64),
            rec + 3_600_000 * target_h
        );
        let mut on_time = None;
        let mut outcome = None;
        let mut acted_at = None;
        let mut closed_at = None;
        if next(10) < 8 {
            let late = next(4) == 0;
            let after_h = if late { target_h + 5 } else { target_h / 2 };
            sql.push_str(&format!(
                ", first_enforcement_at = {}",
                rec + 3_600_000 * after_h
            ));
            on_time = Some(!late);
            acted_at = Some((received + jiff::SignedDuration::from_hours(after_h), !late));
            status = "enforcement";
            if next(3) > 0 {
                let code = CODES[next(CODES.len() as u64) as usize];
                let closed =
                    received + jiff::SignedDuration::from_hours(after_h + 24 * next(40) as i64);
                sql.push_str(&format!(
                    ", closed_at = {}, outcome_code = '{code}'",
                    closed.as_millisecond()
                ));
                outcome = Some((code, domain::figures::Month::of(closed).to_string()));
                closed_at = Some((code, closed));
                status = "closed";
            }
        }
        sql.push_str(&format!(", status = '{status}' WHERE id = '{id}'"));
        app.store.execute_raw_for_tests(sql.leak()).await.unwrap();
        // One referral in six has a no-further-action proposal ten days after receipt, then approved after
        // twenty days, returned after fifteen, or still awaiting (by a rule of its own, so the other figures'
        // random numbers are unchanged).
        let nfa = (i % 6 == 1).then(|| {
            let proposed = received + jiff::SignedDuration::from_hours(24 * 10);
            let decided = match (i / 6) % 3 {
                0 => Some((
                    "approved",
                    received + jiff::SignedDuration::from_hours(24 * 20),
                )),
                1 => Some((
                    "returned",
                    received + jiff::SignedDuration::from_hours(24 * 15),
                )),
                _ => None,
            };
            (proposed, decided)
        });
        if let Some((proposed, decided)) = nfa {
            for (n, (kind, at)) in std::iter::once(("proposed", proposed))
                .chain(decided)
                .enumerate()
            {
                let sql = format!(
                    "INSERT INTO outcome_decisions (id, force_id, referral_id, kind, code, text, by_user, at)
                     VALUES ('nfa{n}-{id}', '{force}', '{id}', '{kind}', '10', NULL, NULL, {})",
                    at.as_millisecond()
                );
                app.store.execute_raw_for_tests(sql.leak()).await.unwrap();
            }
        }
        // One closed referral in two had an exhibit; every other one of those was graded with category A images.
        let exhibit = (status == "closed" && i % 2 == 0).then_some(i % 4 == 0);
        if let Some(a) = exhibit {
            let sql = format!(
                "INSERT INTO exhibits (id, force_id, referral_id, reference, kind, description, seized_at, seized_where, seized_from, created_at, graded_a, graded_b, graded_c)
                 VALUES ('x-{id}', '{force}', '{id}', 'FG/1', 'phone', 'A phone', {rec}, 'Home', 'premises', {rec}, {}, 3, 5)",
                if a { "2" } else { "0" }
            );
            app.store.execute_raw_for_tests(sql.leak()).await.unwrap();
        }
        // Two clocks stopped a little after receipt, one of each kind, a third of them late: for the clocks
        // table.
        for (k, kind) in ["social_care_referral", "plan_action"].iter().enumerate() {
            let started = rec + 3_600_000;
            let sql = format!(
                "INSERT INTO clocks (id, force_id, referral_id, kind, started_at, base_due, stopped_at, ended, late_code)
                 VALUES ('k{k}-{id}', '{force}', '{id}', '{kind}', {started}, {}, {}, 'stopped', {})",
                started + 86_400_000,
                started + 60_000 * (30 + next(4000) as i64),
                if (i + k as u64).is_multiple_of(3) { "'awaiting_forensics'" } else { "NULL" }
            );
            app.store.execute_raw_for_tests(sql.leak()).await.unwrap();
        }
        let month_of = |t: jiff::Timestamp| domain::figures::Month::of(t).to_string();
        made.push(Made {
            bcu: if bcu.is_empty() { "central" } else { bcu },
            month: domain::figures::Month::of(received).to_string(),
            level,
            on_time,
            outcome,
            exhibit,
            nfa: nfa.map(|(p, d)| (month_of(p), d.map(|(k, t)| (k, month_of(t))))),
            at: At {
                received,
                acted: acted_at,
                closed: closed_at,
                nfa,
            },
        });
    }
    made
}

fn table<'a>(body: &'a Value, id: &str) -> &'a Value {
    body["figures"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("table {id} in {body}"))
}

fn cell<'a>(t: &'a Value, row: &str, column: &str) -> &'a Value {
    let c = t["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["key"] == column)
        .unwrap_or_else(|| panic!("column {column} of {}", t["id"]));
    let r = t["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == row)
        .unwrap_or_else(|| panic!("row {row} of {}", t["id"]));
    &r["cells"][c]
}

fn in_period(m: &str) -> bool {
    ("2026-02"..="2026-05").contains(&m)
}

async fn figures_for_a_period_match_a_direct_count_of_the_generated_referrals(app: App) {
    let made = generate(&app).await;
    let token = app.token("lead.cn").await;
    let (status, body) = app
        .get(&token, "/api/v1/stats?from=2026-02&to=2026-05&bcu=cn")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["figures"]["from"], "2026-02");
    assert_eq!(body["figures"]["to"], "2026-05");
    assert_eq!(
        body["figures"]["as_at"], "2026-05-31T23:00:00Z",
        "midnight in London, summer time"
    );
    let cn = || made.iter().filter(|m| m.bcu == "cn");
    // Received: the lead's own BCU, whole.
    let received = cn().filter(|m| in_period(&m.month)).count() as i64;
    assert_eq!(cell(table(&body, "received"), "cn", "received"), received);
    for level in LEVELS {
        let n = cn()
            .filter(|m| in_period(&m.month) && m.level == level)
            .count() as i64;
        assert_eq!(cell(table(&body, "received"), "cn", level), n, "{level}");
    }
    // Outcomes by code in the month closed, and the NFA rate (10, 16 and 21 of these codes are NFA).
    let closed: Vec<&str> = cn()
        .filter_map(|m| m.outcome.as_ref())
        .filter(|(_, month)| in_period(month))
        .map(|(code, _)| *code)
        .collect();
    let outcomes = table(&body, "outcomes");
    assert_eq!(cell(outcomes, "cn", "outcomes"), closed.len() as i64);
    for code in CODES {
        let n = closed.iter().filter(|c| **c == code).count() as i64;
        if n > 0 {
            assert_eq!(
                cell(outcomes, "cn", &format!("code_{code}")),
                n,
                "code {code}"
            );
        }
    }
    let nfa = closed
        .iter()
        .filter(|c| ["10", "16", "21"].contains(c))
        .count() as i64;
    assert_eq!(cell(outcomes, "cn", "nfa"), nfa);
    if closed.len() >= 10 {
        let rate = cell(outcomes, "cn", "nfa_rate").as_f64().unwrap();
        assert!((rate - nfa as f64 / closed.len() as f64).abs() < 1e-9);
    }
    // No-further-action proposals, approvals and returns in the period, and those awaiting approval at its end.
    let decisions = table(&body, "decisions");
    let nfa = || cn().filter_map(|m| m.nfa.as_ref());
    let proposed = nfa().filter(|(p, _)| in_period(p)).count() as i64;
    assert!(proposed > 3, "{proposed} proposals");
    assert_eq!(cell(decisions, "cn", "nfa_proposed"), proposed);
    for kind in ["approved", "returned"] {
        let n = nfa()
            .filter(|(_, d)| d.as_ref().is_some_and(|(k, m)| *k == kind && in_period(m)))
            .count() as i64;
        assert_eq!(cell(decisions, "cn", &format!("nfa_{kind}")), n, "{kind}");
    }
    let awaiting = nfa()
        .filter(|(p, d)| {
            p.as_str() <= "2026-05" && d.as_ref().is_none_or(|(_, m)| m.as_str() > "2026-05")
        })
        .count() as i64;
    assert!(awaiting > 0);
    assert_eq!(cell(decisions, "cn", "nfa_awaiting"), awaiting);
    // The month-by-month table of the lead's BCU adds up to the same.
    let monthly = table(&body, "monthly");
    assert_eq!(cell(monthly, "total", "received"), received);
    for month in ["2026-02", "2026-03", "2026-04", "2026-05"] {
        let n = cn().filter(|m| m.month == month).count() as i64;
        assert_eq!(cell(monthly, month, "received"), n, "{month}");
    }
    // The force's total, where shown, is every BCU's and the central queue's.
    let force_received = made.iter().filter(|m| in_period(&m.month)).count() as i64;
    let shown = cell(table(&body, "received"), "force", "received");
    assert!(shown == force_received || shown == "[c]", "{shown}");
    // Timeliness is counted in the month of the first action; with the generator's times in hours, the
    // lead's own on-time count across all levels must equal the generated one for referrals received and
    // acted on inside the period (checked over the whole range, where nothing falls outside).
    let (status, all) = app
        .get(&token, "/api/v1/stats?from=2025-12&to=2026-09&bcu=cn")
        .await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let acted = cn().filter(|m| m.on_time.is_some()).count() as i64;
    let on_time = cn().filter(|m| m.on_time == Some(true)).count() as i64;
    let t = table(&all, "timeliness");
    assert_eq!(cell(t, "cn", "acted"), acted);
    assert_eq!(cell(t, "cn", "on_time"), on_time);
    let share = cell(t, "cn", "share_on_time").as_f64().unwrap();
    assert!((share - on_time as f64 / acted as f64).abs() < 1e-9);
    // Calibration: charged or cautioned (1 and 2A of these codes) by level, with an interval holding it.
    let calib = table(&all, "calibration");
    for level in LEVELS {
        let ended: Vec<&str> = cn()
            .filter(|m| m.level == level)
            .filter_map(|m| m.outcome.as_ref().map(|o| o.0))
            .collect();
        assert_eq!(cell(calib, level, "closed"), ended.len() as i64, "{level}");
        let charged = ended.iter().filter(|c| ["1", "2A"].contains(c)).count() as i64;
        assert_eq!(
            cell(calib, level, "charged_or_cautioned"),
            charged,
            "{level}"
        );
        if ended.len() >= 10 {
            let (lo, s, hi) = (
                cell(calib, level, "share_low").as_f64().unwrap(),
                cell(calib, level, "share").as_f64().unwrap(),
                cell(calib, level, "share_high").as_f64().unwrap(),
            );
            assert!(lo <= s && s <= hi, "{lo} {s} {hi}");
        }
        // Of those with exhibits, the share with category A images.
        let seized: Vec<bool> = cn()
            .filter(|m| m.level == level && m.outcome.is_some())
            .filter_map(|m| m.exhibit)
            .collect();
        assert_eq!(
            cell(calib, level, "with_exhibits"),
            seized.len() as i64,
            "{level}"
        );
        let a = seized.iter().filter(|a| **a).count() as i64;
        assert_eq!(cell(calib, level, "category_a"), a, "{level}");
        if seized.len() >= 10 {
            let s = cell(calib, level, "share_a").as_f64().unwrap();
            assert!((s - a as f64 / seized.len() as f64).abs() < 1e-9);
        }
    }
    let all_seized = cn()
        .filter(|m| m.outcome.is_some() && m.exhibit.is_some())
        .count() as i64;
    assert!(all_seized > 5, "{all_seized} closed with exhibits");
    assert_eq!(cell(calib, "all", "with_exhibits"), all_seized);
}

async fn the_oversight_role_chooses_ended_months_only_and_a_day_is_refused(app: App) {
    let token = app.token("oversight").await;
    let this_month = domain::figures::Month::of(jiff::Timestamp::now()).to_string();
    for (query, field) in [
        ("from=2026-01-01&to=2026-02", "from"),
        ("from=2026-01&to=2026-02-28T00:00:00Z", "to"),
        (format!("from=2026-01&to={this_month}").leak() as &str, "to"),
        ("from=2026-05&to=2026-02", "to"),
        ("from=2020-01&to=2026-02", "to"),
        ("from=9999-12&to=9999-12", "from"),
    ] {
        let (status, body) = app.get(&token, &format!("/api/v1/stats?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["error"]["code"], "figures.period", "{query}");
        assert_eq!(body["error"]["location"], field, "{query}");
    }
    let (status, body) = app.get(&token, "/api/v1/stats?bcu=nowhere").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "figures.bcu");
    // Without a period the counts per BCU keep their all-time meaning; the figures cover three ended months.
    let (status, body) = app.get(&token, "/api/v1/stats").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["from"].is_null() && body["to"].is_null());
    assert!(body["figures"]["to"].as_str().unwrap() < this_month.as_str());
    // Others may see the month so far.
    let lead = app.token("lead.cn").await;
    let (status, _) = app
        .get(
            &lead,
            &format!("/api/v1/stats?from={this_month}&to={this_month}"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // And a reader with no figures has none.
    let inv = app.token("inv.cn").await;
    let (status, _) = app.get(&inv, "/api/v1/stats?from=2026-01&to=2026-02").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn every_table_downloads_as_csv_with_the_same_suppression(app: App) {
    generate(&app).await;
    let token = app.token("oversight").await;
    let q = "from=2026-01&to=2026-06";
    let (_, body) = app.get(&token, &format!("/api/v1/stats?{q}")).await;
    let tables = body["figures"]["tables"].as_array().unwrap();
    let ids: Vec<&str> = tables.iter().map(|t| t["id"].as_str().unwrap()).collect();
    for id in [
        "monthly",
        "received",
        "timeliness",
        "time_to_first_enforcement",
        "triage_time",
        "outcomes",
        "decisions",
        "backlog",
        "received_by_month",
        "child_house",
        "quality",
        "calibration",
        "clocks",
        "late_reasons",
    ] {
        assert!(ids.contains(&id), "table {id} in {ids:?}");
    }
    let browser = app.browser("oversight").await;
    for t in tables {
        let id = t["id"].as_str().unwrap();
        for url in [
            app.url(&format!("/api/v1/stats/csv/{id}?{q}")),
            app.url(&format!("/oversight/csv/{id}?{q}")),
        ] {
            let res = if url.contains("/api/") {
                app.http.get(&url).bearer_auth(&token).send().await.unwrap()
            } else {
                browser.get(&url).send().await.unwrap()
            };
            assert_eq!(res.status(), StatusCode::OK, "{url}");
            assert!(
                res.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("text/csv")
            );
            let text = res.text().await.unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(
                lines.len(),
                1 + t["rows"].as_array().unwrap().len(),
                "{url}"
            );
            for (line, row) in lines[1..].iter().zip(t["rows"].as_array().unwrap()) {
                for (cell, value) in line
                    .rsplit(',')
                    .zip(row["cells"].as_array().unwrap().iter().rev())
                {
                    match value {
                        Value::String(marker) => assert_eq!(cell, marker, "{url}"),
                        Value::Number(n) if n.is_i64() => {
                            let n = n.as_i64().unwrap();
                            assert_eq!(cell.parse::<i64>().unwrap(), n, "{url}");
                            assert!(
                                n == 0
                                    || n >= 5
                                    || t["columns"]
                                        .as_array()
                                        .unwrap()
                                        .iter()
                                        .any(|c| c["kind"] == "minutes"),
                                "the oversight role sees no count from 1 to 4: {url} {line}"
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    let (status, _) = app.get(&token, "/api/v1/stats/csv/nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_sergeant_and_a_bcu_lead_see_their_own_bcu_whole_and_others_suppressed(app: App) {
    let made = generate(&app).await;
    for user in ["sup.cn", "lead.cn"] {
        let token = app.token(user).await;
        let (status, body) = app
            .get(&token, "/api/v1/stats?from=2026-01&to=2026-06")
            .await;
        assert_eq!(status, StatusCode::OK, "{user}: {body}");
        assert_eq!(
            body["figures"]["bcu"], "cn",
            "{user} starts on their own BCU"
        );
        let t = table(&body, "received");
        let cw = made
            .iter()
            .filter(|m| m.bcu == "cw" && m.month.as_str() <= "2026-06")
            .count();
        assert!(cw > 4);
        for row in t["rows"].as_array().unwrap() {
            for v in row["cells"].as_array().unwrap() {
                if let Some(n) = v.as_i64()
                    && row["key"] != "cn"
                {
                    assert!(
                        n == 0 || n >= 5,
                        "{user} sees another BCU's small count: {row}"
                    );
                }
            }
        }
        let html = app.page_as(user, "/oversight").await;
        assert!(html.contains("Figures: Central North"), "{user}");
        assert!(
            html.contains("role=\"img\""),
            "charts are images with titles"
        );
        assert!(
            !html.contains("Synthetic"),
            "no narrative on the figures page"
        );
    }
}

async fn a_sergeants_figures_for_days_or_instants_match_a_direct_count(app: App) {
    let made = generate(&app).await;
    let token = app.token("sup.cn").await;
    let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    // 10 February to 20 March (London days, both counted: GMT throughout), and from an instant in March
    // to one in April, across the change to summer time.
    for (query, start, end, parts) in [
        (
            "from=2026-02-10&to=2026-03-20",
            t("2026-02-10T00:00:00Z"),
            t("2026-03-21T00:00:00Z"),
            vec![
                ("2026-02", "2026-02-10T00:00:00Z"),
                ("2026-03", "2026-03-01T00:00:00Z"),
            ],
        ),
        (
            "from=2026-03-05T12:00:00Z&to=2026-04-02T08:00:00Z",
            t("2026-03-05T12:00:00Z"),
            t("2026-04-02T08:00:00Z"),
            vec![
                ("2026-03", "2026-03-05T12:00:00Z"),
                ("2026-04", "2026-03-31T23:00:00Z"),
            ],
        ),
        (
            "from=2026-01-15&to=2026-04-10",
            t("2026-01-15T00:00:00Z"),
            t("2026-04-10T23:00:00Z"),
            vec![],
        ),
    ] {
        let (status, body) = app
            .get(&token, &format!("/api/v1/stats?{query}&bcu=cn"))
            .await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        let within = |at: jiff::Timestamp| start <= at && at < end;
        let cn = || made.iter().filter(|m| m.bcu == "cn");
        assert_eq!(
            body["figures"]["as_at"],
            end.to_string().replace(".000", ""),
            "{query}"
        );
        // Received, and by level.
        let received = cn().filter(|m| within(m.at.received)).count() as i64;
        assert!(received > 5, "{query}: {received}");
        assert_eq!(
            cell(table(&body, "received"), "cn", "received"),
            received,
            "{query}"
        );
        // First actions in the period, and those on time.
        let acted: Vec<bool> = cn()
            .filter_map(|m| m.at.acted)
            .filter(|a| within(a.0))
            .map(|a| a.1)
            .collect();
        let timeliness = table(&body, "timeliness");
        assert_eq!(
            cell(timeliness, "cn", "acted"),
            acted.len() as i64,
            "{query}"
        );
        assert_eq!(
            cell(timeliness, "cn", "on_time"),
            acted.iter().filter(|a| **a).count() as i64,
            "{query}"
        );
        // Outcomes recorded in the period.
        let closed: Vec<&str> = cn()
            .filter_map(|m| m.at.closed)
            .filter(|c| within(c.1))
            .map(|c| c.0)
            .collect();
        assert_eq!(
            cell(table(&body, "outcomes"), "cn", "outcomes"),
            closed.len() as i64,
            "{query}"
        );
        // NFA decisions in the period, and those awaiting approval at its end.
        let decisions = table(&body, "decisions");
        let nfa = || cn().filter_map(|m| m.at.nfa);
        assert_eq!(
            cell(decisions, "cn", "nfa_proposed"),
            nfa().filter(|(p, _)| within(*p)).count() as i64,
            "{query}"
        );
        for kind in ["approved", "returned"] {
            let n = nfa()
                .filter(|(_, d)| d.is_some_and(|(k, at)| k == kind && within(at)))
                .count() as i64;
            assert_eq!(
                cell(decisions, "cn", &format!("nfa_{kind}")),
                n,
                "{query} {kind}"
            );
        }
        let awaiting = nfa()
            .filter(|(p, d)| *p < end && d.is_none_or(|(_, at)| at >= end))
            .count() as i64;
        assert_eq!(cell(decisions, "cn", "nfa_awaiting"), awaiting, "{query}");
        // Clocks stopped in the period by kind, for the BCU and for the force (read without BCUs), against a
        // direct count of the clocks.
        let force = app.store.force_by_code("met").await.unwrap().unwrap();
        let cn_key = app
            .store
            .list_bcus(force)
            .await
            .unwrap()
            .into_iter()
            .find(|b| b.code == "cn")
            .unwrap()
            .id
            .to_string();
        let direct = app
            .store
            .clocks_stopped_counted_directly(force, start, end)
            .await
            .unwrap();
        for scope in ["cn", "force"] {
            let (status, body) = app
                .get(&token, &format!("/api/v1/stats?{query}&bcu={scope}"))
                .await;
            assert_eq!(status, StatusCode::OK, "{query}: {body}");
            // The force's late clocks (the older fields), whatever BCU the tables are scoped to.
            let late_all: i64 = direct.iter().filter(|c| c.late).map(|c| c.n).sum();
            assert_eq!(body["late_total"], late_all, "{query} {scope}");
            let clocks = table(&body, "clocks");
            for kind in ["social_care_referral", "plan_action"] {
                let of: Vec<&store::ClockCount> = direct
                    .iter()
                    .filter(|c| c.kind == kind && (scope == "force" || c.bcu_key == cn_key))
                    .collect();
                let stopped: i64 = of.iter().map(|c| c.n).sum();
                let late: i64 = of.iter().filter(|c| c.late).map(|c| c.n).sum();
                assert!(
                    stopped >= 10 && late >= 5,
                    "{query} {scope} {kind}: {stopped} {late}"
                );
                assert_eq!(
                    cell(clocks, kind, "stopped"),
                    stopped,
                    "{query} {scope} {kind}"
                );
                assert_eq!(cell(clocks, kind, "late"), late, "{query} {scope} {kind}");
                let steps: Vec<(i64, i64)> = of.iter().map(|c| (c.step, c.n)).collect();
                for (column, q) in [("median", 0.5), ("p90", 0.9)] {
                    assert_eq!(
                        cell(clocks, kind, column),
                        domain::figures::quantile(&steps, q).unwrap(),
                        "{query} {scope} {kind} {column}"
                    );
                }
            }
        }
        // Month by month: each month touched, counting only the part of it in the period.
        let monthly = table(&body, "monthly");
        for (month, from) in parts {
            let from = t(from);
            let n = cn()
                .filter(|m| m.month == month && within(m.at.received) && m.at.received >= from)
                .count() as i64;
            assert_eq!(cell(monthly, month, "received"), n, "{query} {month}");
        }
        assert_eq!(cell(monthly, "total", "received"), received, "{query}");
    }
    // The page offers days to a sergeant, and says what the period covers.
    let html = app
        .page_as("sup.cn", "/oversight?from=2026-02-10&to=2026-03-20")
        .await;
    assert!(html.contains("10 February 2026 to 20 March 2026"), "{html}");
    assert!(html.contains(r#"type="date""#), "{html}");
}
