//! What rules may see: the project's Terraform modules, evaluated, and the mesh they declare.

pub mod eval;
mod functions;
pub mod mesh;
pub mod source_address;
pub mod terraform;
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
    /// The configuration of each file: severities, and the options rules read.
    pub settings: Settings,
    /// The `meshlint-ignore` comments of each file.
    pub suppressions: Suppressions,
}

impl Project {
    /// The effective configuration of a file (rule options, mesh families).
    pub fn config(&self, file: FileId) -> &Config {
        self.settings.for_file(file)
    }
}

#[derive(Debug)]
pub struct ModuleModel {
    pub module: Module,
    pub mesh: Mesh,
}

impl ModuleModel {
    pub fn new(module: Module) -> ModuleModel {
        let mesh = Mesh::build(&module);
        ModuleModel { module, mesh }
    }
}
