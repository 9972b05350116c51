//! Edits that keep a file's layout: `terraform fmt` aligns the `=` of neighbouring
//! attributes, so a renamed key or an added attribute keeps that alignment.

use crate::diagnostic::Edit;
use crate::source::{SourceMap, Span};

/// Renames the key at `key`, moving nothing else: the `=` after it stays in its column when
/// the new name fits there. JSON files align nothing, so there the name alone changes.
pub fn rename_key(sources: &SourceMap, key: Span, new_name: &str) -> Edit {
    let text = &sources.get(key.file).text;
    let after = text.get(key.end()..).unwrap_or("");
    let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
    let rest = &after[gap..];
    let json = super::json::is_json_file(sources, key.file);
    if json || !rest.starts_with('=') || after[..gap].contains('\t') {
        return Edit {
            span: key,
            replacement: new_name.to_string(),
        };
    }
    let old_width = sources.slice(key).chars().count() + gap;
    let pad = old_width.saturating_sub(new_name.chars().count()).max(1);
    Edit {
        span: Span::new(key.file, key.start(), key.end() + gap),
        replacement: format!("{new_name}{}", " ".repeat(pad)),
    }
}

/// A new `key = value` line right after the line of the attribute whose key is `neighbour`,
/// indented like it and with its `=` in the same column when the key fits.
pub fn attribute_after(sources: &SourceMap, neighbour: Span, key: &str, value: &str) -> Edit {
    let file = sources.get(neighbour.file);
    let indent = file.indentation_at(neighbour.start()).to_string();
    let after = file.text.get(neighbour.end()..).unwrap_or("");
    let gap = after.len() - after.trim_start_matches(' ').len();
    let width = sources.slice(neighbour).chars().count() + gap;
    let pad = width.saturating_sub(key.chars().count()).max(1);
    let at = file.next_line_start(neighbour.end());
    let newline = if file.text[..at].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let lead = if at == file.text.len() && !file.text.ends_with('\n') {
        newline
    } else {
        ""
    };
    Edit {
        span: Span::new(neighbour.file, at, at),
        replacement: format!("{lead}{indent}{key}{}= {value}{newline}", " ".repeat(pad)),
    }
}

/// Removes a call around its one argument (`jsonencode([...])` → `[...]`): the name, the
/// parentheses and the blanks between them and the argument. `None` when a comment sits
/// there, which removing the call would take with it.
pub fn unwrap_call(sources: &SourceMap, call: Span, argument: Span) -> Option<Vec<Edit>> {
    let text = &sources.get(call.file).text;
    let opening = text.get(call.start()..argument.start())?;
    let inside = &opening[opening.find('(')? + 1..];
    let closing = text.get(argument.end()..call.end())?;
    let blank = |s: &str| s.chars().all(char::is_whitespace);
    if !blank(inside) || !closing.strip_suffix(')').is_some_and(blank) {
        return None;
    }
    Some(vec![
        Edit {
            span: Span::new(call.file, call.start(), argument.start()),
            replacement: String::new(),
        },
        Edit {
            span: Span::new(call.file, argument.end(), call.end()),
            replacement: String::new(),
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceFile};

    fn sources(text: &str) -> SourceMap {
        let mut map = SourceMap::default();
        map.add(SourceFile::new("main.tf".into(), "main.tf".into(), text.into()));
        map
    }

    fn apply(text: &str, edit: Edit) -> String {
        let mut out = text.to_string();
        out.replace_range(edit.span.start()..edit.span.end(), &edit.replacement);
        out
    }

    #[test]
    fn a_shorter_key_keeps_the_equals_column() {
        let text = "  load_balancer_enabled = true\n  lb_subnets            = []\n";
        let map = sources(text);
        let key = Span::new(FileId(0), 2, 23);
        assert_eq!(
            apply(text, rename_key(&map, key, "lb_enabled")),
            "  lb_enabled            = true\n  lb_subnets            = []\n"
        );
    }

    #[test]
    fn a_longer_key_gets_one_space() {
        let text = "  a = 1\n";
        let map = sources(text);
        assert_eq!(
            apply(text, rename_key(&map, Span::new(FileId(0), 2, 3), "abc")),
            "  abc = 1\n"
        );
    }

    #[test]
    fn unwrapping_a_call_keeps_the_comments_inside_it_or_does_nothing() {
        let text = "x = jsonencode(\n  [1]\n)\ny = jsonencode( # note\n  [1]\n)\n";
        let map = sources(text);
        let span = |from: &str, to: &str| {
            let start = text.find(from).unwrap();
            Span::new(
                FileId(0),
                start,
                start + text[start..].find(to).unwrap() + to.len(),
            )
        };
        let edits = unwrap_call(&map, span("jsonencode(\n", ")"), span("[1]", "]")).unwrap();
        let [open, close] = <[Edit; 2]>::try_from(edits).unwrap();
        assert_eq!(
            apply(&apply(text, close), open),
            "x = [1]\ny = jsonencode( # note\n  [1]\n)\n"
        );
        let second = text.rfind("[1]").unwrap();
        let argument = Span::new(FileId(0), second, second + 3);
        assert_eq!(unwrap_call(&map, span("jsonencode( #", ")"), argument), None);
    }

    #[test]
    fn an_added_attribute_lines_up_with_its_neighbour() {
        let text = "resource \"x\" \"y\" {\n  task_definition = module.a.task_definition_arn\n  desired_count   = 1\n}\n";
        let map = sources(text);
        let key = Span::new(FileId(0), 21, 36);
        assert_eq!(map.slice(key), "task_definition");
        let out = apply(
            text,
            attribute_after(&map, key, "propagate_tags", "\"TASK_DEFINITION\""),
        );
        assert!(out.contains("\n  task_definition = module.a.task_definition_arn\n  propagate_tags  = \"TASK_DEFINITION\"\n"), "{out}");
    }
}
