//! End-to-end tests of the real binary: formats, exit codes, selection, failure modes.

mod common;

use common::cli::*;
use common::repo_root;
use serde_json::Value;

const SEED: &str = "fixtures/projects/seed-mistakes";
const CLEAN: &str = "fixtures/projects/install-guide-final";

#[test]
fn human_output_on_the_seed_project() {
    let output = run(&["check", SEED]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(!text.contains('\u{1b}'), "no colour when not on a terminal");
    insta::assert_snapshot!("seed_mistakes_human", text);
}

#[test]
fn json_output_follows_the_documented_shape() {
    let output = run(&["check", SEED, "--format", "json"]);
    assert_eq!(code(&output), 1);
    let doc = json(&output);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "meshlint");
    assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let diagnostics = doc["diagnostics"].as_array().expect("diagnostics array");
    assert!(!diagnostics.is_empty());
    let mut previous: Option<(String, u64, u64)> = None;
    for d in diagnostics {
        for key in ["rule", "code", "severity", "message", "file", "fingerprint"] {
            assert!(d[key].is_string(), "{key} is a string in {d}");
        }
        assert!(d["notes"].is_array() && d["labels"].is_array(), "{d}");
        assert!(d.get("help").is_some(), "help is always present (string or null)");
        assert!(["error", "warning", "info"].contains(&d["severity"].as_str().unwrap()));
        let file = d["file"].as_str().unwrap();
        assert!(
            !file.starts_with('/') && !file.contains('\\'),
            "relative path with /: {file}"
        );
        let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
        let (start, end) = (&d["range"]["start"], &d["range"]["end"]);
        let (s, e) = (
            start["offset"].as_u64().unwrap() as usize,
            end["offset"].as_u64().unwrap() as usize,
        );
        assert!(s <= e && e <= text.len());
        // Line and column agree with the offset (1-based, columns in characters).
        let line = text[..s].matches('\n').count() + 1;
        let column = text[..s].rsplit('\n').next().unwrap().chars().count() + 1;
        assert_eq!(
            (
                start["line"].as_u64().unwrap() as usize,
                start["column"].as_u64().unwrap() as usize
            ),
            (line, column)
        );
        if let Some(fix) = d.get("fix") {
            assert!(["safe", "unsafe", "display-only"].contains(&fix["applicability"].as_str().unwrap()));
            for edit in fix["edits"].as_array().unwrap() {
                assert!(edit["replacement"].is_string() && edit["range"]["start"]["offset"].is_u64());
            }
        }
        let key = (
            file.to_string(),
            start["line"].as_u64().unwrap(),
            start["column"].as_u64().unwrap(),
        );
        if let Some(prev) = &previous {
            assert!(prev <= &key, "sorted by file, line, column");
        }
        previous = Some(key);
    }
    let summary = &doc["summary"];
    let errors = diagnostics.iter().filter(|d| d["severity"] == "error").count();
    assert_eq!(summary["errors"].as_u64().unwrap() as usize, errors);
    assert!(summary["files"].as_u64().unwrap() >= 3);
}

#[test]
fn json_fingerprints_survive_unrelated_edits() {
    let dir = tempfile::tempdir().unwrap();
    let main = "module \"web\" {\n  source = \"hashicorp/consul-ecs/aws//modules/mesh-task\"\n  version = \"<latest version>\"\n}\n";
    std::fs::write(dir.path().join("main.tf"), main).unwrap();
    let before = json(&meshlint(&["check", "--format", "json"], dir.path()));
    std::fs::write(dir.path().join("main.tf"), format!("# a comment\n\n{main}")).unwrap();
    let after = json(&meshlint(&["check", "--format", "json"], dir.path()));
    let prints = |doc: &Value| -> Vec<String> {
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!prints(&before).is_empty());
    assert_eq!(prints(&before), prints(&after));
}

#[test]
fn clean_project_exits_zero() {
    let output = run(&["check", CLEAN]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(stdout(&output).starts_with("no problems found; checked "));
}

#[test]
fn fail_on_sets_the_threshold() {
    // leftover-task-definition is a warning; select only it.
    let args = ["check", SEED, "--select", "leftover-task-definition"];
    assert_eq!(code(&run(&args)), 1, "warnings fail by default");
    assert_eq!(code(&run(&[&args[..], &["--fail-on", "error"]].concat())), 0);
    assert_eq!(code(&run(&[&args[..], &["--fail-on", "info"]].concat())), 1);
    assert_eq!(code(&run(&["check", SEED, "--fail-on", "never"])), 0);
}

#[test]
fn select_and_ignore_take_names_and_codes() {
    let rules_in = |args: &[&str]| -> Vec<String> {
        let doc = json(&run(&[&["check", SEED, "--format", "json"], args].concat()));
        let mut rules: Vec<String> = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect();
        rules.dedup();
        rules
    };
    assert_eq!(rules_in(&["--select", "MESH002"]), ["port-not-string"]);
    assert_eq!(rules_in(&["--select", "port-not-string,mesh013"]).len(), 2);
    let all = rules_in(&[]);
    let ignored = rules_in(&["--ignore", "port-not-string"]);
    assert!(all.contains(&"port-not-string".to_string()));
    assert!(!ignored.contains(&"port-not-string".to_string()));
    assert_eq!(ignored.len() + 1, {
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        unique.len()
    });
}

#[test]
fn unknown_rule_is_a_usage_error_with_a_suggestion() {
    let output = run(&["check", SEED, "--select", "port-not-strng"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("did you mean `port-not-string`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn missing_path_exits_two_with_a_clear_message() {
    let output = run(&["check", "no/such/dir"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("path does not exist: no/such/dir"),
        "{}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn bad_flag_exits_two() {
    assert_eq!(code(&run(&["check", "--no-such-flag"])), 2);
    assert_eq!(code(&run(&["check", "--format", "xml"])), 2);
}

#[test]
fn binary_garbage_is_a_syntax_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(dir.path().join("garbage.tf"), &garbage).unwrap();
    std::fs::write(
        dir.path().join("invalid-utf8.tf"),
        b"locals {\n  a = \"\xff\xfe\"\n}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("ok.tf"), "locals {\n  a = 1\n}\n").unwrap();
    let output = meshlint(&["check", "--format", "json"], dir.path());
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"));
    let doc = json(&output);
    let found: Vec<(String, String)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("garbage.tf".to_string(), "syntax-error".to_string()),
            ("invalid-utf8.tf".to_string(), "syntax-error".to_string())
        ]
    );
    let invalid = &doc["diagnostics"][1]["range"]["start"];
    assert_eq!(
        (invalid["line"].as_u64(), invalid["column"].as_u64()),
        (Some(2), Some(8))
    );
    assert_eq!(doc["summary"]["files"], 3);
    // The human renderer copes with it too.
    let human = meshlint(&["check"], dir.path());
    assert_eq!(code(&human), 1);
    assert!(stdout(&human).contains("syntax-error"));
}

#[test]
fn output_flag_writes_the_report_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.json");
    let output = run(&[
        "check",
        SEED,
        "--format",
        "json",
        "--output",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 1);
    assert!(output.stdout.is_empty());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(written["version"], 1);
}

#[test]
fn quiet_leaves_out_the_summary() {
    let output = run(&["check", CLEAN, "--quiet"]);
    assert_eq!(code(&output), 0);
    assert!(stdout(&output).is_empty());
}

#[test]
fn a_file_argument_reports_that_file_with_its_module_as_context() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("variables.tf"),
        "variable \"port\" {\n  default = 9090\n}\n",
    )
    .unwrap();
    let call = "module \"web\" {\n  source = \"hashicorp/consul-ecs/aws//modules/mesh-task\"\n  version = \"0.1.1\"\n  family = \"web\"\n  execution_role_arn = \"arn:aws:iam::111111111111:role/x\"\n  task_role_arn = \"arn:aws:iam::111111111111:role/y\"\n  container_definitions = []\n  retry_join = \"consul\"\n  port = var.port\n}\n";
    std::fs::write(dir.path().join("main.tf"), call).unwrap();
    std::fs::write(dir.path().join("other.tf"), call.replace("\"web\"", "\"api\"")).unwrap();
    let doc = json(&meshlint(&["check", "main.tf", "--format", "json"], dir.path()));
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{doc}");
    assert_eq!(diagnostics[0]["rule"], "port-not-string");
    assert_eq!(diagnostics[0]["file"], "main.tf");
    assert_eq!(diagnostics[0]["labels"][0]["file"], "variables.tf");
}

#[test]
fn gitignored_and_terraform_cache_directories_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let bad = "module \"m\" {\n  source = \"hashicorp/consul-ecs/aws//modules/mesh-task\"\n  version = \"latest\"\n}\n";
    for sub in [".terraform/modules/x", "ignored", "node_modules/y"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("main.tf"), bad).unwrap();
    }
    std::fs::write(dir.path().join(".gitignore"), "ignored/\n").unwrap();
    std::fs::write(dir.path().join("main.tf"), "locals {}\n").unwrap();
    let output = meshlint(&["check"], dir.path());
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert_eq!(
        stdout(&output),
        "no problems found; checked 1 file (1 Terraform, 0 application)\n"
    );
}

#[test]
fn rules_command_lists_every_rule() {
    let output = run(&["rules"]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    for id in meshlint::catalog::RuleId::all() {
        assert!(
            text.contains(id.code()) && text.contains(id.name()),
            "{}",
            id.name()
        );
    }
}

#[test]
fn rule_command_prints_the_document_by_name_or_code() {
    let by_code = run(&["rule", "MESH002"]);
    assert_eq!(code(&by_code), 0);
    assert!(stdout(&by_code).starts_with("# port-not-string (MESH002)"));
    assert_eq!(stdout(&by_code), stdout(&run(&["rule", "port-not-string"])));
    assert_eq!(code(&run(&["rule", "nope"])), 2);
}

#[test]
fn version_flag() {
    let output = run(&["--version"]);
    assert_eq!(code(&output), 0);
    assert_eq!(
        stdout(&output).trim(),
        format!("meshlint {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn colour_follows_the_flag_then_force_color_and_no_color() {
    let dir = repo_root().join("fixtures/port-not-string/bad-inline-number-v0.1.1");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_meshlint"));
        command.arg("check").args(args).arg(&dir).current_dir(repo_root());
        for name in ["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "TERM"] {
            command.env_remove(name);
        }
        command.envs(env.iter().copied());
        let out = command.output().unwrap();
        String::from_utf8(out.stdout).unwrap().contains("\u{1b}[")
    };
    assert!(!run(&[], &[]), "a pipe gets no colour");
    assert!(run(&[], &[("FORCE_COLOR", "1")]));
    assert!(run(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(!run(&["--color", "never"], &[("FORCE_COLOR", "1")]));
    assert!(!run(&["--no-color"], &[("FORCE_COLOR", "1")]));
    assert!(run(&["--color", "always"], &[("NO_COLOR", "1")]));
}

#[test]
fn statistics_count_findings_per_rule_in_text_and_json() {
    let project = "fixtures/projects/seed-mistakes";
    let all = json(&run(&["check", project, "--format", "json"]));
    let total = all["diagnostics"].as_array().unwrap().len();
    let text = run(&["check", project, "--statistics"]);
    assert_eq!(code(&text), 1, "findings still fail the run");
    let text = stdout(&text);
    assert!(text.contains("MESH002  port-not-string"), "{text}");
    assert!(
        text.lines().all(|l| !l.contains("error[")),
        "findings are not listed: {text}"
    );
    let rows: Value = json(&run(&["check", project, "--statistics", "--format", "json"]));
    let rows = rows.as_array().unwrap();
    let counted: u64 = rows.iter().map(|r| r["count"].as_u64().unwrap()).sum();
    assert_eq!(counted as usize, total);
    let port = rows.iter().find(|r| r["name"] == "port-not-string").unwrap();
    assert_eq!(port["code"], "MESH002");
    assert_eq!(port["fixable"], 1);
}

#[test]
fn extend_select_and_extend_ignore_add_to_the_configuration() {
    let dir = common::copy_to_temp(&repo_root().join("fixtures/projects/seed-mistakes"));
    std::fs::write(
        dir.path().join(".meshlint.toml"),
        "select = [\"port-not-string\"]\n",
    )
    .unwrap();
    let rules = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        json(&meshlint(&all, dir.path()))["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules(&[]), vec!["port-not-string"]);
    let extended = rules(&["--extend-select", "MESH013"]);
    assert_eq!(extended.len(), 2, "{extended:?}");
    assert!(extended.contains(&"placeholder-module-version".to_string()));
    assert!(rules(&["--extend-ignore", "port-not-string"]).is_empty());
    let out = meshlint(&["check", "--extend-select", "port-not-strin"], dir.path());
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("did you mean `port-not-string`?"));
}

#[test]
fn rules_as_json_list_every_rule_with_its_document() {
    let rules = json(&run(&["rules", "--format", "json"]));
    let rules = rules.as_array().unwrap();
    assert_eq!(rules.len(), meshlint::catalog::RuleId::ALL.len());
    let port = rules.iter().find(|r| r["code"] == "MESH002").unwrap();
    assert_eq!(port["name"], "port-not-string");
    assert_eq!(port["fix"]["applicability"], "safe");
    assert!(port["url"]
        .as_str()
        .unwrap()
        .ends_with("/rules/port-not-string.md"));
    assert!(rules.iter().any(|r| r["fix"].is_null()));
}

#[test]
fn per_file_ignores_turn_rules_off_in_matching_files_only() {
    let dir = common::copy_to_temp(&repo_root().join("fixtures/projects/seed-mistakes"));
    let located = |dir: &std::path::Path| -> Vec<(String, String)> {
        json(&meshlint(&["check", "--format", "json"], dir))["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["file"].as_str().unwrap().to_string(),
                    d["rule"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let before = located(dir.path());
    assert!(before.contains(&("web.tf".to_string(), "port-not-string".to_string())));
    std::fs::write(
        dir.path().join(".meshlint.toml"),
        "[per-file-ignores]\n\"web.tf\" = [\"port-not-string\", \"MESH013\"]\n\"b*.tf\" = [\"leftover-task-definition\"]\n",
    )
    .unwrap();
    let after = located(dir.path());
    let gone: Vec<&(String, String)> = before.iter().filter(|f| !after.contains(f)).collect();
    assert_eq!(
        gone,
        vec![
            &("backend.tf".to_string(), "leftover-task-definition".to_string()),
            &("web.tf".to_string(), "placeholder-module-version".to_string()),
            &("web.tf".to_string(), "port-not-string".to_string()),
        ]
    );
    let shown = stdout(&meshlint(&["check", "--show-config"], dir.path()));
    assert!(
        shown.contains("\"web.tf\" = [\"port-not-string\", \"placeholder-module-version\"]"),
        "{shown}"
    );
    std::fs::write(
        dir.path().join(".meshlint.toml"),
        "[per-file-ignores]\n\"web.tf\" = [\"port-not-strin\"]\n",
    )
    .unwrap();
    let out = meshlint(&["check"], dir.path());
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("did you mean `port-not-string`?"));
}

#[test]
fn init_writes_a_valid_commented_configuration_from_the_project() {
    let dir = common::copy_to_temp(&repo_root().join("fixtures/projects/seed-mistakes"));
    let _ = std::fs::remove_file(dir.path().join(".meshlint.toml"));
    std::fs::create_dir_all(dir.path().join("services/ledger")).unwrap();
    std::fs::write(
        dir.path().join("services/ledger/app.py"),
        "import requests\nrequests.get(\"http://backend:8080/x\")\n",
    )
    .unwrap();
    let out = meshlint(&["init"], dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let written = std::fs::read_to_string(dir.path().join(".meshlint.toml")).unwrap();
    assert!(written.contains("mesh-task v0.1.1"), "{written}");
    assert!(written.contains("dev-server"), "{written}");
    assert!(
        written.contains("[mesh.families]\n# \"services/ledger\" = \"ledger\""),
        "{written}"
    );
    let shown = meshlint(&["check", "--show-config"], dir.path());
    assert_eq!(code(&shown), 0, "the written file is valid: {}", stderr(&shown));
    let again = meshlint(&["init"], dir.path());
    assert_eq!(code(&again), 2);
    assert!(stderr(&again).contains("exists; --force replaces it"));
    assert_eq!(code(&meshlint(&["init", "--force"], dir.path())), 0);
}
