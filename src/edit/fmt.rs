//! How `terraform fmt` lays out lines, so that fixed text stays as it would leave it.
//!
//! `terraform fmt` (hclwrite) cuts a file into lines of tokens (a heredoc or a block comment
//! that spans newlines stays in one line), indents each line by two spaces per level of
//! brackets opened on the lines above, and splits a line into up to three cells: the lead,
//! an "assign" cell from the first `=` (when the value closes every bracket it opens) and a
//! trailing line comment. Consecutive lines with an assign cell line up their `=`; consecutive
//! lines with a comment cell line up their comments. [`settle`] redoes exactly that where
//! edits disturbed it, and nowhere else.

use std::ops::Range;

/// One replacement as it was applied: its range in the old text and its text in the new.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub before: Range<usize>,
    pub after: Range<usize>,
}

/// Re-indents and re-aligns the lines of `after` (`before` with the `applied` replacements)
/// whose layout the replacements changed, as `terraform fmt` would: lines whose bracket depth
/// changed move by two spaces a level; an alignment group (consecutive `key = value` lines, or
/// consecutive trailing comments) is lined up again when the replacements touched it and every
/// line of it that was there before was lined up as fmt wants. Text the user never formatted,
/// and every line outside the touched groups, keeps its bytes. Only whitespace changes.
pub fn settle(before: &str, after: &str, applied: &[Applied]) -> String {
    let old = Layout::scan(before);
    let mut applied: Vec<&Applied> = applied.iter().collect();
    applied.sort_by_key(|a| (a.after.start, a.after.end));
    let new = Layout::scan(after);
    // The physical line of `before` each line of `after` continues, when it starts with the
    // same, unedited bytes.
    let origin: Vec<Option<usize>> = new
        .physical
        .iter()
        .map(|&start| {
            let at = to_before(start, &applied)?;
            old.physical.binary_search(&at).ok()
        })
        .collect();
    let old_lines = old.by_first_physical();
    let was = |line: &Line| -> Option<&Line> {
        let first = origin.get(line.first).copied().flatten()?;
        old_lines.get(&first).map(|&i| &old.lines[i])
    };

    let text = reindent(after, &new, &was);
    let layout = Layout::scan(&text);
    let text = align(&text, &layout, Cells::Assign, &was);
    let layout = Layout::scan(&text);
    align(&text, &layout, Cells::Comment, &was)
}

/// Where `offset` of the new text was in the old one; `None` inside replaced text.
fn to_before(offset: usize, applied: &[&Applied]) -> Option<usize> {
    let mut shift = 0isize;
    for a in applied {
        if offset < a.after.start {
            break;
        }
        if offset < a.after.end {
            return None;
        }
        shift = a.before.end as isize - a.after.end as isize;
    }
    usize::try_from(offset as isize + shift).ok()
}

/// Moves lines whose bracket depth the edits changed by two spaces a level.
fn reindent<'a>(text: &str, layout: &Layout, was: &dyn Fn(&Line) -> Option<&'a Line>) -> String {
    let mut edits = Vec::new();
    for line in &layout.lines {
        let (Some(code), Some(old)) = (line.code, was(line)) else {
            continue;
        };
        if old.code.is_none() || old.depth == line.depth {
            continue;
        }
        let indent = &text[line.start..code];
        if indent.contains(|c| c != ' ') {
            continue;
        }
        let width = (indent.len() as isize + 2 * (line.depth as isize - old.depth as isize)).max(0);
        edits.push((line.start..code, " ".repeat(width as usize)));
    }
    replace(text, edits)
}

#[derive(Clone, Copy)]
enum Cells {
    Assign,
    Comment,
}

impl Cells {
    fn of(self, line: &Line) -> Option<&Cell> {
        match self {
            Cells::Assign => line.assign.as_ref(),
            Cells::Comment => line.comment.as_ref(),
        }
    }

    fn of_mut(self, line: &mut Line) -> Option<&mut Cell> {
        match self {
            Cells::Assign => line.assign.as_mut(),
            Cells::Comment => line.comment.as_mut(),
        }
    }
}

/// Lines up the cells of every group that is not lined up when each of its lines that existed
/// before (`was` finds it) had its cell lined up then, or had no such cell.
fn align<'a>(text: &str, layout: &Layout, cells: Cells, was: &dyn Fn(&Line) -> Option<&'a Line>) -> String {
    let mut edits = Vec::new();
    for group in groups_of(&layout.lines, |line| cells.of(line).is_some()) {
        let members: Vec<(usize, &Cell)> = group
            .iter()
            .filter_map(|&i| Some((i, cells.of(&layout.lines[i])?)))
            .collect();
        if members.iter().all(|(_, c)| c.aligned) || members.iter().any(|(_, c)| !c.plain) {
            continue;
        }
        let formatted_before = members.iter().all(|&(i, _)| {
            was(&layout.lines[i]).is_none_or(|old| cells.of(old).is_none_or(|cell| cell.aligned))
        });
        if !formatted_before {
            continue;
        }
        let target = members.iter().map(|(_, c)| c.width).max().unwrap_or(0) + 1;
        for (_, c) in members {
            if !c.aligned {
                edits.push((c.gap.clone(), " ".repeat(target - c.width)));
            }
        }
    }
    replace(text, edits)
}

fn replace(text: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = text.to_string();
    for (range, replacement) in edits {
        out.replace_range(range, &replacement);
    }
    out
}

/// The whitespace before an assign or comment cell.
#[derive(Debug, Clone)]
struct Cell {
    /// The spaces between the cell and what precedes it.
    gap: Range<usize>,
    /// Columns before the gap: what fmt lines up.
    width: usize,
    /// Whether that is a plain run of characters on one physical line without tabs, so that
    /// the width is fmt's; groups with other lines are left alone.
    plain: bool,
    /// Whether the cell sits where fmt puts it in its group (one space past the widest).
    aligned: bool,
}

/// A line as `terraform fmt` sees it.
#[derive(Debug, Clone)]
struct Line {
    /// Its first physical line.
    first: usize,
    start: usize,
    /// Its first token; `None` for a blank line.
    code: Option<usize>,
    /// The indentation level fmt gives it.
    depth: usize,
    assign: Option<Cell>,
    comment: Option<Cell>,
}

struct Layout {
    /// The start of each physical line.
    physical: Vec<usize>,
    lines: Vec<Line>,
}

impl Layout {
    fn scan(text: &str) -> Layout {
        let mut physical = vec![0];
        physical.extend(
            text.match_indices('\n')
                .map(|(i, _)| i + 1)
                .filter(|&i| i < text.len()),
        );
        let raw = Scanner::new(text).lines();
        let levels = indent_levels(&raw);
        let cell = |line: &RawLine, (before, at): (usize, usize)| {
            let line_start = text[..before].rfind('\n').map_or(0, |p| p + 1);
            let ahead = &text[line_start..before];
            Cell {
                gap: before..at,
                width: ahead.chars().count(),
                plain: !ahead.contains('\t') && !text[line.start..at].contains('\n'),
                aligned: false,
            }
        };
        let mut lines: Vec<Line> = raw
            .iter()
            .zip(levels)
            .map(|(line, depth)| Line {
                first: physical.partition_point(|&s| s <= line.start) - 1,
                start: line.start,
                code: line.first_token,
                depth,
                assign: line.assign.map(|c| cell(line, c)),
                comment: line.comment.map(|c| cell(line, c)),
            })
            .collect();
        for cells in [Cells::Assign, Cells::Comment] {
            for group in groups_of(&lines, |line| cells.of(line).is_some()) {
                let widest = group
                    .iter()
                    .filter_map(|&i| cells.of(&lines[i]))
                    .map(|c| c.width)
                    .max();
                for i in group {
                    let (Some(cell), Some(widest)) = (cells.of_mut(&mut lines[i]), widest) else {
                        continue;
                    };
                    cell.aligned = cell.gap.len() == widest + 1 - cell.width
                        && text[cell.gap.clone()].bytes().all(|b| b == b' ');
                }
            }
        }
        Layout { physical, lines }
    }

    fn by_first_physical(&self) -> std::collections::HashMap<usize, usize> {
        self.lines.iter().enumerate().map(|(i, l)| (l.first, i)).collect()
    }
}

/// Runs of consecutive lines that have the cell.
fn groups_of(lines: &[Line], has_cell: impl Fn(&Line) -> bool) -> Vec<Vec<usize>> {
    let mut groups = Vec::new();
    let mut current = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if has_cell(line) {
            current.push(i);
        } else if !current.is_empty() {
            groups.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

/// hclwrite's `formatIndent`: a line that opens more brackets than it closes indents the
/// lines after it by one level, however many it opened; closing them pops that level.
fn indent_levels(lines: &[RawLine]) -> Vec<usize> {
    let mut stack: Vec<i32> = Vec::new();
    lines
        .iter()
        .map(|line| {
            if line.first_token.is_none() {
                return stack.len();
            }
            let net = line.indent_brackets();
            if net > 0 {
                let level = stack.len();
                stack.push(net);
                return level;
            }
            let mut closed = -net;
            while closed > 0 {
                let Some(top) = stack.last_mut() else { break };
                if closed >= *top {
                    closed -= *top;
                    stack.pop();
                } else {
                    *top -= closed;
                    closed = 0;
                }
            }
            stack.len()
        })
        .collect()
}

/// A line's tokens as far as layout needs them.
#[derive(Debug, Default)]
struct RawLine {
    start: usize,
    first_token: Option<usize>,
    tokens: usize,
    /// The end of the last token seen so far.
    last_end: usize,
    /// The first `=` that is not the line's first token: (end of the token before, offset).
    equals: Option<(usize, usize)>,
    /// Brackets opened minus closed on the line, and from its first `=` on.
    brackets: i32,
    brackets_from_equals: i32,
    /// Brackets before the line's first heredoc, and where that heredoc starts.
    heredoc: Option<(i32, usize)>,
    /// The assign cell: (end of the lead, the `=`).
    assign: Option<(usize, usize)>,
    /// A trailing line comment after other tokens: (end of the token before, the comment).
    comment: Option<(usize, usize)>,
}

impl RawLine {
    /// What `formatIndent` counts: the lead up to a heredoc opener, and the assign cell.
    fn indent_brackets(&self) -> i32 {
        match (self.heredoc, self.assign) {
            (Some((before, at)), assign) if assign.is_none_or(|(_, eq)| at < eq) => before,
            _ => self.brackets,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Expressions and bodies; `interpolation` counts the braces open inside `${ }`.
    Code { interpolation: Option<usize> },
    /// Inside a quoted string.
    Quoted,
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    modes: Vec<Mode>,
    lines: Vec<RawLine>,
    line: RawLine,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Scanner<'t> {
        Scanner {
            text,
            bytes: text.as_bytes(),
            at: 0,
            modes: vec![Mode::Code { interpolation: None }],
            lines: Vec::new(),
            line: RawLine::default(),
        }
    }

    fn lines(mut self) -> Vec<RawLine> {
        while self.at < self.bytes.len() {
            match *self.modes.last().unwrap_or(&Mode::Code { interpolation: None }) {
                Mode::Quoted => self.quoted(),
                Mode::Code { interpolation } => self.code(interpolation),
            }
        }
        if self.line.tokens > 0 || self.line.start < self.bytes.len() {
            self.finish_line(self.bytes.len());
        }
        self.lines
    }

    fn peek(&self, ahead: usize) -> u8 {
        self.bytes.get(self.at + ahead).copied().unwrap_or(0)
    }

    /// A token from `start` to `end` with the given bracket change.
    fn token(&mut self, start: usize, end: usize, brackets: i32) {
        if self.line.tokens == 0 {
            self.line.first_token = Some(start);
        }
        self.line.tokens += 1;
        self.line.last_end = end;
        self.line.brackets += brackets;
        if self.line.equals.is_some() {
            self.line.brackets_from_equals += brackets;
        }
        self.at = end;
    }

    fn finish_line(&mut self, next_start: usize) {
        let mut line = std::mem::take(&mut self.line);
        if let Some(equals) = line.equals {
            if line.brackets_from_equals == 0 {
                line.assign = Some(equals);
            }
        }
        self.lines.push(line);
        self.line.start = next_start;
        self.line.last_end = next_start;
    }

    fn code(&mut self, interpolation: Option<usize>) {
        let start = self.at;
        let b = self.bytes[start];
        match b {
            b' ' | b'\t' | b'\r' => self.at += 1,
            b'\n' => {
                self.at += 1;
                self.finish_line(self.at);
            }
            b'#' => self.line_comment(start),
            b'/' if self.peek(1) == b'/' => self.line_comment(start),
            b'/' if self.peek(1) == b'*' => {
                let end = self.text[start + 2..]
                    .find("*/")
                    .map_or(self.bytes.len(), |p| start + 2 + p + 2);
                self.token(start, end, 0);
            }
            b'"' => {
                self.token(start, start + 1, 0);
                self.modes.push(Mode::Quoted);
            }
            b'<' if self.peek(1) == b'<' && self.heredoc(start) => {}
            b'(' | b'[' => self.token(start, start + 1, 1),
            b')' | b']' => self.token(start, start + 1, -1),
            b'{' => {
                if let Some(depth) = interpolation {
                    self.set_interpolation(depth + 1);
                }
                self.token(start, start + 1, 1);
            }
            b'}' => {
                match interpolation {
                    Some(0) => {
                        self.modes.pop();
                    }
                    Some(depth) => self.set_interpolation(depth - 1),
                    None => {}
                }
                self.token(start, start + 1, -1);
            }
            b'=' if matches!(self.peek(1), b'=' | b'>') => self.token(start, start + 2, 0),
            b'!' | b'<' | b'>' if self.peek(1) == b'=' => self.token(start, start + 2, 0),
            b'=' => {
                if self.line.equals.is_none() && self.line.tokens > 0 {
                    self.line.equals = Some((self.line.last_end, start));
                }
                self.token(start, start + 1, 0);
            }
            _ if is_word(b) => {
                let len = self.bytes[start..].iter().take_while(|&&c| is_word(c)).count();
                self.token(start, start + len, 0);
            }
            _ => {
                let len = self.text[start..].chars().next().map_or(1, char::len_utf8);
                self.token(start, start + len, 0);
            }
        }
    }

    fn set_interpolation(&mut self, depth: usize) {
        if let Some(Mode::Code { interpolation }) = self.modes.last_mut() {
            *interpolation = Some(depth);
        }
    }

    /// `#` and `//` comments run to the end of the line, newline included, and end it.
    fn line_comment(&mut self, start: usize) {
        let end = self.text[start..]
            .find('\n')
            .map_or(self.bytes.len(), |p| start + p + 1);
        if self.line.tokens > 0 {
            self.line.comment = Some((self.line.last_end, start));
        }
        self.token(start, end, 0);
        self.finish_line(end);
    }

    /// A heredoc (`<<EOT` or `<<-EOT`, a newline, lines, the marker alone on a line) is one
    /// token; false when `<<` does not start one.
    fn heredoc(&mut self, start: usize) -> bool {
        let after = &self.text[start + 2..];
        let after = after.strip_prefix('-').unwrap_or(after);
        let marker_len = after.bytes().take_while(|&c| is_word(c)).count();
        let marker = &after[..marker_len];
        let rest = &after[marker_len..];
        if marker.is_empty() || !(rest.starts_with('\n') || rest.starts_with("\r\n")) {
            return false;
        }
        let mut at = self.text.len() - rest.len() + rest.find('\n').map_or(0, |p| p + 1);
        let end = loop {
            if at >= self.text.len() {
                break self.text.len();
            }
            let line_end = self.text[at..].find('\n').map_or(self.text.len(), |p| at + p);
            if self.text[at..line_end].trim() == marker {
                let content = &self.text[at..line_end];
                break at + content.len() - content.trim_start().len() + content.trim().len();
            }
            at = line_end + 1;
        };
        if self.line.heredoc.is_none() {
            self.line.heredoc = Some((self.line.brackets, start));
        }
        self.token(start, end, 0);
        true
    }

    fn quoted(&mut self) {
        let start = self.at;
        match self.bytes[start] {
            b'\\' => self.at += if self.peek(1) == b'\n' { 1 } else { 2 },
            b'"' => {
                self.modes.pop();
                self.token(start, start + 1, 0);
            }
            b'$' | b'%' if self.peek(1) == self.bytes[start] && self.peek(2) == b'{' => self.at += 3,
            b'$' | b'%' if self.peek(1) == b'{' => {
                self.modes.push(Mode::Code {
                    interpolation: Some(0),
                });
                self.token(start, start + 2, 1);
            }
            // A string cannot span lines: the newline ends it (the file does not parse).
            b'\n' => {
                self.modes.pop();
            }
            _ => self.at += 1,
        }
        self.at = self.at.min(self.bytes.len());
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80
}

#[cfg(test)]
#[path = "fmt_tests.rs"]
mod tests;
