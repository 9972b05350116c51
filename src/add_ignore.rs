//! `--add-ignore "reason"`: a `meshlint-ignore: rule -- reason` comment above every standing
//! finding, in each file's comment syntax, so that a repository can adopt meshlint at once
//! and fix its findings later (ruff's `--add-noqa`).
//!
//! The comments are checked the way fixes are: the edited files are checked again in memory,
//! and a file is changed only when it still parses and every finding meant to be silenced in
//! it is silenced — a comment line inside a heredoc or a multi-line string would be text, not
//! a comment, and would change what the file means.

use crate::discover::comment_marker;
use crate::engine::{check, Options, Report, RunError};
use crate::fix::Change;
use crate::source::FileId;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

pub struct IgnoreRun {
    pub changes: Vec<Change>,
    /// Comments written.
    pub added: usize,
    /// Findings left as they are, with why.
    pub skipped: Vec<String>,
}

/// Computes the comments in memory; writes nothing.
pub fn add_ignores(options: &Options, reason: &str) -> Result<IgnoreRun, RunError> {
    let reason = reason.trim();
    let report = check(options)?;
    let mut skipped = Vec::new();
    // The rules to silence on each line of each file.
    let mut wanted: BTreeMap<FileId, BTreeMap<usize, BTreeSet<String>>> = BTreeMap::new();
    for d in &report.diagnostics {
        let source = report.project.sources.get(d.span.file);
        if comment_marker(&source.path).is_none() {
            skipped.push(format!(
                "{}: {} — the file has no comments",
                source.display_path,
                d.rule.name()
            ));
            continue;
        }
        let line = source.location(d.span.start()).line;
        wanted
            .entry(d.span.file)
            .or_default()
            .entry(line)
            .or_default()
            .insert(d.rule.name().to_string());
    }
    let mut proposed: BTreeMap<FileId, (String, usize)> = BTreeMap::new();
    for (file, lines) in &wanted {
        let source = report.project.sources.get(*file);
        let marker = comment_marker(&source.path).unwrap_or("#");
        let mut text = source.text.clone();
        let mut markers = Vec::new();
        // From the last line up, so that earlier offsets stay valid.
        for (line, rules) in lines.iter().rev() {
            let Some(start) = source.line_start(*line) else {
                continue;
            };
            let indentation = source.indentation_at(start);
            let rules: Vec<&str> = rules.iter().map(String::as_str).collect();
            let comment = format!(
                "{indentation}{marker} meshlint-ignore: {} -- {reason}\n",
                rules.join(", ")
            );
            text.insert_str(start, &comment);
            // Where this marker ends up once the lines above it get theirs.
            let above = lines.range(..*line).count();
            markers.push((start, indentation.len(), above));
        }
        if let Some(why) = not_comments(source, &text, marker, &markers, reason, lines) {
            skipped.push(format!("{}: left as it is — {why}", source.display_path));
            continue;
        }
        proposed.insert(*file, (text, lines.len()));
    }
    let accepted = verify(options, &report, &proposed, &wanted, &mut skipped)?;
    let mut changes = Vec::new();
    let mut added = 0;
    for (file, (text, comments)) in proposed {
        if !accepted.contains(&file) {
            continue;
        }
        let source = report.project.sources.get(file);
        changes.push(Change {
            path: source.path.clone(),
            display_path: source.display_path.clone(),
            before: source.text.clone(),
            after: text,
        });
        added += comments;
    }
    Ok(IgnoreRun {
        changes,
        added,
        skipped,
    })
}

/// Why the inserted lines would not all be comments, if so: a line continued with `\` above
/// (a shell command, a Dockerfile instruction, a properties value), or a grammar that reads
/// the line as part of a string.
fn not_comments(
    source: &crate::source::SourceFile,
    text: &str,
    marker: &str,
    markers: &[(usize, usize, usize)],
    reason: &str,
    lines: &BTreeMap<usize, BTreeSet<String>>,
) -> Option<String> {
    let kind = crate::parse::app::classify(&source.path);
    for &(start, indentation, above) in markers {
        let before = source.text[..start].trim_end_matches(['\n', '\r']);
        if before.ends_with('\\') {
            return Some("a comment line would fall inside a line continued with `\\`".to_string());
        }
        let Some(kind) = kind else {
            continue;
        };
        // The inserted lines above this one shift it by their lengths.
        let shift: usize = lines
            .iter()
            .take(above)
            .map(|(line, rules)| {
                let start = source.line_start(*line).unwrap_or(0);
                let rules: Vec<&str> = rules.iter().map(String::as_str).collect();
                source.indentation_at(start).len()
                    + format!("{marker} meshlint-ignore: {} -- {reason}\n", rules.join(", ")).len()
            })
            .sum();
        if crate::parse::app::comment_at(kind, text, start + shift + indentation) == Some(false) {
            return Some("a comment there would be part of a string, not a comment".to_string());
        }
    }
    None
}

/// The files whose comments silence what they were written for, with nothing newly broken.
fn verify(
    options: &Options,
    before: &Report,
    proposed: &BTreeMap<FileId, (String, usize)>,
    wanted: &BTreeMap<FileId, BTreeMap<usize, BTreeSet<String>>>,
    skipped: &mut Vec<String>,
) -> Result<BTreeSet<FileId>, RunError> {
    let sources = &before.project.sources;
    let mut overlay = options.overlay.clone();
    let mut by_path: BTreeMap<PathBuf, FileId> = BTreeMap::new();
    for (file, (text, _)) in proposed {
        let path = sources.get(*file).path.clone();
        overlay.insert(path.clone(), text.clone());
        by_path.insert(path, *file);
    }
    let after = check(&Options {
        overlay,
        ..options.clone()
    })?;
    let mut accepted: BTreeSet<FileId> = proposed.keys().copied().collect();
    for d in &after.diagnostics {
        let path = &after.project.sources.get(d.span.file).path;
        let Some(file) = by_path.get(path) else {
            continue;
        };
        // A finding still standing in an edited file, or a new syntax error: its comments
        // did not work as comments.
        let meant = wanted[file].values().any(|rules| rules.contains(d.rule.name()));
        if (meant || d.rule == crate::catalog::RuleId::SyntaxError) && accepted.remove(file) {
            skipped.push(format!(
                "{}: left as it is — a comment there would not silence `{}` (inside a string or heredoc?)",
                sources.get(*file).display_path,
                d.rule.name()
            ));
        }
    }
    Ok(accepted)
}
