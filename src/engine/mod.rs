//! One run: discover → configure → read and parse (in parallel) → model → rules → sorted
//! diagnostics.

mod plan;
mod read;

use crate::catalog::RuleId;
use crate::config::{ConfigError, ConfigId, Overrides, Settings};
use crate::discover::{self, Discovered, FileKind};
use crate::model::terraform::{Module, TerraformFile};
use crate::model::{AppFile, ModuleId, ModuleModel, Project, TiVec};
use crate::parse::SyntaxError;
use crate::rule::{Context, Diagnostic, Reporter, Rule};
use crate::rules::check_of;
use crate::source::{display_path, FileId, Span};
use crate::suppress::Suppressions;
pub use plan::show_config;
use plan::{plan, Plan};
use read::{parse_file, read, read_referenced_files, FileTable, ParsedFile};

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
    /// Settings given on the command line; they win over configuration files.
    pub overrides: Overrides,
    /// Check the whole folder of every file argument, not only the file (the pre-commit hook).
    pub whole_modules: bool,
    /// Text to use instead of what is on disk, by path: fixes are computed in memory.
    pub overlay: BTreeMap<PathBuf, String>,
}

#[derive(Debug)]
pub enum RunError {
    Discover(discover::DiscoverError),
    Config(ConfigError),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            RunError::Discover(e) => e.fmt(f),
            RunError::Config(e) => e.fmt(f),
        }
    }
}

impl From<ConfigError> for RunError {
    fn from(error: ConfigError) -> RunError {
        RunError::Config(error)
    }
}

/// The Terraform files of one directory (one module) and the configuration of that directory.
type ModuleFiles = (ConfigId, Vec<(Discovered, TerraformFile)>);

pub fn check(options: &Options) -> Result<Report, RunError> {
    let Plan { files, resolver, .. } = plan(options)?;

    // Read everything first, so that file ids are dense over the files that could be read
    // and follow the sorted discovery order, whatever the thread timing.
    let read: Vec<_> = files
        .into_par_iter()
        .map(|(file, config)| match read(&file.path, options) {
            Ok(bytes) => Ok((file, config, bytes)),
            Err(e) => Err((display_path(&file.path, &options.base), e.to_string())),
        })
        .collect();
    let mut readable = Vec::new();
    let mut unreadable = Vec::new();
    for result in read {
        match result {
            Ok(file) => readable.push(file),
            Err(failure) => unreadable.push(failure),
        }
    }
    let parsed: Vec<ParsedFile> = readable
        .into_par_iter()
        .enumerate()
        .map(|(index, (file, config, bytes))| {
            // Ids follow this order: `table.add` below gives them out in it.
            parse_file(FileId::from(index), file, config, bytes, &options.base)
        })
        .collect();

    let mut table = FileTable::default();
    let mut syntax_errors = Vec::new();
    let mut targets = Vec::new();
    let mut apps = Vec::new();
    let mut by_dir: BTreeMap<PathBuf, ModuleFiles> = BTreeMap::new();
    for parsed in parsed {
        let id = table.add(parsed.source, parsed.config, parsed.directives);
        if parsed.discovered.target {
            targets.push(id);
        }
        if let (FileKind::App(kind), Some(facts)) = (parsed.discovered.kind, parsed.facts) {
            apps.push(AppFile::new(id, kind, &facts, &table.sources));
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
        by_dir
            .entry(dir)
            .or_insert_with(|| (parsed.config, Vec::new()))
            .1
            .push((parsed.discovered, file));
    }

    // Each module with the files its `file()` calls name, found here in parallel: walking
    // every expression was a tenth of the main thread's time on large trees.
    let mut modules: Vec<(PathBuf, Module, ConfigId, Vec<String>)> = by_dir
        .into_par_iter()
        .map(|(dir, (config, mut files))| {
            // terraform.tfvars first, then *.auto.tfvars by name, as Terraform loads them.
            files.sort_by_key(|(d, _)| {
                (
                    d.path.file_name().is_some_and(|n| n != "terraform.tfvars"),
                    d.path.clone(),
                )
            });
            let files = files.into_iter().map(|(_, f)| f).collect();
            let module = Module::build(display_path(&dir, &options.base), files);
            let referenced = module.referenced_files();
            (dir, module, config, referenced)
        })
        .collect();
    for (dir, module, config, referenced) in &mut modules {
        read_referenced_files(
            dir,
            module,
            std::mem::take(referenced),
            *config,
            &mut table,
            options,
        );
    }
    let FileTable {
        sources,
        configs,
        directives,
    } = table;
    let settings = Settings::new(resolver.into_configs(), configs);
    let suppressions = Suppressions::new(directives);
    let modules: Vec<ModuleModel> = crate::model::wrappers::build(
        modules.into_iter().map(|(dir, m, _, _)| (dir, m)).collect(),
        &sources,
    );
    let modules: TiVec<ModuleId, ModuleModel> = modules.into();

    let mut project = Project {
        sources,
        modules,
        syntax_errors,
        apps,
    };
    project.link_apps(|file, path| settings.for_file(file).family_of(path));
    let ctx = Context {
        project: &project,
        settings: &settings,
        suppressions: &suppressions,
    };
    let reported =
        |d: &Diagnostic| targets.binary_search(&d.span.file).is_ok() && settings.enabled(d.rule, d.span.file);
    let mut found = run_rules(&settings, |rule, reporter| rule.check(&ctx, reporter));
    found.retain(reported);
    let mut usage = suppressions.usage();
    let (mut standing, mut silenced) = suppressions.apply(found, &project.sources, &mut usage);
    let mut late = run_rules(&settings, |rule, reporter| {
        rule.check_suppressions(&ctx, &usage, reporter)
    });
    late.retain(reported);
    let (late_standing, late_silenced) = suppressions.apply(late, &project.sources, &mut usage);
    standing.extend(late_standing);
    silenced.extend(late_silenced);

    let found = standing
        .into_iter()
        .map(|d| (d, None))
        .chain(silenced.into_iter().map(|(d, s)| (d, Some(s))))
        .collect();
    Ok(Report::new(project, settings, found, unreadable))
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
