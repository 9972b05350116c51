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

/// Each language's comment, at the finding's indentation, silencing it; a second run adds none.
#[test]
fn js_ts_rust_shell_and_dockerfile_get_their_own_comment_syntax() {
    let cases = [
        (
            "bad-js-listen-without-host",
            "server.js",
            "// meshlint-ignore: bind-all-interfaces -- R-1\napp.listen(9090);",
        ),
        (
            "bad-ts-fastify-host",
            "server.ts",
            "// meshlint-ignore: bind-all-interfaces -- R-1\nfastify.listen(",
        ),
        (
            "bad-rust-tcp-listener",
            "main.rs",
            "\n    // meshlint-ignore: bind-all-interfaces -- R-1\n    let listener = TcpListener::bind(",
        ),
        (
            "bad-shell-script-uvicorn",
            "start.sh",
            "#!/bin/sh\n# meshlint-ignore: bind-all-interfaces -- R-1\nexec uvicorn",
        ),
        (
            "bad-dockerfile-exec-form-gunicorn",
            "Dockerfile",
            "\n# meshlint-ignore: bind-all-interfaces -- R-1\nCMD [\"gunicorn\"",
        ),
    ];
    for (fixture, file, expected) in cases {
        let dir = copy_to_temp(&repo_root().join("fixtures/bind-all-interfaces").join(fixture));
        assert_eq!(standing(dir.path()), 1, "{fixture}");
        let out = meshlint(&["check", "--add-ignore", "R-1"], dir.path());
        assert_eq!(code(&out), 0, "{fixture}: {}", stderr(&out));
        let path = dir.path().join("services/web").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(expected), "{fixture}:\n{text}");
        assert_eq!(standing(dir.path()), 0, "{fixture}");
        let again = meshlint(&["check", "--add-ignore", "R-1"], dir.path());
        assert!(stderr(&again).contains("added 0 meshlint-ignore comments"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "{fixture}");
    }
}

/// A finding on a line inside a JS template literal: a `//` line there would be text.
#[test]
fn a_line_inside_a_template_literal_is_left_as_it_is() {
    let dir = copy_to_temp(&repo_root().join("fixtures/bind-all-interfaces/bad-js-listen-without-host"));
    let server = "const banner = `\n${app.listen(9090)}\n`;\n";
    let path = dir.path().join("services/web/server.js");
    std::fs::write(&path, format!("const app = require(\"express\")();\n{server}")).unwrap();
    assert_eq!(standing(dir.path()), 1);
    let out = meshlint(&["check", "--add-ignore", "R-1"], dir.path());
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("server.js: left as it is — a comment there would be part of a string"),
        "{}",
        stderr(&out)
    );
    assert!(std::fs::read_to_string(&path).unwrap().ends_with(server));
}
