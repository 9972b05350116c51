use crate::model::consul_ecs::source_address::ModuleKind;
use crate::rule::prelude::*;

pub struct MissingRequiredInput;

/// mesh-task's server-join inputs: `missing-consul-server` reports those, per release.
const SERVER_JOIN: [&str; 3] = ["consul_server_service_name", "retry_join", "consul_server_hosts"];

impl Rule for MissingRequiredInput {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for call in &model.mesh.calls {
                let module_call = &model.module.calls[call.call];
                // A block recovered from a broken file may have lost the input past the error.
                if !module_call.block.complete {
                    continue;
                }
                let possible = call.possible();
                if possible.is_empty() {
                    continue;
                }
                let schemas = call.schemas();
                let missing: Vec<&str> = schemas
                    .all_inputs()
                    .into_iter()
                    .filter(|name| !(call.kind == ModuleKind::MeshTask && SERVER_JOIN.contains(name)))
                    .filter(|name| module_call.attr(name).is_none())
                    .filter(|name| schemas.all_of(possible, |s| s.input(name).is_some_and(|i| i.required)))
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                let noun = if missing.len() == 1 { "input" } else { "inputs" };
                report
                    .report(
                        module_call.block.header_span(),
                        format!(
                            "`module.{}` does not set the required {noun} {} of {} {}",
                            module_call.name,
                            code_list(&missing, "and"),
                            call.kind,
                            possible.describe()
                        ),
                    )
                    .note("Terraform stops at `validate` or `plan` with \"Missing required argument\"")
                    .note_opt(call.releases.note())
                    .help(format!("set {} in the module block", code_list(&missing, "and")));
            }
        }
    }
}
