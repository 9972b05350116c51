//! Teams' Rego policies, end to end on the real binary: findings in every format, selection,
//! severity, suppression, exit codes, errors and limits; `meshlint policy test` and `eval`;
//! and the policy library under `policies/`, each policy on its bad and good fixtures.

mod common;

use common::cli::{code, json, meshlint, stderr, stdout};
use common::*;
use std::path::Path;

const MAIN_TF: &str = r#"variable "orders_port" {
  type    = number
  default = 9090
}

module "orders" {
  source  = "hashicorp/consul-ecs/aws//modules/mesh-task"
  version = "0.10.0"

  family                   = "orders"
  requires_compatibilities = ["FARGATE"]
  enable_transparent_proxy = false
  container_definitions = [
    {
      name      = "orders"
      image     = "docker.io/example/orders:1.4.2"
      essential = true
      portMappings = [
        {
          containerPort = 9090
          protocol      = "tcp"
        }
      ]
    }
  ]
  port                = var.orders_port
  consul_server_hosts = "server.consul.internal"
}
"#;

const TLS_POLICY: &str = r#"package org.tls

__meshlint__ := {
	"id": "org/mesh-tls",
	"severity": "error",
	"title": "mesh tasks enable TLS",
	"help": "set `tls = true` on the mesh-task call",
	"url": "https://policies.example.com/mesh-tls",
}

deny contains {"msg": sprintf("mesh task %s does not enable TLS", [task.name]), "at": task.span} if {
	some module in input.modules
	some task in module.mesh_tasks
	not task.inputs.tls
}

warn contains {"msg": sprintf("%s listens on port %d", [task.name, task.inputs.port.value]), "at": task.inputs.port} if {
	some module in input.modules
	some task in module.mesh_tasks
	task.inputs.port.value == 9090
}
"#;

/// A project with `main.tf` and the policy in `.meshlint/policies/tls.rego`.
fn project(policy: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("main.tf"), MAIN_TF).unwrap();
    write_policy(dir.path(), "tls.rego", policy);
    dir
}

fn write_policy(dir: &Path, name: &str, text: &str) {
    let policies = dir.join(".meshlint/policies");
    std::fs::create_dir_all(&policies).unwrap();
    std::fs::write(policies.join(name), text).unwrap();
}

/// The standing findings (JSON also lists the suppressed ones) as (rule, severity, line).
fn rules_and_lines(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["suppressed"].is_null())
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn policy_findings_point_at_the_model_span_with_provenance() {
    let dir = project(TLS_POLICY);
    let out = meshlint(&["check", "--format", "json"], dir.path());
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        rules_and_lines(&report),
        vec![
            ("org/mesh-tls".into(), "warning".into(), 3),
            ("org/mesh-tls".into(), "error".into(), 6),
        ]
    );
    let tls = &report["diagnostics"][1];
    assert_eq!(tls["message"], "mesh task orders does not enable TLS");
    assert_eq!(tls["help"], "set `tls = true` on the mesh-task call");
    assert_eq!(tls["url"], "https://policies.example.com/mesh-tls");
    // A module call is pointed at by its header, as built-in rules do.
    assert_eq!(tls["range"]["end"]["line"], 6);
    assert_eq!(tls["range"]["end"]["column"], 16);
    // The port came from a variable default: the finding is on the default itself.
    let port = &report["diagnostics"][0];
    assert_eq!(port["range"]["start"]["column"], 13);
    assert_eq!(port["message"], "orders listens on port 9090");
}

#[test]
fn policy_findings_go_through_every_format() {
    let dir = project(TLS_POLICY);
    let human = stdout(&meshlint(&["check", "--no-color"], dir.path()));
    assert!(
        human.contains("error[org/mesh-tls]: mesh task orders does not enable TLS"),
        "{human}"
    );
    assert!(human.contains("main.tf:6:1"), "{human}");
    let concise = stdout(&meshlint(&["check", "--format", "concise"], dir.path()));
    assert!(
        concise.contains("main.tf:6:1: error[org/mesh-tls] mesh task orders does not enable TLS"),
        "{concise}"
    );
    let github = stdout(&meshlint(&["check", "--format", "github"], dir.path()));
    assert!(github.contains("::error file=main.tf,line=6"), "{github}");
    assert!(github.contains("title=org/mesh-tls"), "{github}");
    let sarif = json(&meshlint(&["check", "--format", "sarif"], dir.path()));
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let index = rules
        .iter()
        .position(|r| r["id"] == "org/mesh-tls")
        .expect("the policy is a rule");
    assert_eq!(rules[index]["helpUri"], "https://policies.example.com/mesh-tls");
    assert_eq!(rules[index]["shortDescription"]["text"], "mesh tasks enable TLS");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert!(results
        .iter()
        .all(|r| r["ruleId"] == "org/mesh-tls" && r["ruleIndex"] == index));
}

#[test]
fn select_ignore_severity_and_suppression_work_on_policy_ids() {
    let dir = project(TLS_POLICY);
    let ignored = meshlint(&["check", "--ignore", "org/mesh-tls"], dir.path());
    assert_eq!(code(&ignored), 0, "{}", stdout(&ignored));
    let selected = json(&meshlint(
        &["check", "--format", "json", "--select", "org/mesh-tls"],
        dir.path(),
    ));
    assert_eq!(rules_and_lines(&selected).len(), 2);
    let only_builtin = json(&meshlint(
        &["check", "--format", "json", "--select", "port-not-string"],
        dir.path(),
    ));
    assert!(rules_and_lines(&only_builtin).is_empty());

    std::fs::write(
        dir.path().join(".meshlint.toml"),
        "fail-on = \"error\"\n\n[severity]\n\"org/mesh-tls\" = \"info\"\n",
    )
    .unwrap();
    let softened = meshlint(&["check", "--format", "json"], dir.path());
    assert_eq!(code(&softened), 0, "info findings do not fail the run");
    assert!(rules_and_lines(&json(&softened))
        .iter()
        .all(|(_, severity, _)| severity == "info"));
    std::fs::remove_file(dir.path().join(".meshlint.toml")).unwrap();

    let suppressed = MAIN_TF.replace(
        "module \"orders\" {",
        "# meshlint-ignore: org/mesh-tls -- TLS arrives with the v0.11 upgrade\nmodule \"orders\" {",
    );
    std::fs::write(dir.path().join("main.tf"), suppressed).unwrap();
    let report = json(&meshlint(&["check", "--format", "json"], dir.path()));
    assert_eq!(
        rules_and_lines(&report),
        vec![("org/mesh-tls".into(), "warning".into(), 3)]
    );
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn a_suppression_naming_no_loaded_policy_is_reported() {
    let dir = project(TLS_POLICY);
    let text = MAIN_TF.replace(
        "module \"orders\" {",
        "# meshlint-ignore: org/mesh-tsl -- typo\nmodule \"orders\" {",
    );
    std::fs::write(dir.path().join("main.tf"), text).unwrap();
    let report = json(&meshlint(&["check", "--format", "json"], dir.path()));
    let unused: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "unused-suppression")
        .collect();
    assert_eq!(unused.len(), 1, "{report}");
    assert!(unused[0]["message"]
        .as_str()
        .unwrap()
        .contains("is no policy of this run"));
    assert_eq!(unused[0]["help"], "did you mean `org/mesh-tls`?");
}

#[test]
fn policies_listed_in_the_configuration_and_their_data_are_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), MAIN_TF).unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    std::fs::write(
        dir.path().join("rules/registry.rego"),
        r#"package org.registry

__meshlint__ := {"id": "org/registry", "title": "images come from our registry"}

deny contains {"msg": sprintf("%s is not from %s", [container.image.value, data.meshlint.registry]), "at": container.image} if {
	some module in input.modules
	some task in module.mesh_tasks
	some container in task.containers
	not startswith(container.image.value, data.meshlint.registry)
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rules/data.json"),
        r#"{"meshlint": {"registry": "111111111111.dkr.ecr.us-east-1.amazonaws.com/"}}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join(".meshlint.toml"), "policies = [\"rules\"]\n").unwrap();
    let report = json(&meshlint(&["check", "--format", "json"], dir.path()));
    assert_eq!(
        rules_and_lines(&report),
        vec![("org/registry".into(), "error".into(), 16)]
    );
    assert_eq!(
        report["diagnostics"][0]["message"],
        "docker.io/example/orders:1.4.2 is not from 111111111111.dkr.ecr.us-east-1.amazonaws.com/"
    );
}

#[test]
fn a_policy_that_does_not_compile_fails_the_run_with_its_place() {
    let dir = project("package org.bad\n\ndeny contains x if {\n  x := input.modules[0\n}\n");
    let out = meshlint(&["check"], dir.path());
    assert_eq!(code(&out), 2);
    let error = stderr(&out);
    assert!(
        error.contains("policy error: .meshlint/policies/tls.rego:4:"),
        "{error}"
    );
    assert!(error.contains("x := input.modules[0"), "{error}");

    let dir = project("package org.bad\n\ndeny contains \"x\" if {\n  true\n}\n");
    let error = stderr(&meshlint(&["check"], dir.path()));
    assert!(error.contains("yields `deny` but declares no id"), "{error}");

    let dir = project(
        "package org.bad\n\n__meshlint__ := {\"id\": \"bad\"}\n\ndeny contains \"x\" if {\n  true\n}\n",
    );
    let error = stderr(&meshlint(&["check"], dir.path()));
    assert!(error.contains("must be `namespace/name`"), "{error}");
}

#[test]
fn an_unknown_policy_id_in_settings_fails_the_run() {
    let dir = project(TLS_POLICY);
    let out = meshlint(&["check", "--select", "org/mesh-tl"], dir.path());
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no policy has the id `org/mesh-tl`; did you mean `org/mesh-tls`?"));
}

#[test]
fn a_policy_that_fails_while_evaluating_is_a_finding_and_the_others_still_run() {
    let dir = project(TLS_POLICY);
    write_policy(
        dir.path(),
        "broken.rego",
        "package org.broken\n\n__meshlint__ := {\"id\": \"org/broken\"}\n\ndeny contains x if {\n  x := nosuch.func(1)\n}\n",
    );
    let out = meshlint(&["check", "--format", "json"], dir.path());
    assert_eq!(code(&out), 1);
    let report = json(&out);
    let rules: Vec<String> = rules_and_lines(&report).into_iter().map(|(r, _, _)| r).collect();
    assert_eq!(rules, vec!["policy-error", "org/mesh-tls", "org/mesh-tls"]);
    let error = &report["diagnostics"][0];
    assert_eq!(error["file"], ".meshlint/policies/broken.rego");
    assert!(
        error["notes"][0]
            .as_str()
            .unwrap()
            .contains("could not find function nosuch.func"),
        "{error}"
    );
}

#[test]
fn an_endless_evaluation_is_stopped_by_the_time_limit() {
    let dir = project(
        "package org.slow\n\n__meshlint__ := {\"id\": \"org/slow\"}\n\ndeny contains \"x\" if {\n  count([i | some i in numbers.range(1, 100000); some j in numbers.range(1, 100000); i == j + 1]) < 0\n}\n",
    );
    let out = meshlint(&["check", "--format", "json"], dir.path());
    assert_eq!(code(&out), 1);
    let report = json(&out);
    assert_eq!(report["diagnostics"][0]["rule"], "policy-error");
    assert!(
        report["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("took longer than 10 s"),
        "{report}"
    );
}

#[test]
fn policy_test_runs_test_rules_with_a_fixture_model_as_input() {
    let dir = project(TLS_POLICY);
    let fixture = dir.path().join("fixtures/plain");
    std::fs::create_dir_all(&fixture).unwrap();
    std::fs::write(fixture.join("main.tf"), MAIN_TF).unwrap();
    write_policy(
        dir.path(),
        "tls_test.rego",
        "# meshlint-input: ../../fixtures/plain\npackage org.tls_test\n\ntest_denied if {\n  count(data.org.tls.deny) == 1\n}\n\ntest_wrong if {\n  count(data.org.tls.deny) == 5\n}\n\ntest_unit if {\n  count(data.org.tls.deny) == 0 with input as {\"modules\": []}\n}\n",
    );
    let out = meshlint(&["policy", "test"], dir.path());
    let text = stdout(&out);
    assert_eq!(code(&out), 1, "{text}{}", stderr(&out));
    assert!(text.contains("PASS data.org.tls_test.test_denied"), "{text}");
    assert!(text.contains("FAIL data.org.tls_test.test_wrong"), "{text}");
    assert!(text.contains("PASS data.org.tls_test.test_unit"), "{text}");
    assert!(text.ends_with("2/3 tests passed, 1 failed\n"), "{text}");
}

#[test]
fn policy_eval_answers_a_query_over_the_model() {
    let dir = project(TLS_POLICY);
    let out = meshlint(
        &[
            "policy",
            "eval",
            "[t.name | some m in input.modules; some t in m.mesh_tasks]",
        ],
        dir.path(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let results = json(&out);
    assert_eq!(
        results["result"][0]["expressions"][0]["value"],
        serde_json::json!(["orders"])
    );
    let out = meshlint(&["policy", "eval", "count(data.org.tls.deny)"], dir.path());
    assert_eq!(json(&out)["result"][0]["expressions"][0]["value"], 1);
    // From elsewhere, the policies are those of the project named.
    let project = dir.path().to_str().unwrap();
    let out = meshlint(
        &["policy", "eval", "count(data.org.tls.deny)", project],
        &repo_root(),
    );
    assert_eq!(
        json(&out)["result"][0]["expressions"][0]["value"],
        1,
        "{}",
        stderr(&out)
    );
}

/// Each policy of the library: its bad fixtures give exactly their `expect:` markers, its
/// good ones nothing.
#[test]
fn library_policies_find_exactly_what_their_fixtures_mark() {
    let library = repo_root().join("policies");
    let mut failures = String::new();
    let mut cases = 0;
    for policy in subdirs(&library) {
        let fixtures = subdirs(&policy.join("fixtures"));
        assert!(
            fixtures.iter().any(|f| f.ends_with_name("bad-"))
                && fixtures.iter().any(|f| f.ends_with_name("good-")),
            "{}: needs bad- and good- fixtures",
            policy.display()
        );
        for case in fixtures {
            cases += 1;
            let report = check_dir(&case);
            if let Some(diff) = mismatch(&report, &markers(&case)) {
                failures.push_str(&format!("{}:\n{diff}", case.display()));
            }
        }
    }
    assert!(cases >= 12, "the library's fixtures are missing: {cases}");
    assert!(failures.is_empty(), "library fixture mismatches:\n{failures}");
}

#[test]
fn library_policy_tests_pass() {
    let out = meshlint(&["policy", "test", "policies"], &repo_root());
    let text = stdout(&out);
    assert_eq!(code(&out), 0, "{text}{}", stderr(&out));
    assert!(!text.contains("FAIL") && !text.contains("ERROR"), "{text}");
}

trait NamePrefix {
    fn ends_with_name(&self, prefix: &str) -> bool;
}

impl NamePrefix for std::path::PathBuf {
    fn ends_with_name(&self, prefix: &str) -> bool {
        self.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
    }
}
