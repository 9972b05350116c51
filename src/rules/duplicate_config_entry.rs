use crate::model::config_entries::{ConfigEntry, Form};
use crate::rule::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

pub struct DuplicateConfigEntry;

impl Rule for DuplicateConfigEntry {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        for model in &ctx.project.modules {
            // Entries of one module evaluated for one caller (or alone) apply together; the
            // same module evaluated for two callers may be two deployments.
            let mut groups: BTreeMap<(usize, String, &str, &str, &str), Vec<&ConfigEntry>> = BTreeMap::new();
            for entry in &model.config_entries {
                // Consul merges legacy intentions into the destination's entry.
                if entry.form == Form::Legacy {
                    continue;
                }
                let (Some(kind), Some(name), Some(namespace), Some(partition)) = (
                    &entry.kind,
                    entry.name.known(),
                    entry.namespace.as_deref(),
                    entry.partition.as_deref(),
                ) else {
                    continue;
                };
                let caller = entry.caller.as_ref().map_or(0, |c| Arc::as_ptr(c) as usize);
                groups
                    .entry((caller, kind.as_str().to_string(), name, namespace, partition))
                    .or_default()
                    .push(entry);
            }
            for ((_, kind, name, namespace, partition), entries) in groups {
                let [first, rest @ ..] = entries.as_slice() else {
                    continue;
                };
                let Some(second) = rest.first() else {
                    continue;
                };
                let mut writers: Vec<String> = entries.iter().map(|e| e.address.clone()).collect();
                writers.dedup();
                let scope = match (namespace, partition) {
                    ("default", "default") => String::new(),
                    _ => format!(" (namespace `{namespace}`, partition `{partition}`)"),
                };
                // The name when it is written in the resource itself and not shared with the
                // first writer; else the resource (a `for_each` map's values live elsewhere).
                let block = model.module.resources[second.resource].block.span;
                let at = if second.name.span != first.name.span && block.contains(second.name.span) {
                    second.name.span
                } else {
                    second.header
                };
                report
                    .report(
                        at,
                        format!(
                            "{kind} entry `{name}`{scope} is written by {}",
                            code_list(&writers.iter().map(String::as_str).collect::<Vec<_>>(), "and")
                        ),
                    )
                    .label(first.name.span, format!("`{}` writes it here", first.address))
                    .label(second.name.span, format!("`{}` writes it here", second.address))
                    .note("Consul keeps one entry per kind, name, namespace and partition: each apply overwrites what the other wrote, and the last one wins")
                    .help("write the entry once, merging what both say (for intentions, one entry holds every source)");
            }
        }
    }
}
