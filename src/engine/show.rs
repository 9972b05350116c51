//! `--show-config`: the project root of the paths and which rule chose it, the folders of
//! sources no mesh task claims, then the effective settings of every configuration the paths
//! use.

use super::plan::plan;
use super::{check, Options, RunError};
use crate::config::{self, ConfigId};
use crate::source::display_path;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

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
        if !of_paths.contains(index) && file.target {
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
    // The links of sources to tasks come from the model: a run without output.
    let coverage = check(options)?.coverage;
    let mut out = String::new();
    for (root, why) in &coverage.projects {
        out.push_str(&format!("# project root: {root} ({why})\n"));
    }
    if !coverage.unlinked_folders.is_empty() {
        out.push_str(
            "# sources no mesh task claims (the app rules skip them; see [mesh.families] and [app] mesh):\n",
        );
        for folder in &coverage.unlinked_folders {
            out.push_str(&format!("#   {folder}\n"));
        }
    }
    out.push('\n');
    out.push_str(&blocks.join("\n"));
    Ok(out)
}
