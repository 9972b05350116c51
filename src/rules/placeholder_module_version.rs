use crate::model::consul_ecs::git_ref::RefKind;
use crate::model::consul_ecs::source_address::ModuleKind;
use crate::model::consul_ecs::version::{Constraint, ReleaseSet};
use crate::model::mesh::{ConsulEcsCall, ReleaseBasis};
use crate::rule::prelude::*;
use crate::rule::Diagnostic;
use crate::syntax::ExprKind;

pub struct PlaceholderModuleVersion;

/// How a suggested release is written where the placeholder is.
#[derive(Clone, Copy)]
enum Pin {
    /// `version = "0.1.1"`
    Version,
    /// `?ref=v0.1.1`
    GitRef,
}

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
                // A task whose ref is no release tells nothing about the others.
                .filter(|t| !matches!(t.releases.basis, ReleaseBasis::Unreleased(_)))
                .fold(ReleaseSet::all(), |set, task| set.intersect(task.releases.set));
            for call in &mesh.calls {
                let module_call = &model.module.calls[call.call];
                let candidates = if call.kind == ModuleKind::MeshTask {
                    call.releases.set
                } else {
                    tasks_releases
                };
                if let Some(git_ref) = call.git_ref.as_ref().filter(|r| r.kind == RefKind::Placeholder) {
                    let diagnostic = report.report(
                        git_ref.span,
                        format!(
                            "`?ref={}` of `module.{}` is a placeholder, not a release tag",
                            git_ref.text, module_call.name
                        ),
                    );
                    diagnostic.note("Terraform cannot fetch a module whose `?ref=` names no tag, branch or commit of the repository");
                    suggest(diagnostic, call, candidates, git_ref.span, Pin::GitRef);
                }
                let Some(version) = module_call.attr("version") else {
                    continue;
                };
                let ExprKind::String(text) = &version.value.kind else {
                    continue;
                };
                if Constraint::parse(text).is_some() {
                    continue;
                }
                let diagnostic = report.report(
                    version.value.span,
                    format!(
                        "`version = \"{text}\"` of `module.{}` is not a version constraint",
                        module_call.name
                    ),
                );
                diagnostic.note("Terraform cannot install a module whose version is not a constraint such as \"0.1.1\" or \"~> 0.1.0\"");
                suggest(diagnostic, call, candidates, version.value.span, Pin::Version);
            }
        }
    }
}

/// The newest release consistent with the call's inputs, as a display-only fix at `span`.
fn suggest(diagnostic: &mut Diagnostic, call: &ConsulEcsCall, candidates: ReleaseSet, span: Span, pin: Pin) {
    let newest = call.schemas().lifetime().newest().unwrap_or("0.10.0");
    match candidates.newest() {
        Some(release) if candidates != ReleaseSet::all() => {
            let (shown, replacement) = match pin {
                Pin::Version => (format!("version = \"{release}\""), format!("\"{release}\"")),
                Pin::GitRef => (format!("?ref=v{release}"), format!("v{release}")),
            };
            diagnostic
                .help(format!("pin the release the inputs were written for: `{shown}`"))
                .fix(Fix::replace(
                    Applicability::DisplayOnly,
                    format!("pin `{shown}`"),
                    span,
                    replacement,
                ));
        }
        _ => {
            diagnostic.help(match pin {
                Pin::Version => {
                    format!("pin a real release of hashicorp/consul-ecs/aws, e.g. `version = \"{newest}\"`")
                }
                Pin::GitRef => format!("pin a release tag, e.g. `?ref=v{newest}`"),
            });
        }
    }
}
