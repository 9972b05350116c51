//! Applying fixes: minimal byte edits, never overlapping, re-parsed, iterated to a fixpoint
//! in memory, and written once per file, atomically.

use crate::catalog::{Applicability, RuleId};
use crate::diagnostic::Edit;
use crate::discover::FileKind;
use crate::edit::fmt::{settle, Applied};
use crate::engine::{check, Options, Report, RunError};
use crate::parse;
use crate::source::{FileId, SourceMap};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Fixes can enable other fixes (a later rule's edit waiting for an overlapping one): a few
/// passes reach the fixpoint; a cap keeps a fix that undoes another from looping.
const MAX_PASSES: usize = 4;

/// One file's text before and after fixing.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub path: PathBuf,
    pub display_path: String,
    pub before: String,
    pub after: String,
}

pub struct FixRun {
    /// The findings that remain after the fixes.
    pub report: Report,
    pub changes: Vec<Change>,
    /// How many fixes were applied.
    pub fixed: usize,
    /// Fixes that were refused, with why (they would have broken a file).
    pub refused: Vec<String>,
}

/// Computes every applicable fix in memory; writes nothing.
pub fn fix(options: &Options, unsafe_fixes: bool) -> Result<FixRun, RunError> {
    let mut overlay: BTreeMap<PathBuf, String> = options.overlay.clone();
    let mut originals: BTreeMap<PathBuf, (String, String)> = BTreeMap::new();
    let mut fixed = 0;
    let mut refused = Vec::new();
    for _ in 0..MAX_PASSES {
        let report = check(&Options {
            overlay: overlay.clone(),
            ..options.clone()
        })?;
        let (plan, idle) = plan(&report, unsafe_fixes);
        for message in idle {
            if !refused.contains(&message) {
                refused.push(message);
            }
        }
        let mut progressed = false;
        for (file, (edits, count)) in plan {
            let source = report.project.sources.get(file);
            let next = apply_and_settle(&source.path, &source.text, &edits);
            if let Err(reason) = still_reads(&source.path, &source.text, &next) {
                refused.push(format!(
                    "{}: {reason}; its fixes were not applied",
                    source.display_path
                ));
                continue;
            }
            originals
                .entry(source.path.clone())
                .or_insert_with(|| (source.display_path.clone(), source.text.clone()));
            overlay.insert(source.path.clone(), next);
            fixed += count;
            progressed = true;
        }
        if !progressed {
            break;
        }
    }
    let report = check(&Options {
        overlay: overlay.clone(),
        ..options.clone()
    })?;
    let changes = originals
        .into_iter()
        .filter_map(|(path, (display_path, before))| {
            let after = overlay.remove(&path)?;
            (after != before).then_some(Change {
                path,
                display_path,
                before,
                after,
            })
        })
        .collect();
    Ok(FixRun {
        report,
        changes,
        fixed,
        refused,
    })
}

/// A pass's edits per file, and how many fixes they make up.
type Plan = BTreeMap<FileId, (Vec<Edit>, usize)>;

/// Edits per file for this pass and how many fixes they make up. A fix whose edits overlap
/// an accepted one waits for the next pass, so no two edits ever touch the same bytes. Also
/// says which fixes would change nothing (see [`changes_something`]).
fn plan(report: &Report, unsafe_fixes: bool) -> (Plan, Vec<String>) {
    let mut plan = Plan::new();
    let mut idle = Vec::new();
    for diagnostic in &report.diagnostics {
        let Some(fix) = &diagnostic.fix else { continue };
        let applies = match fix.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => unsafe_fixes,
            Applicability::DisplayOnly => false,
        };
        let overlaps = |edit: &Edit| {
            plan.get(&edit.span.file)
                .is_some_and(|(accepted, _)| accepted.iter().any(|a| overlap(a, edit)))
        };
        // Only checked files are edited: pre-commit names the staged ones, and a fix that
        // would also edit another file waits for a run that checks both.
        let outside = |edit: &Edit| !report.coverage.is_target(edit.span.file);
        if !applies || fix.edits.iter().any(overlaps) || fix.edits.iter().any(outside) {
            continue;
        }
        let Some(rule) = diagnostic.rule.builtin() else {
            continue;
        };
        if let Err(why) = changes_something(rule, &report.project.sources, &fix.edits) {
            idle.push(why);
            continue;
        }
        for edit in &fix.edits {
            plan.entry(edit.span.file).or_default().0.push(edit.clone());
        }
        if let Some(first) = fix.edits.first() {
            plan.entry(first.span.file).or_default().1 += 1;
        }
    }
    (plan, idle)
}

/// A fix that would leave every byte as it is (no edits, or each replacing text with itself)
/// is a bug in its rule: it fails debug builds, and a release build never counts it as fixed.
fn changes_something(rule: RuleId, sources: &SourceMap, edits: &[Edit]) -> Result<(), String> {
    let changes = |edit: &Edit| {
        let text = &sources.get(edit.span.file).text;
        let replacement = if text.contains("\r\n") {
            edit.replacement.replace('\n', "\r\n")
        } else {
            edit.replacement.clone()
        };
        text.get(edit.span.start()..edit.span.end())
            .is_some_and(|old| old != replacement)
    };
    let changes = edits.iter().any(changes);
    debug_assert!(changes, "a `{}` fix changes nothing: {edits:?}", rule.name());
    if changes {
        return Ok(());
    }
    let file = edits
        .first()
        .map_or("", |e| sources.get(e.span.file).display_path.as_str());
    Err(format!(
        "{file}: a `{}` fix would change nothing (a bug in meshlint); it is not counted as fixed",
        rule.name()
    ))
}

/// Two edits overlap when their ranges share bytes, or when both insert at one point (their
/// order would be arbitrary).
fn overlap(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.span, b.span);
    (a.start() < b.end() && b.start() < a.end())
        || (a.start() == b.start() && (a.start() == a.end() || b.start() == b.end()))
}

/// Applies non-overlapping edits back to front, keeping the file's line endings.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    apply_tracked(text, edits).0
}

/// [`apply`], also saying where each replacement landed.
fn apply_tracked(text: &str, edits: &[Edit]) -> (String, Vec<Applied>) {
    let crlf = text.contains("\r\n");
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by(|a, b| {
        b.span
            .start()
            .cmp(&a.span.start())
            .then(b.span.end().cmp(&a.span.end()))
    });
    let mut out = text.to_string();
    let mut lengths = Vec::new();
    for edit in sorted {
        let (start, end) = (edit.span.start().min(out.len()), edit.span.end().min(out.len()));
        if start > end || !out.is_char_boundary(start) || !out.is_char_boundary(end) {
            continue;
        }
        let replacement = if crlf {
            edit.replacement.replace('\n', "\r\n")
        } else {
            edit.replacement.clone()
        };
        out.replace_range(start..end, &replacement);
        lengths.push((start..end, replacement.len()));
    }
    // Front to back, each replacement moves the ones after it by its change in length.
    let mut shift = 0isize;
    let applied = lengths
        .into_iter()
        .rev()
        .map(|(before, len)| {
            let start = (before.start as isize + shift) as usize;
            shift += len as isize - before.len() as isize;
            Applied {
                before,
                after: start..start + len,
            }
        })
        .collect();
    (out, applied)
}

/// The edits applied to one file, then the lines they disturbed laid out again as
/// `terraform fmt` would in Terraform's native syntax.
fn apply_and_settle(path: &Path, text: &str, edits: &[Edit]) -> String {
    let (after, applied) = apply_tracked(text, edits);
    if is_native_terraform(path) {
        settle(text, &after, &applied)
    } else {
        after
    }
}

fn is_native_terraform(path: &Path) -> bool {
    matches!(
        crate::discover::classify(path),
        Some(FileKind::Terraform | FileKind::TerraformVars)
    )
}

/// A fix must not make a file unreadable that was readable before.
fn still_reads(path: &Path, before: &str, after: &str) -> Result<(), String> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let broken = |text: &str| -> bool {
        if name.ends_with(".tf") || name.ends_with(".tfvars") {
            parse::terraform(crate::source::FileId(0), text).1.is_some()
        } else if name.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(text).is_err()
        } else {
            false
        }
    };
    if broken(after) && !broken(before) {
        return Err("the fixed text would not parse".to_string());
    }
    Ok(())
}

/// Writes each change atomically: a temporary file in the same directory, with the original's
/// permissions, renamed over it. A read-only file is refused and left as it is.
pub fn write(changes: &[Change]) -> Vec<String> {
    let mut errors = Vec::new();
    for change in changes {
        if let Err(e) = write_one(change) {
            errors.push(format!("cannot write {}: {e}", change.display_path));
        }
    }
    errors
}

fn write_one(change: &Change) -> std::io::Result<()> {
    let metadata = std::fs::metadata(&change.path)?;
    if metadata.permissions().readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let dir = change
        .path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = change.path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = dir.join(format!(".{name}.meshlint-{}.tmp", std::process::id()));
    let result = std::fs::write(&temp, &change.after)
        .and_then(|_| std::fs::set_permissions(&temp, metadata.permissions()))
        .and_then(|_| std::fs::rename(&temp, &change.path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// `--diff`: what `--fix` would change, as a unified diff.
pub fn unified_diff(changes: &[Change]) -> String {
    let mut out = String::new();
    for change in changes {
        let diff = similar::TextDiff::from_lines(&change.before, &change.after);
        let a = format!("a/{}", change.display_path);
        let b = format!("b/{}", change.display_path);
        out.push_str(&diff.unified_diff().context_radius(3).header(&a, &b).to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        Edit {
            span: Span::new(FileId(0), start, end),
            replacement: text.to_string(),
        }
    }

    #[test]
    fn edits_apply_back_to_front() {
        assert_eq!(
            apply("port = 9090", &[edit(7, 7, "\""), edit(11, 11, "\"")]),
            "port = \"9090\""
        );
    }

    #[test]
    fn inserted_newlines_follow_the_file() {
        assert_eq!(apply("a\r\nb\r\n", &[edit(3, 3, "x\n")]), "a\r\nx\r\nb\r\n");
        assert_eq!(apply("a\nb\n", &[edit(2, 2, "x\n")]), "a\nx\nb\n");
    }

    #[test]
    fn overlapping_and_same_point_insertions_conflict() {
        assert!(overlap(&edit(0, 5, ""), &edit(4, 6, "")));
        assert!(!overlap(&edit(0, 5, ""), &edit(5, 6, "")));
        assert!(overlap(&edit(3, 3, "a"), &edit(3, 3, "b")));
        assert!(!overlap(&edit(3, 3, "a"), &edit(4, 4, "b")));
    }

    fn one_file(text: &str) -> SourceMap {
        let mut sources = SourceMap::default();
        sources.add(crate::source::SourceFile::new(
            "main.tf".into(),
            "main.tf".into(),
            text.into(),
        ));
        sources
    }

    #[test]
    fn a_fix_that_changes_bytes_is_applied() {
        let sources = one_file("port = 9090\r\n");
        let quoted = [edit(7, 11, "\"9090\"")];
        assert!(changes_something(RuleId::PortNotString, &sources, &quoted).is_ok());
    }

    /// Regression: the `jsonencode()` fix in a `.tf.json` file was two empty edits, and
    /// `--fix` reported it as a fixed problem.
    #[test]
    #[cfg_attr(debug_assertions, should_panic(expected = "fix changes nothing"))]
    fn a_fix_that_changes_nothing_is_a_bug_and_never_counted() {
        let sources = one_file("port = \"9090\"\r\nx = \"a\nb\"");
        let rule = RuleId::JsonencodedContainerDefinitions;
        for idle in [
            vec![],
            vec![edit(3, 3, ""), edit(9, 9, "")],
            vec![edit(7, 13, "\"9090\"")],
            vec![edit(13, 15, "\n")],
        ] {
            let refused = changes_something(rule, &sources, &idle).unwrap_err();
            assert!(refused.contains("would change nothing"), "{refused}");
        }
    }

    #[test]
    fn a_fix_that_breaks_the_syntax_is_refused() {
        let path = Path::new("main.tf");
        assert!(still_reads(path, "a = 1\n", "a = \n").is_err());
        assert!(
            still_reads(path, "a = \n", "a = \n").is_ok(),
            "already broken files are not blamed on the fix"
        );
        assert!(still_reads(Path::new("p.json"), "{}", "{").is_err());
    }
}
