//! The run's side of the teams' policies: which ones the configurations ask for, checking
//! that the policy ids settings name exist, and evaluating them over the project's model.

use super::root::ProjectRoot;
use super::RunError;
use crate::catalog::{PolicyMeta, RuleName, RuleRef, Severity};
use crate::config::{Config, Settings};
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::policy::Policies;
use crate::source::FileId;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The policy files and folders of a run: what `policies = [...]` lists in its
/// configurations, or else `.meshlint/policies/` of each configuration's folder and each
/// project root.
pub fn paths<'a>(configs: impl Iterator<Item = &'a Config>, projects: &[ProjectRoot]) -> Vec<PathBuf> {
    let configs: Vec<&Config> = configs.collect();
    let mut out: Vec<PathBuf> = Vec::new();
    let listed: Vec<&Config> = configs.iter().copied().filter(|c| c.policies.is_some()).collect();
    if !listed.is_empty() {
        for config in listed {
            out.extend(config.policy_paths());
        }
    } else {
        let dirs = configs
            .iter()
            .map(|c| c.dir.clone())
            .chain(projects.iter().map(|p| p.dir.clone()));
        for dir in dirs {
            let default = dir.join(".meshlint").join("policies");
            if default.is_dir() {
                out.push(default);
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(p.clone()));
    out
}

/// Loads the run's policies; a policy that does not compile fails the run.
pub fn load(paths: &[PathBuf], base: &Path) -> Result<Option<Policies>, RunError> {
    if paths.is_empty() {
        return Ok(None);
    }
    Policies::load(paths, base, false)
        .map(Some)
        .map_err(RunError::Policy)
}

/// A policy id named by `select`, `ignore` or `[severity]` that no loaded policy has is a
/// mistake worth stopping for, as an unknown rule name is.
pub fn check_names<'a>(
    configs: impl Iterator<Item = &'a Config>,
    loaded: &[Arc<PolicyMeta>],
) -> Result<(), RunError> {
    for config in configs {
        let named = config
            .select
            .iter()
            .flatten()
            .chain(&config.ignore)
            .chain(config.severity.keys());
        for name in named {
            let RuleName::Policy(id) = name else {
                continue;
            };
            if loaded.iter().any(|p| p.id == *id) {
                continue;
            }
            let ids = loaded.iter().map(|p| p.id.as_str());
            let hint = match crate::suggest::closest(id, ids) {
                Some(near) => format!("; did you mean `{near}`?"),
                None if loaded.is_empty() => {
                    "; this run loads no policies (`.meshlint/policies/` or `policies = [...]`)".to_string()
                }
                None => format!(
                    "; the policies loaded are {}",
                    loaded
                        .iter()
                        .map(|p| format!("`{}`", p.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let whose = config.file.as_deref().unwrap_or("the command line");
            return Err(RunError::UnknownPolicy(format!(
                "{whose}: no policy has the id `{id}`{hint}"
            )));
        }
    }
    Ok(())
}

/// Evaluates the policies over the project's model. `policy_files` are the policy files'
/// ids in the project's sources, parallel to [`Policies::files`].
pub fn evaluate(
    policies: &Policies,
    project: &Project,
    settings: &Settings,
    policy_files: &[FileId],
) -> Vec<Diagnostic> {
    let document = regorus::Value::from(crate::export::document(project));
    let severity = |meta: &Arc<PolicyMeta>, asked: Severity, file: FileId| {
        let config = settings.for_file(file);
        let rule = RuleRef::Policy(meta);
        config
            .severity
            .iter()
            .find(|(name, _)| name.matches(rule))
            .map_or(asked, |(_, severity)| *severity)
    };
    policies.evaluate(&document, &project.sources, policy_files, &severity)
}
