//! The service mesh as the configuration declares it: consul-ecs module calls with their
//! releases, mesh tasks, ECS services and plain task definitions.

pub mod containers;
pub mod net_facts;
pub mod routes;
pub mod task_network;

use crate::model::consul_ecs::releases::resolve;
pub use crate::model::consul_ecs::releases::{ReleaseBasis, Releases};
use crate::model::consul_ecs::schema::{self, ModuleSchemas};
use crate::model::consul_ecs::source_address::{self, ModuleKind};
use crate::model::consul_ecs::version::ReleaseSet;
use crate::model::terraform::eval::Evaluator;
use crate::model::terraform::value::{Origin, OriginKind, Value};
use crate::model::terraform::{Module, ModuleCall};
use crate::source::Span;
use crate::syntax::{Attribute, Expr, ExprKind};

#[derive(Debug, Default)]
pub struct Mesh {
    /// Every call of a consul-ecs module, in declaration order.
    pub calls: Vec<ConsulEcsCall>,
    pub services: Vec<EcsService>,
    pub task_definitions: Vec<TaskDefinition>,
}

#[derive(Debug)]
pub struct ConsulEcsCall {
    /// Index into [`Module::calls`].
    pub call: usize,
    pub kind: ModuleKind,
    pub releases: Releases,
    /// `container_definitions` (mesh-task, gateway-task).
    pub container_definitions: Option<ContainerDefinitions>,
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
    pub releases: Releases,
    pub family: Option<Value>,
    pub port: Option<Value>,
    pub upstreams: Vec<Upstream>,
    pub server_join: ServerJoin,
    /// `task_role_arn` (v0.1.x).
    pub task_role_arn: Option<Value>,
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
        let eval = Evaluator::new(module);
        let mut mesh = Mesh::default();
        let mut tasks = Vec::new();
        for (index, call) in module.calls.iter().enumerate() {
            let Some((source, source_span)) = call.source() else {
                continue;
            };
            let Some(address) = source_address::parse(source) else {
                continue;
            };
            let releases = resolve(call, &address, source_span, &eval);
            if address.kind == ModuleKind::MeshTask {
                tasks.push(mesh_task(index, call, releases.clone(), &eval));
            }
            mesh.calls.push(ConsulEcsCall {
                call: index,
                kind: address.kind,
                releases,
                container_definitions: call
                    .attr("container_definitions")
                    .map(|a| container_definitions(a, module, &eval)),
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

fn upstreams(call: &ModuleCall, eval: &Evaluator) -> Vec<Upstream> {
    let Some(attr) = call.attr("upstreams") else {
        return Vec::new();
    };
    let ExprKind::Array(items) = &attr.value.kind else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| {
            let field = |snake: &str, camel: &str| {
                item.object_item(snake)
                    .or_else(|| item.object_item(camel))
                    .map(|i| eval.eval(&i.value))
            };
            Upstream {
                span: item.span,
                destination: field("destination_name", "destinationName"),
                local_bind_port: field("local_bind_port", "localBindPort"),
            }
        })
        .collect()
}

fn task_definition_ref(attr: &Attribute) -> TaskDefinitionRef {
    let mut target = None;
    let mut module_output = None;
    attr.value.walk(&mut |e| match e.reference().as_deref() {
        Some(["aws_ecs_task_definition", name, ..]) if target.is_none() => {
            target = Some(name.to_string());
        }
        Some(["module", name, "task_definition_arn"]) if module_output.is_none() => {
            module_output = Some(name.to_string());
        }
        _ => {}
    });
    TaskDefinitionRef {
        span: attr.value.span,
        target,
        module_output,
    }
}

#[cfg(test)]
mod tests;
