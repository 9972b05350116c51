//! Characters as Terraform counts and cases them, for the characters meshlint is sure of.
//!
//! Terraform counts, cuts and reverses strings by grapheme cluster (`length("e\u0301")` is 1)
//! and cases them with Go's one-to-one Unicode mappings (`upper("ß")` stays `ß`). Rather than
//! carry a segmentation table of some other Unicode version, meshlint knows the scripts where
//! every character is a cluster of its own, and the case mappings that have not changed
//! between Unicode versions; other text gives unknown.

use super::{not_evaluated, Result};

/// Characters that never join a neighbour into one grapheme cluster (no combining marks,
/// joiners, variation selectors, Hangul jamo, regional indicators or prepended marks).
fn stands_alone(c: char) -> bool {
    matches!(c as u32,
        0x00..=0x7F
        | 0xA0..=0x2FF // Latin-1, Latin Extended-A and -B, IPA, spacing modifier letters
        | 0x370..=0x482 // Greek and Coptic, Cyrillic before its combining marks
        | 0x48A..=0x52F // the rest of Cyrillic and its supplement
        | 0x2010..=0x2027 // dashes, quotes, bullets
        | 0x2030..=0x205E
        | 0x20A0..=0x20C0 // currency signs
        | 0x2100..=0x214F // letterlike symbols
        | 0x3000..=0x3029 // CJK punctuation before its combining tone marks
        | 0x3041..=0x3096 // Hiragana
        | 0x30A1..=0x30FA // Katakana
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xAC00..=0xD7A3 // precomposed Hangul syllables
    )
}

/// The grapheme clusters of `s`, when every character is one except `\r\n` pairs.
pub(super) fn clusters(s: &str) -> Result<Vec<&str>> {
    if let Some(c) = s.chars().find(|&c| !stands_alone(c)) {
        return not_evaluated(format!(
            "the text has {:?} (U+{:04X}), whose grapheme clusters meshlint does not count",
            c, c as u32
        ));
    }
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let len = if rest.starts_with("\r\n") { 2 } else { c.len_utf8() };
        out.push(&rest[..len]);
        rest = &rest[len..];
    }
    Ok(out)
}

/// Case mappings outside this range are taken only where Unicode has none.
const STABLE_CASE: u32 = 0x52F;

fn has_case(c: char) -> bool {
    c.to_uppercase().ne(std::iter::once(c)) || c.to_lowercase().ne(std::iter::once(c))
}

fn unsure(c: char) -> Result<char> {
    not_evaluated(format!(
        "meshlint does not case {:?} (U+{:04X}) as Go does",
        c, c as u32
    ))
}

/// Go's `unicode.ToUpper`: the one-character mapping, or the character itself.
pub(super) fn upper(c: char) -> Result<char> {
    if c.is_ascii() {
        return Ok(c.to_ascii_uppercase());
    }
    if c as u32 > STABLE_CASE {
        return if has_case(c) { unsure(c) } else { Ok(c) };
    }
    let mut mapped = c.to_uppercase();
    match (mapped.next(), mapped.next()) {
        // A target outside the range may be a later Unicode addition Go lacks (ƛ → ꟝).
        (Some(one), None) if one as u32 <= STABLE_CASE => Ok(one),
        (Some(_), None) => unsure(c),
        // ß, ŉ, ǰ, ΐ, ΰ: upper-cased to several letters in full, by none one-to-one.
        _ => Ok(c),
    }
}

/// Go's `unicode.ToLower`.
pub(super) fn lower(c: char) -> Result<char> {
    if c.is_ascii() {
        return Ok(c.to_ascii_lowercase());
    }
    if c as u32 > STABLE_CASE {
        return if has_case(c) { unsure(c) } else { Ok(c) };
    }
    if c == '\u{130}' {
        // İ: `i̇` in full, `i` one-to-one.
        return Ok('i');
    }
    let mut mapped = c.to_lowercase();
    match (mapped.next(), mapped.next()) {
        (Some(one), None) if one as u32 <= STABLE_CASE => Ok(one),
        _ => unsure(c),
    }
}

/// Go's `unicode.ToTitle`: as upper, except for the digraphs that have a title form.
pub(super) fn title(c: char) -> Result<char> {
    Ok(match c as u32 {
        0x1C4..=0x1C6 => '\u{1C5}',
        0x1C7..=0x1C9 => '\u{1C8}',
        0x1CA..=0x1CC => '\u{1CB}',
        0x1F1..=0x1F3 => '\u{1F2}',
        _ => upper(c)?,
    })
}

/// Whether `title` starts a new word after `c`: ASCII letters, digits and `_` continue a word,
/// other ASCII separates; beyond ASCII only white space separates.
pub(super) fn separates_words(c: char) -> bool {
    if c.is_ascii() {
        !(c.is_ascii_alphanumeric() || c == '_')
    } else {
        c.is_whitespace()
    }
}
