//! The network side of each mesh task: its containers and their environment, its own port,
//! its upstreams, whether transparent proxy is on, which containers a load balancer targets,
//! and which ports the module's sidecars take — plus the mesh's service names.

use crate::model::consul_ecs::schema::Schema;
use crate::model::consul_ecs::source_address::ModuleKind;
use crate::model::consul_ecs::version::{Release, ReleaseSet};
use crate::model::mesh::containers::{self, Container, EnvVar};
use crate::model::mesh::net_facts::{self, Endpoint, EnvRef, ListenSite};
use crate::model::mesh::{ConsulEcsCall, Mesh, MeshTask};
use crate::model::terraform::eval::Evaluator;
use crate::model::terraform::value::ValueKind;
use crate::model::terraform::{Module, ModuleCall};
use crate::source::{SourceMap, Span};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct TaskNetwork {
    /// Index into [`Module::calls`].
    pub call: usize,
    /// The Consul service name when known (`consul_service_name`, else the family).
    pub service_name: Option<String>,
    pub port: Option<(u16, Span)>,
    /// `None` when the container definitions are not known.
    pub containers: Option<Vec<Container>>,
    pub upstreams: Vec<UpstreamPort>,
    /// `None` when it cannot be told.
    pub transparent_proxy: Option<bool>,
    /// Containers an `aws_ecs_service` `load_balancer` block targets.
    pub load_balanced: Vec<String>,
    /// Ports the module's own containers take in every release the call may use.
    pub reserved_ports: Vec<(u16, &'static str)>,
    /// Where its containers listen (listen-address variables, commands).
    pub listens: Vec<ListenSite>,
    /// The URLs in its containers' environment values.
    pub endpoints: Vec<Endpoint>,
    /// Every port its values name; `None` when some value is not known.
    pub mentioned_ports: Option<Vec<u16>>,
}

#[derive(Debug, Clone)]
pub struct UpstreamPort {
    pub span: Span,
    pub destination: Option<(String, Span)>,
    pub local_bind_port: Option<(u16, Span)>,
}

impl TaskNetwork {
    /// The environment variable a fact of this task points at.
    pub fn env_var(&self, at: EnvRef) -> Option<&EnvVar> {
        self.container(at.container)?.environment.get(at.var)
    }

    /// The container with this index among the task's containers.
    pub fn container(&self, index: usize) -> Option<&Container> {
        self.containers.as_ref()?.get(index)
    }

    /// Ports something in the task itself listens on: its own port and container ports.
    pub fn own_ports(&self) -> Vec<u16> {
        let mut ports: Vec<u16> = self.port.iter().map(|(p, _)| *p).collect();
        for container in self.containers.iter().flatten() {
            ports.extend(container.container_ports.iter().map(|(p, _)| *p));
        }
        ports
    }
}

fn port_of(value: Option<&crate::model::terraform::value::Value>) -> Option<(u16, Span)> {
    let value = value?;
    let n = value
        .as_number()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))?;
    (n.fract() == 0.0 && (1.0..=65535.0).contains(&n)).then_some((n as u16, value.span))
}

/// The network of each of the module's mesh tasks, in the order given.
pub fn task_networks(
    module: &Module,
    mesh: &Mesh,
    tasks: &[MeshTask],
    sources: &SourceMap,
) -> Vec<TaskNetwork> {
    let eval = Evaluator::new(module);
    let services = services_by_task(module, mesh);
    tasks
        .iter()
        .map(|task| task_network(module, mesh, task, &services, &eval, sources))
        .collect()
}

/// The `aws_ecs_service` resources (positions in [`Module::resources`]) whose
/// `task_definition` is `module.<name>.task_definition_arn`, by module call name: found in one
/// pass, where a scan of every service per task made large modules quadratic.
fn services_by_task<'m>(module: &'m Module, mesh: &Mesh) -> HashMap<&'m str, Vec<usize>> {
    let mut by_task: HashMap<&str, Vec<usize>> = HashMap::new();
    for service in &mesh.services {
        let Some(resource) = module.resources.get(service.resource) else {
            continue;
        };
        let Some(reference) = resource.attr("task_definition").and_then(|t| t.value.reference()) else {
            continue;
        };
        if let ["module", name, "task_definition_arn"] = reference.as_slice() {
            by_task.entry(*name).or_default().push(service.resource);
        }
    }
    by_task
}

fn task_network(
    module: &Module,
    mesh: &Mesh,
    task: &MeshTask,
    services: &HashMap<&str, Vec<usize>>,
    eval: &Evaluator,
    sources: &SourceMap,
) -> TaskNetwork {
    let call = &module.calls[task.call];
    let known = |key: &str| call.attr(key).map(|a| eval.eval(&a.value));
    let mut containers = mesh
        .call(task.call)
        .and_then(|c| c.container_definitions.as_ref())
        .and_then(|d| containers::containers(&d.value));
    if let Some(containers) = &mut containers {
        containers::read_commands(containers, sources);
    }
    let facts = containers.as_deref().unwrap_or_default();
    TaskNetwork {
        call: task.call,
        service_name: service_name(
            task,
            known("consul_service_name")
                .as_ref()
                .and_then(|v| v.as_str().map(str::to_string)),
        ),
        port: port_of(task.port.as_ref()),
        upstreams: task
            .upstreams
            .iter()
            .map(|u| UpstreamPort {
                span: u.span,
                destination: u
                    .destination
                    .as_ref()
                    .and_then(|d| d.as_str().map(|s| (s.to_string(), d.span))),
                local_bind_port: port_of(u.local_bind_port.as_ref()),
            })
            .collect(),
        transparent_proxy: mesh
            .call(task.call)
            .and_then(|c| transparent_proxy_everywhere(c, call, eval)),
        load_balanced: load_balanced(module, services.get(call.name.as_str()), eval),
        reserved_ports: reserved_ports(
            task,
            port_of(known("envoy_public_listener_port").as_ref()),
            port_of(known("envoy_readiness_port").as_ref()),
        ),
        listens: net_facts::task_listens(facts, sources),
        endpoints: net_facts::task_endpoints(facts, sources),
        mentioned_ports: containers.as_deref().and_then(net_facts::mentioned_ports),
        containers,
    }
}

/// `consul_service_name`, else the family — lower-cased from v0.5.0, as the module does.
fn service_name(task: &MeshTask, consul_service_name: Option<String>) -> Option<String> {
    if let Some(name) = consul_service_name.filter(|n| !n.is_empty()) {
        return Some(name);
    }
    let family = task.family.as_ref()?.as_str()?;
    if task.releases.all_in(ReleaseSet::from(Release::V0_5_0_BETA1)) {
        Some(family.to_lowercase())
    } else {
        Some(family.to_string())
    }
}

/// Whether transparent proxy is on in one release of the module: what the call sets, else
/// that release's default (on from v0.8.0); off in releases without the input. `None` when
/// the value is not known.
pub fn transparent_proxy(schema: &Schema, call: &ModuleCall, eval: &Evaluator) -> Option<bool> {
    if schema.input("enable_transparent_proxy").is_none() {
        return Some(false);
    }
    match call.attr("enable_transparent_proxy").map(|a| eval.eval(&a.value)) {
        Some(value) => match &value.kind {
            ValueKind::Bool(b) => Some(*b),
            ValueKind::String(s) => s.parse().ok(),
            _ => None,
        },
        None => schema.input("enable_transparent_proxy")?.default_bool(),
    }
}

/// The same answer in every release the call may use, or `None`.
fn transparent_proxy_everywhere(
    ecs_call: &ConsulEcsCall,
    call: &ModuleCall,
    eval: &Evaluator,
) -> Option<bool> {
    let mut answer = None;
    for schema in ecs_call.schemas().overlapping(ecs_call.possible()) {
        let this = transparent_proxy(schema, call, eval)?;
        if answer.is_some_and(|a| a != this) {
            return None;
        }
        answer = Some(this);
    }
    answer
}

/// Containers the `load_balancer` blocks of the task's services target.
fn load_balanced(module: &Module, services: Option<&Vec<usize>>, eval: &Evaluator) -> Vec<String> {
    let mut names = Vec::new();
    for resource in services
        .into_iter()
        .flatten()
        .filter_map(|&i| module.resources.get(i))
    {
        for block in resource.block.body.blocks_named("load_balancer") {
            if let Some(name) = block
                .body
                .attr("container_name")
                .and_then(|a| eval.eval(&a.value).as_str().map(str::to_string))
            {
                names.push(name);
            }
        }
    }
    names
}

/// Ports the module's containers take, kept only when taken in every release the call may use.
fn reserved_ports(
    task: &MeshTask,
    public: Option<(u16, Span)>,
    readiness: Option<(u16, Span)>,
) -> Vec<(u16, &'static str)> {
    let all = ReleaseSet::all();
    let client_agent = ReleaseSet::range(Release::V0_1_0, Release::V0_6_2);
    let mut candidates = vec![
        (19000, "the Envoy admin interface", all),
        (public.map_or(20000, |p| p.0), "the Envoy public listener", all),
        (
            readiness.map_or(22000, |p| p.0),
            "the Envoy readiness listener",
            ReleaseSet::from(Release::V0_7_0_RC1),
        ),
        (
            10000,
            "the consul-ecs control plane's health listener",
            ReleaseSet::range(Release::V0_7_0_RC1, Release::V0_7_3),
        ),
    ];
    for port in [8300, 8301, 8302, 8500, 8502, 8600] {
        candidates.push((port, "the Consul client agent", client_agent));
    }
    candidates
        .into_iter()
        .filter(|(_, _, releases)| task.releases.all_in(*releases))
        .map(|(port, what, _)| (port, what))
        .collect()
}

/// Names of everything reachable as a Consul service in this module: mesh tasks, gateways,
/// and plain task definitions' families (which a terminating gateway may front).
pub fn service_names(module: &Module, mesh: &Mesh, networks: &[TaskNetwork]) -> Vec<String> {
    let eval = Evaluator::new(module);
    let mut names: Vec<String> = networks.iter().filter_map(|n| n.service_name.clone()).collect();
    for call in mesh.calls.iter().filter(|c| c.kind == ModuleKind::GatewayTask) {
        for key in ["consul_service_name", "family"] {
            if let Some(name) = module.calls[call.call]
                .attr(key)
                .and_then(|a| eval.eval(&a.value).as_str().map(str::to_string))
            {
                names.push(name);
            }
        }
    }
    for definition in &mesh.task_definitions {
        if let Some(family) = definition.family.as_ref().and_then(|f| f.as_str()) {
            names.push(family.to_string());
        }
    }
    names
}
