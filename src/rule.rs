//! What a rule is, what it reports, and how it reports it.

use crate::config::Settings;
use crate::model::value::Origin;
use crate::model::Project;
pub use crate::rules::RuleId;
use crate::source::Span;
use crate::suppress::Usage;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// How far a fix may be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    /// Keeps the configuration's meaning: `--fix` applies it.
    Safe,
    /// May change behaviour: applied only with `--unsafe-fixes`.
    Unsafe,
    /// Shown to the user, never applied.
    DisplayOnly,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// What a rule declares about its fixes; a test holds every rule to its declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes(Applicability),
    Always(Applicability),
}

pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    pub summary: &'static str,
    /// `rules/<name>.md`, included at build time so a missing document fails to compile.
    pub doc: &'static str,
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, project: &Project, report: &mut Reporter);

    /// Runs after every rule's `check`, once `meshlint-ignore` comments have silenced what they
    /// cover, with what each comment silenced. For rules about the suppressions themselves.
    fn check_suppressions(&self, _project: &Project, _usage: &Usage, _report: &mut Reporter) {}
}

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
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// A label at each place the value came from (variable default, local, tfvars entry).
    pub fn origin_labels(&mut self, origins: &[Origin]) -> &mut Self {
        for origin in origins {
            self.label(origin.span, format!("{} is set here", origin.what));
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

/// Collects one rule's diagnostics. The severity comes from the configuration of the file
/// reported on (the rule's default unless `[severity]` changes it), never from the call site.
pub struct Reporter<'a> {
    rule: RuleId,
    settings: &'a Settings,
    out: &'a mut Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub fn new(rule: RuleId, settings: &'a Settings, out: &'a mut Vec<Diagnostic>) -> Reporter<'a> {
        Reporter { rule, settings, out }
    }

    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.out.push(Diagnostic {
            rule: self.rule,
            severity: self.settings.severity(self.rule, span.file),
            message: message.into(),
            span,
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            fix: None,
        });
        self.out.last_mut().expect("just pushed")
    }
}

/// "`a`, `b` or `c`" for messages; `conjunction` is "or" or "and".
pub fn code_list(items: &[&str], conjunction: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// What a rule file needs.
pub mod prelude {
    pub use super::{code_list, Applicability, Fix, FixAvailability, Reporter, Rule, RuleMeta, Severity};
    pub use crate::model::{ModuleModel, Project};
    pub use crate::source::Span;
}
