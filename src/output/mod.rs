//! Renderers: one per format. Byte spans become lines and columns only through
//! [`crate::source::SourceFile::location`].

mod checkstyle;
mod color;
mod concise;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;

mod sarif;
pub mod statistics;
mod streamed;
mod xml;

pub use color::{use_color, ColorChoice};

pub use github::step_summary as github_step_summary;
pub use github::step_summary_within as github_step_summary_within;

use crate::diagnostics::Counts;
use crate::report::{Coverage, Report};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    /// `path:line:col: severity[CODE/name] message`, one line per finding (quickfix lists).
    Concise,
    Json,
    Github,
    Sarif,
    /// JUnit XML: Jenkins, GitLab, CircleCI and Azure Pipelines test reports.
    Junit,
    /// A GitLab Code Quality report.
    Gitlab,
    /// Checkstyle XML: reviewdog and CI plugins.
    Checkstyle,
}

#[derive(Default)]
pub struct RenderOptions {
    pub color: bool,
    /// Human and GitHub formats: leave out the summary line.
    pub quiet: bool,
    /// SARIF: `automationDetails.id` (`--sarif-automation-id`).
    pub automation_id: Option<String>,
}

pub fn render(report: &Report, format: Format, options: &RenderOptions) -> String {
    match format {
        Format::Human => human::render(report, options),
        Format::Concise => concise::render(report, options),
        Format::Json => json::render(report),
        Format::Github => github::render(report, options),
        Format::Sarif => sarif::render(report, options.automation_id.as_deref()),
        Format::Junit => junit::render(report),
        Format::Gitlab => gitlab::render(report),
        Format::Checkstyle => checkstyle::render(report),
    }
}

/// The rule's documentation page, for editors and code-scanning tools to link to.
pub fn rule_url(rule: crate::catalog::RuleId) -> String {
    crate::catalog::RuleKey::Builtin(rule).url().unwrap_or_default()
}

/// `3 errors, 1 warning (2 fixable with --fix); checked 12 files (8 Terraform, 4 application)`,
/// then `, skipped K` when files to check were not checked. The files read only as context (the
/// rest of a project) are not counted: the line says what was checked.
pub fn summary_line(counts: &Counts, coverage: &Coverage) -> String {
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
    let mut line = if parts.is_empty() {
        "no problems found".to_string()
    } else {
        parts.join(", ")
    };
    if counts.fixable > 0 {
        line.push_str(&format!(" ({} fixable with --fix)", counts.fixable));
    }
    if coverage.baselined > 0 {
        line.push_str(&format!(", and {} in the baseline", coverage.baselined));
    }
    let outside = match coverage.outside_mesh {
        0 => String::new(),
        n => format!(", {n} of them in no mesh task"),
    };
    line.push_str(&format!(
        "; checked {} ({} Terraform, {} application{outside})",
        plural(coverage.checked(), "file"),
        coverage.terraform,
        coverage.application
    ));
    if !coverage.skipped.is_empty() {
        line.push_str(&format!(", skipped {}", coverage.skipped.len()));
    }
    line
}
