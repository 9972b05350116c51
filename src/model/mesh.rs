//! The service mesh as the configuration declares it: consul-ecs module calls with their
//! releases, mesh tasks, ECS services and plain task definitions.

use super::eval::Evaluator;
use super::schema::{self, ModuleSchemas};
use super::source_address::{self, ModuleKind};
use super::terraform::{Module, ModuleCall};
use super::value::{Origin, Value};
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
    inferred_releases(address.kind, call)
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
        if !used.contains(&input.key) {
            used.push(input.key.clone());
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
#[path = "mesh_tests.rs"]
mod tests;
