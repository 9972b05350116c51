//! Terraform's types, and what Terraform does to a value assigned to a typed variable: the
//! conversion every module input applies to the value a call passes.
//!
//! A [`Type`] is read from a type constraint as written in `variable "x" { type = … }`
//! ([`Type::from_expr`]), or built from the consul-ecs schema data
//! (`consul_ecs::schema::Input::terraform_type`). [`convert`] follows Terraform (its cty
//! library, in the lenient mode Terraform uses for variables), as checked against
//! `terraform console` 1.11:
//!
//! - a number or bool becomes a string; a string becomes a number only when it spells one,
//!   and a bool only when it is `"true"`/`"false"` (or `"1"`/`"0"`);
//! - a tuple (`[…]`) becomes a list or set when each element converts to the element type; for
//!   `any` elements, to the one type they can all be unified to, or not at all;
//! - an object (`{…}`) becomes a map the same way, and an object type keeps the attributes it
//!   declares: a missing one is an error unless `optional`, which takes its default or null;
//! - a primitive never becomes a collection, nor a collection a primitive;
//! - `null` converts to every type, and `any` accepts every value as it is.
//!
//! Values meshlint cannot know make the outcome [`Conversion::Unknown`], except where no
//! value could fail (under `any`) or where another part already fails for sure.

use crate::model::terraform::eval::Evaluator;
use crate::model::terraform::value::{format_number, Origin, Value, ValueKind};
use crate::model::terraform::{Module, Variable};
use crate::source::Span;
use crate::syntax::{Expr, ExprKind, ObjectKey};
use std::collections::BTreeMap;
use std::fmt;

/// A Terraform type, or type constraint (with `any` and optional attributes).
#[derive(Debug, Clone, PartialEq)]
pub enum Type {
    String,
    Number,
    Bool,
    /// `any` in a constraint. Also the type of a `null` literal while elements are unified,
    /// as Terraform gives `null` no type of its own there.
    Any,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Tuple(Vec<Type>),
    /// Attributes by name (Terraform orders them by name too).
    Object(BTreeMap<String, AttributeType>),
    /// An object whose attributes meshlint does not know (schema data that records only
    /// `object`): every object value is taken as it is. Accepting more than the real type
    /// can only cost a finding, never invent one.
    SomeObject,
}

/// One attribute of an object type.
#[derive(Debug, Clone)]
pub struct AttributeType {
    pub ty: Type,
    /// `optional(T)`: may be absent (or null), and then takes `default`.
    pub optional: bool,
    /// `optional(T, default)`, converted to `T`.
    pub default: Option<Value>,
}

/// Two attribute types are the same type when their types and optionality are: a default is
/// what a conversion fills in, not part of the type (as in Terraform).
impl PartialEq for AttributeType {
    fn eq(&self, other: &Self) -> bool {
        self.ty == other.ty && self.optional == other.optional
    }
}

impl AttributeType {
    pub fn required(ty: Type) -> AttributeType {
        AttributeType {
            ty,
            optional: false,
            default: None,
        }
    }
}

/// What assigning a value to a typed variable gives.
#[derive(Debug, Clone)]
pub enum Conversion {
    /// It converts. The value keeps its spans and origins; parts under `any` may be unknown.
    Converted(Value),
    /// Whether it converts depends on something meshlint does not know.
    Unknown(String),
    /// Terraform refuses it. (Boxed: it is the rare outcome, and the large one.)
    Mismatch(Box<Mismatch>),
}

/// Where and why a value does not convert.
#[derive(Debug, Clone)]
pub struct Mismatch {
    /// The type wanted where the conversion failed, e.g. `list(string)`, `number`.
    pub expected: String,
    /// The type of the value there: `string`, `number`, `bool`, `tuple` (`[…]`), `object`.
    pub given: String,
    /// Inside the value: empty for the value itself, else indexes and attribute names.
    pub path: Vec<Step>,
    pub problem: Problem,
    /// Where the failing part is written.
    pub span: Span,
    /// The provenance of every value from the outermost down to the failing part.
    pub origins: Vec<Origin>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Index(usize),
    Key(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No conversion exists between the two types.
    Type,
    /// A string that does not spell a number.
    NotANumber(String),
    /// A string that is not `"true"` or `"false"`.
    NotABool(String),
    /// An object without an attribute its type requires.
    MissingAttribute(String),
    /// Elements (or map values) that cannot share one type, as `list(any)` requires.
    NoCommonType,
    /// A tuple of the wrong length for a tuple type.
    Length { given: usize, wanted: usize },
}

/// The path as users write it after an input's name: `[0].port`, `["a b"]`.
pub fn path_text(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Index(i) => out.push_str(&format!("[{i}]")),
            Step::Key(key) if is_identifier(key) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Key(key) => out.push_str(&format!("[{key:?}]")),
        }
    }
    out
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl fmt::Display for Type {
    /// As a type constraint is written (`list(string)`, `object({ a = number })`); defaults of
    /// optional attributes are left out.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::Any => f.write_str("any"),
            Type::List(e) => write!(f, "list({e})"),
            Type::Set(e) => write!(f, "set({e})"),
            Type::Map(e) => write!(f, "map({e})"),
            Type::Tuple(items) => {
                let items: Vec<String> = items.iter().map(Type::to_string).collect();
                write!(f, "tuple([{}])", items.join(", "))
            }
            Type::Object(attrs) => {
                let attrs: Vec<String> = attrs
                    .iter()
                    .map(|(name, a)| match a.optional {
                        true => format!("{name} = optional({})", a.ty),
                        false => format!("{name} = {}", a.ty),
                    })
                    .collect();
                write!(f, "object({{ {} }})", attrs.join(", "))
            }
            Type::SomeObject => f.write_str("object"),
        }
    }
}

impl Type {
    /// The type a constraint expression denotes; `None` when it is not one Terraform accepts
    /// (a quoted `"string"` is refused since Terraform 0.15).
    pub fn from_expr(expr: &Expr) -> Option<Type> {
        match &expr.kind {
            ExprKind::Parenthesis(inner) => Type::from_expr(inner),
            ExprKind::Variable(name) => match name.as_str() {
                "string" => Some(Type::String),
                "number" => Some(Type::Number),
                "bool" => Some(Type::Bool),
                "any" => Some(Type::Any),
                // Terraform still reads a bare collection keyword as a collection of `any`.
                "list" => Some(Type::List(Box::new(Type::Any))),
                "set" => Some(Type::Set(Box::new(Type::Any))),
                "map" => Some(Type::Map(Box::new(Type::Any))),
                _ => None,
            },
            ExprKind::Call(call) if !call.expand_final && call.args.len() == 1 => {
                let arg = &call.args[0];
                match call.name.as_str() {
                    "list" => Some(Type::List(Box::new(Type::from_expr(arg)?))),
                    "set" => Some(Type::Set(Box::new(Type::from_expr(arg)?))),
                    "map" => Some(Type::Map(Box::new(Type::from_expr(arg)?))),
                    "tuple" => match &arg.kind {
                        ExprKind::Array(items) => Some(Type::Tuple(
                            items.iter().map(Type::from_expr).collect::<Option<_>>()?,
                        )),
                        _ => None,
                    },
                    "object" => object_from_expr(arg),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// True when `any` appears anywhere in the type: converted values then need a second look
    /// to share one type.
    pub fn has_any(&self) -> bool {
        match self {
            Type::Any => true,
            Type::List(e) | Type::Set(e) | Type::Map(e) => e.has_any(),
            Type::Tuple(items) => items.iter().any(Type::has_any),
            Type::Object(attrs) => attrs.values().any(|a| a.ty.has_any()),
            Type::String | Type::Number | Type::Bool | Type::SomeObject => false,
        }
    }

    fn is_primitive(&self) -> bool {
        matches!(self, Type::String | Type::Number | Type::Bool)
    }
}

/// `object({ a = string, b = optional(number, 5) })`.
fn object_from_expr(arg: &Expr) -> Option<Type> {
    let ExprKind::Object(items) = &arg.kind else {
        return None;
    };
    let mut attrs = BTreeMap::new();
    for item in items {
        let ObjectKey::Name(name) = &item.key else {
            return None;
        };
        let attr = match &item.value.kind {
            ExprKind::Call(call) if call.name == "optional" && !call.expand_final => {
                let ty = Type::from_expr(call.args.first()?)?;
                let default = match call.args.get(1) {
                    None => None,
                    // Terraform converts the default to the attribute's type when it reads
                    // the constraint, and refuses the constraint when it cannot.
                    Some(expr) => match convert(&constant(expr), &ty) {
                        Conversion::Converted(v) => Some(v),
                        Conversion::Unknown(_) | Conversion::Mismatch(_) => return None,
                    },
                };
                if call.args.len() > 2 {
                    return None;
                }
                AttributeType {
                    ty,
                    optional: true,
                    default,
                }
            }
            _ => AttributeType::required(Type::from_expr(&item.value)?),
        };
        attrs.insert(name.to_string(), attr);
    }
    Some(Type::Object(attrs))
}

/// A default in a type constraint: a constant, so evaluated with nothing to refer to.
fn constant(expr: &Expr) -> Value {
    Evaluator::new(&Module::default()).eval(expr)
}

impl Variable {
    /// The variable's `type`, when it is one meshlint reads (read once, when the module is
    /// built).
    pub fn declared_type(&self) -> Option<Type> {
        self.declared.clone()
    }
}

/// Converts `value` to `ty` as Terraform does when a variable (a module input) receives it.
pub fn convert(value: &Value, ty: &Type) -> Conversion {
    let mut at = Place::default();
    at.convert(value, ty)
}

/// Where the conversion is inside the outermost value, for mismatches.
#[derive(Default)]
struct Place {
    path: Vec<Step>,
    origins: Vec<Origin>,
}

impl Place {
    fn convert(&mut self, value: &Value, ty: &Type) -> Conversion {
        let before = self.origins.len();
        self.origins.extend(value.origins.iter().cloned());
        let result = self.convert_here(value, ty);
        self.origins.truncate(before);
        result
    }

    fn mismatch(&self, value: &Value, expected: &Type, problem: Problem) -> Conversion {
        Conversion::Mismatch(Box::new(Mismatch {
            expected: expected.to_string(),
            given: type_name(value).to_string(),
            path: self.path.clone(),
            problem,
            span: value.span,
            origins: self.origins.clone(),
        }))
    }

    fn convert_here(&mut self, value: &Value, ty: &Type) -> Conversion {
        let with = |kind: ValueKind| {
            Conversion::Converted(Value {
                kind,
                span: value.span,
                origins: value.origins.clone(),
            })
        };
        match (&value.kind, ty) {
            (_, Type::Any) | (ValueKind::Null, _) => Conversion::Converted(value.clone()),
            (ValueKind::Unknown(reason) | ValueKind::Error(reason), _) => Conversion::Unknown(reason.clone()),
            (ValueKind::String(_), Type::String)
            | (ValueKind::Number(_), Type::Number)
            | (ValueKind::Bool(_), Type::Bool)
            | (ValueKind::Object(_), Type::SomeObject) => Conversion::Converted(value.clone()),
            (ValueKind::Number(n), Type::String) => with(ValueKind::String(format_number(*n))),
            (ValueKind::Bool(b), Type::String) => with(ValueKind::String(b.to_string())),
            (ValueKind::String(s), Type::Number) => match parse_number(s) {
                Some(n) => with(ValueKind::Number(n)),
                None => self.mismatch(value, ty, Problem::NotANumber(s.clone())),
            },
            (ValueKind::String(s), Type::Bool) => match s.as_str() {
                "true" | "1" => with(ValueKind::Bool(true)),
                "false" | "0" => with(ValueKind::Bool(false)),
                _ => self.mismatch(value, ty, Problem::NotABool(s.clone())),
            },
            (ValueKind::List(items), Type::List(element) | Type::Set(element)) => {
                let items: Vec<(Step, &Value)> = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (Step::Index(i), v))
                    .collect();
                match self.collection(value, ty, element, &items, Unify::AllOrNone) {
                    Ok(converted) => with(ValueKind::List(converted)),
                    Err(outcome) => outcome,
                }
            }
            (ValueKind::Object(fields), Type::Map(element)) => {
                let items: Vec<(Step, &Value)> =
                    fields.iter().map(|(k, v)| (Step::Key(k.clone()), v)).collect();
                match self.collection(value, ty, element, &items, Unify::IgnoringNulls) {
                    Ok(converted) => with(ValueKind::Object(
                        fields.iter().map(|(k, _)| k.clone()).zip(converted).collect(),
                    )),
                    Err(outcome) => outcome,
                }
            }
            (ValueKind::List(items), Type::Tuple(types)) => {
                if items.len() != types.len() {
                    let problem = Problem::Length {
                        given: items.len(),
                        wanted: types.len(),
                    };
                    return self.mismatch(value, ty, problem);
                }
                let pairs = items.iter().zip(types).enumerate();
                let parts = pairs.map(|(i, (item, t))| (Step::Index(i), item, t));
                match self.each(parts) {
                    Ok(converted) => with(ValueKind::List(converted)),
                    Err(outcome) => outcome,
                }
            }
            (ValueKind::Object(fields), Type::Object(attrs)) => self.object(value, ty, fields, attrs),
            _ => self.mismatch(value, ty, Problem::Type),
        }
    }

    /// Converts the parts one by one. A sure mismatch anywhere wins over an unknown before it:
    /// Terraform would stop there whatever the unknown part turns out to be.
    fn each<'v>(
        &mut self,
        parts: impl Iterator<Item = (Step, &'v Value, &'v Type)>,
    ) -> Result<Vec<Value>, Conversion> {
        let mut converted = Vec::new();
        let mut unknown = None;
        for (step, part, ty) in parts {
            self.path.push(step);
            let outcome = self.convert(part, ty);
            self.path.pop();
            match outcome {
                Conversion::Converted(v) => converted.push(v),
                Conversion::Unknown(reason) => {
                    unknown.get_or_insert(reason);
                }
                mismatch @ Conversion::Mismatch(_) => return Err(mismatch),
            }
        }
        match unknown {
            Some(reason) => Err(Conversion::Unknown(reason)),
            None => Ok(converted),
        }
    }

    /// The elements of a list or set, or the values of a map, converted to `element`; with
    /// `any` in it, to the one type they all share.
    fn collection(
        &mut self,
        whole: &Value,
        ty: &Type,
        element: &Type,
        items: &[(Step, &Value)],
        nulls: Unify,
    ) -> Result<Vec<Value>, Conversion> {
        if *element == Type::Any {
            // A lone element shares its own type, whatever it is (and however unknown).
            if let [(_, only)] = items {
                return Ok(vec![(*only).clone()]);
            }
            let mut types = Vec::with_capacity(items.len());
            for (_, item) in items {
                match type_of(item) {
                    Some(t) => types.push(t),
                    None => return Err(self.first_unknown(items)),
                }
            }
            let Some(common) = common_type(&types, nulls) else {
                return Err(self.mismatch(whole, ty, Problem::NoCommonType));
            };
            return self.each(items.iter().map(|(step, item)| (step.clone(), *item, &common)));
        }
        let converted = self.each(items.iter().map(|(step, item)| (step.clone(), *item, element)))?;
        if !element.has_any() {
            return Ok(converted);
        }
        // `list(map(any))` and the like: each element converted on its own may have come out
        // a different type, and the collection still needs one.
        let mut types = Vec::with_capacity(converted.len());
        for value in &converted {
            match converted_type(value, element) {
                Some(t) => types.push(t),
                None => return Err(Conversion::Unknown("a part's type is not known".into())),
            }
        }
        if types.windows(2).all(|w| w[0] == w[1]) {
            return Ok(converted);
        }
        match unify(&types) {
            Some(common) if common != Type::Any => {
                let parts = items.iter().zip(&converted);
                self.each(parts.map(|((step, _), value)| (step.clone(), value, &common)))
            }
            _ => Err(self.mismatch(whole, ty, Problem::NoCommonType)),
        }
    }

    /// The first unknown part's reason, for a unification that needs every part's type.
    fn first_unknown(&self, items: &[(Step, &Value)]) -> Conversion {
        let reason = items
            .iter()
            .find_map(|(_, item)| unknown_reason(item))
            .unwrap_or_else(|| "a part is not known".to_string());
        Conversion::Unknown(reason)
    }

    fn object(
        &mut self,
        whole: &Value,
        ty: &Type,
        fields: &[(String, Value)],
        attrs: &BTreeMap<String, AttributeType>,
    ) -> Conversion {
        // Attributes the type does not declare are dropped, as Terraform drops them.
        let mut converted = Vec::with_capacity(attrs.len());
        let mut unknown = None;
        for (name, attr) in attrs {
            let given = fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
            let value = match given {
                Some(v) if !(attr.optional && matches!(v.kind, ValueKind::Null)) => {
                    self.path.push(Step::Key(name.clone()));
                    let outcome = self.convert(v, &attr.ty);
                    self.path.pop();
                    match outcome {
                        Conversion::Converted(v) => v,
                        Conversion::Unknown(reason) => {
                            unknown.get_or_insert(reason);
                            continue;
                        }
                        mismatch @ Conversion::Mismatch(_) => return mismatch,
                    }
                }
                // Absent, or null, and optional: the default, or null.
                _ if attr.optional => match &attr.default {
                    Some(default) => default.clone(),
                    None => Value::new(ValueKind::Null, given.map_or(whole.span, |v| v.span)),
                },
                _ => return self.mismatch(whole, ty, Problem::MissingAttribute(name.clone())),
            };
            converted.push((name.clone(), value));
        }
        match unknown {
            Some(reason) => Conversion::Unknown(reason),
            None => Conversion::Converted(Value {
                kind: ValueKind::Object(converted),
                span: whole.span,
                origins: whole.origins.clone(),
            }),
        }
    }
}

fn unknown_reason(value: &Value) -> Option<String> {
    match &value.kind {
        ValueKind::Unknown(reason) | ValueKind::Error(reason) => Some(reason.clone()),
        ValueKind::List(items) => items.iter().find_map(unknown_reason),
        ValueKind::Object(fields) => fields.iter().find_map(|(_, v)| unknown_reason(v)),
        _ => None,
    }
}

/// How `null` elements take part when `any` elements are unified. Terraform refuses a list
/// or set mixing `null` with a collection or object (`[null, {a = 1}]` for `list(any)`), yet
/// gives a map's `null` values the type of the others (`{a = null, b = {c = 1}}`).
#[derive(Clone, Copy)]
enum Unify {
    AllOrNone,
    IgnoringNulls,
}

/// The type `any` elements become, or `None` when they have none in common.
fn common_type(types: &[Type], nulls: Unify) -> Option<Type> {
    let considered: Vec<Type> = match nulls {
        Unify::AllOrNone => types.to_vec(),
        Unify::IgnoringNulls => types.iter().filter(|t| **t != Type::Any).cloned().collect(),
    };
    if considered.is_empty() {
        return Some(Type::Any);
    }
    let common = unify(&considered)?;
    // Unified to "any" means the elements stay of different types, which a collection cannot
    // hold, unless every one of them is null.
    if common == Type::Any && considered.iter().any(|t| *t != Type::Any) {
        return None;
    }
    Some(common)
}

/// The name of a value's type, as Terraform's messages say it.
pub fn type_name(value: &Value) -> &'static str {
    match &value.kind {
        ValueKind::Null => "null",
        ValueKind::Bool(_) => "bool",
        ValueKind::Number(_) => "number",
        ValueKind::String(_) => "string",
        ValueKind::List(_) => "tuple",
        ValueKind::Object(_) => "object",
        ValueKind::Unknown(_) | ValueKind::Error(_) => "unknown",
    }
}

/// The type of a value as written: `[…]` is a tuple and `{…}` an object; `null` has none
/// (it counts as `any`). `None` when a part is unknown.
pub fn type_of(value: &Value) -> Option<Type> {
    Some(match &value.kind {
        ValueKind::Null => Type::Any,
        ValueKind::Bool(_) => Type::Bool,
        ValueKind::Number(_) => Type::Number,
        ValueKind::String(_) => Type::String,
        ValueKind::List(items) => Type::Tuple(items.iter().map(type_of).collect::<Option<_>>()?),
        ValueKind::Object(fields) => Type::Object(
            fields
                .iter()
                .map(|(k, v)| Some((k.clone(), AttributeType::required(type_of(v)?))))
                .collect::<Option<_>>()?,
        ),
        ValueKind::Unknown(_) | ValueKind::Error(_) => return None,
    })
}

/// The type of a value that converted to `ty`: `ty` itself, with what `any` became filled in.
fn converted_type(value: &Value, ty: &Type) -> Option<Type> {
    if matches!(value.kind, ValueKind::Null) || !ty.has_any() {
        return Some(ty.clone());
    }
    match (ty, &value.kind) {
        (Type::Any, _) => type_of(value),
        (Type::List(e) | Type::Set(e), ValueKind::List(items)) => {
            let element = match items.first() {
                Some(first) => converted_type(first, e)?,
                None => (**e).clone(),
            };
            Some(match ty {
                Type::Set(_) => Type::Set(Box::new(element)),
                _ => Type::List(Box::new(element)),
            })
        }
        (Type::Map(e), ValueKind::Object(fields)) => {
            let element = match fields.first() {
                Some((_, first)) => converted_type(first, e)?,
                None => (**e).clone(),
            };
            Some(Type::Map(Box::new(element)))
        }
        (Type::Tuple(types), ValueKind::List(items)) => Some(Type::Tuple(
            items
                .iter()
                .zip(types)
                .map(|(v, t)| converted_type(v, t))
                .collect::<Option<_>>()?,
        )),
        (Type::Object(attrs), ValueKind::Object(fields)) => {
            let mut out = BTreeMap::new();
            for (name, attr) in attrs {
                let field = fields.iter().find(|(k, _)| k == name).map(|(_, v)| v)?;
                out.insert(
                    name.clone(),
                    AttributeType::required(converted_type(field, &attr.ty)?),
                );
            }
            Some(Type::Object(out))
        }
        _ => None,
    }
}

/// The one type Terraform unifies `types` to, or `None`. Structural types of one kind are
/// unified part by part, possibly into a new type (objects with different attributes into a
/// map, tuples of different lengths into a list); otherwise the most general of the types
/// that every other converts to wins, strings first and `any` last.
pub fn unify(types: &[Type]) -> Option<Type> {
    let first = types.first()?;
    if types.iter().all(|t| t == first) {
        return Some(first.clone());
    }
    let count = |kind: fn(&Type) -> bool| types.iter().filter(|t| kind(t)).count();
    let maps = count(|t| matches!(t, Type::Map(_)));
    let lists = count(|t| matches!(t, Type::List(_)));
    let sets = count(|t| matches!(t, Type::Set(_)));
    let objects = count(|t| matches!(t, Type::Object(_)));
    let tuples = count(|t| matches!(t, Type::Tuple(_)));
    let dynamic = count(|t| *t == Type::Any);
    let n = types.len();
    // A `null` among collections or structures: Terraform cannot tell which way they would
    // go and gives up on a common type ("any"), which callers treat as none.
    if maps > 0 && maps + dynamic == n {
        return unify_collections(types, dynamic > 0, |e| Type::Map(Box::new(e)));
    }
    if maps > 0 && maps + objects + dynamic == n {
        if let Some(t @ Type::Map(_)) =
            unify_replacing(types, |t| matches!(t, Type::Object(_)), objects_to_map)
        {
            return Some(t);
        }
    } else if lists > 0 && lists + dynamic == n {
        return unify_collections(types, dynamic > 0, |e| Type::List(Box::new(e)));
    } else if lists > 0 && lists + tuples + dynamic == n {
        if let Some(t @ Type::List(_)) =
            unify_replacing(types, |t| matches!(t, Type::Tuple(_)), tuples_to_list)
        {
            return Some(t);
        }
    } else if sets > 0 && sets + dynamic == n {
        return unify_collections(types, dynamic > 0, |e| Type::Set(Box::new(e)));
    } else if objects > 0 && objects + dynamic == n {
        return if dynamic > 0 {
            Some(Type::Any)
        } else {
            unify_objects(types)
        };
    } else if tuples > 0 && tuples + dynamic == n {
        return if dynamic > 0 {
            Some(Type::Any)
        } else {
            unify_tuples(types)
        };
    } else if objects > 0 && tuples > 0 {
        return None;
    }
    let mut candidates: Vec<&Type> = types.iter().collect();
    // Stable: among equally general types the first written is tried first.
    candidates.sort_by_key(|t| match t {
        Type::String => 0,
        Type::Any => 2,
        _ => 1,
    });
    candidates
        .into_iter()
        .find(|candidate| types.iter().all(|t| convertible(t, candidate)))
        .cloned()
}

fn unify_collections(types: &[Type], has_dynamic: bool, wrap: fn(Type) -> Type) -> Option<Type> {
    if has_dynamic {
        return Some(Type::Any);
    }
    let elements: Vec<Type> = types
        .iter()
        .filter_map(|t| match t {
            Type::List(e) | Type::Set(e) | Type::Map(e) => Some((**e).clone()),
            _ => None,
        })
        .collect();
    unify(&elements).map(wrap)
}

/// Unifies the parts of one kind among themselves first (`to_one`), then everything with that
/// result in their place.
fn unify_replacing(
    types: &[Type],
    is_part: fn(&Type) -> bool,
    to_one: fn(&[Type]) -> Option<Type>,
) -> Option<Type> {
    let parts: Vec<Type> = types.iter().filter(|t| is_part(t)).cloned().collect();
    let one = to_one(&parts)?;
    let replaced: Vec<Type> = types
        .iter()
        .map(|t| if is_part(t) { one.clone() } else { t.clone() })
        .collect();
    unify(&replaced)
}

fn attributes(t: &Type) -> Option<&BTreeMap<String, AttributeType>> {
    match t {
        Type::Object(attrs) => Some(attrs),
        _ => None,
    }
}

/// Objects with the same attribute names unify attribute by attribute; otherwise into a map.
fn unify_objects(types: &[Type]) -> Option<Type> {
    let first = attributes(&types[0])?;
    let same_names = types.iter().all(|t| {
        attributes(t).is_some_and(|a| a.len() == first.len() && a.keys().all(|k| first.contains_key(k)))
    });
    if !same_names {
        return objects_to_map(types);
    }
    let mut out = BTreeMap::new();
    for name in first.keys() {
        let across: Vec<Type> = types
            .iter()
            .filter_map(|t| attributes(t).and_then(|a| a.get(name)).map(|a| a.ty.clone()))
            .collect();
        out.insert(name.clone(), AttributeType::required(unify(&across)?));
    }
    Some(Type::Object(out))
}

/// A map whose element type every attribute of every object unifies to.
fn objects_to_map(types: &[Type]) -> Option<Type> {
    let all: Vec<Type> = types
        .iter()
        .filter_map(attributes)
        .flat_map(|a| a.values().map(|a| a.ty.clone()))
        .collect();
    Some(Type::Map(Box::new(unify(&all)?)))
}

fn elements(t: &Type) -> Option<&[Type]> {
    match t {
        Type::Tuple(items) => Some(items),
        _ => None,
    }
}

/// Tuples of one length unify element by element; otherwise into a list.
fn unify_tuples(types: &[Type]) -> Option<Type> {
    let first = elements(&types[0])?;
    if !types
        .iter()
        .all(|t| elements(t).is_some_and(|e| e.len() == first.len()))
    {
        return tuples_to_list(types);
    }
    let mut out = Vec::with_capacity(first.len());
    for i in 0..first.len() {
        let across: Vec<Type> = types
            .iter()
            .filter_map(|t| elements(t).map(|e| e[i].clone()))
            .collect();
        out.push(unify(&across)?);
    }
    Some(Type::Tuple(out))
}

/// A list whose element type every element of every tuple unifies to.
fn tuples_to_list(types: &[Type]) -> Option<Type> {
    let all: Vec<Type> = types.iter().filter_map(elements).flatten().cloned().collect();
    Some(Type::List(Box::new(unify(&all)?)))
}

/// Whether a value of type `from` may convert to `to` (a conversion exists, though a string
/// may still not spell the number wanted).
fn convertible(from: &Type, to: &Type) -> bool {
    if from == to || *from == Type::Any || *to == Type::Any {
        return true;
    }
    match (from, to) {
        (f, Type::String) if f.is_primitive() => true,
        (Type::String, Type::Number | Type::Bool) => true,
        (Type::Tuple(items), Type::List(e) | Type::Set(e)) => match **e {
            Type::Any => items.is_empty() || common_type(items, Unify::AllOrNone).is_some(),
            _ => items.iter().all(|i| convertible(i, e)),
        },
        (Type::List(a) | Type::Set(a), Type::List(b) | Type::Set(b)) | (Type::Map(a), Type::Map(b)) => {
            convertible(a, b)
        }
        (Type::Tuple(a), Type::Tuple(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| convertible(x, y))
        }
        (Type::Object(attrs), Type::Map(e)) => {
            let types: Vec<Type> = attrs.values().map(|a| a.ty.clone()).collect();
            match **e {
                Type::Any => types.is_empty() || common_type(&types, Unify::IgnoringNulls).is_some(),
                _ => types.iter().all(|t| convertible(t, e)),
            }
        }
        (Type::Object(have), Type::Object(want)) => want.iter().all(|(name, a)| match have.get(name) {
            Some(h) => convertible(&h.ty, &a.ty),
            None => a.optional,
        }),
        (Type::Map(e), Type::Object(want)) => want.values().all(|a| convertible(e, &a.ty)),
        (Type::Object(_) | Type::Map(_), Type::SomeObject) => true,
        _ => false,
    }
}

/// A number as Terraform reads it from a string: decimal digits with an optional sign,
/// fraction and exponent (`e`, or `p` for a power of two), or `inf`/`Inf`. No spaces, no
/// `0x`, no `_`, no `NaN` (Rust's own parser takes some of these, so the text is checked first).
pub fn parse_number(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let negative = text.starts_with('-');
    if unsigned == "inf" || unsigned == "Inf" {
        return Some(if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (mantissa, exponent) = match unsigned.find(['e', 'E', 'p', 'P']) {
        Some(at) => (
            &unsigned[..at],
            Some((&unsigned[at..at + 1], &unsigned[at + 1..])),
        ),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !digits(whole) || !digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    let power = match exponent {
        None => None,
        Some((marker, power)) => {
            let power_digits = power.strip_prefix(['+', '-']).unwrap_or(power);
            if power_digits.is_empty() || !digits(power_digits) {
                return None;
            }
            Some((marker, power))
        }
    };
    match power {
        // A binary exponent scales exactly; Rust reads the rest as Terraform does.
        Some(("p" | "P", power)) => {
            let value: f64 = text[..text.len() - power.len() - 1].parse().ok()?;
            Some(value * 2f64.powi(power.parse().ok()?))
        }
        _ => text.parse().ok(),
    }
}

#[cfg(test)]
#[path = "types_tests.rs"]
mod tests;
