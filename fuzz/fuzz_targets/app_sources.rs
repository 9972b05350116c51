//! Any text through every application-source reader: no panic, and every fact's span slices
//! the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshlint::parse::app::facts::ListenAddress;
use meshlint::parse::app::{extract, SourceKind};
use meshlint::source::FileId;

const KINDS: [SourceKind; 12] = [
    SourceKind::Go,
    SourceKind::Python,
    SourceKind::GunicornConfig,
    SourceKind::JavaScript,
    SourceKind::TypeScript,
    SourceKind::Tsx,
    SourceKind::Rust,
    SourceKind::Dockerfile,
    SourceKind::Shell,
    SourceKind::Procfile,
    SourceKind::JavaProperties,
    SourceKind::SpringYaml,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let facts = extract(KINDS[selector as usize % KINDS.len()], FileId(0), &text);
    let inside = |start: usize, end: usize| start <= end && text.get(start..end).is_some();
    for listen in &facts.listens {
        assert!(inside(listen.span.start, listen.span.end));
        if let ListenAddress::HostPort { span, .. } | ListenAddress::Host { span, .. } = &listen.address {
            assert!(inside(span.start, span.end));
        }
    }
    for string in &facts.strings {
        assert!(inside(string.span.start, string.span.end));
    }
});
