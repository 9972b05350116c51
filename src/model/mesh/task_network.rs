//! The network side of each mesh task: its containers and their environment, its own port,
//! its upstreams, whether transparent proxy is on, which containers a load balancer targets,
//! and which ports the module's sidecars take — plus the mesh's service names.

use crate::model::consul_ecs::schema::Schema;
use crate::model::consul_ecs::source_address::ModuleKind;
use crate::model::consul_ecs::version::{Release, ReleaseSet};
use crate::model::mesh::clusters::{self, ServiceCluster};
use crate::model::mesh::containers::{self, Container, EnvVar};
use crate::model::mesh::net_facts::{self, Endpoint, EnvRef, ListenSite};
use crate::model::mesh::ModuleIndex;
use crate::model::mesh::{ConsulEcsCall, Mesh, MeshTask};
use crate::model::terraform::eval::{Caller, Evaluator};
use crate::model::terraform::instances::{InstanceKey, Repetition};
use crate::model::terraform::value::ValueKind;
use crate::model::terraform::{Module, ModuleCall};
use crate::source::{SourceMap, Span};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct TaskNetwork {
    /// Index into [`Module::calls`].
    pub call: usize,
    /// The task's name in findings: the call's name, with the instance key if it has one
    /// (see [`TaskNetwork::name_at`]).
    pub name: String,
    /// The `module` block: a literal inside it is shared by every instance and every caller.
    pub call_span: Span,
    pub call_name: String,
    /// The Consul service name when known (`consul_service_name`, else the family).
    pub service_name: Option<String>,
    pub port: Option<(u16, Span)>,
    /// `None` when the container definitions are not known.
    pub containers: Option<Vec<Container>>,
    pub upstreams: Vec<UpstreamPort>,
    /// False when the call's upstreams are not known (then `upstreams` is empty).
    pub upstreams_known: bool,
    /// `None` when it cannot be told.
    pub transparent_proxy: Option<bool>,
    /// Containers an `aws_ecs_service` `load_balancer` block targets.
    pub load_balanced: Vec<String>,
    /// True when a service that may run this task has load balancers meshlint cannot read
    /// (an unknown `dynamic` collection, an index it cannot evaluate): any container may be
    /// a target.
    pub load_balancing_unknown: bool,
    /// Ports the module's own containers take in every release the call may use.
    pub reserved_ports: Vec<(u16, &'static str)>,
    /// Where its containers listen (listen-address variables, commands).
    pub listens: Vec<ListenSite>,
    /// The URLs in its containers' environment values.
    pub endpoints: Vec<Endpoint>,
    /// Every port its values name; `None` when some value is not known.
    pub mentioned_ports: Option<Vec<u16>>,
    /// The clusters the services that run it run it in; empty when no service of the module
    /// runs it.
    pub clusters: Vec<ServiceCluster>,
}

/// Whether a mesh task sets an environment variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvSetting {
    Set,
    /// Every container's environment is known, and none sets it.
    Unset,
    Unknown,
}

#[derive(Debug, Clone)]
pub struct UpstreamPort {
    pub span: Span,
    pub destination: Option<(String, Span)>,
    pub local_bind_port: Option<(u16, Span)>,
    /// A service of another datacenter or peer: not one of this configuration.
    pub remote: bool,
}

impl TaskNetwork {
    /// How a finding at `span` names the task: by the call's own name when the span lies in
    /// the `module` block (a literal every instance and every caller shares, reported once),
    /// else by the instance's full name.
    pub fn name_at(&self, span: Span) -> &str {
        if self.call_span.contains(span) {
            &self.call_name
        } else {
            &self.name
        }
    }

    /// True when a fix at `span` would change other instances too: the task is one of
    /// several (an instance, or a child module evaluated for a caller) and the literal lies
    /// outside the `module` block, in a variable default or a value shared beyond it.
    pub fn edit_is_shared(&self, span: Span, origins: &[crate::model::terraform::value::Origin]) -> bool {
        use crate::model::terraform::value::OriginKind;
        self.name != self.call_name
            && !self.call_span.contains(span)
            && origins
                .iter()
                .any(|o| matches!(o.kind, OriginKind::Variable | OriginKind::CallerArgument))
    }

    /// The environment variable a fact of this task points at.
    pub fn env_var(&self, at: EnvRef) -> Option<&EnvVar> {
        self.container(at.container)?.environment.get(at.var)
    }

    /// Whether the task gives its containers any configuration: an environment, secrets or a
    /// command. Containers given none take theirs from the image (HashiCups' frontend bakes
    /// `proxy_pass http://127.0.0.1:8080` into its nginx.conf), which says nothing here.
    pub fn configures_containers(&self) -> bool {
        self.containers.iter().flatten().any(|c| {
            !c.environment.is_empty()
                || !c.secret_names.is_empty()
                || !c.arguments.is_empty()
                || c.has_unknown_environment
        })
    }

    /// Whether the task's containers set the environment variable `name` (in `environment`
    /// or `secrets`).
    pub fn env_setting(&self, name: &str) -> EnvSetting {
        let Some(containers) = &self.containers else {
            return EnvSetting::Unknown;
        };
        let sets = |c: &Container| {
            c.environment.iter().any(|e| e.name == name) || c.secret_names.iter().any(|s| s == name)
        };
        if containers.iter().any(sets) {
            EnvSetting::Set
        } else if containers.iter().any(|c| c.has_unknown_environment) {
            EnvSetting::Unknown
        } else {
            EnvSetting::Unset
        }
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
    // The services are read once per caller the tasks were evaluated for (once when the
    // module stands alone).
    let mut services_by_caller: Vec<(Option<&str>, ServicesByTask)> = Vec::new();
    let mut networks = Vec::with_capacity(tasks.len());
    for task in tasks {
        let caller = task.caller_address();
        let at = match services_by_caller.iter().position(|(c, _)| *c == caller) {
            Some(at) => at,
            None => {
                services_by_caller.push((
                    caller,
                    services_by_task(module, mesh, tasks, task.caller.as_deref()),
                ));
                services_by_caller.len() - 1
            }
        };
        let services = &services_by_caller[at].1;
        networks.push(task_network(
            module,
            mesh,
            task,
            services,
            &task.evaluator(module),
            sources,
        ));
    }
    networks
}

/// The `aws_ecs_service` instances whose `task_definition` is `module.<name>…task_definition_arn`,
/// by module call name, with the instance of the call each points at (`None`: every instance,
/// as for `module.<name>.task_definition_arn` or an index that cannot be evaluated). Found in
/// one pass, where a scan of every service per task made large modules quadratic.
fn services_by_task<'m>(
    module: &'m Module,
    mesh: &Mesh,
    tasks: &[MeshTask],
    caller: Option<&'m Caller>,
) -> ServicesByTask<'m> {
    let mut by_task: HashMap<&str, Vec<ServiceInstance>> = HashMap::new();
    for service in &mesh.services {
        let Some(resource) = module.resources.get(service.resource) else {
            continue;
        };
        let Some(value) = resource.attr("task_definition").map(|t| &t.value) else {
            continue;
        };
        let resolved = super::module_output_ref(value, "task_definition_arn")
            .or_else(|| each_value_of_module(resource, value))
            .or_else(|| through_data_source(module, tasks, value, caller));
        let (name, index) = match resolved {
            Some(found) => found,
            // A plain task definition of this module: no mesh task's service.
            None if service
                .task_definition
                .as_ref()
                .is_some_and(|t| t.target.is_some()) =>
            {
                continue
            }
            // Not known which task it runs (a `for_each` over data sources, a variable): it
            // may run any of them, which matters for its load balancers.
            None => (UNRESOLVED, None),
        };
        let eval = Evaluator::new(module).with_caller(caller);
        let repetition = Repetition::of(&resource.block.body, &eval);
        for scope in super::scopes(module, caller, &resource.name, resource.block.span, &repetition) {
            let target = match &index {
                None => None,
                Some(ModuleIndex::Literal(key)) => Some(key.clone()),
                Some(ModuleIndex::Expr(e)) => InstanceKey::of_value(&scope.eval.eval(e)),
            };
            by_task.entry(name).or_default().push(ServiceInstance {
                resource,
                target,
                eval: scope.eval,
            });
        }
    }
    by_task
}

/// `task_definition = data.aws_ecs_task_definition.api.arn` (HashiCups' setups look the
/// latest revision up this way): the mesh task whose family the data source names, or whose
/// output it reads.
fn through_data_source<'m>(
    module: &'m Module,
    tasks: &[MeshTask],
    value: &crate::syntax::Expr,
    caller: Option<&'m Caller>,
) -> Option<(&'m str, Option<ModuleIndex>)> {
    let mut data_name = None;
    value.walk(&mut |e| {
        if let Some(["data", "aws_ecs_task_definition", name, ..]) = e.reference().as_deref() {
            data_name.get_or_insert_with(|| name.to_string());
        }
    });
    let data_name = data_name?;
    let data = module
        .data
        .iter()
        .find(|d| d.kind == "aws_ecs_task_definition" && d.name == data_name)?;
    let wanted = &data.attr("task_definition")?.value;
    if let Some(found) = super::module_output_ref(wanted, "task_definition_arn") {
        return Some(found);
    }
    let eval = Evaluator::new(module).with_caller(caller);
    let named = eval.eval(wanted);
    // `family` or `family:revision`.
    let family = named.as_str()?.split(':').next()?.to_string();
    let task = tasks.iter().find(|t| {
        t.family
            .as_ref()
            .and_then(crate::model::terraform::value::Value::as_str)
            == Some(family.as_str())
    })?;
    let call = module.calls.get(task.call)?;
    let index = task
        .instance
        .as_ref()
        .map(|i| ModuleIndex::Literal(i.key.clone()));
    Some((call.name.as_str(), index))
}

/// `for_each = module.task` with `task_definition = each.value.task_definition_arn`: each
/// service instance runs the task instance of the same key.
fn each_value_of_module<'m>(
    resource: &'m crate::model::terraform::Resource,
    value: &crate::syntax::Expr,
) -> Option<(&'m str, Option<ModuleIndex>)> {
    use crate::syntax::{Expr, ExprKind, Traversal, TraversalOp};
    if value.reference().as_deref() != Some(&["each", "value", "task_definition_arn"][..]) {
        return None;
    }
    let for_each = &resource.attr("for_each")?.value;
    let ExprKind::Traversal(t) = &for_each.kind else {
        return None;
    };
    let (ExprKind::Variable(root), [TraversalOp::Attr(name, _)]) = (&t.base.kind, t.ops.as_slice()) else {
        return None;
    };
    if root != "module" {
        return None;
    }
    let span = value.span;
    let each_key = Expr {
        kind: ExprKind::Traversal(Box::new(Traversal {
            base: Expr {
                kind: ExprKind::Variable("each".into()),
                span,
            },
            ops: vec![TraversalOp::Attr("key".into(), span)],
        })),
        span,
    };
    Some((name.as_str(), Some(ModuleIndex::Expr(each_key))))
}

/// Service instances by the name of the module call whose task definition they run.
type ServicesByTask<'m> = HashMap<&'m str, Vec<ServiceInstance<'m>>>;

/// The key of [`ServicesByTask`] for services whose task definition is not known: they may
/// run any mesh task of the module. (No module call has an empty name.)
const UNRESOLVED: &str = "";

/// One instance of an `aws_ecs_service` that runs a mesh task.
struct ServiceInstance<'m> {
    resource: &'m crate::model::terraform::Resource,
    /// The instance of the module call it points at; `None` for all of them.
    target: Option<InstanceKey>,
    eval: Evaluator<'m>,
}

fn task_network(
    module: &Module,
    mesh: &Mesh,
    task: &MeshTask,
    services: &HashMap<&str, Vec<ServiceInstance>>,
    eval: &Evaluator,
    sources: &SourceMap,
) -> TaskNetwork {
    let call = &module.calls[task.call];
    let known = |key: &str| call.attr(key).map(|a| eval.eval(&a.value));
    let mut containers = task
        .definitions(mesh)
        .and_then(|d| containers::containers(&d.value));
    if let Some(containers) = &mut containers {
        containers::read_commands(containers, sources);
    }
    let facts = containers.as_deref().unwrap_or_default();
    let running: Vec<&ServiceInstance> = services
        .get(call.name.as_str())
        .into_iter()
        .chain(services.get(UNRESOLVED))
        .flatten()
        .filter(|s| match (&s.target, &task.instance) {
            (Some(target), Some(instance)) => *target == instance.key,
            _ => true,
        })
        .collect();
    let load_balanced = load_balanced(&running);
    let mut clusters: Vec<ServiceCluster> = Vec::new();
    for service in &running {
        let cluster = clusters::of_service(module, service.resource, &service.eval);
        if !clusters.contains(&cluster) {
            clusters.push(cluster);
        }
    }
    TaskNetwork {
        call: task.call,
        name: task.name.clone(),
        call_span: call.block.span,
        call_name: call.name.clone(),
        upstreams_known: task.upstreams.is_some(),
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
            .flatten()
            .map(|u| UpstreamPort {
                span: u.span,
                destination: u
                    .destination
                    .as_ref()
                    .and_then(|d| d.as_str().map(|s| (s.to_string(), d.span))),
                local_bind_port: port_of(u.local_bind_port.as_ref()),
                remote: u.remote,
            })
            .collect(),
        transparent_proxy: mesh
            .call(task.call)
            .and_then(|c| transparent_proxy_everywhere(c, call, eval)),
        load_balanced: load_balanced.names,
        load_balancing_unknown: load_balanced.unknown,
        reserved_ports: reserved_ports(
            task,
            port_of(known("envoy_public_listener_port").as_ref()),
            port_of(known("envoy_readiness_port").as_ref()),
        ),
        listens: net_facts::task_listens(facts, sources),
        endpoints: net_facts::task_endpoints(facts, sources),
        mentioned_ports: containers.as_deref().and_then(net_facts::mentioned_ports),
        containers,
        clusters,
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

/// Containers the `load_balancer` blocks of the task's services target, `dynamic` blocks
/// expanded where their collection is known.
struct LoadBalanced {
    names: Vec<String>,
    unknown: bool,
}

fn load_balanced(services: &[&ServiceInstance]) -> LoadBalanced {
    let mut out = LoadBalanced {
        names: Vec::new(),
        unknown: false,
    };
    for service in services {
        let body = &service.resource.block.body;
        for block in body.blocks_named("load_balancer") {
            // A target that cannot be read may be any container.
            match block
                .body
                .attr("container_name")
                .map(|a| service.eval.eval(&a.value))
                .as_ref()
                .and_then(|v| v.as_str())
            {
                Some(name) => out.names.push(name.to_string()),
                None => out.unknown = true,
            }
        }
        for block in body
            .blocks_named("dynamic")
            .filter(|b| b.label(0) == Some("load_balancer"))
        {
            match dynamic_container_names(block, &service.eval) {
                Some(names) => out.names.extend(names),
                None => out.unknown = true,
            }
        }
    }
    out
}

/// `dynamic "load_balancer" { for_each = …  content { container_name = … } }`: the names,
/// or `None` when the collection or a name is not known.
fn dynamic_container_names(block: &crate::syntax::Block, eval: &Evaluator) -> Option<Vec<String>> {
    let collection = eval.eval(&block.body.attr("for_each")?.value);
    let iterator = block
        .body
        .attr("iterator")
        .and_then(|a| a.value.reference().and_then(|r| r.first().map(|s| s.to_string())))
        .unwrap_or_else(|| "load_balancer".to_string());
    let content = block.body.blocks_named("content").next()?;
    let name = &content.body.attr("container_name")?.value;
    let mut names = Vec::new();
    for (key, value) in eval.iterate(&collection)? {
        let element = eval.with_iterator(&iterator, key, value, |e| e.eval(name));
        names.push(element.as_str()?.to_string());
    }
    Some(names)
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

/// Names of everything reachable as a Consul service in this module: its workloads
/// ([`workload_names`]) and the names its Consul config entries give services (a
/// service-resolver that redirects `tea-customers` to a peer makes `tea-customers` a
/// destination).
pub fn service_names(module: &Module, mesh: &Mesh, networks: &[TaskNetwork]) -> Vec<String> {
    let eval = Evaluator::new(module);
    let mut names = workload_names(module, mesh, networks);
    for resource in module
        .resources
        .iter()
        .filter(|r| r.kind.starts_with("consul_config_entry"))
    {
        if let Some(name) = resource
            .attr("name")
            .and_then(|a| eval.eval(&a.value).as_str().map(str::to_string))
        {
            names.push(name);
        }
    }
    names
}

/// Names of the services that run in this module: mesh tasks, gateways, and plain task
/// definitions' families (which a terminating gateway may front).
pub fn workload_names(module: &Module, mesh: &Mesh, networks: &[TaskNetwork]) -> Vec<String> {
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
