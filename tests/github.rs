//! `--format github`: workflow commands as the Actions runner parses them, their escaping, the
//! annotation limits, and the step summary.

mod common;

use common::cli::*;
use std::path::Path;
use std::process::{Command, Output};

/// A gateway-task call whose `version` is the placeholder `text`: one
/// `placeholder-module-version` finding, whose message quotes `text`.
fn gateway(name: &str, version: &str) -> String {
    format!(
        "module \"{name}\" {{\n  source = \"hashicorp/consul-ecs/aws//modules/gateway-task\"\n  version = \"{version}\"\n  kind = \"mesh-gateway\"\n  family = \"{name}\"\n  ecs_cluster_arn = \"arn:aws:ecs:us-east-1:111111111111:cluster/demo\"\n  subnets = [\"subnet-1\"]\n  consul_server_hosts = \"server.consul.internal\"\n}}\n"
    )
}

fn github(dir: &Path, summary: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_meshlint"));
    command
        .args(["check", "--format", "github"])
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY");
    if let Some(path) = summary {
        command.env("GITHUB_STEP_SUMMARY", path);
    }
    command.output().expect("the binary runs")
}

/// A workflow command as the runner reads it: name, properties (unescaped) and data (unescaped).
struct Annotation {
    level: String,
    properties: Vec<(String, String)>,
    message: String,
}

fn unescape(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// Parses like the runner: `::name key=value,key=value::data`, split at the first `::` after
/// the name.
fn annotations(text: &str) -> Vec<Annotation> {
    text.lines()
        .filter_map(|line| line.strip_prefix("::"))
        .map(|rest| {
            let (head, data) = rest.split_once("::").expect("a command has data");
            let (level, props) = head.split_once(' ').unwrap_or((head, ""));
            Annotation {
                level: level.to_string(),
                properties: props
                    .split(',')
                    .filter(|p| !p.is_empty())
                    .map(|p| {
                        let (k, v) = p.split_once('=').expect("key=value");
                        (k.to_string(), unescape(v))
                    })
                    .collect(),
                message: unescape(data),
            }
        })
        .collect()
}

impl Annotation {
    fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[test]
fn one_command_per_finding_with_position_and_title() {
    let output = run(&["check", "fixtures/projects/seed-mistakes", "--format", "github"]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    let found = annotations(&text);
    let json = json(&run(&[
        "check",
        "fixtures/projects/seed-mistakes",
        "--format",
        "json",
    ]));
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(found.len(), diagnostics.len());
    // Every line is a command, except the summary line at the end.
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[..lines.len() - 1].iter().all(|l| l.starts_with("::")));
    assert_eq!(
        lines[lines.len() - 1],
        "6 errors, 1 warning (4 fixable with --fix); checked 8 files (8 Terraform, 0 application)"
    );
    // Most severe first.
    let levels: Vec<&str> = found.iter().map(|a| a.level.as_str()).collect();
    let mut sorted = levels.clone();
    sorted.sort_by_key(|l| ["error", "warning", "notice"].iter().position(|x| x == l));
    assert_eq!(levels, sorted);
    for d in diagnostics {
        let line = d["range"]["start"]["line"].as_u64().unwrap().to_string();
        let a = found
            .iter()
            .find(|a| a.get("title") == d["rule"].as_str() && a.get("line") == Some(line.as_str()))
            .unwrap_or_else(|| panic!("no annotation for {d}"));
        assert_eq!(a.get("file"), d["file"].as_str());
        assert_eq!(
            a.level,
            if d["severity"] == "info" {
                "notice"
            } else {
                d["severity"].as_str().unwrap()
            }
        );
        let end_line = d["range"]["end"]["line"].as_u64().unwrap().to_string();
        assert_eq!(a.get("endLine"), Some(end_line.as_str()));
        if end_line == line {
            let col = d["range"]["start"]["column"].as_u64().unwrap().to_string();
            let end_col = d["range"]["end"]["column"].as_u64().unwrap().to_string();
            assert_eq!(
                (a.get("col"), a.get("endColumn")),
                (Some(col.as_str()), Some(end_col.as_str()))
            );
        } else {
            assert_eq!(
                (a.get("col"), a.get("endColumn")),
                (None, None),
                "columns only on one line"
            );
        }
        assert!(a.message.starts_with(d["message"].as_str().unwrap()));
    }
}

#[test]
fn file_names_and_values_cannot_inject_commands() {
    let dir = tempfile::tempdir().unwrap();
    let name = "a,b::c%.tf";
    std::fs::write(dir.path().join(name), gateway("g", "x\\n::error::injected\\r\\n")).unwrap();
    let output = github(dir.path(), None);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert_eq!(text.lines().filter(|l| l.starts_with("::")).count(), 1, "{text}");
    assert!(!text.contains("\n::error::injected"), "{text}");
    assert!(text.contains("file=a%2Cb%3A%3Ac%25.tf,"), "{text}");
    assert!(text.contains("%0A::error::injected%0D%0A"), "{text}");
    let found = annotations(&text);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].get("file"), Some(name));
    assert!(found[0].message.contains("\n::error::injected\r\n"));
}

#[test]
fn annotations_stay_within_the_limits_most_severe_first() {
    let dir = tempfile::tempdir().unwrap();
    let write = |sub: &str, count: usize, config: Option<&str>| {
        let folder = dir.path().join(sub);
        std::fs::create_dir_all(&folder).unwrap();
        let calls: String = (0..count).map(|i| gateway(&format!("g{i}"), "latest")).collect();
        std::fs::write(folder.join("main.tf"), calls).unwrap();
        if let Some(config) = config {
            std::fs::write(folder.join(".meshlint.toml"), config).unwrap();
        }
    };
    write("errors", 25, None);
    write(
        "warnings",
        12,
        Some("[severity]\nplaceholder-module-version = \"warning\"\n"),
    );
    write(
        "infos",
        3,
        Some("[severity]\nplaceholder-module-version = \"info\"\n"),
    );
    let text = stdout(&github(dir.path(), None));
    let found = annotations(&text);
    let levels: Vec<&str> = found.iter().map(|a| a.level.as_str()).collect();
    let count = |level: &str| levels.iter().filter(|l| **l == level).count();
    assert_eq!(
        (count("error"), count("warning"), count("notice")),
        (10, 10, 4),
        "{text}"
    );
    assert!(levels[..10].iter().all(|l| *l == "error") && levels[10..20].iter().all(|l| *l == "warning"));
    let last = found.last().unwrap();
    assert_eq!(last.get("title"), Some("meshlint"));
    assert!(
        last.message.starts_with("17 more findings not shown"),
        "{}",
        last.message
    );
    assert!(
        text.ends_with("25 errors, 12 warnings, 3 infos; checked 3 files (3 Terraform, 0 application)\n"),
        "{text}"
    );
}

#[test]
fn step_summary_gets_a_table_of_every_finding() {
    let dir = tempfile::tempdir().unwrap();
    let calls: String = (0..12).map(|i| gateway(&format!("g{i}"), "a|b")).collect();
    std::fs::write(dir.path().join("main.tf"), calls).unwrap();
    std::fs::write(
        dir.path().join("silenced.tf"),
        format!(
            "# meshlint-ignore-file: placeholder-module-version -- vendored\n{}",
            gateway("s", "latest")
        ),
    )
    .unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let output = github(dir.path(), Some(&summary));
    assert_eq!(
        annotations(&stdout(&output)).len(),
        11,
        "10 errors and the notice"
    );
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with(
            "earlier step\n## meshlint\n\n12 errors; checked 2 files (2 Terraform, 0 application)\n"
        ),
        "{text}"
    );
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("| error |")).collect();
    assert_eq!(
        rows.len(),
        12,
        "every finding, not only the annotated ones: {text}"
    );
    assert!(
        rows[0].starts_with(
            "| error | placeholder-module-version (MESH013) | main.tf:3:13 | `version = \"a\\|b\"`"
        ),
        "{}",
        rows[0]
    );
    assert!(!text.contains("silenced.tf"), "suppressed findings stay out");
    // Each row still has exactly four cells once escaped pipes are discounted.
    for row in rows {
        assert_eq!(row.replace("\\|", "").matches('|').count(), 5, "{row}");
    }

    // Without the variable, nothing is written anywhere.
    let clean = tempfile::tempdir().unwrap();
    std::fs::write(clean.path().join("main.tf"), "locals {}\n").unwrap();
    let output = github(clean.path(), None);
    assert_eq!(code(&output), 0);
    assert_eq!(
        stdout(&output),
        "no problems found; checked 1 file (1 Terraform, 0 application)\n"
    );
}

#[test]
fn the_step_summary_stops_before_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!(
            "module \"m{i}\" {{\n  source = \"hashicorp/consul-ecs/aws//modules/mesh-task\"\n  version = \"0.1.0\"\n  family = \"m{i}\"\n  port = 9090\n}}\n"
        ));
    }
    std::fs::write(dir.path().join("main.tf"), text).unwrap();
    let report = meshlint::check(&meshlint::Options {
        paths: vec![dir.path().to_path_buf()],
        base: dir.path().to_path_buf(),
        ..Default::default()
    })
    .unwrap();
    let whole = meshlint::output::github_step_summary_within(&report, usize::MAX);
    let cut = meshlint::output::github_step_summary_within(&report, 4096);
    assert!(cut.len() <= 4096, "{}", cut.len());
    assert!(
        cut.contains(" more findings (see the SARIF or JSON report"),
        "{cut}"
    );
    let shown = cut
        .lines()
        .filter(|l| l.starts_with("| error") || l.starts_with("| warning") || l.starts_with("| info"))
        .count();
    let left: usize = cut
        .rsplit("… and ")
        .next()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(shown + left, report.diagnostics.len());
    assert!(!whole.contains("… and"));
}
