use crate::rule::prelude::*;

pub struct SyntaxErrorRule;

impl Rule for SyntaxErrorRule {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for error in &project.syntax_errors {
            report
                .report(error.span, format!("cannot parse this file: {}", error.message))
                .note("whatever could be read before and after this point was still checked");
        }
    }
}
