//! The unsafe fix of `task-role-missing-ecs-permissions` must give a role the rule accepts.

mod common;

use common::*;
use meshlint::catalog::RuleId;

#[test]
fn added_statements_satisfy_the_rule_and_keep_the_files_valid() {
    let rule = RuleId::find("task-role-missing-ecs-permissions").unwrap();
    let mut fixed_cases = 0;
    for case in subdirs(&repo_root().join("fixtures/task-role-missing-ecs-permissions")) {
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
        if with_fix == 0 {
            // Only a Deny can leave no fix: adding an Allow would not help.
            assert!(name.contains("deny"), "{name}: no fix offered");
            continue;
        }
        assert!(apply_fixes(&before, temp.path(), rule) > 0);
        let after = check_in(temp.path());
        let left: Vec<String> = after
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.rule.name(), d.message))
            .collect();
        assert!(left.is_empty(), "{name}: after the fix: {left:?}");
        fixed_cases += 1;
        terraform_fmt_accepts(temp.path(), &name);
    }
    assert!(fixed_cases >= 8, "only {fixed_cases} cases were fixed");
}

/// Terraform's formatter must accept the fixed files as they are; without Terraform the check
/// is skipped with a note, except in CI (`CI` set).
fn terraform_fmt_accepts(dir: &std::path::Path, name: &str) {
    let Ok(output) = std::process::Command::new("terraform")
        .args(["fmt", "-check", "-diff"])
        .current_dir(dir)
        .output()
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install terraform 1.11 first (.ci/run checks for it)"
        );
        eprintln!("terraform not installed: skipping the format check");
        return;
    };
    assert!(
        output.status.success(),
        "{name}: terraform fmt -check:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}
