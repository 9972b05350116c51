//! Source files, byte spans, and the one place where byte offsets become lines and columns.

use std::path::{Path, PathBuf};

/// Index of a file in the [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one file.
///
/// Offsets are `u32`: a run holds millions of spans (every syntax node and value has one), and
/// 12 bytes instead of 24 is a fifth of the syntax trees' memory. Files are at most 4 GiB
/// ([`MAX_TEXT_LEN`]: `parse::decode` refuses larger ones), so every offset fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub file: FileId,
    start: u32,
    end: u32,
}

/// The longest text meshlint reads, so that every byte offset of it fits a [`Span`].
pub const MAX_TEXT_LEN: usize = u32::MAX as usize;

impl From<usize> for FileId {
    fn from(index: usize) -> FileId {
        FileId(u32::try_from(index).unwrap_or(u32::MAX))
    }
}

impl From<FileId> for usize {
    fn from(id: FileId) -> usize {
        id.0 as usize
    }
}

impl Span {
    /// Offsets past [`MAX_TEXT_LEN`] cannot come from a file meshlint read; they are clamped.
    pub const fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: offset(start),
            end: offset(end),
        }
    }

    pub fn start(self) -> usize {
        self.start as usize
    }

    pub fn end(self) -> usize {
        self.end as usize
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start()..self.end()
    }

    /// The same span in another file (facts read before the file had its id).
    pub fn in_file(self, file: FileId) -> Span {
        Span { file, ..self }
    }

    /// True when `other` lies within this span, in the same file.
    pub fn contains(self, other: Span) -> bool {
        self.file == other.file && self.start <= other.start && other.end <= self.end
    }

    /// The smallest span covering both `self` and `other` (same file).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

const fn offset(at: usize) -> u32 {
    if at > u32::MAX as usize {
        u32::MAX
    } else {
        at as u32
    }
}

/// A 1-based line and column (in Unicode scalar values) plus the 0-based byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// One file as meshlint read it.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as shown to users: relative to the working directory where possible, with `/`.
    pub display_path: String,
    /// Path on disk.
    pub path: PathBuf,
    /// The text. For a file that is not valid UTF-8 text this is the readable prefix only, so
    /// that a diagnostic at the first bad byte still has correct line and column numbers.
    pub text: String,
    /// Byte offsets where lines start, computed on first use: most files of a large tree
    /// never have a finding, and the index would cost time and 8 bytes a line for nothing.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(display_path: String, path: PathBuf, text: String) -> SourceFile {
        SourceFile {
            display_path,
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// Line and column of a byte offset; offsets past the end or inside a character are clamped.
    pub fn location(&self, offset: usize) -> Location {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line_index = match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts()[line_index];
        let column = self.text[line_start..offset].chars().count() + 1;
        Location {
            line: line_index + 1,
            column,
            offset,
        }
    }

    /// The text of a span (empty when the span does not fit this file).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    /// Number of lines (a trailing newline does not start a new line).
    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    /// The spaces and tabs that begin the line holding `offset`.
    pub fn indentation_at(&self, offset: usize) -> &str {
        let line = self.location(offset).line;
        let start = self.line_starts()[line - 1];
        let rest = &self.text[start..];
        &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()]
    }

    /// Byte offset where the line after the one holding `offset` starts (the text's length
    /// when that line is the last).
    pub fn next_line_start(&self, offset: usize) -> usize {
        let line = self.location(offset).line;
        self.line_starts().get(line).copied().unwrap_or(self.text.len())
    }

    /// Byte offset where a 1-based line starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts().get(line.checked_sub(1)?).copied()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Every file of one run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn slice(&self, span: Span) -> &str {
        self.get(span.file).slice(span)
    }

    /// The span of `range` (offsets into `text`) when `span` holds exactly `text` as written,
    /// so that positions inside a literal can be pointed at; `None` when escapes or
    /// interpolation make the written form differ.
    pub fn subspan(&self, span: Span, text: &str, range: std::ops::Range<usize>) -> Option<Span> {
        (self.slice(span) == text && range.end <= text.len())
            .then(|| Span::new(span.file, span.start() + range.start, span.start() + range.end))
    }

    pub fn location(&self, file: FileId, offset: usize) -> Location {
        self.get(file).location(offset)
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// `path` made absolute against `base`, with `.` and `..` resolved by name (symbolic links
/// are not followed, as a user reading the path would not).
pub fn absolute(base: &Path, path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Path as users see it: relative to `base` when below it, with `/` separators.
pub fn display_path(path: &Path, base: &Path) -> String {
    let shown = path.strip_prefix(base).unwrap_or(path);
    let shown = shown.strip_prefix(".").unwrap_or(shown);
    // Joined with `/` on every platform, so that output is the same everywhere; the root of
    // an absolute path outside `base` is its own separator (`/tmp/x`, not `//tmp/x`).
    let mut text = String::new();
    for component in shown.components() {
        if !text.is_empty() && !text.ends_with('/') {
            text.push('/');
        }
        match component {
            std::path::Component::RootDir => text.push('/'),
            other => text.push_str(&other.as_os_str().to_string_lossy()),
        }
    }
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

/// A span's start and end: lines and columns 1-based (columns in characters), offsets in
/// bytes. The model document (`export`) writes spans the same way.
#[derive(serde::Serialize)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

#[derive(serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// The [`Range`] of a span, as `--format json` and the model document write it.
pub fn range(sources: &SourceMap, span: Span) -> Range {
    let file = sources.get(span.file);
    let position = |offset| {
        let l = file.location(offset);
        Position {
            line: l.line,
            column: l.column,
            offset: l.offset,
        }
    };
    Range {
        start: position(span.start()),
        end: position(span.end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_resolves_dots_by_name() {
        let base = Path::new("/w/a");
        assert_eq!(
            absolute(base, Path::new("../x/./m.tf")),
            PathBuf::from("/w/x/m.tf")
        );
        assert_eq!(absolute(base, Path::new(".")), PathBuf::from("/w/a"));
        assert_eq!(absolute(base, Path::new("/abs/./y")), PathBuf::from("/abs/y"));
    }

    fn file(text: &str) -> SourceFile {
        SourceFile::new("f.tf".into(), "f.tf".into(), text.into())
    }

    #[test]
    fn spans_keep_every_offset_of_a_readable_file_and_clamp_the_rest() {
        let last = MAX_TEXT_LEN;
        let span = Span::new(FileId(3), 7, last);
        assert_eq!((span.file, span.start(), span.end()), (FileId(3), 7, last));
        assert_eq!(span.range(), 7..last);
        // Only an offset no read file can have is clamped, never wrapped around.
        assert_eq!(Span::new(FileId(0), last + 1, usize::MAX).range(), last..last);
        assert_eq!(span.in_file(FileId(4)).file, FileId(4));
        assert_eq!(std::mem::size_of::<Span>(), 12);
    }

    #[test]
    fn display_paths_are_relative_to_base_or_absolute_with_one_slash() {
        let base = Path::new("/work/repo");
        assert_eq!(
            display_path(Path::new("/work/repo/infra/main.tf"), base),
            "infra/main.tf"
        );
        assert_eq!(display_path(Path::new("./infra/main.tf"), base), "infra/main.tf");
        assert_eq!(
            display_path(Path::new("/tmp/stack/main.tf"), base),
            "/tmp/stack/main.tf"
        );
        assert_eq!(display_path(Path::new("/work/repo"), base), ".");
    }

    #[test]
    fn location_counts_lines_and_unicode_columns() {
        let f = file("ab\nçé = 1\n");
        assert_eq!(
            f.location(0),
            Location {
                line: 1,
                column: 1,
                offset: 0
            }
        );
        assert_eq!(f.location(3).line, 2);
        // "çé" is 4 bytes but 2 columns
        assert_eq!(
            f.location(7),
            Location {
                line: 2,
                column: 3,
                offset: 7
            }
        );
    }

    #[test]
    fn indentation_and_next_line_start() {
        let f = file("a {\n  \tb = 1 # c\n}");
        assert_eq!(f.indentation_at(9), "  \t");
        assert_eq!(f.next_line_start(9), 17);
        assert_eq!(f.indentation_at(0), "");
        assert_eq!(f.next_line_start(17), 18);
    }

    #[test]
    fn location_clamps_offsets_past_the_end_and_inside_characters() {
        let f = file("é");
        assert_eq!(f.location(1).offset, 0);
        assert_eq!(f.location(99).offset, 2);
    }

    #[test]
    fn display_path_is_relative_with_forward_slashes() {
        let base = Path::new("/w");
        assert_eq!(display_path(Path::new("/w/a/b.tf"), base), "a/b.tf");
        assert_eq!(
            display_path(Path::new("./a/b.tf"), Path::new("/elsewhere")),
            "a/b.tf"
        );
    }
}
