//! `meshlint model --format json`: the document validates against `schema/model-v1.json` for
//! every fixture project and every fixture case, is byte-identical across runs, and says
//! what meshlint evaluated (values, provenance, links between apps and tasks).

mod common;

use common::cli::*;
use common::repo_root;
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
