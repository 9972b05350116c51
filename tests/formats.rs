//! The formats CI systems read: JUnit XML (read back with junitparser, as CI plugins do),
//! Checkstyle XML and GitLab Code Quality JSON, each holding every finding of the JSON report.

mod common;

use common::cli::{code, json, meshlint, stdout};
use common::*;
use std::process::Command;

const PROJECT: &str = "fixtures/projects/seed-mistakes";
const SUPPRESSED: &str = "fixtures/unused-suppression";

fn report(path: &str) -> serde_json::Value {
    json(&meshlint(&["check", path, "--format", "json"], &repo_root()))
}

fn standing(report: &serde_json::Value) -> Vec<&serde_json::Value> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["suppressed"].is_null())
        .collect()
}

/// Runs a Python snippet with the report on standard input; prints what it prints.
fn python(script: &str, input: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn junit_reads_back_as_one_failing_case_per_finding() {
    let available = tool_runs(
        Command::new("python3").args(["-c", "import junitparser"]),
        "CI must install junitparser (.ci/run)",
        "junitparser is not installed (pip install junitparser==3.2.0)",
    );
    if !available {
        return;
    }
    for path in [PROJECT, SUPPRESSED] {
        let expected = report(path);
        let all = expected["diagnostics"].as_array().unwrap().len();
        let failing = standing(&expected).len();
        let out = meshlint(&["check", path, "--format", "junit"], &repo_root());
        assert_eq!(code(&out), if failing > 0 { 1 } else { 0 });
        let counted = python(
            "import sys, junitparser\n\
             xml = junitparser.JUnitXml.fromstring(sys.stdin.read())\n\
             cases = [c for s in xml for c in s]\n\
             failed = [c for c in cases if c.result and isinstance(c.result[0], junitparser.Failure)]\n\
             skipped = [c for c in cases if c.result and isinstance(c.result[0], junitparser.Skipped)]\n\
             print(len(failed), len(skipped), xml.failures, all(c.classname for c in failed))",
            &stdout(&out),
        );
        assert_eq!(
            counted.trim(),
            format!("{failing} {} {failing} True", all - failing),
            "{path}"
        );
    }
}

#[test]
fn checkstyle_lists_each_finding_under_its_file() {
    let expected = report(PROJECT);
    let out = stdout(&meshlint(
        &["check", PROJECT, "--format", "checkstyle"],
        &repo_root(),
    ));
    let rows = python(
        "import sys, xml.etree.ElementTree as ET\n\
         root = ET.fromstring(sys.stdin.read())\n\
         assert root.tag == 'checkstyle'\n\
         for f in root.findall('file'):\n\
         \x20   for e in f.findall('error'):\n\
         \x20       print(f.get('name'), e.get('line'), e.get('column'), e.get('severity'), e.get('source'))",
        &out,
    );
    let wanted: Vec<String> = standing(&expected)
        .iter()
        .map(|d| {
            format!(
                "{} {} {} {} meshlint.{}",
                d["file"].as_str().unwrap(),
                d["range"]["start"]["line"],
                d["range"]["start"]["column"],
                d["severity"].as_str().unwrap(),
                d["rule"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(rows.lines().collect::<Vec<_>>(), wanted);
}

#[test]
fn gitlab_code_quality_has_every_field_gitlab_requires() {
    let expected = report(PROJECT);
    let issues = json(&meshlint(&["check", PROJECT, "--format", "gitlab"], &repo_root()));
    let issues = issues.as_array().unwrap();
    let standing = standing(&expected);
    assert_eq!(issues.len(), standing.len());
    for (issue, d) in issues.iter().zip(standing) {
        assert_eq!(issue["check_name"], d["rule"]);
        assert!(issue["description"]
            .as_str()
            .unwrap()
            .starts_with(d["message"].as_str().unwrap()));
        assert!(
            ["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap())
        );
        assert_eq!(issue["fingerprint"], d["fingerprint"]);
        assert_eq!(issue["location"]["path"], d["file"]);
        assert_eq!(issue["location"]["lines"]["begin"], d["range"]["start"]["line"]);
    }
}
