//! rustc-style snippets (codespan-reporting) and a summary line.

use super::RenderOptions;
use crate::catalog::Severity;
use crate::diagnostic::Diagnostic;
use crate::diagnostics;
use crate::report::Report;
use crate::source::{FileId, SourceMap};
use codespan_reporting::diagnostic::{Diagnostic as Snippet, Label, Severity as SnippetSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor};
use std::ops::Range;

/// The run's files as codespan reads them: the same texts and the same line index every
/// other format uses, not a copy.
struct SourceFiles<'a>(&'a SourceMap);

impl SourceFiles<'_> {
    /// Where the line with this 0-based index starts; the text's end for the line after the
    /// last, as codespan expects.
    fn line_start(&self, file: FileId, line_index: usize) -> Result<usize, FilesError> {
        let source = self.0.get(file);
        let count = source.line_count();
        match line_index.cmp(&count) {
            std::cmp::Ordering::Less => source.line_start(line_index + 1).ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: count - 1,
            }),
            std::cmp::Ordering::Equal => Ok(source.text.len()),
            std::cmp::Ordering::Greater => Err(FilesError::LineTooLarge {
                given: line_index,
                max: count - 1,
            }),
        }
    }
}

impl<'a> Files<'a> for SourceFiles<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, file: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(file).display_path)
    }

    fn source(&'a self, file: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.0.get(file).text)
    }

    fn line_index(&'a self, file: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self.0.get(file).location(byte_index).line - 1)
    }

    fn line_range(&'a self, file: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        Ok(self.line_start(file, line_index)?..self.line_start(file, line_index + 1)?)
    }
}

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let files = SourceFiles(&report.project.sources);
    let snippets: Vec<Snippet<FileId>> = report.diagnostics.iter().map(snippet).collect();

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
        text.push_str(&super::summary_line(&counts, &report.coverage));
        text.push('\n');
    }
    text
}

fn snippet(d: &Diagnostic) -> Snippet<FileId> {
    let severity = match d.severity {
        Severity::Error => SnippetSeverity::Error,
        Severity::Warning => SnippetSeverity::Warning,
        Severity::Info => SnippetSeverity::Note,
    };
    let mut labels = vec![Label::primary(d.span.file, d.span.start()..d.span.end())];
    for label in &d.labels {
        labels.push(
            Label::secondary(label.span.file, label.span.start()..label.span.end())
                .with_message(&label.message),
        );
    }
    let mut notes = d.notes.clone();
    if let Some(help) = &d.help {
        notes.push(format!("help: {help}"));
    }
    Snippet::new(severity)
        .with_code(d.rule.tag())
        .with_message(&d.message)
        .with_labels(labels)
        .with_notes(notes)
}
