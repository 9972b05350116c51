//! The GitHub Action: `action.yml`'s structure, and its run steps (`scripts/action-run.sh`)
//! executed with the `GITHUB_*` variables of a runner pointing into a temporary directory.

mod common;

use common::{build_wheel, repo_root, tool_runs};
use std::path::Path;
use std::process::{Command, Output};
use yaml_rust2::{Yaml, YamlLoader};

fn action() -> Yaml {
    let text = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    YamlLoader::load_from_str(&text)
        .expect("action.yml is YAML")
        .remove(0)
}

fn text(yaml: &Yaml) -> &str {
    yaml.as_str().unwrap_or_else(|| panic!("not a string: {yaml:?}"))
}

#[test]
fn action_yml_is_a_complete_composite_action() {
    let action = action();
    for key in ["name", "description"] {
        assert!(!text(&action[key]).is_empty(), "{key}");
    }
    let inputs = action["inputs"].as_hash().expect("inputs");
    let declared: Vec<&str> = inputs.keys().map(text).collect();
    assert_eq!(declared, ["paths", "args", "install", "sarif"]);
    for (name, input) in inputs {
        assert!(
            !text(&input["description"]).is_empty(),
            "{name:?} needs a description"
        );
        assert_eq!(input["required"].as_bool(), Some(false), "{name:?}");
        assert!(input["default"].as_str().is_some(), "{name:?} needs a default");
    }
    assert_eq!(text(&action["inputs"]["install"]["default"]), "true");
    assert_eq!(text(&action["runs"]["using"]), "composite");

    let steps = action["runs"]["steps"].as_vec().expect("steps");
    let ids: Vec<&str> = steps.iter().filter_map(|s| s["id"].as_str()).collect();
    let source = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    // Every input and step output the file refers to exists.
    for (start, _) in source.match_indices("${{") {
        let expression = &source[start..start + source[start..].find("}}").unwrap()];
        for (at, _) in expression.match_indices("inputs.") {
            let name: String = expression[at + 7..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            assert!(declared.contains(&name.as_str()), "undeclared input {name}");
        }
        for (at, _) in expression.match_indices("steps.") {
            let id: String = expression[at + 6..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            assert!(ids.contains(&id.as_str()), "no step with id {id}");
        }
    }
    for step in steps {
        assert!(!text(&step["name"]).is_empty());
        match (step["run"].as_str(), step["uses"].as_str()) {
            (Some(_), None) => assert_eq!(text(&step["shell"]), "bash", "{step:?}"),
            (None, Some(_)) => {}
            _ => panic!("a step runs a command or uses an action: {step:?}"),
        }
    }
    let step = |id: &str| steps.iter().find(|s| s["id"].as_str() == Some(id)).unwrap();
    let cache = step("cache");
    assert!(text(&cache["uses"]).starts_with("actions/cache@v"));
    assert_eq!(text(&cache["with"]["path"]), "~/.cargo/bin/meshlint");
    assert!(text(&cache["with"]["key"]).contains("steps.key.outputs.key"));
    let install = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.ends_with("action-run.sh\" install"))
        })
        .expect("an install step");
    let script = std::fs::read_to_string(repo_root().join("scripts/action-run.sh")).unwrap();
    assert!(script.contains("cargo install --locked --path \"$action_path\" --root \"$HOME/.cargo\""));
    assert!(text(&install["if"]).contains("steps.cache.outputs.cache-hit != 'true'"));
    let run = step("run");
    assert_eq!(
        text(&run["run"]),
        "\"$GITHUB_ACTION_PATH/scripts/action-run.sh\" check"
    );
    for input in declared {
        let variable = format!("MESHLINT_{}", input.to_uppercase());
        assert_eq!(
            text(&run["env"][variable.as_str()]),
            format!("${{{{ inputs.{input} }}}}")
        );
    }
    let script = repo_root().join("scripts/action-run.sh");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&script).unwrap().permissions().mode();
        assert!(mode & 0o111 != 0, "scripts/action-run.sh is executable");
    }
}

struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let runner = Runner {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(runner.workspace()).unwrap();
        runner
    }

    fn workspace(&self) -> std::path::PathBuf {
        self.dir.path().join("workspace")
    }

    fn file(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.workspace().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Runs the script as the action's run step would, with the given inputs.
    fn step(&self, command: &str, inputs: &[(&str, &str)]) -> Output {
        let mut process = Command::new(repo_root().join("scripts/action-run.sh"));
        process
            .arg(command)
            .current_dir(self.workspace())
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_ACTION_PATH", repo_root())
            .env("GITHUB_WORKSPACE", self.workspace())
            .env("GITHUB_OUTPUT", self.file("output.txt"))
            .env("GITHUB_STEP_SUMMARY", self.file("summary.md"))
            .env("MESHLINT_BIN", env!("CARGO_BIN_EXE_meshlint"))
            .env_remove("MESHLINT_PATHS")
            .env_remove("MESHLINT_ARGS")
            .env_remove("MESHLINT_SARIF");
        for (name, value) in inputs {
            process.env(format!("MESHLINT_{}", name.to_uppercase()), value);
        }
        process.output().expect("the script runs")
    }

    fn outputs(&self) -> String {
        std::fs::read_to_string(self.file("output.txt")).unwrap_or_default()
    }

    fn reset_outputs(&self) {
        let _ = std::fs::remove_file(self.file("output.txt"));
        let _ = std::fs::remove_file(self.file("summary.md"));
    }
}

const BAD: &str = "module \"web\" {\n  source = \"hashicorp/consul-ecs/aws//modules/mesh-task\"\n  version = \"0.1.1\"\n  family = \"web\"\n  execution_role_arn = \"arn:aws:iam::111111111111:role/execution\"\n  task_role_arn = \"arn:aws:iam::111111111111:role/task\"\n  container_definitions = []\n  retry_join = \"consul.example.internal\"\n  port = 9090\n}\n";

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn run_step_annotates_writes_sarif_and_sets_outputs() {
    let runner = Runner::new();
    runner.write("infra/main.tf", BAD);
    runner.write("clean/main.tf", "locals {}\n");

    let output = runner.step(
        "check",
        &[("paths", "infra clean"), ("sarif", "reports/meshlint.sarif")],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "::error file=infra/main.tf,line=9,endLine=9,col=10,endColumn=14,title=port-not-string::"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("1 error (1 fixable with --fix); checked 2 files (2 Terraform, 0 application)\n"),
        "{text}"
    );
    assert_eq!(runner.outputs(), "sarif=reports/meshlint.sarif\nexit-code=1\n");
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(runner.workspace().join("reports/meshlint.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "port-not-string");
    let summary = std::fs::read_to_string(runner.file("summary.md")).unwrap();
    assert!(
        summary.contains("| error | port-not-string (MESH002) | infra/main.tf:9:10 |"),
        "{summary}"
    );

    // Arguments reach meshlint; without `sarif` no report is written.
    runner.reset_outputs();
    let output = runner.step(
        "check",
        &[("paths", "infra"), ("args", "--fail-on never --ignore MESH013")],
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("title=port-not-string"));
    assert_eq!(runner.outputs(), "exit-code=0\n");

    // The default path is the workspace; a clean one passes.
    runner.reset_outputs();
    std::fs::remove_dir_all(runner.workspace().join("infra")).unwrap();
    let output = runner.step("check", &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        "no problems found; checked 1 file (1 Terraform, 0 application)\n"
    );

    // A run that fails (a bad flag) fails the step with 2, before any annotation.
    runner.reset_outputs();
    let output = runner.step("check", &[("args", "--no-such-flag"), ("sarif", "out.sarif")]);
    assert_eq!(output.status.code(), Some(2));
    // The annotation carries meshlint's own message (here clap's), not a guess about SARIF.
    assert!(
        stdout(&output).contains("::error title=meshlint::error: unexpected argument '--no-such-flag'"),
        "{}",
        stdout(&output)
    );
    assert_eq!(runner.outputs(), "exit-code=2\n");
}

#[test]
fn paths_narrow_what_is_reported_not_the_context() {
    let runner = Runner::new();
    // The web task calls billing through an upstream on 7100; its source calls it directly.
    runner.write(
        "deploy/main.tf",
        &BAD.replace("module \"web\"", "module \"old\"")
            .replace("family = \"web\"", "family = \"old\""),
    );
    runner.write(
        "deploy/web.tf",
        &BAD.replace(
            "port = 9090",
            "port = \"9090\"\n  upstreams = [{ destination_name = \"billing\", local_bind_port = 7100 }]",
        ),
    );
    runner.write(
        "deploy/billing.tf",
        &BAD.replace("\"web\"", "\"billing\"")
            .replace("port = 9090", "port = \"9090\""),
    );
    runner.write(
        "apps/web/client.py",
        "import requests\nrequests.get(\"http://billing:9090/charge\")\n",
    );
    let output = runner.step("check", &[("paths", "apps")]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.starts_with("::error file=apps/web/client.py,line=2,endLine=2,col=15,endColumn=41,title=hardcoded-upstream-url::"),
        "{text}"
    );
    assert!(text.contains("call `http://localhost:7100/charge`"), "{text}");
    assert!(
        !text.contains("deploy/"),
        "the Terraform is context, not reported:\n{text}"
    );
    assert!(
        text.ends_with("1 error (1 fixable with --fix); checked 1 file (0 Terraform, 1 application)\n"),
        "{text}"
    );

    // `--project` in `args` chooses another context: `apps` alone holds no mesh service.
    runner.reset_outputs();
    let output = runner.step("check", &[("paths", "apps"), ("args", "--project apps")]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn paths_and_args_are_words_never_globs() {
    let runner = Runner::new();
    runner.write("infra/main.tf", BAD);
    let output = runner.step("check", &[("paths", "in*")]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "`in*` is a path that does not exist"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("path does not exist: in*"));
}

#[test]
fn a_failed_run_is_annotated_with_meshlints_own_message_in_every_format() {
    let runner = Runner::new();
    runner.write("infra/main.tf", BAD);
    for inputs in [
        vec![("paths", "nowhere")],
        vec![("paths", "nowhere"), ("sarif", "reports/meshlint.sarif")],
    ] {
        runner.reset_outputs();
        let output = runner.step("check", &inputs);
        assert_eq!(output.status.code(), Some(2));
        let annotations = stdout(&output);
        assert!(
            annotations.contains("::error title=meshlint::path does not exist: nowhere"),
            "{inputs:?}: {annotations}"
        );
        assert!(
            !annotations.contains("could not write the SARIF report"),
            "{annotations}"
        );
        assert!(runner.outputs().contains("exit-code=2"));
        // The message still reaches the log.
        assert!(String::from_utf8_lossy(&output.stderr).contains("path does not exist: nowhere"));
    }
}

/// GitHub drops a step's whole summary past 1 MiB, so 8,000 findings (a table of about
/// 1.1 MB) must come out cut short, with a line saying how many rows are left out.
#[test]
fn the_step_summary_stays_under_githubs_limit_and_says_what_it_left_out() {
    let runner = Runner::new();
    let modules = 8_000;
    for file in 0..8 {
        let text: String = (file * 1000..(file + 1) * 1000)
            .map(|i| BAD.replace("\"web\"", &format!("\"web{i}\"")))
            .collect();
        runner.write(&format!("infra/stack{file}.tf"), &text);
    }
    let output = runner.step("check", &[]);
    assert_eq!(output.status.code(), Some(1));
    let summary = std::fs::read_to_string(runner.file("summary.md")).unwrap();
    assert!(summary.len() < 1024 * 1024, "{} bytes", summary.len());
    assert!(
        summary.starts_with("## meshlint\n\n8000 errors"),
        "{}",
        &summary[..200]
    );
    let rows = summary.matches("| error | port-not-string (MESH002) |").count();
    let last = summary.lines().last().unwrap();
    let left = modules - rows;
    assert!(rows > 1000 && left > 0, "{rows} rows");
    assert_eq!(
        last,
        format!("… and {left} more findings (see the SARIF or JSON report for all of them)")
    );
}

#[test]
fn cache_key_follows_the_sources() {
    let runner = Runner::new();
    let key = |runner: &Runner| {
        runner.reset_outputs();
        let output = runner.step("cache-key", &[]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        runner.outputs()
    };
    let first = key(&runner);
    assert!(
        first.starts_with("key=") && first.trim_end().len() == 4 + 32,
        "{first}"
    );
    assert_eq!(first, key(&runner), "the same sources give the same key");

    // Another checkout with one source byte changed gets another key.
    let copy = tempfile::tempdir().unwrap();
    for entry in ["Cargo.toml", "Cargo.lock", "src", "rules", "scripts"] {
        copy_tree(&repo_root().join(entry), &copy.path().join(entry));
    }
    let changed = copy.path().join("src/lib.rs");
    let mut lib = std::fs::read_to_string(&changed).unwrap();
    lib.push('\n');
    std::fs::write(&changed, lib).unwrap();
    runner.reset_outputs();
    let output = Command::new(copy.path().join("scripts/action-run.sh"))
        .arg("cache-key")
        .env("GITHUB_ACTION_PATH", copy.path())
        .env("GITHUB_OUTPUT", runner.file("output.txt"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let changed_source = runner.outputs();
    assert_ne!(changed_source, first);

    // So do build.rs and a pinned toolchain, which change the binary too.
    let key_of_copy = || {
        runner.reset_outputs();
        let output = Command::new(copy.path().join("scripts/action-run.sh"))
            .arg("cache-key")
            .env("GITHUB_ACTION_PATH", copy.path())
            .env("GITHUB_OUTPUT", runner.file("output.txt"))
            .output()
            .unwrap();
        assert!(output.status.success());
        runner.outputs()
    };
    std::fs::write(copy.path().join("build.rs"), "fn main() {}\n").unwrap();
    let with_build = key_of_copy();
    assert_ne!(with_build, changed_source);
    std::fs::write(
        copy.path().join("rust-toolchain.toml"),
        "[toolchain]\nchannel = \"1.90\"\n",
    )
    .unwrap();
    assert_ne!(key_of_copy(), with_build);
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// The install step takes this version's wheel when pip finds one, and does not compile.
#[test]
fn install_takes_the_wheel_for_the_runner_when_there_is_one() {
    let available = tool_runs(
        Command::new("maturin").arg("--version"),
        "CI must install maturin (.ci/run)",
        "maturin is not installed (pip install maturin==1.16.0)",
    );
    if !available {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let wheels = scratch.path().join("wheels");
    build_wheel(&wheels);
    let home = scratch.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let output = Command::new(repo_root().join("scripts/action-run.sh"))
        .arg("install")
        .env("HOME", &home)
        .env("RUNNER_TEMP", scratch.path())
        .env("GITHUB_ACTION_PATH", repo_root())
        .env("MESHLINT_WHEEL_FIND_LINKS", &wheels)
        .env("PATH", fake_cargo_first(scratch.path()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout(&output).contains("installed from its wheel"),
        "{}",
        stdout(&output)
    );
    assert!(
        !stdout(&output).contains("fake cargo"),
        "installing must not compile"
    );
    let version = Command::new(home.join(".cargo/bin/meshlint"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));

    // No wheel to be found: it says so and builds with cargo (a stand-in here: the real one
    // is a release build).
    let empty = scratch.path().join("none");
    std::fs::create_dir_all(&empty).unwrap();
    let output = Command::new(repo_root().join("scripts/action-run.sh"))
        .arg("install")
        .env("HOME", scratch.path().join("home2"))
        .env("RUNNER_TEMP", scratch.path().join("t2"))
        .env("GITHUB_ACTION_PATH", repo_root())
        .env("MESHLINT_WHEEL_FIND_LINKS", &empty)
        .env("PATH", fake_cargo_first(scratch.path()))
        .output()
        .unwrap();
    assert!(output.status.success());
    let said = stdout(&output);
    assert!(
        said.contains("no wheel for this runner; building it with cargo"),
        "{said}"
    );
    assert!(said.contains("fake cargo install --locked --path"), "{said}");
}

/// PATH with a `cargo` that only says how it was called, ahead of the real one.
fn fake_cargo_first(dir: &Path) -> std::ffi::OsString {
    let bin = dir.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let cargo = bin.join("cargo");
    std::fs::write(&cargo, "#!/bin/sh\necho fake cargo \"$@\"\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut path = std::ffi::OsString::from(bin);
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    path
}
