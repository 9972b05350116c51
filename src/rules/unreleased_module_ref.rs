use crate::model::consul_ecs::git_ref::RefKind;
use crate::model::consul_ecs::version::Release;
use crate::model::mesh::ReleaseBasis;
use crate::rule::prelude::*;

pub struct UnreleasedModuleRef;

impl Rule for UnreleasedModuleRef {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        for model in &ctx.project.modules {
            for call in &model.mesh.calls {
                // A usable `version` decides the release; the ref does not matter then.
                if !matches!(call.releases.basis, ReleaseBasis::Unreleased(_)) {
                    continue;
                }
                let Some(git_ref) = &call.git_ref else {
                    continue;
                };
                let module_call = &model.module.calls[call.call];
                let kind = call.kind;
                let what = match &git_ref.kind {
                    RefKind::Commit => format!("a commit no {kind} release is tagged on"),
                    RefKind::NearRelease(near) => format!(
                        "which is no {kind} release tag (nearest {}: {})",
                        if near.len() == 1 { "release" } else { "releases" },
                        tags(near)
                    ),
                    _ => format!("a branch or tag that is no {kind} release"),
                };
                let lifetime = call.schemas().lifetime();
                let diagnostic = report.report(
                    git_ref.span,
                    format!(
                        "`module.{}` uses `?ref={}`, {what}, so its inputs were not checked",
                        module_call.name, git_ref.text
                    ),
                );
                diagnostic.note(format!(
                    "meshlint knows what each {kind} release accepts ({}); the code at another ref may accept other inputs, so the rules that depend on the release (unknown-module-input, missing-required-input, input-type-mismatch and others) stay silent for this call",
                    lifetime.describe()
                ));
                match &git_ref.kind {
                    RefKind::NearRelease(near) if near.len() == 1 => {
                        diagnostic.help(format!(
                            "if you meant that release, use its tag: `?ref=v{}`",
                            near[0]
                        ));
                    }
                    _ => {
                        let example = lifetime.newest().unwrap_or(Release::NEWEST.as_str());
                        diagnostic.help(format!(
                            "pin a release tag to have the inputs checked (e.g. `?ref=v{example}`), or suppress this finding with the reason for using this ref"
                        ));
                    }
                }
            }
        }
    }
}

/// `v0.7.0, v0.7.1`.
fn tags(releases: &[Release]) -> String {
    releases
        .iter()
        .map(|r| format!("v{r}"))
        .collect::<Vec<_>>()
        .join(", ")
}
