//! What a run found: the standing findings, the silenced ones, and what decides the exit status.

use crate::config::Settings;
use crate::diagnostic::Diagnostic;
use crate::diagnostics;
use crate::model::Project;
use crate::source::FileId;
use crate::suppress::Suppression;

pub struct Report {
    pub project: Project,
    /// The configuration of each file: what decides the exit status.
    pub settings: Settings,
    /// The findings that count: every format shows them and they decide the exit status.
    pub diagnostics: Vec<Diagnostic>,
    /// Parallel to `diagnostics`.
    pub fingerprints: Vec<String>,
    /// Findings silenced by `meshlint-ignore` comments, sorted: only JSON and SARIF show them,
    /// and they never count.
    pub suppressed: Vec<Suppressed>,
    /// Files read, to check or as context.
    pub files: usize,
    /// What was checked and what was not, for an honest summary.
    pub coverage: Coverage,
    /// Files that could not be read, with the reason.
    pub unreadable: Vec<(String, String)>,
    /// Fixes applied before this report was made (`--fix`).
    pub fixed: usize,
    /// The teams' policies the run evaluated: SARIF lists them as rules.
    pub policies: Vec<std::sync::Arc<crate::catalog::PolicyMeta>>,
    /// Baseline entries no finding of this run matched: fixed since, or their file changed.
    pub stale_baseline: Vec<crate::baseline::Entry>,
}

/// What a run checked: the files whose findings it reports (named, or below a directory
/// argument), apart from the rest of their projects it read as context.
#[derive(Debug, Default, Clone)]
pub struct Coverage {
    /// Checked files, sorted: only findings in them (by span or label) are reported, and only
    /// they are edited by `--fix`.
    pub targets: Vec<FileId>,
    /// Checked Terraform files (`.tf`, `.tf.json`, tfvars).
    pub terraform: usize,
    /// Checked application sources.
    pub application: usize,
    /// Checked application sources that the app rules do not check: no mesh task claims them
    /// and they are not assumed to run in the mesh.
    pub outside_mesh: usize,
    /// Files to check that were not checked (as shown), with why: not a file meshlint
    /// reads, or excluded by the configuration. Unreadable files are in [`Report::unreadable`].
    pub skipped: Vec<(String, String)>,
    /// Path arguments below which nothing was checked (as shown).
    pub empty: Vec<String>,
    /// Each project of the run: its root (as shown) and which rule chose it.
    pub projects: Vec<(String, &'static str)>,
    /// Folders of application sources that no mesh task claims, in projects that have mesh
    /// tasks (as shown, sorted).
    pub unlinked_folders: Vec<String>,
    /// Findings not reported because the baseline lists them.
    pub baselined: usize,
}

impl Coverage {
    /// Checked Terraform files and application sources (not the files `file()` reads).
    pub fn checked(&self) -> usize {
        self.terraform + self.application
    }

    pub fn is_target(&self, file: FileId) -> bool {
        self.targets.binary_search(&file).is_ok()
    }
}

pub struct Suppressed {
    pub diagnostic: Diagnostic,
    pub fingerprint: String,
    pub suppression: Suppression,
}

/// One finding of either kind, for the formats that show both.
pub struct Finding<'a> {
    pub diagnostic: &'a Diagnostic,
    pub fingerprint: &'a str,
    pub suppression: Option<&'a Suppression>,
}

impl Report {
    /// Sorts the findings, standing and silenced together, and gives each its fingerprint:
    /// one sequence over both kinds, so that silencing a finding keeps its identity.
    pub fn new(
        project: Project,
        settings: Settings,
        mut found: Vec<(Diagnostic, Option<Suppression>)>,
        unreadable: Vec<(String, String)>,
        coverage: Coverage,
    ) -> Report {
        diagnostics::sort_by(&mut found, |(d, _)| d, &project.sources);
        let prints = diagnostics::fingerprints(found.iter().map(|(d, _)| d), &project.sources);
        let mut diagnostics = Vec::new();
        let mut fingerprints = Vec::new();
        let mut suppressed = Vec::new();
        for ((diagnostic, suppression), fingerprint) in found.into_iter().zip(prints) {
            match suppression {
                None => {
                    diagnostics.push(diagnostic);
                    fingerprints.push(fingerprint);
                }
                Some(suppression) => suppressed.push(Suppressed {
                    diagnostic,
                    fingerprint,
                    suppression,
                }),
            }
        }
        Report {
            files: project.sources.len(),
            coverage,
            project,
            settings,
            diagnostics,
            fingerprints,
            suppressed,
            unreadable,
            fixed: 0,
            policies: Vec::new(),
            stale_baseline: Vec::new(),
        }
    }

    /// Hides the standing findings the baseline lists, and keeps its entries about checked
    /// files that no finding of this run matched (a run that names one file does not call
    /// the rest of the baseline stale).
    pub fn apply_baseline(&mut self, baseline: &crate::baseline::Baseline) {
        use std::collections::BTreeSet;
        let sources = &self.project.sources;
        let checked: BTreeSet<&str> = self
            .coverage
            .targets
            .iter()
            .map(|f| sources.get(*f).display_path.as_str())
            .collect();
        let found: BTreeSet<&str> = self
            .fingerprints
            .iter()
            .chain(self.suppressed.iter().map(|s| &s.fingerprint))
            .map(String::as_str)
            .collect();
        self.stale_baseline = baseline
            .entries
            .values()
            .filter(|e| checked.contains(e.file.as_str()) && !found.contains(e.fingerprint.as_str()))
            .cloned()
            .collect();
        let before = self.diagnostics.len();
        let (mut diagnostics, mut fingerprints) = (Vec::new(), Vec::new());
        for (diagnostic, fingerprint) in std::mem::take(&mut self.diagnostics)
            .into_iter()
            .zip(std::mem::take(&mut self.fingerprints))
        {
            if !baseline.contains(&fingerprint) {
                diagnostics.push(diagnostic);
                fingerprints.push(fingerprint);
            }
        }
        self.diagnostics = diagnostics;
        self.fingerprints = fingerprints;
        self.coverage.baselined += before - self.diagnostics.len();
    }

    /// The baseline of this run's standing findings (`--write-baseline`).
    pub fn to_baseline(&self) -> crate::baseline::Baseline {
        let sources = &self.project.sources;
        crate::baseline::Baseline::new(self.diagnostics.iter().zip(&self.fingerprints).map(
            |(d, fingerprint)| crate::baseline::Entry {
                fingerprint: fingerprint.clone(),
                rule: d.rule.name().to_string(),
                file: sources.get(d.span.file).display_path.clone(),
                message: d.message.clone(),
            },
        ))
    }

    /// Standing and suppressed findings together, in output order.
    pub fn findings(&self) -> Vec<Finding<'_>> {
        let standing = self
            .diagnostics
            .iter()
            .zip(&self.fingerprints)
            .map(|(diagnostic, fingerprint)| Finding {
                diagnostic,
                fingerprint,
                suppression: None,
            });
        let suppressed = self.suppressed.iter().map(|s| Finding {
            diagnostic: &s.diagnostic,
            fingerprint: &s.fingerprint,
            suppression: Some(&s.suppression),
        });
        let mut all: Vec<Finding> = standing.chain(suppressed).collect();
        all.sort_by(|a, b| diagnostics::compare(a.diagnostic, b.diagnostic, &self.project.sources));
        all
    }

    /// Whether a finding is at or above the `fail-on` severity of its file's configuration.
    pub fn failed(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| self.settings.fails(d.severity, d.span.file))
    }
}
