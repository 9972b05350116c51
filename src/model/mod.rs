//! What rules may see: the project's Terraform modules, evaluated, and the mesh they declare.

pub mod app;
pub mod document;
pub mod eval;
mod functions;
pub mod iam;
pub mod mesh;
pub mod net;
pub mod policy;
pub mod policy_edit;
pub mod role_policies;
pub mod source_address;
pub mod task_role;
pub mod terraform;
pub mod value;
pub mod version;

use crate::parse::SyntaxError;
use crate::source::SourceMap;

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
}

#[derive(Debug)]
pub struct ModuleModel {
    pub module: Module,
    pub mesh: Mesh,
    /// The IAM roles mesh tasks rely on, checked against what their releases need.
    pub roles: Vec<task_role::RoleCheck>,
}

impl ModuleModel {
    pub fn new(module: Module, sources: &SourceMap) -> ModuleModel {
        let mesh = Mesh::build(&module);
        let roles = task_role::check_roles(&module, &mesh, sources);
        ModuleModel { module, mesh, roles }
    }
}
