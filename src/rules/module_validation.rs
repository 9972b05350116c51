use crate::model::consul_ecs::validation::{self, CallInputs, Failure};
use crate::model::terraform::eval::Evaluator;
use crate::rule::prelude::*;
use std::collections::BTreeMap;

pub struct ModuleValidation;

impl Rule for ModuleValidation {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            let eval = Evaluator::new(&model.module);
            for call in &model.mesh.calls {
                let module_call = &model.module.calls[call.call];
                let inputs = CallInputs {
                    call: module_call,
                    module: &model.module,
                    eval: &eval,
                };
                // A failure is reported when every release the call may use fails it; the
                // message of the newest such release is quoted.
                let schemas: Vec<_> = call.schemas().overlapping(call.possible()).collect();
                let mut failed: BTreeMap<String, (usize, Failure)> = BTreeMap::new();
                for schema in &schemas {
                    let mut seen = Vec::new();
                    for check in &schema.checks {
                        for failure in validation::evaluate(check, schema, &inputs) {
                            if seen.contains(&failure.id) {
                                continue;
                            }
                            seen.push(failure.id.clone());
                            let entry = failed.entry(failure.id.clone()).or_insert((0, failure.clone()));
                            entry.0 += 1;
                            entry.1 = failure;
                        }
                    }
                }
                for (count, failure) in failed.into_values() {
                    if count != schemas.len() {
                        continue;
                    }
                    let message = match &failure.subject {
                        Some(input) => format!("`{input}` of `module.{}` {}", module_call.name, failure.what),
                        None => format!("`module.{}` {}", module_call.name, failure.what),
                    };
                    report
                        .report(failure.span, message)
                        .origin_labels(&failure.origins)
                        .note(format!(
                            "{} {} stops the plan with: {}",
                            call.kind,
                            call.possible().describe(),
                            failure.module_message
                        ))
                        .note_opt(call.releases.note())
                        .help(failure.help);
                }
            }
        }
    }
}
