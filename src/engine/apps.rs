//! Application sources and the mesh tasks that run them. Every source is linked by its path
//! alone, so a source read only as context is parsed only when a checked file's findings can
//! depend on it: when it belongs to a task of a checked module (its URLs may use an upstream
//! there), or belongs to no task in a project where a checked module has tasks (it may be
//! any task's app). A one-file run in a tree of thousands of stacks parses none of the others.

use super::read::{read_all, FileTable};
use super::root::ProjectRoot;
use super::Options;
use crate::config::{AppMesh, ConfigId, Resolver};
use crate::discover::{Discovered, FileKind};
use crate::model::link::{AppPlace, ModulePlace, TaskIndex};
use crate::model::{AppFile, Assumed, ModuleId, ModuleModel, TaskRef, TiVec};
use crate::parse::app::facts::AppFacts;
use crate::source::{absolute, display_path, FileId};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub(super) struct Inputs<'a> {
    pub(super) models: &'a TiVec<ModuleId, ModuleModel>,
    pub(super) places: &'a TiVec<ModuleId, ModulePlace>,
    /// Whether each module has a checked file.
    pub(super) checked_modules: &'a TiVec<ModuleId, bool>,
    pub(super) projects: &'a [ProjectRoot],
    pub(super) resolver: &'a Resolver,
    pub(super) cwd: &'a Path,
    pub(super) options: &'a Options,
    /// The persistent cache of app-source facts, unless the run goes without.
    pub(super) facts: Option<&'a super::facts_cache::FactsCache>,
}

pub(super) struct Linked {
    /// Every application source the rules see, sorted by file.
    pub(super) apps: Vec<AppFile>,
    pub(super) unreadable: Vec<(String, String)>,
    /// Folders (as shown) of sources no task claims, in projects that have mesh tasks.
    pub(super) unlinked_folders: Vec<String>,
}

/// What the run's projects hold, by project index.
struct ProjectFacts {
    /// Some module calls a consul-ecs module: the project is not app-only.
    consul_ecs: Vec<bool>,
    has_tasks: Vec<bool>,
    /// A checked module has mesh tasks.
    checked_tasks: Vec<bool>,
}

impl ProjectFacts {
    fn new(inputs: &Inputs) -> ProjectFacts {
        let count = inputs.projects.len();
        let mut facts = ProjectFacts {
            consul_ecs: vec![false; count],
            has_tasks: vec![false; count],
            checked_tasks: vec![false; count],
        };
        for (id, model) in inputs.models.iter_enumerated() {
            let project = inputs.places[id].project;
            facts.consul_ecs[project] |= !model.mesh.calls.is_empty();
            facts.has_tasks[project] |= !model.tasks.is_empty();
            facts.checked_tasks[project] |= inputs.checked_modules[id] && !model.tasks.is_empty();
        }
        facts
    }
}

/// Links the checked sources (already parsed) and the waiting context sources to tasks,
/// reads the context sources that matter, and marks sources no task claims that are assumed
/// to run in the mesh.
pub(super) fn link_and_read(
    inputs: Inputs,
    checked: Vec<(FileId, Discovered, AppFacts)>,
    waiting: Vec<(Discovered, ConfigId)>,
    table: &mut FileTable,
    targets: &mut TiVec<FileId, bool>,
) -> Linked {
    let linker = Linker {
        index: TaskIndex::new(inputs.models, inputs.places),
        facts: ProjectFacts::new(&inputs),
        inputs: &inputs,
    };
    let mut unlinked_folders = BTreeSet::new();
    let mut apps = Vec::new();
    for (id, file, found) in checked {
        let task = linker.link(&file, table.configs[id]);
        if task.is_none() {
            linker.note_unlinked(&file, &mut unlinked_folders);
        }
        apps.extend(linker.app_file(id, &file, &found, task, table));
    }
    let mut wanted = Vec::new();
    for (file, config) in waiting {
        let task = linker.link(&file, config);
        if task.is_none() {
            linker.note_unlinked(&file, &mut unlinked_folders);
        }
        let matters = match task {
            Some(task) => inputs.checked_modules[task.module],
            None => linker.facts.checked_tasks[file.project],
        };
        if matters {
            wanted.push((file, config));
        }
    }
    let (parsed, unreadable) = read_all(wanted, table.sources.len(), inputs.options, inputs.facts);
    for parsed in parsed {
        let id = table.add(parsed.source, parsed.config, parsed.directives);
        targets.push(false);
        let task = linker.link(&parsed.discovered, parsed.config);
        let found = parsed.facts.unwrap_or_default();
        apps.extend(linker.app_file(id, &parsed.discovered, &found, task, table));
    }
    apps.sort_by_key(|app| app.file);
    Linked {
        apps,
        unreadable,
        unlinked_folders: unlinked_folders.into_iter().collect(),
    }
}

struct Linker<'a> {
    index: TaskIndex<'a>,
    facts: ProjectFacts,
    inputs: &'a Inputs<'a>,
}

impl Linker<'_> {
    fn link(&self, file: &Discovered, config: ConfigId) -> Option<TaskRef> {
        let path = absolute(self.inputs.cwd, &file.path);
        let in_project = relative_to(&path, &self.inputs.projects[file.project].dir);
        self.index.link(AppPlace {
            path: &path,
            in_project: &in_project,
            project: file.project,
            declared_family: self.inputs.resolver.config(config).family_of(&file.path),
        })
    }

    /// `--show-config` lists the folders of sources that the app rules skip because no task
    /// claims them, in projects where tasks could.
    fn note_unlinked(&self, file: &Discovered, folders: &mut BTreeSet<String>) {
        if self.facts.has_tasks[file.project] {
            let folder = file.path.parent().unwrap_or(Path::new("."));
            folders.insert(display_path(folder, &self.inputs.options.base));
        }
    }

    /// One source's facts, its task, and — when no task claims it — whether it is assumed to
    /// run in the mesh (`[app] mesh`; `auto` assumes so in a project without consul-ecs calls).
    fn app_file(
        &self,
        id: FileId,
        file: &Discovered,
        found: &AppFacts,
        task: Option<TaskRef>,
        table: &FileTable,
    ) -> Option<AppFile> {
        let FileKind::App(kind) = file.kind else {
            return None;
        };
        let mut app = AppFile::new(id, kind, found, &table.sources);
        app.task = task;
        if task.is_none() {
            app.assumed = match self.inputs.resolver.config(table.configs[id]).app.mesh {
                AppMesh::Never => None,
                AppMesh::Always => Some(Assumed::Declared),
                AppMesh::Auto => (!self.facts.consul_ecs[file.project]).then_some(Assumed::NoConsulEcsCall),
            };
        }
        Some(app)
    }
}

/// `path` below `root`, with `/`; the whole path when it is not below (a `--project` that
/// does not hold the file).
fn relative_to(path: &Path, root: &Path) -> String {
    let below: PathBuf = path
        .strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf);
    below
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
