//! The service mesh as the configuration declares it: consul-ecs module calls with their
//! releases, mesh tasks, ECS services and plain task definitions.

use super::eval::Evaluator;
use super::source_address::{self, ModuleKind};
use super::terraform::{Module, ModuleCall};
use super::value::{Origin, OriginKind, Value};
use super::version::{Constraint, ReleaseSet, Version};
use crate::source::Span;
use crate::syntax::{Attribute, Expr, ExprKind};

#[derive(Debug, Default)]
pub struct Mesh {
    /// Every call of a consul-ecs module, in declaration order.
    pub calls: Vec<ConsulEcsCall>,
    pub tasks: Vec<MeshTask>,
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
    /// From `?ref=` in a git source.
    GitRef(Span),
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
}

#[derive(Debug)]
pub struct TaskDefinition {
    /// Index into [`Module::resources`].
    pub resource: usize,
    pub family: Option<Value>,
    /// Tagged `"consul.hashicorp.com/mesh" = "false"`: deliberately outside the mesh.
    pub outside_mesh: bool,
}

/// Inputs that only some mesh-task releases accept, used to infer an unpinned release.
fn mesh_task_input_releases(input: &str) -> Option<ReleaseSet> {
    Some(match input {
        "consul_server_service_name" | "task_role_arn" | "execution_role_arn" => {
            ReleaseSet::range("0.1.0", "0.1.1")
        }
        "retry_join" => ReleaseSet::range("0.1.0", "0.6.2"),
        "requires_compatibilities" | "additional_task_role_policies" | "tls" | "acls" => {
            ReleaseSet::from("0.2.0-beta1")
        }
        "consul_service_name" => ReleaseSet::from("0.2.0"),
        "task_role" | "execution_role" | "consul_ecs_config" => ReleaseSet::from("0.3.0"),
        "consul_server_hosts" | "http_config" | "grpc_config" | "skip_server_watch" => {
            ReleaseSet::from("0.7.0-rc1")
        }
        "enable_transparent_proxy" | "enable_consul_dns" => ReleaseSet::from("0.8.0-rc1"),
        "consul_image" | "envoy_image" => ReleaseSet::range("0.1.0", "0.6.2"),
        _ => return None,
    })
}

/// Upstream key styles: `destination_name` up to v0.2.x, `destinationName` from v0.3.0.
fn upstream_key_releases(key: &str) -> Option<ReleaseSet> {
    match key {
        "destination_name" | "local_bind_port" => Some(ReleaseSet::range("0.1.0", "0.2.0")),
        "destinationName" | "localBindPort" => Some(ReleaseSet::from("0.3.0")),
        _ => None,
    }
}

impl Mesh {
    pub fn build(module: &Module) -> Mesh {
        let eval = Evaluator::new(module);
        let mut mesh = Mesh::default();
        for (index, call) in module.calls.iter().enumerate() {
            let Some((source, source_span)) = call.source() else {
                continue;
            };
            let Some(address) = source_address::parse(source) else {
                continue;
            };
            let releases = releases(call, &address, source_span, &eval);
            if address.kind == ModuleKind::MeshTask {
                mesh.tasks.push(mesh_task(index, call, releases.clone(), &eval));
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
        mesh
    }

    pub fn call(&self, call: usize) -> Option<&ConsulEcsCall> {
        self.calls.iter().find(|c| c.call == call)
    }

    /// The mesh task whose family a plain task definition shares, unless the definition is
    /// tagged as deliberately outside the mesh. Unknown families match nothing.
    pub fn task_replacing(&self, definition: &TaskDefinition) -> Option<&MeshTask> {
        if definition.outside_mesh {
            return None;
        }
        let family = definition.family.as_ref()?.as_str()?;
        self.tasks
            .iter()
            .find(|t| t.family.as_ref().and_then(Value::as_str) == Some(family))
    }

    pub fn task_definition_named<'a>(&'a self, module: &Module, name: &str) -> Option<&'a TaskDefinition> {
        self.task_definitions
            .iter()
            .find(|d| module.resources[d.resource].name == name)
    }
}

fn releases(
    call: &ModuleCall,
    address: &source_address::SourceAddress,
    source_span: Span,
    eval: &Evaluator,
) -> Releases {
    if let Some(version) = call.attr("version") {
        let value = eval.eval(&version.value);
        if let Some(constraint) = value.as_str().and_then(Constraint::parse) {
            return Releases {
                set: constraint.releases(),
                basis: ReleaseBasis::Pinned(version.value.span),
            };
        }
    }
    if let Some((git_ref, range)) = &address.git_ref {
        let span = Span::new(
            source_span.file,
            source_span.start + 1 + range.start,
            source_span.start + 1 + range.end,
        );
        let set = match Version::parse(git_ref) {
            Some(v) => ReleaseSet::matching(|r| *r == v),
            // A branch or commit: any release.
            None => ReleaseSet::all(),
        };
        return Releases {
            set,
            basis: ReleaseBasis::GitRef(span),
        };
    }
    if address.kind == ModuleKind::MeshTask {
        return inferred_mesh_task_releases(call);
    }
    Releases {
        set: ReleaseSet::all(),
        basis: ReleaseBasis::Unknown,
    }
}

fn inferred_mesh_task_releases(call: &ModuleCall) -> Releases {
    let mut set = ReleaseSet::all();
    let mut used = Vec::new();
    // Every input that only some releases accept is evidence, and is named in the note.
    let mut narrow = |name: &str, releases: ReleaseSet| {
        set = set.intersect(releases);
        if releases != ReleaseSet::all() && !used.iter().any(|u| u == name) {
            used.push(name.to_string());
        }
    };
    for input in call.inputs() {
        if let Some(releases) = mesh_task_input_releases(&input.key) {
            narrow(&input.key, releases);
        }
    }
    if let Some(upstreams) = call.attr("upstreams") {
        if let ExprKind::Array(items) = &upstreams.value.kind {
            for item in items {
                if let ExprKind::Object(fields) = &item.kind {
                    for key in fields.iter().filter_map(|f| f.key_name()) {
                        if let Some(releases) = upstream_key_releases(key) {
                            narrow(&format!("upstreams.{key}"), releases);
                        }
                    }
                }
            }
        }
    }
    if set.is_empty() || used.is_empty() {
        // Contradictory or no telling inputs: any release.
        return Releases {
            set: ReleaseSet::all(),
            basis: ReleaseBasis::Unknown,
        };
    }
    Releases {
        set,
        basis: ReleaseBasis::Inferred(used),
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
    attr.value.walk(&mut |e| {
        if target.is_none() {
            if let Some(["aws_ecs_task_definition", name, ..]) = e.reference().as_deref() {
                target = Some(name.to_string());
            }
        }
    });
    TaskDefinitionRef {
        span: attr.value.span,
        target,
    }
}
