//! What each consul-ecs module accepts at each release: the data in `rules/modules/*.toml`,
//! embedded at build time and read once.
//!
//! The files record facts read from hashicorp/terraform-aws-consul-ecs at every tag: inputs
//! with their coarse type, default and allowed keys; the module's own plan-time checks in a
//! small vocabulary; the containers it adds and the ports they take; inputs that were renamed
//! or removed. One `[[schema]]` entry covers a run of releases whose facts are identical.

pub use crate::model::consul_ecs::check::{Check, Mechanism};
use crate::model::consul_ecs::source_address::ModuleKind;
use crate::model::consul_ecs::version::{Release, ReleaseSet};
use crate::model::terraform::types::{AttributeType, Type};
pub use file::{Container, Input, InputType, ModuleSchemas, Renamed, ReservedPort, Schema};
use std::sync::OnceLock;

// The types of the data, in a file of their own that `build.rs` shares.
#[path = "schema_file.rs"]
mod file;

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

impl Input {
    /// The input's Terraform type as far as the data records it. Where it records less than
    /// the module declares (an element type of `list` or `map`, an object without
    /// `key_types`), the type stands for every value of that kind, so that a conversion it
    /// refuses is one the module refuses too.
    pub fn terraform_type(&self) -> Type {
        match self.ty {
            InputType::List => Type::List(Box::new(self.element_type())),
            InputType::Map => Type::Map(Box::new(self.element_type())),
            InputType::Object => self.object_type(),
            other => coarse_type(other),
        }
    }

    fn element_type(&self) -> Type {
        match self.element {
            None => Type::Any,
            Some(InputType::Object) => self.object_type(),
            Some(other) => coarse_type(other),
        }
    }

    /// `object({...})` from `key_types`, the keys outside `required_keys` optional.
    fn object_type(&self) -> Type {
        let Some(key_types) = &self.key_types else {
            return Type::SomeObject;
        };
        let required = |key: &str| self.required_keys.iter().flatten().any(|k| k == key);
        Type::Object(
            key_types
                .iter()
                .map(|(key, ty)| {
                    let attribute = AttributeType {
                        ty: coarse_type(*ty),
                        optional: !required(key),
                        default: None,
                    };
                    (key.clone(), attribute)
                })
                .collect(),
        )
    }
}

/// A type the data names with one word: collections of anything, some object.
fn coarse_type(ty: InputType) -> Type {
    match ty {
        InputType::String => Type::String,
        InputType::Number => Type::Number,
        InputType::Bool => Type::Bool,
        InputType::Any => Type::Any,
        InputType::List => Type::List(Box::new(Type::Any)),
        InputType::Map => Type::Map(Box::new(Type::Any)),
        InputType::Object => Type::SomeObject,
    }
}

fn quoted(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains(['"', '\\', '$', '%'])).then_some(inner)
}

impl Schema {
    /// The releases this entry covers.
    pub fn release_set(&self) -> ReleaseSet {
        ReleaseSet::from_bits(self.set)
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
    static PARSED: [OnceLock<ModuleSchemas>; ModuleKind::ALL.len()] =
        [const { OnceLock::new() }; ModuleKind::ALL.len()];
    PARSED[kind.index()].get_or_init(|| load(kind.schema_json()))
}

fn load(json: &str) -> ModuleSchemas {
    // build.rs deserialized this very text into these very types, or the build failed: this
    // cannot fail at run time.
    let mut schemas: ModuleSchemas =
        serde_json::from_str(json).expect("build.rs validated rules/modules/*.toml");
    for entry in &mut schemas.schema {
        // build.rs rejects a release that is not in releases.toml: `find` drops none.
        entry.set = entry
            .releases
            .iter()
            .filter_map(|r| Release::find(r))
            .fold(ReleaseSet::EMPTY, |set, r| set.union(ReleaseSet::only(r)))
            .bits();
    }
    let mut names: Vec<String> = schemas
        .schema
        .iter()
        .flat_map(|s| s.inputs.keys().cloned())
        .collect();
    names.sort_unstable();
    names.dedup();
    schemas.names = names;
    schemas
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
