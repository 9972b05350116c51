//! A policy's declaration: the `__meshlint__` rule, or OPA's `# METADATA` annotation on the
//! package (`title`, `description`, `related_resources`, and `custom.id`, `custom.severity`,
//! `custom.help`, `custom.url`).

use crate::catalog::{is_policy_id, PolicyMeta, Severity};
use regorus::Value;
use std::collections::BTreeMap;

/// The fields a declaration gave, before they are checked.
#[derive(Debug, Default)]
pub struct Declared {
    pub fields: BTreeMap<String, String>,
}

impl Declared {
    /// From the value of `__meshlint__`: an object of strings.
    pub fn from_rule(value: &Value) -> Result<Declared, String> {
        let object = value
            .as_object()
            .map_err(|_| "`__meshlint__` must be an object such as {\"id\": \"org/name\", \"severity\": \"error\", \"title\": \"…\"}".to_string())?;
        let mut fields = BTreeMap::new();
        for (key, value) in object {
            let key = key
                .as_string()
                .map_err(|_| "`__meshlint__` keys must be strings".to_string())?;
            let text = value
                .as_string()
                .map_err(|_| format!("`__meshlint__.{key}` must be a string"))?;
            fields.insert(key.to_string(), text.to_string());
        }
        Ok(Declared { fields })
    }

    /// From a `# METADATA` block right above the `package` line, when there is one.
    pub fn from_annotations(text: &str) -> Option<Declared> {
        let lines: Vec<&str> = text.lines().collect();
        let package = lines
            .iter()
            .position(|l| l.trim_start().starts_with("package "))?;
        // The comment block that ends right above `package`.
        let mut start = package;
        while start > 0 && lines[start - 1].trim_start().starts_with('#') {
            start -= 1;
        }
        let block = &lines[start..package];
        let at = block.iter().position(|l| comment_body(l).trim() == "METADATA")?;
        let mut fields = BTreeMap::new();
        let mut section = String::new();
        for line in &block[at + 1..] {
            let body = comment_body(line);
            if body.trim().is_empty() {
                continue;
            }
            let nested = body.starts_with(' ') || body.starts_with('\t');
            let item = body.trim().trim_start_matches("- ");
            let Some((key, value)) = item.split_once(':') else {
                continue;
            };
            let (key, value) = (key.trim(), unquote(value.trim()));
            if !nested {
                section = if value.is_empty() {
                    key.to_string()
                } else {
                    String::new()
                };
                if !value.is_empty() {
                    fields.insert(key.to_string(), value);
                }
                continue;
            }
            match section.as_str() {
                "custom" => {
                    fields.insert(key.to_string(), value);
                }
                "related_resources" if key == "ref" => {
                    fields.entry("related".to_string()).or_insert(value);
                }
                _ => {}
            }
        }
        Some(Declared { fields })
    }

    /// The checked declaration; `file` is the policy's file as shown.
    pub fn into_meta(mut self, file: &str) -> Result<PolicyMeta, String> {
        let id = self.fields.remove("id").ok_or_else(|| {
            "declares no `id`: give `__meshlint__ := {\"id\": \"org/name\", …}` or `custom.id` in its METADATA".to_string()
        })?;
        if !is_policy_id(&id) {
            return Err(format!(
                "id `{id}` must be `namespace/name` (letters, digits, `-`, `_`, `.`), such as `org/mesh-tls`"
            ));
        }
        let severity = match self.fields.remove("severity").as_deref() {
            None | Some("error") => Severity::Error,
            Some("warning") => Severity::Warning,
            Some("info") => Severity::Info,
            Some(other) => {
                return Err(format!(
                    "severity must be `error`, `warning` or `info`, not `{other}`"
                ))
            }
        };
        let help = self
            .fields
            .remove("help")
            .or_else(|| self.fields.remove("description"));
        let title = self
            .fields
            .remove("title")
            .or_else(|| help.clone())
            .unwrap_or_else(|| id.clone());
        let url = self
            .fields
            .remove("url")
            .or_else(|| self.fields.remove("related"));
        Ok(PolicyMeta {
            id,
            severity,
            title,
            help,
            url,
            file: file.to_string(),
        })
    }
}

/// The text of a `#` comment line after the `#` and one space.
fn comment_body(line: &str) -> &str {
    let body = line.trim_start().trim_start_matches('#');
    body.strip_prefix(' ').unwrap_or(body)
}

fn unquote(value: &str) -> String {
    let quoted = value.len() >= 2
        && ((value.starts_with('"') && value.ends_with('"'))
            || (value.starts_with('\'') && value.ends_with('\'')));
    if quoted {
        value[1..value.len() - 1].to_string()
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_give_the_declaration() {
        let text = "# METADATA\n# title: Production tasks use TLS\n# description: Set tls = true.\n# related_resources:\n#   - ref: https://example.com/tls\n# custom:\n#   id: org/mesh-tls\n#   severity: warning\npackage org.tls\n";
        let meta = Declared::from_annotations(text)
            .unwrap()
            .into_meta("tls.rego")
            .unwrap();
        assert_eq!(meta.id, "org/mesh-tls");
        assert_eq!(meta.severity, Severity::Warning);
        assert_eq!(meta.title, "Production tasks use TLS");
        assert_eq!(meta.help.as_deref(), Some("Set tls = true."));
        assert_eq!(meta.url.as_deref(), Some("https://example.com/tls"));
    }

    #[test]
    fn a_declaration_without_a_namespaced_id_is_refused() {
        let mut declared = Declared::default();
        declared.fields.insert("id".into(), "tls".into());
        assert!(declared
            .into_meta("x.rego")
            .unwrap_err()
            .contains("namespace/name"));
        assert!(Declared::default()
            .into_meta("x.rego")
            .unwrap_err()
            .contains("no `id`"));
    }
}
