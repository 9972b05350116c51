//! The library's policies under OPA itself: on every fixture, `opa eval` over `meshlint model`
//! gives as many `deny`, `warn` and `info` findings as meshlint reports for the policy. OPA is
//! not installed by .ci/run (no registry these machines reach ships it), so without `opa` on
//! PATH this test says so and checks nothing.

mod common;

use common::cli::{code, meshlint, stdout};
use common::*;
use std::process::Command;

#[test]
fn library_verdicts_are_the_same_under_opa() {
    if Command::new("opa").arg("version").output().is_err() {
        eprintln!("skipped: `opa` is not on PATH; see docs/policies.md to run the library with OPA");
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    for policy in subdirs(&repo_root().join("policies")) {
        let package = std::fs::read_to_string(policy.join("policy.rego"))
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("package ").map(str::to_string))
            .expect("a package line");
        for case in subdirs(&policy.join("fixtures")) {
            let model = scratch.path().join("model.json");
            let out = meshlint(
                &[
                    "model",
                    case.to_str().unwrap(),
                    "--output",
                    model.to_str().unwrap(),
                ],
                &repo_root(),
            );
            assert_eq!(code(&out), 0);
            let mut opa = Command::new("opa");
            opa.args(["eval", "--format", "json", "-i", model.to_str().unwrap()]);
            opa.args(["-d", policy.join("policy.rego").to_str().unwrap()]);
            let data = case.join("data.json");
            if data.exists() {
                opa.args(["-d", data.to_str().unwrap()]);
            }
            let set = |name: &str| format!("count(object.get(data.{package}, \"{name}\", []))");
            opa.arg(format!("{} + {} + {}", set("deny"), set("warn"), set("info")));
            let result: serde_json::Value = serde_json::from_slice(&opa.output().unwrap().stdout).unwrap();
            let opa_count = result["result"][0]["expressions"][0]["value"]
                .as_u64()
                .unwrap_or(u64::MAX);
            let report: serde_json::Value = serde_json::from_str(&stdout(&meshlint(
                &["check", case.to_str().unwrap(), "--format", "json"],
                &repo_root(),
            )))
            .unwrap();
            let id = format!("lib/{}", policy.file_name().unwrap().to_string_lossy());
            let ours = report["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["rule"] == id.as_str())
                .count() as u64;
            assert_eq!(opa_count, ours, "{}: OPA and meshlint disagree", case.display());
        }
    }
}
