//! Finding the files to check: walk the given paths, honour `.gitignore`, classify each file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// `*.tf`
    Terraform,
    /// `terraform.tfvars`, `*.auto.tfvars`
    TerraformVars,
    /// An application source meshlint reads for listeners and URLs.
    App(crate::parse::app::SourceKind),
    /// `*.tf.json`: Terraform's JSON syntax
    TerraformJson,
    /// `terraform.tfvars.json`, `*.auto.tfvars.json`
    TerraformVarsJson,
}

impl FileKind {
    /// Variable values rather than configuration.
    pub fn is_tfvars(self) -> bool {
        matches!(self, FileKind::TerraformVars | FileKind::TerraformVarsJson)
    }

    pub fn is_json(self) -> bool {
        matches!(self, FileKind::TerraformJson | FileKind::TerraformVarsJson)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discovered {
    pub path: PathBuf,
    pub kind: FileKind,
    /// False for files read only as context: the other files of the module of a file named
    /// on the command line. Their findings are not reported.
    pub target: bool,
}

/// Directories never scanned, whatever `.gitignore` says.
const SKIPPED_DIRS: [&str; 4] = [".terraform", ".git", "node_modules", "vendor"];

pub fn classify(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    if name.starts_with('.') || name.starts_with('#') || name.ends_with('~') {
        // Editor backups and hidden files, which Terraform ignores too.
        return None;
    }
    if name.ends_with(".tf") {
        Some(FileKind::Terraform)
    } else if name.ends_with(".tf.json") {
        Some(FileKind::TerraformJson)
    } else if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") {
        Some(FileKind::TerraformVars)
    } else if name == "terraform.tfvars.json" || name.ends_with(".auto.tfvars.json") {
        Some(FileKind::TerraformVarsJson)
    } else {
        crate::parse::app::classify(path).map(FileKind::App)
    }
}

#[derive(Debug)]
pub enum DiscoverError {
    Missing(PathBuf),
    Walk(String),
}

impl std::fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            DiscoverError::Missing(path) => write!(f, "path does not exist: {}", path.display()),
            DiscoverError::Walk(message) => write!(f, "{message}"),
        }
    }
}

/// Every file to read, sorted by path, each once. A file argument brings the rest of its
/// folder (its Terraform module) as context; with `whole_modules` that folder is checked too,
/// as the pre-commit hook wants when it passes the files that changed.
pub fn discover(paths: &[PathBuf], whole_modules: bool) -> Result<Vec<Discovered>, DiscoverError> {
    let mut found: BTreeMap<PathBuf, Discovered> = BTreeMap::new();
    let mut add = |path: PathBuf, target: bool| {
        if let Some(kind) = classify(&path) {
            let path = normalize(&path);
            let entry = found
                .entry(path.clone())
                .or_insert(Discovered { path, kind, target });
            entry.target |= target;
        }
    };
    for root in paths {
        let metadata = std::fs::metadata(root).map_err(|_| DiscoverError::Missing(root.clone()))?;
        if metadata.is_file() {
            // The whole module is read for context (variables, locals); only this file is
            // reported, unless the whole module is wanted.
            if let Some(dir) = root.parent() {
                for sibling in walk(
                    if dir.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        dir
                    },
                    Some(1),
                )? {
                    add(sibling, whole_modules);
                }
            }
            add(root.clone(), true);
        } else {
            for path in walk(root, None)? {
                add(path, true);
            }
        }
    }
    Ok(found.into_values().collect())
}

/// The files below `root` that meshlint reads, in no particular order (the caller sorts).
/// Directories are walked on several threads: listing 20,000 files one `readdir` and `stat`
/// at a time took a tenth of a second on a cold start before any parsing could begin. A
/// single folder (the siblings of a file argument, as pre-commit passes them) is listed on
/// this thread: starting walker threads would cost more than they save.
fn walk(root: &Path, max_depth: Option<usize>) -> Result<Vec<PathBuf>, DiscoverError> {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .max_depth(max_depth)
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            !(entry.depth() > 0 && SKIPPED_DIRS.contains(&name.as_ref()))
        });
    if max_depth == Some(1) {
        let mut files = Vec::new();
        for entry in builder.build() {
            files.extend(visit(entry).map_err(DiscoverError::Walk)?);
        }
        return Ok(files);
    }
    let files = Mutex::new(Vec::new());
    let failure = Mutex::new(None);
    builder
        .threads(rayon::current_num_threads())
        .build_parallel()
        .run(|| {
            let mut batch = Batch {
                paths: Vec::new(),
                into: &files,
            };
            let failure = &failure;
            Box::new(move |entry| match visit(entry) {
                Ok(path) => {
                    batch.paths.extend(path);
                    batch.hand_over_if_full();
                    ignore::WalkState::Continue
                }
                Err(message) => {
                    *lock(failure) = Some(message);
                    ignore::WalkState::Quit
                }
            })
        });
    if let Some(message) = lock(&failure).take() {
        return Err(DiscoverError::Walk(message));
    }
    Ok(files
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner()))
}

/// What one entry of the walk gives: a file meshlint reads, nothing, or the error that ends
/// the walk (only one about the root itself).
fn visit(entry: Result<ignore::DirEntry, ignore::Error>) -> Result<Option<PathBuf>, String> {
    match entry {
        Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
            Ok(classify(entry.path()).is_some().then(|| entry.into_path()))
        }
        Ok(_) => Ok(None),
        // A loop or an unreadable directory below the root: skip it, keep walking.
        Err(error) if error.depth().unwrap_or(0) > 0 || error.io_error().is_none() => Ok(None),
        Err(error) => Err(error.to_string()),
    }
}

/// The paths one walker thread found, handed over in batches (one lock per file would make the
/// threads wait on each other) and the rest when the thread's visitor is dropped.
struct Batch<'a> {
    paths: Vec<PathBuf>,
    into: &'a Mutex<Vec<PathBuf>>,
}

impl Batch<'_> {
    fn hand_over_if_full(&mut self) {
        if self.paths.len() >= 256 {
            lock(self.into).append(&mut self.paths);
        }
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        lock(self.into).append(&mut self.paths);
    }
}

/// The guarded value, even if a thread panicked while holding the lock (the list of paths is
/// still whole: a push either happened or did not).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `./a/b.tf` and `a/b.tf` are the same file.
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_terraform_and_tfvars() {
        assert_eq!(classify(Path::new("a/main.tf")), Some(FileKind::Terraform));
        assert_eq!(
            classify(Path::new("terraform.tfvars")),
            Some(FileKind::TerraformVars)
        );
        assert_eq!(
            classify(Path::new("x.auto.tfvars")),
            Some(FileKind::TerraformVars)
        );
        assert_eq!(classify(Path::new("prod.tfvars")), None);
        assert!(matches!(
            classify(Path::new("cmd/main.go")),
            Some(FileKind::App(_))
        ));
        assert_eq!(classify(Path::new("README.md")), None);
        assert_eq!(classify(Path::new("cdk.tf.json")), Some(FileKind::TerraformJson));
        assert_eq!(
            classify(Path::new("terraform.tfvars.json")),
            Some(FileKind::TerraformVarsJson)
        );
        assert_eq!(
            classify(Path::new("x.auto.tfvars.json")),
            Some(FileKind::TerraformVarsJson)
        );
        assert_eq!(classify(Path::new("package.json")), None);
        assert_eq!(classify(Path::new("prod.tfvars.json")), None);
        assert_eq!(classify(Path::new(".#main.tf")), None);
        assert_eq!(classify(Path::new("main.tf~")), None);
    }
}
