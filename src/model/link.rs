//! Which mesh task runs the app in a source file: the nearest Terraform module of the same
//! project that defines a task named like a folder of the file's path (or like the family the
//! configuration declares for it). Nearness keeps a source under stack A away from stack B's
//! task of the same name; a tie is no link, never a guess.

use super::{ModuleId, ModuleModel, TaskRef, TiVec};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a module's files are: its folder (absolute) and its project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModulePlace {
    pub dir: PathBuf,
    pub project: usize,
}

/// Where a source file is, and what the configuration says about it.
#[derive(Clone, Copy, Debug)]
pub struct AppPlace<'a> {
    /// Absolute.
    pub path: &'a Path,
    /// Relative to the project root, with `/`: its folders are the names that link it.
    pub in_project: &'a str,
    pub project: usize,
    /// The family `[mesh.families]` gives the file's folder.
    pub declared_family: Option<&'a str>,
}

/// Every mesh task by each name it answers to (family, service name, container names).
pub struct TaskIndex<'m> {
    by_name: HashMap<&'m str, Vec<TaskRef>>,
    places: &'m TiVec<ModuleId, ModulePlace>,
}

impl<'m> TaskIndex<'m> {
    /// `places` has one entry per module.
    pub fn new(modules: &'m TiVec<ModuleId, ModuleModel>, places: &'m TiVec<ModuleId, ModulePlace>) -> Self {
        let mut by_name: HashMap<&str, Vec<TaskRef>> = HashMap::new();
        for (module, model) in modules.iter_enumerated() {
            for (task, record) in model.tasks.iter_enumerated() {
                let here = TaskRef { module, task };
                let network = &record.network;
                let family = record.declared.family.as_ref().and_then(|f| f.as_str());
                let containers = network
                    .containers
                    .iter()
                    .flatten()
                    .filter_map(|c| c.name.as_deref());
                for name in family
                    .into_iter()
                    .chain(network.service_name.as_deref())
                    .chain(containers)
                {
                    let tasks = by_name.entry(name).or_default();
                    if !tasks.contains(&here) {
                        tasks.push(here);
                    }
                }
            }
        }
        TaskIndex { by_name, places }
    }

    /// The task of the app in `app`; none when no task matches, or when several match at
    /// the same distance.
    pub fn link(&self, app: AppPlace) -> Option<TaskRef> {
        let folders = app.in_project.rsplit('/').skip(1);
        let names: Vec<&str> = match app.declared_family {
            Some(family) => vec![family],
            None => folders.collect(),
        };
        let folder = app.path.parent().unwrap_or(app.path);
        let mut best: Option<(usize, TaskRef)> = None;
        let mut tied = false;
        for task in names.iter().filter_map(|n| self.by_name.get(n)).flatten() {
            let Some(place) = self.places.get(task.module) else {
                continue;
            };
            if place.project != app.project {
                continue;
            }
            let near = shared_depth(folder, &place.dir);
            match best {
                Some((depth, found)) if depth == near && found != *task => tied = true,
                Some((depth, _)) if depth >= near => {}
                _ => {
                    best = Some((near, *task));
                    tied = false;
                }
            }
        }
        best.filter(|_| !tied).map(|(_, task)| task)
    }
}

/// How many leading folders two absolute paths share.
fn shared_depth(a: &Path, b: &Path) -> usize {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_depth_counts_common_folders() {
        assert_eq!(
            shared_depth(Path::new("/r/a/apps/web"), Path::new("/r/a/infra")),
            3
        );
        assert_eq!(shared_depth(Path::new("/r/a/apps"), Path::new("/r/b/infra")), 2);
        assert_eq!(shared_depth(Path::new("/r/ab"), Path::new("/r/a")), 2);
    }
}
