//! The shape of one `rules/modules/<module>.toml` file. `build.rs` includes this file too and
//! deserializes every module file into these types at build time, so the data the library
//! embeds has already passed this very check: loading it at run time cannot fail.
//!
//! Only `serde` and `std` here (and `Check`, which `build.rs` includes as well).

use super::Check;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Every release of one module.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleSchemas {
    pub module: String,
    #[serde(default)]
    pub renamed: Vec<Renamed>,
    pub schema: Vec<Schema>,
    /// Every input any release accepts, sorted; computed once at load.
    #[serde(skip)]
    pub(super) names: Vec<String>,
}

/// The module at a run of releases with identical facts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    pub releases: Vec<String>,
    /// `releases` as the bits of a `ReleaseSet`; computed once at load, since rules ask for it
    /// constantly. (A plain `u64`: `build.rs` knows no `ReleaseSet`.)
    #[serde(skip)]
    pub(super) set: u64,
    #[serde(default)]
    pub outputs: Vec<String>,
    #[serde(default)]
    pub containers: Vec<Container>,
    #[serde(default)]
    pub reserved_ports: Vec<ReservedPort>,
    #[serde(default)]
    pub inputs: BTreeMap<String, Input>,
    pub checks: Vec<Check>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputType {
    String,
    Number,
    Bool,
    List,
    Map,
    Object,
    Any,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    #[serde(rename = "type")]
    pub ty: InputType,
    /// Element type of a list or map.
    pub element: Option<InputType>,
    #[serde(default)]
    pub required: bool,
    /// The default as HCL text, e.g. `"\"/consul-ecs/\""`, `"[\"EC2\", \"FARGATE\"]"`.
    pub default: Option<String>,
    #[serde(default)]
    pub sensitive: bool,
    /// Keys an object (or each object of a list) may have.
    pub keys: Option<Vec<String>>,
    /// Keys a typed object must have (Terraform's type conversion requires them).
    pub required_keys: Option<Vec<String>>,
    /// Present for typed objects (`object({...})`): Terraform drops keys not listed here.
    pub key_types: Option<BTreeMap<String, InputType>>,
}

/// A container the module adds to the task definition.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Container {
    pub name: String,
    /// When the module adds it only under a condition, the condition as written in the data.
    pub when: Option<String>,
}

/// A port a container the module adds listens on inside the task.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReservedPort {
    pub port: u16,
    pub by: String,
    pub what: String,
}

/// An input that disappeared, with what replaced it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renamed {
    pub from: String,
    /// Empty when the input was removed without a replacement.
    pub to: String,
    pub since: String,
    pub note: String,
}
