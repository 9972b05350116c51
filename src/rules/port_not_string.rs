use crate::model::value::format_number;
use crate::model::version::{Release, ReleaseSet};
use crate::rule::prelude::*;
use crate::syntax::ExprKind;

pub struct PortNotString;

static META: RuleMeta = RuleMeta {
    code: "MESH002",
    name: "port-not-string",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    summary: "v0.1.x mesh-task `port` given as a number where the install guide requires a string",
    doc: include_str!("../../rules/port-not-string.md"),
};

impl Rule for PortNotString {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, project: &Project, report: &mut Reporter) {
        let v0_1 = ReleaseSet::range(Release::V0_1_0, Release::V0_1_1);
        for model in &project.modules {
            for task in &model.mesh.tasks {
                if !task.releases.all_in(v0_1) {
                    continue;
                }
                let Some(number) = task.port.as_ref().and_then(|p| p.as_number()) else { continue };
                let call = &model.module.calls[task.call];
                let Some(attr) = call.attr("port") else { continue };
                let text = format_number(number);
                let diagnostic = report.report(
                    attr.value.span,
                    format!("`port` of mesh-task `{}` is the number {text}, not a string", call.name),
                );
                diagnostic
                    .origin_labels(&task.port.as_ref().map(|p| p.origins.clone()).unwrap_or_default())
                    .note("the v0.1 install guide asks for the port as a string, e.g. `port = \"9090\"`")
                    .note_opt(task.releases.note());
                if matches!(attr.value.kind, ExprKind::Number(_)) {
                    let quoted = format!("\"{text}\"");
                    diagnostic
                        .help(format!("write `port = {quoted}`"))
                        .fix(Fix::replace(Applicability::Safe, format!("quote the port: `{quoted}`"), attr.value.span, quoted));
                } else {
                    diagnostic.help(format!(
                        "make the value a string where it is set (`\"{text}\"`, or `type = string` on the variable)"
                    ));
                }
            }
        }
    }
}
