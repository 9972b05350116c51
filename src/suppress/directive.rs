//! `meshlint-ignore` comments read from a file's comments: which rules, why, where they apply,
//! and what removing them would delete.

use crate::catalog::RuleName;
use crate::parse::comments::{self, Comment, CommentSyntax};
use crate::source::{FileId, SourceFile, Span};
use std::collections::BTreeSet;

const LINE_KEYWORD: &str = "meshlint-ignore";
const FILE_KEYWORD: &str = "meshlint-ignore-file";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// `meshlint-ignore`: one line.
    Line,
    /// `meshlint-ignore-file`: the whole file.
    File,
}

impl Scope {
    pub fn keyword(self) -> &'static str {
        match self {
            Scope::Line => LINE_KEYWORD,
            Scope::File => FILE_KEYWORD,
        }
    }
}

/// Why a directive cannot suppress anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// No `:` after the keyword.
    Malformed,
    /// A `:` but no rule before `--`.
    NoRules,
    /// `meshlint-ignore-file` after the first line of code.
    Misplaced,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// As written: a name or a code.
    pub name: String,
    pub span: Span,
    /// `None` for a name that is no rule (a policy id is a rule until the run's policies
    /// say otherwise).
    pub rule: Option<RuleName>,
    /// What removing only this entry deletes (the name and one separator).
    pub removal: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Directive {
    pub scope: Scope,
    /// The whole comment.
    pub comment: Span,
    /// The 1-based line whose findings a [`Scope::Line`] directive covers: its own line after
    /// code, or the next line that is not only comments when it stands on a line of its own.
    pub line: usize,
    pub entries: Vec<Entry>,
    /// The text after `--`, trimmed; `None` when absent or empty.
    pub reason: Option<String>,
    pub problem: Option<Problem>,
    /// What removing the directive deletes: its whole line(s) when the comment stands alone,
    /// otherwise the comment and the blanks before it.
    pub removal: Span,
}

/// Every `meshlint-ignore` directive of a file, in order.
pub fn directives(file: FileId, source: &SourceFile, syntax: CommentSyntax) -> Vec<Directive> {
    let text = source.text.as_str();
    if !text.contains(LINE_KEYWORD) {
        return Vec::new();
    }
    let comments = comments::comments(syntax, text);
    let file_comments = FileComments {
        text,
        comments: &comments,
    };
    // Lines that hold nothing but comments: a directive above them reaches past them.
    let mut comment_lines = BTreeSet::new();
    for comment in &comments {
        if file_comments.without_code(comment) {
            let first = source.location(comment.span.start).line;
            let last = source.location(comment.span.end).line;
            comment_lines.extend(first..=last);
        }
    }
    comments
        .iter()
        .filter_map(|comment| directive(file, source, &file_comments, comment, &comment_lines))
        .collect()
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |p| p + 1)
}

fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map_or(text.len(), |p| offset + p)
}

struct FileComments<'a> {
    text: &'a str,
    comments: &'a [Comment],
}

impl FileComments<'_> {
    /// The text around a comment on its first and last line.
    fn around(&self, comment: &Comment) -> [std::ops::Range<usize>; 2] {
        let start = comment.span.start;
        let end = comment.span.end;
        [line_start(self.text, start)..start, end..line_end(self.text, end)]
    }

    /// Only blanks around the comment on its lines.
    fn alone(&self, comment: &Comment) -> bool {
        self.around(comment)
            .into_iter()
            .all(|r| self.text[r].trim().is_empty())
    }

    /// Only blanks and other comments around the comment on its lines.
    fn without_code(&self, comment: &Comment) -> bool {
        self.around(comment).into_iter().all(|range| {
            range.clone().all(|i| {
                let covered = self.comments.iter().any(|c| c.span.contains(&i));
                covered || self.text.as_bytes()[i].is_ascii_whitespace()
            })
        })
    }
}

fn directive(
    file: FileId,
    source: &SourceFile,
    file_comments: &FileComments,
    comment: &Comment,
    comment_lines: &BTreeSet<usize>,
) -> Option<Directive> {
    let text = source.text.as_str();
    let body = &text[comment.body.clone()];
    let trimmed = body.trim_start();
    let at = comment.body.start + (body.len() - trimmed.len());
    let (scope, keyword) = if trimmed.starts_with(FILE_KEYWORD) {
        (Scope::File, FILE_KEYWORD)
    } else if trimmed.starts_with(LINE_KEYWORD) {
        (Scope::Line, LINE_KEYWORD)
    } else {
        return None;
    };
    let rest = &trimmed[keyword.len()..];
    if rest.starts_with(|c: char| c.is_alphanumeric() || c == '-' || c == '_') {
        return None; // `meshlint-ignored …` is prose, not a directive
    }
    let span = |start: usize, end: usize| Span::new(file, start, end);
    let removal = if file_comments.alone(comment) {
        let end = line_end(text, comment.span.end);
        span(line_start(text, comment.span.start), (end + 1).min(text.len()))
    } else if text[line_start(text, comment.span.start)..comment.span.start]
        .trim()
        .is_empty()
    {
        // Code or another comment follows on the line: it keeps the indentation.
        let after = &text[comment.span.end..];
        span(
            comment.span.start,
            text.len() - after.trim_start_matches([' ', '\t']).len(),
        )
    } else {
        let before = &text[..comment.span.start];
        span(before.trim_end_matches([' ', '\t']).len(), comment.span.end)
    };
    let line = if file_comments.without_code(comment) {
        let mut next = source.location(comment.span.end).line + 1;
        while comment_lines.contains(&next) {
            next += 1;
        }
        next
    } else {
        source.location(comment.span.start).line
    };
    let mut directive = Directive {
        scope,
        comment: span(comment.span.start, comment.span.end),
        line,
        entries: Vec::new(),
        reason: None,
        problem: None,
        removal,
    };

    let after_keyword = at + keyword.len();
    let colon = rest.trim_start();
    if !colon.starts_with(':') {
        directive.problem = Some(Problem::Malformed);
        return Some(directive);
    }
    let list_start = after_keyword + (rest.len() - colon.len()) + 1;
    let tail = &text[list_start..comment.body.end];
    let (list, reason) = match tail.find("--") {
        Some(dash) => (&tail[..dash], Some(tail[dash + 2..].trim())),
        None => (tail, None),
    };
    directive.reason = reason.filter(|r| !r.is_empty()).map(str::to_string);
    let mut offset = list_start;
    for part in list.split(',') {
        let name = part.trim();
        if !name.is_empty() {
            let start = offset + (part.len() - part.trim_start().len());
            directive.entries.push(Entry {
                name: name.to_string(),
                span: span(start, start + name.len()),
                rule: RuleName::find(name),
                removal: span(start, start + name.len()),
            });
        }
        offset += part.len() + 1;
    }
    // Removing one entry takes a separator with it: the one after it, or before the last.
    let spans: Vec<Span> = directive.entries.iter().map(|e| e.span).collect();
    for (index, entry) in directive.entries.iter_mut().enumerate() {
        if let Some(next) = spans.get(index + 1) {
            entry.removal = span(entry.span.start(), next.start());
        } else if index > 0 {
            entry.removal = span(spans[index - 1].end(), entry.span.end());
        }
    }
    if directive.entries.is_empty() {
        directive.problem = Some(Problem::NoRules);
    } else if scope == Scope::File && !comment.leading {
        directive.problem = Some(Problem::Misplaced);
    }
    Some(directive)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (SourceFile, Vec<Directive>) {
        let source = SourceFile::new("f.tf".into(), "f.tf".into(), text.into());
        let found = directives(FileId(0), &source, CommentSyntax::Hcl);
        (source, found)
    }

    #[test]
    fn reads_rules_reason_and_the_covered_line() {
        let text = "locals {\n  # meshlint-ignore: port-not-string, MESH013 -- kept for the v0.1 rollout\n  # another comment\n  a = 1\n  b = 2 // meshlint-ignore: syntax-error\n}\n";
        let (source, found) = read(text);
        assert_eq!(found.len(), 2);
        let first = &found[0];
        assert_eq!(first.scope, Scope::Line);
        assert_eq!(first.line, 4, "past the comment-only line below it");
        assert_eq!(first.reason.as_deref(), Some("kept for the v0.1 rollout"));
        let names: Vec<&str> = first.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["port-not-string", "MESH013"]);
        assert_eq!(
            first.entries[1].rule,
            Some(RuleName::Builtin(
                crate::catalog::RuleId::PlaceholderModuleVersion
            ))
        );
        assert_eq!(source.slice(first.entries[0].span), "port-not-string");
        assert_eq!(source.slice(first.entries[0].removal), "port-not-string, ");
        assert_eq!(source.slice(first.entries[1].removal), ", MESH013");
        assert!(source.slice(first.removal).starts_with("  # meshlint-ignore"));
        assert!(source.slice(first.removal).ends_with("rollout\n"));
        let second = &found[1];
        assert_eq!(second.line, 5, "a comment after code covers its own line");
        assert_eq!(second.reason, None);
        assert_eq!(source.slice(second.removal), " // meshlint-ignore: syntax-error");
        assert_eq!(second.problem, None);
    }

    #[test]
    fn block_comments_and_file_directives() {
        let text = "/* meshlint-ignore-file: leftover-task-definition -- generated */\nlocals {\n  a = /* meshlint-ignore: port-not-string -- x */ 1\n}\n# meshlint-ignore-file: syntax-error -- too late\n";
        let (source, found) = read(text);
        assert_eq!(found.len(), 3);
        assert_eq!((found[0].scope, found[0].problem), (Scope::File, None));
        assert_eq!(found[0].reason.as_deref(), Some("generated"));
        assert_eq!(found[1].line, 3);
        assert_eq!(
            source.slice(found[1].removal),
            " /* meshlint-ignore: port-not-string -- x */"
        );
        assert_eq!(found[2].problem, Some(Problem::Misplaced));
    }

    #[test]
    fn malformed_unknown_and_prose() {
        let text = "# meshlint-ignore port-not-string\n# meshlint-ignore: -- why\n# meshlint-ignore: port-not-strng -- typo\n# meshlint-ignored files are listed below\na = \"# meshlint-ignore: syntax-error\"\n";
        let (_, found) = read(text);
        assert_eq!(found.len(), 3, "prose and strings are not directives");
        assert_eq!(found[0].problem, Some(Problem::Malformed));
        assert_eq!(found[1].problem, Some(Problem::NoRules));
        assert_eq!(found[1].reason.as_deref(), Some("why"));
        assert_eq!(found[2].entries[0].rule, None);
        assert_eq!(found[2].problem, None);
    }

    #[test]
    fn a_line_of_comments_only_reaches_the_next_line_but_is_removed_alone() {
        let text = "  /* meshlint-ignore: port-not-string -- r */ # note\n  port = 9090\n";
        let (source, found) = read(text);
        assert_eq!(found[0].line, 2);
        assert_eq!(
            source.slice(found[0].removal),
            "/* meshlint-ignore: port-not-string -- r */ ",
            "the indentation stays for the comment that follows"
        );
    }

    #[test]
    fn files_without_the_keyword_are_not_scanned() {
        assert!(read("# just a comment\na = 1\n").1.is_empty());
    }
}
