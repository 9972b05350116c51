use super::suppression_without_reason::quoted;
use crate::rule::prelude::*;
use crate::rules::RuleId;
use crate::source::FileId;
use crate::suppress::{Directive, Problem, Scope, Usage};

pub struct UnusedSuppression;

static META: RuleMeta = RuleMeta {
    code: "MESH027",
    name: "unused-suppression",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    summary: "a `meshlint-ignore` comment that suppresses nothing",
    doc: include_str!("../../rules/unused-suppression.md"),
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// Nothing to do before the other rules have run: see `check_suppressions`.
    fn check(&self, _project: &Project, _report: &mut Reporter) {}

    fn check_suppressions(&self, project: &Project, usage: &Usage, report: &mut Reporter) {
        for (file, index, directive) in project.suppressions.iter() {
            if let Some(problem) = directive.problem {
                unusable(directive, problem, report);
                continue;
            }
            // In a file that did not parse, rules may have missed what a comment was for.
            let judged = !project.syntax_errors.iter().any(|e| e.span.file == file);
            let mut unused = Vec::new();
            let mut all_unused = true;
            for (k, entry) in directive.entries.iter().enumerate() {
                match entry.rule {
                    None => {
                        all_unused = false;
                        unknown(directive, &entry.name, entry.span, report);
                    }
                    // A rule that did not run could not have been silenced; and whether a
                    // comment about this rule itself is needed is not known before it reports.
                    Some(rule) if !judged || rule == RuleId::UnusedSuppression || !enabled(project, rule, file) => {
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

fn enabled(project: &Project, rule: RuleId, file: FileId) -> bool {
    project.settings.enabled(rule, file)
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
            "move it into the comments at the top of the file, or use `meshlint-ignore` on the line".to_string(),
        ),
    };
    report.report(directive.comment, message).help(help);
}

fn unknown(directive: &Directive, name: &str, span: Span, report: &mut Reporter) {
    let keyword = directive.scope.keyword();
    let diagnostic = report.report(
        span,
        format!("`{name}` in this `{keyword}` is not a rule, so it suppresses nothing"),
    );
    match crate::suggest::closest(name, RuleId::all().map(RuleId::name)) {
        Some(near) => diagnostic.help(format!("did you mean `{near}`?")),
        None => diagnostic.help("`meshlint rules` lists the rules by name and code"),
    };
}
