//! Reading each resource form into [`ConfigEntry`] values, one per resource instance and per
//! local caller of the module.

use super::fields::{block_object, field};
use super::{ConfigEntry, EntryKind, Form, Name, Permission, Source};
use crate::model::mesh::{follow_locals, scopes};
use crate::model::terraform::eval::{Caller, Evaluator};
use crate::model::terraform::instances::Repetition;
use crate::model::terraform::value::{Value, ValueKind};
use crate::model::terraform::{Module, Resource};
use crate::source::Span;
use std::sync::Arc;

const RESOURCE_TYPES: [&str; 4] = [
    "consul_config_entry",
    "consul_config_entry_service_intentions",
    "consul_config_entry_service_defaults",
    "consul_intention",
];

/// Every config entry the module writes, for each of its callers (or alone when it has none).
pub fn read(module: &Module, callers: &[Arc<Caller>]) -> Vec<ConfigEntry> {
    let mut entries = Vec::new();
    for (index, resource) in module.resources.iter().enumerate() {
        if !RESOURCE_TYPES.contains(&resource.kind.as_str()) {
            continue;
        }
        let contexts: Vec<Option<&Arc<Caller>>> = match callers.is_empty() {
            true => vec![None],
            false => callers.iter().map(Some).collect(),
        };
        for caller in contexts {
            let base = Evaluator::new(module).with_caller(caller.map(|c| &**c));
            let repetition = Repetition::of(&resource.block.body, &base);
            for scope in scopes(
                module,
                caller.map(|c| &**c),
                &resource.name,
                resource.block.span,
                &repetition,
            ) {
                let key = scope
                    .instance
                    .as_ref()
                    .map(|i| i.key.to_string())
                    .unwrap_or_default();
                let address = match caller {
                    Some(caller) => format!("{}.{}.{}{key}", caller.address, resource.kind, resource.name),
                    None => format!("{}.{}{key}", resource.kind, resource.name),
                };
                let mut entry = entry(module, resource, index, address, &scope.eval);
                entry.caller = caller.cloned();
                entries.push(entry);
            }
        }
    }
    entries
}

fn entry(
    module: &Module,
    resource: &Resource,
    index: usize,
    address: String,
    eval: &Evaluator,
) -> ConfigEntry {
    let header = resource.block.header_span();
    let attr = |key: &str| resource.attr(key).map(|a| eval.eval(&a.value));
    let mut entry = ConfigEntry {
        resource: index,
        address,
        header,
        form: Form::Typed,
        kind: None,
        name: name_of(attr("name").as_ref(), header),
        namespace: scope_of(attr("namespace").as_ref()),
        partition: scope_of(attr("partition").as_ref()),
        sources: Vec::new(),
        sources_known: true,
        protocol: None,
        caller: None,
    };
    match resource.kind.as_str() {
        "consul_config_entry" => {
            entry.form = Form::Json;
            entry.kind = attr("kind").and_then(|k| k.as_str().map(EntryKind::of));
            let config = resource.attr("config_json").map(|a| config_json(a, module, eval));
            read_config(&mut entry, config.as_ref());
        }
        "consul_config_entry_service_intentions" => {
            entry.kind = Some(EntryKind::ServiceIntentions);
            let object = block_object(&resource.block, eval);
            read_config(&mut entry, Some(&object));
        }
        "consul_config_entry_service_defaults" => {
            entry.kind = Some(EntryKind::ServiceDefaults);
            let object = block_object(&resource.block, eval);
            read_config(&mut entry, Some(&object));
        }
        _ => {
            // `consul_intention`: one source, the destination as the entry's name.
            entry.form = Form::Legacy;
            entry.kind = Some(EntryKind::ServiceIntentions);
            entry.name = name_of(attr("destination_name").as_ref(), header);
            entry.namespace = scope_of(attr("destination_namespace").as_ref());
            let source = Source {
                span: resource.block.span,
                name: name_of(attr("source_name").as_ref(), header),
                namespace: scope_of(attr("source_namespace").as_ref()),
                partition: Some("default".to_string()),
                remote: None,
                action: attr("action").map(|a| name_of(Some(&a), header)),
                permissions: Vec::new(),
                permissions_known: true,
            };
            entry.sources.push(source);
        }
    }
    entry
}

/// The entry's body: `jsonencode(x)` read as `x` (with the spans of its literals), a JSON
/// string (a heredoc) parsed, with every part at the string's span.
fn config_json(attr: &crate::syntax::Attribute, module: &Module, eval: &Evaluator) -> Value {
    let (_, expr) = follow_locals(&attr.value, module);
    if let Some(call) = expr.as_call("jsonencode") {
        if let [argument] = call.args.as_slice() {
            return eval.eval(argument);
        }
    }
    let value = eval.eval(&attr.value);
    match value.as_str() {
        Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) => Value::from_json(&json, value.span),
            Err(_) => Value::unknown("`config_json` is not JSON", value.span),
        },
        None => value,
    }
}

/// Sources, protocol: what the kind keeps in its body.
fn read_config(entry: &mut ConfigEntry, config: Option<&Value>) {
    let Some(config) = config else {
        return;
    };
    if !config.is_known() {
        entry.sources_known = false;
        if matches!(
            entry.kind,
            Some(EntryKind::ServiceDefaults | EntryKind::ProxyDefaults)
        ) {
            entry.protocol = Some(name_of(Some(config), entry.header));
        }
        return;
    }
    match entry.kind {
        Some(EntryKind::ServiceIntentions) => match field(config, "sources") {
            None => {}
            Some(sources) => match &sources.kind {
                ValueKind::List(items) => {
                    for item in items {
                        match source(item, entry.header) {
                            Some(source) => entry.sources.push(source),
                            None => entry.sources_known = false,
                        }
                    }
                }
                ValueKind::Null => {}
                _ => entry.sources_known = false,
            },
        },
        Some(EntryKind::ServiceDefaults) => {
            entry.protocol = field(config, "protocol").map(|p| name_of(Some(p), entry.header));
        }
        Some(EntryKind::ProxyDefaults) => {
            entry.protocol = match field(config, "config") {
                Some(inner) if inner.is_known() => {
                    field(inner, "protocol").map(|p| name_of(Some(p), entry.header))
                }
                Some(inner) => Some(name_of(Some(inner), entry.header)),
                None => None,
            };
        }
        _ => {}
    }
}

/// One source object; `None` when it is not known.
fn source(item: &Value, header: Span) -> Option<Source> {
    if !matches!(item.kind, ValueKind::Object(_)) {
        return None;
    }
    let text = |key: &str| field(item, key).filter(|v| !matches!(v.kind, ValueKind::Null));
    let remote = ["peer", "sameness_group"].iter().find_map(|key| {
        let value = text(key)?;
        match value.as_str() {
            Some("") => None,
            Some(name) => Some(format!("{} `{name}`", key.replace('_', " "))),
            None => Some(format!("a {} not known", key.replace('_', " "))),
        }
    });
    let mut permissions = Vec::new();
    let mut permissions_known = true;
    match text("permissions").map(|p| &p.kind) {
        None => {}
        Some(ValueKind::List(items)) => {
            for permission in items {
                if !matches!(permission.kind, ValueKind::Object(_)) {
                    permissions_known = false;
                    continue;
                }
                permissions.push(Permission {
                    span: permission.span,
                    action: field(permission, "action").map(|a| name_of(Some(a), header)),
                    http: field(permission, "http").map(|h| match &h.kind {
                        ValueKind::List(items) => items.first().map_or(h.span, |i| i.span),
                        _ => h.span,
                    }),
                });
            }
        }
        Some(_) => permissions_known = false,
    }
    Some(Source {
        span: item.span,
        name: name_of(text("name"), header),
        namespace: scope_of(text("namespace")),
        partition: scope_of(text("partition")),
        remote,
        action: text("action").map(|a| name_of(Some(a), header)),
        permissions,
        permissions_known,
    })
}

/// A name: known when the value is a known string.
fn name_of(value: Option<&Value>, fallback: Span) -> Name {
    match value {
        Some(value) => Name {
            value: value.as_str().map(str::to_string),
            span: value.span,
            origins: value.origins.clone(),
        },
        None => Name {
            value: None,
            span: fallback,
            origins: Vec::new(),
        },
    }
}

/// A namespace or partition: `default` when not set (or empty), `None` when not known.
fn scope_of(value: Option<&Value>) -> Option<String> {
    scope_or(value, Some("default"))
}

/// A namespace or partition: `default` when not set (or empty), `None` when not known.
pub fn scope_or(value: Option<&Value>, default: Option<&str>) -> Option<String> {
    match value.map(|v| &v.kind) {
        None | Some(ValueKind::Null) => default.map(str::to_string),
        Some(ValueKind::String(s)) if s.is_empty() => default.map(str::to_string),
        Some(ValueKind::String(s)) => Some(s.clone()),
        Some(_) => None,
    }
}
