//! Each expectation below is what `terraform console` (1.11) printed for `var.x` of a variable
//! with the type shown, given the value in `terraform.tfvars`.

use super::*;
use crate::model::terraform::standalone::evaluate_expression;
use crate::source::FileId;

fn ty(text: &str) -> Type {
    let expr = crate::parse::expression(FileId(0), text).expect("an expression");
    Type::from_expr(&expr).unwrap_or_else(|| panic!("not a type: {text}"))
}

fn value(text: &str) -> Value {
    evaluate_expression(text).expect("an expression")
}

/// The converted value as JSON, to compare whole structures at once.
fn converts(t: &str, v: &str) -> serde_json::Value {
    match convert(&value(v), &ty(t)) {
        Conversion::Converted(out) => out.to_json().expect("known"),
        other => panic!("{v} as {t}: {other:?}"),
    }
}

fn mismatch(t: &str, v: &str) -> Mismatch {
    match convert(&value(v), &ty(t)) {
        Conversion::Mismatch(m) => *m,
        other => panic!("{v} as {t} should not convert: {other:?}"),
    }
}

fn is_unknown(t: &str, v: &str) -> bool {
    matches!(convert(&value(v), &ty(t)), Conversion::Unknown(_))
}

#[test]
fn type_constraints_are_read_as_written() {
    assert_eq!(ty("string"), Type::String);
    assert_eq!(ty("list(string)"), Type::List(Box::new(Type::String)));
    assert_eq!(ty("map(any)").to_string(), "map(any)");
    assert_eq!(ty("set(number)").to_string(), "set(number)");
    assert_eq!(
        ty("tuple([string, number])").to_string(),
        "tuple([string, number])"
    );
    assert_eq!(
        ty("list(object({ name = string, port = optional(number, 80) }))").to_string(),
        "list(object({ name = string, port = optional(number) }))"
    );
    // Terraform still takes a bare collection keyword as a collection of `any`.
    assert_eq!(ty("list"), Type::List(Box::new(Type::Any)));
    assert_eq!(ty("map"), Type::Map(Box::new(Type::Any)));
}

#[test]
fn what_is_not_a_type_constraint_is_none() {
    for text in [
        "\"string\"",
        "strng",
        "list(string, number)",
        "tuple(string)",
        "object(string)",
        "optional(string)",
        "var.x",
        "object({ a = optional(number, \"x\") })",
    ] {
        let expr = crate::parse::expression(FileId(0), text).unwrap();
        assert!(Type::from_expr(&expr).is_none(), "{text}");
    }
}

#[test]
fn numeric_strings_become_numbers_as_terraform_reads_them() {
    for (text, number) in [
        ("\"12\"", 12.0),
        ("\"-3\"", -3.0),
        ("\"+5\"", 5.0),
        ("\".5\"", 0.5),
        ("\"5.\"", 5.0),
        ("\"1e3\"", 1000.0),
        ("\"1E3\"", 1000.0),
        ("\"1.5e-3\"", 0.0015),
        ("\"0012\"", 12.0),
        ("\"1p3\"", 8.0),
        ("\"inf\"", f64::INFINITY),
        ("\"-Inf\"", f64::NEG_INFINITY),
    ] {
        let Conversion::Converted(out) = convert(&value(text), &Type::Number) else {
            panic!("{text} should convert")
        };
        assert_eq!(out.as_number(), Some(number), "{text}");
    }
}

#[test]
fn other_strings_are_no_numbers() {
    for text in [
        "abc", " 12", "12 ", "0x10", "1_000", "NaN", "infinity", "INF", "", ".", "1e", "0b1",
    ] {
        let m = mismatch("number", &format!("{text:?}"));
        assert_eq!(m.problem, Problem::NotANumber(text.to_string()));
        assert_eq!((m.expected.as_str(), m.given.as_str()), ("number", "string"));
    }
}

#[test]
fn strings_become_bools_only_when_they_spell_one() {
    assert_eq!(converts("bool", "\"true\""), serde_json::json!(true));
    assert_eq!(converts("bool", "\"false\""), serde_json::json!(false));
    assert_eq!(converts("bool", "\"1\""), serde_json::json!(true));
    assert_eq!(converts("bool", "\"0\""), serde_json::json!(false));
    assert_eq!(
        mismatch("bool", "\"True\"").problem,
        Problem::NotABool("True".into())
    );
    assert_eq!(
        mismatch("bool", "\"yes\"").problem,
        Problem::NotABool("yes".into())
    );
}

#[test]
fn numbers_and_bools_become_strings_but_not_each_other() {
    assert_eq!(converts("string", "1.50"), serde_json::json!("1.5"));
    assert_eq!(converts("string", "9090"), serde_json::json!("9090"));
    assert_eq!(converts("string", "true"), serde_json::json!("true"));
    assert_eq!(mismatch("number", "true").problem, Problem::Type);
    assert_eq!(mismatch("bool", "1").problem, Problem::Type);
}

#[test]
fn a_primitive_never_becomes_a_collection_nor_a_collection_a_primitive() {
    let m = mismatch("list(string)", "\"provider=aws tag_key=consul\"");
    assert_eq!(
        (m.expected.as_str(), m.given.as_str()),
        ("list(string)", "string")
    );
    assert!(m.path.is_empty());
    assert_eq!(mismatch("string", "[\"10.0.0.1\"]").given, "tuple");
    assert_eq!(mismatch("string", "{ a = 1 }").given, "object");
    assert_eq!(mismatch("number", "[8080]").problem, Problem::Type);
    assert_eq!(mismatch("map(string)", "[\"a\"]").expected, "map(string)");
    assert_eq!(mismatch("list(string)", "{ a = \"x\" }").given, "object");
    assert_eq!(mismatch("map(string)", "[]").given, "tuple");
    assert_eq!(mismatch("list(string)", "{}").given, "object");
}

#[test]
fn tuple_elements_convert_to_the_element_type() {
    assert_eq!(
        converts("list(string)", "[\"a\", 1, true]"),
        serde_json::json!(["a", "1", "true"])
    );
    assert_eq!(
        converts("list(string)", "[\"a\", null]"),
        serde_json::json!(["a", null])
    );
    // Terraform also drops the repeated "a"; a set is not a kind of value meshlint keeps, and
    // duplicates never decide whether a value converts.
    assert_eq!(
        converts("set(string)", "[\"a\", \"a\", 1]"),
        serde_json::json!(["a", "a", "1"])
    );
    let m = mismatch("list(string)", "[\"a\", [1]]");
    assert_eq!(path_text(&m.path), "[1]");
    assert_eq!((m.expected.as_str(), m.given.as_str()), ("string", "tuple"));
    let m = mismatch("list(number)", "[\"1\", \"x\"]");
    assert_eq!(path_text(&m.path), "[1]");
    assert_eq!(m.problem, Problem::NotANumber("x".into()));
}

#[test]
fn any_elements_are_unified_to_one_type() {
    assert_eq!(converts("list(any)", "[\"a\", 1]"), serde_json::json!(["a", "1"]));
    assert_eq!(
        converts("list(any)", "[{ a = 1 }, { b = 2 }]"),
        serde_json::json!([{"a": 1}, {"b": 2}])
    );
    assert_eq!(
        converts("list(any)", "[{ a = 1, c = \"x\" }, { a = 2, c = true }]"),
        serde_json::json!([{"a": 1, "c": "x"}, {"a": 2, "c": "true"}])
    );
    assert_eq!(
        converts("list(any)", "[{ a = 1, b = null }, { a = 2, c = \"x\" }]"),
        serde_json::json!([{"a": "1", "b": null}, {"a": "2", "c": "x"}])
    );
    assert_eq!(
        converts("list(any)", "[[1], [\"a\", 2]]"),
        serde_json::json!([["1"], ["a", "2"]])
    );
    assert_eq!(
        converts("list(any)", "[[1, \"a\"], [2, true]]"),
        serde_json::json!([[1, "a"], [2, "true"]])
    );
    assert_eq!(
        converts("list(any)", "[null, \"a\"]"),
        serde_json::json!([null, "a"])
    );
    assert_eq!(converts("list(any)", "[null]"), serde_json::json!([null]));
    assert_eq!(converts("list(any)", "[]"), serde_json::json!([]));
    assert_eq!(converts("list", "[\"a\", 1]"), serde_json::json!(["a", "1"]));
}

#[test]
fn any_elements_without_a_common_type_do_not_convert() {
    for v in [
        "[1, true]",
        "[null, 1, true]",
        "[null, { a = 1 }]",
        "[{ a = 1 }, { a = [1] }]",
        "[[1], [true]]",
        "[[1, 2], [true]]",
        // Two containers of different shapes: no object type fits both, and a map cannot
        // hold strings, bools and lists at once.
        "[{ name = \"a\", essential = true }, { name = \"b\", portMappings = [{ containerPort = 1 }] }]",
    ] {
        let m = mismatch("list(any)", v);
        assert_eq!(m.problem, Problem::NoCommonType, "{v}");
        assert_eq!((m.expected.as_str(), m.given.as_str()), ("list(any)", "tuple"));
        assert!(m.path.is_empty());
    }
}

#[test]
fn objects_become_maps() {
    assert_eq!(
        converts("map(string)", "{ a = 1, b = true }"),
        serde_json::json!({"a": "1", "b": "true"})
    );
    assert_eq!(
        converts("map(any)", "{ a = 1, b = \"x\" }"),
        serde_json::json!({"a": "1", "b": "x"})
    );
    assert_eq!(
        converts("map(any)", "{ a = null, b = 1 }"),
        serde_json::json!({"a": null, "b": 1})
    );
    assert_eq!(
        converts("map(any)", "{ a = null, b = { c = 1 } }"),
        serde_json::json!({"a": null, "b": {"c": 1}})
    );
    assert_eq!(
        mismatch("map(any)", "{ a = 1, b = [1] }").problem,
        Problem::NoCommonType
    );
    let m = mismatch("map(string)", "{ a = [1] }");
    assert_eq!(path_text(&m.path), ".a");
    let m = mismatch("map(string)", "{ \"team name\" = [1] }");
    assert_eq!(path_text(&m.path), "[\"team name\"]");
}

#[test]
fn collections_of_any_inside_share_one_type_after_conversion() {
    assert_eq!(
        converts("list(map(any))", "[null, { a = 1 }]"),
        serde_json::json!([null, {"a": 1}])
    );
    assert_eq!(
        converts("list(map(any))", "[{ a = 1 }, { b = \"x\" }]"),
        serde_json::json!([{"a": "1"}, {"b": "x"}])
    );
    assert_eq!(
        converts("list(object({ a = any }))", "[{ a = 1 }, { a = \"x\" }]"),
        serde_json::json!([{"a": "1"}, {"a": "x"}])
    );
    assert_eq!(
        converts("list(list(any))", "[[1], [\"a\"]]"),
        serde_json::json!([["1"], ["a"]])
    );
    assert_eq!(
        mismatch("list(map(any))", "[{ a = 1 }, { b = [1] }]").problem,
        Problem::NoCommonType
    );
}

#[test]
fn object_types_keep_their_attributes_and_fill_optional_ones() {
    assert_eq!(
        converts("object({ a = string })", "{ a = \"x\", extra = 1 }"),
        serde_json::json!({"a": "x"})
    );
    assert_eq!(
        converts(
            "object({ a = optional(string, \"d\"), b = optional(number) })",
            "{ a = null }"
        ),
        serde_json::json!({"a": "d", "b": null})
    );
    assert_eq!(
        converts(
            "object({ a = optional(string, \"d\"), b = number })",
            "{ b = \"2\" }"
        ),
        serde_json::json!({"a": "d", "b": 2})
    );
    let m = mismatch("object({ a = string, b = number })", "{ a = \"x\" }");
    assert_eq!(m.problem, Problem::MissingAttribute("b".into()));
    assert_eq!(m.expected, "object({ a = string, b = number })");
    assert!(m.path.is_empty());
    let m = mismatch(
        "list(object({ destination_name = string, local_bind_port = number }))",
        "[{ destination_name = \"db\", local_bind_port = \"db-port\" }]",
    );
    assert_eq!(path_text(&m.path), "[0].local_bind_port");
    assert_eq!(m.problem, Problem::NotANumber("db-port".into()));
}

#[test]
fn tuple_types_convert_element_by_element() {
    assert_eq!(
        converts("tuple([string, number])", "[\"a\", \"1\"]"),
        serde_json::json!(["a", 1])
    );
    assert_eq!(
        mismatch("tuple([string, number])", "[\"a\"]").problem,
        Problem::Length { given: 1, wanted: 2 }
    );
}

#[test]
fn null_converts_to_anything_and_any_takes_everything() {
    for t in [
        "string",
        "number",
        "list(string)",
        "map(number)",
        "object({ a = string })",
    ] {
        assert_eq!(converts(t, "null"), serde_json::Value::Null, "{t}");
    }
    assert_eq!(
        converts("any", "[1, true, { a = [] }]"),
        serde_json::json!([1, true, {"a": []}])
    );
    assert!(matches!(
        convert(&value("var.x"), &Type::Any),
        Conversion::Converted(_)
    ));
}

#[test]
fn unknown_parts_leave_the_outcome_unknown_unless_something_else_fails() {
    assert!(is_unknown("list(string)", "var.x"));
    assert!(is_unknown("list(string)", "[var.x, \"a\"]"));
    assert!(is_unknown("list(any)", "[var.x, \"a\"]"));
    assert!(is_unknown(
        "object({ a = string, b = number })",
        "{ a = var.x, b = 1 }"
    ));
    let m = mismatch("list(string)", "[var.x, [1]]");
    assert_eq!(path_text(&m.path), "[1]");
    assert_eq!(
        mismatch("object({ a = string, b = number })", "{ a = var.x }").problem,
        Problem::MissingAttribute("b".into())
    );
    // One element always shares its own type, whatever it is.
    assert!(matches!(
        convert(&value("[{ name = \"a\", log = var.x }]"), &ty("list(any)")),
        Conversion::Converted(_)
    ));
    assert!(matches!(
        convert(&value("{ a = var.x }"), &ty("object({ a = any })")),
        Conversion::Converted(_)
    ));
}

#[test]
fn mismatches_point_at_the_part_and_carry_its_provenance() {
    let module = Module::from_text(
        "variable \"ups\" {\n  default = [{ destination_name = \"db\", local_bind_port = \"x\" }]\n}\n\
         locals {\n  ups = var.ups\n}\n\
         output \"o\" { value = local.ups }\n",
        None,
    );
    let output = &module.outputs[0];
    let v = Evaluator::new(&module).eval(&output.body.attr("value").unwrap().value);
    let t = ty("list(object({ destination_name = string, local_bind_port = number }))");
    let Conversion::Mismatch(m) = convert(&v, &t) else {
        panic!("should not convert")
    };
    let text = "variable \"ups\" {\n  default = [{ destination_name = \"db\", local_bind_port = ";
    assert_eq!(m.span.start(), text.len());
    assert_eq!(m.span.end(), text.len() + "\"x\"".len());
    let whats: Vec<&str> = m.origins.iter().map(|o| o.what.as_str()).collect();
    assert_eq!(whats, ["local `ups`", "default of variable `ups`"]);
}

#[test]
fn converted_values_keep_spans_and_origins() {
    let module = Module::from_text(
        "variable \"port\" {\n  default = \"8080\"\n}\noutput \"o\" { value = var.port }\n",
        None,
    );
    let v = Evaluator::new(&module).eval(&module.outputs[0].body.attr("value").unwrap().value);
    let Conversion::Converted(out) = convert(&v, &Type::Number) else {
        panic!("converts")
    };
    assert_eq!(out.as_number(), Some(8080.0));
    assert_eq!(out.span, v.span);
    assert_eq!(out.origins, v.origins);
}

#[test]
fn a_variable_declares_its_type() {
    let module = Module::from_text(
        "variable \"hosts\" {\n  type = list(string)\n}\nvariable \"free\" {}\n",
        None,
    );
    assert_eq!(
        module.variables["hosts"].declared_type(),
        Some(Type::List(Box::new(Type::String)))
    );
    assert_eq!(module.variables["free"].declared_type(), None);
}

#[test]
fn paths_are_written_as_in_configuration() {
    let path = [Step::Index(0), Step::Key("port".into()), Step::Key("a b".into())];
    assert_eq!(path_text(&path), "[0].port[\"a b\"]");
}
