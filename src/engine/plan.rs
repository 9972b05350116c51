//! What a run reads: the project root of every path, the files discovered under the roots
//! (context) and under the paths (checked), each with its configuration.

use super::root::{as_given, project_root, ProjectRoot};
use super::{Options, RunError};
use crate::config::{ConfigId, Resolver};
use crate::discover::{self, DiscoverError, Discovered, Request};
use crate::source::absolute;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The files to read, each with the index of its configuration, and the configuration of
/// each path argument.
pub(super) struct Plan {
    pub(super) files: Vec<(Discovered, ConfigId)>,
    pub(super) path_configs: Vec<(PathBuf, ConfigId)>,
    pub(super) resolver: Resolver,
    /// The run's projects, by the index [`Discovered::project`] holds.
    pub(super) projects: Vec<ProjectRoot>,
    /// The project of each path argument.
    pub(super) path_projects: Vec<(PathBuf, usize)>,
    /// Files to check that are not checked, with why.
    pub(super) skipped: Vec<(PathBuf, &'static str)>,
    /// The absolute working directory relative paths start from.
    pub(super) cwd: PathBuf,
}

/// A path whose text is given in the overlay and that is not on disk (an unsaved buffer).
fn in_memory(options: &Options, cwd: &Path, path: &Path) -> bool {
    let overlaid = options.overlay.contains_key(path) || options.overlay.contains_key(&absolute(cwd, path));
    overlaid && std::fs::metadata(path).is_err()
}

pub(super) fn plan(options: &Options) -> Result<Plan, RunError> {
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    let cwd = std::env::current_dir().map_err(|e| {
        RunError::Discover(DiscoverError::Walk(format!(
            "cannot read the working directory: {e}"
        )))
    })?;
    let base = absolute(&cwd, &options.base);
    let flag = match &options.project {
        Some(dir) if !dir.is_dir() => return Err(RunError::Discover(DiscoverError::Missing(dir.clone()))),
        Some(dir) => Some(absolute(&cwd, dir)),
        None => None,
    };
    let mut roots = Vec::new();
    // Files of one folder share their root: pre-commit passes many files of few folders.
    let mut by_folder: HashMap<PathBuf, ProjectRoot> = HashMap::new();
    for path in &paths {
        let is_dir = if in_memory(options, &cwd, path) {
            false
        } else {
            std::fs::metadata(path)
                .map_err(|_| RunError::Discover(DiscoverError::Missing(path.clone())))?
                .is_dir()
        };
        let at = absolute(&cwd, path);
        let root = match at.parent().filter(|_| !is_dir) {
            Some(folder) => by_folder
                .entry(folder.to_path_buf())
                .or_insert_with(|| project_root(&at, false, &base, flag.as_deref()))
                .clone(),
            None => project_root(&at, is_dir, &base, flag.as_deref()),
        };
        roots.push(root);
    }
    let (projects, of_path) = merge_nested(&roots);
    let requests: Vec<Request> = paths
        .iter()
        .zip(&of_path)
        .map(|(path, &project)| {
            let root = &projects[project].dir;
            Request {
                path: path.clone(),
                // A directory that is its own root is walked as given, so its files keep the
                // paths they always had.
                root: if *root == absolute(&cwd, path) {
                    path.clone()
                } else {
                    as_given(root, &cwd)
                },
                project,
                in_memory: in_memory(options, &cwd, path),
            }
        })
        .collect();
    let walk = || discover::discover(&requests, options.whole_modules, &cwd).map_err(RunError::Discover);
    let discovered = match &options.cache {
        Some(cache) => cache.discovery(&requests, options.whole_modules, walk)?,
        None => walk()?,
    };
    let mut skipped: Vec<(PathBuf, &'static str)> = discovered
        .unread
        .into_iter()
        .map(|path| (path, "not a file meshlint reads"))
        .collect();

    let mut resolver = Resolver::new(
        &options.base,
        options.config.as_deref(),
        &options.overrides,
        crate::rules::OPTIONS,
    )?;
    let mut path_configs = Vec::new();
    for path in &paths {
        let index = resolver.for_path(path)?;
        path_configs.push((path.clone(), index));
    }
    let mut folders: Vec<&Path> = discovered
        .files
        .iter()
        .map(|file| file.path.parent().unwrap_or(Path::new(".")))
        .collect();
    folders.dedup();
    resolver.prefetch(&folders);
    let mut files = Vec::new();
    // Files come sorted by path, so a folder's files are consecutive: resolve each folder once.
    let mut last: Option<(PathBuf, ConfigId)> = None;
    for file in discovered.files {
        let dir = file.path.parent().unwrap_or(Path::new("."));
        let index = match &last {
            Some((last_dir, index)) if last_dir == dir => *index,
            _ => {
                let index = resolver.for_dir(dir)?;
                last = Some((dir.to_path_buf(), index));
                index
            }
        };
        if !resolver.config(index).excludes(&resolver.absolute(&file.path)) {
            files.push((file, index));
        } else if file.target {
            skipped.push((file.path, "excluded by the configuration"));
        }
    }
    Ok(Plan {
        files,
        path_configs,
        resolver,
        projects,
        path_projects: paths.into_iter().zip(of_path).collect(),
        skipped,
        cwd,
    })
}

/// The distinct projects of a run and the project of each root. A root inside another root
/// of the same run joins the outer project: its files are read once, and a source in it can
/// still be linked to a task anywhere in the outer project.
fn merge_nested(roots: &[ProjectRoot]) -> (Vec<ProjectRoot>, Vec<usize>) {
    let mut outer: Vec<&ProjectRoot> = roots
        .iter()
        .filter(|root| {
            !roots
                .iter()
                .any(|other| other.dir != root.dir && root.dir.starts_with(&other.dir))
        })
        .collect();
    outer.sort_by(|a, b| a.dir.cmp(&b.dir));
    outer.dedup_by(|a, b| a.dir == b.dir);
    let projects: Vec<ProjectRoot> = outer.into_iter().cloned().collect();
    let of_root = roots
        .iter()
        .map(|root| {
            projects
                .iter()
                .position(|p| root.dir.starts_with(&p.dir))
                .unwrap_or_default()
        })
        .collect();
    (projects, of_root)
}

#[cfg(test)]
mod tests {
    use super::super::root::RootReason;
    use super::*;

    #[test]
    fn nested_roots_join_the_outer_project() {
        let root = |dir: &str, why| ProjectRoot {
            dir: PathBuf::from(dir),
            why,
        };
        let roots = [
            root("/r/deploy", RootReason::Config),
            root("/r", RootReason::Config),
            root("/other", RootReason::Directory),
            root("/r", RootReason::Config),
        ];
        let (projects, of) = merge_nested(&roots);
        let dirs: Vec<&Path> = projects.iter().map(|p| p.dir.as_path()).collect();
        assert_eq!(dirs, [Path::new("/other"), Path::new("/r")]);
        assert_eq!(of, [1, 1, 0, 1]);
    }
}
