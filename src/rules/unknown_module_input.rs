use crate::model::consul_ecs::schema::ModuleSchemas;
use crate::model::consul_ecs::version::ReleaseSet;
use crate::model::mesh::ConsulEcsCall;
use crate::rule::prelude::*;
use crate::rule::Diagnostic;
use crate::suggest;
use crate::syntax::Attribute;

pub struct UnknownModuleInput;

impl Rule for UnknownModuleInput {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for call in &model.mesh.calls {
                let possible = call.possible();
                if possible.is_empty() {
                    continue;
                }
                let module_call = &model.module.calls[call.call];
                let schemas = call.schemas();
                for input in module_call.inputs() {
                    // Only the possible releases' schemas are looked at for inputs that are
                    // fine (nearly all of them); the full set is needed for the message.
                    if schemas.overlapping(possible).any(|s| s.accepts(&input.key)) {
                        continue;
                    }
                    let accepting = schemas.accepting(&input.key);
                    let which = if accepting.is_empty() {
                        format!("no {} release accepts", call.kind)
                    } else {
                        format!("{} {} does not accept", call.kind, possible.describe())
                    };
                    let diagnostic = report.report(
                        input.key_span,
                        format!(
                            "`module.{}` passes `{}`, which {which}",
                            module_call.name, input.key
                        ),
                    );
                    if !accepting.is_empty() {
                        diagnostic.note(format!(
                            "{} accepts `{}` in {} only",
                            call.kind,
                            input.key,
                            accepting.describe()
                        ));
                    }
                    diagnostic.note_opt(call.releases.note());
                    let already_set = |name: &str| module_call.attr(name).is_some();
                    if !explain_rename(diagnostic, call, schemas, possible, &input.key) {
                        suggest_near_miss(
                            diagnostic,
                            call,
                            schemas,
                            possible,
                            input,
                            already_set,
                            &project.sources,
                        );
                    }
                }
            }
        }
    }
}

/// Help for an input that a release removed or renamed; false when it was never renamed.
fn explain_rename(
    diagnostic: &mut Diagnostic,
    call: &ConsulEcsCall,
    schemas: &ModuleSchemas,
    possible: ReleaseSet,
    key: &str,
) -> bool {
    let Some(renamed) = schemas.renamed(key) else {
        return false;
    };
    diagnostic.note(format!("since v{}: {}", renamed.since, renamed.note));
    if renamed.to.is_empty() {
        diagnostic.help(format!(
            "remove `{key}`: {} v{} dropped it without a replacement",
            call.kind, renamed.since
        ));
        return true;
    }
    let to = &renamed.to;
    if schemas.all_of(possible, |s| s.accepts(to)) {
        // Passing an existing role also needs the module told not to create one.
        let create = format!("create_{to}");
        let with_create = to.ends_with("_role") && schemas.all_of(possible, |s| s.accepts(&create));
        let extra = if with_create {
            format!(" together with `{create} = false`")
        } else {
            String::new()
        };
        diagnostic.help(format!(
            "use `{to}`{extra} instead ({} dropped `{key}` in v{})",
            call.kind, renamed.since
        ));
    } else {
        let later = schemas.accepting(to).minus(possible);
        let from = later.oldest().map_or(String::new(), |r| format!(" (from v{r})"));
        diagnostic.help(format!(
            "remove `{key}`: {} v{} dropped it, and `{to}`{from} is not an input of {} either",
            call.kind,
            renamed.since,
            possible.describe()
        ));
    }
    true
}

/// "Did you mean" among the inputs every possible release accepts, with a fix renaming the key
/// when the suggested input is not already set.
fn suggest_near_miss(
    diagnostic: &mut Diagnostic,
    call: &ConsulEcsCall,
    schemas: &ModuleSchemas,
    possible: ReleaseSet,
    input: &Attribute,
    already_set: impl Fn(&str) -> bool,
    sources: &crate::source::SourceMap,
) {
    let candidates: Vec<&str> = schemas
        .all_inputs()
        .into_iter()
        .filter(|name| schemas.all_of(possible, |s| s.accepts(name)))
        .collect();
    match suggest::closest_identifier(&input.key, &candidates) {
        Some(name) if !already_set(name) => {
            let edit = crate::edit::layout::rename_key(sources, input.key_span, name);
            diagnostic.help(format!("did you mean `{name}`?")).fix(Fix::new(
                Applicability::Safe,
                format!("rename `{}` to `{name}`", input.key),
                vec![edit],
            ));
        }
        Some(name) => {
            diagnostic.help(format!(
                "did you mean `{name}`? it is already set, so remove `{}`",
                input.key
            ));
        }
        None if schemas.accepting(&input.key).is_empty() => {
            diagnostic.help(format!("remove `{}`", input.key));
        }
        None => {
            diagnostic.help(format!(
                "remove `{}`, or pin a {} release that takes it",
                input.key, call.kind
            ));
        }
    }
}
