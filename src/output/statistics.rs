//! `--statistics`: how many findings each rule (or policy) has, and how many `--fix` would
//! fix, most frequent first — what to tackle, or ignore, when adopting meshlint.

use crate::catalog::Applicability;
use crate::report::Report;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Row {
    pub code: String,
    pub name: String,
    pub count: usize,
    /// Findings with a safe fix.
    pub fixable: usize,
}

pub fn rows(report: &Report) -> Vec<Row> {
    let mut by_rule: BTreeMap<String, Row> = BTreeMap::new();
    for d in &report.diagnostics {
        let row = by_rule.entry(d.rule.name().to_string()).or_insert_with(|| Row {
            code: d.rule.code().to_string(),
            name: d.rule.name().to_string(),
            count: 0,
            fixable: 0,
        });
        row.count += 1;
        if d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
        {
            row.fixable += 1;
        }
    }
    let mut rows: Vec<Row> = by_rule.into_values().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    rows
}

/// `   12  MESH002  port-not-string  (12 fixable)`, one line per rule.
pub fn render_text(report: &Report) -> String {
    let rows = rows(report);
    let count_width = rows.iter().map(|r| r.count.to_string().len()).max().unwrap_or(1);
    let code_width = rows.iter().map(|r| r.code.len()).max().unwrap_or(0);
    let name_width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for row in &rows {
        let fixable = match row.fixable {
            0 => String::new(),
            n => format!("  ({n} fixable)"),
        };
        let line = format!(
            "{:>count_width$}  {:<code_width$}  {:<name_width$}{fixable}",
            row.count, row.code, row.name
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn render_json(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(&rows(report)).unwrap_or_default();
    text.push('\n');
    text
}
