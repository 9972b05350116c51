//! Application-source facts kept on disk between runs (SPEC §11): reading an app source with
//! tree-sitter is most of a cold run's time, and its facts depend on nothing but the file's
//! kind and bytes. So they are kept by content, in `<project root>/.meshlint_cache/` (or the
//! configuration's `cache-dir`), and a later run takes them instead of parsing again.
//!
//! What makes it safe to trust:
//! - an entry is found by the file's kind and a 128-bit digest of its bytes, never by path or
//!   time, so an edit, a touch, a rename or a copy can only miss, never serve old facts;
//! - the cache is ignored whole unless it was written by a build with the same readers
//!   (`MESHLINT_FACTS_BUILD`, a digest of their sources made by build.rs) and is well formed;
//! - it is written to a temporary file renamed over the old one, so a concurrent run reads the
//!   old or the new cache, never half of one;
//! - facts from it are byte for byte the facts a parse gives (`tests/persistent_cache.rs`
//!   compares whole reports with and without it).
//!
//! The cache holds an entry for each app source of the project that a run read or that it
//! held before and still exists; files deleted or excluded drop out when it is next written.
//! A run that changed nothing writes nothing.

use super::root::ProjectRoot;
use crate::config::{ConfigId, Resolver};
use crate::discover::{Discovered, FileKind};
use crate::parse::app::facts::AppFacts;
use crate::parse::app::SourceKind;
use crate::source::{display_path, FileId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The folder a project's cache lives in when its configuration names none.
pub const CACHE_DIR_NAME: &str = ".meshlint_cache";
const FILE_NAME: &str = "app-facts.json";
/// Which build's readers made the facts.
const BUILD: &str = env!("MESHLINT_FACTS_BUILD");

/// A file's kind and the digest of its bytes: what its facts depend on.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Key {
    kind: SourceKind,
    digest: [u64; 2],
}

impl Key {
    pub(super) fn of(kind: SourceKind, bytes: &[u8]) -> Key {
        // Two SipHash digests of the bytes behind different prefixes: 128 bits, so that two
        // texts of one kind colliding is not a thing an edit can bring about.
        let half = |prefix: u8| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            prefix.hash(&mut hasher);
            bytes.hash(&mut hasher);
            hasher.finish()
        };
        Key {
            kind,
            digest: [half(1), half(2)],
        }
    }
}

/// The file on disk.
#[derive(Serialize, Deserialize)]
struct Stored {
    build: String,
    /// By path relative to the project root (absolute when outside it), sorted.
    entries: BTreeMap<String, StoredEntry>,
}

#[derive(Serialize, Deserialize, Clone, PartialEq)]
struct StoredEntry {
    kind: SourceKind,
    /// The 128-bit digest as 32 hex digits.
    digest: String,
    /// Spans in file 0.
    facts: AppFacts,
}

impl StoredEntry {
    fn key(&self) -> Option<Key> {
        if self.digest.len() != 32 {
            return None;
        }
        let high = u64::from_str_radix(self.digest.get(..16)?, 16).ok()?;
        let low = u64::from_str_radix(self.digest.get(16..)?, 16).ok()?;
        Some(Key {
            kind: self.kind,
            digest: [high, low],
        })
    }

    fn new(key: Key, facts: AppFacts) -> StoredEntry {
        StoredEntry {
            kind: key.kind,
            digest: format!("{:016x}{:016x}", key.digest[0], key.digest[1]),
            facts: facts.in_file(FileId(0)),
        }
    }
}

/// One cache folder: its project root, and what it held when the run began.
struct Folder {
    dir: PathBuf,
    root: PathBuf,
    old: BTreeMap<String, StoredEntry>,
    /// The app sources of this run that belong here, by absolute path.
    files: Vec<PathBuf>,
}

pub struct FactsCache {
    folders: Vec<Folder>,
    /// The folder of each app source this run discovered, by absolute path.
    folder_of: HashMap<PathBuf, usize>,
    /// Facts from earlier runs, with spans in file 0.
    known: HashMap<Key, AppFacts>,
    /// What this run read, by absolute path.
    read: Mutex<HashMap<PathBuf, (Key, AppFacts)>>,
    /// The working directory relative paths start from.
    cwd: PathBuf,
}

impl FactsCache {
    /// Opens the caches of the folders this run's app sources belong to: a file's
    /// configuration's `cache-dir`, else its project root's `.meshlint_cache`.
    pub(super) fn open(
        files: &[(Discovered, ConfigId)],
        projects: &[ProjectRoot],
        resolver: &Resolver,
        cwd: &Path,
    ) -> FactsCache {
        let mut folders: Vec<Folder> = Vec::new();
        let mut folder_of = HashMap::new();
        let mut by_dir: HashMap<PathBuf, usize> = HashMap::new();
        for (file, config) in files {
            if !matches!(file.kind, FileKind::App(_)) {
                continue;
            }
            let Some(project) = projects.get(file.project) else {
                continue;
            };
            let dir = match &resolver.config(*config).cache_dir {
                Some(dir) => dir.clone(),
                None => project.dir.join(CACHE_DIR_NAME),
            };
            let index = *by_dir.entry(dir.clone()).or_insert_with(|| {
                folders.push(Folder {
                    old: load(&dir.join(FILE_NAME)),
                    dir,
                    root: project.dir.clone(),
                    files: Vec::new(),
                });
                folders.len() - 1
            });
            let path = crate::source::absolute(cwd, &file.path);
            folders[index].files.push(path.clone());
            folder_of.insert(path, index);
        }
        let known = folders
            .iter()
            .flat_map(|folder| folder.old.values())
            .filter_map(|entry| Some((entry.key()?, entry.facts.clone())))
            .collect();
        FactsCache {
            folders,
            folder_of,
            known,
            read: Mutex::new(HashMap::new()),
            cwd: cwd.to_path_buf(),
        }
    }

    /// The facts of `bytes` read as file `id` of `kind` at `path`: from the cache when an
    /// earlier run read the same bytes as the same kind, else `extract()`'s.
    pub(super) fn facts(
        &self,
        path: &Path,
        kind: SourceKind,
        id: FileId,
        bytes: &[u8],
        extract: impl FnOnce() -> AppFacts,
    ) -> AppFacts {
        let key = Key::of(kind, bytes);
        let facts = match self.known.get(&key) {
            Some(facts) => facts.clone().in_file(id),
            None => extract(),
        };
        let path = crate::source::absolute(&self.cwd, path);
        if self.folder_of.contains_key(&path) {
            if let Ok(mut read) = self.read.lock() {
                read.insert(path, (key, facts.clone()));
            }
        }
        facts
    }

    /// Writes every folder whose entries changed. A cache that cannot be written (a read-only
    /// checkout) is skipped: it only saves time.
    pub(super) fn save(self) {
        let read = self.read.into_inner().unwrap_or_default();
        for folder in self.folders {
            let mut entries = BTreeMap::new();
            for path in &folder.files {
                let name = display_path(path, &folder.root);
                let entry = match read.get(path) {
                    Some((key, facts)) => StoredEntry::new(*key, facts.clone()),
                    // Not read this run (a context source no checked file needed): kept.
                    None => match folder.old.get(&name) {
                        Some(entry) => entry.clone(),
                        None => continue,
                    },
                };
                entries.insert(name, entry);
            }
            if entries == folder.old || entries.is_empty() {
                continue;
            }
            let _ = write(
                &folder.dir,
                &Stored {
                    build: BUILD.to_string(),
                    entries,
                },
            );
        }
    }
}

/// A cache file's entries, or none when it is missing, unreadable, malformed or from another
/// build: such a cache is rebuilt, never trusted.
fn load(path: &Path) -> BTreeMap<String, StoredEntry> {
    let Ok(bytes) = std::fs::read(path) else {
        return BTreeMap::new();
    };
    match serde_json::from_slice::<Stored>(&bytes) {
        Ok(stored) if stored.build == BUILD && stored.entries.values().all(|e| e.key().is_some()) => {
            stored.entries
        }
        _ => BTreeMap::new(),
    }
}

fn write(dir: &Path, stored: &Stored) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    // As ruff and cargo do: git ignores the folder by itself, and backup tools may skip it.
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(
            &ignore,
            "# Created by meshlint: a cache, never to be committed.\n*\n",
        )?;
    }
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        std::fs::write(
            &tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n\
             # This file is a cache directory tag created by meshlint.\n",
        )?;
    }
    let text = serde_json::to_vec(stored).map_err(std::io::Error::other)?;
    // A name of its own per process and moment: concurrent runs never share a temporary file.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    let temporary = dir.join(format!("{FILE_NAME}.{}-{nanos}.tmp", std::process::id()));
    let result =
        std::fs::write(&temporary, text).and_then(|()| std::fs::rename(&temporary, dir.join(FILE_NAME)));
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}
