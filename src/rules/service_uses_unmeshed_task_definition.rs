use crate::rule::prelude::*;

pub struct ServiceUsesUnmeshedTaskDefinition;

impl Rule for ServiceUsesUnmeshedTaskDefinition {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            let (module, mesh) = (&model.module, &model.mesh);
            for service in &mesh.services {
                let Some(reference) = &service.task_definition else {
                    continue;
                };
                let Some(target) = &reference.target else { continue };
                let Some(definition) = mesh.task_definition_named(module, target) else {
                    continue;
                };
                let Some(task) = model.task_replacing(definition) else {
                    continue;
                };
                // The instance's address when the call repeats: `module.svc` of a `count` call
                // is a list, and Terraform rejects `module.svc.task_definition_arn`.
                let call = &task.name;
                let service_address = module.resources[service.resource].address();
                let replacement = format!("module.{call}.task_definition_arn");
                let diagnostic = report.report(
                    reference.span,
                    format!("`{service_address}` still runs `aws_ecs_task_definition.{target}`, which has no sidecars"),
                );
                if let Some(family) = &task.family {
                    diagnostic.label(
                        family.span,
                        format!("mesh-task `{call}` builds the meshed task definition for this family"),
                    );
                }
                diagnostic
                    .note(
                        "the service's tasks start without the Consul sidecars, so they are not in the mesh",
                    )
                    .help(format!(
                        "point the service at the mesh task: `task_definition = {replacement}`"
                    ))
                    .fix(Fix::replace(
                        Applicability::Safe,
                        format!("use `{replacement}`"),
                        reference.span,
                        replacement,
                    ));
            }
        }
    }
}
