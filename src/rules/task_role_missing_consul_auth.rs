use crate::model::task_role::{Need, RoleTarget, TagStatus, SERVICE_NAME_TAG};
use crate::rule::prelude::*;

pub struct TaskRoleMissingConsulAuth;

static META: RuleMeta = RuleMeta {
    code: "MESH021",
    name: "task-role-missing-consul-auth",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "a role passed to mesh-task (v0.5.0+, `create_task_role = false`, ACLs on) without `iam:GetRole` on itself or the `consul.hashicorp.com.service-name` tag",
    doc: include_str!("../../rules/task-role-missing-consul-auth.md"),
};

impl Rule for TaskRoleMissingConsulAuth {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, project: &Project, report: &mut Reporter) {
        for model in &project.modules {
            let module = &model.module;
            for check in model.roles.iter().filter(|c| c.need == Need::ConsulAuth && c.is_definitely_missing()) {
                let RoleTarget::Defined(index) = check.target else { continue };
                let role = &module.resources[index];
                let mut missing: Vec<String> = check.results.iter().filter_map(|r| r.missing_text(&check.policies)).collect();
                if check.tag == Some(TagStatus::Missing) {
                    missing.push(format!("the `{SERVICE_NAME_TAG}` tag"));
                }
                let diagnostic = report.report(
                    role.block.header_span(),
                    format!("task role `{}` lacks {}", role.address(), missing.join(" and ")),
                );
                for (call, span) in &check.users {
                    diagnostic.label(*span, format!("mesh-task `{}` passes this role", module.calls[*call].name));
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
