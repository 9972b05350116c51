//! Reading and parsing each file, and the table of every file a run reads.

use super::cache::Stamp;
use super::facts_cache::FactsCache;
use super::Options;
use crate::config::ConfigId;
use crate::discover::{Discovered, FileKind};
use crate::model::terraform::Module;
use crate::parse;
use crate::parse::comments::CommentSyntax;
use crate::source::{display_path, FileId, SourceFile, SourceMap};
use crate::suppress::{self, Directive};
use std::path::Path;
use typed_index_collections::TiVec;

/// Every file of a run, by [`FileId`]: its text, its configuration and its `meshlint-ignore`
/// comments. Adding a file adds all three, so the three lists cannot drift apart.
#[derive(Default)]
pub(super) struct FileTable {
    pub(super) sources: SourceMap,
    pub(super) configs: TiVec<FileId, ConfigId>,
    pub(super) directives: TiVec<FileId, Vec<Directive>>,
}

impl FileTable {
    pub(super) fn add(&mut self, source: SourceFile, config: ConfigId, directives: Vec<Directive>) -> FileId {
        let id = self.sources.add(source);
        self.configs.push(config);
        self.directives.push(directives);
        id
    }
}

pub(super) struct ParsedFile {
    pub(super) discovered: Discovered,
    pub(super) config: ConfigId,
    pub(super) source: SourceFile,
    pub(super) body: crate::syntax::Body,
    pub(super) error: Option<(usize, usize, String)>,
    pub(super) directives: Vec<suppress::Directive>,
    /// For application sources: what they say about networking.
    pub(super) facts: Option<crate::parse::app::facts::AppFacts>,
}

/// Reads and parses `files` on all cores. The readable ones get ids from `first` on, in the
/// order given (the sorted discovery order, whatever the thread timing); the others come back
/// as (path shown, why).
pub(super) fn read_all(
    files: Vec<(Discovered, ConfigId)>,
    first: usize,
    options: &Options,
    facts: Option<&FactsCache>,
) -> (Vec<ParsedFile>, Vec<(String, String)>) {
    use rayon::prelude::*;
    let read: Vec<_> = files
        .into_par_iter()
        .map(|(file, config)| match content(&file.path, options) {
            Ok(content) => Ok((file, config, content)),
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
    let parsed = readable
        .into_par_iter()
        .enumerate()
        .map(|(index, (file, config, content))| {
            let id = FileId::from(first + index);
            let Some(cache) = &options.cache else {
                let Content::Bytes(bytes, _) = content else {
                    unreachable!("only a cache finds files unchanged")
                };
                return parse_file(id, file, config, bytes, &options.base, facts);
            };
            let path = file.path.clone();
            let (bytes, stamp) = match content {
                Content::Bytes(bytes, stamp) => (bytes, stamp),
                Content::Unchanged(stamp) => match cache.unchanged_on_disk(id, &path, stamp) {
                    Some(parsed) => return this_run(parsed, file, config),
                    // Parsed as another file id (files came or went): parsed again.
                    None => (std::fs::read(&path).unwrap_or_default(), Some(stamp)),
                },
            };
            let parsed = cache.get_or_parse(id, &path, bytes, stamp, |bytes| {
                parse_file(id, file.clone(), config, bytes, &options.base, None)
            });
            this_run(parsed, file, config)
        })
        .collect();
    (parsed, unreadable)
}

/// Whether a file is checked, and its configuration, belong to this run, not to the run that
/// parsed it.
fn this_run(mut parsed: ParsedFile, file: Discovered, config: ConfigId) -> ParsedFile {
    parsed.discovered = file;
    parsed.config = config;
    parsed
}

/// A file's text, or with a cache, that it is unchanged on disk since it was parsed.
enum Content {
    /// The bytes, with the file's size and time on disk when they came from disk.
    Bytes(Vec<u8>, Option<Stamp>),
    Unchanged(Stamp),
}

fn content(path: &Path, options: &Options) -> std::io::Result<Content> {
    let Some(cache) = &options.cache else {
        return read(path, options).map(|bytes| Content::Bytes(bytes, None));
    };
    if overlaid(path, options) {
        return read(path, options).map(|bytes| Content::Bytes(bytes, None));
    }
    // Taken before reading: a write in between makes the next run read the file again.
    let stamp = Stamp::of(path);
    if let Some(stamp) = stamp.filter(|stamp| cache.has_stamp(path, *stamp)) {
        return Ok(Content::Unchanged(stamp));
    }
    std::fs::read(path).map(|bytes| Content::Bytes(bytes, stamp))
}

fn overlaid(path: &Path, options: &Options) -> bool {
    if options.overlay.is_empty() {
        return false;
    }
    options.overlay.contains_key(path)
        || std::env::current_dir()
            .is_ok_and(|cwd| options.overlay.contains_key(&crate::source::absolute(&cwd, path)))
}

/// The file's bytes: from the overlay when fixes are being computed, else from disk.
pub(super) fn read(path: &Path, options: &Options) -> std::io::Result<Vec<u8>> {
    if options.overlay.is_empty() {
        return std::fs::read(path);
    }
    // Standard input is keyed by the path as named, which may be absolute where the walk
    // found the file by a relative one.
    let absolute = std::env::current_dir().map(|cwd| crate::source::absolute(&cwd, path));
    let text = options
        .overlay
        .get(path)
        .or_else(|| absolute.ok().and_then(|a| options.overlay.get(&a)));
    match text {
        Some(text) => Ok(text.clone().into_bytes()),
        None => std::fs::read(path),
    }
}

pub(super) fn parse_file(
    id: FileId,
    discovered: Discovered,
    config: ConfigId,
    bytes: Vec<u8>,
    base: &Path,
    cache: Option<&FactsCache>,
) -> ParsedFile {
    let shown = display_path(&discovered.path, base);
    let decoded = parse::decode(bytes);
    if let FileKind::App(kind) = discovered.kind {
        // Binary or non-UTF-8 "sources" (generated, vendored) hold nothing to check.
        let extract = || parse::app::extract(kind, id, &decoded.text);
        let facts = decoded.error.is_none().then(|| match cache {
            Some(cache) => cache.facts(&discovered.path, kind, id, decoded.text.as_bytes(), extract),
            None => extract(),
        });
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
            (body, error.map(|e| (e.span.start(), e.span.end(), e.message)))
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
pub(super) fn read_referenced_files(
    dir: &Path,
    module: &mut Module,
    referenced: Vec<String>,
    config: ConfigId,
    files: &mut FileTable,
    options: &Options,
) {
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
        // A file read for `file()` has no comments of its own to honour.
        let id = files.add(
            SourceFile::new(shown, path, decoded.text.clone()),
            config,
            Vec::new(),
        );
        module.read_files.insert(
            relative,
            crate::model::terraform::ReadFile {
                id,
                text: decoded.text,
            },
        );
    }
}
