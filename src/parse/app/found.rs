//! What a reader has found so far in one file, kept as byte ranges and turned into
//! [`AppFacts`] with the file's spans at the end.

use crate::parse::app::facts::{AppFacts, Listen, ListenAddress, StringLiteral};
use crate::source::{FileId, Span};
use std::ops::Range;

pub(super) struct Found {
    file: FileId,
    facts: AppFacts,
}

impl Found {
    pub fn new(file: FileId) -> Found {
        Found {
            file,
            facts: AppFacts::default(),
        }
    }

    pub fn span(&self, range: Range<usize>) -> Span {
        Span::new(self.file, range.start, range.end)
    }

    /// A host and port written together; `range` is the literal's contents.
    pub fn host_port(&self, text: &str, range: Range<usize>) -> ListenAddress {
        ListenAddress::HostPort {
            text: text.to_string(),
            span: self.span(range),
        }
    }

    /// A host written alone; `range` is the literal's contents.
    pub fn host(&self, text: &str, range: Range<usize>) -> ListenAddress {
        ListenAddress::Host {
            text: text.to_string(),
            span: self.span(range),
        }
    }

    /// The host of an address that code completes with a port (`"0.0.0.0:" + port`,
    /// `f"[::]:{port}"`, `` `0.0.0.0:${port}` ``): `written` is the range of `source` holding
    /// the literal text before the port, which must end with the colon (or a format verb
    /// after it). `Unknown` when no host is written there, or when escapes would make the
    /// decoded host differ from the source.
    pub fn host_before_port(&self, source: &str, written: Range<usize>) -> ListenAddress {
        let raw = source.get(written.clone()).unwrap_or("");
        match super::literal::host_before_port(raw) {
            Some(host) if !raw.contains('\\') => {
                let range = written.start + host.start..written.start + host.end;
                self.host(&raw[host], range)
            }
            _ => ListenAddress::Unknown,
        }
    }

    /// No host given. `insert_at` is where `insert` adds `127.0.0.1` in the file's language.
    pub fn no_host(&self, all_interfaces: bool, insert_at: usize, insert: &str) -> ListenAddress {
        ListenAddress::Default {
            all_interfaces,
            insert: Some((self.span(insert_at..insert_at), insert.to_string())),
        }
    }

    pub fn listen(&mut self, whole: Range<usize>, api: impl Into<String>, address: ListenAddress) {
        let span = self.span(whole);
        self.facts.listens.push(Listen {
            span,
            api: api.into(),
            address,
        });
    }

    /// Keeps a string literal when it could hold a URL or a Consul name.
    pub fn string(&mut self, contents: Range<usize>, value: String) {
        if super::literal::is_interesting(&value) {
            let span = self.span(contents);
            self.facts.strings.push(StringLiteral {
                value,
                span,
                env_fallback: None,
            });
        }
    }

    /// Keeps a string literal of a syntax tree like [`Found::string`], with the environment
    /// variable it is the fallback of, if any (`os.getenv("X", "<literal>")`).
    pub fn tree_string(
        &mut self,
        contents: Range<usize>,
        value: String,
        node: tree_sitter::Node,
        text: &str,
    ) {
        if super::literal::is_interesting(&value) {
            let span = self.span(contents);
            self.facts.strings.push(StringLiteral {
                value,
                span,
                env_fallback: super::env_fallback::fallback_variable(node, text),
            });
        }
    }

    /// The facts in source order, each reported once.
    pub fn finish(mut self) -> AppFacts {
        self.facts.listens.sort_by_key(|l| (l.span.start(), l.span.end()));
        self.facts.listens.dedup();
        self.facts.strings.sort_by_key(|s| (s.span.start(), s.span.end()));
        self.facts.strings.dedup();
        self.facts
    }
}

/// Line starts that mark a comment in the C family (Go, JavaScript, Rust).
pub(super) const C_COMMENTS: &[&str] = &["//", "/*", "*"];
/// Line starts that mark a comment in Python, shells, Dockerfiles and YAML.
pub(super) const HASH_COMMENTS: &[&str] = &["#"];

/// The cheap test every reader runs first, before any parse: could the text hold a listen
/// (it mentions one of `needles`) or a URL-like string (`://`, `.consul` or `port=` on a
/// line that is not a comment line)? Most `://` in source trees sit in comments linking to docs; a
/// string line that merely starts like a comment (inside a multi-line literal) is the price.
pub(super) fn worth_reading(text: &str, needles: &[&str], comment_markers: &[&str]) -> bool {
    mentions_any(text, needles) || mentions_url(text, comment_markers)
}

fn mentions_url(text: &str, comment_markers: &[&str]) -> bool {
    // `port=` for connection strings that name their port by keyword.
    ["://", ".consul", "port=", "Port=", "PORT="]
        .iter()
        .any(|marker| {
            text.match_indices(marker).any(|(at, _)| {
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let before = text[line_start..at].trim_start();
                !comment_markers.iter().any(|m| before.starts_with(m))
            })
        })
}

/// Does the text mention any of `needles`?
pub(super) fn mentions_any(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|needle| text.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_in_comment_lines_alone_are_not_worth_reading() {
        let text = "// see https://example.com\n  * https://x\nfn main() {}\n";
        assert!(!worth_reading(text, &["listen"], C_COMMENTS));
        assert!(worth_reading("let u = \"http://x\";\n", &["listen"], C_COMMENTS));
        assert!(worth_reading(
            "// a\nx = \"billing.service.consul\"",
            &[],
            C_COMMENTS
        ));
        assert!(!worth_reading("# http://x\n", &[], HASH_COMMENTS));
        assert!(worth_reading("server.listen(80)", &["listen"], C_COMMENTS));
    }
}
