use super::suppression_without_reason::quoted;
use crate::catalog::{RuleId, RuleKey, RuleName};
use crate::rule::prelude::*;
use crate::suppress::{Directive, Problem, Scope, Usage};

pub struct UnusedSuppression;

impl Rule for UnusedSuppression {
    /// Nothing to do before the other rules have run: see `check_suppressions`.
    fn check(&self, _ctx: &Context, _report: &mut Reporter) {}

    fn check_suppressions(&self, ctx: &Context, usage: &Usage, report: &mut Reporter) {
        let project = ctx.project;
        for (file, index, directive) in ctx.suppressions.iter() {
            if let Some(problem) = directive.problem {
                unusable(directive, problem, report);
                continue;
            }
            // In a file that did not parse, rules may have missed what a comment was for.
            let judged = !project.syntax_errors.iter().any(|e| e.span.file == file);
            let mut unused = Vec::new();
            let mut all_unused = true;
            for (k, entry) in directive.entries.iter().enumerate() {
                // A policy id is a rule when the run loaded that policy.
                let rule = entry.rule.as_ref().and_then(|name| match name {
                    RuleName::Builtin(id) => Some(RuleKey::Builtin(*id)),
                    RuleName::Policy(id) => ctx
                        .policies
                        .iter()
                        .find(|p| p.id == *id)
                        .map(|p| RuleKey::Policy(p.clone())),
                });
                match rule {
                    None => {
                        all_unused = false;
                        unknown(directive, &entry.name, entry.span, ctx, report);
                    }
                    // A rule that did not run could not have been silenced; and whether a
                    // comment about this rule itself is needed is not known before it reports.
                    Some(rule)
                        if !judged
                            || rule == RuleId::UnusedSuppression
                            || !ctx.settings.enabled(&rule, file) =>
                    {
                        all_unused = false;
                    }
                    Some(_) if usage.used(file, index, k) => all_unused = false,
                    Some(_) => unused.push(entry),
                }
            }
            let keyword = directive.scope.keyword();
            let place = match directive.scope {
                Scope::Line => format!("no such finding on line {}", directive.line),
                Scope::File => "no such finding in this file".to_string(),
            };
            if all_unused && !unused.is_empty() {
                let names: Vec<&str> = unused.iter().map(|e| e.name.as_str()).collect();
                report
                    .report(
                        directive.comment,
                        format!("`{keyword}` for {} suppresses nothing: {place}", quoted(&names)),
                    )
                    .help("remove the comment; if the finding moved, put the comment on its new line")
                    .fix(Fix::replace(
                        Applicability::Safe,
                        "remove the unused suppression",
                        directive.removal,
                        "",
                    ));
            } else {
                for entry in unused {
                    report
                        .report(
                            entry.span,
                            format!("`{}` in this `{keyword}` suppresses nothing: {place}", entry.name),
                        )
                        .help(format!("remove `{}` from the comment", entry.name))
                        .fix(Fix::replace(
                            Applicability::Safe,
                            format!("remove `{}` from the suppression", entry.name),
                            entry.removal,
                            "",
                        ));
                }
            }
        }
    }
}

fn unusable(directive: &Directive, problem: Problem, report: &mut Reporter) {
    let keyword = directive.scope.keyword();
    let (message, help) = match problem {
        Problem::Malformed => (
            format!("`{keyword}` without `:` suppresses nothing"),
            format!("write `{keyword}: <rule>[, <rule>] -- <reason>`"),
        ),
        Problem::NoRules => (
            format!("`{keyword}` names no rule, so it suppresses nothing"),
            format!("name the rules to silence: `{keyword}: <rule>[, <rule>] -- <reason>`"),
        ),
        Problem::Misplaced => (
            format!("`{keyword}` below the first line of code suppresses nothing"),
            "move it into the comments at the top of the file, or use `meshlint-ignore` on the line"
                .to_string(),
        ),
    };
    report.report(directive.comment, message).help(help);
}

fn unknown(directive: &Directive, name: &str, span: Span, ctx: &Context, report: &mut Reporter) {
    let keyword = directive.scope.keyword();
    let what = if crate::catalog::is_policy_id(name) {
        "is no policy of this run"
    } else {
        "is not a rule"
    };
    let diagnostic = report.report(
        span,
        format!("`{name}` in this `{keyword}` {what}, so it suppresses nothing"),
    );
    let names: Vec<&str> = RuleId::all()
        .map(|id| -> &str { id.name() })
        .chain(ctx.policies.iter().map(|p| p.id.as_str()))
        .collect();
    match crate::suggest::closest(name, names) {
        Some(near) => diagnostic.help(format!("did you mean `{near}`?")),
        None => diagnostic.help("`meshlint rules` lists the rules by name and code"),
    };
}
