//! What each consul-ecs module accepts at each release: the data in `rules/modules/*.toml`,
//! embedded at build time and read once.
//!
//! The files record facts read from hashicorp/terraform-aws-consul-ecs at every tag: inputs
//! with their coarse type, default and allowed keys; the module's own plan-time checks in a
//! small vocabulary; the containers it adds and the ports they take; inputs that were renamed
//! or removed. One `[[schema]]` entry covers a run of releases whose facts are identical.

pub use super::check::{Check, Mechanism};
use super::source_address::ModuleKind;
use super::version::{Release, ReleaseSet};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The schema data as JSON that `build.rs` made from `rules/modules/*.toml`.
const FILES: [(ModuleKind, &str); 5] = [
    (
        ModuleKind::MeshTask,
        include_str!(concat!(env!("OUT_DIR"), "/mesh-task.json")),
    ),
    (
        ModuleKind::DevServer,
        include_str!(concat!(env!("OUT_DIR"), "/dev-server.json")),
    ),
    (
        ModuleKind::GatewayTask,
        include_str!(concat!(env!("OUT_DIR"), "/gateway-task.json")),
    ),
    (
        ModuleKind::AclController,
        include_str!(concat!(env!("OUT_DIR"), "/acl-controller.json")),
    ),
    (
        ModuleKind::Controller,
        include_str!(concat!(env!("OUT_DIR"), "/controller.json")),
    ),
];

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
    names: Vec<String>,
}

/// The module at a run of releases with identical facts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    pub releases: Vec<String>,
    /// `releases` as a set; computed once at load, since rules ask for it constantly.
    #[serde(skip)]
    set: ReleaseSet,
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

impl Input {
    /// A typed object (or list of them): extra keys are silently dropped by Terraform.
    pub fn is_typed_object(&self) -> bool {
        self.key_types.is_some()
    }

    /// The default when it is the literal `true` or `false`.
    pub fn default_bool(&self) -> Option<bool> {
        match self.default.as_deref()?.trim() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// The default when it is a number literal.
    pub fn default_number(&self) -> Option<f64> {
        self.default.as_deref()?.trim().parse().ok()
    }

    /// The default when it is a quoted string without interpolation or escapes.
    pub fn default_string(&self) -> Option<String> {
        quoted(self.default.as_deref()?.trim()).map(str::to_string)
    }

    /// The default when it is a list of plain quoted strings, e.g. `["EC2", "FARGATE"]`.
    pub fn default_strings(&self) -> Option<Vec<String>> {
        let text = self.default.as_deref()?.trim();
        let inner = text.strip_prefix('[')?.strip_suffix(']')?.trim();
        if inner.is_empty() {
            return Some(Vec::new());
        }
        inner
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| quoted(s).map(str::to_string))
            .collect()
    }

    /// True when the default is empty: `""`, `null`, `[]`, `{}`, or absent (required).
    pub fn default_is_empty(&self) -> bool {
        matches!(
            self.default.as_deref().map(str::trim),
            None | Some("\"\"") | Some("null") | Some("[]") | Some("{}")
        )
    }
}

fn quoted(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains(['"', '\\', '$', '%'])).then_some(inner)
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

impl Schema {
    /// The releases this entry covers.
    pub fn release_set(&self) -> ReleaseSet {
        self.set
    }

    pub fn input(&self, name: &str) -> Option<&Input> {
        self.inputs.get(name)
    }

    pub fn accepts(&self, name: &str) -> bool {
        self.inputs.contains_key(name)
    }

    pub fn required_inputs(&self) -> impl Iterator<Item = &str> {
        self.inputs
            .iter()
            .filter(|(_, i)| i.required)
            .map(|(n, _)| n.as_str())
    }

    /// The keys an object-like input may have, when the data lists them.
    pub fn allowed_keys(&self, input: &str) -> Option<&[String]> {
        self.inputs.get(input)?.keys.as_deref()
    }

    /// The releases of this entry for messages, e.g. `v0.4.1–v0.4.2`.
    pub fn describe(&self) -> String {
        self.release_set().describe()
    }
}

impl ModuleSchemas {
    /// Every release the module exists in.
    pub fn lifetime(&self) -> ReleaseSet {
        self.schema
            .iter()
            .fold(ReleaseSet::EMPTY, |set, s| set.union(s.release_set()))
    }

    /// The entry covering one release.
    pub fn at(&self, release: Release) -> Option<&Schema> {
        self.schema.iter().find(|s| s.release_set().contains(release))
    }

    /// The entries covering at least one release of `set`, oldest first.
    pub fn overlapping(&self, set: ReleaseSet) -> impl Iterator<Item = &Schema> {
        self.schema.iter().filter(move |s| s.release_set().overlaps(set))
    }

    /// The releases that accept an input.
    pub fn accepting(&self, input: &str) -> ReleaseSet {
        self.releases_where(|s| s.accepts(input))
    }

    /// The releases whose entry satisfies `predicate`.
    pub fn releases_where(&self, mut predicate: impl FnMut(&Schema) -> bool) -> ReleaseSet {
        self.schema
            .iter()
            .filter(|s| predicate(s))
            .fold(ReleaseSet::EMPTY, |set, s| set.union(s.release_set()))
    }

    /// True when `predicate` holds for every entry covering a release of `set` (and there is
    /// at least one): what a rule needs before it reports for a set of possible releases.
    pub fn all_of(&self, set: ReleaseSet, mut predicate: impl FnMut(&Schema) -> bool) -> bool {
        let mut any = false;
        for schema in self.overlapping(set) {
            any = true;
            if !predicate(schema) {
                return false;
            }
        }
        any
    }

    /// Every input name any release accepts, sorted.
    pub fn all_inputs(&self) -> Vec<&str> {
        self.names.iter().map(String::as_str).collect()
    }

    /// What became of an input that was renamed or removed.
    pub fn renamed(&self, from: &str) -> Option<&Renamed> {
        self.renamed.iter().find(|r| r.from == from)
    }
}

/// The schemas of one module, parsed on first use of that module only.
pub fn module(kind: ModuleKind) -> &'static ModuleSchemas {
    static PARSED: [OnceLock<ModuleSchemas>; 5] = [const { OnceLock::new() }; 5];
    let index = FILES
        .iter()
        .position(|(k, _)| *k == kind)
        .expect("every module kind has a schema file");
    PARSED[index].get_or_init(|| match parse(FILES[index].1) {
        Ok(schemas) => schemas,
        // The data is embedded and tested: a parse failure is a build defect.
        Err(e) => panic!("rules/modules/{}.toml: {e}", kind.name()),
    })
}

fn parse(text: &str) -> Result<ModuleSchemas, String> {
    let mut schemas: ModuleSchemas = serde_json::from_str(text).map_err(|e| e.to_string())?;
    for entry in &mut schemas.schema {
        for release in &entry.releases {
            let release = Release::find(release).ok_or_else(|| format!("unknown release {release}"))?;
            entry.set = entry.set.union(ReleaseSet::only(release));
        }
    }
    let mut names: Vec<String> = schemas
        .schema
        .iter()
        .flat_map(|s| s.inputs.keys().cloned())
        .collect();
    names.sort_unstable();
    names.dedup();
    schemas.names = names;
    Ok(schemas)
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
