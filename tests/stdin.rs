//! Editors' way in, on the real binary: `check - --stdin-filename PATH` lints a buffer as if it
//! were PATH (the rest of the project from disk), and `--format concise` gives one line per
//! finding for quickfix lists.

mod common;

use common::cli::*;
use common::repo_root;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const WEB: &str = "fixtures/projects/seed-mistakes/web.tf";

/// Runs the binary in the repository with `input` on standard input.
fn with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_meshlint"))
        .args(args)
        .current_dir(repo_root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn codes(output: &Output) -> Vec<String> {
    json(output)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_buffer_is_checked_instead_of_the_file_on_disk() {
    let on_disk = std::fs::read_to_string(repo_root().join(WEB)).unwrap();
    let from_disk = run(&["check", "--format", "json", WEB]);
    assert!(
        codes(&from_disk).contains(&"MESH002".to_string()),
        "the file has the finding"
    );
    // The editor's buffer already writes the port as a string.
    let edited = on_disk.replace("= 9090 # expect: port-not-string", "= \"9090\"");
    assert_ne!(edited, on_disk, "the fixture still has the numeric port");
    for name in [
        WEB.to_string(),
        format!("./{WEB}"),
        repo_root().join(WEB).display().to_string(),
    ] {
        let output = with_stdin(
            &["check", "--format", "json", "--stdin-filename", &name, "-"],
            &edited,
        );
        assert_eq!(code(&output), 1, "{name}: {}", stderr(&output));
        // The rest of the project still comes from disk: the same findings but the fixed one,
        // whether the file is named relatively or absolutely.
        let mut expected = codes(&from_disk);
        expected.retain(|c| c != "MESH002");
        assert_eq!(codes(&output), expected, "{name}");
        assert!(json(&output)["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["file"] == WEB));
    }
    assert_eq!(
        std::fs::read_to_string(repo_root().join(WEB)).unwrap(),
        on_disk,
        "nothing written"
    );
}

#[test]
fn an_unsaved_new_file_is_checked_with_its_project() {
    let output = with_stdin(
        &[
            "check",
            "--format",
            "concise",
            "--quiet",
            "--stdin-filename",
            "fixtures/projects/seed-mistakes/not-yet-saved.tf",
            "-",
        ],
        "module \"x\" {\n",
    );
    assert_eq!(code(&output), 1);
    assert_eq!(
        stdout(&output),
        "fixtures/projects/seed-mistakes/not-yet-saved.tf:1:13: error[MESH000/syntax-error] cannot parse this file: invalid block body; expected `}`, newline or identifier\n"
    );
}

#[test]
fn standard_input_needs_its_name_and_is_never_fixed() {
    for (args, says) in [
        (&["check", "-"][..], "--stdin-filename"),
        (&["check", "--stdin-filename", WEB][..], "give `-`"),
        (
            &["check", "--stdin-filename", WEB, "-", "fixtures"][..],
            "no other path",
        ),
        (
            &["check", "--fix", "--stdin-filename", WEB, "-"][..],
            "not standard input",
        ),
    ] {
        let output = with_stdin(args, "");
        assert_eq!(code(&output), 2, "{args:?}");
        assert!(stderr(&output).contains(says), "{args:?}: {}", stderr(&output));
    }
}

#[test]
fn concise_output_is_one_line_per_finding() {
    let output = run(&["check", "--format", "concise", "fixtures/projects/seed-mistakes"]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    let report = json(&run(&[
        "check",
        "--format",
        "json",
        "fixtures/projects/seed-mistakes",
    ]));
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(
        lines.len(),
        diagnostics.len() + 1,
        "one line per finding and the summary"
    );
    for (line, d) in lines.iter().zip(diagnostics) {
        let start = &d["range"]["start"];
        let prefix = format!(
            "{}:{}:{}: {}[{}/{}] {}",
            d["file"].as_str().unwrap(),
            start["line"],
            start["column"],
            d["severity"].as_str().unwrap(),
            d["code"].as_str().unwrap(),
            d["rule"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        );
        assert!(line.starts_with(&prefix), "{line}\n{prefix}");
        let safe_fix = d["fix"]["applicability"] == "safe";
        assert_eq!(line.ends_with(" [fix]"), safe_fix, "{line}");
    }
    assert!(lines.last().unwrap().contains("checked"), "the summary line");
    let quiet = stdout(&run(&[
        "check",
        "--format",
        "concise",
        "--quiet",
        "fixtures/projects/seed-mistakes",
    ]));
    assert_eq!(quiet.lines().count(), diagnostics.len());
}

#[test]
fn json_findings_link_their_rule_documentation() {
    let report = json(&run(&[
        "check",
        "--format",
        "json",
        "fixtures/projects/seed-mistakes",
    ]));
    for d in report["diagnostics"].as_array().unwrap() {
        let url = d["url"].as_str().unwrap();
        let page = format!("/blob/main/rules/{}.md", d["rule"].as_str().unwrap());
        assert!(url.starts_with("https://") && url.ends_with(&page), "{url}");
        assert!(repo_root()
            .join("rules")
            .join(format!("{}.md", d["rule"].as_str().unwrap()))
            .is_file());
    }
}

/// Editors name files by absolute path: the file is still one of its folder's module, so
/// the findings are those of the relative name (a role defined in a sibling file is found).
#[test]
fn an_absolute_path_names_the_same_file_as_a_relative_one() {
    let absolute = repo_root().join(WEB).display().to_string();
    assert_eq!(
        codes(&run(&["check", "--format", "json", &absolute])),
        codes(&run(&["check", "--format", "json", WEB]))
    );
}
