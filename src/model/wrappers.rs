//! Local child modules (`source = "./…"` or `"../…"`) evaluated with their callers'
//! arguments: a platform team's wrapper around mesh-task is checked with the values each
//! service passes, not only as it stands alone with its defaults.

use crate::model::mesh::scopes;
use crate::model::terraform::eval::{Caller, Evaluator};
use crate::model::terraform::instances::Repetition;
use crate::model::terraform::Module;
use crate::model::ModuleModel;
use crate::source::SourceMap;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Wrapper chains deeper than this are evaluated only as far as this.
const MAX_DEPTH: usize = 8;

/// Callers of one module beyond this (instances × callers × their callers) are not followed:
/// the module is then checked with the callers found so far.
const MAX_CALLERS: usize = 256;

/// Models every module; a module that other modules of the run call by a local path gets
/// one set of mesh tasks per calling instance, evaluated with that instance's arguments.
pub fn build(modules: Vec<(PathBuf, Module)>, sources: &SourceMap) -> Vec<ModuleModel> {
    let callers = callers_of_every_module(&modules);
    modules
        .into_par_iter()
        .zip(callers)
        .map(|((_, module), callers)| ModuleModel::with_callers(module, sources, &callers))
        .collect()
}

/// A `module` block of `parent` whose local source is the module at `child`.
struct Edge {
    parent: usize,
    call: usize,
}

fn callers_of_every_module(modules: &[(PathBuf, Module)]) -> Vec<Vec<Arc<Caller>>> {
    let by_dir: HashMap<PathBuf, usize> = modules
        .iter()
        .enumerate()
        .map(|(i, (dir, _))| (normalize(dir), i))
        .collect();
    let mut incoming: Vec<Vec<Edge>> = (0..modules.len()).map(|_| Vec::new()).collect();
    for (parent, (dir, module)) in modules.iter().enumerate() {
        for (call, block) in module.calls.iter().enumerate() {
            let Some((source, _)) = block.source() else {
                continue;
            };
            if !(source.starts_with("./") || source.starts_with("../")) {
                continue;
            }
            if let Some(&child) = by_dir.get(&normalize(&dir.join(source))) {
                if child != parent {
                    incoming[child].push(Edge { parent, call });
                }
            }
        }
    }
    let mut memo: HashMap<usize, Vec<Option<Arc<Caller>>>> = HashMap::new();
    (0..modules.len())
        .map(|m| {
            if incoming[m].is_empty() {
                return Vec::new();
            }
            let mut stack = Vec::new();
            contexts(m, modules, &incoming, &mut memo, &mut stack)
                .into_iter()
                .flatten()
                .collect()
        })
        .collect()
}

/// The contexts module `m` is evaluated in: `None` (alone) when nothing calls it, else one
/// caller per instance of every calling block, in every context of its own module.
fn contexts(
    m: usize,
    modules: &[(PathBuf, Module)],
    incoming: &[Vec<Edge>],
    memo: &mut HashMap<usize, Vec<Option<Arc<Caller>>>>,
    stack: &mut Vec<usize>,
) -> Vec<Option<Arc<Caller>>> {
    if incoming[m].is_empty() {
        return vec![None];
    }
    if let Some(known) = memo.get(&m) {
        return known.clone();
    }
    // A cycle, or a chain too deep: evaluate the module alone from here.
    if stack.contains(&m) || stack.len() >= MAX_DEPTH {
        return vec![None];
    }
    stack.push(m);
    let mut out: Vec<Option<Arc<Caller>>> = Vec::new();
    'edges: for edge in &incoming[m] {
        let parent_contexts = contexts(edge.parent, modules, incoming, memo, stack);
        let parent = &modules[edge.parent].1;
        let call = &parent.calls[edge.call];
        for context in &parent_contexts {
            let context = context.as_deref();
            let eval = Evaluator::new(parent).with_caller(context);
            let repetition = Repetition::of(&call.block.body, &eval);
            for scope in scopes(parent, context, &call.name, call.block.span, &repetition) {
                let inputs = call
                    .inputs()
                    .map(|attr| (attr.key.to_string(), scope.eval.eval(&attr.value)))
                    .collect();
                // With a context, the scope is already named by its full address.
                let address = match context {
                    Some(_) => scope.name,
                    None => format!("module.{}", scope.name),
                };
                let root = context.map_or(edge.parent, |c| c.root);
                out.push(Some(Arc::new(Caller {
                    address,
                    inputs,
                    root,
                })));
                if out.len() >= MAX_CALLERS {
                    break 'edges;
                }
            }
        }
    }
    stack.pop();
    memo.insert(m, out.clone());
    out
}

/// `a/b/../c/./d` as `a/c/d`, without touching the file system (the folders exist: the run
/// read them; symlinks are not followed, as Terraform does not resolve them either).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}
