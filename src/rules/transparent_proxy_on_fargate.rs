use crate::model::consul_ecs::schema::{Check, Schema};
use crate::model::mesh::task_network::transparent_proxy;
use crate::model::terraform::eval::Evaluator;
use crate::model::terraform::value::Value;
use crate::model::terraform::ModuleCall;
use crate::rule::prelude::*;

pub struct TransparentProxyOnFargate;

/// `Some(true)` when this release's check fails for the call, `None` when it cannot be told.
fn fails(schema: &Schema, call: &ModuleCall, eval: &Evaluator) -> Option<bool> {
    if !schema
        .checks
        .iter()
        .any(|c| matches!(c, Check::TproxyRequiresEc2Only { .. }))
    {
        return Some(false);
    }
    let tproxy = transparent_proxy(schema, call, eval)?;
    let compatibilities = match call.attr("requires_compatibilities").map(|a| eval.eval(&a.value)) {
        Some(value) => strings_of(&value)?,
        None => schema.input("requires_compatibilities")?.default_strings()?,
    };
    Some(tproxy && compatibilities != ["EC2"])
}

fn strings_of(value: &Value) -> Option<Vec<String>> {
    value
        .as_list()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

impl Rule for TransparentProxyOnFargate {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for call in &model.mesh.calls {
                // Each instance of a repeated call, for each local caller of the module.
                for scope in model.mesh.scopes(call, &model.module) {
                    let eval = &scope.eval;
                    let possible = call.possible();
                    let module_call = &model.module.calls[call.call];
                    let schemas = call.schemas();
                    if !schemas.all_of(possible, |s| fails(s, module_call, eval) == Some(true)) {
                        continue;
                    }
                    let tproxy = module_call.attr("enable_transparent_proxy");
                    let compat = module_call.attr("requires_compatibilities");
                    // Absence is the trap here, so a recovered block cannot be trusted.
                    if (tproxy.is_none() || compat.is_none()) && !module_call.block.complete {
                        continue;
                    }
                    let (span, message) = match tproxy {
                    Some(attr) => {
                        // Where `true` is written: in the call, or in this instance's own
                        // entry of a `for_each` map.
                        let value = eval.eval(&attr.value);
                        let per_instance = scope.name != module_call.name
                            && value.is_known()
                            && !module_call.block.span.contains(value.span);
                        let span = if per_instance { value.span } else { attr.value.span };
                        (
                            span,
                            format!(
                                "`{}` turns transparent proxy on, but may run on Fargate, which cannot run it",
                                scope.address_at(span, module_call.block.span)
                            ),
                        )
                    }
                    None => (
                        module_call.block.header_span(),
                        format!(
                            "`{}` leaves transparent proxy on (the {} {} default) and may run on Fargate, which cannot run it",
                            scope.address_at(module_call.block.header_span(), module_call.block.span),
                            call.kind,
                            possible.describe()
                        ),
                    ),
                };
                    let diagnostic = report.report(span, message);
                    match compat {
                        Some(attr) => diagnostic.label(attr.value.span, "Fargate is allowed here"),
                        None => {
                            diagnostic.note("`requires_compatibilities` defaults to [\"EC2\", \"FARGATE\"]")
                        }
                    };
                    diagnostic
                    .note("the module's precondition fails at plan time unless `requires_compatibilities` is exactly [\"EC2\"]")
                    .note_opt(call.releases.note())
                    .help("on Fargate set `enable_transparent_proxy = false`; for transparent proxy run on EC2 only with `requires_compatibilities = [\"EC2\"]`");
                }
            }
        }
    }
}
