//! `--add-ignore REASON`: a `meshlint-ignore` comment above every finding, in each file's
//! comment syntax, only where it is a comment, and only once.

mod common;

use common::cli::{code, json, meshlint, stderr};
use common::*;

fn standing(dir: &std::path::Path) -> usize {
    json(&meshlint(&["check", "--format", "json"], dir))["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["suppressed"].is_null())
        .count()
}

#[test]
fn every_finding_gets_a_comment_with_the_reason_and_a_second_run_adds_none() {
    let dir = copy_to_temp(&repo_root().join("fixtures/projects/seed-mistakes"));
    let before = standing(dir.path());
    assert!(before > 3);
    let out = meshlint(
        &["check", "--add-ignore", "adopted in 2026-12, see MESH-42"],
        dir.path(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("added {before} meshlint-ignore comments")),
        "{}",
        stderr(&out)
    );
    assert_eq!(standing(dir.path()), 0);
    let report = json(&meshlint(&["check", "--format", "json"], dir.path()));
    let suppressed = report["diagnostics"].as_array().unwrap();
    assert_eq!(suppressed.len(), before);
    assert!(suppressed
        .iter()
        .all(|d| d["suppressed"]["reason"] == "adopted in 2026-12, see MESH-42"));

    let files: Vec<String> = files_below(dir.path())
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let again = meshlint(
        &["check", "--add-ignore", "adopted in 2026-12, see MESH-42"],
        dir.path(),
    );
    assert!(stderr(&again).contains("added 0 meshlint-ignore comments"));
    let after: Vec<String> = files_below(dir.path())
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert_eq!(files, after, "idempotent");
}

#[test]
fn comments_follow_each_language_and_never_land_inside_a_string() {
    let dir = copy_to_temp(&repo_root().join("fixtures/hardcoded-upstream-url/bad-go-consul-dns"));
    let notes = "import requests\n\nHELP = \"\"\"\nhttp://billing.service.consul:9090/charge\n\"\"\"\n";
    std::fs::write(dir.path().join("services/web/notes.py"), notes).unwrap();
    let out = meshlint(&["check", "--add-ignore", "MESH-7"], dir.path());
    assert_eq!(code(&out), 1, "the Python finding stands");
    let go = std::fs::read_to_string(dir.path().join("services/web/client.go")).unwrap();
    assert!(
        go.contains("\n// meshlint-ignore: hardcoded-upstream-url -- MESH-7\nconst billingURL"),
        "{go}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("services/web/notes.py")).unwrap(),
        notes
    );
    assert!(stderr(&out).contains("notes.py: left as it is — a comment there would be part of a string"));
}

#[test]
fn a_reason_is_required() {
    let dir = copy_to_temp(&repo_root().join("fixtures/projects/seed-mistakes"));
    let out = meshlint(&["check", "--add-ignore", " "], dir.path());
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--add-ignore needs a reason"));
}
