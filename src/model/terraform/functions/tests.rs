//! What the differential test against Terraform (tests/terraform_differential.rs) cannot show:
//! unknown and partly known arguments, provenance, the limits that keep huge inputs cheap,
//! and the exactness rules, which must hold without Terraform installed.

use super::number::{self, Dyadic};
use super::*;
use crate::model::terraform::standalone::evaluate_expression;
use crate::model::terraform::value::{Origin, OriginKind};
use crate::source::FileId;

fn span() -> Span {
    Span::new(FileId(0), 0, 0)
}

/// A literal argument, written in HCL.
fn lit(text: &str) -> Value {
    let value = evaluate_expression(text).expect("an HCL expression");
    assert!(value.is_wholly_known(), "{text} is not a known literal");
    value
}

fn unknown(reason: &str) -> Value {
    Value::unknown(reason, span())
}

fn run(name: &str, args: Vec<Value>) -> Value {
    call(name, args, span())
}

/// The call's value as JSON, or `None` when unknown.
fn json_of(name: &str, args: &[&str]) -> Option<String> {
    let value = run(name, args.iter().map(|a| lit(a)).collect());
    let mut out = String::new();
    json::encode(&value, &mut out).ok().map(|()| out)
}

fn reason_of(name: &str, args: &[&str]) -> String {
    let value = run(name, args.iter().map(|a| lit(a)).collect());
    value
        .unknown_reason()
        .map(str::to_string)
        .unwrap_or_else(|| panic!("{name} gave a value"))
}

#[test]
fn an_unknown_argument_gives_unknown_with_its_reason() {
    let v = run("upper", vec![unknown("known after apply")]);
    assert_eq!(v.unknown_reason(), Some("known after apply"));
    let v = run(
        "jsonencode",
        vec![Value::new(
            ValueKind::List(vec![lit("1"), unknown("later")]),
            span(),
        )],
    );
    assert_eq!(v.unknown_reason(), Some("later"));
}

#[test]
fn functions_that_only_pick_pass_unknown_elements_through() {
    let list = Value::new(ValueKind::List(vec![lit("\"a\""), unknown("later")]), span());
    assert_eq!(run("length", vec![list.clone()]).as_number(), Some(2.0));
    assert_eq!(run("element", vec![list.clone(), lit("0")]).as_str(), Some("a"));
    assert_eq!(
        run("element", vec![list, lit("1")]).unknown_reason(),
        Some("later")
    );
    let object = Value::new(
        ValueKind::Object(vec![("a".into(), unknown("later")), ("b".into(), lit("1"))]),
        span(),
    );
    let merged = run("merge", vec![object.clone(), lit("{c = true}")]);
    assert_eq!(merged.get("b").and_then(Value::as_number), Some(1.0));
    assert_eq!(merged.get("a").and_then(Value::unknown_reason), Some("later"));
    assert_eq!(run("lookup", vec![object, lit("\"b\"")]).as_number(), Some(1.0));
}

#[test]
fn other_functions_need_wholly_known_arguments() {
    let list = Value::new(ValueKind::List(vec![lit("\"a\""), unknown("later")]), span());
    assert_eq!(
        run("concat", vec![list.clone(), lit("[\"b\"]")]).unknown_reason(),
        Some("later")
    );
    assert_eq!(
        run("join", vec![lit("\",\""), list]).unknown_reason(),
        Some("later")
    );
}

#[test]
fn an_unevaluated_function_says_so() {
    let v = run("templatestring", vec![lit("\"x\"")]);
    assert_eq!(
        v.unknown_reason(),
        Some("function `templatestring` is not evaluated")
    );
}

#[test]
fn a_wrong_number_of_arguments_is_unknown() {
    assert!(!run("upper", vec![]).is_known());
    assert!(!run("upper", vec![lit("\"a\""), lit("\"b\"")]).is_known());
}

#[test]
fn results_carry_the_provenance_of_their_arguments() {
    let origin = Origin {
        span: Span::new(FileId(0), 3, 7),
        what: "default of variable `name`".into(),
        kind: OriginKind::Variable,
    };
    let name = lit("\"web\"").via(origin.clone());
    let v = run("upper", vec![name.clone()]);
    assert_eq!(v.as_str(), Some("WEB"));
    assert_eq!(v.origins, vec![origin.clone()]);
    assert!(v.depends_on_variable());
    let picked = run(
        "element",
        vec![Value::new(ValueKind::List(vec![name]), span()), lit("0")],
    );
    assert_eq!(picked.origins, vec![origin]);
}

#[test]
fn errors_terraform_raises_are_unknown_with_a_reason() {
    assert!(reason_of("element", &["[]", "0"]).contains("empty list"));
    assert!(reason_of("one", &["[1, 2]"]).contains("zero or one"));
    assert!(reason_of("tolist", &["[1, true]"]).contains("single type"));
    assert!(reason_of("regex", &["\"x\"", "\"abc\""]).contains("did not match"));
    assert!(reason_of("upper", &["null"]).contains("null"));
}

#[test]
fn a_null_of_unknown_type_is_not_guessed() {
    // `coalesce(var.port, 8080)`: "8080" if the variable is a string, 8080 if a number.
    assert_eq!(json_of("coalesce", &["null", "8080"]), None);
    assert!(reason_of("coalesce", &["null", "8080"]).contains("type of a null"));
    // Strings are strings whatever the null's primitive type.
    assert_eq!(json_of("coalesce", &["null", "\"x\""]).as_deref(), Some("\"x\""));
}

#[test]
fn lists_and_tuples_are_told_apart_only_where_it_matters() {
    assert_eq!(
        json_of("concat", &["[\"a\"]", "[\"b\"]"]).as_deref(),
        Some("[\"a\",\"b\"]")
    );
    // A tuple for sure (mixed elements): concatenated as it is.
    assert_eq!(
        json_of("concat", &["[1, \"a\"]", "[true]"]).as_deref(),
        Some("[1,\"a\",true]")
    );
    // `[1]` may be a list(number): then Terraform converts to strings.
    assert_eq!(json_of("concat", &["[1]", "[\"a\"]"]), None);
}

#[test]
fn sets_are_deduplicated_and_ordered_as_terraform_orders_them() {
    assert_eq!(
        json_of("toset", &["[\"b\", 10, \"a\", 9, \"b\"]"]).as_deref(),
        Some("[\"10\",\"9\",\"a\",\"b\"]")
    );
    assert_eq!(json_of("toset", &["[3, 1, 2.5]"]).as_deref(), Some("[1,2.5,3]"));
    assert_eq!(
        json_of("toset", &["[true, false]"]).as_deref(),
        Some("[false,true]")
    );
    assert_eq!(json_of("toset", &["[[2], [1]]"]), None);
}

#[test]
fn numbers_are_trusted_only_where_an_f64_is_exactly_the_number_written() {
    assert!(number::trusted(9_007_199_254_740_991.0).is_ok());
    assert!(number::trusted(9_007_199_254_740_992.0).is_err());
    assert!(number::trusted(0.1).is_ok());
    assert!(number::trusted(0.1 + 0.2).is_err(), "17 significant digits");
    assert!(number::trusted(f64::INFINITY).is_err());
    assert_eq!(number::text(-0.0).ok().as_deref(), Some("-0"));
    assert_eq!(number::text(1.5e-7).ok().as_deref(), Some("0.00000015"));
    assert!(number::parse("0.12345678901234567890123").is_err());
    assert_eq!(number::parse("1.50e1").ok(), Some(15.0));
}

#[test]
fn exact_arithmetic_is_done_on_binary_fractions_only() {
    assert_eq!(Dyadic::of(0.75), Some(Dyadic { num: 3, shift: 2 }));
    assert_eq!(Dyadic::of(0.1), None);
    assert_eq!(json_of("sum", &["[0.5, 0.25, 1]"]).as_deref(), Some("1.75"));
    // Terraform's 512-bit sum prints 0.3; an f64 sum would print 0.30000000000000004.
    assert_eq!(json_of("sum", &["[0.1, 0.2]"]), None);
    assert_eq!(json_of("pow", &["2", "10"]).as_deref(), Some("1024"));
    assert_eq!(json_of("pow", &["2", "-2"]).as_deref(), Some("0.25"));
    assert_eq!(json_of("pow", &["2", "0.5"]), None);
}

#[test]
fn format_rounds_decimal_ties_only_when_the_binary_value_is_exact() {
    assert_eq!(
        json_of("format", &["\"%.1f\"", "0.25"]).as_deref(),
        Some("\"0.2\"")
    );
    assert_eq!(json_of("format", &["\"%.0f\"", "2.5"]).as_deref(), Some("\"2\""));
    // 2.675 is just below in binary: Terraform prints 2.67, the decimal alone says 2.68.
    assert_eq!(json_of("format", &["\"%.2f\"", "2.675"]), None);
    assert_eq!(
        json_of("format", &["\"%08.3f\"", "-3.14159"]).as_deref(),
        Some("\"-003.142\"")
    );
    assert_eq!(
        json_of("format", &["\"%.2e\"", "9.996"]).as_deref(),
        Some("\"1.00e+01\"")
    );
}

#[test]
fn patterns_keep_go_meanings() {
    // Go's \d and \w are ASCII; the regex crate's are Unicode unless told otherwise.
    assert_eq!(
        json_of("regex", &["\"\\\\d+\"", "\"١٢٣ 42\""]).as_deref(),
        Some("\"42\"")
    );
    assert_eq!(
        json_of("regex", &["\"\\\\w+\"", "\"héllo\""]).as_deref(),
        Some("\"h\"")
    );
    // Go reads `{,3}` as text; the crate would refuse it.
    assert_eq!(
        json_of("regex", &["\"a{,3}\"", "\"a{,3}\""]).as_deref(),
        Some("\"a{,3}\"")
    );
    // `\<` is a plain `<` in Go and a word start in the crate.
    assert_eq!(
        json_of("regex", &["\"\\\\<\"", "\"a<\""]).as_deref(),
        Some("\"\\u003c\"")
    );
    // Unicode classes, \Q…\E, octal: not evaluated.
    assert_eq!(json_of("regex", &["\"\\\\pL\"", "\"a\""]), None);
    assert_eq!(json_of("regex", &["\"\\\\Qa\\\\E\"", "\"a\""]), None);
    assert_eq!(json_of("regex", &["\"\\\\141\"", "\"a\""]), None);
    assert_eq!(
        json_of("replace", &["\"hello\"", "\"/(l)(o)/\"", "\"[$2$1$$]\""]).as_deref(),
        Some("\"hel[ol$]\"")
    );
}

#[test]
fn text_is_cut_by_character_only_where_characters_are_clusters() {
    assert_eq!(json_of("length", &["\"héllo\""]).as_deref(), Some("5"));
    assert_eq!(json_of("length", &["\"a\\r\\nb\""]).as_deref(), Some("3"));
    assert_eq!(
        json_of("substr", &["\"日本語テキスト\"", "1", "2"]).as_deref(),
        Some("\"本語\"")
    );
    // A combining mark or an emoji: clusters meshlint does not count.
    assert_eq!(json_of("length", &["\"e\\u0301\""]), None);
    assert_eq!(json_of("strrev", &["\"👍x\""]), None);
}

#[test]
fn case_mappings_follow_go_and_refuse_newer_unicode() {
    assert_eq!(json_of("upper", &["\"straße\""]).as_deref(), Some("\"STRAßE\""));
    assert_eq!(json_of("lower", &["\"ΣΑΣ\""]).as_deref(), Some("\"σασ\""));
    assert_eq!(
        json_of("title", &["\"ǆemal x-y\""]).as_deref(),
        Some("\"ǅemal X-Y\"")
    );
    // ƛ gained an upper case in Unicode 16, which Go's tables lack.
    assert_eq!(json_of("upper", &["\"ƛ\""]), None);
}

#[test]
fn yaml_layout_matches_terraform() {
    assert_eq!(
        json_of("yamlencode", &["{b = [1, {c = \"x\\ny\"}], a = {}}"]).as_deref(),
        Some("\"\\\"a\\\": {}\\n\\\"b\\\":\\n- 1\\n- \\\"c\\\": |-\\n    x\\n    y\\n\"")
    );
    assert_eq!(
        json_of("yamlencode", &["true"]).as_deref(),
        Some("\"true\\n...\\n\"")
    );
}

#[test]
fn huge_requests_are_refused_cheaply() {
    assert!(reason_of("range", &["1000000000000000"]).contains("1024"));
    assert!(!run("format", vec![lit("\"%999999999d\""), lit("1")]).is_known());
    assert!(!run("format", vec![lit("\"%.999999999f\""), lit("1")]).is_known());
    assert!(!run(
        "parseint",
        vec![lit(&format!("\"{}\"", "9".repeat(10_000))), lit("10")]
    )
    .is_known());
    let past_the_end = run("substr", vec![lit("\"abc\""), lit("9007199254740991"), lit("-1")]);
    assert_eq!(past_the_end.as_str(), Some(""));
    assert!(!run("cidrsubnet", vec![lit("\"10.0.0.0/8\""), lit("100000"), lit("0")]).is_known());
    assert!(!run("pow", vec![lit("3"), lit("1000")]).is_known());
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(!run("jsondecode", vec![Value::new(ValueKind::String(deep), span())]).is_known());
    let pattern = "\"((a{1000}){1000}){1000}\"";
    assert!(!run("regex", vec![lit(pattern), lit("\"a\"")]).is_known());
    assert!(!run("regex", vec![lit("\"[\""), lit("\"a\"")]).is_known());
    assert!(!run("element", vec![lit("[1]"), lit("-1")]).is_known());
}
