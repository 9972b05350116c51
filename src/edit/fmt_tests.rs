use super::*;

/// Replaces the first occurrence of each `from` with `to` (in order through the text), then
/// settles the result.
fn fixed(before: &str, replacements: &[(&str, &str)]) -> String {
    let mut edits = Vec::new();
    let mut from_offset = 0;
    for (from, to) in replacements {
        let at = from_offset + before[from_offset..].find(from).expect("the text to replace");
        edits.push((at..at + from.len(), *to));
        from_offset = at + from.len();
    }
    let mut after = String::new();
    let mut applied = Vec::new();
    let mut last = 0;
    for (range, to) in edits {
        after.push_str(&before[last..range.start]);
        let start = after.len();
        after.push_str(to);
        applied.push(Applied {
            before: range.clone(),
            after: start..after.len(),
        });
        last = range.end;
    }
    after.push_str(&before[last..]);
    settle(before, &after, &applied)
}

#[test]
fn a_longer_key_moves_its_whole_group() {
    let text = "module \"a\" {\n  source = \"x\"\n  port   = 1\n\n  b = 2\n}\n";
    assert_eq!(
        fixed(text, &[("port", "local_port")]),
        "module \"a\" {\n  source     = \"x\"\n  local_port = 1\n\n  b = 2\n}\n",
        "the group after the blank line is another group"
    );
}

#[test]
fn a_shorter_longest_key_pulls_its_group_in() {
    let text = "locals {\n  destinationName = \"a\"\n  localBindPort   = 1\n}\n";
    assert_eq!(
        fixed(text, &[("destinationName", "dest")]),
        "locals {\n  dest          = \"a\"\n  localBindPort = 1\n}\n"
    );
}

#[test]
fn two_renames_in_one_group_settle_together() {
    let text = "x = [{\n  destinationName = \"a\" # one\n  localBindPort   = 1   # two\n}]\n";
    assert_eq!(
        fixed(
            text,
            &[
                ("destinationName", "destination_name"),
                ("localBindPort", "local_bind_port")
            ]
        ),
        "x = [{\n  destination_name = \"a\" # one\n  local_bind_port  = 1   # two\n}]\n"
    );
}

#[test]
fn a_group_the_user_did_not_align_is_left_alone() {
    let text = "locals {\n  a = 1\n  bbbbbb = 2\n  cc = 3\n}\n";
    assert_eq!(
        fixed(text, &[("a = 1", "aaaaaaaaa = 1")]),
        "locals {\n  aaaaaaaaa = 1\n  bbbbbb = 2\n  cc = 3\n}\n"
    );
}

#[test]
fn groups_the_edits_did_not_touch_keep_their_bytes() {
    let text = "locals {\n  a = 1\n  bbbbbb = 2\n}\nlocals {\n  c   = 1\n  ddd = 2\n}\n";
    assert_eq!(
        fixed(text, &[("ddd", "dddddd")]),
        "locals {\n  a = 1\n  bbbbbb = 2\n}\nlocals {\n  c      = 1\n  dddddd = 2\n}\n"
    );
}

#[test]
fn removing_the_line_between_two_groups_merges_them() {
    let text = "locals {\n  a = 1\n  # meshlint-ignore: x -- y\n  port_name = 2\n  b         = 3\n}\n";
    assert_eq!(
        fixed(text, &[("  # meshlint-ignore: x -- y\n", "")]),
        "locals {\n  a         = 1\n  port_name = 2\n  b         = 3\n}\n"
    );
}

#[test]
fn trailing_comments_line_up_after_a_value_grows() {
    let text = "module \"a\" {\n  port = 9090 # expect: x\n  name = \"web\" # note\n}\n";
    let formatted = "module \"a\" {\n  port = 9090  # expect: x\n  name = \"web\" # note\n}\n";
    assert_eq!(
        fixed(formatted, &[("9090", "\"9090\"")]),
        "module \"a\" {\n  port = \"9090\" # expect: x\n  name = \"web\"  # note\n}\n"
    );
    assert_eq!(
        fixed(text, &[("9090", "\"9090\"")]),
        "module \"a\" {\n  port = \"9090\" # expect: x\n  name = \"web\" # note\n}\n",
        "comments that were not lined up stay as they were"
    );
}

#[test]
fn unwrapping_a_call_on_its_own_lines_dedents_its_argument() {
    let text = "module \"a\" {\n  defs = jsonencode(\n    [\n      {\n        name = \"web\"\n      }\n    ]\n  )\n  port = \"1\"\n}\n";
    assert_eq!(
        fixed(text, &[("jsonencode(\n    ", ""), ("\n  )", "")]),
        "module \"a\" {\n  defs = [\n    {\n      name = \"web\"\n    }\n  ]\n  port = \"1\"\n}\n"
    );
}

#[test]
fn unwrapping_a_call_around_the_brackets_keeps_the_indentation() {
    let text = "module \"a\" {\n  defs = jsonencode([\n    {\n      name = \"web\"\n    }\n  ])\n}\n";
    assert_eq!(
        fixed(text, &[("jsonencode(", ""), (")", "")]),
        "module \"a\" {\n  defs = [\n    {\n      name = \"web\"\n    }\n  ]\n}\n"
    );
}

#[test]
fn a_heredoc_is_one_line_of_its_group() {
    let text = "locals {\n  a   = 1\n  doc = <<EOT\nx = ${y}\nEOT\n  c   = 2\n}\n";
    assert_eq!(
        fixed(text, &[("  a ", "  abcdef ")]),
        "locals {\n  abcdef = 1\n  doc    = <<EOT\nx = ${y}\nEOT\n  c      = 2\n}\n"
    );
}

#[test]
fn lines_that_open_brackets_end_a_group() {
    let text = "locals {\n  a = 1\n  b = {\n    c = 2\n  }\n  d = 3\n}\n";
    assert_eq!(
        fixed(text, &[("a = 1", "alpha = 1")]),
        "locals {\n  alpha = 1\n  b = {\n    c = 2\n  }\n  d = 3\n}\n"
    );
}

#[test]
fn strings_and_comments_hide_their_equals_and_brackets() {
    let text = "locals {\n  a = \"x = [${upper(\"{\")}\" # c = [\n  b = 2\n}\n";
    assert_eq!(
        fixed(text, &[("b = 2", "bbb = 2")]),
        "locals {\n  a   = \"x = [${upper(\"{\")}\" # c = [\n  bbb = 2\n}\n"
    );
}

#[test]
fn crlf_lines_are_aligned_too() {
    let text = "locals {\r\n  a = 1\r\n  b = 2\r\n}\r\n";
    assert_eq!(
        fixed(text, &[("a = 1", "abc = 1")]),
        "locals {\r\n  abc = 1\r\n  b   = 2\r\n}\r\n"
    );
}

#[test]
fn the_indentation_levels_follow_fmt() {
    let text = "a {\n  b = [\n    1,\n  ]\n  c = foo(1,\n  2)\n  d = jsonencode([\n    {\n    }\n  ])\n}\n";
    let layout = Layout::scan(text);
    let depths: Vec<usize> = layout.lines.iter().map(|l| l.depth).collect();
    assert_eq!(depths, [0, 1, 2, 1, 1, 1, 1, 2, 2, 1, 0]);
}
