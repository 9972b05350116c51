//! A check's findings as protocol diagnostics, grouped by the file they are in.

use super::position::{Encoding, LineIndex};
use super::uri;
use crate::catalog::{RuleKey, Severity};
use crate::diagnostic::Diagnostic;
use crate::report::Report;
use crate::source::{FileId, SourceMap, Span};
use lsp_types as lsp;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Converts spans to ranges, building each file's line index once.
pub struct Ranges<'a> {
    sources: &'a SourceMap,
    cwd: &'a Path,
    encoding: Encoding,
    lines: HashMap<FileId, LineIndex<'a>>,
}

impl<'a> Ranges<'a> {
    pub fn new(sources: &'a SourceMap, cwd: &'a Path, encoding: Encoding) -> Ranges<'a> {
        Ranges {
            sources,
            cwd,
            encoding,
            lines: HashMap::new(),
        }
    }

    pub fn range(&mut self, span: Span) -> lsp::Range {
        let sources = self.sources;
        let index = self
            .lines
            .entry(span.file)
            .or_insert_with(|| LineIndex::new(&sources.get(span.file).text));
        index.range(span.start(), span.end(), self.encoding)
    }

    pub fn path(&self, file: FileId) -> PathBuf {
        crate::source::absolute(self.cwd, &self.sources.get(file).path)
    }

    pub fn display_path(&self, file: FileId) -> &str {
        &self.sources.get(file).display_path
    }

    pub fn location(&mut self, span: Span) -> Option<lsp::Location> {
        let uri = uri::from_path(&self.path(span.file))?;
        Some(lsp::Location::new(uri, self.range(span)))
    }
}

/// Every standing finding of a report as a protocol diagnostic, by the absolute path of the
/// file its primary span is in; each carries the finding's fingerprint, which code actions
/// use to find it again.
pub fn by_file(report: &Report, cwd: &Path, encoding: Encoding) -> BTreeMap<PathBuf, Vec<lsp::Diagnostic>> {
    let mut ranges = Ranges::new(&report.project.sources, cwd, encoding);
    let mut out: BTreeMap<PathBuf, Vec<lsp::Diagnostic>> = BTreeMap::new();
    for (diagnostic, fingerprint) in report.diagnostics.iter().zip(&report.fingerprints) {
        let path = ranges.path(diagnostic.span.file);
        out.entry(path)
            .or_default()
            .push(to_lsp(diagnostic, fingerprint, &mut ranges));
    }
    out
}

fn to_lsp(diagnostic: &Diagnostic, fingerprint: &str, ranges: &mut Ranges) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = diagnostic
        .labels
        .iter()
        .filter_map(|label| {
            Some(lsp::DiagnosticRelatedInformation {
                location: ranges.location(label.span)?,
                message: label.message.clone(),
            })
        })
        .collect();
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    lsp::Diagnostic {
        range: ranges.range(diagnostic.span),
        severity: Some(severity(diagnostic.severity)),
        code: Some(lsp::NumberOrString::String(diagnostic.rule.code().to_string())),
        code_description: diagnostic
            .rule
            .url()
            .and_then(|url| url.parse().ok())
            .map(|href| lsp::CodeDescription { href }),
        source: Some("meshlint".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: unnecessary(&diagnostic.rule).then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: Some(serde_json::json!({ "fingerprint": fingerprint })),
    }
}

fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    }
}

/// Findings about something that does nothing: editors fade the span.
fn unnecessary(rule: &RuleKey) -> bool {
    matches!(rule.name(), "unused-upstream" | "unused-suppression")
}
