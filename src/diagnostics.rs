//! Ordering, identity and counting of a run's diagnostics.

use crate::catalog::{Applicability, Severity};
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use std::cmp::Ordering;

/// The order of every output: file, position, rule, message.
pub fn compare(a: &Diagnostic, b: &Diagnostic, sources: &SourceMap) -> Ordering {
    fn key<'a>(d: &'a Diagnostic, sources: &'a SourceMap) -> (&'a str, usize, usize, &'a str) {
        (
            sources.get(d.span.file).display_path.as_str(),
            d.span.start(),
            d.span.end(),
            d.rule.code(),
        )
    }
    key(a, sources)
        .cmp(&key(b, sources))
        .then_with(|| a.message.cmp(&b.message))
}

/// Sorts items by their diagnostic (see [`compare`]) and drops exact duplicates.
pub fn sort_by<T>(items: &mut Vec<T>, diagnostic: impl Fn(&T) -> &Diagnostic, sources: &SourceMap) {
    items.sort_by(|a, b| compare(diagnostic(a), diagnostic(b), sources));
    items.dedup_by(|a, b| {
        let (a, b) = (diagnostic(a), diagnostic(b));
        a.rule == b.rule && a.span == b.span && a.message == b.message
    });
}

/// A stable identity for a finding that does not change when unrelated lines move: the rule,
/// the file, the text under the primary span and the message, plus an occurrence counter for
/// findings that share all of those.
pub fn fingerprints<'a>(
    diagnostics: impl IntoIterator<Item = &'a Diagnostic>,
    sources: &SourceMap,
) -> Vec<String> {
    let mut seen: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    diagnostics
        .into_iter()
        .map(|d| {
            let file = &sources.get(d.span.file).display_path;
            let text: String = sources
                .slice(d.span)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let base = fnv1a(&[d.rule.name(), file, &text, &d.message]);
            let count = seen.entry(base).or_insert(0);
            *count += 1;
            format!("{:016x}", fnv1a(&[&base.to_string(), &count.to_string()]))
        })
        .collect()
}

/// FNV-1a over the parts with a separator: stable across platforms and Rust releases.
pub fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings with a safe fix (`--fix` applies those).
    pub fixable: usize,
}

pub fn count(diagnostics: &[Diagnostic]) -> Counts {
    let mut counts = Counts::default();
    for d in diagnostics {
        match d.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Info => counts.infos += 1,
        }
        if d.fix
            .as_ref()
            .is_some_and(|f| f.applicability == Applicability::Safe)
        {
            counts.fixable += 1;
        }
    }
    counts
}
