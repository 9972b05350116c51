//! What a rule is, what it sees, and how it reports.
//!
//! A rule receives a [`Context`]: the project model (pure: what was read and evaluated) and
//! the settings of each file (rule options, severities). It reports through a [`Reporter`],
//! which takes the severity from the configuration, never from the call site.

pub use crate::catalog::{Applicability, FixAvailability, RuleId, RuleKey, RuleMeta, Severity};
use crate::config::{Config, Settings};
pub use crate::diagnostic::{Diagnostic, Edit, Fix, Label};
use crate::model::terraform::value::{Origin, OriginKind};
use crate::model::{Assumed, Project};
use crate::source::{FileId, Span};
use crate::suppress::{Suppressions, Usage};

/// Everything a rule may read. The engine owns the suppressions and applies them; rules
/// about the `meshlint-ignore` comments themselves read them here.
pub struct Context<'a> {
    pub project: &'a Project,
    pub settings: &'a Settings,
    pub suppressions: &'a Suppressions,
    /// The policies the run loaded: `meshlint-ignore` comments may name them.
    pub policies: &'a [std::sync::Arc<crate::catalog::PolicyMeta>],
}

impl Context<'_> {
    /// The effective configuration of a file (rule options, mesh families).
    pub fn config(&self, file: FileId) -> &Config {
        self.settings.for_file(file)
    }
}

pub trait Rule: Sync {
    fn check(&self, ctx: &Context, report: &mut Reporter);

    /// Runs after every rule's `check`, once `meshlint-ignore` comments have silenced what they
    /// cover, with what each comment silenced. For rules about the suppressions themselves.
    fn check_suppressions(&self, _ctx: &Context, _usage: &Usage, _report: &mut Reporter) {}
}

/// Labels that say where a value came from: the model's provenance, worded for a finding.
pub trait OriginLabels {
    /// A label at each place the value came from (variable default, local, tfvars entry).
    fn origin_labels(&mut self, origins: &[Origin]) -> &mut Self;

    /// Labels for a value written away from the finding: one on the value itself, naming
    /// the place that holds it (`` `9090` is set here, in local `services` ``), and the other
    /// places it passed through as [`OriginLabels::origin_labels`] does.
    fn value_labels(&mut self, value: Span, shown: &str, origins: &[Origin]) -> &mut Self;
}

impl OriginLabels for Diagnostic {
    fn origin_labels(&mut self, origins: &[Origin]) -> &mut Self {
        for origin in origins {
            // One label per place: a value that passed the same spot twice says it once.
            if self.labels.iter().any(|l| l.span == origin.span) {
                continue;
            }
            let text = match origin.kind {
                OriginKind::CallerArgument => format!("{} is used here", origin.what),
                _ => format!("{} is set here", origin.what),
            };
            self.label(origin.span, text);
        }
        self
    }

    fn value_labels(&mut self, value: Span, shown: &str, origins: &[Origin]) -> &mut Self {
        let holder = origins.iter().position(|o| o.span.contains(value));
        let text = match holder {
            Some(k) => format!("`{shown}` is set here, in the {}", origins[k].what),
            None => format!("`{shown}` is set here"),
        };
        self.label(value, text);
        for (k, origin) in origins.iter().enumerate() {
            if Some(k) != holder {
                self.origin_labels(std::slice::from_ref(origin));
            }
        }
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
            rule: RuleKey::Builtin(self.rule),
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

/// The note of a finding in a source that no mesh task claims but that is checked as a mesh
/// app: why meshlint assumed so, and how to say otherwise.
pub fn assumed_mesh_note(why: Assumed) -> &'static str {
    match why {
        Assumed::NoConsulEcsCall => "this project has no consul-ecs module call, so meshlint assumed the app runs in the mesh (its Terraform lives elsewhere); set `[app] mesh = \"never\"` in .meshlint.toml if it does not",
        Assumed::Declared => "`[app] mesh = \"always\"` in .meshlint.toml says this app runs in the mesh, though no mesh task of the project claims it",
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

/// A finding on an environment lookup's literal fallback (`os.getenv("X", "…")`), weighed the
/// one way hardcoded-upstream-url and bind-all-interfaces agree on (the caller reports
/// nothing when the task sets `X`): when the task's environment is known and does not set
/// it, a note that the fallback is what runs (`in_the_mesh`: "the app calls this URL");
/// when that cannot be told, a note saying so, and the finding becomes `info` without a fix.
pub fn weigh_fallback(
    diagnostic: &mut Diagnostic,
    var: &str,
    setting: crate::model::mesh::task_network::EnvSetting,
    task: Option<&str>,
    in_the_mesh: &str,
) {
    use crate::model::mesh::task_network::EnvSetting;
    match (setting, task) {
        (EnvSetting::Unset, Some(task)) => {
            diagnostic.note(format!(
                "it is the fallback for `{var}`, which mesh-task `{task}` does not set: in the mesh {in_the_mesh}"
            ));
        }
        _ => {
            let who = task.map_or("the deployment".to_string(), |t| format!("mesh-task `{t}`"));
            diagnostic
                .note(format!("it is the fallback for `{var}`, used only when `{var}` is unset (local runs, docker-compose); whether {who} sets it cannot be told, so this is said as `info` without a fix"))
                .only_info();
        }
    }
}

/// What a rule file needs.
pub mod prelude {
    pub use super::{
        assumed_mesh_note, code_list, Applicability, Context, Fix, OriginLabels, Reporter, Rule, Severity,
    };
    pub use crate::model::{ModuleModel, Project};
    pub use crate::source::Span;
}
