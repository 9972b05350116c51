use crate::model::call_graph::EntryIndex;
use crate::rule::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};

pub struct UnusedIntention;

/// What the project knows of one service's calls in one root configuration.
#[derive(Default)]
struct Calls {
    /// Every task of the service has known upstreams and transparent proxy off, so its
    /// upstreams are all the calls it can make.
    complete: bool,
    destinations: BTreeSet<String>,
}

impl Rule for UnusedIntention {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        // Most projects write no config entries: no call graph to build.
        if project.config_entries().next().is_none() {
            return;
        }
        let index = EntryIndex::new(project);
        // Per root configuration: each mesh service's calls; `None` when some task's
        // service name is not known (it may be any of them).
        let mut by_root: HashMap<usize, Option<HashMap<String, Calls>>> = HashMap::new();
        for (module, model) in project.modules.iter_enumerated() {
            for task in &model.tasks {
                let root = Project::root_of(module, task.declared.caller.as_deref());
                let services = by_root.entry(root).or_insert_with(|| Some(HashMap::new()));
                let Some(services) = services else { continue };
                let Some(name) = &task.network.service_name else {
                    by_root.insert(root, None);
                    continue;
                };
                let fresh = !services.contains_key(name);
                let calls = services.entry(name.clone()).or_default();
                let complete = task.network.upstreams_known && task.network.transparent_proxy == Some(false);
                calls.complete = (fresh || calls.complete) && complete;
            }
        }
        for edge in project.call_edges() {
            if let Some(Some(services)) = by_root.get_mut(&edge.root) {
                if let (Some(from), Some(to)) = (&edge.source.name, &edge.destination.name) {
                    if let Some(calls) = services.get_mut(from) {
                        calls.destinations.insert(to.clone());
                    }
                }
            }
        }
        let mut seen = HashSet::new();
        for (root, services) in &by_root {
            let Some(services) = services else { continue };
            for entry in index.of_root(*root) {
                if !entry.is_intentions() {
                    continue;
                }
                let Some(destination) = entry.name.known().filter(|n| services.contains_key(*n)) else {
                    continue;
                };
                for source in &entry.sources {
                    let allows = source.allows();
                    if !allows || source.remote.is_some() || source.namespace.as_deref() == Some("*") {
                        continue;
                    }
                    let Some(from) = source.name.known() else { continue };
                    let Some(calls) = services.get(from) else { continue };
                    if !calls.complete || calls.destinations.contains(destination) {
                        continue;
                    }
                    if !seen.insert((source.name.span, from.to_string(), destination.to_string())) {
                        continue;
                    }
                    report
                        .report(
                            source.name.span,
                            format!("intention allows `{from}` → `{destination}`, but no mesh task of `{from}` calls `{destination}`"),
                        )
                        .note(format!(
                            "`{from}` has no upstream for `{destination}` and no transparent proxy, so it cannot make that call; an allow nothing uses widens what a compromised `{from}` could reach"
                        ))
                        .help(format!(
                            "drop the source `{from}` from the intentions of `{destination}`, or add the upstream it was written for"
                        ));
                }
            }
        }
    }
}
