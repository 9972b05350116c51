use crate::rule::prelude::*;

pub struct LeftoverTaskDefinition;

impl Rule for LeftoverTaskDefinition {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            let (module, mesh) = (&model.module, &model.mesh);
            for definition in &mesh.task_definitions {
                let Some(task) = model.task_replacing(definition) else {
                    continue;
                };
                let Some(family) = definition.family.as_ref() else {
                    continue;
                };
                let resource = &module.resources[definition.resource];
                let call = &task.name;
                let diagnostic = report.report(
                    resource.block.header_span(),
                    format!(
                        "`{}` has family `{}`, which mesh-task `{call}` now owns",
                        resource.address(),
                        family.as_str().unwrap_or_default()
                    ),
                );
                diagnostic
                    .label(family.span, "family set here")
                    .origin_labels(&family.origins);
                if let Some(task_family) = &task.family {
                    diagnostic.label(
                        task_family.span,
                        format!("mesh-task `{call}` registers revisions of the same family"),
                    );
                }
                diagnostic
                    .note("both write revisions of one task definition family, so each apply can replace the other's revision")
                    .help("delete this resource once nothing refers to it, or tag it `\"consul.hashicorp.com/mesh\" = \"false\"` if it is meant to stay outside the mesh");
            }
        }
    }
}
