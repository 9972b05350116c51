//! Reading patterns: interpolations, escapes, directives.

use super::*;

#[test]
fn parse_turns_interpolations_into_unknown_segments() {
    let p = Pattern::parse(V010_TASK_ARN);
    let expected = [
        Segment::lit("arn:aws:ecs:"),
        Segment::Unknown,
        Segment::lit(":"),
        Segment::Unknown,
        Segment::lit(":task/*"),
    ];
    assert_eq!(p.segments(), &expected[..]);
    assert_eq!(p.as_str(), V010_TASK_ARN);
    assert!(!p.is_fully_known());
    assert!(Pattern::parse("arn:aws:ecs:*:*:task/*").is_fully_known());
}

#[test]
fn parse_balances_braces_and_skips_quoted_ones() {
    let p = Pattern::parse(r#"a${format("%s}", "{x}")}b${merge({k = 1}, { j = "${var.x}" })}"#);
    let expected = [
        Segment::lit("a"),
        Segment::Unknown,
        Segment::lit("b"),
        Segment::Unknown,
    ];
    assert_eq!(p.segments(), &expected[..]);
}

#[test]
fn parse_keeps_template_escapes_literal_and_directives_unknown() {
    let escaped = Pattern::parse("a$${x}%%{y}");
    assert_eq!(escaped.segments(), &[Segment::lit("a${x}%{y}")][..]);
    let directive = Pattern::parse("x%{ if true }y%{ endif }");
    let expected = [
        Segment::lit("x"),
        Segment::Unknown,
        Segment::lit("y"),
        Segment::Unknown,
    ];
    assert_eq!(directive.segments(), &expected[..]);
}

#[test]
fn parse_treats_unterminated_interpolation_as_unknown_tail() {
    let p = Pattern::parse("arn:${var.x");
    assert_eq!(p.segments(), &[Segment::lit("arn:"), Segment::Unknown][..]);
}

#[test]
fn from_segments_merges_adjacent_parts_like_parse() {
    let built = Pattern::from_segments(vec![
        Segment::lit("arn:"),
        Segment::lit(""),
        Segment::lit("aws:ecs:"),
        Segment::Unknown,
        Segment::Unknown,
        Segment::lit(":x"),
    ]);
    let parsed = Pattern::parse("arn:aws:ecs:${a}${b}:x");
    assert_eq!(built.segments(), parsed.segments());
    assert_eq!(built.to_string(), "arn:aws:ecs:${…}:x");
}
