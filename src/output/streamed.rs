//! Pretty JSON documents whose one large array is written item by item: the document is
//! printed with a placeholder string where the array goes, and each item is printed on its
//! own and indented to its depth, so no value tree of every item is ever held. The text is
//! byte for byte what `serde_json::to_string_pretty` prints for the whole document.

use serde::Serialize;

/// Stands where the array goes; no finding can produce it (JSON escapes the NUL).
pub const PLACEHOLDER: &str = "\u{0}meshlint:streamed-array";

/// `document` pretty-printed, with the string value of `key` (which must be [`PLACEHOLDER`])
/// replaced by the array of `items`; `depth` is the nesting depth of the items (2 for a
/// top-level key's array).
pub fn pretty_with_array<T: Serialize>(
    document: &impl Serialize,
    key: &str,
    depth: usize,
    items: impl Iterator<Item = T>,
) -> String {
    let fail = |e: serde_json::Error| format!("{{\"error\": \"{e}\"}}\n");
    let text = match serde_json::to_string_pretty(document) {
        Ok(text) => text,
        Err(e) => return fail(e),
    };
    let key = serde_json::to_string(key).unwrap_or_default();
    let placeholder = format!(
        "{key}: {}",
        serde_json::to_string(PLACEHOLDER).unwrap_or_default()
    );
    let Some((head, tail)) = text.split_once(&placeholder) else {
        return fail(serde::ser::Error::custom(
            "the streamed array's placeholder is missing",
        ));
    };
    let indent = "  ".repeat(depth);
    let mut out = String::with_capacity(text.len());
    out.push_str(head);
    out.push_str(&key);
    out.push_str(": ");
    let mut empty = true;
    for item in items {
        let item = match serde_json::to_string_pretty(&item) {
            Ok(item) => item,
            Err(e) => return fail(e),
        };
        out.push_str(if empty { "[\n" } else { ",\n" });
        empty = false;
        // Pretty JSON has no newline inside a string: every line break is structure.
        for (index, line) in item.split('\n').enumerate() {
            if index > 0 {
                out.push('\n');
            }
            out.push_str(&indent);
            out.push_str(line);
        }
    }
    if empty {
        out.push_str("[]");
    } else {
        out.push('\n');
        out.push_str(&indent[2..]);
        out.push(']');
    }
    out.push_str(tail);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The spliced text is exactly what the whole document prints as, at any depth, empty
    /// or not, with strings holding line breaks and the placeholder's own characters.
    #[test]
    fn splices_to_the_text_of_the_whole_document() {
        let items = vec![
            json!({"a": 1, "b": ["x\ny", {"c": null}], "d": {}}),
            json!({"a": 2, "b": [], "d": {"e": "\"results\": \"\\u0000\""}}),
        ];
        for list in [items.clone(), Vec::new()] {
            let whole = json!({"v": 1, "runs": [{"tool": "t", "results": list, "z": [1]}], "w": 2});
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            let shell = json!({"v": 1, "runs": [{"tool": "t", "results": PLACEHOLDER, "z": [1]}], "w": 2});
            assert_eq!(
                pretty_with_array(&shell, "results", 4, list.into_iter()),
                expected
            );
        }
        let whole = json!({"version": 1, "diagnostics": items, "summary": {"files": 3}});
        let shell = json!({"version": 1, "diagnostics": PLACEHOLDER, "summary": {"files": 3}});
        assert_eq!(
            pretty_with_array(&shell, "diagnostics", 2, items.into_iter()),
            serde_json::to_string_pretty(&whole).unwrap() + "\n"
        );
    }
}
