use crate::model::consul_ecs::source_address::ModuleKind;
use crate::model::consul_ecs::version::{Release, ReleaseSet};
use crate::model::mesh::ModuleIndex;
use crate::model::terraform::eval::Evaluator;
use crate::rule::prelude::*;

pub struct ServiceMissingPropagateTags;

impl Rule for ServiceMissingPropagateTags {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        // The v0.1 guide leaves the service unchanged; the requirement starts with v0.2.0.
        let documented = ReleaseSet::from(Release::V0_2_0);
        for model in &project.modules {
            let eval = Evaluator::new(&model.module);
            for service in &model.mesh.services {
                let Some(reference) = &service.task_definition else {
                    continue;
                };
                let Some(name) = &reference.module_output else {
                    continue;
                };
                let Some(call) = model
                    .module
                    .calls_named(name)
                    .into_iter()
                    .filter_map(|index| model.mesh.call(index))
                    .find(|c| c.kind == ModuleKind::MeshTask)
                else {
                    continue;
                };
                // `module.task["api"]` when the service names one instance.
                let shown = match &reference.module_index {
                    Some(ModuleIndex::Literal(key)) => format!("{name}{key}"),
                    _ => name.clone(),
                };
                let possible = call.possible();
                if !possible.is_within(documented) {
                    continue;
                }
                let resource = &model.module.resources[service.resource];
                let releases = possible.describe();
                match resource.attr("propagate_tags") {
                    Some(attr) => {
                        let value = eval.eval(&attr.value);
                        let Some(text) = value.as_str() else { continue };
                        if text == "TASK_DEFINITION" {
                            continue;
                        }
                        report
                            .report(
                                attr.value.span,
                                format!(
                                    "`{}` propagates tags from \"{text}\", so its tasks miss the mesh tags of `module.{shown}`",
                                    resource.address()
                                ),
                            )
                            .origin_labels(&value.origins)
                            .note(format!("mesh-task {releases} tags the task definition for Consul; only \"TASK_DEFINITION\" copies those tags to the tasks"))
                            .note_opt(call.releases.note())
                            .help("set `propagate_tags = \"TASK_DEFINITION\"`");
                    }
                    None => {
                        if !resource.block.complete {
                            continue;
                        }
                        let diagnostic = report.report(
                            resource.block.header_span(),
                            format!(
                                "`{}` runs `module.{shown}` without `propagate_tags = \"TASK_DEFINITION\"`",
                                resource.address()
                            ),
                        );
                        diagnostic
                            .label(reference.span, format!("the task definition of mesh-task {releases}"))
                            .note("the module's tags on the task definition (service name, mesh membership) reach the tasks only when the service propagates them")
                            .note_opt(call.releases.note())
                            .help("add `propagate_tags = \"TASK_DEFINITION\"` to the service");
                        let Some(task_definition) = resource.attr("task_definition") else {
                            continue;
                        };
                        let file = project.sources.get(task_definition.span.file);
                        // Only in native syntax, and only inside the block.
                        let at = file.next_line_start(task_definition.span.end());
                        if file.display_path.ends_with(".json") || at >= resource.block.span.end() {
                            continue;
                        }
                        let edit = crate::edit::layout::attribute_after(
                            &project.sources,
                            task_definition.key_span,
                            "propagate_tags",
                            "\"TASK_DEFINITION\"",
                        );
                        diagnostic.fix(Fix::new(
                            Applicability::Safe,
                            "add `propagate_tags = \"TASK_DEFINITION\"`",
                            vec![edit],
                        ));
                    }
                }
            }
        }
    }
}
