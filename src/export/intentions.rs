//! The model document's Consul config entries (per module) and call edges with Consul's
//! verdict on each (for the whole project): what policies need to require, for example, that
//! every edge is allowed by an exact intention.

use super::values::Spans;
use crate::model::call_graph::{EntryIndex, Via};
use crate::model::config_entries::decision::{ServiceRef, Verdict};
use crate::model::config_entries::{ConfigEntry, Form, Name};
use crate::model::Project;
use serde_json::{json, Value as Json};

fn name(name: &Name, spans: &Spans) -> Json {
    match name.known() {
        Some(value) => json!({ "value": value, "span": spans.span(name.span) }),
        None => {
            json!({ "unknown": "not known before apply, or not evaluated", "span": spans.span(name.span) })
        }
    }
}

pub fn entry(entry: &ConfigEntry, spans: &Spans) -> Json {
    let sources: Vec<Json> = entry
        .sources
        .iter()
        .map(|source| {
            json!({
                "name": name(&source.name, spans),
                "namespace": source.namespace,
                "partition": source.partition,
                "remote": source.remote,
                "action": source.action.as_ref().map(|a| name(a, spans)),
                "permissions": source.permissions.iter().map(|p| json!({
                    "action": p.action.as_ref().map(|a| name(a, spans)),
                    "http": p.http.is_some(),
                    "span": spans.span(p.span),
                })).collect::<Vec<_>>(),
                "permissions_known": source.permissions_known,
                "span": spans.span(source.span),
            })
        })
        .collect();
    json!({
        "address": entry.address,
        "form": match entry.form {
            Form::Json => "config_json",
            Form::Typed => "typed",
            Form::Legacy => "consul_intention",
        },
        "kind": entry.kind.as_ref().map(|k| k.as_str()),
        "name": name(&entry.name, spans),
        "namespace": entry.namespace,
        "partition": entry.partition,
        "sources": sources,
        "sources_known": entry.sources_known,
        "protocol": entry.protocol.as_ref().map(|p| name(p, spans)),
        "span": spans.span(entry.header),
    })
}

fn service(service: &ServiceRef) -> Json {
    json!({ "name": service.name, "namespace": service.namespace, "partition": service.partition })
}

/// Every call edge of the project with the verdict of its root configuration's intentions.
pub fn call_edges(project: &Project, spans: &Spans) -> Vec<Json> {
    let index = EntryIndex::new(project);
    project
        .call_edges()
        .iter()
        .map(|edge| {
            let (decision, by) = match index.verdict(edge) {
                Verdict::Allowed(m) => ("allowed", Some(m)),
                Verdict::Denied(m) => ("denied", Some(m)),
                Verdict::AllowedForSome(m) => ("allowed-for-some", Some(m)),
                Verdict::NoIntention => ("no-intention", None),
                Verdict::Unknown => ("unknown", None),
            };
            json!({
                "module": usize::from(edge.module),
                "task": usize::from(edge.task),
                "task_name": edge.task_name,
                "source": service(&edge.source),
                "destination": service(&edge.destination),
                "via": match edge.via {
                    Via::Upstream => "upstream",
                    Via::VirtualUrl => "virtual-url",
                },
                "decision": decision,
                "decided_by": by.map(|m| json!({
                    "entry": m.entry.address,
                    "source": m.source.name.known(),
                    "precedence": m.precedence,
                    "span": spans.span(m.source.span),
                })),
                "span": spans.span(edge.span),
            })
        })
        .collect()
}
