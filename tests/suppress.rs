//! `meshlint-ignore` comments end to end: what they silence, where silenced findings still
//! appear, and what `unused-suppression`'s fixes delete.

mod common;

use common::cli::*;
use serde_json::Value;
use std::path::Path;

fn mesh_task(port_line: &str) -> String {
    format!(
        "module \"web\" {{\n  source = \"hashicorp/consul-ecs/aws//modules/mesh-task\"\n  version = \"0.1.1\"\n  family = \"web\"\n  execution_role_arn = \"arn:aws:iam::111111111111:role/execution\"\n  task_role_arn = \"arn:aws:iam::111111111111:role/task\"\n  container_definitions = []\n  retry_join = \"consul.example.internal\"\n{port_line}\n}}\n"
    )
}

fn check_json(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let output = meshlint(&[&["check", "--format", "json"], extra].concat(), dir);
    (code(&output), json(&output))
}

fn rules(doc: &Value) -> Vec<(String, bool)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d.get("suppressed").is_some(),
            )
        })
        .collect()
}

/// Applies the fix edits of every diagnostic of `rule` to the file's text.
fn apply_fixes(text: &str, doc: &Value, rule: &str) -> String {
    let mut edits: Vec<(usize, usize, String)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .flat_map(|d| d["fix"]["edits"].as_array().unwrap().clone())
        .map(|e| {
            let offset = |end: &str| e["range"][end]["offset"].as_u64().unwrap() as usize;
            (
                offset("start"),
                offset("end"),
                e["replacement"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort();
    let mut out = text.to_string();
    for (start, end, replacement) in edits.into_iter().rev() {
        out.replace_range(start..end, &replacement);
    }
    out
}

#[test]
fn a_silenced_finding_is_in_json_only_and_never_counts() {
    let dir = tempfile::tempdir().unwrap();
    let text = mesh_task("  port = 9090 # meshlint-ignore: port-not-string -- numbers are fine here");
    std::fs::write(dir.path().join("main.tf"), &text).unwrap();

    let human = meshlint(&["check"], dir.path());
    assert_eq!(code(&human), 0, "{}", stdout(&human));
    assert_eq!(
        stdout(&human),
        "no problems found; checked 1 file (1 Terraform, 0 application)\n"
    );

    let (status, doc) = check_json(dir.path(), &[]);
    assert_eq!(status, 0);
    assert_eq!(rules(&doc), [("port-not-string".to_string(), true)]);
    assert_eq!(
        doc["diagnostics"][0]["suppressed"]["reason"],
        "numbers are fine here"
    );
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(doc["summary"]["suppressed"], 1);

    // The fingerprint is the same as when the finding stands.
    std::fs::write(dir.path().join("main.tf"), mesh_task("  port = 9090")).unwrap();
    let (status, standing) = check_json(dir.path(), &[]);
    assert_eq!(status, 1);
    assert_eq!(
        standing["diagnostics"][0]["fingerprint"],
        doc["diagnostics"][0]["fingerprint"]
    );
    assert!(standing["diagnostics"][0].get("suppressed").is_none());
}

#[test]
fn a_comment_above_covers_the_next_code_line_only() {
    let dir = tempfile::tempdir().unwrap();
    let text = mesh_task("  # meshlint-ignore: port-not-string -- why\n\n  port = 9090");
    std::fs::write(dir.path().join("main.tf"), &text).unwrap();
    let (status, doc) = check_json(dir.path(), &[]);
    assert_eq!(status, 1, "a blank line breaks the link");
    let mut found = rules(&doc);
    found.sort();
    assert_eq!(
        found,
        [
            ("port-not-string".to_string(), false),
            ("unused-suppression".to_string(), false)
        ]
    );
}

#[test]
fn unused_suppression_fixes_delete_the_line_the_comment_or_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("main.tf");
    // Alone on its line: the whole line goes.
    let alone = mesh_task("  # meshlint-ignore: port-not-string -- old\n  port = \"9090\"");
    std::fs::write(&file, &alone).unwrap();
    let (status, doc) = check_json(dir.path(), &[]);
    assert_eq!(status, 1, "a warning fails by default");
    assert_eq!(
        apply_fixes(&alone, &doc, "unused-suppression"),
        mesh_task("  port = \"9090\"")
    );

    // After code: the comment and the blanks before it.
    let trailing = mesh_task("  port = \"9090\"   // meshlint-ignore: MESH002 -- old");
    std::fs::write(&file, &trailing).unwrap();
    let (_, doc) = check_json(dir.path(), &[]);
    assert_eq!(
        apply_fixes(&trailing, &doc, "unused-suppression"),
        mesh_task("  port = \"9090\"")
    );

    // One of two names used: only the other name goes.
    let partly =
        mesh_task("  port = 9090 # meshlint-ignore: placeholder-module-version, port-not-string -- v0.1");
    std::fs::write(&file, &partly).unwrap();
    let (_, doc) = check_json(dir.path(), &[]);
    assert_eq!(
        apply_fixes(&partly, &doc, "unused-suppression"),
        mesh_task("  port = 9090 # meshlint-ignore: port-not-string -- v0.1")
    );
    let fix = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "unused-suppression")
        .unwrap()["fix"]
        .clone();
    assert_eq!(fix["applicability"], "safe");
}

#[test]
fn names_of_rules_that_did_not_run_or_of_broken_files_are_not_judged() {
    let dir = tempfile::tempdir().unwrap();
    let text = mesh_task("  # meshlint-ignore: port-not-string -- old\n  port = \"9090\"");
    std::fs::write(dir.path().join("main.tf"), &text).unwrap();
    assert_eq!(check_json(dir.path(), &[]).0, 1);
    let (status, doc) = check_json(dir.path(), &["--ignore", "port-not-string"]);
    assert_eq!((status, rules(&doc).len()), (0, 0), "{doc}");

    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(broken.join("main.tf"), format!("{text}\nlocals {{\n  a =\n}}\n")).unwrap();
    let (_, doc) = check_json(&broken, &[]);
    assert_eq!(rules(&doc), [("syntax-error".to_string(), false)]);
}

#[test]
fn suppression_rules_can_be_silenced_for_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "# meshlint-ignore-file: suppression-without-reason -- generated by our scaffolding\n{}",
        mesh_task("  port = 9090 # meshlint-ignore: port-not-string")
    );
    std::fs::write(dir.path().join("main.tf"), &text).unwrap();
    let (status, doc) = check_json(dir.path(), &[]);
    assert_eq!(status, 0, "{doc}");
    assert_eq!(
        rules(&doc),
        [
            ("port-not-string".to_string(), true),
            ("suppression-without-reason".to_string(), true)
        ]
    );
}
