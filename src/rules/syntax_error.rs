use crate::rule::prelude::*;

pub struct SyntaxErrorRule;

static META: RuleMeta = RuleMeta {
    code: "MESH000",
    name: "syntax-error",
    severity: Severity::Error,
    fix: FixAvailability::None,
    summary: "a file that could not be parsed",
    doc: include_str!("../../rules/syntax-error.md"),
};

impl Rule for SyntaxErrorRule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, project: &Project, report: &mut Reporter) {
        for error in &project.syntax_errors {
            report
                .report(error.span, format!("cannot parse this file: {}", error.message))
                .note("whatever could be read before and after this point was still checked");
        }
    }
}
