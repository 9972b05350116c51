//! What a run reads: the files discovered under the paths, each with its configuration, and
//! `--show-config`.

use super::{Options, RunError};
use crate::config::{self, ConfigId, Resolver};
use crate::discover::{self, Discovered};
use crate::source::display_path;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The files to read, each with the index of its configuration, and the configuration of
/// each path argument.
pub(super) struct Plan {
    pub(super) files: Vec<(Discovered, ConfigId)>,
    pub(super) path_configs: Vec<(PathBuf, ConfigId)>,
    pub(super) resolver: Resolver,
}

pub(super) fn plan(options: &Options) -> Result<Plan, RunError> {
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    let discovered = discover::discover(&paths, options.whole_modules).map_err(RunError::Discover)?;
    let mut resolver = Resolver::new(
        &options.base,
        options.config.as_deref(),
        &options.overrides,
        crate::rules::OPTIONS,
    )?;
    let mut path_configs = Vec::new();
    for path in paths {
        let index = resolver.for_path(&path)?;
        path_configs.push((path, index));
    }
    let mut folders: Vec<&Path> = discovered
        .iter()
        .map(|file| file.path.parent().unwrap_or(Path::new(".")))
        .collect();
    folders.dedup();
    resolver.prefetch(&folders);
    let mut files = Vec::new();
    // Files come sorted by path, so a folder's files are consecutive: resolve each folder once.
    let mut last: Option<(PathBuf, ConfigId)> = None;
    for file in discovered {
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
        }
    }
    Ok(Plan {
        files,
        path_configs,
        resolver,
    })
}

/// `--show-config`: the effective settings of every configuration the paths use.
pub fn show_config(options: &Options) -> Result<String, RunError> {
    let plan = plan(options)?;
    let mut scopes: BTreeMap<ConfigId, BTreeSet<String>> = BTreeMap::new();
    for (path, index) in &plan.path_configs {
        scopes
            .entry(*index)
            .or_default()
            .insert(display_path(path, &options.base));
    }
    // A configuration deeper down than a path argument applies to the folders it covers.
    let of_paths: BTreeSet<ConfigId> = plan.path_configs.iter().map(|(_, index)| *index).collect();
    for (file, index) in &plan.files {
        if !of_paths.contains(index) {
            let dir = file.path.parent().unwrap_or(Path::new("."));
            scopes
                .entry(*index)
                .or_default()
                .insert(display_path(dir, &options.base));
        }
    }
    let blocks: Vec<String> = scopes
        .into_iter()
        .map(|(index, scope)| {
            config::show(
                plan.resolver.config(index),
                &scope.into_iter().collect::<Vec<_>>(),
            )
        })
        .collect();
    Ok(blocks.join("\n"))
}
