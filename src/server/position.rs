//! Positions as the protocol counts them: 0-based lines, and characters in the unit the
//! client and server agreed on (UTF-16 code units unless the client offers UTF-8). meshlint's
//! spans are byte offsets.

use lsp_types::{Position, PositionEncodingKind, Range};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion at all), else the protocol's default.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// The byte offsets where the lines of a text start: `\n` ends a line (a `\r` before it
/// belongs to the line's end).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// The position of a byte offset (clamped to the text and to a character boundary).
    pub fn position(&self, offset: usize, encoding: Encoding) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|start| *start <= offset) - 1;
        let start = self.starts[line];
        let character = self.text[start..offset]
            .chars()
            .map(|c| encoding.width(c))
            .sum::<usize>();
        Position::new(to_u32(line), to_u32(character))
    }

    pub fn range(&self, start: usize, end: usize, encoding: Encoding) -> Range {
        Range::new(self.position(start, encoding), self.position(end, encoding))
    }

    /// The byte offset of a position. A character past the end of its line means the line's
    /// end, and a line past the last means the end of the text, as the protocol asks; a
    /// position inside a character (half a surrogate pair) means the character's start.
    pub fn offset(&self, position: Position, encoding: Encoding) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let line = &self.text[start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let wanted = position.character as usize;
        let mut counted = 0;
        for (at, c) in line.char_indices() {
            let next = counted + encoding.width(c);
            if next > wanted {
                return start + at;
            }
            counted = next;
        }
        start + line.len()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_a_non_bmp_character_as_two_units() {
        let text = "a = \"😀\" # x\nport = \"8080\"\n";
        let index = LineIndex::new(text);
        let hash = text.find('#').unwrap();
        assert_eq!(index.position(hash, Encoding::Utf16), Position::new(0, 9));
        assert_eq!(index.position(hash, Encoding::Utf8), Position::new(0, 11));
        let port = text.find("\"8080").unwrap();
        assert_eq!(index.position(port, Encoding::Utf16), Position::new(1, 7));
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for offset in [0, hash, port, text.len()] {
                assert_eq!(index.offset(index.position(offset, encoding), encoding), offset);
            }
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(index.offset(Position::new(7, 0), Encoding::Utf16), text.len());
        // Half of a surrogate pair is the character's start.
        let index = LineIndex::new("😀x");
        assert_eq!(index.offset(Position::new(0, 1), Encoding::Utf16), 0);
        assert_eq!(index.position(2, Encoding::Utf16), Position::new(0, 0));
    }
}
