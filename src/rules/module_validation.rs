use crate::model::consul_ecs::validation::{self, CallInputs, Failure};
use crate::rule::prelude::*;
use std::collections::BTreeMap;

pub struct ModuleValidation;

impl Rule for ModuleValidation {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for call in &model.mesh.calls {
                // Each instance of a repeated call, for each local caller of the module.
                for scope in model.mesh.scopes(call, &model.module) {
                    let eval = &scope.eval;
                    let module_call = &model.module.calls[call.call];
                    let inputs = CallInputs {
                        call: module_call,
                        module: &model.module,
                        eval,
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
                            Some(input) => {
                                format!(
                                    "`{input}` of `{}` {}",
                                    scope.address_at(failure.span, module_call.block.span),
                                    failure.what
                                )
                            }
                            None => format!(
                                "`{}` {}",
                                scope.address_at(failure.span, module_call.block.span),
                                failure.what
                            ),
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
}
