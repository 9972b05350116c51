//! The project root of a checked path: the folder whose Terraform (and application sources)
//! is the context of every file checked in it. The order of the rules is the contract users
//! rely on (README, "Project root"): a pre-commit run naming one file must see the same mesh
//! as a run on the whole repository.

use crate::config::CONFIG_FILE_NAME;
use std::path::{Path, PathBuf};

/// Which rule chose a project root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootReason {
    /// `--project DIR`.
    Flag,
    /// The nearest folder upwards holding `.meshlint.toml`.
    Config,
    /// The top of the git work tree the working directory is in (pre-commit runs there).
    GitWorkTree,
    /// The working directory, which holds the file.
    WorkingDirectory,
    /// The file's own folder.
    FileFolder,
    /// The directory argument itself.
    Directory,
}

impl RootReason {
    pub fn describe(self) -> &'static str {
        match self {
            RootReason::Flag => "given with --project",
            RootReason::Config => "the nearest folder upwards holding .meshlint.toml",
            RootReason::GitWorkTree => "the top of the git work tree the working directory is in",
            RootReason::WorkingDirectory => {
                "the working directory, which holds the file (no .meshlint.toml above it, not in git)"
            }
            RootReason::FileFolder => {
                "the file's own folder (no .meshlint.toml above it; the working directory does not hold it)"
            }
            RootReason::Directory => "the directory checked (no .meshlint.toml above it)",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectRoot {
    /// Absolute, with `.` and `..` resolved by name.
    pub dir: PathBuf,
    pub why: RootReason,
}

/// The root of `path` (absolute), checked from the working directory `cwd` (absolute);
/// `flag` is `--project` (absolute).
pub fn project_root(path: &Path, is_dir: bool, cwd: &Path, flag: Option<&Path>) -> ProjectRoot {
    if let Some(dir) = flag {
        return ProjectRoot {
            dir: dir.to_path_buf(),
            why: RootReason::Flag,
        };
    }
    let folder = if is_dir {
        path
    } else {
        path.parent().unwrap_or(path)
    };
    if let Some(dir) = folder.ancestors().find(|d| d.join(CONFIG_FILE_NAME).is_file()) {
        return ProjectRoot {
            dir: dir.to_path_buf(),
            why: RootReason::Config,
        };
    }
    if is_dir {
        // A directory is its own project, so that checking one stack of a repository of many
        // stacks (or of test fixtures) never mixes them.
        return ProjectRoot {
            dir: path.to_path_buf(),
            why: RootReason::Directory,
        };
    }
    // `.git` is a folder in a clone and a file in a linked work tree or submodule.
    let work_tree = folder.ancestors().find(|d| d.join(".git").exists());
    if let Some(top) = work_tree.filter(|top| cwd.starts_with(top)) {
        return ProjectRoot {
            dir: top.to_path_buf(),
            why: RootReason::GitWorkTree,
        };
    }
    if path.starts_with(cwd) {
        return ProjectRoot {
            dir: cwd.to_path_buf(),
            why: RootReason::WorkingDirectory,
        };
    }
    ProjectRoot {
        dir: folder.to_path_buf(),
        why: RootReason::FileFolder,
    }
}

/// `path` (absolute) in the form the process can open, as short as the user would write it:
/// relative to the working directory when below it, else absolute.
pub fn as_given(path: &Path, cwd: &Path) -> PathBuf {
    match path.strip_prefix(cwd) {
        Ok(relative) if relative.as_os_str().is_empty() => PathBuf::from("."),
        Ok(relative) => relative.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "").unwrap();
    }

    #[test]
    fn the_rules_apply_in_order() {
        let temp = tempfile::tempdir().unwrap();
        let top = temp.path();
        let repo = top.join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        write(&repo.join("apps/web/main.go"));
        write(&repo.join("deploy/main.tf"));
        write(&repo.join("teams/a/.meshlint.toml"));
        write(&repo.join("teams/a/x/main.tf"));
        let file = repo.join("apps/web/main.go");

        let flag = project_root(&file, false, &repo, Some(top));
        assert_eq!((flag.dir.as_path(), flag.why), (top, RootReason::Flag));
        let configured = project_root(&repo.join("teams/a/x/main.tf"), false, &repo, None);
        assert_eq!(configured.dir, repo.join("teams/a"));
        assert_eq!(configured.why, RootReason::Config);
        let configured_dir = project_root(&repo.join("teams/a/x"), true, &repo, None);
        assert_eq!(configured_dir.why, RootReason::Config);

        // pre-commit runs at the top of the work tree: the whole repository is the project.
        let git = project_root(&file, false, &repo.join("deploy"), None);
        assert_eq!(
            (git.dir.as_path(), git.why),
            (repo.as_path(), RootReason::GitWorkTree)
        );
        // Outside the work tree the working directory holds the file, or not.
        let cwd = project_root(&file, false, top, None);
        assert_eq!((cwd.dir.as_path(), cwd.why), (top, RootReason::WorkingDirectory));
        let elsewhere = tempfile::tempdir().unwrap();
        let own = project_root(&file, false, elsewhere.path(), None);
        assert_eq!(own.dir, repo.join("apps/web"));
        assert_eq!(own.why, RootReason::FileFolder);

        // A directory is its own project, even inside a git work tree.
        let dir = project_root(&repo.join("apps"), true, &repo, None);
        assert_eq!((dir.dir, dir.why), (repo.join("apps"), RootReason::Directory));
    }

    #[test]
    fn paths_are_given_relative_to_the_working_directory_when_below_it() {
        let cwd = Path::new("/w/repo");
        assert_eq!(
            as_given(Path::new("/w/repo/a/b.tf"), cwd),
            PathBuf::from("a/b.tf")
        );
        assert_eq!(as_given(Path::new("/w/repo"), cwd), PathBuf::from("."));
        assert_eq!(as_given(Path::new("/w/other"), cwd), PathBuf::from("/w/other"));
    }
}
