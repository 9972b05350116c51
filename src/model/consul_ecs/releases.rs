//! Which consul-ecs releases a module call may be using, and how meshlint knows: the
//! `version` constraint, a git `?ref=`, or the inputs the call uses.

use crate::model::consul_ecs::git_ref::{GitRef, RefKind};
use crate::model::consul_ecs::schema::{self, ModuleSchemas};
use crate::model::consul_ecs::source_address::ModuleKind;
use crate::model::consul_ecs::version::{Constraint, ReleaseSet};
use crate::model::terraform::eval::Evaluator;
use crate::model::terraform::ModuleCall;
use crate::source::Span;
use crate::syntax::ExprKind;

/// Which releases a call may be using, and how meshlint knows.
#[derive(Debug, Clone)]
pub struct Releases {
    pub set: ReleaseSet,
    pub basis: ReleaseBasis,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReleaseBasis {
    /// From `version`.
    Pinned(Span),
    /// From `?ref=` in a git source: a release's tag, or the commit it points at.
    GitRef(Span),
    /// A `?ref=` that names no release (a branch, another commit): the module is whatever
    /// that ref holds, so no release is known and the set is empty.
    Unreleased(Span),
    /// From inputs that only some releases accept.
    Inferred(Vec<String>),
    /// Nothing narrows it down: any release.
    Unknown,
}

impl Releases {
    /// True when every release the call may use is in `range`, so a rule for `range` applies.
    pub fn all_in(&self, range: ReleaseSet) -> bool {
        self.set.is_within(range)
    }

    /// A note saying how the release was determined, for rules that depend on it.
    pub fn note(&self) -> Option<String> {
        match &self.basis {
            ReleaseBasis::Inferred(inputs) => Some(format!(
                "no usable `version` pins the module; {} inferred from {}",
                self.set.describe(),
                inputs
                    .iter()
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            _ => None,
        }
    }
}

/// The releases of a call of module `kind`: from a usable `version`, else from `?ref=` (a
/// placeholder ref pins nothing), else from the inputs.
pub fn resolve(call: &ModuleCall, kind: ModuleKind, git_ref: Option<&GitRef>, eval: &Evaluator) -> Releases {
    if let Some(version) = call.attr("version") {
        let value = eval.eval(&version.value);
        if let Some(constraint) = value.as_str().and_then(Constraint::parse) {
            return Releases {
                set: constraint.releases(),
                basis: ReleaseBasis::Pinned(version.value.span),
            };
        }
    }
    if let Some(git_ref) = git_ref {
        match &git_ref.kind {
            RefKind::Tag(release) | RefKind::ReleaseCommit(release) => {
                return Releases {
                    set: ReleaseSet::only(*release),
                    basis: ReleaseBasis::GitRef(git_ref.span),
                }
            }
            RefKind::Placeholder => {}
            RefKind::Commit | RefKind::NearRelease(_) | RefKind::Branch => {
                return Releases {
                    set: ReleaseSet::EMPTY,
                    basis: ReleaseBasis::Unreleased(git_ref.span),
                }
            }
        }
    }
    inferred_releases(kind, call)
}

/// The releases whose schema accepts every input the call uses. Inputs that no release
/// accepts are left out (`unknown-module-input` reports them), and so are inputs every
/// release accepts, which tell nothing. For mesh-task the upstream key style (`destination_name`
/// up to v0.2.x, `destinationName` from v0.3.0) narrows it further, unless it contradicts the
/// inputs: then the keys are what is wrong, and the inputs decide.
fn inferred_releases(kind: ModuleKind, call: &ModuleCall) -> Releases {
    let schemas = schema::module(kind);
    let lifetime = schemas.lifetime();
    let mut set = lifetime;
    let mut used: Vec<String> = Vec::new();
    for input in call.inputs() {
        let accepting = schemas.accepting(&input.key);
        if accepting.is_empty() || accepting == lifetime {
            continue;
        }
        set = set.intersect(accepting);
        if !used.iter().any(|u| *u == input.key) {
            used.push(input.key.to_string());
        }
    }
    if kind == ModuleKind::MeshTask {
        let (keys_set, keys_used) = upstream_key_releases(call, schemas);
        if !keys_used.is_empty() && !set.intersect(keys_set).is_empty() {
            set = set.intersect(keys_set);
            used.extend(keys_used);
        }
    }
    if set.is_empty() || used.is_empty() {
        // Contradictory or no telling inputs: any release of the module.
        return Releases {
            set: lifetime,
            basis: ReleaseBasis::Unknown,
        };
    }
    Releases {
        set,
        basis: ReleaseBasis::Inferred(used),
    }
}

/// The releases whose `upstreams` accept every key written in literal upstream objects, and
/// the keys that narrowed it (as `upstreams.<key>`).
fn upstream_key_releases(call: &ModuleCall, schemas: &ModuleSchemas) -> (ReleaseSet, Vec<String>) {
    let lifetime = schemas.lifetime();
    let mut set = lifetime;
    let mut used = Vec::new();
    let Some(upstreams) = call.attr("upstreams") else {
        return (set, used);
    };
    let ExprKind::Array(items) = &upstreams.value.kind else {
        return (set, used);
    };
    for item in items {
        let ExprKind::Object(fields) = &item.kind else {
            continue;
        };
        for key in fields.iter().filter_map(|f| f.key_name()) {
            let accepting = schemas.releases_where(|s| {
                s.allowed_keys("upstreams")
                    .is_some_and(|keys| keys.iter().any(|k| k == key))
            });
            if accepting.is_empty() || accepting == lifetime {
                continue;
            }
            set = set.intersect(accepting);
            let name = format!("upstreams.{key}");
            if !used.contains(&name) {
                used.push(name);
            }
        }
    }
    (set, used)
}
