//! Which ECS cluster an `aws_ecs_service` runs its tasks in: the name its `cluster` argument
//! gives, through an `aws_ecs_cluster` resource or data source of the module, a literal ARN
//! or name, or ECS's `default` cluster when the argument is left out.

use crate::model::terraform::eval::Evaluator;
use crate::model::terraform::value::Origin;
use crate::model::terraform::{Module, Resource};
use crate::source::Span;

/// The cluster a service runs a mesh task in.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceCluster {
    /// The service, as findings name it: `aws_ecs_service.web`.
    pub service: String,
    /// The cluster's name; `None` when it is not known before apply.
    pub name: Option<String>,
    /// The service's `cluster` value, or its block header when it has none.
    pub span: Span,
    /// Where the name came from (a variable default, the cluster's `name`), for labels.
    pub origins: Vec<Origin>,
}

/// ECS runs a service without `cluster` in this one.
const DEFAULT_CLUSTER: &str = "default";

pub fn of_service(module: &Module, service: &Resource, eval: &Evaluator) -> ServiceCluster {
    let mut found = ServiceCluster {
        service: service.address(),
        name: None,
        span: service.block.header_span(),
        origins: Vec::new(),
    };
    let Some(attr) = service.attr("cluster") else {
        found.name = Some(DEFAULT_CLUSTER.to_string());
        return found;
    };
    found.span = attr.value.span;
    // `aws_ecs_cluster.x.arn|id|name` and the data source's `arn|id|cluster_name`: the name
    // the cluster is given (its ARN is only known after apply).
    let named_by = match attr.value.reference().as_deref() {
        Some(["aws_ecs_cluster", name, "arn" | "id" | "name"]) => module
            .resource("aws_ecs_cluster", name)
            .filter(|c| !c.is_repeated())
            .map(|c| (c, "name")),
        Some(["data", "aws_ecs_cluster", name, "arn" | "id" | "cluster_name"]) => module
            .data_source("aws_ecs_cluster", name)
            .filter(|c| !c.is_repeated())
            .map(|c| (c, "cluster_name")),
        _ => None,
    };
    let value = match named_by {
        Some((cluster, key)) => match cluster.attr(key) {
            Some(name) => eval.eval(&name.value),
            None => return found,
        },
        None => eval.eval(&attr.value),
    };
    if let Some(text) = value.as_str() {
        found.name = cluster_name(text, named_by.is_some());
        found.origins = value.origins.clone();
    }
    found
}

/// The name in a cluster ARN (`arn:aws:ecs:…:cluster/NAME`), or a plain name.
fn cluster_name(text: &str, is_name: bool) -> Option<String> {
    let name = match text.split_once(":cluster/") {
        Some((_, name)) if !is_name => name,
        _ if text.starts_with("arn:") => return None,
        _ => text,
    };
    let valid = !name.is_empty()
        && name.len() <= 255
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(text: &str) -> Option<String> {
        let module = Module::from_text(text, None);
        let service = module.resource("aws_ecs_service", "s").expect("the service");
        of_service(&module, service, &Evaluator::new(&module)).name
    }

    #[test]
    fn the_cluster_name_through_every_form() {
        let cases = [
            (
                "cluster = \"arn:aws:ecs:us-east-1:111111111111:cluster/my-cluster\"",
                Some("my-cluster"),
            ),
            ("cluster = \"my-cluster\"", Some("my-cluster")),
            ("cluster = aws_ecs_cluster.c.arn", Some("from-resource")),
            ("cluster = aws_ecs_cluster.c.id", Some("from-resource")),
            ("cluster = aws_ecs_cluster.c.name", Some("from-resource")),
            ("cluster = data.aws_ecs_cluster.d.arn", Some("from-data")),
            ("cluster = var.cluster_arn", Some("from-variable")),
            ("cluster = var.unset", None),
            ("cluster = aws_ecs_cluster.unnamed.arn", None),
            (
                "cluster = \"arn:aws:ecs:us-east-1:111111111111:service/odd\"",
                None,
            ),
            ("", Some("default")),
        ];
        for (argument, expected) in cases {
            let text = format!(
                r#"
variable "cluster_arn" {{ default = "arn:aws:ecs:us-east-1:111111111111:cluster/from-variable" }}
variable "unset" {{ type = string }}
variable "prefix" {{ default = "from" }}
resource "aws_ecs_cluster" "c" {{ name = "${{var.prefix}}-resource" }}
resource "aws_ecs_cluster" "unnamed" {{}}
data "aws_ecs_cluster" "d" {{ cluster_name = "from-data" }}
resource "aws_ecs_service" "s" {{
  {argument}
}}
"#
            );
            assert_eq!(cluster(&text).as_deref(), expected, "{argument}");
        }
    }
}
