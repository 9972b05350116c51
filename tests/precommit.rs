//! The pre-commit hook, run by the real `pre-commit` (from PyPI) in a throw-away repository.
//!
//! `pre-commit try-repo` installs the hook from this repository as users get it: it clones the
//! repository at HEAD (plus staged and modified tracked files, but not untracked ones) and
//! `cargo install`s it, a release build. `CARGO_TARGET_DIR` points that build at
//! `target/pre-commit`, so only the first run pays for it. This is the one test that builds
//! meshlint that way; keep it so.

mod common;

use common::git::{git, pre_commit_installed};
use common::repo_root;
use std::path::Path;
use std::process::{Command, Output};

const BAD: &str = "module \"web\" {\n  source = \"hashicorp/consul-ecs/aws//modules/mesh-task\"\n  version = \"0.1.1\"\n  family = \"web\"\n  execution_role_arn = \"arn:aws:iam::111111111111:role/execution\"\n  task_role_arn = \"arn:aws:iam::111111111111:role/task\"\n  container_definitions = []\n  retry_join = \"consul.example.internal\"\n  port = 9090\n}\n";

fn try_repo(dir: &Path, files: &[&str]) -> (i32, String) {
    try_hook(dir, "meshlint", files)
}

/// `hook`: `meshlint` (built with cargo) or `meshlint-python` (the wheel, which pip builds
/// with maturin here: no wheel is published for this commit). Both builds share
/// `target/pre-commit`.
fn try_hook(dir: &Path, hook: &str, files: &[&str]) -> (i32, String) {
    let output: Output = Command::new("pre-commit")
        .arg("try-repo")
        .arg(repo_root())
        .arg(hook)
        .args(files)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", repo_root().join("target/pre-commit"))
        .env("PRE_COMMIT_COLOR", "never")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("pre-commit runs");
    let text =
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().expect("pre-commit exited"), text)
}

#[test]
fn hook_manifest_is_valid_and_selects_the_files_meshlint_reads() {
    if !pre_commit_installed() {
        return;
    }
    let manifest = repo_root().join(".pre-commit-hooks.yaml");
    let output = Command::new("pre-commit")
        .arg("validate-manifest")
        .arg(&manifest)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    // pre-commit matches `files` with Python's re.search on the repository-relative path.
    let selected = [
        "main.tf",
        "infra/variables.tf",
        "x.tf.json",
        "terraform.tfvars",
        "prod.auto.tfvars",
        "infra/terraform.tfvars.json",
        "prod.auto.tfvars.json",
        "svc/main.go",
        "app.py",
        "web/server.js",
        "web/index.mjs",
        "web/app.ts",
        "ui/App.tsx",
        "Dockerfile",
        "svc/Dockerfile.prod",
        "svc/api.Dockerfile",
        "Containerfile",
        "start.sh",
        "Procfile",
        "src/main/resources/application.properties",
        "application-prod.yml",
        "config/application.yaml",
        "src/main.rs",
    ];
    let skipped = [
        "README.md",
        "docs/notes.txt",
        "x.tfstate",
        "package.json",
        "values.yml",
        "Dockerfile.md/readme",
        "main.tf.bak",
        "deploy.yaml",
        "Procfile.md",
        "myapplication.yml.orig",
        "prod.tfvars",
        "prod.tfvars.json",
        "terraform.tfstate.json",
    ];
    // The pattern and meshlint agree on what meshlint reads. The pattern selects a few names
    // more (Containerfiles, `api.Dockerfile`), which meshlint then names as skipped.
    let more = ["Containerfile", "svc/api.Dockerfile"];
    for path in selected {
        let reads = meshlint::discover::classify(Path::new(path)).is_some();
        assert!(reads || more.contains(&path), "meshlint does not read {path}");
    }
    for path in skipped {
        let reads = meshlint::discover::classify(Path::new(path)).is_some();
        assert!(!reads, "meshlint reads {path}, which the pattern skips");
    }
    let script = "import re, sys, yaml\n\
        pattern = yaml.safe_load(open(sys.argv[1]))[0]['files']\n\
        for path in sys.argv[2:]:\n    print('1' if re.search(pattern, path) else '0')\n";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(&manifest)
        .args(selected)
        .args(skipped)
        .output()
        .expect("python3 runs (pre-commit is a Python program)");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let verdicts: Vec<&str> = text.lines().collect();
    for (index, path) in selected.iter().chain(&skipped).enumerate() {
        let expected = if index < selected.len() { "1" } else { "0" };
        assert_eq!(verdicts[index], expected, "files pattern on {path}");
    }
}

#[test]
fn pre_commit_hook_fails_on_findings_and_passes_on_a_clean_tree() {
    if !pre_commit_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("infra")).unwrap();
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::write(root.join("infra/main.tf"), BAD).unwrap();
    std::fs::write(root.join("infra/variables.tf"), "variable \"region\" {}\n").unwrap();
    std::fs::write(root.join("docs/notes.md"), "not for meshlint\n").unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "bad tree"]);

    let (status, text) = try_repo(root, &["--all-files"]);
    assert_eq!(status, 1, "{text}");
    assert!(text.contains("meshlint....") && text.contains("Failed"), "{text}");
    assert!(text.contains("error[MESH002/port-not-string]"), "{text}");
    assert!(text.contains("infra/main.tf:9:10"), "{text}");

    // Only variables.tf passed: main.tf's finding is not about it, so it does not block.
    let (status, text) = try_repo(root, &["--verbose", "--files", "infra/variables.tf"]);
    assert_eq!(status, 0, "{text}");
    assert!(
        text.contains("checked 1 file (1 Terraform, 0 application)"),
        "{text}"
    );

    std::fs::write(root.join("infra/main.tf"), BAD.replace("9090", "\"9090\"")).unwrap();
    git(root, &["commit", "-q", "-a", "-m", "fixed"]);
    let (status, text) = try_repo(root, &["--all-files"]);
    assert_eq!(status, 0, "{text}");
    assert!(text.contains("meshlint....") && text.contains("Passed"), "{text}");
}

#[test]
fn the_python_hook_installs_the_wheel_and_blocks_the_same_findings() {
    if !pre_commit_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("infra")).unwrap();
    std::fs::write(root.join("infra/main.tf"), BAD).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "bad tree"]);
    let (status, text) = try_hook(root, "meshlint-python", &["--all-files"]);
    assert_eq!(status, 1, "{text}");
    assert!(text.contains("error[MESH002/port-not-string]"), "{text}");
    std::fs::write(root.join("infra/main.tf"), BAD.replace("9090", "\"9090\"")).unwrap();
    git(root, &["commit", "-q", "-a", "-m", "fixed"]);
    let (status, text) = try_hook(root, "meshlint-python", &["--all-files"]);
    assert_eq!(status, 0, "{text}");
}
