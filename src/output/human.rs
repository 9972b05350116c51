//! rustc-style snippets (codespan-reporting) and a summary line.

use super::RenderOptions;
use crate::catalog::Severity;
use crate::diagnostic::Diagnostic;
use crate::diagnostics;
use crate::report::Report;
use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label, Severity as SnippetSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use std::collections::HashMap;

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let sources = &report.project.sources;
    let mut files = SimpleFiles::new();
    let mut ids = HashMap::new();
    let mut file_id = |id: crate::source::FileId| {
        *ids.entry(id).or_insert_with(|| {
            let file = sources.get(id);
            files.add(file.display_path.clone(), file.text.clone())
        })
    };
    let snippets: Vec<Snippet<usize>> = report
        .diagnostics
        .iter()
        .map(|d| snippet(d, &mut file_id))
        .collect();

    let config = term::Config::default();
    let mut out = Vec::new();
    for snippet in &snippets {
        let result = if options.color {
            let mut buffer = termcolor::Buffer::ansi();
            let r = term::emit_to_write_style(&mut buffer, &config, &files, snippet);
            out.extend_from_slice(buffer.as_slice());
            r
        } else {
            let mut text = String::new();
            let r = term::emit_to_string(&mut text, &config, &files, snippet);
            out.extend_from_slice(text.as_bytes());
            r
        };
        if let Err(error) = result {
            out.extend_from_slice(format!("meshlint: could not render a diagnostic: {error}\n").as_bytes());
        }
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    if !options.quiet {
        if report.fixed > 0 {
            let s = if report.fixed == 1 { "" } else { "s" };
            text.push_str(&format!("fixed {} problem{s}\n", report.fixed));
        }
        let counts = diagnostics::count(&report.diagnostics);
        text.push_str(&super::summary_line(&counts, report.files));
        text.push('\n');
    }
    text
}

fn snippet(d: &Diagnostic, file_id: &mut impl FnMut(crate::source::FileId) -> usize) -> Snippet<usize> {
    let severity = match d.severity {
        Severity::Error => SnippetSeverity::Error,
        Severity::Warning => SnippetSeverity::Warning,
        Severity::Info => SnippetSeverity::Note,
    };
    let mut labels = vec![Label::primary(file_id(d.span.file), d.span.start..d.span.end)];
    for label in &d.labels {
        labels.push(
            Label::secondary(file_id(label.span.file), label.span.start..label.span.end)
                .with_message(&label.message),
        );
    }
    let mut notes = d.notes.clone();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    Snippet::new(severity)
        .with_code(format!("{}/{}", d.rule.code(), d.rule.name()))
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}
