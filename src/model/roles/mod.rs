//! IAM as a mesh task needs it: policy documents as Terraform writes them, the policies
//! attached to each role, and each task role checked against what its release needs.

pub mod ecs_discovery;
pub mod policy;
pub mod role_policies;
mod statement;
pub mod task_role;
