//! `--format json`: one versioned document for editors and scripts (SPEC §5).

use crate::diagnostic::Diagnostic;
use crate::diagnostics;
use crate::report::{Finding, Report};
use crate::source::{range, Range, SourceMap, Span};
use serde::Serialize;

/// Bumped on any change that is not an added field.
const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document {
    version: u32,
    tool: Tool,
    /// Written item by item (`output::streamed`).
    diagnostics: &'static str,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    code: &'a str,
    severity: &'static str,
    message: &'a str,
    file: &'a str,
    range: Range,
    labels: Vec<JsonLabel<'a>>,
    notes: &'a [String],
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
    fingerprint: &'a str,
    /// The rule's documentation.
    url: Option<String>,
    /// Only on findings a `meshlint-ignore` comment silenced.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressed: Option<JsonSuppressed<'a>>,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    /// `null` when the comment gives none.
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    file: &'a str,
    range: Range,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    file: &'a str,
    range: Range,
    replacement: &'a str,
}

#[derive(Serialize)]
struct Summary {
    /// Files read, to check or as context (the rest of their projects).
    files: usize,
    /// Files checked: named, or below a directory named; only their findings are reported.
    checked: usize,
    terraform: usize,
    application: usize,
    /// Files to check that were not checked (not read by meshlint, excluded, unreadable).
    skipped: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    fixable: usize,
    /// Fixes applied in this run (`--fix`).
    fixed: usize,
    /// Findings silenced by `meshlint-ignore` comments (not in the counts above).
    suppressed: usize,
    /// Findings the baseline lists (not in the counts above, nor in `diagnostics`).
    baselined: usize,
}

fn diagnostic<'a>(finding: &Finding<'a>, sources: &'a SourceMap) -> JsonDiagnostic<'a> {
    let d: &'a Diagnostic = finding.diagnostic;
    let path = |span: Span| sources.get(span.file).display_path.as_str();
    JsonDiagnostic {
        rule: d.rule.name(),
        code: d.rule.code(),
        severity: d.severity.as_str(),
        message: &d.message,
        file: path(d.span),
        range: range(sources, d.span),
        labels: d
            .labels
            .iter()
            .map(|l| JsonLabel {
                file: path(l.span),
                range: range(sources, l.span),
                message: &l.message,
            })
            .collect(),
        notes: &d.notes,
        help: d.help.as_deref(),
        fix: d.fix.as_ref().map(|f| JsonFix {
            applicability: f.applicability.as_str(),
            message: &f.message,
            edits: f
                .edits
                .iter()
                .map(|e| JsonEdit {
                    file: path(e.span),
                    range: range(sources, e.span),
                    replacement: &e.replacement,
                })
                .collect(),
        }),
        fingerprint: finding.fingerprint,
        url: d.rule.url(),
        suppressed: finding.suppression.map(|s| JsonSuppressed {
            reason: s.reason.as_deref(),
        }),
    }
}

pub fn render(report: &Report) -> String {
    let sources = &report.project.sources;
    let counts = diagnostics::count(&report.diagnostics);
    let document = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "meshlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        diagnostics: super::streamed::PLACEHOLDER,
        summary: Summary {
            files: report.files,
            checked: report.coverage.checked(),
            terraform: report.coverage.terraform,
            application: report.coverage.application,
            skipped: report.coverage.skipped.len(),
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
            fixable: counts.fixable,
            fixed: report.fixed,
            suppressed: report.suppressed.len(),
            baselined: report.coverage.baselined,
        },
    };
    let findings = report.findings();
    let diagnostics = findings.iter().map(|f| diagnostic(f, sources));
    super::streamed::pretty_with_array(&document, "diagnostics", 2, diagnostics)
}
