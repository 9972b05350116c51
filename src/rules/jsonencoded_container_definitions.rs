use crate::model::consul_ecs::source_address::ModuleKind;
use crate::model::mesh::JsonencodeCall;
use crate::rule::prelude::*;
use crate::rule::Edit;
use crate::source::SourceMap;
use crate::syntax::Expr;

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
                    diagnostic.help("remove `jsonencode(` and its closing `)` and pass the list itself");
                    let argument = model.module.calls[call.call]
                        .attr("container_definitions")
                        .and_then(|attr| attr.value.as_call("jsonencode"))
                        .and_then(|c| c.args.first());
                    if let Some(edits) = argument.and_then(|a| unwrap(&project.sources, jsonencode, a)) {
                        diagnostic.fix(Fix::new(
                            Applicability::Safe,
                            "remove the `jsonencode()` wrapper",
                            edits,
                        ));
                    }
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

/// The edits that pass the list itself: the call removed around it in native syntax; in JSON
/// syntax, the string `"${jsonencode([...])}"` replaced by the list as JSON.
fn unwrap(sources: &SourceMap, jsonencode: &JsonencodeCall, argument: &Expr) -> Option<Vec<Edit>> {
    let file = sources.get(jsonencode.call.file);
    if !crate::edit::json::is_json_file(sources, jsonencode.call.file) {
        return crate::edit::layout::unwrap_call(sources, jsonencode.call, jsonencode.argument);
    }
    let string = crate::edit::json::sole_interpolation(sources, jsonencode.call)?;
    let value = crate::edit::json::value(sources, argument, file.indentation_at(string.start()))?;
    Some(vec![Edit {
        span: string,
        replacement: value,
    }])
}
