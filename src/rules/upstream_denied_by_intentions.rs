use crate::model::call_graph::{EntryIndex, Via};
use crate::model::config_entries::decision::{Match, Verdict};
use crate::model::config_entries::ConfigEntry;
use crate::rule::prelude::*;
use std::collections::HashSet;

pub struct UpstreamDeniedByIntentions;

impl Rule for UpstreamDeniedByIntentions {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        // Most projects write no config entries: no call graph to build.
        if project.config_entries().next().is_none() {
            return;
        }
        let index = EntryIndex::new(project);
        // An upstream written once for every instance of a `for_each` is reported once per
        // pair of services.
        let mut seen = HashSet::new();
        for edge in project.call_edges() {
            // Only a project that writes intentions has a say; and a deny is never guessed
            // from a default that lives on the servers.
            if !index.manages_intentions(edge.root) {
                continue;
            }
            let Verdict::Denied(by) = index.verdict(&edge) else {
                continue;
            };
            let (Some(from), Some(to)) = (edge.source.name.as_deref(), edge.destination.name.as_deref())
            else {
                continue;
            };
            if !seen.insert((edge.span, from.to_string(), to.to_string())) {
                continue;
            }
            let message = match edge.via {
                Via::Upstream => format!(
                    "upstream `{to}` of mesh-task `{}` is denied by the intentions: `{from}` may not call `{to}`",
                    edge.task_name
                ),
                Via::VirtualUrl => format!(
                    "`{from}` calls `{to}` through its virtual address, which the intentions deny"
                ),
            };
            let diagnostic = report.report(edge.span, message);
            diagnostic.label(deciding_span(&by), deciding_text(&by, from, to));
            if let Some((span, text)) = near_miss(index.of_root(edge.root), from, to) {
                diagnostic.label(span, text);
            }
            diagnostic
                .note("Consul lets a call through only when the most precise matching intention allows it; at equal precision a deny wins")
                .help(format!(
                    "allow it: a source `{from}` with `action = \"allow\"` in the service-intentions of `{to}`"
                ));
        }
    }
}

fn deciding_span(by: &Match) -> Span {
    by.source
        .action
        .as_ref()
        .map_or(by.source.span, |action| action.span)
}

fn deciding_text(by: &Match, from: &str, to: &str) -> String {
    let source = by.source.name.known().unwrap_or("?");
    let destination = by.entry.name.known().unwrap_or("?");
    match (source, destination) {
        (s, d) if s == from && d == to => format!("this intention denies `{from}` → `{to}`"),
        ("*", "*") => "the deny-all `*` → `*` decides it: no more precise intention matches".to_string(),
        _ => format!("`{source}` → `{destination}` denies it, and no more precise intention matches"),
    }
}

/// An allow that was probably meant for this call: written for a name one typo away from
/// either end ("an allow names `order-api`; did you mean `orders-api`?"), or for a cluster
/// peer's service of the same name.
fn near_miss(entries: &[&ConfigEntry], from: &str, to: &str) -> Option<(Span, String)> {
    for entry in entries.iter().filter(|e| e.is_intentions()) {
        let Some(destination) = entry.name.known() else {
            continue;
        };
        for source in &entry.sources {
            let allows = source.allows();
            let Some(name) = source.name.known() else {
                continue;
            };
            if !allows {
                continue;
            }
            // Consul matches a peer's source only for calls from that peer.
            if let Some(remote) = &source.remote {
                if destination == to && name == from {
                    return Some((
                        source.name.span,
                        format!("this allow is for `{from}` of {remote}, not for this datacenter's `{from}`"),
                    ));
                }
                continue;
            }
            if destination == to && name != from && crate::suggest::closest(name, [from]).is_some() {
                return Some((
                    source.name.span,
                    format!("an allow for `{to}` names `{name}`; did you mean `{from}`?"),
                ));
            }
            if name == from && destination != to && crate::suggest::closest(destination, [to]).is_some() {
                return Some((
                    entry.name.span,
                    format!("an allow from `{from}` names `{destination}`; did you mean `{to}`?"),
                ));
            }
        }
    }
    None
}
