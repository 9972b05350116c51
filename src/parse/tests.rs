use super::*;
use crate::syntax::{ExprKind, TemplatePart};

const F: FileId = FileId(0);

fn parse_ok(text: &str) -> Body {
    let (body, error) = terraform(F, text);
    assert!(error.is_none(), "unexpected error: {error:?}");
    body
}

#[test]
fn spans_point_at_keys_values_and_block_headers() {
    let text = "module \"web\" {\n  port = 9090\n}\n";
    let body = parse_ok(text);
    let block = &body.blocks[0];
    assert_eq!(
        &text[block.header_span().start()..block.header_span().end()],
        "module \"web\""
    );
    let port = block.body.attr("port").unwrap();
    assert_eq!(&text[port.value.span.start()..port.value.span.end()], "9090");
    assert_eq!(&text[port.key_span.start()..port.key_span.end()], "port");
    assert!(matches!(port.value.kind, ExprKind::Number(n) if n == 9090.0));
}

#[test]
fn heredoc_indent_is_stripped_like_terraform() {
    let body = parse_ok("a = <<-EOT\n    one\n      two ${x}\n    EOT\n");
    let ExprKind::Template(t) = &body.attributes[0].value.kind else {
        panic!("not a template")
    };
    let TemplatePart::Literal(first) = &t.parts[0] else {
        panic!("not a literal")
    };
    assert_eq!(first, "one\n  two ");
    assert!(t.heredoc);
}

#[test]
fn quoted_strings_are_unescaped() {
    let body = parse_ok(r#"a = "x\"y\n""#);
    assert!(matches!(&body.attributes[0].value.kind, ExprKind::String(s) if s == "x\"y\n"));
}

#[test]
fn syntax_error_is_located_and_the_rest_is_recovered() {
    let text = "module \"a\" {\n  port = 9090\n}\n\nmodule \"b\" {\n  port = \n  family = \"x\"\n";
    let (body, error) = terraform(F, text);
    let error = error.expect("a syntax error");
    assert!(error.span.start() > text.find("module \"b\"").unwrap());
    let a = body
        .blocks
        .iter()
        .find(|b| b.label(0) == Some("a"))
        .expect("block a recovered");
    assert!(a.complete);
    assert!(a.body.attr("port").is_some());
    if let Some(b) = body.blocks.iter().find(|b| b.label(0) == Some("b")) {
        assert!(
            !b.complete,
            "a block with an error inside must be marked incomplete"
        );
    }
}

#[test]
fn deep_nesting_is_refused_without_recursion() {
    let text = format!("a = {}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (_, error) = terraform(F, &text);
    assert!(error.unwrap().message.contains("nested"));
}

#[test]
fn nesting_just_below_the_limit_parses() {
    let depth = MAX_NESTING - 1;
    let text = format!("a = {}1{}\n", "[".repeat(depth), "]".repeat(depth));
    parse_ok(&text);
}

#[test]
fn decode_stops_at_invalid_utf8_and_nul() {
    let d = decode(b"ab\ncd\xffef".to_vec());
    assert_eq!(d.text, "ab\ncd");
    assert_eq!(d.error.unwrap().0, 5);
    let d = decode(b"x\0y".to_vec());
    assert_eq!(d.text, "x");
    assert!(d.error.unwrap().1.contains("NUL"));
    assert!(decode("é".as_bytes().to_vec()).error.is_none());
}

#[test]
fn an_error_inside_a_multibyte_character_is_reported_at_its_start() {
    // Found by the terraform fuzz target: hcl-edit's offset can fall inside a character.
    for text in [
        "a = \"\u{904}\n",
        "module \"x\" {\n  a = \u{904}\u{904}\n",
        "\u{904} = 1\n",
    ] {
        let (_, error) = terraform(F, text);
        if let Some(error) = error {
            assert!(text.is_char_boundary(error.span.start()) && text.is_char_boundary(error.span.end()));
        }
    }
}

#[test]
fn text_past_the_largest_span_is_refused_not_read() {
    // Zeroed memory is mapped lazily: the 4 GiB are never touched, as `decode` looks at the
    // length first.
    let decoded = decode(vec![0u8; crate::source::MAX_TEXT_LEN + 1]);
    assert!(decoded.text.is_empty());
    assert_eq!(decoded.error.map(|(at, _)| at), Some(0));
    assert!(decode(b"ok".to_vec()).error.is_none());
}
