use crate::model::consul_ecs::source_address::ModuleKind;
use crate::model::terraform::value::ValueKind;
use crate::rule::prelude::*;

pub struct ConsulUiOpenToWorld;

const ANYWHERE: [&str; 2] = ["0.0.0.0/0", "::/0"];

impl Rule for ConsulUiOpenToWorld {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for call in model
                .mesh
                .calls
                .iter()
                .filter(|c| c.kind == ModuleKind::DevServer)
            {
                // Each instance of a repeated call, for each local caller of the module.
                for scope in model.mesh.scopes(call, &model.module) {
                    let eval = &scope.eval;
                    let module_call = &model.module.calls[call.call];
                    let Some(enabled) = module_call.attr("lb_enabled") else {
                        continue;
                    };
                    if eval.eval(&enabled.value).as_bool() != Some(true) {
                        continue;
                    }
                    let Some(cidrs) = module_call.attr("lb_ingress_rule_cidr_blocks") else {
                        continue;
                    };
                    let value = eval.eval(&cidrs.value);
                    let Some(items) = value.as_list() else { continue };
                    for item in items {
                        let ValueKind::String(cidr) = &item.kind else {
                            continue;
                        };
                        if !ANYWHERE.contains(&cidr.as_str()) {
                            continue;
                        }
                        let written_in_call = item.span.file == cidrs.value.span.file
                            && cidrs.value.span.start() <= item.span.start()
                            && item.span.end() <= cidrs.value.span.end();
                        let span = if written_in_call {
                            item.span
                        } else {
                            cidrs.value.span
                        };
                        let diagnostic = report.report(
                            span,
                            format!(
                                "`{}` opens its Consul UI load balancer to `{cidr}`, the whole internet",
                                scope.address_at(span, module_call.block.span)
                            ),
                        );
                        if written_in_call {
                            diagnostic.origin_labels(&value.origins);
                        } else {
                            // The CIDR inside a value written elsewhere (a variable default,
                            // a tfvars list): one label on the CIDR, saying where it sits.
                            diagnostic.value_labels(item.span, cidr, &value.origins);
                        }
                        diagnostic
                        .note("the dev server runs without ACLs by default: anyone who reaches port 8500 can read and change the catalog and KV store")
                        .help("list only the addresses that need the UI, e.g. your office or VPN range as `x.x.x.x/32`");
                    }
                }
            }
        }
    }
}
