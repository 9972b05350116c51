//! Parsed files kept between runs of a long-lived process (the language server): a run that
//! follows an edit parses only the files whose text changed.
//!
//! A parse result holds spans, and spans hold the [`FileId`] the run gave the file; so an
//! entry is reused only when the file has the same id and the same bytes as when it was
//! parsed. Ids follow the sorted discovery order, which an edit of a file's text does not
//! change; adding or removing a file shifts the ids after it, and those files are parsed
//! again once.

use super::read::ParsedFile;
use super::RunError;
use crate::discover::{Discovery, Request};
use crate::source::{FileId, SourceFile};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct ParseCache {
    files: Mutex<HashMap<PathBuf, Entry>>,
    /// The files the last run discovered, for the same requests: walking the tree again
    /// is needed only when files may have come or gone ([`ParseCache::forget_discovery`]).
    discovery: Mutex<Option<(Vec<Request>, bool, Discovery)>>,
    /// How many files were parsed through the cache (not taken from it), for tests and logs.
    parses: std::sync::atomic::AtomicUsize,
}

impl std::fmt::Debug for ParseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let files = self.files.lock().map(|files| files.len()).unwrap_or_default();
        write!(f, "ParseCache({files} files)")
    }
}

struct Entry {
    id: FileId,
    digest: u64,
    /// The file's size and modification time on disk when it was read from disk: a file whose
    /// metadata has not changed is not read again.
    stamp: Option<Stamp>,
    /// Shared, so that copying it for a run happens outside the lock, on every core.
    parsed: Arc<ParsedFile>,
}

/// What says a file on disk is unchanged without reading it (as `make` and cargo judge it).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    len: u64,
    modified: std::time::SystemTime,
}

impl Stamp {
    pub(super) fn of(path: &Path) -> Option<Stamp> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok()?,
        })
    }
}

/// A digest of a file's bytes: equal bytes, equal digest; a collision would need two texts
/// of one path with the same 64-bit SipHash, which edits do not produce.
fn digest(bytes: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

impl ParseCache {
    /// The discovery of `requests`: the last one when the requests are the same and nothing
    /// said files came or went since, else `walk()`'s.
    pub(super) fn discovery(
        &self,
        requests: &[Request],
        whole_modules: bool,
        walk: impl FnOnce() -> Result<Discovery, RunError>,
    ) -> Result<Discovery, RunError> {
        if let Ok(last) = self.discovery.lock() {
            if let Some((last_requests, last_whole, found)) = last.as_ref() {
                if last_requests == requests && *last_whole == whole_modules {
                    return Ok(found.clone());
                }
            }
        }
        let found = walk()?;
        if let Ok(mut last) = self.discovery.lock() {
            *last = Some((requests.to_vec(), whole_modules, found.clone()));
        }
        Ok(found)
    }

    /// How many files this cache has parsed (rather than reused) so far.
    pub fn parses(&self) -> usize {
        self.parses.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Files may have been created or deleted, or a configuration changed: the next run walks
    /// the tree again.
    pub fn forget_discovery(&self) {
        if let Ok(mut last) = self.discovery.lock() {
            *last = None;
        }
    }

    /// Whether the file was parsed from disk when it had this size and modification time.
    pub(super) fn has_stamp(&self, path: &Path, stamp: Stamp) -> bool {
        self.files
            .lock()
            .is_ok_and(|files| files.get(path).is_some_and(|entry| entry.stamp == Some(stamp)))
    }

    /// The parse of file `id` at `path`, when it was parsed as that file with this size and
    /// modification time on disk.
    pub(super) fn unchanged_on_disk(&self, id: FileId, path: &Path, stamp: Stamp) -> Option<ParsedFile> {
        let parsed = {
            let files = self.files.lock().ok()?;
            let entry = files.get(path)?;
            (entry.id == id && entry.stamp == Some(stamp)).then(|| entry.parsed.clone())?
        };
        Some(parsed.duplicate())
    }

    /// The parse of `bytes` as file `id` at `path`: the cached one when nothing changed, else
    /// `parse()`'s, which is kept for the next run.
    pub(super) fn get_or_parse(
        &self,
        id: FileId,
        path: &PathBuf,
        bytes: Vec<u8>,
        stamp: Option<Stamp>,
        parse: impl FnOnce(Vec<u8>) -> ParsedFile,
    ) -> ParsedFile {
        let digest = digest(&bytes);
        let kept = self.files.lock().ok().and_then(|mut files| {
            let entry = files.get_mut(path).filter(|e| e.id == id && e.digest == digest)?;
            // The same bytes with a new time on disk (a touch, a save without changes): the
            // next run need not read them again.
            if stamp.is_some() {
                entry.stamp = stamp;
            }
            Some(entry.parsed.clone())
        });
        if let Some(kept) = kept {
            return kept.duplicate();
        }
        let parsed = parse(bytes);
        self.parses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Ok(mut files) = self.files.lock() {
            files.insert(
                path.clone(),
                Entry {
                    id,
                    digest,
                    stamp,
                    parsed: Arc::new(parsed.duplicate()),
                },
            );
        }
        parsed
    }
}

impl ParsedFile {
    fn duplicate(&self) -> ParsedFile {
        ParsedFile {
            discovered: self.discovered.clone(),
            config: self.config,
            source: SourceFile::new(
                self.source.display_path.clone(),
                self.source.path.clone(),
                self.source.text.clone(),
            ),
            body: self.body.clone(),
            error: self.error.clone(),
            directives: self.directives.clone(),
            facts: self.facts.clone(),
        }
    }
}
