use crate::model::consul_ecs::schema::{Container, Schema};
use crate::model::terraform::eval::Evaluator;
use crate::model::terraform::value::ValueKind;
use crate::model::terraform::ModuleCall;
use crate::rule::prelude::*;

pub struct SidecarNameCollision;

/// Whether the release adds `container` for this call: `Some(true)` when it always does or its
/// condition holds, `None` when the condition cannot be decided.
fn added(container: &Container, schema: &Schema, call: &ModuleCall, eval: &Evaluator) -> Option<bool> {
    let Some(when) = &container.when else {
        return Some(true);
    };
    let mut result = Some(false);
    for part in when.split(" || ") {
        match condition(part.trim(), schema, call, eval) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => result = None,
        }
    }
    result
}

/// One disjunct of a container condition: a bool input, or `input != ""`.
fn condition(text: &str, schema: &Schema, call: &ModuleCall, eval: &Evaluator) -> Option<bool> {
    let (name, test_empty) = match text.strip_suffix(" != \"\"") {
        Some(name) => (name, true),
        None => (text, false),
    };
    if !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return None;
    }
    let input = schema.input(name)?;
    let value = call.attr(name).map(|a| eval.eval(&a.value));
    match (value.map(|v| v.kind), test_empty) {
        (None, true) => Some(!input.default_is_empty()),
        (None, false) => input.default_bool(),
        (Some(ValueKind::String(s)), true) => Some(!s.is_empty()),
        (Some(ValueKind::Null), true) => Some(false),
        (Some(ValueKind::Bool(b)), false) => Some(b),
        _ => None,
    }
}

impl Rule for SidecarNameCollision {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            let eval = Evaluator::new(&model.module);
            for call in &model.mesh.calls {
                let Some(definitions) = &call.container_definitions else {
                    continue;
                };
                let Some(containers) = definitions.value.as_list() else {
                    continue;
                };
                let possible = call.possible();
                let module_call = &model.module.calls[call.call];
                let schemas = call.schemas();
                for container in containers {
                    let Some(name) = container.get("name") else {
                        continue;
                    };
                    let Some(text) = name.as_str() else { continue };
                    let collides = schemas.all_of(possible, |s| {
                        s.containers
                            .iter()
                            .any(|c| c.name == text && added(c, s, module_call, &eval) == Some(true))
                    });
                    if !collides {
                        continue;
                    }
                    report
                        .report(
                            name.span,
                            format!(
                                "container `{text}` of `module.{}` has the name of a container {} {} adds to the task",
                                module_call.name,
                                call.kind,
                                possible.describe()
                            ),
                        )
                        .origin_labels(&name.origins)
                        .note("ECS requires container names to be unique within a task definition, and the module refers to its own containers by name")
                        .note_opt(call.releases.note())
                        .help(format!("rename the application container, e.g. to the service's own name instead of `{text}`"));
                }
            }
        }
    }
}
