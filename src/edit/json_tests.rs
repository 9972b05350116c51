use super::*;
use crate::source::{FileId, SourceFile};

fn edit(text: &str, from: &str, to: &str) -> Edit {
    let start = text.find(from).expect("the text to replace");
    Edit {
        span: Span::new(FileId(0), start, start + from.len()),
        replacement: to.to_string(),
    }
}

fn adapted(text: &str, edits: &mut [Edit]) -> Option<String> {
    adapt(text, edits).then(|| apply(text, edits).0)
}

#[test]
fn native_syntax_inside_a_string_is_escaped() {
    let text = r#"{"a": "${upper(\"x\")}"}"#;
    let mut edits = [edit(text, r#"upper(\"x\")"#, r#"lower("y")"#)];
    assert_eq!(adapted(text, &mut edits).unwrap(), r#"{"a": "${lower(\"y\")}"}"#);
}

#[test]
fn an_expression_replacing_a_whole_value_becomes_an_interpolation() {
    let text =
        r#"{"a": "${aws_ecs_task_definition.x.family}:${aws_ecs_task_definition.x.revision}", "p": 9090}"#;
    let whole = text.find("\"${").unwrap()..text.find(", \"p\"").unwrap();
    let mut edits = [
        Edit {
            span: Span::new(FileId(0), whole.start, whole.end),
            replacement: "module.x.task_definition_arn".into(),
        },
        edit(text, "9090", "\"9090\""),
    ];
    assert_eq!(
        adapted(text, &mut edits).unwrap(),
        r#"{"a": "${module.x.task_definition_arn}", "p": "9090"}"#,
        "a JSON value stays as it is"
    );
}

#[test]
fn a_fix_that_cannot_be_json_is_refused() {
    let text = "{\n  \"a\": 1\n}\n";
    let line = text.find("\n}").unwrap();
    let mut edits = [Edit {
        span: Span::new(FileId(0), line, line),
        replacement: "\n  b = 2".into(),
    }];
    assert_eq!(adapted(text, &mut edits), None);
    let text = r#"{"a": "${[\"x\"]}"}"#;
    let mut copied = [edit(text, r#"[\"x\"]"#, r#"[[\"x\"]]"#)];
    assert_eq!(
        adapted(text, &mut copied),
        None,
        "file text copied into a replacement is escaped twice"
    );
}

#[test]
fn a_list_becomes_json_that_terraform_reads_as_the_same_value() {
    let text = r#"{
  "module": {
    "web": {
      "defs": "${jsonencode([{ name = \"web\", port = 9090, on = true, env = var.env, tag = \"v${var.v}\", lit = \"$${x}\", empty = [] }])}"
    }
  }
}"#;
    let mut sources = SourceMap::default();
    sources.add(SourceFile::new(
        "main.tf.json".into(),
        "main.tf.json".into(),
        text.into(),
    ));
    let (body, error) = crate::parse::terraform_json(FileId(0), text, false);
    assert!(error.is_none());
    let call = body.blocks[0]
        .body
        .attr("defs")
        .unwrap()
        .value
        .as_call("jsonencode")
        .unwrap();
    let string = sole_interpolation(&sources, body.blocks[0].body.attr("defs").unwrap().value.span).unwrap();
    assert!(sources.slice(string).starts_with("\"${jsonencode("));
    assert_eq!(
        value(&sources, &call.args[0], "      ").unwrap(),
        r#"[
        {
          "name": "web",
          "port": 9090,
          "on": true,
          "env": "${var.env}",
          "tag": "v${var.v}",
          "lit": "$${x}",
          "empty": []
        }
      ]"#
    );
}
