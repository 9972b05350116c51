//! Adopting meshlint on a repository with findings: `--write-baseline` records them, and later
//! runs report only new ones, through edits that move lines; stale entries are said.

mod common;

use common::cli::{code, json, meshlint, stderr, stdout};

const MAIN_TF: &str = r#"module "reports" {
  source  = "hashicorp/consul-ecs/aws//modules/mesh-task"
  version = "0.1.0"

  family             = "reports"
  execution_role_arn = "arn:aws:iam::111111111111:role/execution-role"
  task_role_arn      = "arn:aws:iam::111111111111:role/reports-task"
  container_definitions = [
    {
      name      = "reports"
      image     = "docker.io/example/reports:3.1.0"
      essential = true
    }
  ]

  port                       = 9090
  consul_server_service_name = "consul-server"
}
"#;

fn rules(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_baseline_hides_todays_findings_and_reports_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), MAIN_TF).unwrap();
    let before = json(&meshlint(&["check", "--format", "json"], dir.path()));
    let today = rules(&before);
    assert!(today.contains(&"port-not-string".to_string()), "{today:?}");

    let written = meshlint(
        &["check", "--write-baseline", "meshlint-baseline.json"],
        dir.path(),
    );
    assert_eq!(code(&written), 0, "{}", stderr(&written));
    assert!(
        stderr(&written).contains(&format!("wrote {} finding", today.len())),
        "{}",
        stderr(&written)
    );
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("meshlint-baseline.json")).unwrap())
            .unwrap();
    assert_eq!(file["version"], 1);
    assert_eq!(file["findings"].as_array().unwrap().len(), today.len());

    let clean = meshlint(&["check", "--baseline", "meshlint-baseline.json"], dir.path());
    assert_eq!(code(&clean), 0, "{}", stdout(&clean));
    assert!(
        stdout(&clean).contains(&format!("no problems found, and {} in the baseline", today.len())),
        "{}",
        stdout(&clean)
    );

    // Lines move and a new mistake appears: only the new one is reported.
    let edited = format!("# Reports service.\n\n{}", MAIN_TF).replace(
        "port                       = 9090",
        "port                       = 9090\n  unknown_input              = true",
    );
    std::fs::write(dir.path().join("main.tf"), edited).unwrap();
    let after = meshlint(
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "meshlint-baseline.json",
        ],
        dir.path(),
    );
    assert_eq!(code(&after), 1);
    let report = json(&after);
    assert_eq!(rules(&report), vec!["unknown-module-input"]);
    assert_eq!(report["summary"]["baselined"], today.len());

    // The configuration names the baseline too.
    std::fs::write(
        dir.path().join(".meshlint.toml"),
        "baseline = \"meshlint-baseline.json\"\n",
    )
    .unwrap();
    let configured = json(&meshlint(&["check", "--format", "json"], dir.path()));
    assert_eq!(rules(&configured), vec!["unknown-module-input"]);
}

#[test]
fn stale_entries_are_said_and_listed_on_request() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), MAIN_TF).unwrap();
    meshlint(&["check", "--write-baseline", "baseline.json"], dir.path());
    std::fs::write(
        dir.path().join("main.tf"),
        MAIN_TF.replace("= 9090", "= \"9090\""),
    )
    .unwrap();
    let out = meshlint(&["check", "--baseline", "baseline.json"], dir.path());
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(
        stderr(&out).contains("1 baseline entry about checked files matches no finding any more"),
        "{}",
        stderr(&out)
    );
    let listed = meshlint(
        &["check", "--baseline", "baseline.json", "--show-baseline-stale"],
        dir.path(),
    );
    assert!(
        stderr(&listed).contains("(port-not-string in main.tf:"),
        "{}",
        stderr(&listed)
    );
}

#[test]
fn a_broken_baseline_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), MAIN_TF).unwrap();
    std::fs::write(dir.path().join("baseline.json"), "{\"findings\": 3}").unwrap();
    let out = meshlint(&["check", "--baseline", "baseline.json"], dir.path());
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("is not a meshlint baseline"),
        "{}",
        stderr(&out)
    );
    let missing = meshlint(&["check", "--baseline", "nowhere.json"], dir.path());
    assert_eq!(code(&missing), 2);
    assert!(
        stderr(&missing).contains("cannot read baseline"),
        "{}",
        stderr(&missing)
    );
}
