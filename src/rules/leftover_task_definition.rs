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
                let shared = task.family.as_ref().is_some_and(|f| f.span == family.span);
                if shared {
                    // One value (a variable, a local) names the family of both.
                    diagnostic.label(family.span, "the family of both, set here");
                } else {
                    diagnostic.label(family.span, "family set here");
                }
                diagnostic.origin_labels(&family.origins);
                // Where the mesh task takes its family: the call's input, and the value when
                // it comes from elsewhere.
                let input = module.calls.get(task.call).and_then(|c| c.attr("family"));
                let registers = format!("mesh-task `{call}` registers revisions of the same family");
                match (input, &task.family) {
                    (Some(input), Some(value)) if !input.value.span.contains(value.span) => {
                        diagnostic.label(input.value.span, registers);
                    }
                    (_, Some(value)) if !shared => {
                        diagnostic.label(value.span, registers);
                    }
                    _ => {}
                }
                diagnostic
                    .note("both write revisions of one task definition family, so each apply can replace the other's revision")
                    .help("delete this resource once nothing refers to it, or tag it `\"consul.hashicorp.com/mesh\" = \"false\"` if it is meant to stay outside the mesh");
            }
        }
    }
}
