use crate::model::roles::task_role::{Need, RoleTarget, TagStatus, SERVICE_NAME_TAG};
use crate::rule::prelude::*;

pub struct TaskRoleMissingConsulAuth;

impl Rule for TaskRoleMissingConsulAuth {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            let module = &model.module;
            for check in model
                .roles
                .iter()
                .filter(|c| c.need == Need::ConsulAuth && c.is_definitely_missing())
            {
                let RoleTarget::Defined(index) = check.target else {
                    continue;
                };
                let role = &module.resources[index];
                let mut missing: Vec<String> = check
                    .results
                    .iter()
                    .filter_map(|r| r.missing_text(&check.policies))
                    .collect();
                if check.tag == Some(TagStatus::Missing) {
                    missing.push(format!("the `{SERVICE_NAME_TAG}` tag"));
                }
                let diagnostic = report.report(
                    role.block.header_span(),
                    format!("task role `{}` lacks {}", role.address(), missing.join(" and ")),
                );
                for (call, span) in &check.users {
                    diagnostic.label(
                        *span,
                        format!("mesh-task `{}` passes this role", module.calls[*call].name),
                    );
                }
                for result in &check.results {
                    for (span, message) in result.statement_labels(&check.policies) {
                        diagnostic.label(span, message);
                    }
                }
                diagnostic
                    .note("with ACLs on, the task logs in to Consul with the IAM auth method, which reads the role and takes the service name from its tag; mesh-task does not change a role it did not create")
                    .help(format!(
                        "allow `iam:GetRole` on the role's own ARN and tag the role `\"{SERVICE_NAME_TAG}\" = <Consul service name>`"
                    ));
            }
        }
    }
}
