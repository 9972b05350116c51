//! meshlint: finds what keeps ECS tasks out of a Consul service mesh before a deploy does.
//!
//! The flow runs one way: [`discover`] → [`parse`] → [`model`] → [`rules`] → [`output`].

pub mod add_ignore;
pub mod baseline;
pub mod catalog;
pub mod config;
pub mod diagnostic;
pub mod diagnostics;
pub mod discover;
pub mod edit;
pub mod engine;
pub mod export;
pub mod fix;
pub mod iam;
pub mod init;

pub mod model;
pub mod net;
pub mod output;
pub mod parse;
pub mod policy;
pub mod report;
pub mod rule;
pub mod rules;
pub mod server;
pub mod source;
pub mod suggest;
pub mod suppress;
pub mod syntax;

pub use engine::{check, policy_paths, show_config, Finding, Options, Report, RunError, Suppressed};
