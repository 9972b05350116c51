//! `--format sarif`: valid against the SARIF 2.1.0 schema, faithful to the JSON report, and
//! stable across unrelated edits. Microsoft's own validator runs too when it is installed.

mod common;

use common::cli::*;
use common::repo_root;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const SEED: &str = "fixtures/projects/seed-mistakes";
const SUPPRESSIONS: &str = "fixtures/unused-suppression";

fn sarif(args: &[&str], cwd: &Path) -> (i32, Value) {
    let output = meshlint(&[&["check", "--format", "sarif"], args].concat(), cwd);
    (code(&output), json(&output))
}

/// The one pattern of the schema that is ECMA-262 but not Rust regex syntax: a `]` outside a
/// class is a literal in ECMA-262 and an error for the validator's regex engine. Escaping it
/// keeps its meaning. (The pattern is for the `language` of a run and of a tool component,
/// neither of which meshlint emits.)
const ECMA_PATTERN: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
const SAME_PATTERN: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#;

fn schema_errors(log: &Value) -> Vec<String> {
    let path = repo_root().join("tests/sarif/sarif-2.1.0-rtm.5.json");
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        text.matches(ECMA_PATTERN).count(),
        2,
        "the vendored schema changed"
    );
    let schema: Value = serde_json::from_str(&text.replace(ECMA_PATTERN, SAME_PATTERN)).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    validator
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn output_validates_against_the_sarif_schema() {
    let weird = tempfile::tempdir().unwrap();
    std::fs::write(
        weird.path().join("a b,c::d#é.tf"),
        "module \"g\" {\n  source = \"hashicorp/consul-ecs/aws//modules/gateway-task\"\n  version = \"x\\n::error::y\"\n  kind = \"mesh-gateway\"\n  family = \"g\"\n  ecs_cluster_arn = \"arn:aws:ecs:us-east-1:111111111111:cluster/demo\"\n  subnets = [\"subnet-1\"]\n  consul_server_hosts = \"server.consul.internal\"\n}\n",
    )
    .unwrap();
    let runs = [
        sarif(&[SEED], &repo_root()),
        sarif(
            &[SUPPRESSIONS, "fixtures/suppression-without-reason"],
            &repo_root(),
        ),
        sarif(&["fixtures/projects/install-guide-final"], &repo_root()),
        sarif(&[], weird.path()),
    ];
    for (status, log) in &runs {
        assert_eq!(schema_errors(log), Vec::<String>::new());
        assert_eq!(log["version"], "2.1.0");
        assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
        assert!([0, 1].contains(status));
    }
    assert_eq!(runs[0].0, 1, "findings fail the run in every format");
    assert_eq!(runs[2].0, 0);
    let uri =
        &runs[3].1["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "a%20b%2Cc%3A%3Ad%23%C3%A9.tf");

    // The check can fail: a line 0 and a missing message are caught.
    let mut broken = runs[0].1.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0.into();
    broken["runs"][0]["results"][1]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert_eq!(schema_errors(&broken).len(), 2, "{:?}", schema_errors(&broken));
}

#[test]
fn results_match_the_json_report_finding_for_finding() {
    for path in [SEED, SUPPRESSIONS] {
        let (_, log) = sarif(&[path], &repo_root());
        let report = json(&run(&["check", path, "--format", "json"]));
        let run = &log["runs"][0];
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "meshlint");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        assert!(driver["informationUri"].as_str().unwrap().starts_with("https://"));
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), meshlint::catalog::RuleId::all().count());
        for rule in rules {
            let name = rule["id"].as_str().unwrap();
            let doc = std::fs::read_to_string(repo_root().join(format!("rules/{name}.md"))).unwrap();
            assert_eq!(rule["help"]["markdown"], doc.as_str());
            // help.text is plain: no fences, headings or backticks.
            let plain = rule["help"]["text"].as_str().unwrap();
            assert!(!plain.contains("```") && !plain.contains("\n## "), "{name}");
            assert!(plain.contains("Why it matters"), "{name}");
            let security = ["consul-ui-open-to-world", "bind-all-interfaces"].contains(&name);
            assert_eq!(
                rule["properties"]["security-severity"].is_string(),
                security,
                "{name}"
            );
            assert_eq!(
                rule["properties"]["tags"]
                    .as_array()
                    .unwrap()
                    .contains(&Value::from("security")),
                security
            );
            assert!(!rule["shortDescription"]["text"].as_str().unwrap().is_empty());
            let full = rule["fullDescription"]["text"].as_str().unwrap();
            assert!(!full.is_empty() && full.len() <= 1000 && doc.contains(full.split(' ').next().unwrap()));
            assert!(["error", "warning", "note"]
                .contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
        }
        let results = run["results"].as_array().unwrap();
        let diagnostics = report["diagnostics"].as_array().unwrap();
        assert_eq!(
            results.len(),
            diagnostics.len(),
            "suppressed findings are results too"
        );
        for (result, d) in results.iter().zip(diagnostics) {
            assert_eq!(result["ruleId"], d["rule"]);
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], d["rule"]);
            let level = match d["severity"].as_str().unwrap() {
                "info" => "note",
                other => other,
            };
            assert_eq!(result["level"], level);
            let text = result["message"]["text"].as_str().unwrap();
            assert!(text.starts_with(d["message"].as_str().unwrap()), "{text}");
            let markdown = result["message"]["markdown"].as_str().unwrap();
            for note in d["notes"].as_array().unwrap() {
                assert!(markdown.contains(note.as_str().unwrap()), "{markdown}");
            }
            let line_hash = result["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap();
            assert!(
                line_hash.len() > 17 && line_hash.as_bytes()[16] == b':',
                "{line_hash}"
            );
            let physical = &result["locations"][0]["physicalLocation"];
            assert_eq!(physical["artifactLocation"]["uri"], d["file"]);
            let region = &physical["region"];
            for (key, part, field) in [
                ("startLine", "start", "line"),
                ("startColumn", "start", "column"),
                ("endLine", "end", "line"),
                ("endColumn", "end", "column"),
            ] {
                assert_eq!(region[key], d["range"][part][field], "{key} of {d}");
            }
            assert_eq!(result["partialFingerprints"]["meshlint/v1"], d["fingerprint"]);
            let labels = d["labels"].as_array().unwrap();
            let related = result["relatedLocations"].as_array().map_or(0, Vec::len);
            assert_eq!(related, labels.len());
            // Each label is linked from the message: `[text](id)`.
            for (index, _) in labels.iter().enumerate() {
                assert!(text.contains(&format!("]({})", index + 1)), "{text}");
            }
            for (r, l) in result["relatedLocations"]
                .as_array()
                .into_iter()
                .flatten()
                .zip(labels)
            {
                assert_eq!(r["message"]["text"], l["message"]);
                assert_eq!(
                    r["physicalLocation"]["region"]["startLine"],
                    l["range"]["start"]["line"]
                );
            }
            match d.get("fix") {
                Some(fix) => {
                    let sarif_fix = &result["fixes"][0];
                    assert_eq!(sarif_fix["description"]["text"], fix["message"]);
                    let replacements: Vec<&Value> = sarif_fix["artifactChanges"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .flat_map(|c| c["replacements"].as_array().unwrap())
                        .collect();
                    let edits = fix["edits"].as_array().unwrap();
                    assert_eq!(replacements.len(), edits.len());
                    for (r, e) in replacements.iter().zip(edits) {
                        assert_eq!(r["insertedContent"]["text"], e["replacement"]);
                        assert_eq!(r["deletedRegion"]["startColumn"], e["range"]["start"]["column"]);
                    }
                }
                None => assert!(result.get("fixes").is_none()),
            }
            match d.get("suppressed") {
                Some(suppressed) => {
                    let s = &result["suppressions"][0];
                    assert_eq!(s["kind"], "inSource");
                    assert_eq!(
                        s.get("justification").unwrap_or(&Value::Null),
                        &suppressed["reason"]
                    );
                }
                None => assert!(result.get("suppressions").is_none()),
            }
        }
    }
}

#[test]
fn suppressions_carry_the_justification() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "module \"web\" {\n  source = \"hashicorp/consul-ecs/aws//modules/mesh-task\"\n  version = \"0.1.1\"\n  family = \"web\"\n  execution_role_arn = \"arn:aws:iam::111111111111:role/execution\"\n  task_role_arn = \"arn:aws:iam::111111111111:role/task\"\n  container_definitions = []\n  retry_join = \"consul.example.internal\"\n  port = 9090 # meshlint-ignore: port-not-string -- agreed in OPS-7\n}\n",
    )
    .unwrap();
    let (status, log) = sarif(&[], dir.path());
    assert_eq!(status, 0, "a suppressed finding does not fail the run");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "port-not-string");
    let suppression = &result["suppressions"][0];
    assert_eq!(suppression["justification"], "agreed in OPS-7");
    assert_eq!(
        suppression["location"]["physicalLocation"]["region"]["startLine"],
        9
    );
    assert_eq!(
        suppression["location"]["physicalLocation"]["region"]["startColumn"],
        15
    );
}

#[test]
fn fingerprints_survive_unrelated_edits() {
    let dir = tempfile::tempdir().unwrap();
    let main = std::fs::read_to_string(repo_root().join(SEED).join("web.tf")).unwrap();
    for file in ["web.tf", "variables.tf", "iam.tf", "main.tf"] {
        std::fs::copy(repo_root().join(SEED).join(file), dir.path().join(file)).unwrap();
    }
    let prints = |log: &Value| -> Vec<(String, String)> {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["meshlint/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                )
            })
            .collect()
    };
    let (_, before) = sarif(&[], dir.path());
    let edited = format!("# moved down by an unrelated edit\n\nlocals {{\n  unrelated = true\n}}\n\n{main}");
    std::fs::write(dir.path().join("web.tf"), edited).unwrap();
    let (_, after) = sarif(&[], dir.path());
    assert!(!prints(&before).is_empty());
    assert_eq!(prints(&before), prints(&after));
    let line = |log: &Value| {
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"].clone()
    };
    assert_ne!(line(&before), line(&after), "the finding did move");
}

/// Microsoft's SARIF validator, when installed (`.ci/run` installs it from npm): it reports
/// problems as `FILE(line,col): error CODE: …` lines (and exits 0 regardless).
#[test]
fn sarif_multitool_reports_no_errors_or_warnings() {
    let tool = std::env::var_os("SARIF_MULTITOOL").unwrap_or_else(|| "sarif-multitool".into());
    let probe = Command::new(&tool).arg("--version").output();
    if probe.as_ref().map_or(true, |o| !o.status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install the SARIF multitool (.ci/run sets SARIF_MULTITOOL)"
        );
        eprintln!("skipped: the SARIF multitool is not installed (set SARIF_MULTITOOL to its Sarif.Multitool binary)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, args) in [("seed", vec![SEED]), ("suppressions", vec![SUPPRESSIONS])] {
        let file = dir.path().join(format!("{name}.sarif"));
        let output = meshlint(
            &[
                &["check", "--format", "sarif", "--output", file.to_str().unwrap()],
                &args[..],
            ]
            .concat(),
            &repo_root(),
        );
        assert_eq!(code(&output), 1);
        let validation = Command::new(&tool)
            .args([
                "validate",
                "--level",
                "Error;Warning",
                "--log",
                "ForceOverwrite",
                "--config",
            ])
            .arg(repo_root().join("tests/sarif/multitool-policy.xml"))
            .arg("-o")
            .arg(dir.path().join(format!("{name}.validation.sarif")))
            .arg(&file)
            .output()
            .expect("the multitool runs");
        let text = String::from_utf8_lossy(&validation.stdout).into_owned();
        assert!(text.contains("Analysis completed successfully"), "{text}");
        // `FILE(line,col): error CODE: …`; the tool's own notices name no file.
        let problems: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with(file.to_str().unwrap()))
            .filter(|l| l.contains("): error ") || l.contains("): warning "))
            .collect();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

#[test]
fn the_automation_id_names_the_run() {
    let (_, log) = sarif(&[SEED, "--sarif-automation-id", "meshlint/infra/"], &repo_root());
    assert_eq!(log["runs"][0]["automationDetails"]["id"], "meshlint/infra/");
    assert!(schema_errors(&log).is_empty());
    let (_, log) = sarif(&[SEED], &repo_root());
    assert!(log["runs"][0].get("automationDetails").is_none());
}
