//! Runs every fixture: each case directory must produce exactly the (file, line, rule) pairs
//! its `expect:` markers name, across all rules.

mod common;

use common::*;
use meshlint::catalog::RuleId;
use meshlint::rule::{Applicability, FixAvailability};

fn case_dirs() -> Vec<std::path::PathBuf> {
    let root = repo_root().join("fixtures");
    subdirs(&root)
        .into_iter()
        .flat_map(|group| subdirs(&group))
        .collect()
}

#[test]
fn every_fixture_produces_exactly_its_markers() {
    let mut failures = String::new();
    let cases = case_dirs();
    assert!(cases.len() > 20, "fixtures are missing: {}", cases.len());
    for case in &cases {
        let report = check_dir(case);
        let expected = markers(case);
        if let Some(diff) = mismatch(&report, &expected) {
            failures.push_str(&format!("{}:\n{diff}", case.display()));
        }
    }
    assert!(failures.is_empty(), "fixture mismatches:\n{failures}");
}

#[test]
fn good_cases_have_no_markers_and_bad_cases_mark_their_rule() {
    for case in case_dirs() {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let group = case
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        if group == "projects" {
            continue;
        }
        let marked = markers(&case);
        if name.starts_with("good-") {
            assert!(
                marked.is_empty(),
                "{}: a good case carries markers",
                case.display()
            );
        } else {
            assert!(
                name.starts_with("bad-"),
                "{}: case names start with bad- or good-",
                case.display()
            );
            assert!(
                marked.iter().any(|(_, _, rule)| *rule == group),
                "{}: a bad case must mark at least one `{group}`",
                case.display()
            );
        }
    }
}

#[test]
fn every_rule_has_bad_and_good_fixtures() {
    for id in RuleId::all() {
        let dir = repo_root().join("fixtures").join(id.name());
        let cases: Vec<String> = subdirs(&dir)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
            .collect();
        assert!(
            cases.iter().any(|c| c.starts_with("bad-")),
            "{}: no bad fixture",
            id.name()
        );
        assert!(
            cases.iter().any(|c| c.starts_with("good-")),
            "{}: no good fixture",
            id.name()
        );
    }
}

#[test]
fn rules_emit_only_the_fixes_they_declare() {
    for case in case_dirs() {
        for d in check_dir(&case).diagnostics {
            let declared = d.rule.fix_availability();
            match (&d.fix, declared) {
                (None, FixAvailability::Always(_)) => panic!(
                    "{}: {} declares a fix on every finding",
                    case.display(),
                    d.rule.name()
                ),
                (None, _) => {}
                // A rule whose fix is safe offers it as unsafe where the edit would reach
                // further than the finding (a literal shared by every instance of a
                // `for_each` call); never the other way round.
                (Some(fix), FixAvailability::Always(a) | FixAvailability::Sometimes(a)) => {
                    let downgraded = a == Applicability::Safe && fix.applicability == Applicability::Unsafe;
                    assert!(
                        fix.applicability == a || downgraded,
                        "{}: {} fix kind {:?}, declared {:?}",
                        case.display(),
                        d.rule.name(),
                        fix.applicability,
                        a
                    )
                }
                (Some(_), FixAvailability::None) => {
                    panic!("{}: {} declares no fix", case.display(), d.rule.name())
                }
            }
        }
    }
}

#[test]
fn output_is_identical_across_runs() {
    let dir = repo_root().join("fixtures/projects/seed-mistakes");
    let render = || {
        let report = check_dir(&dir);
        meshlint::output::render(
            &report,
            meshlint::output::Format::Json,
            &meshlint::output::RenderOptions {
                color: false,
                quiet: false,
                ..Default::default()
            },
        )
    };
    assert_eq!(render(), render());
}

/// Each place a finding shows is shown once: no two labels on one span or one inside the
/// other, and no label on the primary span itself (the rule says that in its message).
#[test]
fn labels_show_each_place_once() {
    let mut failures = Vec::new();
    for case in case_dirs() {
        for d in check_dir(&case).diagnostics {
            let spans: Vec<_> = d.labels.iter().map(|l| l.span).collect();
            for (i, a) in spans.iter().enumerate() {
                let nested = spans.iter().enumerate().any(|(j, b)| i != j && a.contains(*b));
                if nested || *a == d.span {
                    failures.push(format!("{}: {}: {:?}", case.display(), d.message, d.labels));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "labels shown twice:\n{}",
        failures.join("\n")
    );
}

/// An environment lookup's fallback whose variable the task may or may not set is said as
/// `info`, without a fix, by both rules that weigh fallbacks.
#[test]
fn undecidable_fallbacks_are_info_without_a_fix() {
    use meshlint::catalog::Severity;
    for case in [
        "hardcoded-upstream-url/bad-fallback-environment-unknown",
        "bind-all-interfaces/bad-go-addr-fallback-environment-unknown",
    ] {
        let report = check_dir(&repo_root().join("fixtures").join(case));
        assert_eq!(report.diagnostics.len(), 1, "{case}");
        let finding = &report.diagnostics[0];
        assert_eq!(finding.severity, Severity::Info, "{case}");
        assert!(finding.fix.is_none(), "{case}");
    }
    // When the task's environment is known and does not set it, the fallback is what runs.
    let report = check_dir(
        &repo_root().join("fixtures/bind-all-interfaces/bad-python-host-fallback-task-does-not-set"),
    );
    assert_eq!(report.diagnostics[0].severity, Severity::Error);
    assert!(report.diagnostics[0].fix.is_some());
}
