//! Intentions written in different forms mean the same to Consul, so they give the same
//! findings; and edges across namespaces are decided by the intentions of their namespaces.

mod common;

use common::*;

/// (rule, line, message) of every finding: the forms differ in where the intentions sit,
/// not in what is found on the calls.
fn what_is_found(dir: &str) -> Vec<(String, usize, String)> {
    let report = check_dir(&repo_root().join(dir));
    report
        .diagnostics
        .iter()
        .map(|d| {
            let at = report.project.sources.get(d.span.file).location(d.span.start());
            (d.rule.name().to_string(), at.line, d.message.clone())
        })
        .collect()
}

#[test]
fn the_typed_resource_and_config_json_give_the_same_findings() {
    let json = what_is_found("fixtures/upstream-denied-by-intentions/bad-deny-all-json-missing-one-allow");
    let typed = what_is_found("fixtures/upstream-denied-by-intentions/bad-deny-all-typed-missing-one-allow");
    assert_eq!(json.len(), 1, "{json:?}");
    assert_eq!(json, typed);
    let json = what_is_found("fixtures/intention-mixes-l4-and-l7/bad-action-and-permissions-json");
    let typed = what_is_found("fixtures/intention-mixes-l4-and-l7/bad-action-and-permissions-typed");
    assert_eq!(
        json.iter()
            .map(|(rule, _, message)| (rule, message))
            .collect::<Vec<_>>(),
        typed
            .iter()
            .map(|(rule, _, message)| (rule, message))
            .collect::<Vec<_>>()
    );
    // The legacy resource, one per edge, allows what the entries allow.
    assert!(what_is_found("fixtures/upstream-denied-by-intentions/good-legacy-consul-intention").is_empty());
}

const TASKS: &str = r#"
module "web" {
  source  = "hashicorp/consul-ecs/aws//modules/mesh-task"
  version = "0.10.0"

  family                   = "web"
  port                     = 9090
  consul_server_hosts      = "consul.example.internal"
  enable_transparent_proxy = false
  consul_namespace         = "shop"

  container_definitions = [{
    name        = "web"
    image       = "docker.io/example/web:1.0.0"
    essential   = true
    environment = [{ name = "API_URL", value = "http://localhost:1234" }]
  }]

  upstreams = [{ destinationName = "api", NAMESPACElocalBindPort = 1234 }]
}

resource "consul_config_entry" "deny_all" {
  name      = "*"
  namespace = "*"
  kind      = "service-intentions"
  config_json = jsonencode({
    Sources = [{ Name = "*", Namespace = "*", Action = "deny" }]
  })
}

resource "consul_config_entry" "api" {
  name      = "api"
  namespace = "billing"
  kind      = "service-intentions"
  config_json = jsonencode({
    Sources = [{ Name = "web", Namespace = "shop", Action = "allow" }]
  })
}
"#;

/// `web` in `shop` calls `api`: allowed in `billing`, where the allow is written; denied in
/// `shop` (the upstream's namespace defaults to the caller's), where only the deny-all applies.
#[test]
fn namespaces_decide_which_intentions_apply() {
    let run = |namespace: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("main.tf"), TASKS.replace("NAMESPACE", namespace)).unwrap();
        let report = check_dir(dir.path());
        report
            .diagnostics
            .iter()
            .filter(|d| d.rule.name() == "upstream-denied-by-intentions")
            .count()
    };
    assert_eq!(run("destinationNamespace = \"billing\", "), 0);
    assert_eq!(run("destinationNamespace = \"shop\", "), 1);
    assert_eq!(run(""), 1);
}
