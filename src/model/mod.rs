//! What rules may see: the project's Terraform modules, evaluated, and the mesh they declare.
//!
//! By domain: [`terraform`] (modules, values, evaluation), [`consul_ecs`] (the modules'
//! releases, source addresses, schemas and plan-time checks), [`mesh`] (consul-ecs calls, mesh
//! tasks, their containers, networks and network facts), [`roles`] (IAM policies as written
//! and the task roles mesh tasks rely on).

pub mod call_graph;
pub mod config_entries;
pub mod consul_ecs;
pub mod ids;
pub mod link;
pub mod mesh;
pub mod roles;
pub mod terraform;
pub mod wrappers;

use crate::parse::SyntaxError;
use crate::source::{FileId, SourceMap, Span};

pub use ids::{ModuleId, RoleId, TaskId, TaskRef, TiVec};
pub use mesh::Mesh;
use mesh::{MeshTask, TaskDefinition};
pub use terraform::Module;

/// One run's input, read and modelled once and shared by every rule.
#[derive(Debug, Default)]
pub struct Project {
    pub sources: SourceMap,
    /// One per directory with Terraform files, sorted by directory.
    pub modules: TiVec<ModuleId, ModuleModel>,
    /// Files that could not be read as intended, sorted by file.
    pub syntax_errors: Vec<SyntaxError>,
    /// Application sources with what they say about networking, sorted by file.
    pub apps: Vec<AppFile>,
}

#[derive(Debug)]
pub struct AppFile {
    pub file: crate::source::FileId,
    pub kind: crate::parse::app::SourceKind,
    /// Where the app listens, classified.
    pub listens: Vec<mesh::net_facts::ListenSite>,
    /// The URLs its string literals hold, classified.
    pub endpoints: Vec<mesh::net_facts::Endpoint>,
    /// The mesh task the file belongs to, when it belongs to one ([`link`]).
    pub task: Option<TaskRef>,
    /// Why the app is taken to run in the mesh although no task of the project claims it.
    pub assumed: Option<Assumed>,
}

/// Why an application source that no mesh task claims is checked as a mesh app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assumed {
    /// Its project has no consul-ecs module call: the Terraform lives elsewhere.
    NoConsulEcsCall,
    /// The configuration says its apps run in the mesh.
    Declared,
}

impl AppFile {
    /// Classifies what a reader found in the file (which `sources` must hold).
    pub fn new(
        file: FileId,
        kind: crate::parse::app::SourceKind,
        facts: &crate::parse::app::facts::AppFacts,
        sources: &SourceMap,
    ) -> AppFile {
        AppFile {
            file,
            kind,
            listens: mesh::net_facts::app_listens(file, facts, sources),
            endpoints: mesh::net_facts::app_endpoints(file, facts, sources),
            task: None,
            assumed: None,
        }
    }

    /// Whether the app rules check the file: it belongs to a mesh task or is assumed to.
    pub fn in_mesh(&self) -> bool {
        self.task.is_some() || self.assumed.is_some()
    }
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
            .flat_map(ModuleModel::networks)
            .filter_map(|n| n.service_name.as_deref())
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// True when the configuration puts any task in the mesh: application rules apply then.
    pub fn has_mesh_tasks(&self) -> bool {
        self.modules.iter().any(|m| !m.tasks.is_empty())
    }

    /// The mesh task an application file belongs to (see [`Project::link_apps`]).
    pub fn task_of_app(&self, app: &AppFile) -> Option<(&ModuleModel, &TaskModel)> {
        self.task(app.task?)
    }

    pub fn task(&self, at: TaskRef) -> Option<(&ModuleModel, &TaskModel)> {
        let model = self.modules.get(at.module)?;
        Some((model, model.tasks.get(at.task)?))
    }

    /// How many mesh tasks with a known service name the configuration has.
    pub fn mesh_service_count(&self) -> usize {
        self.modules
            .iter()
            .flat_map(ModuleModel::networks)
            .filter(|n| n.service_name.is_some())
            .count()
    }
}

/// One Terraform module and everything modelled from it.
#[derive(Debug)]
pub struct ModuleModel {
    pub module: Module,
    pub mesh: Mesh,
    /// Every mesh-task call of the module, in call order, with its network and role.
    pub tasks: TiVec<TaskId, TaskModel>,
    /// The IAM roles mesh tasks rely on, checked against what their releases need.
    pub roles: TiVec<RoleId, roles::task_role::RoleCheck>,
    /// Consul service names this module defines (mesh tasks, gateways, task families, and
    /// the names of its config entries).
    pub service_names: Vec<String>,
    /// The services that run here: mesh tasks, gateways, task families.
    pub workload_names: Vec<String>,
    /// The Consul config entries the module writes, per resource instance and caller.
    pub config_entries: Vec<config_entries::ConfigEntry>,
}

/// One mesh task: what its call declares, its network side, and the check of its task role.
#[derive(Debug)]
pub struct TaskModel {
    pub declared: MeshTask,
    pub network: mesh::task_network::TaskNetwork,
    pub role: Option<RoleId>,
}

impl ModuleModel {
    pub fn new(module: Module, sources: &SourceMap) -> ModuleModel {
        ModuleModel::with_callers(module, sources, &[])
    }

    /// A module that local callers use: its mesh tasks are those of every calling instance
    /// (see [`wrappers`]); with no callers, the module as it stands alone.
    pub fn with_callers(
        module: Module,
        sources: &SourceMap,
        callers: &[std::sync::Arc<terraform::eval::Caller>],
    ) -> ModuleModel {
        let (mesh, declared) = Mesh::build_for_callers(&module, callers);
        let networks = mesh::task_network::task_networks(&module, &mesh, &declared, sources);
        let (roles, role_of) = roles::task_role::check_roles(&module, &declared, &networks, sources);
        let service_names = mesh::task_network::service_names(&module, &mesh, &networks);
        let workload_names = mesh::task_network::workload_names(&module, &mesh, &networks);
        let config_entries = config_entries::read(&module, callers);
        let tasks = declared
            .into_iter()
            .zip(networks)
            .zip(role_of)
            .map(|((declared, network), role)| TaskModel {
                declared,
                network,
                role,
            })
            .collect();
        ModuleModel {
            module,
            mesh,
            tasks,
            roles,
            service_names,
            workload_names,
            config_entries,
        }
    }

    /// The mesh task whose family a plain task definition shares, unless the definition is
    /// tagged as deliberately outside the mesh. Unknown families match nothing.
    pub fn task_replacing(&self, definition: &TaskDefinition) -> Option<&MeshTask> {
        if definition.outside_mesh {
            return None;
        }
        let family = definition.family.as_ref()?.as_str()?;
        self.tasks
            .iter()
            .map(|t| &t.declared)
            .find(|t| t.family.as_ref().and_then(terraform::value::Value::as_str) == Some(family))
    }

    /// The networks of the module's mesh tasks.
    pub fn networks(&self) -> impl Iterator<Item = &mesh::task_network::TaskNetwork> {
        self.tasks.iter().map(|t| &t.network)
    }

    /// Where a finding about a value of a mesh task's `input` belongs: the call's
    /// `input = …` when the value was written elsewhere (a local, a variable default, a
    /// `for_each` map), so that the finding shows the module call and a label shows the
    /// value; else the value itself.
    pub fn input_site(&self, network: &mesh::task_network::TaskNetwork, input: &str, value: Span) -> Span {
        self.module
            .calls
            .get(network.call)
            .and_then(|call| call.attr(input))
            .map(|attr| attr.value.span)
            .filter(|site| !site.contains(value))
            .unwrap_or(value)
    }
}
