//! Where a policy's finding points: its `at` is a span object of the model, a node of the
//! model that has a `span` (an evaluated value, a task, an upstream, a container), or a path
//! into the model (`"modules[0].mesh_tasks[1].inputs.tls"`, `"/modules/0/…"` or an array of
//! keys and indexes). An evaluated value also brings its provenance as labels, as built-in
//! rules give them.

use crate::source::{FileId, SourceMap, Span};
use regorus::Value;
use std::collections::HashMap;

/// A place found for a finding: the span, and labels for where its value came from.
pub struct Place {
    pub span: Span,
    pub labels: Vec<(Span, String)>,
}

pub struct Locator<'a> {
    sources: &'a SourceMap,
    files: HashMap<&'a str, FileId>,
    document: &'a Value,
}

impl<'a> Locator<'a> {
    pub fn new(sources: &'a SourceMap, document: &'a Value) -> Locator<'a> {
        let files = sources
            .iter()
            .map(|(id, f)| (f.display_path.as_str(), id))
            .collect();
        Locator {
            sources,
            files,
            document,
        }
    }

    /// The place `at` names, or why it names none.
    pub fn place(&self, at: &Value) -> Result<Place, String> {
        match at {
            Value::String(path) => self.path_place(&parse_path(path)?),
            Value::Array(items) => {
                let keys = items
                    .iter()
                    .map(|item| match item {
                        Value::String(s) => Ok(Key::Field(s.to_string())),
                        Value::Number(_) => item
                            .as_u64()
                            .map(|n| Key::Index(n as usize))
                            .map_err(|_| "a path index must be a whole number".to_string()),
                        _ => Err("a path is made of strings and indexes".to_string()),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                self.path_place(&keys)
            }
            Value::Object(_) => self
                .node_place(at)
                .ok_or_else(|| "`at` is an object without a `span` of the model".to_string()),
            Value::Undefined | Value::Null => Err("the finding has no `at`".to_string()),
            _ => Err("`at` must be a span or node of the model, or a path into it".to_string()),
        }
    }

    /// A model node: a span itself, or anything with a `span` (and maybe `origins`).
    fn node_place(&self, node: &Value) -> Option<Place> {
        if let Some(span) = self.span(node) {
            return Some(Place {
                span: self.header(span),
                labels: Vec::new(),
            });
        }
        let span = self.header(self.span(&node["span"])?);
        let mut labels = Vec::new();
        if let Ok(origins) = node["origins"].as_array() {
            for origin in origins {
                let (Some(place), Ok(what)) = (self.span(&origin["span"]), origin["what"].as_string()) else {
                    continue;
                };
                labels.push((place, format!("{what} is set here")));
            }
        }
        Some(Place { span, labels })
    }

    /// The deepest node on the path that has a span.
    fn path_place(&self, keys: &[Key]) -> Result<Place, String> {
        let mut node = self.document;
        let mut best = self.node_place(node);
        for (depth, key) in keys.iter().enumerate() {
            node = match key {
                Key::Field(name) => &node[name.as_str()],
                Key::Index(index) => node
                    .as_array()
                    .ok()
                    .and_then(|items| items.get(*index))
                    .unwrap_or(&Value::Undefined),
            };
            if *node == Value::Undefined {
                let walked: Vec<String> = keys[..=depth].iter().map(Key::to_string).collect();
                return Err(format!("the model has no `{}`", walked.join("")));
            }
            if let Some(place) = self.node_place(node) {
                best = Some(place);
            }
        }
        best.ok_or_else(|| "no node on that path has a span".to_string())
    }

    /// A block's span narrowed to its header (`module "orders"`), as built-in rules point at
    /// a module call or resource: the whole block would underline dozens of lines.
    fn header(&self, span: Span) -> Span {
        let text = self.sources.slice(span);
        let Some(line_end) = text.find('\n') else {
            return span;
        };
        let first = &text[..line_end];
        let is_block = first.trim_end().ends_with('{')
            && ["module \"", "resource \"", "data \""]
                .iter()
                .any(|k| first.starts_with(k));
        if !is_block {
            return span;
        }
        let header = first.trim_end().trim_end_matches('{').trim_end();
        Span::new(span.file, span.start(), span.start() + header.len())
    }

    /// A span object of the model: `{"file", "start": {"offset", …}, "end": {…}}`.
    fn span(&self, value: &Value) -> Option<Span> {
        let file = *self.files.get(value["file"].as_string().ok()?.as_ref())?;
        let text = &self.sources.get(file).text;
        let offset = |position: &Value| -> Option<usize> {
            let offset = position["offset"].as_u64().ok()? as usize;
            (offset <= text.len() && text.is_char_boundary(offset)).then_some(offset)
        };
        let (start, end) = (offset(&value["start"])?, offset(&value["end"])?);
        (start <= end).then(|| Span::new(file, start, end))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Key {
    Field(String),
    Index(usize),
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Key::Field(name) => write!(f, ".{name}"),
            Key::Index(index) => write!(f, "[{index}]"),
        }
    }
}

/// `modules[0].mesh_tasks[1].inputs.tls` (an `input.` prefix allowed), `modules.0.…`, or a
/// JSON pointer `/modules/0/…`.
fn parse_path(text: &str) -> Result<Vec<Key>, String> {
    let text = text.trim();
    let key = |part: &str| match part.parse::<usize>() {
        Ok(index) => Key::Index(index),
        Err(_) => Key::Field(part.replace("~1", "/").replace("~0", "~")),
    };
    if let Some(pointer) = text.strip_prefix('/') {
        return Ok(pointer.split('/').map(key).collect());
    }
    let text = text.strip_prefix("input.").unwrap_or(text);
    let mut keys = Vec::new();
    for part in text.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            keys.push(key(name));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let close = inner
                .find(']')
                .ok_or_else(|| format!("unclosed `[` in path `{text}`"))?;
            let index = inner[..close].trim_matches('"');
            keys.push(match index.parse::<usize>() {
                Ok(n) => Key::Index(n),
                Err(_) => Key::Field(index.to_string()),
            });
            rest = &inner[close + 1..];
        }
        if name.is_empty() && part.is_empty() {
            return Err(format!("empty step in path `{text}`"));
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_every_written_form() {
        let expected = vec![
            Key::Field("modules".into()),
            Key::Index(0),
            Key::Field("mesh_tasks".into()),
            Key::Index(2),
            Key::Field("inputs".into()),
        ];
        assert_eq!(parse_path("modules[0].mesh_tasks[2].inputs").unwrap(), expected);
        assert_eq!(
            parse_path("input.modules[0].mesh_tasks[2].inputs").unwrap(),
            expected
        );
        assert_eq!(parse_path("/modules/0/mesh_tasks/2/inputs").unwrap(), expected);
        assert_eq!(parse_path("modules.0.mesh_tasks.2.inputs").unwrap(), expected);
        assert!(parse_path("modules[0").is_err());
    }
}
