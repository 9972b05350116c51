//! The checks the server keeps: one per workspace folder, and one per open file outside
//! every folder, each with its parses and its last report (which hover, go-to-definition and
//! code actions read).

use super::diagnostics;
use super::position::Encoding;
use super::ServerOptions;
use crate::engine::{self, Options, ParseCache, Report};
use crate::source::FileId;
use lsp_types as lsp;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct Workspace {
    options: ServerOptions,
    folders: Vec<PathBuf>,
    caches: HashMap<PathBuf, Arc<ParseCache>>,
    checked: Vec<Checked>,
    /// The errors of the last checks, told once rather than after every keystroke.
    errors: Vec<String>,
}

/// One scope's last check.
pub struct Checked {
    /// The folder (or file outside every folder) checked.
    pub scope: PathBuf,
    pub report: Report,
    /// The directory relative paths of the report start from.
    pub cwd: PathBuf,
    /// Every file the check read, by absolute path.
    pub files: HashMap<PathBuf, FileId>,
    pub diagnostics: BTreeMap<PathBuf, Vec<lsp::Diagnostic>>,
}

impl Workspace {
    pub fn new(folders: Vec<PathBuf>, options: ServerOptions) -> Workspace {
        let mut workspace = Workspace {
            options,
            folders: Vec::new(),
            caches: HashMap::new(),
            checked: Vec::new(),
            errors: Vec::new(),
        };
        workspace.change_folders(folders, Vec::new());
        workspace
    }

    pub fn change_folders(&mut self, added: Vec<PathBuf>, removed: Vec<PathBuf>) {
        self.folders.retain(|f| !removed.contains(f));
        self.folders.extend(added);
        self.folders.sort();
        self.folders.dedup();
        self.caches.retain(|scope, _| !removed.contains(scope));
    }

    /// Checks every scope with `overlay` over the disk; returns the errors not told before.
    pub fn check(
        &mut self,
        overlay: &BTreeMap<PathBuf, String>,
        open: &[PathBuf],
        encoding: Encoding,
    ) -> Vec<String> {
        let scopes = self.scopes(open);
        self.caches.retain(|scope, _| scopes.contains(scope));
        let cwd = std::env::current_dir().unwrap_or_default();
        let mut checked = Vec::new();
        let mut errors = Vec::new();
        for scope in scopes {
            let cache = self.caches.entry(scope.clone()).or_default().clone();
            let options = Options {
                paths: vec![scope.clone()],
                base: if scope.is_dir() {
                    scope.clone()
                } else {
                    scope.parent().map(Path::to_path_buf).unwrap_or_default()
                },
                config: self.options.config.clone(),
                overlay: overlay.clone(),
                cache: Some(cache),
                ..Options::default()
            };
            match engine::check(&options) {
                Ok(report) => checked.push(Checked::new(scope, report, &cwd, encoding)),
                Err(error) => {
                    errors.push(format!("meshlint: {}: {error}", scope.display()));
                    // A configuration half-typed into `.meshlint.toml` does not wipe the
                    // findings: the last ones stand until the folder checks again.
                    if let Some(last) = self.checked.iter().position(|c| c.scope == scope) {
                        checked.push(self.checked.swap_remove(last));
                    }
                }
            }
        }
        self.checked = checked;
        let fresh = errors
            .iter()
            .filter(|e| !self.errors.contains(e))
            .cloned()
            .collect();
        self.errors = errors;
        fresh
    }

    /// The folders that are not inside another folder (whose check covers them), and the
    /// open files meshlint reads that lie outside every folder.
    fn scopes(&self, open: &[PathBuf]) -> Vec<PathBuf> {
        let inside = |path: &Path, except: Option<&Path>| {
            self.folders
                .iter()
                .any(|folder| Some(folder.as_path()) != except && path.starts_with(folder))
        };
        let folders = self
            .folders
            .iter()
            .filter(|folder| folder.is_dir() && !inside(folder, Some(folder)))
            .cloned();
        let loose = open
            .iter()
            .filter(|path| !inside(path, None) && crate::discover::classify(path).is_some())
            .cloned();
        folders.chain(loose).collect()
    }

    /// Every file's findings, by absolute path.
    pub fn diagnostics(&self) -> BTreeMap<PathBuf, Vec<lsp::Diagnostic>> {
        let mut all: BTreeMap<PathBuf, Vec<lsp::Diagnostic>> = BTreeMap::new();
        for checked in &self.checked {
            for (path, found) in &checked.diagnostics {
                all.entry(path.clone()).or_default().extend(found.iter().cloned());
            }
        }
        all
    }

    pub fn diagnostics_of(&self, path: &Path) -> Option<Vec<lsp::Diagnostic>> {
        self.checked
            .iter()
            .find_map(|checked| checked.diagnostics.get(path).cloned())
    }

    pub fn config(&self) -> Option<&PathBuf> {
        self.options.config.as_ref()
    }

    /// Files may have come or gone: the next checks walk their folders again.
    pub fn forget_discovery(&self) {
        for cache in self.caches.values() {
            cache.forget_discovery();
        }
    }

    /// The parses of the scope `path` lies in.
    pub fn cache_for(&self, path: &Path) -> Option<Arc<ParseCache>> {
        self.caches
            .iter()
            .find(|(scope, _)| path.starts_with(scope))
            .map(|(_, cache)| cache.clone())
    }

    /// The check that read `path`, and the file's id in it.
    pub fn find(&self, path: &Path) -> Option<(&Checked, FileId)> {
        self.checked
            .iter()
            .find_map(|checked| Some((checked, *checked.files.get(path)?)))
    }
}

impl Checked {
    fn new(scope: PathBuf, report: Report, cwd: &Path, encoding: Encoding) -> Checked {
        let files = report
            .project
            .sources
            .iter()
            .map(|(id, source)| (crate::source::absolute(cwd, &source.path), id))
            .collect();
        let diagnostics = diagnostics::by_file(&report, cwd, encoding);
        Checked {
            scope,
            report,
            cwd: cwd.to_path_buf(),
            files,
            diagnostics,
        }
    }
}
