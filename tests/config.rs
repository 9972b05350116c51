//! `.meshlint.toml` and its command-line overrides, end to end on the real binary.

mod common;

use common::cli::*;
use serde_json::Value;
use std::path::Path;

/// A v0.1.1 mesh-task with a numeric port: one `port-not-string` error.
const NUMERIC_PORT: &str = "module \"web\" {\n  source = \"hashicorp/consul-ecs/aws//modules/mesh-task\"\n  version = \"0.1.1\"\n  family = \"web\"\n  execution_role_arn = \"arn:aws:iam::111111111111:role/execution\"\n  task_role_arn = \"arn:aws:iam::111111111111:role/task\"\n  container_definitions = []\n  retry_join = \"consul.example.internal\"\n  port = 9090\n}\n";

fn write(dir: &Path, file: &str, text: &str) {
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// (file, rule, severity) of each diagnostic.
fn found(doc: &Value) -> Vec<(String, String, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap().to_string();
            (text("file"), text("rule"), text("severity"))
        })
        .collect()
}

#[test]
fn severity_override_and_fail_on_come_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", NUMERIC_PORT);
    let before = meshlint(&["check", "--format", "json"], dir.path());
    assert_eq!(code(&before), 1);
    assert_eq!(found(&json(&before))[0].2, "error");

    write(
        dir.path(),
        ".meshlint.toml",
        "fail-on = \"error\"\n[severity]\nMESH002 = \"warning\"\n",
    );
    let after = meshlint(&["check", "--format", "json"], dir.path());
    assert_eq!(code(&after), 0, "a warning does not reach fail-on = error");
    let doc = json(&after);
    assert_eq!(
        found(&doc),
        [("main.tf".into(), "port-not-string".into(), "warning".into())]
    );
    assert_eq!(doc["summary"]["warnings"], 1);
    // The command line wins over the file.
    assert_eq!(code(&meshlint(&["check", "--fail-on", "warning"], dir.path())), 1);
}

#[test]
fn select_ignore_and_exclude_from_the_file_with_command_line_overrides() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", NUMERIC_PORT);
    write(dir.path(), "legacy/main.tf", NUMERIC_PORT);
    write(dir.path(), ".meshlint.toml", "ignore = [\"port-not-string\"]\n");
    let ignored = meshlint(&["check"], dir.path());
    assert_eq!(code(&ignored), 0, "{}", stdout(&ignored));
    assert_eq!(
        stdout(&ignored),
        "no problems found; checked 2 files (2 Terraform, 0 application)\n"
    );
    // --ignore replaces the file's list.
    let overridden = json(&meshlint(
        &["check", "--format", "json", "--ignore", "MESH013"],
        dir.path(),
    ));
    assert_eq!(found(&overridden).len(), 2);

    write(dir.path(), ".meshlint.toml", "exclude = [\"legacy\"]\n");
    let excluded = json(&meshlint(&["check", "--format", "json"], dir.path()));
    assert_eq!(
        found(&excluded),
        [("main.tf".into(), "port-not-string".into(), "error".into())]
    );
    assert_eq!(excluded["summary"]["files"], 1, "excluded files are not read");

    write(
        dir.path(),
        ".meshlint.toml",
        "select = [\"leftover-task-definition\"]\n",
    );
    assert_eq!(code(&meshlint(&["check"], dir.path())), 0);
    assert_eq!(
        code(&meshlint(&["check", "--select", "port-not-string"], dir.path())),
        1
    );
}

#[test]
fn the_nearest_file_upwards_applies_to_each_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/main.tf", NUMERIC_PORT);
    write(dir.path(), "b/main.tf", NUMERIC_PORT);
    write(
        dir.path(),
        ".meshlint.toml",
        "[severity]\nport-not-string = \"info\"\n",
    );
    write(dir.path(), "b/.meshlint.toml", "ignore = [\"port-not-string\"]\n");
    let doc = json(&meshlint(&["check", "--format", "json"], dir.path()));
    assert_eq!(
        found(&doc),
        [("a/main.tf".into(), "port-not-string".into(), "info".into())]
    );
    // Found from a path below it as well, and from a file argument.
    let from_sub = json(&meshlint(
        &["check", "--format", "json", "main.tf"],
        &dir.path().join("a"),
    ));
    assert_eq!(found(&from_sub)[0].2, "info");
}

#[test]
fn config_flag_names_the_file_and_a_missing_one_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", NUMERIC_PORT);
    write(dir.path(), ".meshlint.toml", "ignore = [\"port-not-string\"]\n");
    write(dir.path(), "ci/strict.toml", "fail-on = \"info\"\n");
    let output = meshlint(&["check", "--config", "ci/strict.toml"], dir.path());
    assert_eq!(
        code(&output),
        1,
        "the nearest file is not read when --config is given"
    );
    let missing = meshlint(&["check", "--config", "nope.toml"], dir.path());
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).contains("configuration file does not exist: nope.toml"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn unknown_keys_and_rules_exit_two_with_a_suggestion() {
    let cases = [
        ("selct = [\"MESH002\"]\n", ".meshlint.toml:1:1: unknown key `selct`; did you mean `select`?"),
        ("ignore = [\"port-not-strig\"]\n", ".meshlint.toml:1:11: unknown rule `port-not-strig`; did you mean `port-not-string`?"),
        ("[rules.bind-all-interface]\nallow = []\n", "unknown rule `bind-all-interface` in `[rules]`; did you mean `bind-all-interfaces`?"),
        ("[rules.hardcoded-upstream-url]\nallowed_hosts = []\n", ".meshlint.toml:2:1: unknown key `allowed_hosts` in `[rules.hardcoded-upstream-url]`; did you mean `allowed-hosts`?"),
        ("fail-on = 1\n", "`fail-on` must be a string, not an integer"),
        ("[severity\n", ".meshlint.toml:1:"),
    ];
    for (text, wanted) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "main.tf", NUMERIC_PORT);
        write(dir.path(), ".meshlint.toml", text);
        let output = meshlint(&["check"], dir.path());
        assert_eq!(code(&output), 2, "{text}");
        assert!(stderr(&output).contains(wanted), "{text}: {}", stderr(&output));
        assert!(output.stdout.is_empty());
        // --show-config reports the same error.
        assert_eq!(code(&meshlint(&["check", "--show-config"], dir.path())), 2);
    }
}

#[test]
fn show_config_says_where_each_setting_came_from() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "infra/main.tf", NUMERIC_PORT);
    write(
        dir.path(),
        ".meshlint.toml",
        "ignore = [\"MESH007\"]\n[severity]\nport-not-string = \"warning\"\n[rules.hardcoded-upstream-url]\nallowed-hosts = [\"*.example.com\"]\n[mesh.families]\n\"services/web\" = \"web\"\n",
    );
    let output = meshlint(
        &["check", "--show-config", "--fail-on", "never", "infra"],
        dir.path(),
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    let line = |start: &str| -> String {
        text.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no `{start}` in\n{text}"))
            .to_string()
    };
    // The project root first, and the rule that chose it: the configuration marks the project.
    assert!(
        text.starts_with(
            "# project root: . (the nearest folder upwards holding .meshlint.toml)\n\n# configuration: .meshlint.toml\n# applies to: infra\n"
        ),
        "{text}"
    );
    assert!(line("ignore = [\"leftover-task-definition\"]").ends_with("# .meshlint.toml"));
    assert!(line("fail-on = \"never\"").ends_with("# command line"));
    assert!(line("select = (every rule)").ends_with("# default"));
    assert!(line("port-not-string = \"warning\"").ends_with("# .meshlint.toml"));
    assert!(line("missing-consul-server = \"error\"").ends_with("# default"));
    assert!(line("allowed-hosts = [\"*.example.com\"]").ends_with("# .meshlint.toml"));
    assert!(line("allow = []").ends_with("# default"));
    assert!(text.contains("\n\"services/web\" = \"web\"\n"));

    // Without any file: every value is a default.
    let bare = tempfile::tempdir().unwrap();
    let defaults = stdout(&meshlint(&["check", "--show-config"], bare.path()));
    assert!(
        defaults.starts_with(
            "# project root: . (the directory checked (no .meshlint.toml above it))\n\n# configuration: none found (defaults)\n"
        ),
        "{defaults}"
    );
    assert!(defaults
        .lines()
        .filter(|l| l.contains(" = "))
        .all(|l| l.ends_with("# default") || l.ends_with("# default (rule not enabled)")));
}

#[test]
fn whole_modules_checks_the_folder_of_each_file_argument() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "svc/main.tf", NUMERIC_PORT);
    write(dir.path(), "svc/variables.tf", "variable \"x\" {}\n");
    write(dir.path(), "svc/nested/main.tf", NUMERIC_PORT);
    let only_file = meshlint(&["check", "svc/variables.tf"], dir.path());
    assert_eq!(code(&only_file), 0, "{}", stdout(&only_file));
    let whole = json(&meshlint(
        &["check", "--format", "json", "--whole-modules", "svc/variables.tf"],
        dir.path(),
    ));
    assert_eq!(
        found(&whole),
        [("svc/main.tf".into(), "port-not-string".into(), "error".into())],
        "the module's other files, not the folders below it"
    );
}

#[test]
fn rule_options_reach_rules_through_the_project_for_each_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", "locals {}\n");
    write(dir.path(), "services/edge/main.tf", "locals {}\n");
    write(
        dir.path(),
        ".meshlint.toml",
        "[rules.hardcoded-upstream-url]\nallowed-hosts = [\"*.example.com\"]\n[rules.bind-all-interfaces]\nallow = [\"services/edge/**\"]\n[mesh.families]\n\"services/edge\" = \"edge\"\n",
    );
    write(dir.path(), "services/edge/.meshlint.toml", "");
    let report = meshlint::check(&meshlint::Options {
        paths: vec![dir.path().to_path_buf()],
        base: dir.path().to_path_buf(),
        ..Default::default()
    })
    .unwrap();
    let sources = &report.project.sources;
    let file = |shown: &str| {
        sources
            .iter()
            .find(|(_, f)| f.display_path == shown)
            .map(|(id, f)| (id, f.path.clone()))
            .unwrap()
    };
    let (top, top_path) = file("main.tf");
    let config = report.settings.for_file(top);
    let option = |key: &str| meshlint::rules::OPTIONS.iter().find(|s| s.key == key).unwrap();
    let allowed = |config: &meshlint::config::Config, host: &str| {
        config
            .rules
            .hosts(option("allowed-hosts"))
            .iter()
            .any(|p| p.matches(host))
    };
    assert!(allowed(config, "api.example.com"));
    assert!(!allowed(config, "api.example.org"));
    let edge_path = dir.path().join("services/edge/main.go");
    let allow = config.rules.path_globs(option("allow")).expect("allow is set");
    assert!(config.path_matches(allow, &edge_path));
    assert!(!config.path_matches(allow, &top_path));
    assert_eq!(config.family_of(&edge_path), Some("edge"));
    // The nested, empty file is the nearest one for the edge folder: defaults there.
    let (edge, _) = file("services/edge/main.tf");
    let nested = report.settings.for_file(edge);
    assert_eq!(nested.file.as_deref(), Some("services/edge/.meshlint.toml"));
    assert!(!allowed(nested, "api.example.com"));
}
