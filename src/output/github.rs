//! `--format github`: one GitHub Actions workflow command per finding, most severe first and
//! within the runner's annotation limits, plus a Markdown table of every finding for
//! `$GITHUB_STEP_SUMMARY`.

use super::RenderOptions;
use crate::catalog::Severity;
use crate::diagnostic::Diagnostic;
use crate::diagnostics;
use crate::report::Report;
use crate::source::SourceMap;
use std::cmp::Reverse;

/// What the runner shows per step; anything beyond is dropped silently.
const ERRORS_SHOWN: usize = 10;
const WARNINGS_SHOWN: usize = 10;
const NOTICES_SHOWN: usize = 10;

/// Workflow-command data: `%`, CR and LF escaped, so that a message cannot end the command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Workflow-command property values: the data escapes plus `:` and `,`, which would otherwise
/// end the value or the property list.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(d: &Diagnostic, sources: &SourceMap) -> String {
    let file = sources.get(d.span.file);
    let start = file.location(d.span.start());
    let end = file.location(d.span.end());
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties = vec![
        ("file", file.display_path.clone()),
        ("line", start.line.to_string()),
        ("endLine", end.line.to_string()),
    ];
    // Columns only mean something to the runner on a single line.
    if start.line == end.line {
        properties.push(("col", start.column.to_string()));
        properties.push(("endColumn", end.column.to_string()));
    }
    properties.push(("title", d.rule.name().to_string()));
    let properties: Vec<String> = properties
        .into_iter()
        .map(|(key, value)| format!("{key}={}", escape_property(&value)))
        .collect();
    let mut message = d.message.clone();
    for note in &d.notes {
        message.push('\n');
        message.push_str(note);
    }
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!("::{level} {}::{}\n", properties.join(","), escape_data(&message))
}

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let sources = &report.project.sources;
    let counts = diagnostics::count(&report.diagnostics);
    let omitted_by_cap =
        counts.errors.saturating_sub(ERRORS_SHOWN) + counts.warnings.saturating_sub(WARNINGS_SHOWN);
    // Keep one notice for the line that says how many were left out.
    let notices_shown = if omitted_by_cap > 0 || counts.infos > NOTICES_SHOWN {
        NOTICES_SHOWN - 1
    } else {
        NOTICES_SHOWN
    };
    let mut by_severity: Vec<&Diagnostic> = report.diagnostics.iter().collect();
    by_severity.sort_by_key(|d| Reverse(d.severity)); // stable: output order within a level
    let mut shown = [0usize; 3];
    let mut omitted = 0;
    let mut out = String::new();
    for d in by_severity {
        let (slot, cap) = match d.severity {
            Severity::Error => (0, ERRORS_SHOWN),
            Severity::Warning => (1, WARNINGS_SHOWN),
            Severity::Info => (2, notices_shown),
        };
        if shown[slot] < cap {
            shown[slot] += 1;
            out.push_str(&command(d, sources));
        } else {
            omitted += 1;
        }
    }
    if omitted > 0 {
        let text = format!(
            "{omitted} more {} not shown as annotations (GitHub shows 10 errors and 10 warnings per step); the job summary lists them (up to GitHub's 1 MiB per step), a SARIF upload every one",
            if omitted == 1 { "finding" } else { "findings" }
        );
        out.push_str(&format!("::notice title=meshlint::{}\n", escape_data(&text)));
    }
    if !options.quiet {
        out.push_str(&super::summary_line(&counts, &report.coverage));
        out.push('\n');
    }
    out
}

/// A Markdown table cell: `|` escaped, line breaks flattened.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

/// Every standing finding as a Markdown table, for `$GITHUB_STEP_SUMMARY`.
/// GitHub drops a step's whole summary past 1 MiB; the table stops well short of it.
const STEP_SUMMARY_MAX: usize = 900 * 1024;

pub fn step_summary(report: &Report) -> String {
    step_summary_within(report, STEP_SUMMARY_MAX)
}

/// The summary, its table cut before `max` bytes with a line saying how many rows are left out.
pub fn step_summary_within(report: &Report, max: usize) -> String {
    let sources = &report.project.sources;
    let counts = diagnostics::count(&report.diagnostics);
    let mut out = format!(
        "## meshlint\n\n{}\n",
        cell(&super::summary_line(&counts, &report.coverage))
    );
    if report.diagnostics.is_empty() {
        return out;
    }
    out.push_str("\n| Severity | Rule | Location | Message |\n|---|---|---|---|\n");
    // Room for the closing line, whatever the count.
    let budget = max.saturating_sub(200);
    for (index, d) in report.diagnostics.iter().enumerate() {
        let file = sources.get(d.span.file);
        let at = file.location(d.span.start());
        let row = format!(
            "| {} | {} ({}) | {}:{}:{} | {} |\n",
            d.severity.as_str(),
            d.rule.name(),
            d.rule.code(),
            cell(&file.display_path),
            at.line,
            at.column,
            cell(&d.message)
        );
        if out.len() + row.len() > budget {
            let left = report.diagnostics.len() - index;
            out.push_str(&format!(
                "\n… and {left} more finding{} (see the SARIF or JSON report for all of them)\n",
                if left == 1 { "" } else { "s" }
            ));
            break;
        }
        out.push_str(&row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_runner_reads() {
        assert_eq!(
            escape_data("50% a: b, c\r\n::error::x"),
            "50%25 a: b, c%0D%0A::error::x"
        );
        assert_eq!(escape_property("a,b::c%.tf"), "a%2Cb%3A%3Ac%25.tf");
        assert_eq!(cell("a|b\nc\\"), "a\\|b c\\\\");
    }
}
