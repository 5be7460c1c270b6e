//! The shape of the code, checked: dependencies between the workspace's crates run one way, down, as
//! docs/architecture.md draws them. A crate that gains an edge the shape does not allow fails this test;
//! a later change that needs a new edge adds it here, in the same commit, with the reason.

use serde_json::Value;

/// What each crate may depend on (normal and build dependencies), among the workspace's own crates.
const ALLOWED: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("intake", &["domain"]),
    ("store", &["domain"]),
    ("media", &[]),
    ("pdf", &[]),
    ("app", &["domain", "intake", "store", "media"]),
    ("web", &["app", "domain", "pdf"]),
    ("demo", &["app", "store", "domain"]),
    ("cli", &["app", "domain", "media", "web", "demo"]),
];

/// Test-only edges: the web and command-line suites set up fixtures and inspect (or tamper with) the
/// database directly, as an operator or an intruder would.
const ALLOWED_FOR_TESTS: &[(&str, &[&str])] = &[("web", &["store"]), ("cli", &["store"])];

/// Every dependency between workspace crates that the shape does not allow, as `from -> to (kind)`.
fn forbidden_edges(metadata: &Value) -> Vec<String> {
    let packages = metadata["packages"]
        .as_array()
        .expect("cargo metadata lists packages");
    let members: Vec<&str> = packages.iter().filter_map(|p| p["name"].as_str()).collect();
    let allowed = |table: &[(&str, &[&str])], from: &str, to: &str| {
        table.iter().any(|(f, tos)| *f == from && tos.contains(&to))
    };
    let mut bad = vec![];
    for p in packages {
        let from = p["name"].as_str().unwrap_or_default();
        if !ALLOWED.iter().any(|(f, _)| *f == from) {
            bad.push(format!("{from} is not in the shape: add it to ALLOWED"));
        }
        for d in p["dependencies"].as_array().into_iter().flatten() {
            let to = d["name"].as_str().unwrap_or_default();
            if !members.contains(&to) {
                continue;
            }
            let kind = d["kind"].as_str().unwrap_or("normal");
            let ok = match kind {
                "dev" => allowed(ALLOWED, from, to) || allowed(ALLOWED_FOR_TESTS, from, to),
                _ => allowed(ALLOWED, from, to),
            };
            if !ok {
                bad.push(format!("{from} -> {to} ({kind})"));
            }
        }
    }
    bad
}

fn workspace_metadata() -> Value {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

#[test]
fn the_crates_depend_on_each_other_only_downwards() {
    let bad = forbidden_edges(&workspace_metadata());
    assert!(
        bad.is_empty(),
        "dependencies the shape does not allow (docs/architecture.md): {bad:?}"
    );
}

#[test]
fn every_crate_of_the_workspace_is_checked() {
    let meta = workspace_metadata();
    let names: Vec<&str> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    for (name, _) in ALLOWED {
        assert!(
            names.contains(name),
            "{name} is in the shape but not in the workspace"
        );
    }
    assert_eq!(names.len(), ALLOWED.len());
}

fn metadata_with(edges: &[(&str, &str, Option<&str>)]) -> Value {
    let names = [
        "domain", "intake", "store", "media", "pdf", "app", "web", "demo", "cli",
    ];
    let packages: Vec<Value> = names
        .iter()
        .map(|n| {
            let deps: Vec<Value> = edges
                .iter()
                .filter(|(from, _, _)| from == n)
                .map(|(_, to, kind)| serde_json::json!({"name": to, "kind": kind}))
                .collect();
            serde_json::json!({"name": n, "dependencies": deps})
        })
        .collect();
    serde_json::json!({ "packages": packages })
}

#[test]
fn the_web_crate_reaching_the_store_is_refused() {
    let meta = metadata_with(&[("web", "app", None), ("web", "store", None)]);
    assert_eq!(forbidden_edges(&meta), vec!["web -> store (normal)"]);
}

#[test]
fn the_store_reaching_intake_or_the_command_line_reaching_web_types_through_intake_is_refused() {
    let meta = metadata_with(&[
        ("store", "intake", None),
        ("cli", "intake", None),
        ("domain", "serde", None),
    ]);
    assert_eq!(
        forbidden_edges(&meta),
        vec!["store -> intake (normal)", "cli -> intake (normal)"]
    );
}

#[test]
fn a_test_only_edge_is_allowed_only_as_a_dev_dependency() {
    let meta = metadata_with(&[("web", "store", Some("dev")), ("app", "web", Some("dev"))]);
    assert_eq!(forbidden_edges(&meta), vec!["app -> web (dev)"]);
}
