//! Which files a run's policies are: the Rego files and JSON data files that `policies = [...]`
//! names (files, or folders read without descending into subfolders' tests), or
//! `.meshlint/policies/`.

use std::path::{Path, PathBuf};

/// A file read for the policies, with its path as findings show it.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    pub path: PathBuf,
    pub shown: String,
    pub text: String,
    pub kind: FileKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Rego,
    /// `*_test.rego`: read only by `meshlint policy test`.
    Test,
    /// `*.json`: merged into `data`.
    Data,
}

impl FileKind {
    fn of(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        if name.ends_with("_test.rego") {
            Some(FileKind::Test)
        } else if name.ends_with(".rego") {
            Some(FileKind::Rego)
        } else if name.ends_with(".json") {
            Some(FileKind::Data)
        } else {
            None
        }
    }
}

/// The files below `paths`: a named file is read whatever its name says it is not (a `.json`
/// is data, anything else Rego); a folder gives its `.rego` and `.json` files, walked
/// recursively in name order, except `fixtures/` folders, which hold projects. Each file once,
/// in a stable order.
pub fn collect(paths: &[PathBuf], base: &Path) -> Result<Vec<PolicyFile>, String> {
    let mut found: Vec<(PathBuf, FileKind)> = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found)
                .map_err(|e| format!("cannot read policy folder {}: {e}", shown(path, base)))?;
        } else if path.is_file() {
            let kind = match FileKind::of(path) {
                Some(kind) => kind,
                None if path.extension().is_some_and(|e| e == "json") => FileKind::Data,
                None => FileKind::Rego,
            };
            found.push((path.clone(), kind));
        } else {
            return Err(format!("policy path {} does not exist", shown(path, base)));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    found.retain(|(path, _)| seen.insert(path.clone()));
    found
        .into_iter()
        .map(|(path, kind)| {
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", shown(&path, base)))?;
            let text =
                String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", shown(&path, base)))?;
            Ok(PolicyFile {
                shown: shown(&path, base),
                path,
                text,
                kind,
            })
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, FileKind)>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if name != "fixtures" && !name.starts_with('.') {
                walk(&path, out)?;
            }
        } else if let Some(kind) = FileKind::of(&path) {
            out.push((path, kind));
        }
    }
    Ok(())
}

fn shown(path: &Path, base: &Path) -> String {
    crate::source::display_path(path, base)
}
