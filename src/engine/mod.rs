//! One run: plan (project roots, files, configurations) → read and parse the Terraform and the
//! checked files (in parallel) → model → link application sources to mesh tasks, reading the
//! context sources that matter → rules → the findings in checked files, sorted.

mod apps;
mod cache;
mod facts_cache;
mod plan;
mod policies;
mod read;
mod root;
mod show;

use crate::catalog::RuleId;
use crate::config::{ConfigError, ConfigId, Overrides, Settings};
use crate::discover::{self, Discovered, FileKind};
use crate::model::link::ModulePlace;
use crate::model::terraform::{Module, TerraformFile};
use crate::model::{ModuleId, ModuleModel, Project, TiVec};
use crate::parse::SyntaxError;
use crate::report::Coverage;
use crate::rule::{Context, Diagnostic, Reporter, Rule};
use crate::rules::check_of;
use crate::source::{absolute, display_path, FileId, Span};
use crate::suppress::Suppressions;
pub use cache::ParseCache;
pub use facts_cache::CACHE_DIR_NAME;
use plan::{plan, Plan};
use read::{read_all, read_referenced_files, FileTable};
pub use root::RootReason;
pub use show::show_config;

pub use crate::report::{Finding, Report, Suppressed};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    /// Paths are shown relative to this directory.
    pub base: PathBuf,
    /// `--config`: this file for every path instead of the nearest `.meshlint.toml`.
    pub config: Option<PathBuf>,
    /// `--project`: the project root of every path, instead of the one the rules find.
    pub project: Option<PathBuf>,
    /// Settings given on the command line; they win over configuration files.
    pub overrides: Overrides,
    /// Check the whole folder of every file argument, not only the file.
    pub whole_modules: bool,
    /// Text to use instead of what is on disk, by path: fixes are computed in memory.
    pub overlay: BTreeMap<PathBuf, String>,
    /// Parses kept from earlier runs of this process (the language server), and for later ones.
    pub cache: Option<std::sync::Arc<ParseCache>>,
    /// Do not load or evaluate the teams' policies (`meshlint model`, `policy test`).
    pub skip_policies: bool,
    /// `--baseline FILE`: hide the findings it lists, instead of the configurations' baselines.
    pub baseline: Option<PathBuf>,
    /// Ignore every baseline (`--write-baseline` records all of today's findings).
    pub no_baseline: bool,
    /// Read and write the persistent cache of app-source facts (the command line does, unless
    /// `--no-cache`); the language server keeps its own in memory (`cache`).
    pub persistent_cache: bool,
}

#[derive(Debug)]
pub enum RunError {
    Discover(discover::DiscoverError),
    Config(ConfigError),
    /// Policies that do not compile or declare themselves wrongly.
    Policy(Vec<crate::policy::LoadError>),
    /// A setting names a policy id that no loaded policy has.
    UnknownPolicy(String),
    /// A baseline file that cannot be read.
    Baseline(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            RunError::Discover(e) => e.fmt(f),
            RunError::Config(e) => e.fmt(f),
            RunError::Policy(errors) => {
                let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                f.write_str(&lines.join("\n"))
            }
            RunError::UnknownPolicy(message) | RunError::Baseline(message) => f.write_str(message),
        }
    }
}

impl From<ConfigError> for RunError {
    fn from(error: ConfigError) -> RunError {
        RunError::Config(error)
    }
}

/// The Terraform files of one directory (one module), the configuration and project of that
/// directory, and whether one of its files is checked.
struct ModuleFiles {
    config: ConfigId,
    project: usize,
    checked: bool,
    files: Vec<(Discovered, TerraformFile)>,
}

pub fn check(options: &Options) -> Result<Report, RunError> {
    let Plan {
        files,
        resolver,
        projects,
        path_projects,
        skipped,
        cwd,
        ..
    } = plan(options)?;
    // The language server keeps its parses in memory instead (`options.cache`).
    let facts_cache = (options.persistent_cache && options.cache.is_none())
        .then(|| facts_cache::FactsCache::open(&files, &projects, &resolver, &cwd));
    // Application sources read only as context wait: most never matter (see `apps`).
    let (now, waiting): (Vec<_>, Vec<_>) = files
        .into_iter()
        .partition(|(file, _)| file.target || !matches!(file.kind, FileKind::App(_)));
    let (parsed, mut unreadable) = read_all(now, 0, options, facts_cache.as_ref());

    let mut table = FileTable::default();
    let mut targets: TiVec<FileId, bool> = TiVec::new();
    let mut syntax_errors = Vec::new();
    let mut checked_apps = Vec::new();
    let mut by_dir: BTreeMap<PathBuf, ModuleFiles> = BTreeMap::new();
    for parsed in parsed {
        let id = table.add(parsed.source, parsed.config, parsed.directives);
        targets.push(parsed.discovered.target);
        if let (FileKind::App(_), Some(facts)) = (parsed.discovered.kind, parsed.facts) {
            checked_apps.push((id, parsed.discovered, facts));
            continue;
        }
        if let Some((start, end, message)) = parsed.error.clone() {
            syntax_errors.push(SyntaxError {
                span: Span::new(id, start, end),
                message,
            });
        }
        let dir = parsed
            .discovered
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let file = TerraformFile {
            id,
            body: parsed.body,
            is_tfvars: parsed.discovered.kind.is_tfvars(),
            complete: parsed.error.is_none(),
        };
        // A folder's files share its configuration.
        let module = by_dir.entry(dir).or_insert_with(|| ModuleFiles {
            config: parsed.config,
            project: parsed.discovered.project,
            checked: false,
            files: Vec::new(),
        });
        module.checked |= parsed.discovered.target;
        module.files.push((parsed.discovered, file));
    }

    // Each module with the files its `file()` calls name, found here in parallel: walking
    // every expression was a tenth of the main thread's time on large trees.
    let mut modules: Vec<(PathBuf, Module, ModuleFiles, Vec<String>)> = by_dir
        .into_par_iter()
        .map(|(dir, mut entry)| {
            // terraform.tfvars first, then *.auto.tfvars by name, as Terraform loads them.
            entry.files.sort_by_key(|(d, _)| {
                (
                    d.path.file_name().is_some_and(|n| n != "terraform.tfvars"),
                    d.path.clone(),
                )
            });
            let files = std::mem::take(&mut entry.files)
                .into_iter()
                .map(|(_, f)| f)
                .collect();
            let module = Module::build(display_path(&dir, &options.base), files);
            let referenced = module.referenced_files();
            (dir, module, entry, referenced)
        })
        .collect();
    for (dir, module, entry, referenced) in &mut modules {
        read_referenced_files(
            dir,
            module,
            std::mem::take(referenced),
            entry.config,
            &mut table,
            options,
        );
    }
    // A file read for `file()` is checked (and `--fix` may edit it) when it lies below a
    // directory argument; a named file's module does not make its policies named.
    let checked_dirs: Vec<PathBuf> = path_projects
        .iter()
        .filter(|(path, _)| path.is_dir())
        .map(|(path, _)| absolute(&cwd, path))
        .collect();
    for id in targets.len()..table.sources.len() {
        let path = absolute(&cwd, &table.sources.get(FileId::from(id)).path);
        targets.push(checked_dirs.iter().any(|dir| path.starts_with(dir)));
    }
    let mut places: TiVec<ModuleId, ModulePlace> = TiVec::new();
    let mut checked_modules: TiVec<ModuleId, bool> = TiVec::new();
    let modules: Vec<(PathBuf, Module)> = modules
        .into_iter()
        .map(|(dir, module, entry, _)| {
            let dir = absolute(&cwd, &dir);
            places.push(ModulePlace {
                dir: dir.clone(),
                project: entry.project,
            });
            checked_modules.push(entry.checked);
            (dir, module)
        })
        .collect();
    // Local child modules are evaluated with their callers' arguments (model::wrappers).
    let models: Vec<ModuleModel> = crate::model::wrappers::build(modules, &table.sources);
    let models: TiVec<ModuleId, ModuleModel> = models.into();

    let linked = apps::link_and_read(
        apps::Inputs {
            models: &models,
            places: &places,
            checked_modules: &checked_modules,
            projects: &projects,
            resolver: &resolver,
            cwd: &cwd,
            options,
            facts: facts_cache.as_ref(),
        },
        checked_apps,
        waiting,
        &mut table,
        &mut targets,
    );
    unreadable.extend(linked.unreadable);
    // Every app source this run reads has been read.
    if let Some(cache) = facts_cache {
        cache.save();
    }

    // The teams' policies, read as sources so that findings about them show their lines.
    let policy_sets = match options.skip_policies {
        true => Vec::new(),
        false => policies::load(&resolver, &projects, &options.base, &mut table, &mut targets)?,
    };
    let policy_metas = policies::metas(&policy_sets);

    let FileTable {
        sources,
        configs,
        directives,
    } = table;
    let settings = Settings::new(resolver.into_configs(), configs);
    if !options.skip_policies {
        policies::check_names(&settings, &policy_sets)?;
    }
    let suppressions = Suppressions::new(directives);
    let project = Project {
        sources,
        modules: models,
        syntax_errors,
        apps: linked.apps,
    };
    let ctx = Context {
        project: &project,
        settings: &settings,
        suppressions: &suppressions,
        policies: &policy_metas,
    };
    let checked = |file: FileId| targets.get(file).copied().unwrap_or(false);
    // A finding about a checked file is reported wherever its primary span is: pre-commit
    // names the file that changed, and the finding may point at it only with a label.
    let reported = |d: &Diagnostic| {
        (checked(d.span.file) || d.labels.iter().any(|l| checked(l.span.file)))
            && settings.enabled(&d.rule, d.span.file)
            && !settings
                .for_file(d.span.file)
                .ignores_in(&d.rule, &absolute(&cwd, &project.sources.get(d.span.file).path))
    };
    let mut found = run_rules(&settings, |rule, reporter| rule.check(&ctx, reporter));
    if !policy_sets.is_empty() {
        // A policy that failed is reported on the policy, which is no checked file.
        let (failed, findings): (Vec<_>, Vec<_>) = policies::evaluate(&policy_sets, &project, &settings)
            .into_iter()
            .partition(|d| d.rule == RuleId::PolicyError);
        found.extend(findings);
        found.retain(reported);
        found.extend(
            failed
                .into_iter()
                .filter(|d| settings.enabled(&d.rule, d.span.file))
                .map(|mut d| {
                    d.severity = settings.severity(RuleId::PolicyError, d.span.file);
                    d
                }),
        );
    } else {
        found.retain(reported);
    }
    fit_fixes_to_json(&mut found, &project.sources);
    let mut usage = suppressions.usage();
    let (mut standing, mut silenced) = suppressions.apply(found, &project.sources, &mut usage);
    let mut late = run_rules(&settings, |rule, reporter| {
        rule.check_suppressions(&ctx, &usage, reporter)
    });
    late.retain(reported);
    fit_fixes_to_json(&mut late, &project.sources);
    let (late_standing, late_silenced) = suppressions.apply(late, &project.sources, &mut usage);
    standing.extend(late_standing);
    silenced.extend(late_silenced);

    let coverage = coverage(
        &project,
        &targets,
        CoverageInputs {
            skipped,
            path_projects: &path_projects,
            projects: &projects,
            unlinked_folders: linked.unlinked_folders,
            cwd: &cwd,
            base: &options.base,
        },
    );
    let found = standing
        .into_iter()
        .map(|d| (d, None))
        .chain(silenced.into_iter().map(|(d, s)| (d, Some(s))))
        .collect();
    let mut report = Report::new(project, settings, found, unreadable, coverage);
    report.policies = policy_metas;
    if let Some(baseline) = baseline(options, &report.settings)? {
        report.apply_baseline(&baseline);
    }
    Ok(report)
}

/// The baseline of a run: `--baseline`, else every `baseline = "…"` of its configurations.
fn baseline(options: &Options, settings: &Settings) -> Result<Option<crate::baseline::Baseline>, RunError> {
    if options.no_baseline {
        return Ok(None);
    }
    let paths: Vec<PathBuf> = match &options.baseline {
        Some(path) => vec![absolute(&options.base, path)],
        None => {
            let mut paths: Vec<PathBuf> = settings.configs().filter_map(|c| c.baseline.clone()).collect();
            paths.sort();
            paths.dedup();
            paths
        }
    };
    if paths.is_empty() {
        return Ok(None);
    }
    let mut out = crate::baseline::Baseline::default();
    for path in paths {
        out.extend(crate::baseline::Baseline::read(&path).map_err(RunError::Baseline)?);
    }
    Ok(Some(out))
}

/// The policy files and folders a run with these options reads (`meshlint policy test` and
/// `eval`).
pub fn policy_paths(options: &Options) -> Result<Vec<PathBuf>, RunError> {
    let Plan {
        resolver, projects, ..
    } = plan(options)?;
    Ok(policies::paths(resolver.configs(), &projects))
}

struct CoverageInputs<'a> {
    skipped: Vec<(PathBuf, &'static str)>,
    path_projects: &'a [(PathBuf, usize)],
    projects: &'a [root::ProjectRoot],
    unlinked_folders: Vec<String>,
    cwd: &'a Path,
    base: &'a Path,
}

/// What the run checked, counted for the summary.
fn coverage(project: &Project, targets: &TiVec<FileId, bool>, inputs: CoverageInputs) -> Coverage {
    let checked: Vec<FileId> = targets
        .iter_enumerated()
        .filter(|(_, t)| **t)
        .map(|(id, _)| id)
        .collect();
    let apps: Vec<&crate::model::AppFile> = project.apps.iter().filter(|a| targets[a.file]).collect();
    // Files read for `file()` are checked below a directory argument, but are no Terraform.
    let terraform = checked
        .iter()
        .filter(|id| {
            discover::classify(&project.sources.get(**id).path)
                .is_some_and(|kind| !matches!(kind, FileKind::App(_)))
        })
        .count();
    let skipped: Vec<(String, String)> = inputs
        .skipped
        .into_iter()
        .map(|(path, why)| (display_path(&path, inputs.base), why.to_string()))
        .collect();
    // Sorted, so that the files below a path follow it: one search per path, not a scan
    // (pre-commit passes hundreds of files).
    let mut checked_paths: Vec<PathBuf> = checked
        .iter()
        .map(|id| absolute(inputs.cwd, &project.sources.get(*id).path))
        .collect();
    checked_paths.sort();
    let empty = inputs
        .path_projects
        .iter()
        .filter(|(path, _)| {
            let at = absolute(inputs.cwd, path);
            let first = checked_paths.partition_point(|p| *p < at);
            !checked_paths.get(first).is_some_and(|p| p.starts_with(&at))
        })
        .map(|(path, _)| display_path(path, inputs.base))
        .collect();
    Coverage {
        terraform,
        application: apps.len(),
        outside_mesh: apps.iter().filter(|a| !a.in_mesh()).count(),
        targets: checked,
        skipped,
        empty,
        projects: inputs
            .projects
            .iter()
            .map(|p| (display_path(&p.dir, inputs.base), p.why.describe()))
            .collect(),
        unlinked_folders: inputs.unlinked_folders,
        baselined: 0,
    }
}

/// Rules write fixes in Terraform's native syntax: where one edits a JSON file, it is made
/// right for JSON, or dropped when it cannot be (`edit::json::adapt`).
fn fit_fixes_to_json(diagnostics: &mut [Diagnostic], sources: &crate::source::SourceMap) {
    for diagnostic in diagnostics {
        let Some(fix) = &mut diagnostic.fix else {
            continue;
        };
        let mut files: Vec<FileId> = fix.edits.iter().map(|e| e.span.file).collect();
        files.sort();
        files.dedup();
        let fits = files.into_iter().all(|file| {
            if !crate::edit::json::is_json_file(sources, file) {
                return true;
            }
            let at: Vec<usize> = (0..fix.edits.len())
                .filter(|&i| fix.edits[i].span.file == file)
                .collect();
            let mut here: Vec<_> = at.iter().map(|&i| fix.edits[i].clone()).collect();
            let fits = crate::edit::json::adapt(&sources.get(file).text, &mut here);
            for (i, edit) in at.into_iter().zip(here) {
                fix.edits[i] = edit;
            }
            fits
        });
        if !fits {
            diagnostic.fix = None;
        }
    }
}

/// Runs `pass` for every rule that some file's configuration enables; the caller drops what a
/// file's own configuration does not enable.
fn run_rules(settings: &Settings, pass: impl Fn(&dyn Rule, &mut Reporter) + Sync) -> Vec<Diagnostic> {
    let enabled: Vec<RuleId> = RuleId::all()
        .filter(|id| settings.enabled_anywhere(*id))
        .collect();
    enabled
        .par_iter()
        .flat_map_iter(|id| {
            let mut out = Vec::new();
            pass(check_of(*id), &mut Reporter::new(*id, settings, &mut out));
            out
        })
        .collect()
}
