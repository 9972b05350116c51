use crate::rule::prelude::*;

pub struct SuppressionWithoutReason;

impl Rule for SuppressionWithoutReason {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        for (_, _, directive) in ctx.suppressions.iter() {
            // A comment that cannot suppress anything is `unused-suppression`'s to report.
            if directive.problem.is_some() || directive.reason.is_some() {
                continue;
            }
            let keyword = directive.scope.keyword();
            let names: Vec<&str> = directive.entries.iter().map(|e| e.name.as_str()).collect();
            report
                .report(
                    directive.comment,
                    format!("`{keyword}` for {} gives no reason", quoted(&names)),
                )
                .note("the finding is still silenced; the reason tells reviewers why, and JSON and SARIF carry it")
                .help(format!("say why after `--`: `{keyword}: {} -- <reason>`", names.join(", ")));
        }
    }
}

/// `` `a`, `b` ``
pub(super) fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
