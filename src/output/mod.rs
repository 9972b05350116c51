//! Renderers: one per format. Byte spans become lines and columns only through
//! [`crate::source::SourceFile::location`].

mod github;
mod human;
mod json;
mod sarif;

pub use github::step_summary as github_step_summary;

use crate::diagnostics::Counts;
use crate::report::Report;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

pub struct RenderOptions {
    pub color: bool,
    /// Human and GitHub formats: leave out the summary line.
    pub quiet: bool,
}

pub fn render(report: &Report, format: Format, options: &RenderOptions) -> String {
    match format {
        Format::Human => human::render(report, options),
        Format::Json => json::render(report),
        Format::Github => github::render(report, options),
        Format::Sarif => sarif::render(report),
    }
}

/// `3 errors, 1 warning in 12 files (2 fixable with --fix)`.
pub fn summary_line(counts: &Counts, files: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if counts.errors > 0 {
        parts.push(plural(counts.errors, "error"));
    }
    if counts.warnings > 0 {
        parts.push(plural(counts.warnings, "warning"));
    }
    if counts.infos > 0 {
        parts.push(plural(counts.infos, "info"));
    }
    let files = plural(files, "file");
    if parts.is_empty() {
        return format!("no problems found in {files}");
    }
    let mut line = format!("{} in {files}", parts.join(", "));
    if counts.fixable > 0 {
        line.push_str(&format!(" ({} fixable with --fix)", counts.fixable));
    }
    line
}
