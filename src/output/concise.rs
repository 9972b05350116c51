//! `--format concise`: `path:line:col: severity[CODE/name] message`, one line per finding, the
//! shape Vim's quickfix list (`errorformat=%f:%l:%c:\ %m`), Emacs' compilation mode and
//! problem matchers read. Columns are 1-based characters, as in every other format.

use super::RenderOptions;
use crate::catalog::Applicability;
use crate::diagnostics;
use crate::report::Report;

pub fn render(report: &Report, options: &RenderOptions) -> String {
    let sources = &report.project.sources;
    let mut out = String::new();
    for d in &report.diagnostics {
        let file = sources.get(d.span.file);
        let at = file.location(d.span.start());
        // One finding, one line, whatever a message holds.
        let message = d.message.replace(['\r', '\n'], " ");
        // What `--fix` would do about it, as the summary line counts it.
        let fixable = match d.fix.as_ref().map(|f| f.applicability) {
            Some(Applicability::Safe) => " [fix]",
            Some(Applicability::Unsafe) => " [unsafe fix]",
            Some(Applicability::DisplayOnly) | None => "",
        };
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {message}{fixable}\n",
            file.display_path,
            at.line,
            at.column,
            d.severity.as_str(),
            d.rule.tag(),
        ));
    }
    if !options.quiet {
        if report.fixed > 0 {
            let s = if report.fixed == 1 { "" } else { "s" };
            out.push_str(&format!("fixed {} problem{s}\n", report.fixed));
        }
        let counts = diagnostics::count(&report.diagnostics);
        out.push_str(&super::summary_line(&counts, &report.coverage));
        out.push('\n');
    }
    out
}
