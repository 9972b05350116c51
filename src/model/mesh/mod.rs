//! The service mesh as the configuration declares it: consul-ecs module calls with their
//! releases, mesh tasks, ECS services and plain task definitions.

pub mod clusters;
pub mod containers;
pub mod env_names;
pub mod net_facts;
pub mod routes;
pub mod task_network;

use crate::model::consul_ecs::git_ref::GitRef;
use crate::model::consul_ecs::releases::resolve;
pub use crate::model::consul_ecs::releases::{ReleaseBasis, Releases};
use crate::model::consul_ecs::schema::{self, ModuleSchemas};
use crate::model::consul_ecs::source_address::{self, ModuleKind};
use crate::model::consul_ecs::version::ReleaseSet;
use crate::model::terraform::eval::{Caller, Evaluator};
use crate::model::terraform::instances::{Instance, InstanceKey, Repetition};
use crate::model::terraform::value::{Origin, OriginKind, Value, ValueKind};
use crate::model::terraform::{Module, ModuleCall};
use crate::source::Span;
use crate::syntax::{Attribute, Expr, ExprKind};
use std::sync::Arc;

#[derive(Debug, Default)]
pub struct Mesh {
    /// Every call of a consul-ecs module, in declaration order.
    pub calls: Vec<ConsulEcsCall>,
    pub services: Vec<EcsService>,
    pub task_definitions: Vec<TaskDefinition>,
    /// The local callers the module was evaluated for (see `model::wrappers`); empty when
    /// it stands alone.
    pub callers: Vec<Arc<Caller>>,
}

#[derive(Debug)]
pub struct ConsulEcsCall {
    /// Index into [`Module::calls`].
    pub call: usize,
    pub kind: ModuleKind,
    /// The `?ref=` of a git source, and what it names.
    pub git_ref: Option<GitRef>,
    pub releases: Releases,
    /// `container_definitions` (mesh-task, gateway-task), evaluated for the call as a whole
    /// (`each.*` unknown); each mesh task has its instance's own.
    pub container_definitions: Option<ContainerDefinitions>,
    /// The call's `count` / `for_each`, expanded.
    pub repetition: Repetition,
}

/// One instance of a module call (or the call itself, when it does not repeat), with the
/// evaluator that knows its `each.*` / `count.index`.
pub struct CallScope<'m> {
    pub instance: Option<Instance>,
    /// `api`, `api[0]` or `api["product-api"]`: how findings name the instance.
    pub name: String,
    pub eval: Evaluator<'m>,
}

impl CallScope<'_> {
    /// How a finding at `span` names the call: `module.<name>` when the span lies in the
    /// `module` block (a literal every instance shares: one finding), else the instance.
    pub fn address_at(&self, span: Span, block: Span) -> String {
        if block.contains(span) {
            let base = self.name.split('[').next().unwrap_or(&self.name);
            match self.name.rsplit_once(".module.") {
                // A child evaluated for a caller: the child's own call, by its name.
                Some((_, own)) => format!("module.{}", own.split('[').next().unwrap_or(own)),
                None => format!("module.{base}"),
            }
        } else {
            self.address()
        }
    }

    /// The instance's address: `module.svc["worker"]`, `module.api.module.mesh`.
    pub fn address(&self) -> String {
        if self.name.starts_with("module.") {
            self.name.clone()
        } else {
            format!("module.{}", self.name)
        }
    }
}

/// The instances of a `count` / `for_each` block; one scope when it does not repeat, or when
/// its collection is unknown (then `each.*` / `count.index` evaluate to unknown).
pub fn scopes<'m>(
    module: &'m Module,
    caller: Option<&'m Caller>,
    name: &str,
    span: Span,
    repetition: &Repetition,
) -> Vec<CallScope<'m>> {
    // Evaluated for a caller, the call is named by its full address.
    let name = match caller {
        Some(caller) => format!("{}.module.{name}", caller.address),
        None => name.to_string(),
    };
    match repetition {
        Repetition::Single => vec![CallScope {
            instance: None,
            name,
            eval: Evaluator::new(module).with_caller(caller),
        }],
        Repetition::Unknown { meta, reason } => vec![CallScope {
            instance: None,
            name,
            eval: Evaluator::for_unknown_instances(module, meta, reason, span).with_caller(caller),
        }],
        Repetition::Instances(instances) => instances
            .iter()
            .map(|instance| CallScope {
                instance: Some(instance.clone()),
                name: format!("{name}{}", instance.key),
                eval: Evaluator::for_instance(module, instance, span).with_caller(caller),
            })
            .collect(),
    }
}

impl Mesh {
    /// The scopes a consul-ecs call is evaluated in: each of its instances, for each local
    /// caller of the module (or the module alone when nothing in the run calls it).
    pub fn scopes<'m>(&'m self, call: &ConsulEcsCall, module: &'m Module) -> Vec<CallScope<'m>> {
        let block = &module.calls[call.call];
        if self.callers.is_empty() {
            return scopes(module, None, &block.name, block.block.span, &call.repetition);
        }
        let mut out = Vec::new();
        for caller in &self.callers {
            let eval = Evaluator::new(module).with_caller(Some(caller));
            let repetition = Repetition::of(&block.block.body, &eval);
            out.extend(scopes(
                module,
                Some(caller),
                &block.name,
                block.block.span,
                &repetition,
            ));
        }
        out
    }
}

impl ConsulEcsCall {
    /// What the module accepts at each release.
    pub fn schemas(&self) -> &'static ModuleSchemas {
        schema::module(self.kind)
    }

    /// The releases the call may be using in which the module exists. Empty when the pinned
    /// version names no known release of the module: rules then stay silent.
    pub fn possible(&self) -> ReleaseSet {
        self.releases.set.intersect(self.schemas().lifetime())
    }
}

#[derive(Debug)]
pub struct MeshTask {
    /// Index into [`Module::calls`].
    pub call: usize,
    /// The instance of a `count` / `for_each` call this task is; `None` for a call that does
    /// not repeat, or whose instances are not known.
    pub instance: Option<Instance>,
    /// `api`, or `api["product-api"]` for an instance: how findings name the task.
    pub name: String,
    /// Set when the call repeats over a collection that is not known: (`count` or
    /// `for_each`, why it is not known).
    pub unknown_instances: Option<(&'static str, String)>,
    pub releases: Releases,
    /// This instance's own `container_definitions`, when they can differ from the call's as
    /// a whole (see [`MeshTask::definitions`]).
    pub container_definitions: Option<ContainerDefinitions>,
    /// The caller whose arguments the module was evaluated with, for a local child module
    /// evaluated per caller; `None` when the module stands alone.
    pub caller: Option<Arc<Caller>>,
    pub family: Option<Value>,
    pub port: Option<Value>,
    /// `None` when the call's upstreams are not known.
    pub upstreams: Option<Vec<Upstream>>,
    pub server_join: ServerJoin,
    /// `task_role_arn` (v0.1.x).
    pub task_role_arn: Option<Value>,
}

impl MeshTask {
    /// An evaluator for this task's call that knows the instance's `each.*` / `count.index`.
    pub fn evaluator<'m>(&'m self, module: &'m Module) -> Evaluator<'m> {
        let span = module.calls[self.call].block.span;
        let eval = match (&self.instance, &self.unknown_instances) {
            (Some(instance), _) => Evaluator::for_instance(module, instance, span),
            (None, Some((meta, reason))) => Evaluator::for_unknown_instances(module, meta, reason, span),
            (None, None) => Evaluator::new(module),
        };
        eval.with_caller(self.caller.as_deref())
    }

    /// The task's container definitions: its own, or those of its call as a whole.
    pub fn definitions<'a>(&'a self, mesh: &'a Mesh) -> Option<&'a ContainerDefinitions> {
        self.container_definitions
            .as_ref()
            .or_else(|| mesh.call(self.call)?.container_definitions.as_ref())
    }

    /// The `module.<name>` address prefix of the caller, if the task was evaluated for one.
    pub fn caller_address(&self) -> Option<&str> {
        self.caller.as_deref().map(|c| c.address.as_str())
    }
}

#[derive(Debug)]
pub struct ContainerDefinitions {
    /// The value as written in the call (`jsonencode(...)`, `[...]`, `local.defs`).
    pub span: Span,
    /// Present when the value is (or leads through locals to) a `jsonencode(...)` call.
    pub jsonencode: Option<JsonencodeCall>,
    /// The evaluated definitions; with `jsonencode`, the structure inside the call.
    pub value: Value,
}

#[derive(Debug)]
pub struct JsonencodeCall {
    /// The whole call, `jsonencode(` to `)`.
    pub call: Span,
    /// Its argument.
    pub argument: Span,
    /// The locals followed to reach the call; empty when it is written in the module call.
    pub through: Vec<Origin>,
}

#[derive(Debug)]
pub struct Upstream {
    pub span: Span,
    pub destination: Option<Value>,
    pub local_bind_port: Option<Value>,
    /// `destinationNamespace` / `destinationPartition` (v0.5.0+), when set.
    pub namespace: Option<Value>,
    pub partition: Option<Value>,
    /// The upstream names a service of another datacenter or cluster peer (`datacenter`,
    /// `destinationPeer`), or that may be one (the key's value is not known).
    pub remote: bool,
}

#[derive(Debug, Default)]
pub struct ServerJoin {
    pub consul_server_service_name: Option<Value>,
    pub retry_join: Option<Value>,
    pub consul_server_hosts: Option<Value>,
}

#[derive(Debug)]
pub struct EcsService {
    /// Index into [`Module::resources`].
    pub resource: usize,
    pub task_definition: Option<TaskDefinitionRef>,
}

#[derive(Debug)]
pub struct TaskDefinitionRef {
    /// The `task_definition` value.
    pub span: Span,
    /// Name of the `aws_ecs_task_definition` the value refers to, if it refers to one.
    pub target: Option<String>,
    /// Name of the module call whose `task_definition_arn` output the value refers to.
    pub module_output: Option<String>,
    /// How the reference picks an instance of that call: `module.svc[0]…`, `module.task[each.key]…`.
    pub module_index: Option<ModuleIndex>,
}

/// The index written after `module.<name>` in a reference.
#[derive(Debug, Clone)]
pub enum ModuleIndex {
    /// A literal key or number: `module.svc[0]`, `module.task["api"]`.
    Literal(InstanceKey),
    /// An expression evaluated per instance of the referring block, such as `each.key`.
    Expr(Expr),
}

#[derive(Debug)]
pub struct TaskDefinition {
    /// Index into [`Module::resources`].
    pub resource: usize,
    pub family: Option<Value>,
    /// Tagged `"consul.hashicorp.com/mesh" = "false"`: deliberately outside the mesh.
    pub outside_mesh: bool,
}

impl Mesh {
    /// The module's consul-ecs calls, ECS services and task definitions, and the mesh tasks it
    /// declares (in call order), which the module model turns into one record each.
    pub fn build(module: &Module) -> (Mesh, Vec<MeshTask>) {
        Mesh::build_for_callers(module, &[])
    }

    /// As [`Mesh::build`]; with callers, the mesh tasks are those of every caller instance,
    /// evaluated with its arguments and named by their full address (`module.api.module.mesh`).
    pub fn build_for_callers(module: &Module, callers: &[Arc<Caller>]) -> (Mesh, Vec<MeshTask>) {
        let (mut mesh, mut tasks) = Mesh::build_one(module, None);
        if callers.is_empty() {
            return (mesh, tasks);
        }
        mesh.callers = callers.to_vec();
        tasks.clear();
        for caller in callers {
            tasks.extend(Mesh::build_one(module, Some(caller)).1);
        }
        (mesh, tasks)
    }

    fn build_one(module: &Module, caller: Option<&Arc<Caller>>) -> (Mesh, Vec<MeshTask>) {
        let eval = Evaluator::new(module).with_caller(caller.map(|c| &**c));
        let mut mesh = Mesh::default();
        let mut tasks = Vec::new();
        for (index, call) in module.calls.iter().enumerate() {
            let Some((source, source_span)) = call.source() else {
                continue;
            };
            let Some(address) = source_address::parse(source) else {
                continue;
            };
            let git_ref = address.git_ref.as_ref().map(|(text, range)| {
                // The source string's span includes its opening quote.
                let span = Span::new(
                    source_span.file,
                    source_span.start() + 1 + range.start,
                    source_span.start() + 1 + range.end,
                );
                GitRef::new(text, span, schema::module(address.kind).lifetime())
            });
            let releases = resolve(call, address.kind, git_ref.as_ref(), &eval);
            let repetition = Repetition::of(&call.block.body, &eval);
            let whole_call_eval = match &repetition {
                Repetition::Single => Evaluator::new(module).with_caller(caller.map(|c| &**c)),
                Repetition::Unknown { meta, reason } => {
                    Evaluator::for_unknown_instances(module, meta, reason, call.block.span)
                        .with_caller(caller.map(|c| &**c))
                }
                Repetition::Instances(_) => Evaluator::for_unknown_instances(
                    module,
                    if call.attr("count").is_some() {
                        "count"
                    } else {
                        "for_each"
                    },
                    "`each.*` / `count.index` differ by instance",
                    call.block.span,
                )
                .with_caller(caller.map(|c| &**c)),
            };
            // A task evaluates its own definitions only when they can differ from the call's
            // as a whole (an instance's each.*, a caller's arguments); else it shares them.
            let own_definitions = caller.is_some() || matches!(repetition, Repetition::Instances(_));
            if address.kind == ModuleKind::MeshTask {
                for scope in scopes(
                    module,
                    caller.map(|c| &**c),
                    &call.name,
                    call.block.span,
                    &repetition,
                ) {
                    let mut task = mesh_task(index, call, releases.clone(), &scope.eval);
                    if own_definitions {
                        task.container_definitions = call
                            .attr("container_definitions")
                            .map(|a| container_definitions(a, module, &scope.eval));
                    }
                    task.caller = caller.cloned();
                    task.name = scope.name;
                    task.instance = scope.instance;
                    if let Repetition::Unknown { meta, reason } = &repetition {
                        task.unknown_instances = Some((meta, reason.clone()));
                    }
                    tasks.push(task);
                }
            }
            mesh.calls.push(ConsulEcsCall {
                call: index,
                kind: address.kind,
                git_ref,
                releases,
                container_definitions: call
                    .attr("container_definitions")
                    .map(|a| container_definitions(a, module, &whole_call_eval)),
                repetition,
            });
        }
        for (index, resource) in module.resources_of("aws_ecs_service") {
            mesh.services.push(EcsService {
                resource: index,
                task_definition: resource.attr("task_definition").map(task_definition_ref),
            });
        }
        for (index, resource) in module.resources_of("aws_ecs_task_definition") {
            let tags = resource.attr("tags").map(|t| eval.eval(&t.value));
            let outside_mesh = tags
                .as_ref()
                .and_then(|t| t.get("consul.hashicorp.com/mesh"))
                .and_then(|v| v.to_template_string())
                .is_some_and(|v| v == "false");
            mesh.task_definitions.push(TaskDefinition {
                resource: index,
                family: resource.attr("family").map(|f| eval.eval(&f.value)),
                outside_mesh,
            });
        }
        (mesh, tasks)
    }

    /// `calls` are in the order of the module's calls, so this is a binary search.
    pub fn call(&self, call: usize) -> Option<&ConsulEcsCall> {
        let at = self.calls.binary_search_by_key(&call, |c| c.call).ok()?;
        self.calls.get(at)
    }

    pub fn task_definition_named<'a>(&'a self, module: &Module, name: &str) -> Option<&'a TaskDefinition> {
        self.task_definitions
            .iter()
            .find(|d| module.resources[d.resource].name == name)
    }
}

fn mesh_task(index: usize, call: &ModuleCall, releases: Releases, eval: &Evaluator) -> MeshTask {
    let value = |key: &str| call.attr(key).map(|a| eval.eval(&a.value));
    MeshTask {
        call: index,
        instance: None,
        name: call.name.clone(),
        unknown_instances: None,
        caller: None,
        container_definitions: None,
        releases,
        family: value("family"),
        port: value("port"),
        upstreams: upstreams(call, eval),
        server_join: ServerJoin {
            consul_server_service_name: value("consul_server_service_name"),
            retry_join: value("retry_join"),
            consul_server_hosts: value("consul_server_hosts"),
        },
        task_role_arn: value("task_role_arn"),
    }
}

fn container_definitions(attr: &Attribute, module: &Module, eval: &Evaluator) -> ContainerDefinitions {
    let (through, target) = follow_locals(&attr.value, module);
    let jsonencode = target
        .as_call("jsonencode")
        .filter(|c| c.args.len() == 1)
        .map(|c| JsonencodeCall {
            call: target.span,
            argument: c.args[0].span,
            through,
        });
    let value = match target.as_call("jsonencode") {
        Some(c) if c.args.len() == 1 => eval.eval(&c.args[0]),
        _ => eval.eval(&attr.value),
    };
    ContainerDefinitions {
        span: attr.value.span,
        jsonencode,
        value,
    }
}

/// Follows `local.x` references syntactically, so a rule can see what a local is written as.
pub fn follow_locals<'m>(expr: &'m Expr, module: &'m Module) -> (Vec<Origin>, &'m Expr) {
    let mut origins = Vec::new();
    let mut current = expr;
    for _ in 0..16 {
        match current.reference().as_deref() {
            Some(["local", name]) => match module.locals.get(*name) {
                Some(local) => {
                    origins.push(Origin {
                        span: local.value.span,
                        what: format!("local `{name}`"),
                        kind: OriginKind::Local,
                    });
                    current = &local.value;
                }
                None => break,
            },
            _ => break,
        }
    }
    (origins, current)
}

/// The call's upstreams: `None` when the list is not known (a variable without a value, an
/// unknown function): never read as "no upstreams". Written as a list literal, each entry
/// keeps its own span; from a variable or local, entries span where they were written.
fn upstreams(call: &ModuleCall, eval: &Evaluator) -> Option<Vec<Upstream>> {
    let Some(attr) = call.attr("upstreams") else {
        return Some(Vec::new());
    };
    let value = eval.eval(&attr.value);
    let items = match &value.kind {
        ValueKind::List(items) => items,
        ValueKind::Null => return Some(Vec::new()),
        _ => return None,
    };
    Some(
        items
            .iter()
            .map(|item| {
                let field = |snake: &str, camel: &str| item.get(snake).or_else(|| item.get(camel)).cloned();
                let set = |v: &Value| !matches!(v.kind, ValueKind::Null) && v.as_str() != Some("");
                let remote = [
                    ("datacenter", "datacenter"),
                    ("destination_peer", "destinationPeer"),
                ]
                .iter()
                .any(|(snake, camel)| field(snake, camel).is_some_and(|v| set(&v)));
                Upstream {
                    span: item.span,
                    destination: field("destination_name", "destinationName"),
                    local_bind_port: field("local_bind_port", "localBindPort"),
                    namespace: field("destination_namespace", "destinationNamespace"),
                    partition: field("destination_partition", "destinationPartition"),
                    remote,
                }
            })
            .collect(),
    )
}

fn task_definition_ref(attr: &Attribute) -> TaskDefinitionRef {
    let mut target = None;
    let mut module_output = None;
    let mut module_index = None;
    attr.value.walk(&mut |e| {
        if let Some((name, index)) = module_output_ref(e, "task_definition_arn") {
            if module_output.is_none() {
                module_output = Some(name.to_string());
                module_index = index;
            }
            return;
        }
        if let Some(["aws_ecs_task_definition", name, ..]) = e.reference().as_deref() {
            if target.is_none() {
                target = Some(name.to_string());
            }
        }
    });
    TaskDefinitionRef {
        span: attr.value.span,
        target,
        module_output,
        module_index,
    }
}

/// `module.<name>.<output>` or `module.<name>[<index>].<output>`: the call's name and the index.
pub fn module_output_ref<'e>(expr: &'e Expr, output: &str) -> Option<(&'e str, Option<ModuleIndex>)> {
    let expr = match &expr.kind {
        ExprKind::Parenthesis(inner) => inner,
        _ => expr,
    };
    let ExprKind::Traversal(t) = &expr.kind else {
        return None;
    };
    if !matches!(&t.base.kind, ExprKind::Variable(root) if root == "module") {
        return None;
    }
    use crate::syntax::TraversalOp;
    match t.ops.as_slice() {
        [TraversalOp::Attr(name, _), TraversalOp::Attr(out, _)] if out == output => Some((name, None)),
        [TraversalOp::Attr(name, _), TraversalOp::Index(index), TraversalOp::Attr(out, _)]
            if out == output =>
        {
            let literal = match &index.kind {
                ExprKind::Number(n) if *n >= 0.0 && n.fract() == 0.0 => Some(InstanceKey::Index(*n as usize)),
                ExprKind::String(s) => Some(InstanceKey::Key(s.to_string())),
                _ => None,
            };
            Some((
                name,
                Some(literal.map_or_else(|| ModuleIndex::Expr(index.clone()), ModuleIndex::Literal)),
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
