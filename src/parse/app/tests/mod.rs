//! Reader tests: for each form, the address variant, the exact text at every span, the API
//! name, and for a missing host the code that inserting the suggested host produces.

use super::{extract, SourceKind};
use crate::parse::app::facts::{AppFacts, Listen, ListenAddress};
use crate::source::{FileId, Span};

mod command;
mod dockerfile;
mod go;
mod javascript;
mod python;
mod robustness;
mod rust_lang;
mod spring;

pub(super) const FILE: FileId = FileId(7);

pub(super) fn facts(kind: SourceKind, text: &str) -> AppFacts {
    let facts = extract(kind, FILE, text);
    for listen in &facts.listens {
        assert_eq!(listen.span.file, FILE);
        assert!(
            text.get(listen.span.start()..listen.span.end()).is_some(),
            "{listen:?}"
        );
    }
    facts
}

pub(super) fn at(text: &str, span: Span) -> &str {
    assert_eq!(span.file, FILE);
    &text[span.start()..span.end()]
}

/// The only listen in `text`.
pub(super) fn one_listen(kind: SourceKind, text: &str) -> Listen {
    let listens = facts(kind, text).listens;
    assert_eq!(
        listens.len(),
        1,
        "expected one listen in {text:?}, got {listens:#?}"
    );
    listens.into_iter().next().unwrap()
}

/// A `HostPort` whose span holds exactly `expected`.
pub(super) fn assert_host_port(text: &str, listen: &Listen, expected: &str) {
    match &listen.address {
        ListenAddress::HostPort { text: value, span } => {
            assert_eq!(value, expected);
            assert_eq!(at(text, *span), expected);
        }
        other => panic!("expected HostPort {expected:?}, got {other:?}"),
    }
}

/// A `Host` whose span holds exactly `expected`.
pub(super) fn assert_host(text: &str, listen: &Listen, expected: &str) {
    match &listen.address {
        ListenAddress::Host { text: value, span } => {
            assert_eq!(value, expected);
            assert_eq!(at(text, *span), expected);
        }
        other => panic!("expected Host {expected:?}, got {other:?}"),
    }
}

/// A `Default` whose insertion turns `text` into `fixed`.
pub(super) fn assert_default(text: &str, listen: &Listen, all_interfaces: bool, fixed: &str) {
    match &listen.address {
        ListenAddress::Default {
            all_interfaces: all,
            insert: Some((span, insert)),
        } => {
            assert_eq!(*all, all_interfaces, "all_interfaces");
            assert_eq!(span.start(), span.end(), "insertion span is zero-width");
            let mut edited = text.to_string();
            edited.insert_str(span.start(), insert);
            assert_eq!(edited, fixed);
        }
        other => panic!("expected Default with an insertion, got {other:?}"),
    }
}

pub(super) fn assert_unknown(listen: &Listen) {
    assert_eq!(listen.address, ListenAddress::Unknown, "{listen:?}");
}

/// The values of the URL-like strings in `text`, each checked against its span.
pub(super) fn strings(kind: SourceKind, text: &str) -> Vec<String> {
    facts(kind, text)
        .strings
        .iter()
        .map(|s| {
            assert_eq!(s.span.file, FILE);
            at(text, s.span).to_string()
        })
        .collect()
}

/// Every node kind and field the readers look up exists (a missing one is a debug assertion),
/// and the readers run.
#[test]
fn every_reader_runs_on_text_that_passes_its_pre_filter() {
    let text = "listen bind( .run( Listen Addr: Server{ runserver gunicorn address \"http://x\"\n";
    for kind in robustness::KINDS {
        let _ = extract(*kind, FILE, text);
    }
}
