//! `--format checkstyle`: Checkstyle XML, which reviewdog (`-f=checkstyle`), Jenkins' warnings
//! plugin and many CI plugins read: one `<file>` per checked file with findings, one `<error>`
//! per finding.

use super::xml::escape;
use crate::catalog::Severity;
use crate::report::Report;
use std::collections::BTreeMap;

pub fn render(report: &Report) -> String {
    let sources = &report.project.sources;
    let mut files: BTreeMap<&str, String> = BTreeMap::new();
    for d in &report.diagnostics {
        let file = sources.get(d.span.file);
        let at = file.location(d.span.start());
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        files.entry(file.display_path.as_str()).or_default().push_str(&format!(
            "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"meshlint.{}\"/>\n",
            at.line,
            at.column,
            escape(&d.message),
            escape(d.rule.name())
        ));
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for (file, errors) in files {
        out.push_str(&format!(
            "  <file name=\"{}\">\n{errors}  </file>\n",
            escape(file)
        ));
    }
    out.push_str("</checkstyle>\n");
    out
}
