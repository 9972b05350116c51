use super::*;
use crate::model::terraform::Module;
use crate::source::FileId;

/// Builds a module from `main.tf` text and optional `terraform.tfvars` text.
fn module(main: &str, tfvars: Option<&str>) -> Module {
    Module::from_text(main, tfvars)
}

/// Evaluates `output "x" { value = … }` of the module.
fn eval_output(module: &Module) -> Value {
    let output = module.outputs.first().expect("an output");
    Evaluator::new(module).eval(&output.body.attr("value").unwrap().value)
}

fn eval_in(main: &str) -> Value {
    eval_output(&module(main, None))
}

#[test]
fn variable_default_is_used_and_remembered_as_origin() {
    let m = module(
        "variable \"p\" {\n  default = 9090\n}\noutput \"x\" { value = var.p }\n",
        None,
    );
    let v = eval_output(&m);
    assert_eq!(v.as_number(), Some(9090.0));
    assert_eq!(v.origins.len(), 1);
    assert_eq!(v.origins[0].what, "default of variable `p`");
    assert_eq!(v.origins[0].span.start(), "variable \"p\" {\n  default = ".len());
}

#[test]
fn tfvars_value_overrides_the_default() {
    let m = module(
        "variable \"p\" {\n  default = \"9090\"\n}\noutput \"x\" { value = var.p }\n",
        Some("p = 8080\n"),
    );
    let v = eval_output(&m);
    assert_eq!(v.as_number(), Some(8080.0));
    assert_eq!(v.origins[0].span.file, FileId(1));
}

#[test]
fn declared_string_type_converts_a_numeric_default() {
    let v =
        eval_in("variable \"p\" {\n  type = string\n  default = 9090\n}\noutput \"x\" { value = var.p }\n");
    assert_eq!(v.as_str(), Some("9090"));
}

#[test]
fn locals_chain_records_every_step() {
    let v = eval_in("locals {\n  a = local.b\n  b = var.c\n}\nvariable \"c\" { default = \"x\" }\noutput \"x\" { value = local.a }\n");
    assert_eq!(v.as_str(), Some("x"));
    let whats: Vec<_> = v.origins.iter().map(|o| o.what.as_str()).collect();
    assert_eq!(whats, ["local `a`", "local `b`", "default of variable `c`"]);
}

#[test]
fn template_with_an_unknown_part_is_unknown_with_the_reason() {
    let v = eval_in("variable \"region\" {}\noutput \"x\" { value = \"arn:${var.region}:x\" }\n");
    assert!(!v.is_known());
    assert!(v.unknown_reason().unwrap().contains("`region` has no default"));
}

#[test]
fn template_with_known_parts_is_a_string() {
    let v =
        eval_in("locals {\n  n = \"web\"\n  p = 80\n}\noutput \"x\" { value = \"${local.n}-${local.p}\" }\n");
    assert_eq!(v.as_str(), Some("web-80"));
}

#[test]
fn heredoc_evaluates_with_interpolation() {
    let v =
        eval_in("locals { n = \"a\" }\noutput \"x\" {\n  value = <<-EOT\n    hello ${local.n}\n  EOT\n}\n");
    assert_eq!(v.as_str(), Some("hello a\n"));
}

#[test]
fn jsonencode_produces_terraform_style_json() {
    let v = eval_in("output \"x\" { value = jsonencode([{ name = \"a\", port = 80 }]) }\n");
    assert_eq!(v.as_str(), Some(r#"[{"name":"a","port":80}]"#));
}

#[test]
fn unknown_propagates_through_functions_and_collections() {
    let v = eval_in("variable \"n\" {}\noutput \"x\" { value = upper(jsonencode({ a = var.n })) }\n");
    assert!(!v.is_known());
    let list = eval_in("variable \"n\" {}\noutput \"x\" { value = [1, var.n] }\n");
    assert!(list.is_known() && !list.is_wholly_known());
}

#[test]
fn resource_literal_attributes_resolve_and_computed_ones_are_unknown() {
    let main = "resource \"aws_iam_role\" \"r\" {\n  name = \"task\"\n}\noutput \"x\" { value = aws_iam_role.r.name }\n";
    assert_eq!(eval_in(main).as_str(), Some("task"));
    let arn = eval_in("resource \"aws_iam_role\" \"r\" {\n  name = \"task\"\n}\noutput \"x\" { value = aws_iam_role.r.arn }\n");
    assert!(arn.unknown_reason().unwrap().contains("after apply"));
}

#[test]
fn reference_cycles_end_as_unknown() {
    let v = eval_in("locals {\n  a = local.b\n  b = local.a\n}\noutput \"x\" { value = local.a }\n");
    assert!(!v.is_known());
}

#[test]
fn functions_evaluate() {
    let cases = [
        ("lower(\"AbC\")", "abc"),
        ("format(\"%s-%d\", \"web\", 3)", "web-3"),
        ("join(\",\", [\"a\", \"b\"], [\"c\"])", "a,b,c"),
        ("tostring(80)", "80"),
    ];
    for (expr, expected) in cases {
        let v = eval_in(&format!("output \"x\" {{ value = {expr} }}\n"));
        assert_eq!(v.as_str(), Some(expected), "{expr}");
    }
    let merged = eval_in("output \"x\" { value = merge({ a = 1 }, { a = 2, b = 3 }) }\n");
    assert_eq!(merged.get("a").and_then(Value::as_number), Some(2.0));
    let concatenated = eval_in("output \"x\" { value = concat([1], [2, 3]) }\n");
    assert_eq!(concatenated.as_list().map(<[Value]>::len), Some(3));
    assert_eq!(
        eval_in("output \"x\" { value = tonumber(\"12\") }\n").as_number(),
        Some(12.0)
    );
    assert!(!eval_in("output \"x\" { value = regex(\"a\", \"b\") }\n").is_known());
}

#[test]
fn conditional_with_known_condition_picks_a_branch() {
    let v = eval_in("variable \"on\" { default = false }\noutput \"x\" { value = var.on ? \"a\" : \"b\" }\n");
    assert_eq!(v.as_str(), Some("b"));
}

#[test]
fn index_into_variable_map() {
    let v =
        eval_in("variable \"m\" {\n  default = { web = 8080 }\n}\noutput \"x\" { value = var.m[\"web\"] }\n");
    assert_eq!(v.as_number(), Some(8080.0));
}

/// The printed JSON of a standalone expression, or `None` when it is not wholly known.
fn json_of(text: &str) -> Option<String> {
    let value = crate::model::terraform::standalone::evaluate_expression(text).unwrap();
    value.to_json().map(|j| j.to_string())
}

#[test]
fn operators_follow_terraform_conversions() {
    assert_eq!(json_of(r#""1" + 2"#).as_deref(), Some("3"));
    assert_eq!(json_of(r#"1 == "1""#).as_deref(), Some("false"));
    assert_eq!(json_of("-5 % 3").as_deref(), Some("-2"));
    assert_eq!(json_of("7 / 2").as_deref(), Some("3.5"));
    assert_eq!(json_of(r#"true && "true""#).as_deref(), Some("true"));
    assert_eq!(json_of("!false").as_deref(), Some("true"));
    assert_eq!(json_of("null == null").as_deref(), Some("true"));
    // f64 would print 0.30000000000000004; Terraform prints 0.3: not claimed.
    assert_eq!(json_of("0.1 + 0.2"), None);
    assert_eq!(json_of("1 / 3"), None);
    assert_eq!(json_of("[1] == [1]"), None);
}

#[test]
fn for_expressions_iterate_maps_in_key_order_and_group() {
    assert_eq!(
        json_of("[for k, v in {b = 1, a = 2} : k]").as_deref(),
        Some(r#"["a","b"]"#)
    );
    assert_eq!(
        json_of(r#"{for s in ["a", "b", "a"] : s => s...}"#).as_deref(),
        Some(r#"{"a":["a","a"],"b":["b"]}"#)
    );
    assert_eq!(
        json_of("[for i, x in [10, 20, 30] : x + i if x > 10]").as_deref(),
        Some("[21,32]")
    );
    assert_eq!(json_of(r#"{for s in ["a", "a"] : s => 1}"#), None);
}

#[test]
fn conditionals_unify_their_result_types() {
    assert_eq!(json_of(r#"true ? 1 : "a""#).as_deref(), Some(r#""1""#));
    assert_eq!(json_of(r#"false ? [1] : ["a"]"#).as_deref(), Some(r#"["a"]"#));
    assert_eq!(json_of("true ? 1 : false"), None);
}

#[test]
fn splat_try_and_can() {
    assert_eq!(json_of("[{a = 1}, {a = 2}][*].a").as_deref(), Some("[1,2]"));
    assert_eq!(json_of(r#""x"[*]"#).as_deref(), Some(r#"["x"]"#));
    assert_eq!(json_of("null[*]").as_deref(), Some("[]"));
    assert_eq!(json_of("try({a = 1}.b, 5)").as_deref(), Some("5"));
    assert_eq!(json_of("try({a = 1}.a, 5)").as_deref(), Some("1"));
    assert_eq!(json_of("can([1][3])").as_deref(), Some("false"));
    assert_eq!(json_of("can([1][0])").as_deref(), Some("true"));
    // A value meshlint cannot know is not an error: try does not fall back past it.
    assert_eq!(json_of("try(var.nope, 5)"), None);
}

#[test]
fn template_directives_with_strip_markers() {
    assert_eq!(
        json_of(r#""%{ for x in [1,2] ~} ${x} %{~ endfor }""#).as_deref(),
        Some(r#""12""#)
    );
    assert_eq!(
        json_of(r#""a%{ if true }b%{ else }c%{ endif }d""#).as_deref(),
        Some(r#""abd""#)
    );
    assert_eq!(
        json_of(r#""a %{~ if false ~} b %{~ else ~} c %{~ endif ~} d""#).as_deref(),
        Some(r#""acd""#)
    );
}

#[test]
fn instances_of_resources_and_modules_are_addressable() {
    let m = module(
        r#"
locals {
  roles = { jobs = "jobs-role", web = "web-role" }
}
resource "aws_iam_role" "task" {
  for_each = local.roles
  name     = each.value
}
resource "aws_iam_role" "loop" {
  for_each = { a = 1 }
  name     = aws_iam_role.loop["a"].name
}
module "svc" {
  source = "./svc"
  count  = 2
}
module "ghost" {
  source   = "./ghost"
  for_each = module.ghost
}
output "x" { value = [aws_iam_role.task["jobs"].name, length(module.svc)] }
output "loop" { value = aws_iam_role.loop["a"].name }
output "ghost" { value = module.ghost }
"#,
        None,
    );
    let outputs: Vec<Value> = m
        .outputs
        .iter()
        .map(|o| Evaluator::new(&m).eval(&o.body.attr("value").unwrap().value))
        .collect();
    let first = outputs[0].as_list().expect("a list");
    assert_eq!(first[0].as_str(), Some("jobs-role"));
    // A reference that loops through an instance ends unknown instead of overflowing.
    assert!(!outputs[1].is_known());
    assert!(!outputs[2].is_known());
}

#[test]
fn loops_inside_loops_end_unknown_instead_of_stalling() {
    let v = json_of("length([for a in range(3000) : [for b in range(3000) : a + b]])");
    assert_eq!(v, None);
}

#[test]
fn nested_loops_of_ordinary_size_are_evaluated() {
    assert_eq!(
        json_of("length([for a in range(30) : [for b in range(30) : a + b]])").as_deref(),
        Some("30")
    );
    assert_eq!(
        json_of("length(flatten([for a in range(300) : [for b in range(300) : a]]))").as_deref(),
        Some("90000")
    );
}
