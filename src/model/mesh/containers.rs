//! ECS container definitions, from the evaluated `container_definitions` value.

use crate::model::terraform::value::{Value, ValueKind};
use crate::source::{SourceMap, Span};

#[derive(Debug, Clone)]
pub struct Container {
    pub name: Option<String>,
    /// The container's object.
    pub span: Span,
    pub environment: Vec<EnvVar>,
    /// `command` and `entryPoint` arguments, in that order.
    pub arguments: Vec<Value>,
    /// `portMappings[*].containerPort` that are known.
    pub container_ports: Vec<(u16, Span)>,
    /// True when some environment entries are not known (a variable list, a `merge`, an
    /// `environmentFiles` entry).
    pub has_unknown_environment: bool,
    /// Names of the variables its `secrets` set (their values come from SSM or Secrets
    /// Manager at run time).
    pub secret_names: Vec<String>,
    /// Where its `command`/`entryPoint` makes a server listen (see [`read_commands`]).
    pub command_listens: Vec<crate::parse::app::facts::Listen>,
    /// `image`, `essential`, `healthCheck` and `logConfiguration` as written: policies read
    /// them.
    pub image: Option<Value>,
    pub essential: Option<Value>,
    pub health_check: Option<Value>,
    pub log_configuration: Option<Value>,
}

#[derive(Debug, Clone)]
pub struct EnvVar {
    pub name: String,
    pub value: Value,
}

/// Containers of a `container_definitions` value; `None` when the list itself is unknown.
pub fn containers(definitions: &Value) -> Option<Vec<Container>> {
    let items = definitions.as_list()?;
    Some(
        items
            .iter()
            .filter(|item| matches!(item.kind, ValueKind::Object(_)))
            .map(container)
            .collect(),
    )
}

fn container(value: &Value) -> Container {
    let mut out = Container {
        name: value.get("name").and_then(Value::as_str).map(str::to_string),
        span: value.span,
        environment: Vec::new(),
        arguments: Vec::new(),
        container_ports: Vec::new(),
        has_unknown_environment: false,
        secret_names: Vec::new(),
        command_listens: Vec::new(),
        image: value.get("image").cloned(),
        essential: value.get("essential").cloned(),
        health_check: value.get("healthCheck").cloned(),
        log_configuration: value.get("logConfiguration").cloned(),
    };
    match value.get("environment").map(|e| (e, e.as_list())) {
        Some((_, Some(entries))) => {
            for entry in entries {
                match (entry.get("name").and_then(Value::as_str), entry.get("value")) {
                    (Some(name), Some(v)) => out.environment.push(EnvVar {
                        name: name.to_string(),
                        value: v.clone(),
                    }),
                    _ => out.has_unknown_environment = true,
                }
            }
        }
        Some((_, None)) => out.has_unknown_environment = true,
        None => {}
    }
    // Variables loaded from files in S3: any name may be set.
    if value
        .get("environmentFiles")
        .is_some_and(|files| files.as_list().is_none_or(|l| !l.is_empty()))
    {
        out.has_unknown_environment = true;
    }
    match value.get("secrets").map(Value::as_list) {
        Some(Some(secrets)) => {
            for secret in secrets {
                match secret.get("name").and_then(Value::as_str) {
                    Some(name) => out.secret_names.push(name.to_string()),
                    None => out.has_unknown_environment = true,
                }
            }
        }
        Some(None) => out.has_unknown_environment = true,
        None => {}
    }
    for key in ["command", "entryPoint"] {
        if let Some(v) = value.get(key) {
            match v.as_list() {
                Some(args) => out.arguments.extend(args.iter().cloned()),
                None => out.arguments.push(v.clone()),
            }
        }
    }
    if let Some(mappings) = value.get("portMappings").and_then(Value::as_list) {
        for mapping in mappings {
            if let Some(port) = mapping.get("containerPort") {
                if let Some(n) = port
                    .as_number()
                    .filter(|n| n.fract() == 0.0 && (1.0..=65535.0).contains(n))
                {
                    out.container_ports.push((n as u16, port.span));
                }
            }
        }
    }
    out
}

/// The span of `range` (offsets into the value's string) when the value is a plain string
/// literal written exactly there, without escapes or interpolation.
pub fn span_within(sources: &SourceMap, value: &Value, range: std::ops::Range<usize>) -> Option<Span> {
    let text = value.as_str()?;
    let inner = Span::new(
        value.span.file,
        value.span.start() + 1,
        value.span.end().saturating_sub(1),
    );
    let quoted = sources.slice(value.span).starts_with('"');
    quoted.then(|| sources.subspan(inner, text, range)).flatten()
}

/// Reads each container's `command` and `entryPoint` like a Dockerfile exec form, when every
/// word is a plain string literal written in one file (anything computed stays unknown).
pub fn read_commands(containers: &mut [Container], sources: &SourceMap) {
    for container in containers {
        let Some(first) = container.arguments.first() else {
            continue;
        };
        let file = first.span.file;
        let mut words = Vec::new();
        for argument in &container.arguments {
            let (Some(text), span) = (argument.as_str(), argument.span) else {
                break;
            };
            if span.file != file || sources.slice(span) != format!("\"{text}\"") {
                break;
            }
            words.push(crate::parse::app::CommandWord {
                text: text.to_string(),
                raw: span.start()..span.end(),
                value: span.start() + 1..span.end() - 1,
            });
        }
        if words.len() == container.arguments.len() {
            container.command_listens =
                crate::parse::app::command_listens(file, &sources.get(file).text, &words);
        }
    }
}
