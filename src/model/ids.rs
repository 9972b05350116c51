//! Typed ids: an index into one typed vector ([`TiVec`]) that cannot be used for another.

pub use typed_index_collections::{TiSlice, TiVec};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(usize);

        impl From<usize> for $name {
            fn from(index: usize) -> $name {
                $name(index)
            }
        }

        impl From<$name> for usize {
            fn from(id: $name) -> usize {
                id.0
            }
        }
    };
}

id!(
    /// A Terraform module (one directory) of the project: [`crate::model::Project::modules`].
    ModuleId
);
id!(
    /// A mesh task of one module: [`crate::model::ModuleModel::tasks`].
    TaskId
);
id!(
    /// A task role check of one module: [`crate::model::ModuleModel::roles`].
    RoleId
);

/// A mesh task anywhere in the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskRef {
    pub module: ModuleId,
    pub task: TaskId,
}
