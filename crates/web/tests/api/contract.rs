//! The API's contract: the OpenAPI document is generated from the code, every documented path and method is
//! a real route, and the real answers of the main routes validate against the schemas the document gives.

use crate::harness::{App, PASSWORD};
use crate::stories;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The served document, and a validator of answers against it.
struct Contract {
    doc: Value,
}

impl Contract {
    async fn load(app: &App) -> Self {
        let res = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap();
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "the document needs no sign-in"
        );
        Contract {
            doc: res.json().await.unwrap(),
        }
    }

    /// The schema `method path` documents for `status`, with the document's components beside it so that
    /// its references resolve, and no properties beyond those documented allowed at the top level.
    fn schema(&self, method: &str, path: &str, status: StatusCode) -> Value {
        let op = &self.doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is documented");
        let mut answer = &op["responses"][status.as_str()];
        assert!(
            answer.is_object(),
            "{method} {path} documents the answer {status}: {}",
            op["responses"]
        );
        if let Some(r) = answer["$ref"].as_str() {
            let name = r.rsplit('/').next().unwrap();
            answer = &self.doc["components"]["responses"][name];
        }
        let schema = &answer["content"]["application/json"]["schema"];
        assert!(
            schema.is_object(),
            "{method} {path} {status} has a JSON schema"
        );
        let mut root = schema.clone();
        root["components"] = self.doc["components"].clone();
        root["unevaluatedProperties"] = json!(false);
        root
    }

    /// Assert that a real answer validates against its documented schema.
    fn check(&self, method: &str, path: &str, status: StatusCode, body: &Value) {
        let schema = self.schema(method, path, status);
        let validator = jsonschema::draft202012::new(&schema)
            .unwrap_or_else(|e| panic!("the schema of {method} {path} {status} compiles: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(body)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{method} {path} answered {status} outside its schema: {errors:#?}\n{body:#}"
        );
    }
}

async fn send(
    app: &App,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new()
        .request(method, app.url(&format!("/api/v1{path}")))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn every_documented_path_and_method_is_a_route_of_the_server(app: App) {
    let contract = Contract::load(&app).await;
    let paths = contract.doc["paths"].as_object().unwrap();
    assert!(
        paths.len() >= 25,
        "the document lists {} paths",
        paths.len()
    );
    let token = app.token("admin").await;
    let mut operations = 0;
    let mut ids = std::collections::BTreeSet::new();
    for (path, item) in paths {
        let concrete = path
            .replace("{id}", &app.cn_referral.to_string())
            .replace("{request}", &app.cn_referral.to_string());
        for (method, op) in item.as_object().unwrap() {
            let Ok(m) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            operations += 1;
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(
                !id.is_empty() && ids.insert(id.to_string()),
                "{method} {path} has its own operationId ({id})"
            );
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path} documents its answers"
            );
            let body = (m == Method::POST).then(|| json!({}));
            let (status, answer) = send(&app, &token, m, &concrete, body).await;
            assert_ne!(
                status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is routed"
            );
            assert_ne!(
                answer["error"]["message"].as_str(),
                Some(web::api::NO_SUCH_ROUTE),
                "{method} {path} is routed, not the router's 404"
            );
            assert!(
                status.is_success() || answer["error"]["code"].is_string(),
                "{method} {path} answered {status} with the documented error shape: {answer}"
            );
        }
    }
    assert!(operations >= 29, "{operations} operations");
    // And the document served is the one the code generates.
    assert_eq!(
        contract.doc,
        serde_json::to_value(web::api::document()).unwrap()
    );
    assert!(contract.doc["openapi"].as_str().unwrap().starts_with("3.1"));
}

async fn real_answers_of_the_main_routes_match_their_documented_schemas(app: App) {
    let c = Contract::load(&app).await;
    let ok = StatusCode::OK;

    // Sign-in, and a wrong password.
    let client = reqwest::Client::new();
    let res = client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "central", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let (status, session): (StatusCode, Value) = (res.status(), res.json().await.unwrap());
    c.check("post", "/auth/login", status, &session);
    let central = session["token"].as_str().unwrap().to_string();
    let res = client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "central", "password": "not the password"}))
        .send()
        .await
        .unwrap();
    let (status, wrong): (StatusCode, Value) = (res.status(), res.json().await.unwrap());
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong["error"]["code"], "auth.invalid");
    c.check("post", "/auth/login", status, &wrong);
    let (s, me) = send(&app, &central, Method::GET, "/me", None).await;
    c.check("get", "/me", s, &me);

    // A report arrives as XML with IP events and a file; the queue and the referral.
    let (s, imported) = crate::triage::post_xml(
        &app,
        &central,
        &crate::triage::report_xml("contract@example.com", "2019-03-31T00:30:00-05:00"),
        "borough=Camden&report_id=CONTRACT-1",
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{imported}");
    c.check("post", "/referrals", s, &imported);
    let (s, again) = crate::triage::post_xml(
        &app,
        &central,
        &crate::triage::report_xml("contract@example.com", "2019-03-31T00:30:00-05:00"),
        "borough=Camden&report_id=CONTRACT-1",
    )
    .await;
    assert_eq!(s, ok, "a duplicate changes nothing");
    c.check("post", "/referrals", s, &again);
    let id = imported["imported"][0]["id"].as_str().unwrap().to_string();
    let base = format!("/referrals/{id}");
    let (s, queue) = send(&app, &central, Method::GET, "/referrals?limit=5", None).await;
    c.check("get", "/referrals", s, &queue);
    let (s, detail) = send(&app, &central, Method::GET, &base, None).await;
    c.check("get", "/referrals/{id}", s, &detail);
    assert_eq!(detail["ip_events"].as_array().map(Vec::len), Some(2));
    assert_eq!(detail["files"].as_array().map(Vec::len), Some(1));

    // Triage: the instrument, a refused incomplete assessment, a complete one and a sign-off.
    let inv = app.token("inv.cn").await;
    let sup = app.token("sup.cn").await;
    let (s, inst) = send(&app, &inv, Method::GET, &format!("{base}/instrument"), None).await;
    c.check("get", "/referrals/{id}/instrument", s, &inst);
    let (s, incomplete) = send(
        &app,
        &inv,
        Method::POST,
        &format!("{base}/assessment"),
        Some(json!({"answers": {}, "version": 1})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    c.check("post", "/referrals/{id}/assessment", s, &incomplete);
    let mut answers = serde_json::Map::new();
    for step in inst["instrument"]["steps"].as_array().unwrap() {
        for q in step["questions"].as_array().unwrap() {
            let qid = q["id"].as_str().unwrap();
            if inst["prefilled"]["answers"].get(qid).is_none() {
                let lowest = match q["kind"].as_str().unwrap() {
                    "number" => q["min"].clone(),
                    "choice" => q["options"][0]["id"].clone(),
                    _ => json!(false),
                };
                answers.insert(qid.into(), lowest);
            }
        }
    }
    let (s, assessed) = send(
        &app,
        &inv,
        Method::POST,
        &format!("{base}/assessment"),
        Some(json!({"answers": answers, "version": 1})),
    )
    .await;
    assert_eq!(s, ok, "{assessed}");
    c.check("post", "/referrals/{id}/assessment", s, &assessed);
    let (s, signed) = send(
        &app,
        &sup,
        Method::POST,
        &format!("{base}/assessment/decision"),
        Some(json!({"decision": "sign_off", "version": 2})),
    )
    .await;
    assert_eq!(s, ok, "{signed}");
    c.check("post", "/referrals/{id}/assessment/decision", s, &signed);
    let (s, inst) = send(&app, &inv, Method::GET, &format!("{base}/instrument"), None).await;
    assert_eq!(inst["assessments"].as_array().map(Vec::len), Some(1));
    c.check("get", "/referrals/{id}/instrument", s, &inst);
    let version = signed["version"].as_i64().unwrap();

    // A stale version is a documented conflict.
    let (s, stale) = send(
        &app,
        &sup,
        Method::POST,
        &format!("{base}/risk"),
        Some(json!({"level": "high", "reason": "Stale", "version": 1})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{stale}");
    c.check("post", "/referrals/{id}/risk", s, &stale);
    let (s, risk) = send(
        &app,
        &sup,
        Method::POST,
        &format!("{base}/risk"),
        Some(json!({"level": "high", "reason": "Contact with a child", "version": version})),
    )
    .await;
    assert_eq!(s, ok, "{risk}");
    c.check("post", "/referrals/{id}/risk", s, &risk);
    let (s, allocated) = send(
        &app,
        &sup,
        Method::POST,
        &format!("{base}/allocation"),
        Some(json!({"officer": "inv.cn", "version": risk["version"]})),
    )
    .await;
    assert_eq!(s, ok, "{allocated}");
    c.check("post", "/referrals/{id}/allocation", s, &allocated);

    // Identification: communications data, its answer, a check, and how an address stands.
    let event = detail["ip_events"][0]["id"].as_str().unwrap();
    let (s, req) = send(
        &app,
        &inv,
        Method::POST,
        &format!("{base}/cd-requests"),
        Some(json!({"ip_event_id": event, "provider": "Example Telecom"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{req}");
    c.check("post", "/referrals/{id}/cd-requests", s, &req);
    let (s, answered) = send(
        &app,
        &inv,
        Method::POST,
        &format!("{base}/cd-requests/{}/answer", req["id"].as_str().unwrap()),
        Some(json!({"subscriber": "A. Subscriber", "address": "1 Test Street"})),
    )
    .await;
    c.check(
        "post",
        "/referrals/{id}/cd-requests/{request}/answer",
        s,
        &answered,
    );
    let (s, list) = send(
        &app,
        &inv,
        Method::GET,
        &format!("{base}/cd-requests"),
        None,
    )
    .await;
    c.check("get", "/referrals/{id}/cd-requests", s, &list);
    let (s, check) = send(
        &app,
        &inv,
        Method::POST,
        &format!("{base}/corroborations"),
        Some(json!({"address": "1 Test Street", "method": "electoral roll", "detail": "Registered there"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{check}");
    c.check("post", "/referrals/{id}/corroborations", s, &check);
    let (s, stands) = send(
        &app,
        &inv,
        Method::GET,
        &format!("{base}/corroboration?address=1%20test%20street"),
        None,
    )
    .await;
    c.check("get", "/referrals/{id}/corroboration", s, &stands);
    assert_eq!(stands["corroborated"], true);

    // Enforcement, the outcome, and the timeline of it all.
    let (s, enforced) = send(
        &app,
        &inv,
        Method::POST,
        &format!("{base}/enforcement"),
        Some(
            json!({"kind": "warrant", "address": "1 Test Street", "version": allocated["version"]}),
        ),
    )
    .await;
    assert_eq!(s, ok, "{enforced}");
    c.check("post", "/referrals/{id}/enforcement", s, &enforced);
    let (s, closed) = send(
        &app,
        &inv,
        Method::POST,
        &format!("{base}/outcome"),
        Some(json!({"code": "1", "rationale": "Charged", "version": enforced["version"]})),
    )
    .await;
    assert_eq!(s, ok, "{closed}");
    c.check("post", "/referrals/{id}/outcome", s, &closed);
    let (s, timeline) = send(&app, &inv, Method::GET, &format!("{base}/timeline"), None).await;
    c.check("get", "/referrals/{id}/timeline", s, &timeline);

    // Subjects and a link decision.
    let (subject, _, link) = crate::linking::suggested_pair(&app).await;
    let (s, shown) = send(
        &app,
        &inv,
        Method::GET,
        &format!("/subjects/{subject}"),
        None,
    )
    .await;
    assert_eq!(s, ok, "{shown}");
    c.check("get", "/subjects/{id}", s, &shown);
    let (s, decided) = send(
        &app,
        &inv,
        Method::POST,
        &format!("/links/{link}/decision"),
        Some(json!({"decision": "reject", "reason": "Different people"})),
    )
    .await;
    assert_eq!(s, ok, "{decided}");
    c.check("post", "/links/{id}/decision", s, &decided);
    let (s, twice) = send(
        &app,
        &inv,
        Method::POST,
        &format!("/links/{link}/decision"),
        Some(json!({"decision": "reject", "reason": "Again"})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    c.check("post", "/links/{id}/decision", s, &twice);

    // The log, the figures and the accounts, each for its role; and the refusals.
    let dpo = app.token("dpo").await;
    let (s, log) = send(&app, &dpo, Method::GET, "/audit?limit=20", None).await;
    assert_eq!(s, ok, "{log}");
    c.check("get", "/audit", s, &log);
    let (s, refused) = send(&app, &inv, Method::GET, "/audit", None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    c.check("get", "/audit", s, &refused);
    let oversight = app.token("oversight").await;
    let (s, stats) = send(&app, &oversight, Method::GET, "/stats", None).await;
    assert_eq!(s, ok, "{stats}");
    c.check("get", "/stats", s, &stats);
    let admin = app.token("admin").await;
    let (s, users) = send(&app, &admin, Method::GET, "/users", None).await;
    c.check("get", "/users", s, &users);
    let (s, created) = send(
        &app,
        &admin,
        Method::POST,
        "/users",
        Some(json!({"username": "new.officer", "display_name": "New Officer", "role": "investigator", "bcu": "cn", "password": "violet tractor ninety harbour"})),
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{created}");
    c.check("post", "/users", s, &created);
    let (s, list) = send(&app, &admin, Method::GET, "/account-requests", None).await;
    c.check("get", "/account-requests", s, &list);
    let request = created["request"]["id"].as_str().unwrap();
    let (s, own) = send(
        &app,
        &admin,
        Method::POST,
        &format!("/account-requests/{request}/approve"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{own}");
    c.check("post", "/account-requests/{id}/approve", s, &own);
    let admin2 = app.token("admin2").await;
    let (s, approved) = send(
        &app,
        &admin2,
        Method::POST,
        &format!("/account-requests/{request}/approve"),
        None,
    )
    .await;
    assert_eq!(s, ok, "{approved}");
    c.check("post", "/account-requests/{id}/approve", s, &approved);
    let new_id = approved["id"].as_str().unwrap().to_string();
    let (s, detail) = send(&app, &admin, Method::GET, &format!("/users/{new_id}"), None).await;
    c.check("get", "/users/{id}", s, &detail);
    let (s, oversight_made) = send(
        &app,
        &admin,
        Method::POST,
        "/users",
        Some(json!({"username": "mayor.office", "display_name": "Mayor's Office", "role": "oversight", "password": "violet tractor ninety harbour"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{oversight_made}");
    c.check("post", "/users", s, &oversight_made);
    let (s, disabled) = send(
        &app,
        &admin,
        Method::POST,
        &format!("/users/{new_id}/disable"),
        Some(json!({"confirm": true})),
    )
    .await;
    assert_eq!(s, ok, "{disabled}");
    c.check("post", "/users/{id}/disable", s, &disabled);
    let (s, enable) = send(
        &app,
        &admin,
        Method::POST,
        &format!("/users/{new_id}/enable"),
        Some(json!({"confirm": true})),
    )
    .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{enable}");
    c.check("post", "/users/{id}/enable", s, &enable);
    let (s, rejected) = send(
        &app,
        &admin2,
        Method::POST,
        &format!(
            "/account-requests/{}/reject",
            enable["request"]["id"].as_str().unwrap()
        ),
        Some(json!({"reason": "Left the force"})),
    )
    .await;
    assert_eq!(s, ok, "{rejected}");
    c.check("post", "/account-requests/{id}/reject", s, &rejected);
    let (s, unlocked) = send(
        &app,
        &admin,
        Method::POST,
        &format!("/users/{new_id}/unlock"),
        Some(json!({"confirm": true})),
    )
    .await;
    assert_eq!(s, ok, "{unlocked}");
    c.check("post", "/users/{id}/unlock", s, &unlocked);
    let (s, missing) = send(
        &app,
        &inv,
        Method::GET,
        &format!("/referrals/{}", domain::ReferralId::new()),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    c.check("get", "/referrals/{id}", s, &missing);
    let (s, bad_query) = send(&app, &inv, Method::GET, "/referrals?limit=abc", None).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    c.check("get", "/referrals", s, &bad_query);
    let (s, signed_out) = send(&app, &central, Method::POST, "/auth/logout", None).await;
    c.check("post", "/auth/logout", s, &signed_out);
    let (s, gone) = send(&app, &central, Method::GET, "/me", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    c.check("get", "/me", s, &gone);
}

async fn a_json_package_built_from_the_documented_schema_is_imported(app: App) {
    let package = web::api::model::Package {
        source: "manual".into(),
        package_ref: Some("PKG-DOC".into()),
        received_at: "2026-11-20T09:30:00Z".into(),
        borough: Some("Camden".into()),
        reports: vec![web::api::model::PackageReport {
            report_id: "DOC-1".into(),
            narrative: Some("Walk-in report (synthetic).".into()),
            report: json!({"incidentSummary": {"incidentType": "Child Sex Tourism", "incidentDateTime": "2026-11-19T21:00:00Z"}}),
        }],
    };
    let central = app.token("central").await;
    let (s, body) = send(
        &app,
        &central,
        Method::POST,
        "/referrals",
        Some(serde_json::to_value(&package).unwrap()),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let contract = Contract::load(&app).await;
    let schema = &contract.doc["paths"]["/referrals"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    let mut root = schema.clone();
    root["components"] = contract.doc["components"].clone();
    assert!(
        jsonschema::draft202012::is_valid(&root, &serde_json::to_value(&package).unwrap()),
        "the package validates against the documented request body"
    );
}

stories!(
    every_documented_path_and_method_is_a_route_of_the_server,
    real_answers_of_the_main_routes_match_their_documented_schemas,
    a_json_package_built_from_the_documented_schema_is_imported,
);
