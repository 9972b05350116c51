//! Hover and go-to-definition across languages: from `localhost:PORT` in an app (or a
//! container's environment) to the upstream that binds the port, from an upstream's
//! destination to the mesh task that provides it, from a task role input to the role; and
//! on a mesh-task input, what meshlint evaluated it to and where the value came from.

use super::diagnostics::Ranges;
use super::position::{Encoding, LineIndex};
use super::uri;
use super::workspace::{Checked, Workspace};
use crate::catalog::RuleKey;
use crate::model::mesh::net_facts::Endpoint;
use crate::model::mesh::task_network::{TaskNetwork, UpstreamPort};
use crate::model::roles::task_role::RoleTarget;
use crate::model::terraform::value::{Value, ValueKind};
use crate::model::{ModuleModel, Project};
use crate::net::HostClass;
use crate::source::{FileId, Span};
use lsp_types as lsp;

/// What lies under the cursor.
struct Cursor<'a> {
    checked: &'a Checked,
    at: Span,
}

fn cursor<'a>(
    workspace: &'a Workspace,
    at: &lsp::TextDocumentPositionParams,
    encoding: Encoding,
) -> Option<Cursor<'a>> {
    let path = uri::to_path(&at.text_document.uri)?;
    let (checked, file) = workspace.find(&path)?;
    let text = &checked.report.project.sources.get(file).text;
    let offset = LineIndex::new(text).offset(at.position, encoding);
    Some(Cursor {
        checked,
        at: Span::new(file, offset, offset),
    })
}

pub fn hover(
    workspace: &Workspace,
    at: &lsp::TextDocumentPositionParams,
    encoding: Encoding,
) -> Option<lsp::Hover> {
    let cursor = cursor(workspace, at, encoding)?;
    let project = &cursor.checked.report.project;
    let mut ranges = Ranges::new(&project.sources, &cursor.checked.cwd, encoding);
    let mut sections = Vec::new();
    let mut range = None;
    for diagnostic in &cursor.checked.report.diagnostics {
        if diagnostic.span.contains(cursor.at) {
            sections.push(finding_hover(diagnostic));
            range.get_or_insert(diagnostic.span);
        }
    }
    if let Some(call) = loopback_call(project, cursor.at) {
        let port = call.endpoint.port().unwrap_or_default();
        let shown = format!("{}:{port}", call.endpoint.host());
        let binders = binders(project, call.task, port);
        let text = if binders.is_empty() {
            // An app no task claims is compared with every task's upstreams.
            let whose = if call.task.is_some() { "of this task " } else { "" };
            format!("`{shown}`: no upstream {whose}binds port {port}, so nothing in the mesh answers here.")
        } else {
            let lines: Vec<String> = binders
                .iter()
                .map(|(network, upstream)| {
                    let destination = upstream
                        .destination
                        .as_ref()
                        .map_or("?", |(name, _)| name.as_str());
                    let place = place(&mut ranges, upstream.span);
                    format!(
                        "- upstream `{destination}` of mesh task `{}` ({place})",
                        network.name
                    )
                })
                .collect();
            format!("`{shown}` reaches, through the sidecar:\n{}", lines.join("\n"))
        };
        sections.push(text);
        range.get_or_insert(call.endpoint.span.unwrap_or(call.endpoint.value_span));
    }
    if let Some((text, span)) = input_hover(project, cursor.at, &mut ranges) {
        sections.push(text);
        range.get_or_insert(span);
    }
    if let Some((text, span)) = edge_hover(project, cursor.at, &mut ranges) {
        sections.push(text);
        range.get_or_insert(span);
    }
    if sections.is_empty() {
        return None;
    }
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: range.map(|span| ranges.range(span)),
    })
}

/// On an upstream (or a `*.virtual.consul` URL): what the project's intentions decide for the
/// call, and the intention behind it. Only in projects that write config entries.
fn edge_hover(project: &Project, at: Span, ranges: &mut Ranges) -> Option<(String, Span)> {
    use crate::model::call_graph::EntryIndex;
    use crate::model::config_entries::decision::Verdict;
    project.config_entries().next()?;
    let edge = project.call_edges().into_iter().find(|e| e.span.contains(at))?;
    let index = EntryIndex::new(project);
    let from = edge.source.name.as_deref().unwrap_or("?");
    let to = edge.destination.name.as_deref().unwrap_or("?");
    let mut by = |m: crate::model::config_entries::decision::Match| {
        format!(
            "`{}` (source `{}`, precedence {}, {})",
            m.entry.address,
            m.source.name.known().unwrap_or("?"),
            m.precedence,
            place(ranges, m.source.span)
        )
    };
    let text = match index.verdict(&edge) {
        Verdict::Allowed(m) => format!("`{from}` → `{to}`: **allowed** by {}", by(m)),
        Verdict::Denied(m) => format!("`{from}` → `{to}`: **denied** by {}", by(m)),
        Verdict::AllowedForSome(m) => format!(
            "`{from}` → `{to}`: **allowed for some requests** by the permissions of {}",
            by(m)
        ),
        Verdict::NoIntention => format!(
            "`{from}` → `{to}`: no intention of this project matches; the servers' ACL default policy decides"
        ),
        Verdict::Unknown => format!(
            "`{from}` → `{to}`: not decided: an intention that may match has values meshlint does not know"
        ),
    };
    Some((text, edge.span))
}

pub fn definition(
    workspace: &Workspace,
    at: &lsp::TextDocumentPositionParams,
    encoding: Encoding,
) -> Option<lsp::GotoDefinitionResponse> {
    let cursor = cursor(workspace, at, encoding)?;
    let project = &cursor.checked.report.project;
    let mut ranges = Ranges::new(&project.sources, &cursor.checked.cwd, encoding);
    let targets: Vec<Span> = if let Some(call) = loopback_call(project, cursor.at) {
        let port = call.endpoint.port().unwrap_or_default();
        binders(project, call.task, port)
            .iter()
            .map(|(_, u)| u.span)
            .collect()
    } else if let Some(name) = destination_at(project, cursor.at) {
        providers(project, &name)
    } else {
        roles_at(project, cursor.at)
    };
    let locations: Vec<lsp::Location> = targets
        .into_iter()
        .filter_map(|span| ranges.location(span))
        .collect();
    (!locations.is_empty()).then_some(lsp::GotoDefinitionResponse::Array(locations))
}

fn finding_hover(diagnostic: &crate::diagnostic::Diagnostic) -> String {
    let rule = &diagnostic.rule;
    let heading = match rule {
        RuleKey::Builtin(id) => format!("{} {}", id.code(), id.name()),
        RuleKey::Policy(policy) => format!("policy {}", policy.id),
    };
    let mut text = format!(
        "**{heading}** ({}): {}\n\n{}",
        diagnostic.severity.as_str(),
        rule.summary(),
        diagnostic.message
    );
    let why = match rule {
        RuleKey::Builtin(id) => doc_section(id.meta().doc, "## Why it matters"),
        RuleKey::Policy(policy) => policy.help.clone(),
    };
    if let Some(why) = why {
        text.push_str("\n\n");
        text.push_str(&why);
    }
    if let Some(url) = rule.url() {
        text.push_str(&format!("\n\n[{} documentation]({url})", rule.name()));
    }
    text
}

/// The first paragraph of a section of a rule's document.
fn doc_section(doc: &str, heading: &str) -> Option<String> {
    let after = &doc[doc.find(heading)? + heading.len()..];
    let paragraph: Vec<&str> = after
        .lines()
        .skip_while(|line| line.trim().is_empty())
        .take_while(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .collect();
    (!paragraph.is_empty()).then(|| paragraph.join("\n"))
}

/// A call to the task's own loopback address under the cursor, and the task that makes it.
struct LoopbackCall<'a> {
    endpoint: &'a Endpoint,
    /// The mesh task whose app or container makes the call, when known.
    task: Option<&'a TaskNetwork>,
}

fn loopback_call(project: &Project, at: Span) -> Option<LoopbackCall<'_>> {
    let under = |endpoint: &&Endpoint| {
        endpoint.url.host_class == HostClass::Loopback
            && endpoint.port().is_some()
            && endpoint.span.unwrap_or(endpoint.value_span).contains(at)
    };
    for app in project.apps.iter().filter(|app| app.file == at.file) {
        if let Some(endpoint) = app.endpoints.iter().find(under) {
            let task = project.task_of_app(app).map(|(_, task)| &task.network);
            return Some(LoopbackCall { endpoint, task });
        }
    }
    project
        .modules
        .iter()
        .flat_map(|m| m.tasks.iter())
        .find_map(|task| {
            let endpoint = task.network.endpoints.iter().find(under)?;
            Some(LoopbackCall {
                endpoint,
                task: Some(&task.network),
            })
        })
}

/// The upstreams that bind `port`: the calling task's own, or, for an app no task claims,
/// any task's.
fn binders<'a>(
    project: &'a Project,
    task: Option<&'a TaskNetwork>,
    port: u16,
) -> Vec<(&'a TaskNetwork, &'a UpstreamPort)> {
    let networks: Vec<&TaskNetwork> = match task {
        Some(network) => vec![network],
        None => project.modules.iter().flat_map(ModuleModel::networks).collect(),
    };
    let mut found: Vec<(&TaskNetwork, &UpstreamPort)> = networks
        .into_iter()
        .flat_map(|network| network.upstreams.iter().map(move |upstream| (network, upstream)))
        .filter(|(_, upstream)| upstream.local_bind_port.is_some_and(|(bound, _)| bound == port))
        .collect();
    // Instances of one call share their upstream entries.
    found.dedup_by_key(|(_, upstream)| upstream.span);
    found
}

/// The destination name of the upstream under the cursor.
fn destination_at(project: &Project, at: Span) -> Option<String> {
    project
        .modules
        .iter()
        .flat_map(ModuleModel::networks)
        .flat_map(|network| &network.upstreams)
        .find_map(|upstream| {
            let (name, span) = upstream.destination.as_ref()?;
            span.contains(at).then(|| name.clone())
        })
}

/// The `module` blocks of the mesh tasks that provide service `name`.
fn providers(project: &Project, name: &str) -> Vec<Span> {
    let mut spans: Vec<Span> = project
        .modules
        .iter()
        .flat_map(ModuleModel::networks)
        .filter(|network| network.service_name.as_deref() == Some(name))
        .map(|network| network.call_span)
        .collect();
    spans.dedup();
    spans
}

/// The roles a mesh task's role input under the cursor names.
fn roles_at(project: &Project, at: Span) -> Vec<Span> {
    let mut spans = Vec::new();
    for model in &project.modules {
        for role in &model.roles {
            let RoleTarget::Defined(resource) = role.target else {
                continue;
            };
            let named = role.users.iter().any(|(call, value)| {
                let attribute = model
                    .module
                    .calls
                    .get(*call)
                    .and_then(|call| call.block.body.attributes.iter().find(|a| a.value.span == *value));
                attribute.map_or(value.contains(at), |a| a.span.contains(at))
            });
            if let Some(resource) = model.module.resources.get(resource).filter(|_| named) {
                spans.push(resource.block.span);
            }
        }
    }
    spans.dedup();
    spans
}

/// On an input of a mesh-task call: its value as meshlint evaluated it for each task of the
/// call, and the places the value came from.
fn input_hover(project: &Project, at: Span, ranges: &mut Ranges) -> Option<(String, Span)> {
    for model in &project.modules {
        for (index, call) in model.module.calls.iter().enumerate() {
            if !call.block.span.contains(at) {
                continue;
            }
            let tasks: Vec<_> = model.tasks.iter().filter(|t| t.declared.call == index).collect();
            let Some(attribute) = call.block.body.attributes.iter().find(|a| a.span.contains(at)) else {
                continue;
            };
            if tasks.is_empty() {
                continue;
            }
            let mut lines = vec![format!("**`{}`** as meshlint evaluates it:", attribute.key)];
            let mut shown = Vec::new();
            for task in tasks {
                let value = task.declared.evaluator(&model.module).eval(&attribute.value);
                let line = format!("- `{}`: {}", task.declared.name, render(&value));
                if shown.contains(&line) {
                    continue;
                }
                shown.push(line.clone());
                lines.push(line);
                for origin in &value.origins {
                    lines.push(format!(
                        "  - from {} ({})",
                        origin.what,
                        place(ranges, origin.span)
                    ));
                }
            }
            return Some((lines.join("\n"), attribute.span));
        }
    }
    None
}

fn render(value: &Value) -> String {
    match &value.kind {
        ValueKind::Unknown(reason) => format!("not known before apply ({reason})"),
        ValueKind::Error(reason) => format!("an error Terraform would report ({reason})"),
        _ => match value.to_json() {
            Some(json) => {
                let mut text = json.to_string();
                if text.len() > 300 {
                    let mut cut = 300;
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text.truncate(cut);
                    text.push('…');
                }
                format!("`{text}`")
            }
            None => "partly known".to_string(),
        },
    }
}

/// `infra/main.tf:12` for a span.
fn place(ranges: &mut Ranges, span: Span) -> String {
    let file: FileId = span.file;
    let shown = ranges.display_path(file).to_string();
    format!("{shown}:{}", ranges.range(span).start.line + 1)
}
