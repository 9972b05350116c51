//! What rules may see: the project's Terraform modules, evaluated, and the mesh they declare.

pub mod app;
pub mod check;
pub mod containers;
pub mod document;
pub mod eval;
mod functions;
mod generated;
pub mod iam;
pub mod mesh;
pub mod mesh_url;
pub mod net;
pub mod policy;
pub mod policy_edit;
pub mod releases;
pub mod role_policies;
pub mod schema;
pub mod source_address;
pub mod task_network;
pub mod task_role;
pub mod terraform;
pub mod validation;
pub mod value;
pub mod version;

use crate::config::{Config, Settings};
use crate::parse::SyntaxError;
use crate::source::{FileId, SourceMap};
use crate::suppress::Suppressions;

pub use mesh::Mesh;
pub use terraform::Module;

/// One run's input, read and modelled once and shared by every rule.
#[derive(Debug, Default)]
pub struct Project {
    pub sources: SourceMap,
    /// One per directory with Terraform files, sorted by directory.
    pub modules: Vec<ModuleModel>,
    /// Files that could not be read as intended, sorted by file.
    pub syntax_errors: Vec<SyntaxError>,
    /// Application sources with what they say about networking, sorted by file.
    pub apps: Vec<AppFile>,
    /// The configuration of each file: severities, and the options rules read.
    pub settings: Settings,
    /// The `meshlint-ignore` comments of each file.
    pub suppressions: Suppressions,
}

#[derive(Debug)]
pub struct AppFile {
    pub file: crate::source::FileId,
    pub kind: crate::parse::app::SourceKind,
    pub facts: app::AppFacts,
    /// (index into [`Project::modules`], index into that module's `networks`), when the file
    /// belongs to one mesh task.
    pub task: Option<(usize, usize)>,
}

impl Project {
    /// Consul service names defined anywhere in the scanned configuration, sorted, once each.
    pub fn service_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .modules
            .iter()
            .flat_map(|m| m.service_names.iter().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Service names of the mesh tasks (not gateways or plain task definitions).
    pub fn mesh_task_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .modules
            .iter()
            .flat_map(|m| &m.networks)
            .filter_map(|n| n.service_name.as_deref())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// True when the configuration puts any task in the mesh: application rules apply then.
    pub fn has_mesh_tasks(&self) -> bool {
        self.modules.iter().any(|m| !m.mesh.tasks.is_empty())
    }

    /// The mesh task an application file belongs to (see [`Project::link_apps`]).
    pub fn task_of_app(&self, app: &AppFile) -> Option<(&ModuleModel, &task_network::TaskNetwork)> {
        let (module, network) = app.task?;
        let model = self.modules.get(module)?;
        Some((model, model.networks.get(network)?))
    }

    /// Ties each application file to the mesh task whose family, service or container is named
    /// like a folder of its path; no task when none or several match. One index, built once.
    pub fn link_apps(&mut self) {
        let mut by_name: std::collections::HashMap<&str, Option<(usize, usize)>> =
            std::collections::HashMap::new();
        for (m, model) in self.modules.iter().enumerate() {
            for (n, (task, network)) in model.mesh.tasks.iter().zip(&model.networks).enumerate() {
                let family = task.family.as_ref().and_then(|f| f.as_str());
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
                    let entry = by_name.entry(name).or_insert(Some((m, n)));
                    if *entry != Some((m, n)) {
                        *entry = None;
                    }
                }
            }
        }
        let links: Vec<Option<(usize, usize)>> = self
            .apps
            .iter()
            .map(|app| {
                let source = self.sources.get(app.file);
                // `[mesh.families]` in the configuration says it outright.
                if let Some(family) = self.settings.for_file(app.file).family_of(&source.path) {
                    return by_name.get(family).copied().flatten();
                }
                let path = &source.display_path;
                let mut found: Option<(usize, usize)> = None;
                for folder in path.split('/').rev().skip(1) {
                    match by_name.get(folder) {
                        Some(Some(task)) if found.is_none_or(|f| f == *task) => found = Some(*task),
                        Some(_) => return None,
                        None => {}
                    }
                }
                found
            })
            .collect();
        for (app, link) in self.apps.iter_mut().zip(links) {
            app.task = link;
        }
    }

    /// How many mesh tasks with a known service name the configuration has.
    pub fn mesh_service_count(&self) -> usize {
        self.modules
            .iter()
            .flat_map(|m| &m.networks)
            .filter(|n| n.service_name.is_some())
            .count()
    }

    /// The effective configuration of a file (rule options, mesh families).
    pub fn config(&self, file: FileId) -> &Config {
        self.settings.for_file(file)
    }
}

#[derive(Debug)]
pub struct ModuleModel {
    pub module: Module,
    pub mesh: Mesh,
    /// The IAM roles mesh tasks rely on, checked against what their releases need.
    pub roles: Vec<task_role::RoleCheck>,
    /// Parallel to `mesh.tasks`.
    pub networks: Vec<task_network::TaskNetwork>,
    /// Consul service names this module defines (mesh tasks, gateways, task families).
    pub service_names: Vec<String>,
}

impl ModuleModel {
    pub fn new(module: Module, sources: &SourceMap) -> ModuleModel {
        let mesh = Mesh::build(&module);
        let roles = task_role::check_roles(&module, &mesh, sources);
        let networks = task_network::task_networks(&module, &mesh, sources);
        let service_names = task_network::service_names(&module, &mesh, &networks);
        ModuleModel {
            module,
            mesh,
            roles,
            networks,
            service_names,
        }
    }
}
