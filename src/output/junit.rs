//! `--format junit`: JUnit XML, the test report Jenkins, GitLab, CircleCI and Azure Pipelines
//! show: one test suite per file checked, one failing test case per finding (suppressed
//! findings as skipped cases), and one passing case per clean file, so a clean run still says
//! what it checked.

use super::xml::escape;
use crate::report::Report;
use std::collections::BTreeMap;

pub fn render(report: &Report) -> String {
    let sources = &report.project.sources;
    // Every checked file, with its findings (standing, then suppressed).
    let mut files: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for file in &report.coverage.targets {
        files.entry(sources.get(*file).display_path.as_str()).or_default();
    }
    let mut failures = 0;
    let mut skipped = 0;
    for finding in report.findings() {
        let d = finding.diagnostic;
        let file = sources.get(d.span.file);
        let at = file.location(d.span.start());
        let name = format!(
            "{}:{}:{} {}",
            file.display_path,
            at.line,
            at.column,
            d.rule.name()
        );
        let mut body = format!("{}:{}:{}: {}", file.display_path, at.line, at.column, d.message);
        for note in &d.notes {
            body.push_str(&format!("\nnote: {note}"));
        }
        if let Some(help) = &d.help {
            body.push_str(&format!("\nhelp: {help}"));
        }
        let case = match finding.suppression {
            None => {
                failures += 1;
                format!(
                    "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"><failure type=\"{}\" message=\"{}\">{}</failure></testcase>\n",
                    escape(&name),
                    escape(d.rule.tag().as_str()),
                    escape(&file.display_path),
                    at.line,
                    d.severity.as_str(),
                    escape(&d.message),
                    escape(&body)
                )
            }
            Some(suppression) => {
                skipped += 1;
                let why = suppression
                    .reason
                    .as_deref()
                    .unwrap_or("suppressed by a meshlint-ignore comment");
                format!(
                    "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"><skipped message=\"{}\"/></testcase>\n",
                    escape(&name),
                    escape(d.rule.tag().as_str()),
                    escape(&file.display_path),
                    at.line,
                    escape(why)
                )
            }
        };
        files.entry(file.display_path.as_str()).or_default().push(case);
    }
    let mut suites = String::new();
    let mut tests = 0;
    for (file, cases) in &files {
        let (count, case_text) = if cases.is_empty() {
            (
                1,
                format!(
                    "    <testcase name=\"{}\" classname=\"meshlint\" file=\"{}\"/>\n",
                    escape(file),
                    escape(file)
                ),
            )
        } else {
            (cases.len(), cases.concat())
        };
        tests += count;
        let failed = cases.iter().filter(|c| c.contains("<failure")).count();
        let skipped_here = cases.iter().filter(|c| c.contains("<skipped")).count();
        suites.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{count}\" failures=\"{failed}\" errors=\"0\" skipped=\"{skipped_here}\">\n{case_text}  </testsuite>\n",
            escape(file)
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"meshlint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n{suites}</testsuites>\n"
    )
}
