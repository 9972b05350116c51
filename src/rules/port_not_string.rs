use crate::model::consul_ecs::version::{Release, ReleaseSet};
use crate::model::terraform::value::format_number;
use crate::rule::prelude::*;
use crate::syntax::ExprKind;

pub struct PortNotString;

impl Rule for PortNotString {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        let v0_1 = ReleaseSet::range(Release::V0_1_0, Release::V0_1_1);
        for model in &project.modules {
            for task in model.tasks.iter().map(|t| &t.declared) {
                if !task.releases.all_in(v0_1) {
                    continue;
                }
                let Some(number) = task.port.as_ref().and_then(|p| p.as_number()) else {
                    continue;
                };
                let call = &model.module.calls[task.call];
                let Some(attr) = call.attr("port") else { continue };
                let text = format_number(number);
                let diagnostic = report.report(
                    attr.value.span,
                    format!(
                        "`port` of mesh-task `{}` is the number {text}, not a string",
                        task.name
                    ),
                );
                diagnostic
                    .origin_labels(&task.port.as_ref().map(|p| p.origins.clone()).unwrap_or_default())
                    .note("the v0.1 install guide asks for the port as a string, e.g. `port = \"9090\"`")
                    .note_opt(task.releases.note());
                if matches!(attr.value.kind, ExprKind::Number(_)) {
                    let quoted = format!("\"{text}\"");
                    diagnostic
                        .help(format!("write `port = {quoted}`"))
                        .fix(Fix::replace(
                            Applicability::Safe,
                            format!("quote the port: `{quoted}`"),
                            attr.value.span,
                            quoted,
                        ));
                } else {
                    diagnostic.help(format!(
                        "make the value a string where it is set (`\"{text}\"`, or `type = string` on the variable)"
                    ));
                }
            }
        }
    }
}
