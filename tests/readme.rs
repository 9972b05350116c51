//! The README's configuration and suppression examples do what the README says.

mod common;

use common::cli::*;
use common::repo_root;

/// The first fenced block of the README with this info string.
fn block(info: &str) -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let fence = format!("```{info}\n");
    let start = readme
        .find(&fence)
        .unwrap_or_else(|| panic!("no ```{info} block"))
        + fence.len();
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_string()
}

#[test]
fn readme_configuration_example_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".meshlint.toml"), block("toml")).unwrap();
    // The policy and data file the example names, from the library.
    let policy = dir.path().join("policies/tls-acls");
    std::fs::create_dir_all(&policy).unwrap();
    std::fs::copy(
        repo_root().join("policies/tls-acls/policy.rego"),
        policy.join("policy.rego"),
    )
    .unwrap();
    std::fs::write(dir.path().join("meshlint-data.json"), r#"{"meshlint": {}}"#).unwrap();
    let output = meshlint(&["check", "--show-config"], dir.path());
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    let hosts = text
        .lines()
        .find(|l| l.starts_with("allowed-hosts = [\"payments.example.com\", \"*.amazonaws.com\"]"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(hosts.ends_with("# .meshlint.toml"), "{hosts}");
    assert!(text.contains("\"services/billing\" = \"billing\""), "{text}");
    assert!(text.contains("\nupstreams = { billing = 7100 }"), "{text}");
    assert!(text.contains("\"lib/tls-acls\" = \"warning\""), "{text}");
    let check = meshlint(&["check"], dir.path());
    assert_eq!(code(&check), 0, "the example's policy loads: {}", stderr(&check));
}

#[test]
fn readme_app_only_example_declares_upstreams_that_fix_a_direct_call() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".meshlint.toml"), block("toml app")).unwrap();
    std::fs::write(
        dir.path().join("client.py"),
        "import requests\nrequests.get(\"http://billing:8080/charge\")\n",
    )
    .unwrap();
    let output = meshlint(&["check", "--format", "json"], dir.path());
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let doc = json(&output);
    assert_eq!(doc["diagnostics"][0]["rule"], "hardcoded-upstream-url");
    assert_eq!(
        doc["diagnostics"][0]["fix"]["edits"][0]["replacement"],
        "http://localhost:7100/charge"
    );
}

#[test]
fn readme_suppression_example_silences_both_findings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), block("hcl")).unwrap();
    let output = meshlint(&["check", "--format", "json"], dir.path());
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    let doc = json(&output);
    let silenced: Vec<(&str, &str)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap(),
                d["suppressed"]["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        silenced,
        [
            ("port-not-string", "our team's guide allows numbers since v0.2"),
            ("leftover-task-definition", "deleted in OPS-112")
        ]
    );
}
