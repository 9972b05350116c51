//! One run: discover → read and parse (in parallel) → model → rules → sorted diagnostics.

use crate::diagnostics;
use crate::discover::{self, Discovered, FileKind};
use crate::model::terraform::{Module, TerraformFile};
use crate::model::{AppFile, ModuleModel, Project};
use crate::parse::{self, SyntaxError};
use crate::rule::{Diagnostic, Reporter};
use crate::rules::RuleId;
use crate::source::{display_path, FileId, SourceFile, SourceMap, Span};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    /// Only these rules (all when `None`).
    pub select: Option<Vec<RuleId>>,
    pub ignore: Vec<RuleId>,
    /// Paths are shown relative to this directory.
    pub base: PathBuf,
    /// Text to use instead of what is on disk, by path: fixes are computed in memory.
    pub overlay: BTreeMap<PathBuf, String>,
}

pub struct Report {
    pub project: Project,
    /// Fixes applied before this report was made (`--fix`).
    pub fixed: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// Parallel to `diagnostics`.
    pub fingerprints: Vec<String>,
    /// Files read and checked.
    pub files: usize,
    /// Files that could not be read, with the reason.
    pub unreadable: Vec<(String, String)>,
}

#[derive(Debug)]
pub enum RunError {
    Discover(discover::DiscoverError),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            RunError::Discover(e) => e.fmt(f),
        }
    }
}

struct ParsedFile {
    discovered: Discovered,
    source: SourceFile,
    body: crate::syntax::Body,
    error: Option<(usize, usize, String)>,
    facts: Option<crate::model::app::AppFacts>,
}

pub fn check(options: &Options) -> Result<Report, RunError> {
    let paths = if options.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    let discovered = discover::discover(&paths).map_err(RunError::Discover)?;

    // File ids follow the sorted discovery order, so output never depends on thread timing.
    let results: Vec<Result<ParsedFile, (String, String)>> = discovered
        .into_par_iter()
        .enumerate()
        .map(|(index, file)| read_and_parse(FileId(index as u32), file, options))
        .collect();

    let mut sources = SourceMap::default();
    let mut syntax_errors = Vec::new();
    let mut unreadable = Vec::new();
    let mut targets = Vec::new();
    let mut apps = Vec::new();
    let mut by_dir: BTreeMap<PathBuf, Vec<(Discovered, TerraformFile)>> = BTreeMap::new();
    for result in results {
        let parsed = match result {
            Ok(parsed) => parsed,
            Err(failure) => {
                unreadable.push(failure);
                continue;
            }
        };
        let id = sources.add(parsed.source);
        if parsed.discovered.target {
            targets.push(id);
        }
        if let (FileKind::App(kind), Some(facts)) = (parsed.discovered.kind, parsed.facts) {
            apps.push(AppFile {
                file: id,
                kind,
                facts,
                task: None,
            });
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
        by_dir.entry(dir).or_default().push((parsed.discovered, file));
    }

    let mut modules: Vec<(PathBuf, Module)> = by_dir
        .into_par_iter()
        .map(|(dir, mut files)| {
            // terraform.tfvars(.json) first, then *.auto.tfvars(.json) by name, as Terraform
            // loads them.
            files.sort_by_key(|(d, _)| {
                (
                    d.path
                        .file_name()
                        .is_some_and(|n| n != "terraform.tfvars" && n != "terraform.tfvars.json"),
                    d.path.clone(),
                )
            });
            let files = files.into_iter().map(|(_, f)| f).collect();
            let module = Module::build(display_path(&dir, &options.base), files);
            (dir, module)
        })
        .collect();
    for (dir, module) in &mut modules {
        read_referenced_files(dir, module, &mut sources, options);
    }
    let modules: Vec<ModuleModel> = modules
        .into_par_iter()
        .map(|(_, m)| ModuleModel::new(m, &sources))
        .collect();

    let mut project = Project {
        sources,
        modules,
        syntax_errors,
        apps,
    };
    project.link_apps();
    let mut diagnostics = run_rules(&project, options);
    diagnostics.retain(|d| targets.binary_search(&d.span.file).is_ok());
    diagnostics::sort(&mut diagnostics, &project.sources);
    let fingerprints = diagnostics::fingerprints(&diagnostics, &project.sources);
    Ok(Report {
        fixed: 0,
        files: project.sources.len(),
        project,
        diagnostics,
        fingerprints,
        unreadable,
    })
}

fn read_and_parse(
    id: FileId,
    discovered: Discovered,
    options: &Options,
) -> Result<ParsedFile, (String, String)> {
    let shown = display_path(&discovered.path, &options.base);
    let bytes = match options.overlay.get(&discovered.path) {
        Some(text) => text.clone().into_bytes(),
        None => std::fs::read(&discovered.path).map_err(|e| (shown.clone(), e.to_string()))?,
    };
    let decoded = parse::decode(bytes);
    if let FileKind::App(kind) = discovered.kind {
        // Binary or non-UTF-8 "sources" (generated, vendored) hold nothing to check.
        let facts = decoded
            .error
            .is_none()
            .then(|| parse::app::extract(kind, id, &decoded.text));
        return Ok(ParsedFile {
            source: SourceFile::new(shown, discovered.path.clone(), decoded.text),
            discovered,
            body: crate::syntax::Body::default(),
            error: None,
            facts: Some(facts.unwrap_or_default()),
        });
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
    Ok(ParsedFile {
        source: SourceFile::new(shown, discovered.path.clone(), decoded.text),
        discovered,
        body,
        error,
        facts: None,
    })
}

/// Files larger than this are not read for `file()` (policies and templates are small).
const MAX_READ_FILE: u64 = 1 << 20;

/// Reads the files `file()` / `templatefile()` name inside the module directory, once.
fn read_referenced_files(dir: &Path, module: &mut Module, sources: &mut SourceMap, options: &Options) {
    for relative in module.referenced_files() {
        let path = dir.join(&relative);
        let bytes = match options.overlay.get(&path) {
            Some(text) => text.clone().into_bytes(),
            None => {
                let small_file =
                    std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= MAX_READ_FILE);
                match small_file.then(|| std::fs::read(&path).ok()).flatten() {
                    Some(bytes) => bytes,
                    None => continue,
                }
            }
        };
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
    }
}

fn run_rules(project: &Project, options: &Options) -> Vec<Diagnostic> {
    let enabled: Vec<RuleId> = RuleId::all()
        .filter(|id| options.select.as_ref().is_none_or(|s| s.contains(id)))
        .filter(|id| !options.ignore.contains(id))
        .collect();
    enabled
        .par_iter()
        .flat_map_iter(|id| {
            let mut out = Vec::new();
            id.rule().check(project, &mut Reporter::new(*id, &mut out));
            out
        })
        .collect()
}
