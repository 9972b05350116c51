//! Shared helpers for the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

pub mod cli;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (file shown relative to the repo root, line, rule name)
pub type Finding = (String, usize, String);

/// Runs the library on `dir` with paths shown relative to the repository root.
pub fn check_dir(dir: &Path) -> meshlint::Report {
    let options = meshlint::Options {
        paths: vec![dir.to_path_buf()],
        base: repo_root(),
        ..Default::default()
    };
    meshlint::check(&options).expect("the run succeeds")
}

pub fn findings(report: &meshlint::Report) -> BTreeSet<Finding> {
    report
        .diagnostics
        .iter()
        .map(|d| {
            let file = report.project.sources.get(d.span.file);
            (
                file.display_path.clone(),
                file.location(d.span.start).line,
                d.rule.name().to_string(),
            )
        })
        .collect()
}

/// `expect: rule-a, rule-b` markers in `#` or `//` comments of every file below `dir`.
pub fn markers(dir: &Path) -> BTreeSet<Finding> {
    let mut out = BTreeSet::new();
    for path in files_below(dir) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let shown = meshlint::source::display_path(&path, &repo_root());
        for (index, line) in text.lines().enumerate() {
            let Some(at) = line.find("expect:") else { continue };
            let before = line[..at].trim_end();
            if !(before.ends_with('#') || before.ends_with("//")) {
                continue;
            }
            for rule in line[at + "expect:".len()..].split(',') {
                let rule = rule.trim();
                if !rule.is_empty() {
                    out.insert((shown.clone(), index + 1, rule.to_string()));
                }
            }
        }
    }
    out
}

pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

pub fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// Describes the difference between expected and actual findings, with messages.
pub fn mismatch(report: &meshlint::Report, expected: &BTreeSet<Finding>) -> Option<String> {
    let actual = findings(report);
    if &actual == expected {
        return None;
    }
    let mut text = String::new();
    for missing in expected.difference(&actual) {
        text.push_str(&format!("  missing: {}:{} {}\n", missing.0, missing.1, missing.2));
    }
    for d in &report.diagnostics {
        let file = report.project.sources.get(d.span.file);
        let key = (
            file.display_path.clone(),
            file.location(d.span.start).line,
            d.rule.name().to_string(),
        );
        if !expected.contains(&key) {
            text.push_str(&format!(
                "  unexpected: {}:{} {}: {}\n",
                key.0, key.1, key.2, d.message
            ));
        }
    }
    Some(text)
}
