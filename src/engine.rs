//! One run: discover → configure → read and parse (in parallel) → model → rules → sorted
//! diagnostics.

use crate::catalog::RuleId;
use crate::config::{self, ConfigError, Overrides, Resolver, Settings};
use crate::discover::{self, Discovered, FileKind};
use crate::model::terraform::{Module, TerraformFile};
use crate::model::{AppFile, ModuleId, ModuleModel, Project, TiVec};
use crate::parse::comments::CommentSyntax;
use crate::parse::{self, SyntaxError};
use crate::rule::{Context, Diagnostic, Reporter, Rule};
use crate::rules::check_of;
use crate::source::{display_path, FileId, SourceFile, SourceMap, Span};
use crate::suppress::{self, Suppressions};

pub use crate::report::{Finding, Report, Suppressed};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
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

/// A Terraform file of one directory, with the index of its configuration.
type ModuleFile = (Discovered, (TerraformFile, usize));

struct ParsedFile {
    discovered: Discovered,
    config: usize,
    source: SourceFile,
    body: crate::syntax::Body,
    error: Option<(usize, usize, String)>,
    directives: Vec<suppress::Directive>,
    /// For application sources: what they say about networking.
    facts: Option<crate::parse::app::facts::AppFacts>,
}

/// The files to read, each with the index of its configuration, and the configuration of
/// each path argument.
struct Plan {
    files: Vec<(Discovered, usize)>,
    path_configs: Vec<(PathBuf, usize)>,
    resolver: Resolver,
}

fn plan(options: &Options) -> Result<Plan, RunError> {
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    let discovered = discover::discover(&paths, options.whole_modules).map_err(RunError::Discover)?;
    let mut resolver = Resolver::new(&options.base, options.config.as_deref(), &options.overrides)?;
    let mut path_configs = Vec::new();
    for path in paths {
        let index = resolver.for_path(&path)?;
        path_configs.push((path, index));
    }
    let mut folders: Vec<&Path> = discovered
        .iter()
        .map(|file| file.path.parent().unwrap_or(Path::new(".")))
        .collect();
    folders.dedup();
    resolver.prefetch(&folders);
    let mut files = Vec::new();
    // Files come sorted by path, so a folder's files are consecutive: resolve each folder once.
    let mut last: Option<(PathBuf, usize)> = None;
    for file in discovered {
        let dir = file.path.parent().unwrap_or(Path::new("."));
        let index = match &last {
            Some((last_dir, index)) if last_dir == dir => *index,
            _ => {
                let index = resolver.for_dir(dir)?;
                last = Some((dir.to_path_buf(), index));
                index
            }
        };
        if !resolver.config(index).excludes(&resolver.absolute(&file.path)) {
            files.push((file, index));
        }
    }
    Ok(Plan {
        files,
        path_configs,
        resolver,
    })
}

/// `--show-config`: the effective settings of every configuration the paths use.
pub fn show_config(options: &Options) -> Result<String, RunError> {
    let plan = plan(options)?;
    let mut scopes: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for (path, index) in &plan.path_configs {
        scopes
            .entry(*index)
            .or_default()
            .insert(display_path(path, &options.base));
    }
    // A configuration deeper down than a path argument applies to the folders it covers.
    let of_paths: BTreeSet<usize> = plan.path_configs.iter().map(|(_, index)| *index).collect();
    for (file, index) in &plan.files {
        if !of_paths.contains(index) {
            let dir = file.path.parent().unwrap_or(Path::new("."));
            scopes
                .entry(*index)
                .or_default()
                .insert(display_path(dir, &options.base));
        }
    }
    let blocks: Vec<String> = scopes
        .into_iter()
        .map(|(index, scope)| {
            config::show(
                plan.resolver.config(index),
                &scope.into_iter().collect::<Vec<_>>(),
            )
        })
        .collect();
    Ok(blocks.join("\n"))
}

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
            parse_file(FileId(index as u32), file, config, bytes, &options.base)
        })
        .collect();

    let mut sources = SourceMap::default();
    let mut syntax_errors = Vec::new();
    let mut targets = Vec::new();
    let mut file_configs = Vec::new();
    let mut directives = Vec::new();
    let mut apps = Vec::new();
    let mut by_dir: BTreeMap<PathBuf, Vec<ModuleFile>> = BTreeMap::new();
    for parsed in parsed {
        let id = sources.add(parsed.source);
        file_configs.push(parsed.config);
        directives.push(parsed.directives);
        if parsed.discovered.target {
            targets.push(id);
        }
        if let (FileKind::App(kind), Some(facts)) = (parsed.discovered.kind, parsed.facts) {
            apps.push(AppFile::new(id, kind, &facts, &sources));
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
        by_dir
            .entry(dir)
            .or_default()
            .push((parsed.discovered, (file, parsed.config)));
    }

    // Each module with the files its `file()` calls name, found here in parallel: walking
    // every expression was a tenth of the main thread's time on large trees.
    let mut modules: Vec<(PathBuf, Module, usize, Vec<String>)> = by_dir
        .into_par_iter()
        .map(|(dir, mut files)| {
            // terraform.tfvars first, then *.auto.tfvars by name, as Terraform loads them.
            files.sort_by_key(|(d, _)| {
                (
                    d.path.file_name().is_some_and(|n| n != "terraform.tfvars"),
                    d.path.clone(),
                )
            });
            let config = files.first().map_or(0, |(_, (_, c))| *c);
            let files = files.into_iter().map(|(_, (f, _))| f).collect();
            let module = Module::build(display_path(&dir, &options.base), files);
            let referenced = module.referenced_files();
            (dir, module, config, referenced)
        })
        .collect();
    for (dir, module, config, referenced) in &mut modules {
        for id in read_referenced_files(dir, module, std::mem::take(referenced), &mut sources, options) {
            debug_assert_eq!(id.0 as usize, file_configs.len());
            file_configs.push(*config);
            directives.push(Vec::new());
        }
    }
    let modules: Vec<ModuleModel> = modules
        .into_par_iter()
        .map(|(_, m, _, _)| ModuleModel::new(m, &sources))
        .collect();
    let modules: TiVec<ModuleId, ModuleModel> = modules.into();

    let settings = Settings::new(resolver.into_configs(), file_configs);
    let suppressions = Suppressions::new(directives);
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

/// The file's bytes: from the overlay when fixes are being computed, else from disk.
fn read(path: &Path, options: &Options) -> std::io::Result<Vec<u8>> {
    match options.overlay.get(path) {
        Some(text) => Ok(text.clone().into_bytes()),
        None => std::fs::read(path),
    }
}

fn parse_file(id: FileId, discovered: Discovered, config: usize, bytes: Vec<u8>, base: &Path) -> ParsedFile {
    let shown = display_path(&discovered.path, base);
    let decoded = parse::decode(bytes);
    if let FileKind::App(kind) = discovered.kind {
        // Binary or non-UTF-8 "sources" (generated, vendored) hold nothing to check.
        let facts = decoded
            .error
            .is_none()
            .then(|| parse::app::extract(kind, id, &decoded.text));
        let source = SourceFile::new(shown, discovered.path.clone(), decoded.text);
        // `#`, `//` and `/* */` cover the comments of every source kind meshlint reads; a
        // string holding `meshlint-ignore:` is the only thing the shared scanner could misread.
        let directives = suppress::directives(id, &source, CommentSyntax::Hcl);
        return ParsedFile {
            source,
            discovered,
            config,
            body: crate::syntax::Body::default(),
            error: None,
            directives,
            facts: Some(facts.unwrap_or_default()),
        };
    }
    let (body, mut error) = match &decoded.error {
        Some((offset, message)) => {
            // Not text: nothing to parse beyond the readable prefix, which is not trusted.
            (
                crate::syntax::Body::default(),
                Some((*offset, *offset, message.clone())),
            )
        }
        None => {
            let kind = discovered.kind;
            let (body, error) = if kind.is_json() {
                parse::terraform_json(id, &decoded.text, kind.is_tfvars())
            } else {
                parse::terraform(id, &decoded.text)
            };
            (body, error.map(|e| (e.span.start, e.span.end, e.message)))
        }
    };
    if let Some((start, end, _)) = &mut error {
        *end = (*end).max(*start).min(decoded.text.len());
        *start = (*start).min(*end);
    }
    let source = SourceFile::new(shown, discovered.path.clone(), decoded.text);
    // JSON has no comments: its suppressions would need a different form.
    let directives = if discovered.kind.is_json() {
        Vec::new()
    } else {
        suppress::directives(id, &source, CommentSyntax::Hcl)
    };
    ParsedFile {
        directives,
        source,
        discovered,
        config,
        body,
        error,
        facts: None,
    }
}

/// Files larger than this are not read for `file()` (policies and templates are small).
const MAX_READ_FILE: u64 = 1 << 20;

/// Reads the files `file()` / `templatefile()` name inside the module directory (`referenced`),
/// once, and returns the ids they were given.
fn read_referenced_files(
    dir: &Path,
    module: &mut Module,
    referenced: Vec<String>,
    sources: &mut SourceMap,
    options: &Options,
) -> Vec<FileId> {
    let mut added = Vec::new();
    for relative in referenced {
        let path = dir.join(&relative);
        let small_file = || std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= MAX_READ_FILE);
        if !options.overlay.contains_key(&path) && !small_file() {
            continue;
        }
        let Ok(bytes) = read(&path, options) else { continue };
        let decoded = parse::decode(bytes);
        if decoded.error.is_some() {
            continue;
        }
        let shown = display_path(&path, &options.base);
        let id = sources.add(SourceFile::new(shown, path, decoded.text.clone()));
        module.read_files.insert(
            relative,
            crate::model::terraform::ReadFile {
                id,
                text: decoded.text,
            },
        );
        added.push(id);
    }
    added
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
