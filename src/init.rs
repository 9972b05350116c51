//! `meshlint init`: a commented `.meshlint.toml` for the project in a folder, with what
//! meshlint found there — the consul-ecs module calls and the releases they use, the folders
//! of application sources and the mesh task each belongs to — so that a new user starts from
//! their own project rather than from the documentation.

use crate::engine::{check, Options, RunError};
use crate::model::consul_ecs::releases::ReleaseBasis;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The configuration text for the project `options` names (its first path).
pub fn configuration(options: &Options) -> Result<String, RunError> {
    let report = check(&Options {
        skip_policies: true,
        no_baseline: true,
        ..options.clone()
    })?;
    let project = &report.project;
    let mut calls: BTreeMap<String, usize> = BTreeMap::new();
    for model in &project.modules {
        for call in &model.mesh.calls {
            let releases: Vec<&str> = call.releases.set.iter().collect();
            let which = match (&call.releases.basis, releases.as_slice()) {
                (ReleaseBasis::Unknown, _) => "any release (no `version` pins it)".to_string(),
                (ReleaseBasis::Unreleased(_), _) => "a git ref that is no release".to_string(),
                (_, [one]) => format!("v{one}"),
                (_, [first, .., last]) => format!("v{first} to v{last}"),
                (_, []) => "no known release".to_string(),
            };
            *calls.entry(format!("{} {which}", call.kind.name())).or_default() += 1;
        }
    }
    // Application folders, and the family of the mesh task each is linked to.
    let mut folders: BTreeMap<String, Option<String>> = BTreeMap::new();
    for app in &project.apps {
        let path = &project.sources.get(app.file).display_path;
        let folder = path.rsplit_once('/').map_or(".", |(dir, _)| dir).to_string();
        let task = project
            .task_of_app(app)
            .and_then(|(_, task)| task.network.service_name.clone());
        let entry = folders.entry(folder).or_default();
        if entry.is_none() {
            *entry = task;
        }
    }

    let mut out = String::new();
    out.push_str(
        "# meshlint configuration (https://github.com/meshlint/meshlint#configuration-meshlinttoml).\n",
    );
    out.push_str(
        "# Written by `meshlint init` from what it found in this project; every setting is optional.\n#\n",
    );
    if calls.is_empty() {
        out.push_str("# No consul-ecs module call was found: the application rules check every source as a\n# mesh app (see `[app]` below).\n");
    } else {
        out.push_str("# consul-ecs module calls found:\n");
        for (what, count) in &calls {
            let _ = writeln!(out, "#   {count} × {what}");
        }
    }
    out.push_str(
        "\n# Rules by name or code (`meshlint rules` lists them). Without `select`, every rule runs.\n# select = [\"port-not-string\", \"MESH006\"]\n# ignore = [\"leftover-task-definition\"]\n\n# The lowest severity that makes the run exit with 1: error, warning (default), info, never.\n# fail-on = \"warning\"\n\n# Files that are not read at all (globs relative to this file).\n# exclude = [\"legacy/**\"]\n\n# Findings recorded with `meshlint check --write-baseline meshlint-baseline.json` are not reported.\n# baseline = \"meshlint-baseline.json\"\n\n# Where the cache of application-source facts lives (`--no-cache` bypasses it).\n# cache-dir = \".meshlint_cache\"\n\n# Teams' own Rego policies (docs/policies.md): .meshlint/policies/ by default.\n# policies = [\".meshlint/policies/\", \"meshlint-data.json\"]\n",
    );
    let unlinked: Vec<&String> = folders
        .iter()
        .filter(|(_, task)| task.is_none())
        .map(|(f, _)| f)
        .collect();
    let linked: Vec<(&String, &String)> = folders
        .iter()
        .filter_map(|(f, t)| t.as_ref().map(|t| (f, t)))
        .collect();
    if !folders.is_empty() {
        out.push_str("\n# Application sources: the mesh task that runs each folder's app.\n");
        for (folder, task) in &linked {
            let _ = writeln!(out, "#   {folder}: mesh task `{task}` (found by its name)");
        }
        if !unlinked.is_empty() {
            out.push_str("# These folders belong to no mesh task meshlint could find; name the family that runs\n# each (or leave them out, and their app rules stay off in a project with mesh tasks):\n");
        }
        if !unlinked.is_empty() {
            out.push_str("[mesh.families]\n");
        }
        for folder in &unlinked {
            let family = folder.rsplit('/').next().unwrap_or(folder);
            let _ = writeln!(out, "# {folder:?} = {family:?}");
        }
    }
    Ok(out)
}
