//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it — rule metadata with the
//! rule documents as help, results with regions, related locations, fixes, line-independent
//! fingerprints, and suppressed findings marked as suppressed in source.

use crate::catalog::Severity;
use crate::catalog::{PolicyMeta, RuleId, RuleKey};
use crate::diagnostic::Fix;
use crate::report::{Finding, Report};
use crate::source::{SourceMap, Span};
use serde_json::{json, Value};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Artifact URIs are relative to the directory meshlint ran in, which in CI is the checkout.
const BASE_ID: &str = "%SRCROOT%";
/// GitHub shows at most this many characters of `fullDescription`.
const FULL_DESCRIPTION_MAX: usize = 1000;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: `/` kept, everything but unreserved characters
/// percent-encoded (so `:` cannot read as a scheme and spaces or `#` stay in the path).
pub fn uri(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `port-not-string` → `PortNotString`: SARIF's convention for a rule's friendly name.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The paragraph under the document's title: what the rule flags, in a sentence or two.
fn first_paragraph(doc: &str) -> String {
    let text: Vec<&str> = doc
        .lines()
        .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let mut text = text.join(" ");
    if text.chars().count() > FULL_DESCRIPTION_MAX {
        text = text.chars().take(FULL_DESCRIPTION_MAX - 1).collect::<String>() + "…";
    }
    text
}

/// Rules whose findings are security weaknesses, with GitHub's `security-severity` (CVSS
/// scale: 7.0 and above is high): code scanning then lists them as security alerts.
fn security_severity(id: RuleId) -> Option<&'static str> {
    match id {
        // The Consul UI and API reachable from the whole internet.
        RuleId::ConsulUiOpenToWorld => Some("8.2"),
        // An app reachable around its sidecar: no mTLS, no intentions.
        RuleId::BindAllInterfaces => Some("6.5"),
        _ => None,
    }
}

fn rule(id: RuleId) -> Value {
    let meta = id.meta();
    let mut tags = vec!["consul-ecs", "terraform", "service-mesh"];
    let mut properties = json!({"code": meta.code});
    if let Some(severity) = security_severity(id) {
        tags.push("security");
        properties["security-severity"] = json!(severity);
    }
    properties["tags"] = json!(tags);
    json!({
        "id": meta.name,
        "name": pascal_case(meta.name),
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": first_paragraph(meta.doc)},
        "help": {"text": plain_text(meta.doc), "markdown": meta.doc},
        "helpUri": super::rule_url(id),
        "defaultConfiguration": {"level": level(meta.severity)},
        "properties": properties,
    })
}

/// A rule document as plain text for `help.text` (GitHub shows `help.markdown` when it can):
/// no heading marks, code fences, backticks or emphasis; links as `text (url)`. Code is kept
/// as it is, indented.
fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            out.push_str("    ");
            out.push_str(line);
        } else {
            let text = match line.starts_with('#') {
                true => line.trim_start_matches('#').trim_start(),
                false => line,
            };
            out.push_str(&links_as_text(&text.replace("**", "").replace('`', "")));
        }
        out.push('\n');
    }
    out
}

/// `[text](url)` as `text (url)`.
fn links_as_text(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|c| open + c) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|e| close + e) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..close]);
        out.push_str(" (");
        out.push_str(&rest[close + 2..end]);
        out.push(')');
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Text placed inside a SARIF message link: `[` and `]` escaped (SARIF 2.1.0 §3.11.6).
fn link_text(text: &str) -> String {
    text.replace('\\', "\\\\").replace('[', "\\[").replace(']', "\\]")
}

/// The message with each label linked to its related location (`[text](1)`), which GitHub
/// shows as links to those lines; and, in Markdown, the notes and the help too.
fn message(d: &crate::diagnostic::Diagnostic) -> Value {
    let mut text = d.message.clone();
    if !d.labels.is_empty() {
        let links: Vec<String> = d
            .labels
            .iter()
            .enumerate()
            .map(|(index, label)| format!("[{}]({})", link_text(&label.message), index + 1))
            .collect();
        text.push_str(&format!(" ({})", links.join("; ")));
    }
    let mut markdown = text.clone();
    for note in &d.notes {
        markdown.push_str(&format!("\n\nNote: {note}"));
    }
    if let Some(help) = &d.help {
        markdown.push_str(&format!("\n\nHelp: {help}"));
    }
    json!({"text": text, "markdown": markdown})
}

/// GitHub's `primaryLocationLineHash`: a hash of the flagged line's text (whitespace
/// trimmed) and its occurrence among the lines of that file with the same text, so an alert
/// follows its line when others are added above it.
fn line_hashes(report: &Report, findings: &[Finding]) -> Vec<String> {
    let sources = &report.project.sources;
    let mut seen: std::collections::HashMap<(crate::source::FileId, u64), u32> =
        std::collections::HashMap::new();
    findings
        .iter()
        .map(|f| {
            let span = f.diagnostic.span;
            let file = sources.get(span.file);
            let line = file.location(span.start()).line;
            let start = file.line_start(line).unwrap_or(0);
            let end = file.text[start..]
                .find('\n')
                .map_or(file.text.len(), |e| start + e);
            let hash = crate::diagnostics::fnv1a(&[file.text[start..end].trim()]);
            let count = seen.entry((span.file, hash)).or_insert(0);
            *count += 1;
            format!("{hash:016x}:{count}")
        })
        .collect()
}

/// A team's policy as a SARIF rule: its title, help and document.
fn policy_rule(policy: &PolicyMeta) -> Value {
    let help = policy.help.clone().unwrap_or_else(|| policy.title.clone());
    let mut rule = json!({
        "id": policy.id,
        "name": pascal_case(&policy.id.replace('/', "-")),
        "shortDescription": {"text": policy.title},
        "fullDescription": {"text": help},
        "help": {"text": help},
        "defaultConfiguration": {"level": level(policy.severity)},
        "properties": {"code": policy.id, "tags": ["policy", "consul-ecs"], "policyFile": policy.file},
    });
    if let Some(url) = &policy.url {
        rule["helpUri"] = json!(url);
    }
    rule
}

fn region(sources: &SourceMap, span: Span) -> Value {
    let file = sources.get(span.file);
    let start = file.location(span.start());
    let end = file.location(span.end());
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

fn artifact(sources: &SourceMap, span: Span) -> Value {
    artifact_location(&sources.get(span.file).display_path)
}

/// Paths under the working directory are relative to `SRCROOT`; a path outside it is shown
/// absolute and becomes a `file://` URI with no base.
fn artifact_location(path: &str) -> Value {
    if path.starts_with('/') {
        json!({"uri": format!("file://{}", uri(path))})
    } else {
        json!({"uri": uri(path), "uriBaseId": BASE_ID})
    }
}

fn location(sources: &SourceMap, span: Span) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": artifact(sources, span),
            "region": region(sources, span),
        }
    })
}

fn fix(sources: &SourceMap, fix: &Fix) -> Value {
    // One artifactChange per file, in the order the edits name them.
    let mut changes: Vec<(crate::source::FileId, Vec<Value>)> = Vec::new();
    for edit in &fix.edits {
        let replacement = json!({
            "deletedRegion": region(sources, edit.span),
            "insertedContent": {"text": edit.replacement},
        });
        match changes.iter_mut().find(|(file, _)| *file == edit.span.file) {
            Some((_, replacements)) => replacements.push(replacement),
            None => changes.push((edit.span.file, vec![replacement])),
        }
    }
    json!({
        "description": {"text": fix.message},
        "artifactChanges": changes
            .into_iter()
            .map(|(file, replacements)| json!({
                "artifactLocation": artifact(sources, Span::new(file, 0, 0)),
                "replacements": replacements,
            }))
            .collect::<Vec<_>>(),
        "properties": {"applicability": fix.applicability.as_str()},
    })
}

fn result(finding: &Finding, rule_index: usize, line_hash: &str, sources: &SourceMap) -> Value {
    let d = finding.diagnostic;
    let mut result = json!({
        "ruleId": d.rule.name(),
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": message(d),
        "locations": [location(sources, d.span)],
        "partialFingerprints": {"meshlint/v1": finding.fingerprint, "primaryLocationLineHash": line_hash},
        "properties": {"code": d.rule.code(), "notes": d.notes, "help": d.help},
    });
    if !d.labels.is_empty() {
        result["relatedLocations"] = d
            .labels
            .iter()
            .enumerate()
            .map(|(index, label)| {
                let mut related = location(sources, label.span);
                related["id"] = json!(index + 1);
                related["message"] = json!({"text": label.message});
                related
            })
            .collect();
    }
    if let Some(f) = &d.fix {
        result["fixes"] = json!([fix(sources, f)]);
    }
    if let Some(suppression) = finding.suppression {
        let mut entry = json!({
            "kind": "inSource",
            "location": location(sources, suppression.comment),
        });
        if let Some(reason) = &suppression.reason {
            entry["justification"] = json!(reason);
        }
        result["suppressions"] = json!([entry]);
    }
    result
}

/// `automation_id`: `automationDetails.id`, which tells code scanning apart the runs of one
/// tool over one commit (`meshlint/infra/`, `meshlint/apps/`).
pub fn render(report: &Report, automation_id: Option<&str>) -> String {
    let sources = &report.project.sources;
    // The catalogue's rules, then the run's policies.
    let rules: Vec<RuleKey> = RuleId::all()
        .map(RuleKey::Builtin)
        .chain(report.policies.iter().cloned().map(RuleKey::Policy))
        .collect();
    let findings = report.findings();
    let hashes = line_hashes(report, &findings);
    // Each result is made, written and dropped in turn: a value tree of every result took
    // more memory than the model of the project it reported on.
    let results = findings.iter().zip(&hashes).map(|(f, hash)| {
        let index = rules.iter().position(|r| f.diagnostic.rule == *r).unwrap_or(0);
        result(f, index, hash, sources)
    });
    let notifications: Vec<Value> = report
        .unreadable
        .iter()
        .map(|(file, reason)| {
            json!({
                "level": "warning",
                "message": {"text": format!("cannot read {file}: {reason}")},
                "locations": [{"physicalLocation": {"artifactLocation": artifact_location(file)}}],
            })
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "meshlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules.iter().map(|r| match r {
                        RuleKey::Builtin(id) => rule(*id),
                        RuleKey::Policy(policy) => policy_rule(policy),
                    }).collect::<Vec<_>>(),
                }
            },
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": super::streamed::PLACEHOLDER,
        }],
    });
    let mut log = log;
    if let Some(id) = automation_id {
        log["runs"][0]["automationDetails"] = json!({"id": id});
    }
    // `runs[0].results`: the array's items sit at depth 4.
    super::streamed::pretty_with_array(&log, "results", 4, results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_working_directory_are_file_uris() {
        assert_eq!(
            artifact_location("/tmp/a b/m.tf"),
            json!({"uri": "file:///tmp/a%20b/m.tf"})
        );
        assert_eq!(
            artifact_location("infra/m.tf"),
            json!({"uri": "infra/m.tf", "uriBaseId": BASE_ID})
        );
    }

    #[test]
    fn uris_keep_slashes_and_encode_the_rest() {
        assert_eq!(uri("a/b c/x,y::z.tf"), "a/b%20c/x%2Cy%3A%3Az.tf");
        assert_eq!(uri("é.tf"), "%C3%A9.tf");
        assert_eq!(uri("ok-1_2.~/m.tf"), "ok-1_2.~/m.tf");
    }

    #[test]
    fn friendly_names_and_descriptions() {
        assert_eq!(pascal_case("port-not-string"), "PortNotString");
        assert_eq!(
            first_paragraph("# x (MESH1)\n\nFlags a thing\nthat spans lines.\n\n| table |\n"),
            "Flags a thing that spans lines."
        );
        let long = format!("# t\n\n{}\n", "a".repeat(2000));
        assert_eq!(first_paragraph(&long).chars().count(), FULL_DESCRIPTION_MAX);
    }
}
