//! The run's side of the teams' policies: which ones each configuration asks for, checking
//! that the policy ids settings name exist, and evaluating them over the project's model.
//!
//! Configurations that ask for the same policy files share one set: its policies are
//! evaluated once, and their findings stand only in files of those configurations. So two
//! projects checked in one run (or the fixtures of the policy library) neither see each
//! other's policies nor mix their data files.

use super::read::FileTable;
use super::root::ProjectRoot;
use super::RunError;
use crate::catalog::{PolicyMeta, RuleName, RuleRef, Severity};
use crate::config::{Config, ConfigId, Resolver, Settings};
use crate::diagnostic::Diagnostic;
use crate::model::Project;
use crate::policy::Policies;
use crate::source::{FileId, SourceFile};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Policies loaded for some of the run's configurations.
pub struct PolicySet {
    policies: Policies,
    /// The configurations whose files it applies to; `None`: files without a configuration
    /// file.
    configs: Option<Vec<ConfigId>>,
    /// The policy files as sources of the project, parallel to `policies.files`.
    files: Vec<FileId>,
}

/// `.meshlint/policies/` of each project root: what files without a configuration file get.
fn project_defaults(projects: &[ProjectRoot]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = projects
        .iter()
        .map(|p| p.dir.join(".meshlint").join("policies"))
        .filter(|dir| dir.is_dir())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Every policy path of a run (`meshlint policy test` and `eval` read them all).
pub fn paths<'a>(configs: impl Iterator<Item = &'a Config>, projects: &[ProjectRoot]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = configs.flat_map(Config::policy_paths).collect();
    out.extend(project_defaults(projects));
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(p.clone()));
    out
}

/// Loads the policy sets of the run's configurations; a policy that does not compile fails
/// the run. The policy files join the project's sources (`targets` grows with them, unchecked).
pub fn load(
    resolver: &Resolver,
    projects: &[ProjectRoot],
    base: &Path,
    table: &mut FileTable,
    targets: &mut crate::model::TiVec<FileId, bool>,
) -> Result<Vec<PolicySet>, RunError> {
    let mut groups: BTreeMap<Vec<PathBuf>, Vec<ConfigId>> = BTreeMap::new();
    for (index, config) in resolver.configs().enumerate() {
        if config.file.is_some() {
            groups
                .entry(config.policy_paths())
                .or_default()
                .push(ConfigId::from(index));
        }
    }
    let mut wanted: Vec<(Vec<PathBuf>, Option<Vec<ConfigId>>)> = groups
        .into_iter()
        .map(|(paths, ids)| (paths, Some(ids)))
        .collect();
    wanted.push((project_defaults(projects), None));
    let mut sets = Vec::new();
    for (paths, configs) in wanted {
        if paths.is_empty() {
            continue;
        }
        let policies = Policies::load(&paths, base, false).map_err(RunError::Policy)?;
        let files = policies
            .files
            .iter()
            .map(|file| {
                targets.push(false);
                let source = SourceFile::new(file.shown.clone(), file.path.clone(), file.text.clone());
                table.add(source, ConfigId::from(0), Vec::new())
            })
            .collect();
        sets.push(PolicySet {
            policies,
            configs,
            files,
        });
    }
    Ok(sets)
}

/// Every policy of the run, once per id, sorted.
pub fn metas(sets: &[PolicySet]) -> Vec<Arc<PolicyMeta>> {
    let mut out: Vec<Arc<PolicyMeta>> = sets.iter().flat_map(|s| s.policies.metas()).collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out.dedup_by(|a, b| a.id == b.id);
    out
}

/// A policy id named by `select`, `ignore` or `[severity]` that none of the configuration's
/// policies has is a mistake worth stopping for, as an unknown rule name is.
pub fn check_names(settings: &Settings, sets: &[PolicySet]) -> Result<(), RunError> {
    for (index, config) in settings.configs().enumerate() {
        let loaded: Vec<Arc<PolicyMeta>> = sets
            .iter()
            .filter(|s| applies(s, settings, ConfigId::from(index)))
            .flat_map(|s| s.policies.metas())
            .collect();
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
                    "; no policies apply here (`.meshlint/policies/` or `policies = [...]`)".to_string()
                }
                None => format!(
                    "; the policies here are {}",
                    loaded
                        .iter()
                        .map(|p| format!("`{}`", p.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let whose = match config.origin("select") {
                crate::config::Origin::CommandLine => "the command line",
                _ => config.file.as_deref().unwrap_or("the command line"),
            };
            return Err(RunError::UnknownPolicy(format!(
                "{whose}: no policy has the id `{id}`{hint}"
            )));
        }
    }
    Ok(())
}

/// Whether a set's findings stand in files of this configuration.
fn applies(set: &PolicySet, settings: &Settings, config: ConfigId) -> bool {
    match &set.configs {
        Some(ids) => ids.contains(&config),
        None => settings.config(config).file.is_none(),
    }
}

/// Evaluates every set over the project's model; each finding stands only in files of its
/// set's configurations (findings about a policy itself stand anyway).
pub fn evaluate(sets: &[PolicySet], project: &Project, settings: &Settings) -> Vec<Diagnostic> {
    if sets.is_empty() {
        return Vec::new();
    }
    let document = crate::policy::input::document(project);
    let severity = |meta: &Arc<PolicyMeta>, asked: Severity, file: FileId| {
        let rule = RuleRef::Policy(meta);
        settings
            .for_file(file)
            .severity
            .iter()
            .find(|(name, _)| name.matches(rule))
            .map_or(asked, |(_, severity)| *severity)
    };
    let mut out = Vec::new();
    for set in sets {
        let found = set
            .policies
            .evaluate(&document, &project.sources, &set.files, &severity);
        out.extend(found.into_iter().filter(|d| {
            set.files.contains(&d.span.file) || applies(set, settings, settings.config_id(d.span.file))
        }));
    }
    // Freeing a large tree of small values takes a tenth of a second per thousand stacks; the
    // report does not wait for it.
    std::thread::spawn(move || drop(document));
    out
}
