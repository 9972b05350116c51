//! Inline suppression: `meshlint-ignore` comments silence findings on a line or in a file;
//! what they silence is kept (for JSON and SARIF) but never shown in human or GitHub output
//! and never counts. Which directives were used is recorded for `unused-suppression`.

mod directive;

pub use directive::{directives, Directive, Entry, Problem, Scope};

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceMap, Span};
use typed_index_collections::TiVec;

/// Why a finding is not reported: the directive's reason and where the directive is.
#[derive(Clone, Debug, PartialEq)]
pub struct Suppression {
    pub reason: Option<String>,
    pub comment: Span,
}

/// The directives of every file of a run, by [`FileId`].
#[derive(Debug, Default)]
pub struct Suppressions {
    by_file: TiVec<FileId, Vec<Directive>>,
}

/// Which entries of which directives suppressed something: `used[file][directive][entry]`.
#[derive(Debug, Clone)]
pub struct Usage {
    used: TiVec<FileId, Vec<Vec<bool>>>,
}

impl Usage {
    pub fn used(&self, file: FileId, directive: usize, entry: usize) -> bool {
        self.used[file][directive][entry]
    }
}

impl Suppressions {
    pub fn new(by_file: TiVec<FileId, Vec<Directive>>) -> Suppressions {
        Suppressions { by_file }
    }

    pub fn for_file(&self, file: FileId) -> &[Directive] {
        self.by_file.get(file).map_or(&[], Vec::as_slice)
    }

    /// Every directive with its file and index.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, usize, &Directive)> {
        self.by_file.iter_enumerated().flat_map(|(file, directives)| {
            directives
                .iter()
                .enumerate()
                .map(move |(index, d)| (file, index, d))
        })
    }

    /// Nothing used yet.
    pub fn usage(&self) -> Usage {
        Usage {
            used: self
                .by_file
                .iter()
                .map(|ds| ds.iter().map(|d| vec![false; d.entries.len()]).collect())
                .collect(),
        }
    }

    /// The directive and entry that silence `d`: one on its line first, else one for the file.
    fn find(&self, d: &Diagnostic, line: usize) -> Option<(usize, usize)> {
        let directives = self.for_file(d.span.file);
        let matching = |scope: Scope| {
            directives.iter().enumerate().find_map(|(index, directive)| {
                let applies = directive.scope == scope
                    && directive.problem.is_none()
                    && (scope == Scope::File || directive.line == line);
                let entry = directive
                    .entries
                    .iter()
                    .position(|e| e.rule.as_ref().is_some_and(|r| r.matches(&d.rule)));
                entry.filter(|_| applies).map(|entry| (index, entry))
            })
        };
        matching(Scope::Line).or_else(|| matching(Scope::File))
    }

    /// Splits findings into those that stand and those a directive silences, recording each
    /// directive entry that silenced something.
    pub fn apply(
        &self,
        diagnostics: Vec<Diagnostic>,
        sources: &SourceMap,
        usage: &mut Usage,
    ) -> (Vec<Diagnostic>, Vec<(Diagnostic, Suppression)>) {
        let mut standing = Vec::new();
        let mut silenced = Vec::new();
        for d in diagnostics {
            if self.for_file(d.span.file).is_empty() {
                standing.push(d);
                continue;
            }
            let line = sources.location(d.span.file, d.span.start()).line;
            match self.find(&d, line) {
                Some((index, entry)) => {
                    usage.used[d.span.file][index][entry] = true;
                    let directive = &self.for_file(d.span.file)[index];
                    let suppression = Suppression {
                        reason: directive.reason.clone(),
                        comment: directive.comment,
                    };
                    silenced.push((d, suppression));
                }
                None => standing.push(d),
            }
        }
        (standing, silenced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{RuleId, Severity};
    use crate::parse::comments::CommentSyntax;
    use crate::source::SourceFile;

    #[test]
    fn silences_by_line_then_by_file_and_records_use() {
        let text = "# meshlint-ignore-file: leftover-task-definition -- legacy\nlocals {\n  # meshlint-ignore: port-not-string -- why\n  a = 1\n  b = 2 # meshlint-ignore: syntax-error, port-not-string\n}\n";
        let mut sources = SourceMap::default();
        let file = sources.add(SourceFile::new("f.tf".into(), "f.tf".into(), text.into()));
        let suppressions =
            Suppressions::new(vec![directives(file, sources.get(file), CommentSyntax::Hcl)].into());
        let at = |needle: &str| {
            let start = text.find(needle).unwrap();
            Span::new(file, start, start + needle.len())
        };
        let mut found = Vec::new();
        let mut report = |rule: RuleId, span: Span| {
            found.push(Diagnostic {
                rule: rule.into(),
                severity: Severity::Error,
                message: "x".into(),
                span,
                labels: Vec::new(),
                notes: Vec::new(),
                help: None,
                fix: None,
            });
        };
        report(RuleId::PortNotString, at("a = 1"));
        report(RuleId::PortNotString, at("b = 2"));
        report(RuleId::SyntaxError, at("locals"));
        report(RuleId::LeftoverTaskDefinition, at("b = 2"));
        let mut usage = suppressions.usage();
        let (standing, silenced) = suppressions.apply(found, &sources, &mut usage);
        assert_eq!(standing.len(), 1, "syntax-error on line 2 has no directive");
        assert_eq!(standing[0].rule, RuleId::SyntaxError);
        let reasons: Vec<Option<&str>> = silenced.iter().map(|(_, s)| s.reason.as_deref()).collect();
        assert_eq!(reasons, [Some("why"), None, Some("legacy")]);
        assert!(usage.used(file, 0, 0), "the file directive");
        assert!(usage.used(file, 1, 0));
        assert!(
            !usage.used(file, 2, 0),
            "syntax-error on line 5 was never reported"
        );
        assert!(usage.used(file, 2, 1));
    }
}
