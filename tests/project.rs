//! The project around a checked path, on the real binary: which root is chosen and why, the
//! project's Terraform as the context of a named file, sources linked to the nearest stack's
//! task, app-only projects and `[app]`, and summaries that say what was checked.

mod common;

use common::cli::*;
use common::git::Repo;
use serde_json::Value;
use std::path::Path;

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// (file, rule) of every standing finding of a JSON report.
fn found(doc: &Value) -> Vec<(String, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["suppressed"].is_null())
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(file: &str, rule: &str) -> (String, String) {
    (file.to_string(), rule.to_string())
}

/// A v0.10.0 mesh task named `name`, with an upstream to `billing` on 7100 when `upstream`,
/// behind a load balancer when `balanced`.
fn stack(name: &str, balanced: bool, upstream: bool) -> String {
    let upstreams = if upstream {
        "\n  upstreams = [{ destinationName = \"billing\", localBindPort = 7100 }]\n"
    } else {
        ""
    };
    let lb = if balanced {
        format!(
            "\n  load_balancer {{\n    target_group_arn = \"arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/{name}/abc\"\n    container_name   = \"{name}\"\n    container_port   = 9090\n  }}\n"
        )
    } else {
        String::new()
    };
    format!(
        "module \"{name}\" {{\n  source  = \"hashicorp/consul-ecs/aws//modules/mesh-task\"\n  version = \"0.10.0\"\n\n  family                   = \"{name}\"\n  port                     = 9090\n  consul_server_hosts      = \"consul.example.internal\"\n  enable_transparent_proxy = false\n{upstreams}\n  container_definitions = [{{\n    name      = \"{name}\"\n    image     = \"docker.io/example/{name}:1.0.0\"\n    essential = true\n  }}]\n}}\n\nresource \"aws_ecs_service\" \"{name}\" {{\n  name            = \"{name}\"\n  cluster         = \"arn:aws:ecs:us-east-1:111111111111:cluster/example\"\n  task_definition = module.{name}.task_definition_arn\n  desired_count   = 1\n  launch_type     = \"FARGATE\"\n  propagate_tags  = \"TASK_DEFINITION\"\n{lb}\n  network_configuration {{\n    subnets = [\"subnet-abc123\"]\n  }}\n}}\n"
    )
}

const BIND_ALL: &str =
    "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.ListenAndServe(\":9090\", nil)\n}\n";

#[test]
fn sources_are_linked_to_the_task_of_their_own_stack() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".meshlint.toml", "");
    // Two stacks define `storefront`; only the first puts it behind a load balancer, where
    // listening on every interface is right.
    write(
        root,
        "stacks/edge/infra/main.tf",
        &stack("storefront", true, false),
    );
    write(root, "stacks/edge/apps/storefront/main.go", BIND_ALL);
    write(
        root,
        "stacks/inner/infra/main.tf",
        &stack("storefront", false, false),
    );
    write(root, "stacks/inner/apps/storefront/main.go", BIND_ALL);

    let doc = json(&meshlint(&["check", "--format", "json"], root));
    assert_eq!(
        found(&doc),
        [pair(
            "stacks/inner/apps/storefront/main.go",
            "bind-all-interfaces"
        )]
    );
    // Named alone, as pre-commit names it, each source still sees its own stack.
    for (file, expected) in [
        ("stacks/edge/apps/storefront/main.go", 0),
        ("stacks/inner/apps/storefront/main.go", 1),
    ] {
        let output = meshlint(&["check", "--format", "json", file], root);
        assert_eq!(found(&json(&output)).len(), expected, "{file}");
    }
}

#[test]
fn unrelated_sources_do_not_use_another_stacks_upstream() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a/infra/main.tf", &stack("web", false, true));
    write(root, "a/infra/billing.tf", &stack("billing", false, false));
    write(root, "a/apps/web/main.py", "print('serves')\n");
    write(root, "b/infra/main.tf", &stack("api", false, true));
    write(root, "b/infra/billing.tf", &stack("billing", false, false));
    // api's own source calls its upstream; that says nothing about web's.
    write(
        root,
        "b/apps/api/main.py",
        "import requests\nrequests.get(\"http://localhost:7100/charge\")\n",
    );
    let doc = json(&meshlint(&["check", "--format", "json"], root));
    assert_eq!(found(&doc), [pair("a/infra/main.tf", "unused-upstream")]);
}

#[test]
fn a_named_file_is_checked_with_its_project_as_context() {
    let repo = Repo::new();
    let root = repo.path();
    write(root, "deploy/main.tf", &stack("web", false, true));
    write(root, "deploy/billing.tf", &stack("billing", false, false));
    write(
        root,
        "apps/web/client.py",
        "import requests\nrequests.get(\"http://billing:9090/charge\")\n",
    );
    // From the top of the work tree, as pre-commit runs it.
    let output = meshlint(&["check", "--format", "json", "apps/web/client.py"], root);
    let doc = json(&output);
    assert_eq!(
        found(&doc),
        [pair("apps/web/client.py", "hardcoded-upstream-url")]
    );
    let fix = &doc["diagnostics"][0]["fix"]["edits"][0]["replacement"];
    assert_eq!(
        fix, "http://localhost:7100/charge",
        "the task's upstream, from the project"
    );
    assert_eq!(doc["summary"]["checked"], 1);
    assert_eq!(doc["summary"]["application"], 1);
    assert_eq!(doc["summary"]["files"], 3, "read: the file and its project");

    let shown = stdout(&meshlint(&["check", "--show-config", "apps/web/client.py"], root));
    assert!(
        shown.starts_with("# project root: . (the top of the git work tree the working directory is in)\n"),
        "{shown}"
    );
    // From elsewhere, the file's folder is its project unless --project says otherwise.
    let outside = tempfile::tempdir().unwrap();
    let file = root.join("apps/web/client.py");
    let file = file.to_str().unwrap();
    let alone = json(&meshlint(&["check", "--format", "json", file], outside.path()));
    assert_eq!(
        found(&alone).len(),
        0,
        "no mesh service `billing` without the project"
    );
    let root_text = root.to_str().unwrap();
    let with = json(&meshlint(
        &["check", "--format", "json", "--project", root_text, file],
        outside.path(),
    ));
    assert_eq!(found(&with).len(), 1);
}

#[test]
fn a_directory_is_its_own_project_unless_a_configuration_marks_a_larger_one() {
    let repo = Repo::new();
    let root = repo.path();
    write(root, "deploy/main.tf", &stack("web", true, false));
    write(root, "apps/web/main.go", BIND_ALL);
    // `apps` alone holds no Terraform: an app-only project, whose apps are assumed meshed.
    let alone = meshlint(&["check", "--format", "json", "apps"], root);
    assert_eq!(
        found(&json(&alone)),
        [pair("apps/web/main.go", "bind-all-interfaces")]
    );
    // A configuration at the top makes the repository the project: `web` is load-balanced.
    write(root, ".meshlint.toml", "");
    let project = meshlint(&["check", "--format", "json", "apps"], root);
    assert_eq!(found(&json(&project)), []);
    let shown = stdout(&meshlint(&["check", "--show-config", "apps"], root));
    assert!(
        shown.starts_with("# project root: . (the nearest folder upwards holding .meshlint.toml)\n"),
        "{shown}"
    );
}

#[test]
fn app_only_projects_use_the_app_table() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "client.py",
        "import requests\nrequests.get(\"http://billing:8080/charge\")\nrequests.get(\"http://localhost:7200/x\")\nrequests.get(\"http://localhost:7100/y\")\n",
    );
    // Without declared upstreams: `billing` is no known service, local ports are unknown.
    let doc = json(&meshlint(&["check", "--format", "json"], root));
    assert_eq!(found(&doc), []);

    write(root, ".meshlint.toml", "[app]\nupstreams = { billing = 7100 }\n");
    let output = meshlint(&["check", "--format", "json"], root);
    assert_eq!(code(&output), 1);
    let doc = json(&output);
    assert_eq!(
        found(&doc),
        [
            pair("client.py", "hardcoded-upstream-url"),
            pair("client.py", "upstream-url-without-upstream")
        ]
    );
    let hardcoded = &doc["diagnostics"][0];
    assert_eq!(
        hardcoded["fix"]["edits"][0]["replacement"],
        "http://localhost:7100/charge"
    );
    let notes = hardcoded["notes"].to_string();
    assert!(notes.contains("set `[app] mesh = \\\"never\\\"`"), "{notes}");
    let unbound = &doc["diagnostics"][1];
    assert_eq!(unbound["range"]["start"]["line"], 3);

    // `never`: these apps do not run in the mesh.
    write(
        root,
        ".meshlint.toml",
        "[app]\nmesh = \"never\"\nupstreams = { billing = 7100 }\n",
    );
    let doc = json(&meshlint(&["check", "--format", "json"], root));
    assert_eq!(found(&doc), []);
}

#[test]
fn in_a_mesh_project_an_unclaimed_source_is_skipped_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "infra/main.tf", &stack("web", false, false));
    write(root, "tools/loadgen/main.go", BIND_ALL);
    let output = meshlint(&["check"], root);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(
        stdout(&output).ends_with(
            "no problems found; checked 2 files (1 Terraform, 1 application, 1 of them in no mesh task)\n"
        ),
        "{}",
        stdout(&output)
    );
    let shown = stdout(&meshlint(&["check", "--show-config"], root));
    assert!(shown.contains("#   tools/loadgen\n"), "{shown}");
    // `always`: the configuration says every source runs in the mesh.
    write(root, ".meshlint.toml", "[app]\nmesh = \"always\"\n");
    let doc = json(&meshlint(&["check", "--format", "json"], root));
    assert_eq!(
        found(&doc),
        [pair("tools/loadgen/main.go", "bind-all-interfaces")]
    );
}

#[test]
fn summaries_say_what_was_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "infra/main.tf", &stack("web", false, false));
    write(root, "infra/variables.tf", "variable \"region\" {}\n");
    write(root, "notes.txt", "not for meshlint\n");
    std::fs::create_dir_all(root.join("docs")).unwrap();

    let one = meshlint(&["check", "infra/main.tf"], root);
    assert_eq!(
        stdout(&one),
        "no problems found; checked 1 file (1 Terraform, 0 application)\n"
    );
    let nothing = meshlint(&["check", "notes.txt"], root);
    assert_eq!(code(&nothing), 0);
    assert_eq!(
        stdout(&nothing),
        "no problems found; checked 0 files (0 Terraform, 0 application), skipped 1\n"
    );
    assert!(
        stderr(&nothing).contains("notes.txt: not a file meshlint reads; not checked"),
        "{}",
        stderr(&nothing)
    );
    let empty = meshlint(&["check", "--format", "json", "docs"], root);
    assert_eq!(code(&empty), 0);
    assert_eq!(json(&empty)["summary"]["checked"], 0);
    assert!(stderr(&empty).contains("docs: nothing meshlint reads; checked 0 files"));
    // --fail-on decides the exit status, not the emptiness.
    assert_eq!(code(&meshlint(&["check", "--fail-on", "info", "docs"], root)), 0);
}
