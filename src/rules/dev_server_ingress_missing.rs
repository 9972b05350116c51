use crate::model::consul_ecs::source_address::ModuleKind;
use crate::model::consul_ecs::version::{Release, ReleaseSet};
use crate::model::terraform::eval::Evaluator;
use crate::rule::prelude::*;
use crate::syntax::{Body, Expr};

pub struct DevServerIngressMissing;

/// Releases whose dev-server does not itself let its load balancer reach the server task:
/// from v0.3.0 the module adds `aws_security_group_rule.lb_ingress_to_service`.
fn without_own_rule() -> ReleaseSet {
    ReleaseSet::range(Release::V0_1_0, Release::V0_2_0)
}

fn body_mentions(body: &Body, wanted: &[&str]) -> bool {
    let mut found = false;
    let mut visit = |e: &Expr| {
        if e.reference().as_deref().is_some_and(|r| r.starts_with(wanted)) {
            found = true;
        }
    };
    for attr in &body.attributes {
        attr.value.walk(&mut visit);
    }
    found || body.blocks.iter().any(|b| body_mentions(&b.body, wanted))
}

impl Rule for DevServerIngressMissing {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            // A rule in a file that could not be read fully may be the one that is missing.
            if !model.module.complete {
                continue;
            }
            let eval = Evaluator::new(&model.module);
            for call in model
                .mesh
                .calls
                .iter()
                .filter(|c| c.kind == ModuleKind::DevServer)
            {
                let possible = call.possible();
                if !possible.is_within(without_own_rule()) {
                    continue;
                }
                let module_call = &model.module.calls[call.call];
                let Some(enabled) = module_call.attr("lb_enabled") else {
                    continue;
                };
                if eval.eval(&enabled.value).as_bool() != Some(true) {
                    continue;
                }
                let wanted = ["module", module_call.name.as_str(), "lb_security_group_id"];
                if model
                    .module
                    .resources
                    .iter()
                    .any(|r| body_mentions(&r.block.body, &wanted))
                {
                    continue;
                }
                report
                    .report(
                        module_call.block.header_span(),
                        format!(
                            "`module.{}` has a load balancer, but no security-group rule admits it to the server on port 8500",
                            module_call.name
                        ),
                    )
                    .label(enabled.value.span, "the load balancer is enabled here")
                    .note(format!(
                        "dev-server {} runs the server in the VPC's default security group and adds no rule for its load balancer (v0.3.0 and later add one)",
                        possible.describe()
                    ))
                    .note_opt(call.releases.note())
                    .help(format!(
                        "add an `aws_security_group_rule` of type \"ingress\" on port 8500 with `source_security_group_id = module.{}.lb_security_group_id`",
                        module_call.name
                    ));
            }
        }
    }
}
