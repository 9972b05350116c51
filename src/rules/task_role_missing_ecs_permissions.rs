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
                // The clusters whose tasks the role must describe and does not.
                let mut clusters: Vec<&str> = Vec::new();
                for result in check
                    .results
                    .iter()
                    .filter(|r| r.missing_text(&check.policies).is_some())
                {
                    let Some(cluster) = &result.cluster else {
                        continue;
                    };
                    clusters.push(&cluster.name);
                    for service in &cluster.services {
                        diagnostic
                            .label(
                                service.span,
                                format!(
                                    "`{}` runs its task in cluster `{}`",
                                    service.service, cluster.name
                                ),
                            )
                            .origin_labels(&service.origins);
                    }
                    let named = result.policy_clusters();
                    if !named.is_empty() {
                        let services: Vec<&str> =
                            cluster.services.iter().map(|s| s.service.as_str()).collect();
                        diagnostic.note(format!(
                            "the policy scopes `ecs:DescribeTasks` to the tasks of cluster {}, but {} {} in cluster `{}`",
                            code_list(&named.iter().map(String::as_str).collect::<Vec<_>>(), "and"),
                            code_list(&services, "and"),
                            if services.len() == 1 { "runs its task" } else { "run their tasks" },
                            cluster.name
                        ));
                    }
                }
                diagnostic.note("in consul-ecs v0.1.x the `discover-servers` container finds the Consul server through the ECS API, using the task role; without these permissions the sidecar never becomes healthy and the app never starts");
                if clusters.is_empty() {
                    diagnostic.help("allow `ecs:ListTasks` on `*` and `ecs:DescribeTasks` on `arn:aws:ecs:<region>:<account>:task/*`");
                } else {
                    let scoped: Vec<String> = clusters
                        .iter()
                        .map(|c| format!("arn:aws:ecs:<region>:<account>:task/{c}/*"))
                        .collect();
                    let list_missing = check.results.iter().any(|r| {
                        r.requirement.action == "ecs:ListTasks" && r.missing_text(&check.policies).is_some()
                    });
                    diagnostic.help(format!(
                        "allow {}`ecs:DescribeTasks` on {} (the tasks of the cluster the mesh task runs in), or on `arn:aws:ecs:<region>:<account>:task/*`",
                        if list_missing { "`ecs:ListTasks` on `*` and " } else { "" },
                        code_list(&scoped.iter().map(String::as_str).collect::<Vec<_>>(), "and")
                    ));
                }
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
                            describe_tasks_arn(module, r.cluster.as_ref().map(|c| c.name.as_str()))
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

/// Where to allow `ecs:DescribeTasks`: the module's tasks, or those of `cluster` when the role
/// must cover one cluster it leaves out (the scope the policy chose stays that narrow).
fn describe_tasks_arn(module: &crate::model::terraform::Module, cluster: Option<&str>) -> String {
    let every_task = policy_edit::task_arn(module);
    match cluster {
        None => every_task,
        Some(cluster) => match every_task.strip_suffix(":task/*") {
            Some(prefix) => format!("{prefix}:task/{cluster}/*"),
            None => format!("arn:aws:ecs:*:*:task/{cluster}/*"),
        },
    }
}
