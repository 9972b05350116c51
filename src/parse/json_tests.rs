use super::*;

fn read(text: &str) -> Body {
    let (body, error) = parse(FileId(0), text, false);
    assert!(error.is_none(), "{error:?}");
    body
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.start()..span.end()]
}

const CALL: &str = r#"{
  "module": {
    "web": {
      "source": "hashicorp/consul-ecs/aws//modules/mesh-task",
      "version": "0.1.1",
      "port": 9090,
      "family": "${var.family}",
      "task_role_arn": "arn:aws:iam::${var.account}:role/web",
      "//": "a comment"
    }
  }
}"#;

#[test]
fn module_calls_keep_the_spans_of_keys_and_values() {
    let body = read(CALL);
    let block = &body.blocks[0];
    assert_eq!(block.ident, "module");
    assert_eq!(block.label(0), Some("web"));
    let port = block.body.attr("port").unwrap();
    assert!(matches!(port.value.kind, ExprKind::Number(n) if n == 9090.0));
    assert_eq!(slice(CALL, port.value.span), "9090");
    assert_eq!(slice(CALL, port.key_span), "port");
    assert!(block.body.attr("//").is_none());
    assert!(matches!(&block.body.attr("version").unwrap().value.kind, ExprKind::String(v) if v == "0.1.1"));
}

#[test]
fn a_lone_interpolation_is_its_expression_and_others_are_templates() {
    let body = read(CALL);
    let block = &body.blocks[0];
    let family = &block.body.attr("family").unwrap().value;
    assert_eq!(family.reference(), Some(vec!["var", "family"]));
    assert_eq!(slice(CALL, family.span), "var.family");
    let arn = &block.body.attr("task_role_arn").unwrap().value;
    let ExprKind::Template(template) = &arn.kind else {
        panic!("{arn:?}")
    };
    assert_eq!(template.parts.len(), 3);
}

#[test]
fn labels_nest_and_arrays_repeat_blocks() {
    let text = r#"{
  "resource": {
    "aws_ecs_service": {
      "a": { "name": "a", "network_configuration": { "subnets": ["s"] }, "tags": { "k": "v" } },
      "b": [{ "name": "b" }]
    }
  },
  "variable": { "port": { "type": "number", "default": 9090 } },
  "locals": [{ "x": 1 }, { "y": "${local.x}" }]
}"#;
    let body = read(text);
    let services: Vec<&Block> = body.blocks_named("resource").collect();
    assert_eq!(services.len(), 2);
    assert_eq!(
        services[0]
            .labels
            .iter()
            .map(|l| l.value.as_str())
            .collect::<Vec<_>>(),
        ["aws_ecs_service", "a"]
    );
    assert_eq!(services[0].body.blocks_named("network_configuration").count(), 1);
    assert!(services[0].body.attr("tags").is_some());
    let variable = body.blocks_named("variable").next().unwrap();
    assert_eq!(
        variable.body.attr("type").unwrap().value.reference(),
        Some(vec!["number"])
    );
    assert_eq!(body.blocks_named("locals").count(), 2);
}

#[test]
fn a_template_with_escapes_spans_its_whole_string() {
    let text = "{\"output\": {\"o\": {\"value\": \"\\u0041${var.a}\"}}}";
    let body = read(text);
    let value = &body.blocks[0].body.attr("value").unwrap().value;
    assert_eq!(slice(text, value.span), "\"\\u0041${var.a}\"");
}

#[test]
fn nodes_inside_escaped_strings_keep_their_own_spans() {
    let text = r#"{"module": {"m": {"defs": "${jsonencode([{ name = \"w\u00e9b\" }])}"}}}"#;
    let body = read(text);
    let value = &body.blocks[0].body.attr("defs").unwrap().value;
    assert_eq!(
        slice(text, value.span),
        r#"jsonencode([{ name = \"w\u00e9b\" }])"#
    );
    let argument = &value.as_call("jsonencode").unwrap().args[0];
    assert_eq!(slice(text, argument.span), r#"[{ name = \"w\u00e9b\" }]"#);
    let ExprKind::Array(items) = &argument.kind else {
        panic!("{argument:?}")
    };
    let ExprKind::Object(fields) = &items[0].kind else {
        panic!()
    };
    assert_eq!(slice(text, fields[0].value.span), r#"\"w\u00e9b\""#);
    assert!(matches!(&fields[0].value.kind, ExprKind::String(s) if s == "wéb"));
}

#[test]
fn tfvars_are_literal() {
    let text = r#"{ "image": "${not.a.template}", "ports": [1, 2] }"#;
    let (body, error) = parse(FileId(0), text, true);
    assert!(error.is_none());
    assert!(
        matches!(&body.attr("image").unwrap().value.kind, ExprKind::String(s) if s == "${not.a.template}")
    );
}

#[test]
fn invalid_json_is_a_syntax_error_with_its_place() {
    let text = "{\n  \"module\": {,}\n}";
    let (_, error) = parse(FileId(0), text, false);
    let error = error.expect("an error");
    assert_eq!(&text[error.span.start()..error.span.start() + 1], ",");
    let (_, error) = parse(FileId(0), "[1]", false);
    assert!(error.is_some());
}
