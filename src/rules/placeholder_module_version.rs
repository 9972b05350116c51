use crate::model::consul_ecs::source_address::ModuleKind;
use crate::model::consul_ecs::version::{Constraint, ReleaseSet};
use crate::rule::prelude::*;
use crate::syntax::ExprKind;

pub struct PlaceholderModuleVersion;

impl Rule for PlaceholderModuleVersion {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            let mesh = &model.mesh;
            // What the mesh tasks of this module can be, for calls that do not tell by themselves.
            let tasks_releases = model
                .tasks
                .iter()
                .map(|t| &t.declared)
                .fold(ReleaseSet::all(), |set, task| set.intersect(task.releases.set));
            for call in &mesh.calls {
                let module_call = &model.module.calls[call.call];
                let Some(version) = module_call.attr("version") else {
                    continue;
                };
                let ExprKind::String(text) = &version.value.kind else {
                    continue;
                };
                if Constraint::parse(text).is_some() {
                    continue;
                }
                let candidates = if call.kind == ModuleKind::MeshTask {
                    call.releases.set
                } else {
                    tasks_releases
                };
                let diagnostic = report.report(
                    version.value.span,
                    format!(
                        "`version = \"{text}\"` of `module.{}` is not a version constraint",
                        module_call.name
                    ),
                );
                diagnostic.note("Terraform cannot install a module whose version is not a constraint such as \"0.1.1\" or \"~> 0.1.0\"");
                match candidates.newest() {
                    Some(release) if candidates != ReleaseSet::all() => {
                        diagnostic
                            .help(format!(
                                "pin the release the inputs were written for: `version = \"{release}\"`"
                            ))
                            .fix(Fix::replace(
                                Applicability::DisplayOnly,
                                format!("pin `version = \"{release}\"`"),
                                version.value.span,
                                format!("\"{release}\""),
                            ));
                    }
                    _ => {
                        diagnostic.help(
                            "pin a real release of hashicorp/consul-ecs/aws, e.g. `version = \"0.10.0\"`",
                        );
                    }
                }
            }
        }
    }
}
