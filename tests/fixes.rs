//! `--fix`, `--unsafe-fixes` and `--diff` on the real binary.

mod common;

use common::*;
use meshlint::catalog::RuleId;
use meshlint::rule::FixAvailability;
use std::path::Path;
use std::process::{Command, Output};

fn meshlint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meshlint"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

/// Rules whose fixes `--fix --unsafe-fixes` applies (display-only ones are never applied).
fn fixable_rules() -> Vec<RuleId> {
    RuleId::all()
        .filter(|id| match id.meta().fix {
            FixAvailability::None => false,
            FixAvailability::Always(a) | FixAvailability::Sometimes(a) => {
                a != meshlint::rule::Applicability::DisplayOnly
            }
        })
        .collect()
}

fn texts(dir: &Path) -> Vec<(String, String)> {
    files_below(dir)
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((
                p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"),
                text,
            ))
        })
        .collect()
}

#[test]
fn every_fixable_bad_fixture_is_fixed_once_and_for_all() {
    let mut fixed_cases = 0;
    for rule in fixable_rules() {
        for case in subdirs(&repo_root().join("fixtures").join(rule.name())) {
            let name = case.file_name().unwrap().to_string_lossy().to_string();
            if !name.starts_with("bad-") {
                continue;
            }
            let temp = copy_to_temp(&case);
            let before = check_in(temp.path());
            let with_fix = before
                .diagnostics
                .iter()
                .filter(|d| d.rule == rule && d.fix.is_some())
                .count();
            let of_rule = before.diagnostics.iter().filter(|d| d.rule == rule).count();
            let output = meshlint(&["check", "--fix", "--unsafe-fixes", "--quiet"], temp.path());
            assert!(
                output.status.code() != Some(2),
                "{name}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let after = check_in(temp.path());
            assert!(
                after.project.syntax_errors.is_empty(),
                "{name}: the fix broke the syntax"
            );
            let left = after.diagnostics.iter().filter(|d| d.rule == rule).count();
            assert_eq!(
                left,
                of_rule - with_fix,
                "{}/{name}: findings with a fix must be gone",
                rule.name()
            );
            let again = meshlint(&["check", "--diff", "--unsafe-fixes"], temp.path());
            assert!(
                again.stdout.is_empty() && again.status.success(),
                "{name}: a second pass would change more"
            );
            if with_fix > 0 {
                fixed_cases += 1;
                let changed: Vec<String> = texts(temp.path())
                    .into_iter()
                    .zip(texts(&case))
                    .filter(|((_, after), (_, before))| after != before)
                    .map(|((file, text), _)| format!("--- {file}\n{text}"))
                    .collect();
                assert!(!changed.is_empty(), "{name}: nothing changed");
                insta::assert_snapshot!(format!("{}__{name}", rule.name()), changed.join("\n"));
            }
        }
    }
    assert!(fixed_cases >= 20, "only {fixed_cases} fixtures had fixes");
}

#[test]
fn fixing_the_seed_project_leaves_nothing_fixable_and_valid_files() {
    let temp = copy_to_temp(&repo_root().join("fixtures/projects/seed-mistakes"));
    let output = meshlint(&["check", "--fix", "--unsafe-fixes"], temp.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "findings without a fix remain: {stdout}"
    );
    assert!(stdout.contains("fixed 4 problems"), "{stdout}");
    let after = check_in(temp.path());
    assert!(after.project.syntax_errors.is_empty());
    let fixable: Vec<_> = after
        .diagnostics
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability != meshlint::rule::Applicability::DisplayOnly)
        })
        .map(|d| d.message.clone())
        .collect();
    assert!(fixable.is_empty(), "{fixable:?}");
    if terraform_installed() {
        if let Err(diff) = terraform_fmt_check(temp.path()) {
            panic!("terraform fmt -check fails after the fix:\n{diff}");
        }
    }
}

/// Whether `terraform` can run; outside CI its absence skips the caller with a note, in CI
/// (`CI` set) it fails the test.
fn terraform_installed() -> bool {
    common::tool_runs(
        Command::new("terraform")
            .arg("version")
            .env("CHECKPOINT_DISABLE", "1"),
        "CI must install terraform 1.11 first (.ci/run checks for it)",
        "`terraform` is not on PATH (install Terraform 1.11 to run this check)",
    )
}

/// `terraform fmt -check` on a directory and everything below it: the files it would change,
/// with its diff, or `Ok`.
fn terraform_fmt_check(dir: &Path) -> Result<(), String> {
    let output = Command::new("terraform")
        .args(["fmt", "-check", "-diff", "-no-color", "-recursive"])
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .current_dir(dir)
        .output()
        .expect("terraform runs");
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

/// Whether a check finds anything that `--fix --unsafe-fixes` would apply.
fn has_applicable_fix(report: &meshlint::Report) -> bool {
    report.diagnostics.iter().any(|d| {
        d.fix
            .as_ref()
            .is_some_and(|f| f.applicability != meshlint::rule::Applicability::DisplayOnly)
    })
}

/// Every fixture case (`fixtures/<rule>/<case>/`, the projects included) that has a fix to
/// apply is formatted as `terraform fmt` leaves it, and stays so after `--fix --unsafe-fixes`.
/// Cases whose Terraform does not parse (syntax-error fixtures) cannot be formatted; they are
/// listed, not checked.
#[test]
fn fixes_leave_every_fixture_as_terraform_fmt_leaves_it() {
    if !terraform_installed() {
        return;
    }
    let mut checked = Vec::new();
    let mut unparsable = Vec::new();
    let mut failures = Vec::new();
    for group in subdirs(&repo_root().join("fixtures")) {
        for case in subdirs(&group) {
            let name = format!(
                "{}/{}",
                group.file_name().unwrap().to_string_lossy(),
                case.file_name().unwrap().to_string_lossy()
            );
            let temp = copy_to_temp(&case);
            let before = check_in(temp.path());
            if !has_applicable_fix(&before) {
                continue;
            }
            if !before.project.syntax_errors.is_empty() {
                unparsable.push(name);
                continue;
            }
            if let Err(diff) = terraform_fmt_check(temp.path()) {
                failures.push(format!(
                    "{name}: the fixture itself is not formatted (run terraform fmt on it):\n{diff}"
                ));
                continue;
            }
            let output = meshlint(&["check", "--fix", "--unsafe-fixes", "--quiet"], temp.path());
            assert_ne!(
                output.status.code(),
                Some(2),
                "{name}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            if let Err(diff) = terraform_fmt_check(temp.path()) {
                failures.push(format!(
                    "{name}: terraform fmt would change the fixed files:\n{diff}"
                ));
            }
            checked.push(name);
        }
    }
    if !unparsable.is_empty() {
        eprintln!(
            "not checked with terraform fmt (they do not parse): {}",
            unparsable.join(", ")
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        checked.len() >= 60,
        "only {} fixtures had fixes: {checked:?}",
        checked.len()
    );
}

#[test]
fn diff_writes_nothing_and_exits_one_when_something_would_change() {
    let temp = copy_to_temp(&repo_root().join("fixtures/port-not-string/bad-inline-number-v0.1.1"));
    let before = texts(temp.path());
    let output = meshlint(&["check", "--diff"], temp.path());
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(diff.starts_with("--- a/main.tf\n+++ b/main.tf\n"), "{diff}");
    assert!(
        diff.contains("-  port                       = 9090")
            && diff.contains("+  port                       = \"9090\""),
        "{diff}"
    );
    assert_eq!(texts(temp.path()), before);
    let clean = meshlint(
        &["check", "--diff"],
        &repo_root().join("fixtures/projects/install-guide-final"),
    );
    assert_eq!(clean.status.code(), Some(0));
    assert!(clean.stdout.is_empty());
}

/// `--diff` exits 1 exactly when `--fix` would change something, and says on stderr how many
/// findings the fixes would leave, and how many of those `--unsafe-fixes` would fix.
#[test]
fn diff_says_what_the_fixes_would_leave() {
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();
    let seed = repo_root().join("fixtures/projects/seed-mistakes");
    let some_left = meshlint(&["check", "--diff"], &seed);
    assert_eq!(some_left.status.code(), Some(1), "{}", stderr(&some_left));
    assert!(!some_left.stdout.is_empty());
    assert!(
        stderr(&some_left).contains("note: 3 findings would remain unfixed\n"),
        "{}",
        stderr(&some_left)
    );

    let only_unsafe = repo_root().join("fixtures/bind-all-interfaces/bad-bind-address-env");
    let nothing_safe = meshlint(&["check", "--diff"], &only_unsafe);
    assert_eq!(nothing_safe.status.code(), Some(0), "nothing would change");
    assert!(nothing_safe.stdout.is_empty());
    assert!(
        stderr(&nothing_safe)
            .contains("note: 1 finding would remain unfixed; --unsafe-fixes would fix 1 of them"),
        "{}",
        stderr(&nothing_safe)
    );
    let with_unsafe = meshlint(&["check", "--diff", "--unsafe-fixes"], &only_unsafe);
    assert_eq!(with_unsafe.status.code(), Some(1));
    assert!(
        !stderr(&with_unsafe).contains("would remain"),
        "{}",
        stderr(&with_unsafe)
    );

    let clean = meshlint(
        &["check", "--diff"],
        &repo_root().join("fixtures/projects/install-guide-final"),
    );
    assert_eq!(clean.status.code(), Some(0));
    assert!(
        clean.stdout.is_empty() && clean.stderr.is_empty(),
        "{}",
        stderr(&clean)
    );
}

#[test]
fn unsafe_fixes_need_the_flag() {
    let temp = copy_to_temp(&repo_root().join("fixtures/bind-all-interfaces/bad-bind-address-env"));
    let before = texts(temp.path());
    meshlint(&["check", "--fix"], temp.path());
    assert_eq!(
        texts(temp.path()),
        before,
        "an unsafe fix was applied without --unsafe-fixes"
    );
    meshlint(&["check", "--fix", "--unsafe-fixes"], temp.path());
    assert!(texts(temp.path())[0].1.contains("\"127.0.0.1:9090\""));
}

#[test]
fn only_the_edited_bytes_change() {
    let temp = copy_to_temp(&repo_root().join("fixtures/port-not-string/bad-inline-number-v0.1.1"));
    let path = temp.path().join("main.tf");
    let original = std::fs::read_to_string(&path).unwrap();
    meshlint(&["check", "--fix"], temp.path());
    let expected = original.replacen("= 9090 # expect", "= \"9090\" # expect", 1);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
}

#[test]
fn crlf_files_keep_crlf() {
    let temp = copy_to_temp(
        &repo_root().join("fixtures/task-role-missing-ecs-permissions/bad-role-without-any-policy"),
    );
    for file in files_below(temp.path()) {
        let text = std::fs::read_to_string(&file).unwrap().replace('\n', "\r\n");
        std::fs::write(&file, text).unwrap();
    }
    meshlint(&["check", "--fix", "--unsafe-fixes"], temp.path());
    let fixed = std::fs::read_to_string(temp.path().join("iam.tf")).unwrap();
    assert!(fixed.contains("inline_policy"), "the fix was applied");
    assert!(!fixed.replace("\r\n", "").contains('\n'), "a bare LF crept in");
    assert!(check_in(temp.path())
        .diagnostics
        .iter()
        .all(|d| d.rule.name() != "task-role-missing-ecs-permissions"));
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_reported_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let temp = copy_to_temp(&repo_root().join("fixtures/port-not-string/bad-inline-number-v0.1.1"));
    let path = temp.path().join("main.tf");
    let original = std::fs::read_to_string(&path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let output = meshlint(&["check", "--fix"], temp.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write main.tf: the file is read-only"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    let leftovers: Vec<_> = files_below(temp.path())
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains("meshlint-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The layout fixes are settled into (`edit::fmt::settle`) is `terraform fmt`'s: on every
/// formatted Terraform file of the fixtures and `tests/data/fmt_layout.tf`, each key renamed longer and shorter, and each
/// comment line removed (which joins the groups around it), comes out as fmt leaves it.
#[test]
fn settled_edits_agree_with_terraform_fmt() {
    use meshlint::edit::fmt::{settle, Applied};
    if !terraform_installed() {
        return;
    }
    let key = regex::Regex::new(r"(?m)^[ ]*([A-Za-z_][A-Za-z0-9_]*)[ ]*=[^=>]").unwrap();
    let comment_line = regex::Regex::new(r"(?m)^[ ]*(#|//)[^\n]*\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut cases: Vec<String> = Vec::new();
    let mut write = |origin: String, before: &str, range: std::ops::Range<usize>, replacement: &str| {
        let mut after = before.to_string();
        after.replace_range(range.clone(), replacement);
        let applied = Applied {
            after: range.start..range.start + replacement.len(),
            before: range,
        };
        let settled = settle(before, &after, &[applied]);
        std::fs::write(out.path().join(format!("case{}.tf", cases.len())), settled).unwrap();
        cases.push(origin);
    };
    let mut files = files_below(&repo_root().join("fixtures"));
    files.push(repo_root().join("tests/data/fmt_layout.tf"));
    for file in files {
        let shown = file.strip_prefix(repo_root()).unwrap().display().to_string();
        if !(shown.ends_with(".tf") || shown.ends_with(".tfvars")) || shown.contains("syntax-error") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, found) in key.captures_iter(&text).enumerate() {
            let name = found.get(1).unwrap();
            let longer = format!("{}_renamed_longer", name.as_str());
            write(
                format!("{shown}: {} -> {longer}", name.as_str()),
                &text,
                name.range(),
                &longer,
            );
            let shorter = format!("k{n}");
            write(
                format!("{shown}: {} -> {shorter}", name.as_str()),
                &text,
                name.range(),
                &shorter,
            );
        }
        for found in comment_line.find_iter(&text) {
            let origin = format!("{shown}: without {:?}", found.as_str().trim());
            write(origin, &text, found.range(), "");
        }
    }
    assert!(cases.len() > 1000, "only {} cases", cases.len());
    if let Err(diff) = terraform_fmt_check(out.path()) {
        let files: Vec<String> = diff
            .lines()
            .filter_map(|l| l.strip_prefix("--- old/case"))
            .filter_map(|n| n.trim_end_matches(".tf").parse::<usize>().ok())
            .map(|n| format!("case{n}.tf: {}", cases[n]))
            .collect();
        let shown: String = diff.chars().take(6000).collect();
        panic!(
            "{} settled texts differ from terraform fmt:\n{}\n{shown}",
            files.len(),
            files.join("\n")
        );
    }
}

/// Regression: in a `.tf.json` file the `jsonencode()` fix was two empty edits, so `--fix`
/// said "fixed 1 problem" and changed nothing. It now writes the list as JSON.
#[test]
fn unwrapping_jsonencode_in_a_tf_json_file_writes_the_list_as_json() {
    let temp =
        copy_to_temp(&repo_root().join("fixtures/jsonencoded-container-definitions/bad-tf-json-v0.10.0"));
    let path = temp.path().join("main.tf.json");
    let before = std::fs::read_to_string(&path).unwrap();
    let output = meshlint(&["check", "--fix"], temp.path());
    assert!(String::from_utf8_lossy(&output.stdout).contains("fixed 1 problem"));
    let after = std::fs::read_to_string(&path).unwrap();
    assert_ne!(after, before);
    let json: serde_json::Value = serde_json::from_str(&after).expect("still JSON");
    let definitions = &json["module"]["catalog"]["container_definitions"];
    assert_eq!(definitions[0]["image"], "docker.io/example/catalog:${var.tag}");
    assert_eq!(definitions[0]["portMappings"][0]["containerPort"], 9090);
    assert_eq!(definitions[0]["environment"], "${var.environment}");
    assert!(check_in(temp.path()).diagnostics.is_empty());
}

/// A fix written in native syntax that a JSON file cannot take (a new `key = value` line) is
/// not offered there, rather than offered and refused.
#[test]
fn a_fix_that_json_cannot_take_is_not_offered_there() {
    let report =
        check_in(&repo_root().join("fixtures/service-missing-propagate-tags/bad-tf-json-no-fix-in-json"));
    let finding = report
        .diagnostics
        .iter()
        .find(|d| d.rule == RuleId::ServiceMissingPropagateTags)
        .expect("the finding");
    assert!(finding.fix.is_none(), "{:?}", finding.fix);
    let native = check_in(
        &repo_root()
            .join("fixtures/service-missing-propagate-tags/bad-v0.2.0-service-without-propagate-tags"),
    );
    assert!(native
        .diagnostics
        .iter()
        .any(|d| d.rule == RuleId::ServiceMissingPropagateTags && d.fix.is_some()));
}
