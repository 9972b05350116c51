//! `--format gitlab`: a GitLab Code Quality report (the `codequality` artifact), which merge
//! requests show as a widget and in the diff: one issue per finding, with GitLab's severity
//! words and a fingerprint that follows the finding through unrelated edits.

use crate::catalog::Severity;
use crate::report::Report;
use serde_json::json;

pub fn render(report: &Report) -> String {
    let sources = &report.project.sources;
    let issues: Vec<serde_json::Value> = report
        .diagnostics
        .iter()
        .zip(&report.fingerprints)
        .map(|(d, fingerprint)| {
            let file = sources.get(d.span.file);
            let start = file.location(d.span.start());
            let end = file.location(d.span.end());
            let severity = match d.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            };
            json!({
                "type": "issue",
                "check_name": d.rule.name(),
                "description": format!("{} [{}]", d.message, d.rule.tag()),
                "categories": ["Bug Risk"],
                "severity": severity,
                "fingerprint": fingerprint,
                "location": {
                    "path": file.display_path,
                    "lines": {"begin": start.line, "end": end.line},
                },
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    text.push('\n');
    text
}
