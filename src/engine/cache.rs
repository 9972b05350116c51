//! Parsed files kept between runs of a long-lived process (the language server): a run that
//! follows an edit parses only the files whose text changed.
//!
//! A parse result holds spans, and spans hold the [`FileId`] the run gave the file; so an
//! entry is reused only when the file has the same id and the same bytes as when it was
//! parsed. Ids follow the sorted discovery order, which an edit of a file's text does not
//! change; adding or removing a file shifts the ids after it, and those files are parsed
//! again once.

use super::read::ParsedFile;
use crate::source::{FileId, SourceFile};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Mutex;

#[derive(Default)]
pub struct ParseCache {
    files: Mutex<HashMap<PathBuf, Entry>>,
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
    parsed: ParsedFile,
}

/// A digest of a file's bytes: equal bytes, equal digest; a collision would need two texts
/// of one path with the same 64-bit SipHash, which edits do not produce.
fn digest(bytes: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

impl ParseCache {
    /// The parse of `bytes` as file `id` at `path`: the cached one when nothing changed, else
    /// `parse()`'s, which is kept for the next run.
    pub(super) fn get_or_parse(
        &self,
        id: FileId,
        path: &PathBuf,
        bytes: Vec<u8>,
        parse: impl FnOnce(Vec<u8>) -> ParsedFile,
    ) -> ParsedFile {
        let digest = digest(&bytes);
        if let Some(entry) = self.files.lock().ok().as_ref().and_then(|files| files.get(path)) {
            if entry.id == id && entry.digest == digest {
                return entry.parsed.duplicate();
            }
        }
        let parsed = parse(bytes);
        if let Ok(mut files) = self.files.lock() {
            files.insert(
                path.clone(),
                Entry {
                    id,
                    digest,
                    parsed: parsed.duplicate(),
                },
            );
        }
        parsed
    }

    /// Forgets every file: after a configuration change, which can change how files parse
    /// (their configuration) and which files there are.
    pub fn clear(&self) {
        if let Ok(mut files) = self.files.lock() {
            files.clear();
        }
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
