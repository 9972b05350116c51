//! What a finding is: a rule's diagnostic with its span, labels, notes, help and fix. Data
//! only, shared by rules, suppressions, fixes and every output format.

use crate::catalog::{Applicability, RuleKey, Severity};
use crate::source::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(applicability: Applicability, message: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            applicability,
            message: message.into(),
            edits,
        }
    }

    /// One edit replacing `span`.
    pub fn replace(
        applicability: Applicability,
        message: impl Into<String>,
        span: Span,
        replacement: impl Into<String>,
    ) -> Fix {
        Fix::new(
            applicability,
            message,
            vec![Edit {
                span,
                replacement: replacement.into(),
            }],
        )
    }
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: RuleKey,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// Says what cannot be decided, or what only matters outside the mesh: `info`, whatever
    /// the rule's severity, and no fix to apply.
    pub fn only_info(&mut self) -> &mut Self {
        self.severity = Severity::Info;
        self.fix = None;
        self
    }

    /// Lowers the severity to `ceiling` when it is above it (never raises it): for a finding
    /// that rests on something the project may not hold, such as a default set elsewhere.
    pub fn at_most(&mut self, ceiling: crate::catalog::Severity) -> &mut Self {
        self.severity = self.severity.min(ceiling);
        self
    }

    /// Adds a label. Each place is shown once: a label on the finding's own span is dropped
    /// (the message speaks of that place), a second label at the same span joins its message
    /// to the first (the same value reached by two paths, a variable default that both sides
    /// of a comparison read), and the same message again is dropped.
    pub fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        if span == self.span {
            return self;
        }
        let message = message.into();
        match self.labels.iter_mut().find(|l| l.span == span) {
            Some(existing) if existing.message == message => {}
            Some(existing) => {
                existing.message.push_str("; ");
                existing.message.push_str(&message);
            }
            None => self.labels.push(Label { span, message }),
        }
        self
    }

    pub fn note(&mut self, note: impl Into<String>) -> &mut Self {
        self.notes.push(note.into());
        self
    }

    pub fn note_opt(&mut self, note: Option<String>) -> &mut Self {
        if let Some(note) = note {
            self.notes.push(note);
        }
        self
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }
}
