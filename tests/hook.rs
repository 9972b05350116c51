//! The hook as `.pre-commit-hooks.yaml` defines it (entry, files pattern, serial runs), run by
//! the real `pre-commit` on git repositories built here, with this build of meshlint in place
//! of the one `language: rust` installs (tests/precommit.rs installs that one). pre-commit
//! passes the staged files from the top of the work tree and stashes unstaged changes, as on
//! a real commit.

mod common;

use common::git::{pre_commit_installed, Repo};
use common::repo_root;
use std::process::Command;
use yaml_rust2::YamlLoader;

/// Writes and commits `.pre-commit-config.yaml` with the manifest's hook as a local hook that
/// runs this build, with `args`.
fn install_hook(repo: &Repo, args: &[&str]) {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let manifest = YamlLoader::load_from_str(&text).unwrap().remove(0);
    let hook = &manifest[0];
    let entry = hook["entry"].as_str().unwrap();
    let entry = entry
        .strip_prefix("meshlint ")
        .map(|rest| format!("{} {rest}", env!("CARGO_BIN_EXE_meshlint")))
        .expect("the entry runs meshlint");
    let config = serde_json::json!({
        "repos": [{
            "repo": "local",
            "hooks": [{
                "id": "meshlint",
                "name": "meshlint",
                "entry": entry,
                "language": "unsupported",
                "files": hook["files"].as_str().unwrap(),
                "pass_filenames": hook["pass_filenames"].as_bool().unwrap(),
                "require_serial": hook["require_serial"].as_bool().unwrap(),
                "args": args,
            }]
        }]
    });
    // JSON is YAML.
    repo.write(".pre-commit-config.yaml", &config.to_string());
}

/// `pre-commit run` on the staged files: its exit status and everything it printed.
fn pre_commit(repo: &Repo) -> (i32, String) {
    let home = tempfile::tempdir().unwrap();
    let output = Command::new("pre-commit")
        .args(["run", "--verbose", "--color", "never"])
        .current_dir(repo.path())
        .env("PRE_COMMIT_HOME", home.path())
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("pre-commit runs");
    let text =
        String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().expect("pre-commit exited"), text)
}

fn mesh_task(name: &str, port: &str) -> String {
    format!(
        "module \"{name}\" {{\n  source                = \"hashicorp/consul-ecs/aws//modules/mesh-task\"\n  version               = \"0.1.1\"\n  family                = \"{name}\"\n  execution_role_arn    = \"arn:aws:iam::111111111111:role/execution\"\n  task_role_arn         = \"arn:aws:iam::111111111111:role/task\"\n  container_definitions = []\n  retry_join            = \"consul.example.internal\"\n  port                  = {port}\n}}\n"
    )
}

fn go_server(address: &str) -> String {
    format!(
        "package main\n\nimport \"net/http\"\n\nfunc main() {{\n\thttp.ListenAndServe(\"{address}\", nil)\n}}\n"
    )
}

#[test]
fn a_monorepo_commit_is_blocked_by_what_it_changes() {
    if !pre_commit_installed() {
        return;
    }
    let repo = Repo::new();
    repo.write("deploy/main.tf", &mesh_task("web", "\"8080\""));
    // An old finding in a file the commits below do not touch.
    repo.write("deploy/legacy.tf", &mesh_task("legacy", "9090"));
    repo.write("apps/web/main.go", &go_server("127.0.0.1:8080"));
    repo.write("docs/notes.md", "not for meshlint\n");
    install_hook(&repo, &[]);
    repo.commit_all("a monorepo");
    // An untracked file with a finding of its own, next to the Terraform.
    repo.write("deploy/scratch.tf", &mesh_task("scratch", "7070"));

    repo.write("apps/web/main.go", &go_server("0.0.0.0:8080"));
    repo.git(&["add", "apps/web/main.go"]);
    let (status, text) = pre_commit(&repo);
    assert_eq!(
        status, 1,
        "an app commit that binds every interface is refused:\n{text}"
    );
    assert!(text.contains("error[MESH004/bind-all-interfaces]"), "{text}");
    assert!(text.contains("apps/web/main.go:6:23"), "{text}");
    assert!(
        text.contains("checked 1 file (0 Terraform, 1 application)"),
        "{text}"
    );
    assert!(
        !text.contains("port-not-string"),
        "old and untracked findings stay out:\n{text}"
    );

    repo.write("apps/web/main.go", &go_server("127.0.0.1:8081"));
    repo.git(&["add", "apps/web/main.go"]);
    let (status, text) = pre_commit(&repo);
    assert_eq!(status, 0, "the commit that fixes it passes:\n{text}");
    assert!(
        text.contains("no problems found; checked 1 file (0 Terraform, 1 application)"),
        "{text}"
    );
}

#[test]
fn an_app_only_repository_is_checked_as_mesh_apps() {
    if !pre_commit_installed() {
        return;
    }
    let repo = Repo::new();
    repo.write("cmd/server/main.go", &go_server("127.0.0.1:8080"));
    install_hook(&repo, &[]);
    repo.commit_all("an app");

    repo.write(
        "cmd/server/main.go",
        &go_server("0.0.0.0:8080").replace(
            "func main() {\n",
            "const billing = \"http://billing.service.consul:8080/charge\"\n\nfunc main() {\n",
        ),
    );
    repo.git(&["add", "-A"]);
    let (status, text) = pre_commit(&repo);
    assert_eq!(status, 1, "{text}");
    assert!(text.contains("error[MESH004/bind-all-interfaces]"), "{text}");
    assert!(text.contains("error[MESH005/hardcoded-upstream-url]"), "{text}");
    assert!(
        text.contains("no consul-ecs module call, so meshlint assumed the app runs in the mesh"),
        "{text}"
    );

    repo.write("cmd/server/main.go", &go_server("127.0.0.1:8081"));
    repo.git(&["add", "-A"]);
    let (status, text) = pre_commit(&repo);
    assert_eq!(status, 0, "{text}");
    assert!(
        text.contains("no problems found; checked 1 file (0 Terraform, 1 application)"),
        "{text}"
    );
}

#[test]
fn fix_through_the_hook_edits_only_the_staged_files() {
    if !pre_commit_installed() {
        return;
    }
    let repo = Repo::new();
    repo.write("infra/a.tf", &mesh_task("a", "\"8080\""));
    repo.write("infra/b.tf", &mesh_task("b", "9090"));
    repo.write("infra/c.tf", &mesh_task("c", "9092"));
    install_hook(&repo, &["--fix"]);
    repo.commit_all("b and c carry old, fixable findings");

    repo.write("infra/a.tf", &mesh_task("a", "9091"));
    repo.git(&["add", "infra/a.tf"]);
    // An unstaged change: pre-commit stashes it during the hook and puts it back.
    let unstaged = format!("# work in progress\n{}", mesh_task("b", "9090"));
    repo.write("infra/b.tf", &unstaged);

    let (status, text) = pre_commit(&repo);
    assert_eq!(status, 1, "a hook that fixes files fails the commit:\n{text}");
    assert!(text.contains("files were modified by this hook"), "{text}");
    // Had meshlint edited b.tf, pre-commit would have rolled every fix back.
    assert!(
        repo.read("infra/a.tf")
            .contains("port                  = \"9091\""),
        "{text}"
    );
    assert_eq!(
        repo.read("infra/b.tf"),
        unstaged,
        "the unstaged change is untouched"
    );
    assert_eq!(
        repo.read("infra/c.tf"),
        mesh_task("c", "9092"),
        "an unnamed file is not edited"
    );
}

#[test]
fn a_tfvars_json_change_triggers_the_hook() {
    if !pre_commit_installed() {
        return;
    }
    let repo = Repo::new();
    repo.write(
        "deploy/main.tf",
        &format!("variable \"port\" {{}}\n\n{}", mesh_task("web", "var.port")),
    );
    repo.write("deploy/terraform.tfvars.json", "{\"port\": \"9090\"}\n");
    install_hook(&repo, &[]);
    repo.commit_all("a port from tfvars");

    repo.write("deploy/terraform.tfvars.json", "{\"port\": 9090}\n");
    repo.git(&["add", "-A"]);
    let (status, text) = pre_commit(&repo);
    assert_eq!(status, 1, "{text}");
    // The finding is at the module call; its label at the staged value reports it.
    assert!(text.contains("error[MESH002/port-not-string]"), "{text}");
    assert!(text.contains("deploy/terraform.tfvars.json:1:10"), "{text}");
}
