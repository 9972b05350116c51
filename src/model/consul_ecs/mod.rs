//! What the consul-ecs modules are, release by release: the release list, how a module call's
//! `source`, `?ref=` and `version` name a module and its releases, what each release accepts
//! (the schema data of `rules/modules/`), and the plan-time checks the modules make.

pub mod check;
mod generated;
pub mod git_ref;
pub mod releases;
pub mod schema;
pub mod source_address;
pub mod validation;
pub mod version;
