use crate::model::consul_ecs::source_address::ModuleKind;
use crate::rule::prelude::*;
use crate::rule::Edit;

pub struct JsonencodedContainerDefinitions;

impl Rule for JsonencodedContainerDefinitions {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for call in &model.mesh.calls {
                if !matches!(call.kind, ModuleKind::MeshTask | ModuleKind::GatewayTask) {
                    continue;
                }
                let Some(definitions) = &call.container_definitions else {
                    continue;
                };
                let Some(jsonencode) = &definitions.jsonencode else {
                    continue;
                };
                let name = &model.module.calls[call.call].name;
                let diagnostic = report.report(
                    definitions.span,
                    format!(
                        "`container_definitions` of {} `{name}` is a `jsonencode()` string, not a list",
                        call.kind
                    ),
                );
                diagnostic.note(format!(
                    "{} encodes the container definitions itself; it needs the list as Terraform values",
                    call.kind
                ));
                if jsonencode.through.is_empty() {
                    diagnostic
                        .help("remove `jsonencode(` and its closing `)` and pass the list itself")
                        .fix(Fix::new(
                            Applicability::Safe,
                            "remove the `jsonencode()` wrapper",
                            vec![
                                Edit {
                                    span: Span::new(
                                        jsonencode.call.file,
                                        jsonencode.call.start,
                                        jsonencode.argument.start,
                                    ),
                                    replacement: String::new(),
                                },
                                Edit {
                                    span: Span::new(
                                        jsonencode.call.file,
                                        jsonencode.argument.end,
                                        jsonencode.call.end,
                                    ),
                                    replacement: String::new(),
                                },
                            ],
                        ));
                } else {
                    diagnostic
                        .origin_labels(&jsonencode.through[..jsonencode.through.len() - 1])
                        .label(jsonencode.call, "`jsonencode()` is called here")
                        .help("pass the list without `jsonencode()` (keep a separate encoded local if something else needs the JSON string)");
                }
            }
        }
    }
}
