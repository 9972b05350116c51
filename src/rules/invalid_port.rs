use crate::model::consul_ecs::schema::Check;
use crate::model::terraform::value::{format_number, Value, ValueKind};
use crate::rule::prelude::*;

pub struct InvalidPort;

/// What a known `port` value is, as Terraform converts it to the module's `number`.
enum Port {
    Number(f64),
    NotANumber(String),
}

fn port_of(value: &Value) -> Option<Port> {
    match &value.kind {
        ValueKind::Number(n) => Some(Port::Number(*n)),
        ValueKind::String(s) => Some(match s.trim().parse::<f64>() {
            Ok(n) => Port::Number(n),
            Err(_) => Port::NotANumber(format!("\"{s}\"")),
        }),
        ValueKind::Bool(b) => Some(Port::NotANumber(b.to_string())),
        ValueKind::List(_) | ValueKind::Object(_) => Some(Port::NotANumber("a collection".into())),
        ValueKind::Null | ValueKind::Unknown(_) | ValueKind::Error(_) => None,
    }
}

/// `outbound_only` as Terraform reads it: absent means the default, `false`.
fn outbound_only(value: Option<&Value>) -> Option<bool> {
    let Some(value) = value else { return Some(false) };
    match &value.kind {
        ValueKind::Bool(b) => Some(*b),
        ValueKind::String(s) if s == "true" => Some(true),
        ValueKind::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

impl Rule for InvalidPort {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for task in model.tasks.iter().map(|t| &t.declared) {
                let eval = task.evaluator(&model.module);
                let Some(call) = model.mesh.call(task.call) else {
                    continue;
                };
                let possible = call.possible();
                let module_call = &model.module.calls[task.call];
                let schemas = call.schemas();
                // The module's own check, in every release the call may use.
                let Some(message) = schemas.overlapping(possible).last().and_then(|s| {
                    s.checks.iter().find_map(|c| match c {
                        Check::RequiresNonzeroUnless { input, message, .. } if input == "port" => {
                            Some(message.clone())
                        }
                        _ => None,
                    })
                }) else {
                    continue;
                };
                let checked_everywhere = schemas.all_of(possible, |s| {
                    s.checks
                        .iter()
                        .any(|c| matches!(c, Check::RequiresNonzeroUnless { input, .. } if input == "port"))
                });
                let outbound = outbound_only(
                    module_call
                        .attr("outbound_only")
                        .map(|a| eval.eval(&a.value))
                        .as_ref(),
                );
                let name = &task.name;
                // Reported where the call sets it; labels say where the value came from.
                let at = module_call.attr("port").map(|a| a.value.span);
                match (&task.port, task.port.as_ref().and_then(port_of)) {
                    (Some(value), Some(Port::NotANumber(text))) => {
                        report
                            .report(
                                at.unwrap_or(value.span),
                                format!("`port` of mesh-task `{name}` is {text}, not a port number"),
                            )
                            .origin_labels(&value.origins)
                            .help("set `port` to the number the application listens on, 1–65535");
                    }
                    (Some(value), Some(Port::Number(n)))
                        if n != 0.0 && (n.fract() != 0.0 || !(1.0..=65535.0).contains(&n)) =>
                    {
                        report
                            .report(
                                at.unwrap_or(value.span),
                                format!(
                                    "`port` of mesh-task `{name}` is {}, not a whole number in 1–65535",
                                    format_number(n)
                                ),
                            )
                            .origin_labels(&value.origins)
                            .help("set `port` to the number the application listens on, 1–65535");
                    }
                    (Some(value), Some(Port::Number(n)))
                        if n == 0.0 && checked_everywhere && outbound == Some(false) =>
                    {
                        report
                            .report(at.unwrap_or(value.span), format!("`port` of mesh-task `{name}` is 0, and the task is not `outbound_only`"))
                            .origin_labels(&value.origins)
                            .note(format!("terraform plan stops with the module's message: {message}"))
                            .note_opt(call.releases.note())
                            .help("set `port` to the port the application listens on, or `outbound_only = true` if it takes no requests");
                    }
                    (None, _)
                        if checked_everywhere && outbound == Some(false) && module_call.block.complete =>
                    {
                        report
                            .report(
                                module_call.block.header_span(),
                                format!("mesh-task `{name}` sets no `port` and is not `outbound_only`"),
                            )
                            .note(format!("terraform plan stops with the module's message: {message}"))
                            .note_opt(call.releases.note())
                            .help("set `port` to the port the application listens on, or `outbound_only = true` if it takes no requests");
                    }
                    _ => {}
                }
            }
        }
    }
}
