use crate::model::consul_ecs::version::{Release, ReleaseSet};
use crate::model::mesh::MeshTask;
use crate::model::terraform::value::Value;
use crate::rule::prelude::*;

pub struct MissingConsulServer;

/// The releases of one server-join scheme and the inputs that satisfy it.
struct Era {
    releases: ReleaseSet,
    inputs: &'static [&'static str],
}

fn eras() -> [Era; 3] {
    [
        Era {
            releases: ReleaseSet::range(Release::V0_1_0, Release::V0_1_1),
            inputs: &["consul_server_service_name", "retry_join"],
        },
        Era {
            releases: ReleaseSet::range(Release::V0_2_0_BETA1, Release::V0_6_2),
            inputs: &["retry_join"],
        },
        Era {
            releases: ReleaseSet::from(Release::V0_7_0_RC1),
            inputs: &["consul_server_hosts"],
        },
    ]
}

fn join_input<'t>(task: &'t MeshTask, name: &str) -> Option<&'t Value> {
    let join = &task.server_join;
    match name {
        "consul_server_service_name" => join.consul_server_service_name.as_ref(),
        "retry_join" => join.retry_join.as_ref(),
        "consul_server_hosts" => join.consul_server_hosts.as_ref(),
        _ => None,
    }
}

/// Set to something that may be non-empty; unknown values count as set.
fn is_set(value: Option<&Value>) -> bool {
    value.is_some_and(|v| !v.is_known_empty())
}

impl Rule for MissingConsulServer {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        let eras = eras();
        for model in &project.modules {
            for task in model.tasks.iter().map(|t| &t.declared) {
                let call = &model.module.calls[task.call];
                if !call.block.complete {
                    continue;
                }
                let possible: Vec<&Era> = eras
                    .iter()
                    .filter(|e| e.releases.overlaps(task.releases.set))
                    .collect();
                let satisfied = possible
                    .iter()
                    .any(|era| era.inputs.iter().any(|input| is_set(join_input(task, input))));
                if possible.is_empty() || satisfied {
                    continue;
                }
                let mut wanted: Vec<&str> = possible.iter().flat_map(|e| e.inputs.iter().copied()).collect();
                wanted.dedup();
                let message = if possible.len() == 1 {
                    format!(
                        "mesh-task `{}` ({}) sets no {}: its sidecars cannot find the Consul server",
                        task.name,
                        task.releases.set.describe(),
                        code_list(&wanted, "or")
                    )
                } else {
                    format!(
                        "mesh-task `{}` sets none of {}: its sidecars cannot find the Consul server",
                        task.name,
                        code_list(&wanted, "or")
                    )
                };
                let diagnostic = report.report(call.block.header_span(), message);
                for input in ["consul_server_service_name", "retry_join", "consul_server_hosts"] {
                    let Some(value) = join_input(task, input) else {
                        continue;
                    };
                    if value.is_known_empty() {
                        diagnostic.label(value.span, format!("`{input}` is empty"));
                    } else if !wanted.contains(&input) {
                        diagnostic.label(value.span, format!("`{input}` is not an input of this release"));
                    }
                }
                diagnostic.note_opt(task.releases.note());
                let help = if possible.len() == 1 && wanted.contains(&"consul_server_service_name") {
                    "set `consul_server_service_name = module.<dev-server>.ecs_service_name`, or `retry_join` to the server's address"
                } else if possible.len() == 1 && wanted == ["retry_join"] {
                    "set `retry_join` to the server addresses, e.g. `retry_join = [module.<dev-server>.server_dns]`"
                } else if possible.len() == 1 {
                    "set `consul_server_hosts` to the server address, e.g. `consul_server_hosts = module.<dev-server>.server_dns`"
                } else {
                    "pin the module `version` and set the server-join input of that release"
                };
                diagnostic.help(help);
            }
        }
    }
}
