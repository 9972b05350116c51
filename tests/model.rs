//! `meshlint model --format json`: the document validates against `schema/model-v1.json` for
//! every fixture project and every fixture case, is byte-identical across runs, and says
//! what meshlint evaluated (values, provenance, links between apps and tasks).

mod common;

use common::cli::*;
use common::{copy_to_temp, repo_root};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo_root().join("schema/model-v1.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn model(dir: &Path) -> Value {
    let options = meshlint::Options {
        paths: vec![dir.to_path_buf()],
        base: repo_root(),
        ..Default::default()
    };
    let report = meshlint::check(&options).expect("the run succeeds");
    meshlint::export::document(&report.project)
}

/// Every folder of the fixtures that holds a case: `fixtures/<rule>/<case>`, the projects,
/// and the language server's test project.
fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![repo_root().join("tests/lsp/project")];
    for rule in std::fs::read_dir(repo_root().join("fixtures")).unwrap() {
        let rule = rule.unwrap().path();
        for case in std::fs::read_dir(&rule).unwrap() {
            let case = case.unwrap().path();
            if case.is_dir() {
                dirs.push(case);
            }
        }
    }
    dirs.sort();
    dirs
}

#[test]
fn every_fixture_model_validates_against_the_schema() {
    let validator = validator();
    let dirs = fixture_dirs();
    assert!(dirs.len() > 100, "found {} fixture folders", dirs.len());
    let mut failures = Vec::new();
    let mut tasks = 0;
    for dir in &dirs {
        let document = model(dir);
        for error in validator.iter_errors(&document) {
            failures.push(format!("{}: {}: {error}", dir.display(), error.instance_path()));
        }
        tasks += document["modules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["mesh_tasks"].as_array().unwrap().len())
            .sum::<usize>();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(tasks > 100, "the fixtures model {tasks} mesh tasks");
}

#[test]
fn the_schema_rejects_what_the_document_must_not_hold() {
    let validator = validator();
    let mut document = model(&repo_root().join("tests/lsp/project"));
    assert!(validator.is_valid(&document));
    document["modules"][0]["mesh_tasks"][0]["inputs"]["family"] = serde_json::json!({ "value": 1 });
    assert!(
        !validator.is_valid(&document),
        "an evaluated value without its span"
    );
    document["model_version"] = serde_json::json!(2);
    assert!(!validator.is_valid(&document));
}

#[test]
fn the_model_says_what_meshlint_evaluated_and_links_apps_to_tasks() {
    let output = meshlint(&["model"], &repo_root().join("tests/lsp/project"));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let document = json(&output);
    let again = meshlint(
        &["model", "--format", "json"],
        &repo_root().join("tests/lsp/project"),
    );
    assert_eq!(stdout(&output), stdout(&again), "byte-identical across runs");

    let infra = &document["modules"][0];
    assert_eq!(infra["dir"], "infra");
    let web = infra["mesh_tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "web")
        .expect("the web task");
    assert_eq!(web["releases"], serde_json::json!(["0.1.1"]));
    // A value written in a local: the value, where it is written, and the local it came through.
    let family = &web["inputs"]["family"];
    assert_eq!(family["value"], "web");
    assert_eq!(family["span"]["file"], "infra/web.tf");
    assert_eq!(family["span"]["start"]["line"], 3);
    assert_eq!(family["origins"][0]["what"], "local `web_family`");
    // Known only after apply: the reason, never a guess.
    let role = &web["inputs"]["task_role_arn"];
    assert!(role["value"].is_null());
    assert!(role["unknown"].as_str().unwrap().contains("after apply"));
    assert_eq!(web["task_role"], "aws_iam_role.this_task");
    assert_eq!(
        web["upstreams"][0]["destination"], "backend",
        "{}",
        web["upstreams"]
    );
    assert_eq!(web["upstreams"][0]["local_bind_port"], 8080);
    let container = &web["containers"][0];
    assert_eq!(
        container["environment"]["BACKEND_URL"]["value"],
        "http://localhost:8080"
    );
    assert_eq!(container["container_ports"], serde_json::json!([9090]));

    // The Go source is linked to web, with where it listens and whom it calls.
    let app = &document["apps"][0];
    assert_eq!(app["file"], "services/web/main.go");
    assert_eq!(app["kind"], "go");
    assert_eq!(
        app["task"],
        serde_json::json!({ "module": "infra", "task": "web" })
    );
    assert_eq!(app["listeners"][0]["binding"], "other");
    assert_eq!(app["endpoints"][0]["host_class"], "loopback");
    assert_eq!(app["endpoints"][0]["port"], 8080);

    // The role's outcome for what the v0.1 tasks need.
    let role = &infra["iam_roles"][0];
    assert_eq!(role["need"], "ecs-discovery");
    assert!(role["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["outcome"] == "allowed"));
}

#[test]
fn a_model_of_a_missing_path_fails_the_run() {
    let output = run(&["model", "no/such/dir"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("path does not exist"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_streamed_document_is_the_document() {
    for dir in [
        "tests/lsp/project",
        "fixtures/projects/for-each-services",
        "fixtures/projects/wrapper-module",
    ] {
        let options = meshlint::Options {
            paths: vec![repo_root().join(dir)],
            base: repo_root(),
            ..Default::default()
        };
        let report = meshlint::check(&options).expect("the run succeeds");
        let whole = serde_json::to_string(&meshlint::export::document(&report.project)).unwrap() + "\n";
        assert_eq!(meshlint::export::render(&report), whole, "{dir}");
    }
}

#[test]
fn the_model_holds_load_balancers_and_the_dev_servers_inputs() {
    let dir = repo_root().join("fixtures/projects/official-v0.10.0-dev-server-fargate");
    let document = model(&dir);
    let module = &document["modules"][0];
    let dev_server = module["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["consul_ecs_module"] == "dev-server")
        .expect("the dev server call");
    assert_eq!(dev_server["inputs"]["lb_enabled"]["value"], true);
    assert_eq!(
        dev_server["inputs"]["name"]["value"], "consul-ecs-consul-server",
        "{}",
        dev_server["inputs"]["name"]
    );
    let mesh_task = module["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["consul_ecs_module"] == "mesh-task")
        .expect("a mesh-task call");
    assert!(mesh_task["inputs"].is_null(), "mesh-task inputs are per task");
    let balanced: Vec<&Value> = module["ecs_services"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["load_balancers"].as_array().unwrap())
        .collect();
    assert_eq!(balanced.len(), 1);
    assert_eq!(balanced[0]["container_name"]["value"], "client");
    assert_eq!(balanced[0]["container_port"]["value"], 9090);
    assert!(balanced[0]["target_group_arn"]["unknown"].is_string());
    assert_eq!(balanced[0]["span"]["start"]["line"], 105);
}

/// Config entries per module, and each call edge with the verdict and the intention behind
/// it: the typed resources built by `for_each` and `dynamic "sources"` included.
#[test]
fn the_model_holds_config_entries_and_each_edges_verdict() {
    let dir = repo_root().join("fixtures/upstream-denied-by-intentions/bad-for-each-intentions-from-a-map");
    let document = model(&dir);
    let entries = document["modules"][0]["config_entries"].as_array().unwrap();
    let addresses: Vec<&str> = entries.iter().map(|e| e["address"].as_str().unwrap()).collect();
    assert_eq!(
        addresses,
        [
            "consul_config_entry_service_intentions.deny_all",
            "consul_config_entry_service_intentions.allow[\"product-api\"]",
            "consul_config_entry_service_intentions.allow[\"public-api\"]",
        ]
    );
    let allow = &entries[1];
    assert_eq!(allow["form"], "typed");
    assert_eq!(allow["name"]["value"], "product-api");
    assert_eq!(allow["sources"][0]["name"]["value"], "public-api");
    assert_eq!(allow["sources"][0]["action"]["value"], "allow");

    let edges = document["call_edges"].as_array().unwrap();
    let verdicts: Vec<(String, &str)> = edges
        .iter()
        .map(|e| {
            (
                format!(
                    "{} → {}",
                    e["source"]["name"].as_str().unwrap(),
                    e["destination"]["name"].as_str().unwrap()
                ),
                e["decision"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("frontend → public-api".to_string(), "allowed"),
            ("public-api → product-api".to_string(), "allowed"),
            ("public-api → payments".to_string(), "denied"),
        ]
    );
    let denied = &edges[2];
    assert_eq!(
        denied["decided_by"]["entry"],
        "consul_config_entry_service_intentions.deny_all"
    );
    assert_eq!(denied["decided_by"]["precedence"], 5);
    assert_eq!(denied["via"], "upstream");
    assert_eq!(denied["span"]["start"]["line"], 10);
}

/// A team's policy over the edges: every call must be allowed by an exact intention.
#[test]
fn a_policy_can_require_every_edge_to_be_allowed_exactly() {
    let dir = copy_to_temp(
        &repo_root().join("fixtures/upstream-denied-by-intentions/good-hashicups-deny-all-plus-allows"),
    );
    let policies = dir.path().join(".meshlint/policies");
    std::fs::create_dir_all(&policies).unwrap();
    std::fs::write(
        policies.join("exact.rego"),
        r#"package org.exact

__meshlint__ := {"id": "org/exact-intentions", "severity": "warning", "title": "every call allowed by an exact intention"}

deny contains {"msg": sprintf("%s → %s is not allowed by an exact intention", [e.source.name, e.destination.name]), "at": e} if {
	some e in input.call_edges
	not exact(e)
}

exact(e) if {
	e.decision == "allowed"
	e.decided_by.precedence == 9
}
"#,
    )
    .unwrap();
    let clean = meshlint(&["check", "--format", "concise"], dir.path());
    assert_eq!(code(&clean), 0, "{}", stdout(&clean));
    // A wildcard allow instead of the exact one for `payments`.
    let main = dir.path().join("main.tf");
    let text = std::fs::read_to_string(&main).unwrap();
    let wildcard = text.replacen(
        "name = \"payments\"\n  kind = \"service-intentions\"\n  config_json = jsonencode({\n    Sources = [\n      { Name = \"public-api\"",
        "name = \"payments\"\n  kind = \"service-intentions\"\n  config_json = jsonencode({\n    Sources = [\n      { Name = \"*\"",
        1,
    );
    assert_ne!(wildcard, text);
    std::fs::write(&main, wildcard).unwrap();
    let out = meshlint(&["check", "--format", "concise"], dir.path());
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(
        stdout(&out)
            .contains("org/exact-intentions] public-api → payments is not allowed by an exact intention"),
        "{}",
        stdout(&out)
    );
}
