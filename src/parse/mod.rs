//! Reading files into syntax trees. The only module that names parser crates.

pub mod app;
pub mod comments;
pub mod document;
mod hcl_edit;
mod json;
pub mod toml;
mod tree_sitter_hcl;

use crate::source::{FileId, Span};
use crate::syntax::{Body, Expr};

/// Brackets nested deeper than this are refused before parsing: no real configuration comes
/// close, and the parsers recurse once per level.
pub const MAX_NESTING: usize = 64;

/// One HCL expression written on its own (as in `terraform console`), spans from offset 0 of
/// `file`. `None` when the text is not one expression.
pub fn expression(file: FileId, text: &str) -> Option<Expr> {
    hcl_edit::expression(file, text, hcl_edit::Placement::At(0))
}

/// Whether `text` is a template Terraform reads (the text of a JSON string).
pub fn template_parses(text: &str) -> bool {
    hcl_edit::template(FileId(0), text, hcl_edit::Placement::At(0)).is_some()
}

/// A file that could not be read as intended.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

/// Decoded file text: all of it, or for binary / non-UTF-8 input the readable prefix and an
/// error at the first bad byte.
pub struct Decoded {
    pub text: String,
    pub error: Option<(usize, String)>,
}

pub fn decode(bytes: Vec<u8>) -> Decoded {
    if bytes.len() > crate::source::MAX_TEXT_LEN {
        return Decoded {
            text: String::new(),
            error: Some((
                0,
                "file is larger than 4 GiB, more than meshlint reads".to_string(),
            )),
        };
    }
    let valid_len = match std::str::from_utf8(&bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let nul = bytes[..valid_len].iter().position(|b| *b == 0);
    let (end, error) = match nul {
        Some(at) => (
            at,
            Some((
                at,
                "file contains a NUL byte; it looks binary, not text".to_string(),
            )),
        ),
        None if valid_len < bytes.len() => (
            valid_len,
            Some((
                valid_len,
                format!("file is not valid UTF-8 (byte 0x{:02x})", bytes[valid_len]),
            )),
        ),
        None => (bytes.len(), None),
    };
    let mut bytes = bytes;
    bytes.truncate(end);
    // The prefix was checked above, so this cannot fail; fall back to lossy just in case.
    let text =
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Decoded { text, error }
}

/// Parses Terraform native syntax. On a syntax error, returns what the error-tolerant parser
/// could recover together with the error.
pub fn terraform(file: FileId, text: &str) -> (Body, Option<SyntaxError>) {
    if let Some(offset) = too_deep(text) {
        let error = SyntaxError {
            span: Span::new(file, offset, offset + 1),
            message: format!("brackets nested more than {MAX_NESTING} levels deep"),
        };
        return (Body::default(), Some(error));
    }
    match hcl_edit::parse(file, text) {
        Ok(body) => (body, None),
        Err(failure) => {
            // hcl-edit may point inside a multi-byte character: start at its first byte.
            let mut offset = failure.offset.min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let end = text[offset..]
                .chars()
                .next()
                .map_or(offset, |c| offset + c.len_utf8());
            let error = SyntaxError {
                span: Span::new(file, offset, end),
                message: failure.message,
            };
            (tree_sitter_hcl::recover(file, text), Some(error))
        }
    }
}

/// Parses Terraform JSON syntax (`*.tf.json`), or a JSON variables file when `is_tfvars`.
/// A file that is not valid JSON yields an empty body and the error.
pub fn terraform_json(file: FileId, text: &str, is_tfvars: bool) -> (Body, Option<SyntaxError>) {
    if let Some(offset) = too_deep(text) {
        let error = SyntaxError {
            span: Span::new(file, offset, offset + 1),
            message: format!("brackets nested more than {MAX_NESTING} levels deep"),
        };
        return (Body::default(), Some(error));
    }
    json::parse(file, text, is_tfvars)
}

/// Offset of the first bracket that opens level `MAX_NESTING + 1`, if any.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests;
