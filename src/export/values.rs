//! How the model document writes spans, evaluated values and the model's enumerations.

use crate::iam::Outcome;
use crate::model::terraform::value::{Value, ValueKind};
use crate::net::HostClass;
use crate::source::{FileId, SourceMap, Span};
use serde_json::{json, Value as Json};

pub struct Spans<'a> {
    sources: &'a SourceMap,
}

impl<'a> Spans<'a> {
    pub fn new(sources: &'a SourceMap) -> Spans<'a> {
        Spans { sources }
    }

    pub fn path(&self, file: FileId) -> &'a str {
        &self.sources.get(file).display_path
    }

    /// `{"file", "start": {"line", "column", "offset"}, "end": …}`, as `--format json` writes
    /// ranges.
    pub fn span(&self, span: Span) -> Json {
        let range = crate::source::range(self.sources, span);
        json!({ "file": self.path(span.file), "start": range.start, "end": range.end })
    }

    /// `{"value": …}` when meshlint knows all of it, else `{"unknown": "why"}`; with the
    /// span of the expression that gave it and the places it came from.
    pub fn value(&self, value: &Value) -> Json {
        let origins: Vec<Json> = value
            .origins
            .iter()
            .map(|o| json!({ "what": o.what, "span": self.span(o.span) }))
            .collect();
        let known = match &value.kind {
            ValueKind::Error(reason) => Err(format!("Terraform would reject it: {reason}")),
            _ => value
                .to_json()
                .filter(|_| value.is_wholly_known())
                .ok_or_else(|| value.unknown_reason().unwrap_or("partly unknown").to_string()),
        };
        let mut object = match known {
            Ok(json) => json!({ "value": json }),
            Err(reason) => json!({ "unknown": reason }),
        };
        object["span"] = self.span(value.span);
        object["origins"] = Json::Array(origins);
        object
    }
}

pub fn host_class(class: &HostClass) -> &'static str {
    match class {
        HostClass::Loopback => "loopback",
        HostClass::ConsulDns(_) => "consul-dns",
        HostClass::BareName => "bare-name",
        HostClass::Fqdn => "fqdn",
        HostClass::IpAddress => "ip-address",
        HostClass::AllInterfaces => "all-interfaces",
        HostClass::Unknown => "unknown",
        _ => "invalid",
    }
}

pub fn outcome(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Allowed { .. } => "allowed",
        Outcome::NotAllowed { .. } => "not-allowed",
        Outcome::Inconclusive { .. } => "inconclusive",
    }
}

/// The kind of an application source, as the document names it.
pub fn source_kind(kind: crate::parse::app::SourceKind) -> &'static str {
    use crate::parse::app::SourceKind::*;
    match kind {
        Go => "go",
        Python => "python",
        GunicornConfig => "gunicorn-config",
        JavaScript => "javascript",
        TypeScript => "typescript",
        Tsx => "tsx",
        Rust => "rust",
        Dockerfile => "dockerfile",
        Shell => "shell",
        Procfile => "procfile",
        JavaProperties => "java-properties",
        SpringYaml => "spring-yaml",
    }
}
