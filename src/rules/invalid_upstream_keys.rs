use crate::model::consul_ecs::schema::{Check, ModuleSchemas, Schema};
use crate::model::consul_ecs::version::ReleaseSet;
use crate::model::mesh::follow_locals;
use crate::rule::prelude::*;
use crate::suggest;
use crate::syntax::{ExprKind, ObjectItem};

pub struct InvalidUpstreamKeys;

/// Whether `schema` rejects `key` in an upstream object that has `present` keys. A typed
/// object (v0.1–v0.2.x) silently drops keys it does not declare, so there only a key that
/// stands for a declared key left out (`destinationName` for `destination_name`) is wrong.
fn rejects(schema: &Schema, key: &str, present: &[&str]) -> bool {
    let Some(input) = schema.input("upstreams") else {
        return false;
    };
    let Some(keys) = input.keys.as_deref() else {
        return false;
    };
    if keys.iter().any(|k| k == key) {
        return false;
    }
    if !input.is_typed_object() {
        return true;
    }
    keys.iter()
        .any(|k| suggest::same_identifier(k, key) && !present.contains(&k.as_str()))
}

/// The keys every upstream must have at this release.
fn required_keys(schema: &Schema) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    if let Some(keys) = schema.input("upstreams").and_then(|i| i.required_keys.as_deref()) {
        out.extend(keys.iter().map(String::as_str));
    }
    for check in &schema.checks {
        if let Check::KeysRequired { input, keys, .. } = check {
            if input == "upstreams" {
                out.extend(keys.iter().map(String::as_str));
            }
        }
    }
    out
}

/// The keys every release of `possible` allows.
fn allowed_everywhere(schemas: &ModuleSchemas, possible: ReleaseSet) -> Vec<&str> {
    let Some(first) = schemas.overlapping(possible).next() else {
        return Vec::new();
    };
    first
        .allowed_keys("upstreams")
        .unwrap_or_default()
        .iter()
        .map(String::as_str)
        .filter(|k| {
            schemas.all_of(possible, |s| {
                s.allowed_keys("upstreams")
                    .is_some_and(|keys| keys.iter().any(|x| x == k))
            })
        })
        .collect()
}

impl Rule for InvalidUpstreamKeys {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for task in model.tasks.iter().map(|t| &t.declared) {
                let Some(call) = model.mesh.call(task.call) else {
                    continue;
                };
                let possible = call.possible();
                let module_call = &model.module.calls[task.call];
                let Some(attr) = module_call.attr("upstreams") else {
                    continue;
                };
                if possible.is_empty() {
                    continue;
                }
                let schemas = call.schemas();
                let allowed = allowed_everywhere(schemas, possible);
                let (_, target) = follow_locals(&attr.value, &model.module);
                let ExprKind::Array(items) = &target.kind else {
                    continue;
                };
                for item in items {
                    let ExprKind::Object(fields) = &item.kind else {
                        continue;
                    };
                    let mut ctx = Upstream {
                        report: &mut *report,
                        name: &module_call.name,
                        releases: possible.describe(),
                        note: call.releases.note(),
                        sources: &project.sources,
                    };
                    let present: Vec<&str> = fields.iter().filter_map(ObjectItem::key_name).collect();
                    let mut reported = Vec::new();
                    for field in fields {
                        let Some(key) = field.key_name() else { continue };
                        if schemas.all_of(possible, |s| rejects(s, key, &present)) {
                            ctx.wrong_key(field, key, &allowed, &present);
                            reported.push(key);
                        }
                    }
                    // Keys left out, unless a misspelt one was just reported for them.
                    let computed_keys = fields.iter().any(|f| f.key_name().is_none());
                    if computed_keys {
                        continue;
                    }
                    let Some(first) = schemas.overlapping(possible).next() else {
                        continue;
                    };
                    for required in required_keys(first) {
                        let everywhere = schemas.all_of(possible, |s| required_keys(s).contains(&required));
                        let stands_in = reported.iter().any(|k| suggest::same_identifier(k, required));
                        if everywhere && !present.contains(&required) && !stands_in {
                            ctx.missing_key(item.span, required);
                        }
                    }
                }
            }
        }
    }
}

struct Upstream<'r, 'a, 'n> {
    report: &'r mut Reporter<'a>,
    name: &'n str,
    releases: String,
    note: Option<String>,
    sources: &'n crate::source::SourceMap,
}

impl Upstream<'_, '_, '_> {
    fn wrong_key(&mut self, field: &ObjectItem, key: &str, allowed: &[&str], present: &[&str]) {
        let same = allowed.iter().find(|k| suggest::same_identifier(k, key)).copied();
        let message = match same {
            Some(right) => format!(
                "upstream key `{key}` of mesh-task `{}` is spelled `{right}` in {}",
                self.name, self.releases
            ),
            None => format!(
                "mesh-task `{}` ({}) does not allow the upstream key `{key}`",
                self.name, self.releases
            ),
        };
        let diagnostic = self.report.report(field.key_span, message);
        diagnostic.note_opt(self.note.clone());
        match same {
            Some(right) if !present.contains(&right) => {
                diagnostic.note(
                    "upstream keys are snake_case up to v0.2.x (`destination_name`) and camelCase from v0.3.0 (`destinationName`)",
                );
                let edit = crate::edit::layout::rename_key(self.sources, field.key_span, right);
                diagnostic.help(format!("write `{right}`")).fix(Fix::new(
                    Applicability::Safe,
                    format!("rename `{key}` to `{right}`"),
                    vec![edit],
                ));
            }
            Some(right) => {
                diagnostic.help(format!("remove `{key}`: `{right}` is already set"));
            }
            None => {
                diagnostic.note(format!("allowed keys: {}", code_list(allowed)));
                match suggest::closest_identifier(key, allowed) {
                    Some(near) => diagnostic.help(format!("did you mean `{near}`?")),
                    None => diagnostic.help(format!("remove `{key}`")),
                };
            }
        }
    }

    fn missing_key(&mut self, span: Span, key: &str) {
        self.report
            .report(
                span,
                format!("an upstream of mesh-task `{}` has no `{key}`", self.name),
            )
            .note(format!(
                "mesh-task {} requires `{key}` in every upstream",
                self.releases
            ))
            .note_opt(self.note.clone())
            .help(format!("add `{key}` to the upstream"));
    }
}

fn code_list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
