//! Who calls whom, and whether Consul's intentions let them: every call edge the project
//! declares (a mesh task's upstreams; with transparent proxy, the `*.virtual.consul` URLs its
//! containers and app sources call), and the config entries of the same root configuration
//! that decide it.
//!
//! A root configuration is a module no other module of the run calls, with the local child
//! modules it calls: `envs/dev` and `envs/prod` of a monorepo talk to different Consul
//! clusters, so the intentions of one never decide the calls of the other.

use crate::model::config_entries::decision::{decide, ServiceRef, Verdict};
use crate::model::config_entries::{scope_or, ConfigEntry};
use crate::model::ids::{ModuleId, TaskId};
use crate::model::Project;
use crate::net::{ConsulKind, HostClass};
use crate::source::Span;
use std::collections::HashMap;

/// How an edge is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Upstream,
    /// A `*.virtual.consul` URL (transparent proxy).
    VirtualUrl,
}

#[derive(Debug, Clone)]
pub struct CallEdge {
    pub module: ModuleId,
    pub task: TaskId,
    /// The root configuration (a module's position in the run).
    pub root: usize,
    pub source: ServiceRef,
    pub destination: ServiceRef,
    /// The upstream's destination name, or the URL's host.
    pub span: Span,
    pub via: Via,
    /// How findings name the calling task.
    pub task_name: String,
}

/// The project's config entries by root configuration, indexed by destination name.
#[derive(Debug, Default)]
pub struct EntryIndex<'p> {
    by_root: HashMap<usize, RootEntries<'p>>,
}

#[derive(Debug, Default)]
struct RootEntries<'p> {
    all: Vec<&'p ConfigEntry>,
    by_name: HashMap<&'p str, Vec<&'p ConfigEntry>>,
    /// `*`, a name not known, or a kind not known: they may decide any edge.
    any: Vec<&'p ConfigEntry>,
}

impl<'p> EntryIndex<'p> {
    pub fn new(project: &'p Project) -> EntryIndex<'p> {
        let mut index = EntryIndex::default();
        for (module, entry) in project.config_entries() {
            let root = entry.caller.as_ref().map_or(usize::from(module), |c| c.root);
            let at = index.by_root.entry(root).or_default();
            at.all.push(entry);
            match (entry.kind.is_some(), entry.name.known()) {
                (true, Some(name)) if name != "*" => at.by_name.entry(name).or_default().push(entry),
                _ => at.any.push(entry),
            }
        }
        index
    }

    /// Every entry of a root configuration.
    pub fn of_root(&self, root: usize) -> &[&'p ConfigEntry] {
        self.by_root.get(&root).map_or(&[], |r| &r.all)
    }

    /// True when the root configuration writes any service intentions (or entries that may be).
    pub fn manages_intentions(&self, root: usize) -> bool {
        self.of_root(root)
            .iter()
            .any(|e| e.kind.is_none() || e.is_intentions())
    }

    /// Consul's verdict on an edge, from the intentions of its root configuration.
    pub fn verdict(&self, edge: &CallEdge) -> Verdict<'p> {
        let Some(entries) = self.by_root.get(&edge.root) else {
            return Verdict::NoIntention;
        };
        let named = edge
            .destination
            .name
            .as_deref()
            .and_then(|n| entries.by_name.get(n))
            .map_or(&[][..], Vec::as_slice);
        // A destination whose name is not known may be any entry's.
        if edge.destination.name.is_none() {
            return decide(entries.all.iter().copied(), &edge.source, &edge.destination);
        }
        decide(
            named.iter().chain(entries.any.iter()).copied(),
            &edge.source,
            &edge.destination,
        )
    }
}

impl Project {
    /// Every config entry of the project, with its module.
    pub fn config_entries(&self) -> impl Iterator<Item = (ModuleId, &ConfigEntry)> {
        self.modules
            .iter_enumerated()
            .flat_map(|(id, model)| model.config_entries.iter().map(move |e| (id, e)))
    }

    /// The root configuration a module evaluated for `caller` (or alone) belongs to.
    pub fn root_of(module: ModuleId, caller: Option<&crate::model::terraform::eval::Caller>) -> usize {
        caller.map_or(usize::from(module), |c| c.root)
    }

    /// Every call edge whose both ends have known names, in module and task order.
    pub fn call_edges(&self) -> Vec<CallEdge> {
        let mut edges = Vec::new();
        for (module, model) in self.modules.iter_enumerated() {
            for (task_id, task) in model.tasks.iter_enumerated() {
                let network = &task.network;
                let Some(name) = &network.service_name else {
                    continue;
                };
                let eval = task.declared.evaluator(&model.module);
                let input = |key: &str| {
                    model.module.calls[network.call]
                        .attr(key)
                        .map(|a| eval.eval(&a.value))
                };
                let source = ServiceRef {
                    name: Some(name.clone()),
                    namespace: scope_or(input("consul_namespace").as_ref(), Some("default")),
                    partition: scope_or(input("consul_partition").as_ref(), Some("default")),
                };
                let root = Project::root_of(module, task.declared.caller.as_deref());
                let edge = |destination: ServiceRef, span: Span, via: Via| CallEdge {
                    module,
                    task: task_id,
                    root,
                    source: source.clone(),
                    destination,
                    span,
                    via,
                    task_name: network.name_at(span).to_string(),
                };
                for upstream in task.declared.upstreams.iter().flatten() {
                    if upstream.remote {
                        continue;
                    }
                    let Some(destination) = &upstream.destination else {
                        continue;
                    };
                    let Some(destination_name) = destination.as_str() else {
                        continue;
                    };
                    // An upstream's namespace and partition default to the caller's own.
                    let target = ServiceRef {
                        name: Some(destination_name.to_string()),
                        namespace: scope_or(upstream.namespace.as_ref(), source.namespace.as_deref()),
                        partition: scope_or(upstream.partition.as_ref(), source.partition.as_deref()),
                    };
                    edges.push(edge(target, destination.span, Via::Upstream));
                }
                if network.transparent_proxy == Some(false) {
                    continue;
                }
                let urls = network.endpoints.iter().chain(
                    self.apps
                        .iter()
                        .filter(|a| a.task.is_some_and(|t| t.module == module && t.task == task_id))
                        .flat_map(|a| a.endpoints.iter()),
                );
                for endpoint in urls {
                    let Some((target, span)) = virtual_target(endpoint, &source) else {
                        continue;
                    };
                    edges.push(edge(target, span, Via::VirtualUrl));
                }
            }
        }
        edges
    }
}

/// `http://api.virtual.consul`: the service it names, in the caller's namespace unless the
/// name says another; `None` for a peer's service or a name with a placeholder.
fn virtual_target(
    endpoint: &crate::model::mesh::net_facts::Endpoint,
    caller: &ServiceRef,
) -> Option<(ServiceRef, Span)> {
    let HostClass::ConsulDns(dns) = &endpoint.url.host_class else {
        return None;
    };
    if dns.kind != ConsulKind::Virtual || dns.service_is_template || dns.scope.peer.is_some() {
        return None;
    }
    let text = &endpoint.text;
    let service = text.get(dns.service.clone())?;
    let part = |range: &Option<std::ops::Range<usize>>, default: &Option<String>| match range {
        Some(r) => text.get(r.clone()).map(str::to_string),
        None => default.clone(),
    };
    let target = ServiceRef {
        name: Some(service.to_string()),
        namespace: part(&dns.scope.namespace, &caller.namespace),
        partition: part(&dns.scope.partition, &caller.partition),
    };
    let span = endpoint
        .host_span
        .or(endpoint.span)
        .unwrap_or(endpoint.value_span);
    Some((target, span))
}
