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
    /// False for files read only as context: the rest of the project of a file named on the
    /// command line. Their findings are not reported.
    pub target: bool,
    /// Index of the project (the [`Request::project`]) the file was found in.
    pub project: usize,
}

/// One path to check and the project it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The path as given.
    pub path: PathBuf,
    /// The project's root folder, whose files are read as context, in a form the process can
    /// open (relative to the working directory or absolute).
    pub root: PathBuf,
    /// Requests with the same project share their root.
    pub project: usize,
    /// The file's text is given in memory (an editor's unsaved buffer on standard input): it
    /// need not exist on disk.
    pub in_memory: bool,
}

/// What a run reads.
#[derive(Clone, Debug, Default)]
pub struct Discovery {
    /// Every file, sorted by absolute path, each once.
    pub files: Vec<Discovered>,
    /// Files named on the command line that meshlint does not read (`notes.txt`).
    pub unread: Vec<PathBuf>,
}

/// Directories never scanned, whatever `.gitignore` says.
const SKIPPED_DIRS: [&str; 4] = [".terraform", ".git", "node_modules", "vendor"];

/// Globs for the files whose changes on disk can change findings, for editors to watch: what
/// [`classify`] reads, and the policies and templates `file()` and `templatefile()` read.
pub const WATCHED_GLOBS: &[&str] = &[
    "**/*.{tf,tfvars,json,tftpl,tpl}",
    "**/*.{go,py,js,mjs,cjs,jsx,ts,mts,cts,tsx,rs,sh,bash,properties,yml,yaml}",
    "**/{Dockerfile,Dockerfile.*,*.dockerfile,Procfile}",
];

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

/// Every file to read: each project's root walked once as context, then the files of each
/// path marked as targets (a file argument, every file below a directory argument, and with
/// `whole_modules` the folder of each file argument). `cwd` is the absolute working directory
/// relative paths start from; files are keyed by their absolute path, so a file reached from
/// its root and named on the command line is one file (in the form the walk found it).
pub fn discover(requests: &[Request], whole_modules: bool, cwd: &Path) -> Result<Discovery, DiscoverError> {
    let mut found: BTreeMap<PathBuf, Discovered> = BTreeMap::new();
    let key = |path: &Path| crate::source::absolute(cwd, path);
    let mut walked = std::collections::HashSet::new();
    for request in requests {
        if !request.in_memory {
            std::fs::metadata(&request.path).map_err(|_| DiscoverError::Missing(request.path.clone()))?;
        }
        if !walked.insert(key(&request.root)) {
            continue;
        }
        for path in walk(&request.root)? {
            if let Some(kind) = classify(&path) {
                let path = normalize(&path);
                found.entry(key(&path)).or_insert(Discovered {
                    path,
                    kind,
                    target: false,
                    project: request.project,
                });
            }
        }
    }
    let mut unread = Vec::new();
    for request in requests {
        let at = key(&request.path);
        let is_file = request.in_memory || std::fs::metadata(&request.path).is_ok_and(|m| !m.is_dir());
        if !is_file {
            // Every file below the directory, as its root's walk found them.
            for (path, file) in found.range_mut(at.clone()..) {
                if !path.starts_with(&at) {
                    break;
                }
                file.target = true;
            }
            continue;
        }
        let Some(kind) = classify(&request.path) else {
            unread.push(request.path.clone());
            continue;
        };
        // Named even when ignored: the user asked for it.
        let path = normalize(&request.path);
        let file = found.entry(at.clone()).or_insert(Discovered {
            path: path.clone(),
            kind,
            target: true,
            project: request.project,
        });
        // Known in the form its root's walk gave it, so that it sits in the same folder as
        // its neighbours: an absolute path named by an editor (`/repo/infra/web.tf`) must not
        // make a module of its own apart from `infra/`'s other files.
        file.target = true;
        if whole_modules {
            let folder = at.parent().unwrap_or(&at).to_path_buf();
            for (path, file) in found.range_mut(folder.clone()..) {
                if !path.starts_with(&folder) {
                    break;
                }
                if path.parent() == Some(folder.as_path()) {
                    file.target = true;
                }
            }
        }
    }
    Ok(Discovery {
        files: found.into_values().collect(),
        unread,
    })
}

/// The files below `root` that meshlint reads, in no particular order (the caller sorts).
/// Directories are walked on several threads: listing 20,000 files one `readdir` and `stat`
/// at a time took a tenth of a second on a cold start before any parsing could begin.
fn walk(root: &Path) -> Result<Vec<PathBuf>, DiscoverError> {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            !(entry.depth() > 0 && SKIPPED_DIRS.contains(&name.as_ref()))
        });
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
/// The path without `.` components: the form files are known by (and overlays keyed by).
pub fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// How a comment starts in a file meshlint reads; `None` for JSON, which has no comments.
pub fn comment_marker(path: &Path) -> Option<&'static str> {
    use crate::parse::app::SourceKind;
    Some(match classify(path)? {
        FileKind::Terraform | FileKind::TerraformVars => "#",
        FileKind::TerraformJson | FileKind::TerraformVarsJson => return None,
        FileKind::App(kind) => match kind {
            SourceKind::Go
            | SourceKind::JavaScript
            | SourceKind::TypeScript
            | SourceKind::Tsx
            | SourceKind::Rust => "//",
            _ => "#",
        },
    })
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
