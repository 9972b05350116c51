use crate::edit::policy::{self as policy_edit, Grant};
use crate::iam::{NotAllowedReason, Outcome};
use crate::model::roles::task_role::{Need, RoleTarget};
use crate::rule::prelude::*;

pub struct TaskRoleMissingEcsPermissions;

impl Rule for TaskRoleMissingEcsPermissions {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            let module = &model.module;
            for check in model
                .roles
                .iter()
                .filter(|c| c.need == Need::EcsDiscovery && c.is_definitely_missing())
            {
                let RoleTarget::Defined(index) = check.target else {
                    continue;
                };
                let role = &module.resources[index];
                let missing: Vec<String> = check
                    .results
                    .iter()
                    .filter_map(|r| r.missing_text(&check.policies))
                    .collect();
                let diagnostic = report.report(
                    role.block.header_span(),
                    format!(
                        "task role `{}` does not allow {}",
                        role.address(),
                        missing.join(" or ")
                    ),
                );
                for (call, span) in &check.users {
                    diagnostic.label(
                        *span,
                        format!("mesh-task `{}` runs with this role", module.calls[*call].name),
                    );
                }
                for result in &check.results {
                    for (span, message) in result.statement_labels(&check.policies) {
                        diagnostic.label(span, message);
                    }
                }
                diagnostic
                    .note("in consul-ecs v0.1.x the `discover-servers` container finds the Consul server through the ECS API, using the task role; without these permissions the sidecar never becomes healthy and the app never starts")
                    .help("allow `ecs:ListTasks` on `*` and `ecs:DescribeTasks` on `arn:aws:ecs:<region>:<account>:task/*`");
                let blocked = check.results.iter().any(|r| {
                    matches!(
                        r.outcome,
                        Outcome::NotAllowed {
                            reason: NotAllowedReason::BlockedByDeny { .. }
                        }
                    )
                });
                if blocked {
                    continue;
                }
                let grants: Vec<Grant> = check
                    .results
                    .iter()
                    .filter(|r| matches!(r.outcome, Outcome::NotAllowed { .. }))
                    .map(|r| Grant {
                        action: r.requirement.action.clone(),
                        resource: if r.requirement.action == "ecs:ListTasks" {
                            "*".to_string()
                        } else {
                            policy_edit::task_arn(module)
                        },
                    })
                    .collect();
                if let Some((at, text)) = policy_edit::add_statements(&check.policies, &grants) {
                    let actions: Vec<&str> = grants.iter().map(|g| g.action.as_str()).collect();
                    diagnostic.fix(Fix::replace(
                        Applicability::Unsafe,
                        format!("add a statement allowing `{}`", actions.join("` and `")),
                        at,
                        text,
                    ));
                }
            }
        }
    }
}
