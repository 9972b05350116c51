//! `meshlint model --format json`: the evaluated project as one documented, versioned JSON
//! document (schema: `schema/model-v1.json`; docs: `docs/model.md`). It is what policies
//! read as `input`, and what the language server's hover shows.
//!
//! Everything comes from the model the rules see; nothing here evaluates anything. Order is
//! the model's (modules by folder, calls and resources in file order, tasks in call order),
//! so the same project gives byte-identical output.

mod intentions;
mod values;

use crate::model::mesh::net_facts::{Binding, Endpoint, ListenSite};
use crate::model::mesh::task_network::TaskNetwork;
use crate::model::roles::task_role::{RoleCheck, RoleTarget};
use crate::model::{AppFile, ModuleModel, Project, TaskModel};
use crate::report::Report;
use serde_json::{json, Map, Value as Json};
use values::Spans;

/// Bumped on any change that is not an added field.
pub const MODEL_VERSION: u32 = 1;

/// The document as compact JSON, one module at a time: the model of a large tree would take
/// gigabytes as one value tree. `jq .` shows it indented.
pub fn render(report: &Report) -> String {
    let project = &report.project;
    let spans = Spans::new(&project.sources);
    // The head without its closing brace, then the two arrays written item by item.
    let head = serde_json::to_string(&document_head(project, &spans)).unwrap_or_default();
    let mut out = head.strip_suffix('}').unwrap_or(&head).to_string();
    out.push_str(r#","modules":["#);
    push_items(&mut out, project.modules.iter().map(|m| module(m, &spans)));
    out.push_str(r#"],"apps":["#);
    push_items(&mut out, project.apps.iter().map(|a| app(project, a, &spans)));
    out.push_str("]}\n");
    out
}

fn push_items(out: &mut String, items: impl Iterator<Item = Json>) {
    for (index, item) in items.enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(&item).unwrap_or_default());
    }
}

/// What the document says about the project as a whole: its version, and the call edges
/// with Consul's verdict on each (they cross modules).
fn document_head(project: &Project, spans: &Spans) -> Json {
    json!({
        "model_version": MODEL_VERSION,
        "tool": { "name": "meshlint", "version": env!("CARGO_PKG_VERSION") },
        "call_edges": intentions::call_edges(project, spans),
    })
}

/// The whole document as one value.
pub fn document(project: &Project) -> Json {
    let (mut document, modules, apps) = parts(project, |part| part);
    document["modules"] = Json::Array(modules);
    document["apps"] = Json::Array(apps);
    document
}

/// The document in parts, each module and app made and turned into `T` by `convert` in
/// parallel: the head (without `modules` and `apps`), the modules, the apps. Policies read
/// the document as regorus values; converting part by part keeps only one part's JSON alive
/// per thread.
pub fn parts<T: Send>(project: &Project, convert: impl Fn(Json) -> T + Sync) -> (Json, Vec<T>, Vec<T>) {
    use rayon::prelude::*;
    let spans = Spans::new(&project.sources);
    let modules: Vec<&ModuleModel> = project.modules.iter().collect();
    let modules = modules
        .into_par_iter()
        .map(|m| convert(module(m, &spans)))
        .collect();
    let apps = project
        .apps
        .par_iter()
        .map(|a| convert(app(project, a, &spans)))
        .collect();
    (document_head(project, &spans), modules, apps)
}

fn module(model: &ModuleModel, spans: &Spans) -> Json {
    let module = &model.module;
    // Values written at module level: no instance's `each.*` (those stay unknown).
    let evaluator = crate::model::terraform::eval::Evaluator::new(module);
    let calls: Vec<Json> = module
        .calls
        .iter()
        .enumerate()
        .map(|(index, call)| {
            let consul_ecs = model.mesh.calls.iter().find(|c| c.call == index);
            // mesh-task inputs are per task (below); the dev server's, gateways' and
            // controllers' inputs are the call's.
            let inputs = consul_ecs
                .filter(|c| c.kind.name() != "mesh-task")
                .map(|_| inputs(&call.block.body, &evaluator, spans));
            json!({
                "name": call.name,
                "source": call.source().map(|(source, _)| source),
                "consul_ecs_module": consul_ecs.map(|c| c.kind.name()),
                "releases": consul_ecs.map(|c| c.releases.set.iter().collect::<Vec<_>>()),
                "inputs": inputs,
                "span": spans.span(call.block.span),
            })
        })
        .collect();
    let services: Vec<Json> = model
        .mesh
        .services
        .iter()
        .filter_map(|service| {
            let resource = module.resources.get(service.resource)?;
            Some(json!({
                "address": resource.address(),
                "task_definition": service.task_definition.as_ref().map(|t| json!({
                    "aws_ecs_task_definition": t.target,
                    "module": t.module_output,
                    "span": spans.span(t.span),
                })),
                "load_balancers": resource
                    .block
                    .body
                    .blocks_named("load_balancer")
                    .map(|block| {
                        let mut object = inputs(&block.body, &evaluator, spans);
                        object.insert("span".to_string(), spans.span(block.span));
                        Json::Object(object)
                    })
                    .collect::<Vec<_>>(),
                "span": spans.span(resource.block.span),
            }))
        })
        .collect();
    json!({
        "dir": module.dir,
        "files": module.files.iter().map(|f| spans.path(*f)).collect::<Vec<_>>(),
        "calls": calls,
        "mesh_tasks": model.tasks.iter().map(|t| task(model, t, spans)).collect::<Vec<_>>(),
        "ecs_services": services,
        "iam_roles": model.roles.iter().map(|r| role(model, r, spans)).collect::<Vec<_>>(),
        "service_names": model.service_names,
        "config_entries": model
            .config_entries
            .iter()
            .map(|e| intentions::entry(e, spans))
            .collect::<Vec<_>>(),
    })
}

/// Every attribute of a body, evaluated.
fn inputs(
    body: &crate::syntax::Body,
    evaluator: &crate::model::terraform::eval::Evaluator,
    spans: &Spans,
) -> Map<String, Json> {
    body.attributes
        .iter()
        .map(|attribute| {
            (
                attribute.key.to_string(),
                spans.value(&evaluator.eval(&attribute.value)),
            )
        })
        .collect()
}

fn task(model: &ModuleModel, task: &TaskModel, spans: &Spans) -> Json {
    let declared = &task.declared;
    let network = &task.network;
    let call = &model.module.calls[declared.call];
    let evaluator = declared.evaluator(&model.module);
    let mut inputs = Map::new();
    for attribute in &call.block.body.attributes {
        let value = evaluator.eval(&attribute.value);
        inputs.insert(attribute.key.to_string(), spans.value(&value));
    }
    let instance = declared.instance.as_ref().map(|i| match &i.key {
        crate::model::terraform::instances::InstanceKey::Index(n) => json!(n),
        crate::model::terraform::instances::InstanceKey::Key(k) => json!(k),
    });
    json!({
        "name": declared.name,
        "call": call.name,
        "instance": instance,
        "releases": declared.releases.set.iter().collect::<Vec<_>>(),
        "service_name": network.service_name,
        "port": network.port.map(|(port, _)| port),
        "transparent_proxy": network.transparent_proxy,
        "inputs": inputs,
        "upstreams_known": network.upstreams_known,
        "upstreams": network.upstreams.iter().map(|u| json!({
            "destination": u.destination.as_ref().map(|(name, _)| name),
            "local_bind_port": u.local_bind_port.map(|(port, _)| port),
            "remote": u.remote,
            "span": spans.span(u.span),
        })).collect::<Vec<_>>(),
        "containers": containers(network, spans),
        "load_balanced_containers": network.load_balanced,
        "listeners": network.listens.iter().map(|l| listener(l, spans)).collect::<Vec<_>>(),
        "endpoints": network.endpoints.iter().map(|e| endpoint(e, spans)).collect::<Vec<_>>(),
        "clusters": network.clusters.iter().map(|c| json!({
            "service": c.service,
            "cluster": c.name,
        })).collect::<Vec<_>>(),
        "task_role": task.role.and_then(|id| model.roles.get(id)).map(|r| role_name(model, r)),
        "span": spans.span(call.block.span),
    })
}

fn containers(network: &TaskNetwork, spans: &Spans) -> Json {
    let Some(containers) = &network.containers else {
        return Json::Null;
    };
    containers
        .iter()
        .map(|c| {
            let environment: Map<String, Json> = c
                .environment
                .iter()
                .map(|e| (e.name.clone(), spans.value(&e.value)))
                .collect();
            json!({
                "name": c.name,
                "environment": environment,
                "environment_complete": !c.has_unknown_environment,
                "secrets": c.secret_names,
                "arguments": c.arguments.iter().map(|a| spans.value(a)).collect::<Vec<_>>(),
                "container_ports": c.container_ports.iter().map(|(p, _)| p).collect::<Vec<_>>(),
                "image": c.image.as_ref().map(|v| spans.value(v)),
                "essential": c.essential.as_ref().map(|v| spans.value(v)),
                "health_check": c.health_check.as_ref().map(|v| spans.value(v)),
                "log_configuration": c.log_configuration.as_ref().map(|v| spans.value(v)),
                "span": spans.span(c.span),
            })
        })
        .collect()
}

fn listener(site: &ListenSite, spans: &Spans) -> Json {
    let binding = match site.binding {
        Binding::AllInterfaces(_) => "all-interfaces",
        Binding::DefaultAllInterfaces => "default-all-interfaces",
        Binding::Other => "other",
    };
    json!({
        "api": site.api,
        "binding": binding,
        "env_fallback": site.env_fallback,
        "span": spans.span(site.span),
    })
}

fn endpoint(endpoint: &Endpoint, spans: &Spans) -> Json {
    json!({
        "url": endpoint.text.get(endpoint.url.range.clone()).unwrap_or(""),
        "host": endpoint.host(),
        "host_class": values::host_class(&endpoint.url.host_class),
        "port": endpoint.port(),
        "env_fallback": endpoint.env_fallback,
        "span": spans.span(endpoint.span.unwrap_or(endpoint.value_span)),
    })
}

fn role_name(model: &ModuleModel, role: &RoleCheck) -> Json {
    match role.target {
        RoleTarget::Defined(index) => json!(model.module.resources.get(index).map(|r| r.address())),
        RoleTarget::Undefined(_) => Json::Null,
    }
}

fn role(model: &ModuleModel, role: &RoleCheck, spans: &Spans) -> Json {
    let (address, undefined) = match &role.target {
        RoleTarget::Defined(index) => (model.module.resources.get(*index).map(|r| r.address()), None),
        RoleTarget::Undefined(why) => (None, Some(why.as_str())),
    };
    let need = match role.need {
        crate::model::roles::task_role::Need::EcsDiscovery => "ecs-discovery",
        crate::model::roles::task_role::Need::ConsulAuth => "consul-iam-auth",
    };
    json!({
        "address": address,
        "not_in_module": undefined,
        "need": need,
        "used_by": role.users.iter().map(|(call, span)| json!({
            "call": model.module.calls.get(*call).map(|c| c.name.as_str()),
            "span": spans.span(*span),
        })).collect::<Vec<_>>(),
        "requirements": role.results.iter().map(|r| json!({
            "requirement": r.description,
            "outcome": values::outcome(&r.outcome),
        })).collect::<Vec<_>>(),
    })
}

fn app(project: &Project, app: &AppFile, spans: &Spans) -> Json {
    let task = project
        .task_of_app(app)
        .map(|(model, task)| json!({ "module": model.module.dir, "task": task.declared.name }));
    json!({
        "file": spans.path(app.file),
        "kind": values::source_kind(app.kind),
        "task": task,
        "in_mesh": app.in_mesh(),
        "listeners": app.listens.iter().map(|l| listener(l, spans)).collect::<Vec<_>>(),
        "endpoints": app.endpoints.iter().map(|e| endpoint(e, spans)).collect::<Vec<_>>(),
    })
}
