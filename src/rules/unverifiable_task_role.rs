use crate::model::roles::task_role::{Need, RoleTarget};
use crate::rule::prelude::*;

pub struct UnverifiableTaskRole;

impl Rule for UnverifiableTaskRole {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            let module = &model.module;
            for check in model.roles.iter().filter(|c| c.is_undecided()) {
                let needs = match check.need {
                    Need::EcsDiscovery => "`ecs:ListTasks` and `ecs:DescribeTasks`",
                    Need::ConsulAuth => {
                        "`iam:GetRole` on itself and the `consul.hashicorp.com.service-name` tag"
                    }
                };
                let mut reasons: Vec<String> = Vec::new();
                if let RoleTarget::Undefined(reason) = &check.target {
                    reasons.push(reason.clone());
                }
                reasons.extend(check.results.iter().filter_map(|r| r.undecided_text()));
                reasons.extend(check.policies.opaque.iter().map(|(reason, _)| reason.clone()));
                if let Some(crate::model::roles::task_role::TagStatus::Unknown(reason)) = &check.tag {
                    reasons.push(format!("the role's tags are not known: {reason}"));
                }
                for (call, span) in &check.users {
                    let diagnostic = report.report(
                        *span,
                        format!(
                            "cannot verify that the task role of mesh-task `{}` allows {needs}",
                            module.calls[*call].name
                        ),
                    );
                    if let RoleTarget::Defined(index) = check.target {
                        diagnostic.label(
                            module.resources[index].block.header_span(),
                            "the role is defined here",
                        );
                    }
                    for (_, opaque_span) in &check.policies.opaque {
                        diagnostic.label(*opaque_span, "this policy cannot be read");
                    }
                    for result in &check.results {
                        for (label_span, message) in result.statement_labels(&check.policies) {
                            diagnostic.label(label_span, message);
                        }
                    }
                    for reason in &reasons {
                        diagnostic.note(reason.clone());
                    }
                    diagnostic.help("define the role and its policy in this configuration, or check its permissions by hand");
                }
            }
        }
    }
}
