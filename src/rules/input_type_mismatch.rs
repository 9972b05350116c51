use crate::model::consul_ecs::schema::ModuleSchemas;
use crate::model::consul_ecs::source_address::ModuleKind;
use crate::model::consul_ecs::version::ReleaseSet;
use crate::model::mesh::{follow_locals, ConsulEcsCall};
use crate::model::terraform::eval::Evaluator;
use crate::model::terraform::types::{convert, path_text, Conversion, Mismatch, Problem, Step, Type};
use crate::model::terraform::value::{Origin, OriginKind, Value, ValueKind};
use crate::model::terraform::{Module, ModuleCall};
use crate::rule::prelude::*;
use crate::rule::Diagnostic;
use crate::syntax::{Attribute, Expr, ExprKind, TemplatePart, TraversalOp};

pub struct InputTypeMismatch;

/// The value refused by the releases that declare one type for the input.
struct Failure {
    ty: Type,
    releases: ReleaseSet,
    mismatch: Mismatch,
}

impl Rule for InputTypeMismatch {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            let module = &model.module;
            for call in &model.mesh.calls {
                let possible = call.possible();
                let module_call = &module.calls[call.call];
                // A block recovered from a syntax error may hold a value cut short.
                if possible.is_empty() || !module_call.block.complete {
                    continue;
                }
                let schemas = call.schemas();
                // Each instance of a `count` / `for_each` call with its own `each.value`; a
                // mistake in a literal every instance shares is one finding (identical ones merge).
                for scope in model.mesh.scopes(call, module) {
                    let eval = &scope.eval;
                    for input in module_call.inputs() {
                        let wanted = declared_types(schemas, possible, &input.key);
                        if wanted.iter().all(|(ty, _)| *ty == Type::Any) {
                            continue;
                        }
                        let Some((value, typed_by)) = assigned_value(module, eval, input) else {
                            continue;
                        };
                        if left_to_other_rules(call, input, &value) {
                            continue;
                        }
                        let Some(failures) = failures(&value, wanted) else {
                            continue;
                        };
                        // A value that depends on a variable whose declared type meshlint did not
                        // apply may have been changed by it (an optional attribute filled in, an
                        // attribute dropped): no finding from a guess.
                        let origins = &failures.last().expect("at least one").mismatch.origins;
                        if shaped_by_unapplied_type(module, origins, typed_by)
                            || upstream_keys_reported(call, module, input, &failures)
                        {
                            continue;
                        }
                        let finding = Finding {
                            call,
                            module_call,
                            input,
                            value: &value,
                            failures: &failures,
                        };
                        finding.report(report, schemas, &project.sources);
                    }
                }
            }
        }
    }
}

/// The types the releases of `possible` that accept `input` declare for it, each with its
/// releases, oldest first. Releases without the input are `unknown-module-input`'s concern.
fn declared_types(schemas: &ModuleSchemas, possible: ReleaseSet, input: &str) -> Vec<(Type, ReleaseSet)> {
    let mut out: Vec<(Type, ReleaseSet)> = Vec::new();
    for schema in schemas.overlapping(possible) {
        let Some(declared) = schema.input(input) else {
            continue;
        };
        let ty = declared.terraform_type();
        let releases = schema.release_set().intersect(possible);
        match out.iter_mut().find(|(t, _)| *t == ty) {
            Some((_, set)) => *set = set.union(releases),
            None => out.push((ty, releases)),
        }
    }
    out
}

/// Mistakes another rule already reports, each in its own words.
fn left_to_other_rules(call: &ConsulEcsCall, input: &Attribute, value: &Value) -> bool {
    match input.key.as_str() {
        // `jsonencoded-container-definitions`: a `jsonencode()` string where a list belongs.
        "container_definitions" => {
            matches!(call.kind, ModuleKind::MeshTask | ModuleKind::GatewayTask)
                && call
                    .container_definitions
                    .as_ref()
                    .is_some_and(|d| d.jsonencode.is_some())
        }
        // `invalid-port`: a mesh-task `port` that is not a number.
        "port" => call.kind == ModuleKind::MeshTask && port_refused(value),
        _ => false,
    }
}

/// The value Terraform assigns to the input, or `None` when it is not known. A variable passed
/// on as it is has first been converted to its own declared type, as Terraform converts it
/// before the module sees it; the variable's name says so. When the variable refuses its own
/// value, that is an error of the variable, not of this input.
fn assigned_value<'m>(
    module: &'m Module,
    eval: &Evaluator,
    input: &Attribute,
) -> Option<(Value, Option<&'m str>)> {
    let value = eval.eval(&input.value);
    if !value.is_known() {
        return None;
    }
    let (_, target) = follow_locals(&input.value, module);
    let Some(variable) = plain_variable(target).and_then(|name| module.variables.get(name)) else {
        return Some((value, None));
    };
    let Some(ty) = variable.declared_type() else {
        return Some((value, None));
    };
    match convert(&value, &ty) {
        Conversion::Converted(typed) => Some((typed, Some(variable.name.as_str()))),
        Conversion::Unknown(_) | Conversion::Mismatch(_) => None,
    }
}

/// `var.name` on its own (or as `"${var.name}"`), not an element or attribute of it.
fn plain_variable(expr: &Expr) -> Option<&str> {
    match &expr.kind {
        ExprKind::Parenthesis(inner) => plain_variable(inner),
        ExprKind::Template(t) => match t.parts.as_slice() {
            [TemplatePart::Interpolation(inner)] => plain_variable(inner),
            _ => None,
        },
        ExprKind::Traversal(t) => match (&t.base.kind, t.ops.as_slice()) {
            (ExprKind::Variable(root), [TraversalOp::Attr(name, _)]) if root == "var" => Some(name),
            _ => None,
        },
        _ => None,
    }
}

/// The conversion in each type the input has: `None` as soon as one converts, or might
/// (a value that converts in some possible release is not reported: no finding from a guess).
fn failures(value: &Value, wanted: Vec<(Type, ReleaseSet)>) -> Option<Vec<Failure>> {
    let mut out = Vec::with_capacity(wanted.len());
    for (ty, releases) in wanted {
        match convert(value, &ty) {
            Conversion::Mismatch(mismatch) => out.push(Failure {
                ty,
                releases,
                mismatch: *mismatch,
            }),
            Conversion::Converted(_) | Conversion::Unknown(_) => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// True when a variable with a declared collection or structural type, other than `applied`,
/// gave part of the value: the evaluator applies primitive types only.
fn shaped_by_unapplied_type(module: &Module, origins: &[Origin], applied: Option<&str>) -> bool {
    origins
        .iter()
        .filter(|o| o.kind == OriginKind::Variable)
        .any(|origin| {
            module.variables.values().any(|variable| {
                let gave_it = variable.default().is_some_and(|d| d.value.span == origin.span)
                    || module
                        .tfvars
                        .get(&variable.name)
                        .is_some_and(|a| a.value.span == origin.span);
                let unapplied = Some(variable.name.as_str()) != applied;
                let shaping = variable.block.body.attr("type").is_some()
                    && !matches!(
                        variable.declared_type(),
                        Some(Type::String | Type::Number | Type::Bool | Type::Any)
                    );
                gave_it && unapplied && shaping
            })
        })
}

/// `invalid-upstream-keys` reports an upstream written as an object literal (in the call or a
/// local) that lacks a key the typed upstreams of v0.1–v0.2.x require, or spells it the
/// v0.3.0 way.
fn upstream_keys_reported(
    call: &ConsulEcsCall,
    module: &Module,
    input: &Attribute,
    failures: &[Failure],
) -> bool {
    if call.kind != ModuleKind::MeshTask || input.key != "upstreams" {
        return false;
    }
    let (_, target) = follow_locals(&input.value, module);
    let ExprKind::Array(items) = &target.kind else {
        return false;
    };
    failures.iter().all(|f| match (&f.mismatch.problem, f.mismatch.path.as_slice()) {
        (Problem::MissingAttribute(_), [Step::Index(i)]) => items
            .get(*i)
            .is_some_and(|item| matches!(&item.kind, ExprKind::Object(fields) if fields.iter().all(|f| f.key_name().is_some()))),
        _ => false,
    })
}

/// Whether `invalid-port` reports this `port` value: it takes what Rust parses after trimming
/// spaces as a number and reports everything else (a string such as `" 9090"` is left here).
fn port_refused(value: &Value) -> bool {
    !matches!(&value.kind, ValueKind::String(s) if s.trim().parse::<f64>().is_ok())
}

struct Finding<'a> {
    call: &'a ConsulEcsCall,
    module_call: &'a ModuleCall,
    input: &'a Attribute,
    value: &'a Value,
    failures: &'a [Failure],
}

impl Finding<'_> {
    fn report(&self, report: &mut Reporter, schemas: &ModuleSchemas, sources: &crate::source::SourceMap) {
        let kind = self.call.kind;
        let newest = &self.failures[self.failures.len() - 1].mismatch;
        let same_place = self
            .failures
            .iter()
            .all(|f| f.mismatch.path == newest.path && f.mismatch.problem == newest.problem);
        let takes = if same_place {
            let types: Vec<String> = self
                .failures
                .iter()
                .map(|f| format!("{} in {}", f.mismatch.expected, f.releases.describe()))
                .collect();
            match self.failures {
                [one] => format!(
                    "{kind} {} takes {}",
                    one.releases.describe(),
                    one.mismatch.expected
                ),
                _ => format!("{kind} takes {}", types.join(" and ")),
            }
        } else {
            let last = &self.failures[self.failures.len() - 1];
            format!("{kind} {} takes {}", last.releases.describe(), newest.expected)
        };
        let there = if newest.path.is_empty() { "" } else { " there" };
        let message = format!(
            "{} of `module.{}` {}: {takes}{there}",
            self.subject(newest),
            self.module_call.name,
            problem_text(newest)
        );
        let diagnostic = report.report(newest.span, message);
        if !contains(self.input.value.span, newest.span) {
            diagnostic.label(
                self.input.value.span,
                format!(
                    "`module.{}` passes it as `{}` here",
                    self.module_call.name, self.input.key
                ),
            );
        }
        diagnostic.origin_labels(&newest.origins);
        if !same_place {
            for failure in &self.failures[..self.failures.len() - 1] {
                let m = &failure.mismatch;
                diagnostic.note(format!(
                    "in {kind} {}, {} {}, where it takes {}",
                    failure.releases.describe(),
                    self.subject(m),
                    problem_text(m),
                    m.expected
                ));
            }
        }
        if let Some(note) = explain(newest) {
            diagnostic.note(note);
        }
        self.note_other_releases(diagnostic, schemas);
        diagnostic.note_opt(self.call.releases.note());
        match self.fix(sources) {
            Some((help, fix)) => {
                diagnostic.help(help).fix(fix);
            }
            None => {
                let root = self
                    .failures
                    .last()
                    .map(|f| &f.ty)
                    .filter(|_| newest.path.is_empty());
                let help = help_text(newest, root);
                // Where to change it, when that is not the call: the innermost place the
                // value came from is where it is written.
                match newest.origins.last() {
                    Some(origin) => diagnostic.help(format!("{help} (in the {})", origin.what)),
                    None => diagnostic.help(help),
                };
            }
        }
    }

    /// `` `retry_join` ``, `` `upstreams[0].local_bind_port` ``.
    fn subject(&self, mismatch: &Mismatch) -> String {
        format!("`{}{}`", self.input.key, path_text(&mismatch.path))
    }

    /// Releases outside the call's possible ones that would take the value: the input's type
    /// changed, and the value was likely written for another release.
    fn note_other_releases(&self, diagnostic: &mut Diagnostic, schemas: &ModuleSchemas) {
        let possible = self.call.possible();
        let others = schemas.accepting(&self.input.key).minus(possible);
        let fitting: Vec<(Type, ReleaseSet)> = declared_types(schemas, others, &self.input.key)
            .into_iter()
            .filter(|(ty, _)| *ty != Type::Any && matches!(convert(self.value, ty), Conversion::Converted(_)))
            .collect();
        if let Some((ty, releases)) = fitting.last() {
            diagnostic.note(format!(
                "{} {} declares `{}` as {ty}, which takes this value: the input's type changed between releases",
                self.call.kind,
                releases.describe(),
                self.input.key
            ));
        }
    }

    /// A safe fix where the intent is plain and the value is written in the call itself: one
    /// value where every failing release wants a list of such values, or a one-element list
    /// where every one wants the element.
    fn fix(&self, sources: &crate::source::SourceMap) -> Option<(String, Fix)> {
        let at_root = self
            .failures
            .iter()
            .all(|f| f.mismatch.path.is_empty() && f.mismatch.problem == Problem::Type);
        if !at_root || !self.value.origins.is_empty() {
            return None;
        }
        let written = &self.input.value;
        let text = sources.slice(written.span);
        let key = &self.input.key;
        match &written.kind {
            ExprKind::String(_) | ExprKind::Template(_) | ExprKind::Number(_) | ExprKind::Bool(_) => {
                // "a,b" may be several values in one string: which ones is for the author.
                let several = self.value.as_str().is_some_and(|s| s.contains(','));
                let wrapped = self.failures.iter().all(|f| match &f.ty {
                    Type::List(element) | Type::Set(element) => {
                        matches!(convert(self.value, element), Conversion::Converted(_))
                    }
                    _ => false,
                });
                (wrapped && !several).then(|| {
                    let replacement = format!("[{text}]");
                    let help = format!("write `{key} = {replacement}`");
                    let fix = Fix::replace(
                        Applicability::Safe,
                        "make it a one-element list",
                        written.span,
                        replacement,
                    );
                    (help, fix)
                })
            }
            ExprKind::Array(items) if items.len() == 1 => {
                let element = self.value.as_list()?.first()?;
                let unwrapped = self
                    .failures
                    .iter()
                    .all(|f| matches!(convert(element, &f.ty), Conversion::Converted(_)));
                unwrapped.then(|| {
                    let replacement = sources.slice(items[0].span).to_string();
                    let help = format!("write `{key} = {replacement}`, without the brackets");
                    let fix = Fix::replace(
                        Applicability::Safe,
                        "pass the one element itself",
                        written.span,
                        replacement,
                    );
                    (help, fix)
                })
            }
            _ => None,
        }
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start() <= inner.start() && inner.end() <= outer.end()
}

/// What is wrong with the value, after its name.
fn problem_text(mismatch: &Mismatch) -> String {
    match &mismatch.problem {
        Problem::Type => format!("is {}", a_type(&mismatch.given)),
        Problem::NotANumber(s) => format!("is {s:?}, which is not a number"),
        Problem::NotABool(s) => format!("is {s:?}, which is neither true nor false"),
        Problem::MissingAttribute(name) => format!("has no `{name}`"),
        Problem::NoCommonType => "mixes elements that have no type in common".to_string(),
        Problem::Length { given, wanted } => format!("has {given} elements where {wanted} are wanted"),
    }
}

/// "a string", "a list" (Terraform's tuple, written `[…]`), "an object".
fn a_type(given: &str) -> String {
    match given {
        "tuple" => "a list".to_string(),
        "object" => "an object".to_string(),
        other => format!("a {other}"),
    }
}

fn explain(mismatch: &Mismatch) -> Option<String> {
    Some(match &mismatch.problem {
        Problem::Type => return None,
        Problem::NotANumber(_) => "Terraform converts a string to a number only when it spells one, such as \"8080\"".to_string(),
        Problem::NotABool(_) => "Terraform converts a string to a bool only when it is \"true\" or \"false\" (or \"1\" or \"0\")".to_string(),
        Problem::MissingAttribute(name) => {
            format!("{} requires `{name}`: it is not optional", mismatch.expected)
        }
        Problem::NoCommonType => format!(
            "{} needs one type every element converts to; objects with different keys then need values that all convert to one type",
            mismatch.expected
        ),
        Problem::Length { .. } => format!("{} has a fixed number of elements", mismatch.expected),
    })
}

/// What to write instead; `root` is the input's type when the mismatch is the whole value.
fn help_text(mismatch: &Mismatch, root: Option<&Type>) -> String {
    let expected = &mismatch.expected;
    let given = mismatch.given.as_str();
    match &mismatch.problem {
        Problem::Type => match (root, given) {
            (Some(Type::Object(attrs)), _) if given != "object" => {
                let names: Vec<&str> = attrs.keys().map(String::as_str).collect();
                format!("give an object with {}", code_list(&names, "and"))
            }
            (_, "object") if is_list(expected) => "put the object in a list, `[{ … }]`".to_string(),
            (_, "tuple") if expected.starts_with("map(") => {
                "write a map, `{ key = value }`, instead of a list".to_string()
            }
            (_, "tuple") if !expected.contains('(') => format!("give one {expected}, not a list"),
            _ if is_list(expected) && given != "tuple" => "make the value a list, `[…]`".to_string(),
            _ => format!("give a value of type {expected}"),
        },
        Problem::NotANumber(_) => "give a number".to_string(),
        Problem::NotABool(_) => "give `true` or `false`".to_string(),
        Problem::MissingAttribute(name) => format!("add `{name}`"),
        Problem::NoCommonType => "give every element the same keys, each with values of one kind".to_string(),
        Problem::Length { wanted, .. } => format!("give exactly {wanted} elements"),
    }
}

fn is_list(type_text: &str) -> bool {
    type_text.starts_with("list(") || type_text.starts_with("set(")
}
