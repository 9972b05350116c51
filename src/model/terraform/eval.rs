//! Evaluation of Terraform expressions within one module, three-valued and with provenance.
//!
//! Evaluated: literals, templates and their `%{ if }` / `%{ for }` directives, `var.*`
//! (the caller's argument, else tfvars, else the default, converted to the declared type),
//! `local.*`, literal attributes of resources and data sources of the same module, `each.*`
//! and `count.index` of the instance being evaluated, operators, conditionals, `for`
//! expressions, splats, `try`/`can`, and the pure functions of [`functions`]. Everything
//! else is unknown with a reason; unknown is never a finding.

use crate::model::terraform::instances::{Instance, InstanceKey, Repetition};
use crate::model::terraform::value::{format_number, Origin, OriginKind, Value, ValueKind};
use crate::model::terraform::Module;
use crate::model::terraform::{functions, operators};
use crate::source::Span;
use crate::syntax::{Expr, ExprKind, ForExpr, ObjectKey, TemplatePart, TraversalOp};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

/// How many references may be followed in one evaluation (cycles end here too).
const MAX_DEPTH: usize = 64;

/// More elements than this from one `for` expression or template loop are not evaluated.
const MAX_ELEMENTS: usize = 10_000;

/// Steps one expression may take, counting every expression nested in it and every reference
/// it follows: far above any real configuration, far below a stall.
const MAX_STEPS: usize = 2_000_000;

/// The arguments a caller gives a child module, by variable name, evaluated in the caller.
pub type CallerInputs = BTreeMap<String, Value>;

/// A local child module's caller: the arguments of one instance of one `module` block.
#[derive(Debug)]
pub struct Caller {
    /// The calling instance's full address: `module.api`, `module.api["x"].module.svc`.
    pub address: String,
    pub inputs: CallerInputs,
    /// The module (its position in the run) at the top of the chain of callers: the root
    /// configuration this evaluation belongs to.
    pub root: usize,
}

pub struct Evaluator<'m> {
    module: &'m Module,
    depth: Cell<usize>,
    /// Expressions evaluated so far (see [`MAX_STEPS`]).
    steps: Cell<usize>,
    /// Names bound while evaluating: `each` / `count` of the instance, then the variables of
    /// enclosing `for` expressions and template loops, innermost last.
    bindings: RefCell<Vec<(String, Value)>>,
    /// Set when the module is evaluated as the child of a caller: its variables take the
    /// caller's arguments (and tfvars files of the child's folder do not apply).
    caller: Option<&'m Caller>,
}

impl<'m> Evaluator<'m> {
    pub fn new(module: &'m Module) -> Evaluator<'m> {
        Evaluator {
            module,
            depth: Cell::new(0),
            steps: Cell::new(0),
            bindings: RefCell::new(Vec::new()),
            caller: None,
        }
    }

    /// An evaluator for one instance of a repeated block: `each.*` or `count.index` known.
    pub fn for_instance(module: &'m Module, instance: &Instance, span: Span) -> Evaluator<'m> {
        let evaluator = Evaluator::new(module);
        let (name, value) = instance.binding(span);
        evaluator.bindings.borrow_mut().push((name.to_string(), value));
        evaluator
    }

    /// An evaluator for a repeated block whose instances are not known: `each.*` and
    /// `count.index` are unknown for `reason`.
    pub fn for_unknown_instances(module: &'m Module, meta: &str, reason: &str, span: Span) -> Evaluator<'m> {
        let evaluator = Evaluator::new(module);
        let name = if meta == "count" { "count" } else { "each" };
        evaluator
            .bindings
            .borrow_mut()
            .push((name.to_string(), Value::unknown(reason, span)));
        evaluator
    }

    /// This evaluator with the module's variables set by a caller (none: as the module
    /// stands alone, with tfvars and defaults).
    pub fn with_caller(mut self, caller: Option<&'m Caller>) -> Evaluator<'m> {
        self.caller = caller;
        self
    }

    pub fn eval(&self, expr: &Expr) -> Value {
        // Loops inside loops (`for` over `range()` in a `for`) could take hours: a budget of
        // steps per expression evaluated from outside ends them unknown instead. (Per
        // expression, not per evaluator: a module's evaluator serves thousands of them.)
        if self.depth.get() == 0 {
            self.steps.set(0);
        }
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > MAX_STEPS {
            return Value::unknown("the expression takes too many steps to evaluate", expr.span);
        }
        if self.depth.get() >= MAX_DEPTH {
            return Value::unknown("references nest too deeply (or form a cycle)", expr.span);
        }
        self.depth.set(self.depth.get() + 1);
        let value = self.eval_inner(expr);
        self.depth.set(self.depth.get() - 1);
        value
    }

    fn eval_inner(&self, expr: &Expr) -> Value {
        let span = expr.span;
        let kind = match &expr.kind {
            ExprKind::Null => ValueKind::Null,
            ExprKind::Bool(b) => ValueKind::Bool(*b),
            // A literal beyond what f64 holds exactly was already rounded by the parser.
            ExprKind::Number(n) => match operators::exact_number(*n) {
                Some(n) => ValueKind::Number(n),
                None => ValueKind::Unknown("the number has more digits than meshlint keeps".into()),
            },
            ExprKind::String(s) => ValueKind::String(s.to_string()),
            ExprKind::Template(t) => return self.template(&t.parts, span),
            ExprKind::Array(items) => {
                let values: Vec<Value> = items.iter().map(|e| self.eval(e)).collect();
                if let Some(error) = values.iter().find(|v| v.is_error()) {
                    return Value::new(error.kind.clone(), span);
                }
                ValueKind::List(values)
            }
            ExprKind::Object(items) => {
                let mut fields: Vec<(String, Value)> = Vec::with_capacity(items.len());
                for item in items {
                    let key = match &item.key {
                        ObjectKey::Name(name) => name.to_string(),
                        ObjectKey::Expr(e) => {
                            let key = self.eval(e);
                            match key.to_template_string() {
                                Some(k) => k,
                                None if key.is_known() => {
                                    return Value::error("an object key must be a string", span)
                                }
                                None => return Value::new(key.kind, span),
                            }
                        }
                    };
                    let value = self.eval(&item.value);
                    if value.is_error() {
                        return Value::new(value.kind, span);
                    }
                    if fields.iter().any(|(k, _)| *k == key) {
                        return Value::error(format!("duplicate object key `{key}`"), span);
                    }
                    fields.push((key, value));
                }
                ValueKind::Object(fields)
            }
            ExprKind::Parenthesis(inner) => return self.eval(inner),
            ExprKind::Conditional(c) => return self.conditional(c, span),
            ExprKind::Call(call) => return self.call(call, span),
            ExprKind::Variable(name) => match self.binding(name) {
                Some(value) => return value,
                None => ValueKind::Unknown(format!("`{name}` is not a value meshlint can evaluate")),
            },
            ExprKind::Traversal(t) => return self.traversal(&t.base, &t.ops, span),
            ExprKind::Unary(u) => return operators::unary(u.op, self.eval(&u.operand), span),
            ExprKind::Binary(b) => {
                return operators::binary(b.op, self.eval(&b.lhs), self.eval(&b.rhs), span)
            }
            ExprKind::For(f) => return self.for_expr(f, span),
            ExprKind::Unsupported(what) => ValueKind::Unknown(format!("{what} is not evaluated")),
        };
        Value::new(kind, span)
    }

    /// `file(path)`: the text of a file the engine read for this module, spanning the file.
    fn file(&self, call: &crate::syntax::Call, span: Span) -> Value {
        let read = call
            .args
            .first()
            .and_then(crate::model::terraform::module_relative_path)
            .and_then(|path| self.module.read_files.get(&path));
        match read {
            Some(file) => Value::new(
                ValueKind::String(file.text.clone()),
                Span::new(file.id, 0, file.text.len()),
            ),
            None => Value::unknown("the file is not one meshlint read", span),
        }
    }

    fn template(&self, parts: &[TemplatePart], span: Span) -> Value {
        // `"${x}"` is `x` itself, not converted to a string (Terraform 0.11 style).
        if let [TemplatePart::Interpolation(only)] = parts {
            let value = self.eval(only);
            return Value { span, ..value };
        }
        let mut out = String::new();
        match self.render(parts, &mut out) {
            Ok(()) => Value::new(ValueKind::String(out), span),
            Err(kind) => Value::new(kind, span),
        }
    }

    /// Appends the template's text to `out`; the first unknown or error ends it.
    fn render(&self, parts: &[TemplatePart], out: &mut String) -> Result<(), ValueKind> {
        for part in parts {
            match part {
                TemplatePart::Literal(text) => out.push_str(text),
                TemplatePart::Interpolation(e) => {
                    let value = self.eval(e);
                    match value.to_template_string() {
                        Some(s) => out.push_str(&s),
                        None if value.is_known() => {
                            return Err(ValueKind::Error(
                                "only strings, numbers and bools can be interpolated".into(),
                            ))
                        }
                        None => return Err(value.kind),
                    }
                }
                TemplatePart::If(directive) => {
                    let condition = self.eval(&directive.condition);
                    if !condition.is_known() {
                        return Err(condition.kind);
                    }
                    let chosen = operators::to_bool(&condition).map_err(ValueKind::Error)?;
                    self.render(
                        if chosen {
                            &directive.then
                        } else {
                            &directive.otherwise
                        },
                        out,
                    )?;
                }
                TemplatePart::For(directive) => {
                    let collection = self.eval(&directive.collection);
                    for (key, value) in iteration(&collection)? {
                        let bound = self.bind(directive.key_var.as_deref(), key, &directive.value_var, value);
                        let rendered = self.render(&directive.body, out);
                        self.unbind(bound);
                        rendered?;
                        if out.len() > MAX_ELEMENTS * 100 {
                            return Err(ValueKind::Unknown("the template is too long to evaluate".into()));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn conditional(&self, c: &crate::syntax::Conditional, span: Span) -> Value {
        let condition = self.eval(&c.condition);
        if !condition.is_known() {
            return Value::new(condition.kind, span);
        }
        let chosen = match operators::to_bool(&condition) {
            Ok(b) => b,
            Err(reason) => return Value::error(reason, span),
        };
        let (taken, other) = if chosen {
            (&c.if_true, &c.if_false)
        } else {
            (&c.if_false, &c.if_true)
        };
        let value = self.eval(taken);
        // Terraform gives both results one type: a number or bool beside a string becomes a
        // string; a number beside a bool is an error. Only the other side's kind is needed.
        match (&value.kind, &self.eval(other).kind) {
            (ValueKind::Number(_) | ValueKind::Bool(_), ValueKind::String(_)) => {
                let text = value.to_template_string().unwrap_or_default();
                Value {
                    kind: ValueKind::String(text),
                    ..value
                }
            }
            (ValueKind::Number(_), ValueKind::Bool(_)) | (ValueKind::Bool(_), ValueKind::Number(_)) => {
                Value::error("the two results of the conditional have no common type", span)
            }
            _ => value,
        }
    }

    fn call(&self, call: &crate::syntax::Call, span: Span) -> Value {
        if call.expand_final {
            return Value::unknown("argument expansion (`...`) is not evaluated", span);
        }
        match call.name.as_str() {
            "file" => self.file(call, span),
            "try" => self.try_call(&call.args, span),
            "can" => match call.args.as_slice() {
                [arg] => {
                    let value = self.eval(arg);
                    match &value.kind {
                        ValueKind::Error(_) => Value::new(ValueKind::Bool(false), span),
                        ValueKind::Unknown(reason) => Value::unknown(reason.clone(), span),
                        _ => Value::new(ValueKind::Bool(true), span),
                    }
                }
                _ => Value::error("`can` takes one argument", span),
            },
            _ => {
                let args: Vec<Value> = call.args.iter().map(|a| self.eval(a)).collect();
                if let Some(error) = args.iter().find(|a| a.is_error()) {
                    return Value::new(error.kind.clone(), span);
                }
                functions::call(&call.name, args, span)
            }
        }
    }

    /// `try(a, b, …)`: the first argument that is not an error. An unknown argument ends it
    /// unknown: whether Terraform would fall back past it cannot be told.
    fn try_call(&self, args: &[Expr], span: Span) -> Value {
        for arg in args {
            let value = self.eval(arg);
            if !value.is_error() {
                return value;
            }
        }
        Value::error("no argument of `try` could be evaluated", span)
    }

    fn for_expr(&self, f: &ForExpr, span: Span) -> Value {
        let collection = self.eval(&f.collection);
        let pairs = match iteration(&collection) {
            Ok(pairs) => pairs,
            Err(kind) => return Value::new(kind, span),
        };
        let mut list = Vec::new();
        let mut object: Vec<(String, Value)> = Vec::new();
        for (key, value) in pairs {
            let bound = self.bind(f.key_var.as_deref(), key, &f.value_var, value);
            let element = self.for_element(f);
            self.unbind(bound);
            match element {
                Ok(None) => {}
                Ok(Some((None, value))) => list.push(value),
                Ok(Some((Some(key), value))) => {
                    let slot = object.iter_mut().find(|(k, _)| *k == key);
                    match (slot, f.grouping) {
                        (Some((_, group)), true) => {
                            if let ValueKind::List(items) = &mut group.kind {
                                items.push(value);
                            }
                        }
                        (Some(_), false) => {
                            return Value::error(
                                format!("duplicate key `{key}` in a `for` expression (use `...` to group)"),
                                span,
                            )
                        }
                        (None, true) => object.push((key, Value::new(ValueKind::List(vec![value]), span))),
                        (None, false) => object.push((key, value)),
                    }
                }
                Err(kind) => return Value::new(kind, span),
            }
        }
        if f.key.is_some() {
            object.sort_by(|a, b| a.0.cmp(&b.0));
            Value::new(ValueKind::Object(object), span)
        } else {
            Value::new(ValueKind::List(list), span)
        }
    }

    /// One element of a `for` expression with its variables bound: `None` when the `if`
    /// filters it out; the key is present in the object form.
    #[allow(clippy::type_complexity)]
    fn for_element(&self, f: &ForExpr) -> Result<Option<(Option<String>, Value)>, ValueKind> {
        if let Some(condition) = &f.condition {
            let keep = self.eval(condition);
            if !keep.is_known() {
                return Err(keep.kind);
            }
            if !operators::to_bool(&keep).map_err(ValueKind::Error)? {
                return Ok(None);
            }
        }
        let key = match &f.key {
            Some(key) => {
                let key = self.eval(key);
                match key.to_template_string() {
                    Some(k) => Some(k),
                    None if key.is_known() => {
                        return Err(ValueKind::Error("a `for` key must be a string".into()))
                    }
                    None => return Err(key.kind),
                }
            }
            None => None,
        };
        let value = self.eval(&f.value);
        if value.is_error() {
            return Err(value.kind);
        }
        Ok(Some((key, value)))
    }

    /// The (key, value) pairs a `for` or `dynamic` block iterates; `None` when not known.
    pub fn iterate(&self, collection: &Value) -> Option<Vec<(Value, Value)>> {
        iteration(collection).ok()
    }

    /// Evaluates with `name` bound to `{ key, value }`, as a `dynamic` block's iterator.
    pub fn with_iterator<T>(&self, name: &str, key: Value, value: Value, f: impl FnOnce(&Self) -> T) -> T {
        let span = value.span;
        let object = Value::new(
            ValueKind::Object(vec![("key".to_string(), key), ("value".to_string(), value)]),
            span,
        );
        self.bindings.borrow_mut().push((name.to_string(), object));
        let result = f(self);
        self.unbind(1);
        result
    }

    fn binding(&self, name: &str) -> Option<Value> {
        let bindings = self.bindings.borrow();
        bindings
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    /// Binds a loop's variables; returns how many to [`Evaluator::unbind`].
    fn bind(&self, key_var: Option<&str>, key: Value, value_var: &str, value: Value) -> usize {
        let mut bindings = self.bindings.borrow_mut();
        let mut bound = 1;
        if let Some(key_var) = key_var {
            bindings.push((key_var.to_string(), key));
            bound += 1;
        }
        bindings.push((value_var.to_string(), value));
        bound
    }

    fn unbind(&self, bound: usize) {
        let mut bindings = self.bindings.borrow_mut();
        let keep = bindings.len().saturating_sub(bound);
        bindings.truncate(keep);
    }

    fn traversal(&self, base: &Expr, ops: &[TraversalOp], span: Span) -> Value {
        let root = match &base.kind {
            ExprKind::Variable(root) => root.as_str(),
            _ => return self.apply_ops(self.eval(base), ops, span),
        };
        if let Some(bound) = self.binding(root) {
            return self.apply_ops(bound, ops, span);
        }
        let attr = |i: usize| match ops.get(i) {
            Some(TraversalOp::Attr(name, _)) => Some(name.as_str()),
            _ => None,
        };
        let (value, used) = match root {
            "var" => match attr(0) {
                Some(name) => (self.variable(name, span), 1),
                None => return Value::unknown("`var` must be followed by a name", span),
            },
            "local" => match attr(0) {
                Some(name) => (self.local(name, span), 1),
                None => return Value::unknown("`local` must be followed by a name", span),
            },
            "module" => {
                let name = attr(0).unwrap_or("?");
                // `module.task` on its own (as in `for_each = module.task`): its instance keys
                // are known when its own count / for_each is, its outputs are not.
                if ops.len() == 1 {
                    return self.module_instances(name, span);
                }
                let output = attr(1).unwrap_or("?");
                return Value::unknown(
                    format!("output `{output}` of module `{name}` is not evaluated"),
                    span,
                );
            }
            "data" => match (attr(0), attr(1)) {
                (Some(kind), Some(name)) => (self.resource_attr(true, kind, name, attr(2), span), 3),
                _ => return Value::unknown("incomplete data source reference", span),
            },
            "count" | "each" | "self" | "path" | "terraform" => {
                return Value::unknown(
                    format!("`{root}.*` is known only per instance or at run time"),
                    span,
                )
            }
            kind => match attr(0) {
                // `aws_iam_role.task["jobs"].arn`: the attribute of one instance.
                Some(name) if matches!(ops.get(1), Some(TraversalOp::Index(_))) => {
                    let TraversalOp::Index(index) = &ops[1] else {
                        unreachable!()
                    };
                    let attribute = match ops.get(2) {
                        Some(TraversalOp::Attr(attribute, _)) => Some(attribute.as_str()),
                        _ => None,
                    };
                    (self.resource_instance_attr(kind, name, index, attribute, span), 3)
                }
                Some(name) => (self.resource_attr(false, kind, name, attr(1), span), 2),
                None => {
                    return Value::unknown(format!("`{kind}` is not a value meshlint can evaluate"), span)
                }
            },
        };
        self.apply_ops(value, ops.get(used..).unwrap_or(&[]), span)
    }

    fn apply_ops(&self, mut value: Value, ops: &[TraversalOp], span: Span) -> Value {
        for (at, op) in ops.iter().enumerate() {
            if !value.is_known() {
                return Value::new(value.kind, span);
            }
            let next = match op {
                TraversalOp::Attr(name, _) => match &value.kind {
                    ValueKind::Object(_) => value
                        .get(name)
                        .cloned()
                        .ok_or_else(|| format!("the object has no attribute `{name}`")),
                    ValueKind::Null => Err(format!("attribute `{name}` of a null value")),
                    _ => Err(format!("attribute `{name}` of a value that is not an object")),
                },
                TraversalOp::Index(index) => {
                    let index = self.eval(index);
                    if !index.is_known() {
                        return Value::new(index.kind, span);
                    }
                    index_value(&value, &index)
                }
                TraversalOp::Splat => return self.splat(value, &ops[at + 1..], span),
            };
            let origins = std::mem::take(&mut value.origins);
            value = match next {
                Ok(v) => inherit(&origins, v),
                Err(reason) => return Value::error(reason, span),
            };
        }
        value
    }

    /// `x[*].rest`: `rest` applied to every element; a value that is not a list is taken as
    /// a list of itself, and null as an empty list, as Terraform does.
    fn splat(&self, value: Value, rest: &[TraversalOp], span: Span) -> Value {
        let origins = value.origins.clone();
        let items = match value.kind {
            ValueKind::List(items) => items,
            ValueKind::Null => Vec::new(),
            _ => vec![value],
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let v = self.apply_ops(inherit(&origins, item), rest, span);
            if v.is_error() {
                return v;
            }
            out.push(v);
        }
        Value::new(ValueKind::List(out), span)
    }

    fn variable(&self, name: &str, span: Span) -> Value {
        let Some(variable) = self.module.variables.get(name) else {
            return Value::unknown(format!("variable `{name}` is not declared in this module"), span);
        };
        let (value, what) = if let Some(caller) = self.caller {
            let address = &caller.address;
            match caller.inputs.get(name) {
                Some(given) => {
                    // The caller's literal is the value's own span; the label goes where the
                    // child module uses it, so the chain reads caller → `var.x` → the use.
                    let value = assign(given.clone(), variable, span).via(Origin {
                        span,
                        what: format!("the value {address} gives `var.{name}`"),
                        kind: OriginKind::CallerArgument,
                    });
                    return value;
                }
                None => match variable.default() {
                    Some(default) => (self.eval(&default.value), format!("default of variable `{name}`")),
                    None => return Value::unknown(format!("{address} gives no value for `{name}`"), span),
                },
            }
        } else {
            // Alone, the value does not depend on the instance or the caller: computed once.
            let standalone = variable.standalone(|| self.standalone_variable(variable));
            return match standalone {
                Some(value) => value.clone(),
                None => Value::unknown(
                    format!("variable `{name}` has no default and no value in a tfvars file"),
                    span,
                ),
            };
        };
        let origin_span = value.span;
        assign(value, variable, span).via(Origin {
            span: origin_span,
            what,
            kind: OriginKind::Variable,
        })
    }

    /// A variable's value when its module stands alone: tfvars, else the default.
    fn standalone_variable(&self, variable: &crate::model::terraform::Variable) -> StandaloneValue {
        let name = &variable.name;
        let (value, what) = if let Some(assigned) = self.module.tfvars.get(name) {
            (self.eval(&assigned.value), format!("value of `{name}` in tfvars"))
        } else {
            let default = variable.default()?;
            (self.eval(&default.value), format!("default of variable `{name}`"))
        };
        let origin_span = value.span;
        Some(assign(value, variable, origin_span).via(Origin {
            span: origin_span,
            what,
            kind: OriginKind::Variable,
        }))
    }

    fn local(&self, name: &str, span: Span) -> Value {
        let Some(local) = self.module.locals.get(name) else {
            return Value::unknown(format!("local `{name}` is not defined in this module"), span);
        };
        self.eval(&local.value).via(Origin {
            span: local.value.span,
            what: format!("local `{name}`"),
            kind: OriginKind::Local,
        })
    }

    /// A fresh evaluator for another scope of the same evaluation: it keeps the caller and
    /// the depth reached, so references that loop through instances still end.
    fn nested(&self, evaluator: Evaluator<'m>) -> Evaluator<'m> {
        evaluator.depth.set(self.depth.get());
        evaluator.steps.set(self.steps.get());
        evaluator.with_caller(self.caller)
    }

    /// `module.<name>` as a whole: an object keyed by its `for_each` keys, or a list of its
    /// `count` instances, each an unknown object (outputs are known only after apply).
    fn module_instances(&self, name: &str, span: Span) -> Value {
        let Some(&at) = self.module.calls_named(name).first() else {
            return Value::unknown(format!("module `{name}` is not called in this module"), span);
        };
        let call = &self.module.calls[at];
        let outputs = || {
            Value::unknown(
                format!("the outputs of module `{name}` are known only after apply"),
                span,
            )
        };
        let base = self.nested(Evaluator::new(self.module));
        match Repetition::of(&call.block.body, &base) {
            Repetition::Single => outputs(),
            Repetition::Unknown { reason, .. } => Value::unknown(reason, span),
            Repetition::Instances(instances) => {
                let kind = match instances.first().map(|i| &i.key) {
                    Some(InstanceKey::Key(_)) => ValueKind::Object(
                        instances
                            .iter()
                            .filter_map(|i| match &i.key {
                                InstanceKey::Key(k) => Some((k.clone(), outputs())),
                                InstanceKey::Index(_) => None,
                            })
                            .collect(),
                    ),
                    _ => ValueKind::List(instances.iter().map(|_| outputs()).collect()),
                };
                Value::new(kind, span)
            }
        }
    }

    /// `kind.name[index].attribute` of a `count` / `for_each` resource: the literal attribute
    /// of that instance, evaluated with its `each` / `count`.
    fn resource_instance_attr(
        &self,
        kind: &str,
        name: &str,
        index: &Expr,
        attribute: Option<&str>,
        span: Span,
    ) -> Value {
        let Some(resource) = self.module.resource(kind, name) else {
            return Value::unknown(format!("`{kind}.{name}` is not defined in this module"), span);
        };
        let index = self.eval(index);
        if !index.is_known() {
            return Value::new(index.kind, span);
        }
        let Some(key) = InstanceKey::of_value(&index) else {
            return Value::error("an instance key must be a string or a whole number", span);
        };
        let base = self.nested(Evaluator::new(self.module));
        let instance = match Repetition::of(&resource.block.body, &base) {
            Repetition::Instances(instances) => match instances.into_iter().find(|i| i.key == key) {
                Some(instance) => instance,
                None => return Value::error(format!("`{kind}.{name}` has no instance {key}"), span),
            },
            Repetition::Unknown { reason, .. } => return Value::unknown(reason, span),
            Repetition::Single => {
                return Value::error(format!("`{kind}.{name}` has no count or for_each to index"), span)
            }
        };
        let Some(attribute) = attribute else {
            return Value::unknown(format!("`{kind}.{name}{key}` as a whole is not evaluated"), span);
        };
        match resource.attr(attribute) {
            Some(attr) => self
                .nested(Evaluator::for_instance(
                    self.module,
                    &instance,
                    resource.block.span,
                ))
                .eval(&attr.value)
                .via(Origin {
                    span: attr.value.span,
                    what: format!("`{attribute}` of {kind}.{name}{key}"),
                    kind: OriginKind::ResourceAttribute,
                }),
            None => Value::unknown(
                format!("`{kind}.{name}{key}.{attribute}` is known only after apply"),
                span,
            ),
        }
    }

    fn resource_attr(
        &self,
        is_data: bool,
        kind: &str,
        name: &str,
        attribute: Option<&str>,
        span: Span,
    ) -> Value {
        let prefix = if is_data { "data." } else { "" };
        let resource = if is_data {
            self.module.data_source(kind, name)
        } else {
            self.module.resource(kind, name)
        };
        let Some(resource) = resource else {
            return Value::unknown(
                format!("`{prefix}{kind}.{name}` is not defined in this module"),
                span,
            );
        };
        if resource.is_repeated() {
            return Value::unknown(
                format!("`{prefix}{kind}.{name}` uses count or for_each: its attributes are per instance"),
                span,
            );
        }
        let Some(attribute) = attribute else {
            return Value::unknown(
                format!("`{prefix}{kind}.{name}` as a whole is not evaluated"),
                span,
            );
        };
        match resource.attr(attribute) {
            Some(attr) => self.eval(&attr.value).via(Origin {
                span: attr.value.span,
                what: format!("`{attribute}` of {prefix}{kind}.{name}"),
                kind: OriginKind::ResourceAttribute,
            }),
            None => Value::unknown(
                format!("`{prefix}{kind}.{name}.{attribute}` is known only after apply"),
                span,
            ),
        }
    }
}

/// A variable's value alone; `None` when it has neither a tfvars value nor a default.
pub type StandaloneValue = Option<Value>;

/// The value a variable holds once Terraform has converted it to the declared type:
/// `optional()` attributes filled in, undeclared attributes dropped, numbers in a
/// `map(string)` turned to strings. A value the type refuses is an error (Terraform stops at
/// plan); one whose conversion depends on unknowns is kept as it is.
fn assign(value: Value, variable: &crate::model::terraform::Variable, span: Span) -> Value {
    use crate::model::terraform::types::{self, Conversion};
    let Some(ty) = &variable.declared else {
        return value;
    };
    match types::convert(&value, ty) {
        Conversion::Converted(converted) => converted,
        Conversion::Mismatch(mismatch) => Value::error(
            format!(
                "the value of `{}` is not a {} ({})",
                variable.name, mismatch.expected, mismatch.given
            ),
            span,
        ),
        Conversion::Unknown(_) => value,
    }
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;

/// The (key, value) pairs a `for` iterates: a list's indexes and elements, or an object's
/// keys and values in key order (Terraform iterates maps sorted).
fn iteration(collection: &Value) -> Result<Vec<(Value, Value)>, ValueKind> {
    let span = collection.span;
    let pairs: Vec<(Value, Value)> = match &collection.kind {
        ValueKind::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Value::new(ValueKind::Number(i as f64), span), v.clone()))
            .collect(),
        ValueKind::Object(fields) => {
            let mut sorted: Vec<&(String, Value)> = fields.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            sorted
                .into_iter()
                .map(|(k, v)| (Value::new(ValueKind::String(k.clone()), span), v.clone()))
                .collect()
        }
        ValueKind::Unknown(_) | ValueKind::Error(_) => return Err(collection.kind.clone()),
        ValueKind::Null => return Err(ValueKind::Error("a `for` over a null value".into())),
        _ => {
            return Err(ValueKind::Error(
                "a `for` needs a list, set, map or object".into(),
            ))
        }
    };
    if pairs.len() > MAX_ELEMENTS {
        return Err(ValueKind::Unknown(
            "the collection is too large to evaluate".into(),
        ));
    }
    // An element came from wherever its collection came from (a variable's default, say).
    Ok(pairs
        .into_iter()
        .map(|(k, v)| (k, inherit(&collection.origins, v)))
        .collect())
}

/// `value[index]` on a known value and index, with Terraform's conversions (a list index may
/// be a numeric string, a map key a number).
fn index_value(value: &Value, index: &Value) -> Result<Value, String> {
    match &value.kind {
        ValueKind::List(items) => {
            let n = operators::to_number(index).map_err(|_| "a list index must be a number".to_string())?;
            if n < 0.0 || n.fract() != 0.0 {
                return Err(format!("{} is not a valid list index", format_number(n)));
            }
            items
                .get(n as usize)
                .cloned()
                .ok_or_else(|| format!("index {} is out of range", format_number(n)))
        }
        ValueKind::Object(_) => {
            let key = index
                .to_template_string()
                .ok_or_else(|| "a map key must be a string".to_string())?;
            value
                .get(&key)
                .cloned()
                .ok_or_else(|| format!("the map has no element `{key}`"))
        }
        ValueKind::Null => Err("index of a null value".into()),
        _ => Err("only lists, maps and objects can be indexed".into()),
    }
}

/// `value` with `origins` (its container's provenance) in front of its own. A step that
/// spans the whole container (a variable's default map) is narrowed to the element, so its
/// label points at what the element is, not at the whole map.
pub fn inherit(origins: &[Origin], mut value: Value) -> Value {
    if !origins.is_empty() {
        let mut all: Vec<Origin> = origins
            .iter()
            .map(|o| {
                let mut o = o.clone();
                if o.span.contains(value.span) {
                    o.span = value.span;
                }
                o
            })
            .collect();
        all.append(&mut value.origins);
        value.origins = all;
    }
    value
}
