//! Shared helpers for the integration tests.
#![allow(dead_code)] // each test binary uses a different subset

pub mod cli;
pub mod git;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Whether an external tool a test drives can run (`check` exits with success). Outside CI
/// its absence skips the caller with `skip` said on stderr; in CI (`CI` set) it fails the
/// test with `in_ci`, since .ci/run installs every such tool.
pub fn tool_runs(check: &mut std::process::Command, in_ci: &str, skip: &str) -> bool {
    let runs = check.output().is_ok_and(|o| o.status.success());
    if !runs {
        assert!(std::env::var_os("CI").is_none(), "{in_ci}");
        eprintln!("skipped: {skip}");
    }
    runs
}

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
                file.location(d.span.start()).line,
                d.rule.name().to_string(),
            )
        })
        .collect()
}

/// `expect: rule-a, rule-b` markers in `#` or `//` comments of every file below `dir`, and in
/// the `"//": "expect: …"` comment properties of Terraform JSON files.
pub fn markers(dir: &Path) -> BTreeSet<Finding> {
    let mut out = BTreeSet::new();
    for path in files_below(dir) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let shown = meshlint::source::display_path(&path, &repo_root());
        for (index, line) in text.lines().enumerate() {
            // `expect-next:` on a line of its own marks the next line, for files where a
            // trailing comment would change the line's meaning (properties, exec-form CMD).
            let (at, target) = match (line.find("expect-next:"), line.find("expect:")) {
                (Some(at), _) => (at + "expect-next:".len(), index + 2),
                (None, Some(at)) => (at + "expect:".len(), index + 1),
                (None, None) => continue,
            };
            let marker = line[..at].rfind("expect").unwrap_or(0);
            let before = line[..marker].trim_end();
            let json = before.ends_with("\"//\": \"");
            if !(before.ends_with('#') || before.ends_with("//") || json) {
                continue;
            }
            // In JSON the marker is a string value: the rules end at its closing quote.
            let rules = if json {
                line[at..].split('"').next().unwrap_or("")
            } else {
                &line[at..]
            };
            for rule in rules.split(',') {
                let rule = rule.trim();
                if !rule.is_empty() {
                    out.insert((shown.clone(), target, rule.to_string()));
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
                // meshlint's own cache, which runs of the binary leave in the fixtures.
                if !path.ends_with(meshlint::engine::CACHE_DIR_NAME) {
                    stack.push(path);
                }
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
        .filter(|p| p.is_dir() && !p.ends_with(meshlint::engine::CACHE_DIR_NAME))
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
            file.location(d.span.start()).line,
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

/// Copies `dir` into a new temporary directory (one level of files).
pub fn copy_to_temp(dir: &Path) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    for file in files_below(dir) {
        let relative = file.strip_prefix(dir).unwrap();
        let target = temp.path().join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, target).unwrap();
    }
    temp
}

/// Applies the fixes of `rule` from a report on `dir` (run with `base = dir`), in memory,
/// back to front so earlier offsets stay valid. Returns how many edits were applied.
pub fn apply_fixes(report: &meshlint::Report, dir: &Path, rule: meshlint::catalog::RuleId) -> usize {
    let mut edits: Vec<(std::path::PathBuf, usize, usize, String)> = Vec::new();
    for d in report.diagnostics.iter().filter(|d| d.rule == rule) {
        for edit in d.fix.iter().flat_map(|f| &f.edits) {
            let file = report.project.sources.get(edit.span.file);
            edits.push((
                dir.join(&file.display_path),
                edit.span.start(),
                edit.span.end(),
                edit.replacement.clone(),
            ));
        }
    }
    edits.sort_by(|a, b| (&a.0, b.1).cmp(&(&b.0, a.1)));
    for (path, start, end, replacement) in &edits {
        let mut text = std::fs::read_to_string(path).unwrap();
        text.replace_range(*start..*end, replacement);
        std::fs::write(path, text).unwrap();
    }
    edits.len()
}

/// Runs the library on `dir` with paths shown relative to `dir` itself.
pub fn check_in(dir: &Path) -> meshlint::Report {
    meshlint::check(&meshlint::Options {
        paths: vec![dir.to_path_buf()],
        base: dir.to_path_buf(),
        ..Default::default()
    })
    .expect("the run succeeds")
}

/// Builds the Python wheel with maturin into `out` (sharing `target/pre-commit` with the
/// other release builds of the tests) and returns its path.
pub fn build_wheel(out: &Path) -> PathBuf {
    let built = std::process::Command::new("maturin")
        .args(["build", "--release", "--quiet", "--out"])
        .arg(out)
        .current_dir(repo_root())
        .env("CARGO_TARGET_DIR", repo_root().join("target/pre-commit"))
        .output()
        .expect("maturin runs");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .expect("a wheel")
}
