//! Code actions: each finding's fix, all safe fixes of a file at once, and a suppression
//! comment with a reason to write.

// `WorkspaceEdit::changes` is keyed by `Uri`; lsp-types hashes and compares a `Uri` by its
// text alone, so the interior mutability clippy sees inside fluent-uri cannot change a key.
#![allow(clippy::mutable_key_type)]

use super::diagnostics::Ranges;
use super::documents::Documents;
use super::position::{Encoding, LineIndex};
use super::uri;
use super::workspace::{Checked, Workspace};
use crate::catalog::Applicability;
use crate::diagnostic::{Diagnostic, Fix};
use crate::source::FileId;
use lsp_types as lsp;
use std::collections::HashMap;
use std::path::Path;

pub struct Context<'a> {
    pub workspace: &'a Workspace,
    pub documents: &'a Documents,
    pub encoding: Encoding,
    /// The command that selects a suppression's placeholder reason, when the client can
    /// show a document with a selection.
    pub select_reason: Option<&'a str>,
}

pub fn fix_all_kind() -> lsp::CodeActionKind {
    lsp::CodeActionKind::new("source.fixAll.meshlint")
}

pub fn code_actions(context: &Context, params: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
    let Some(path) = uri::to_path(&params.text_document.uri) else {
        return Vec::new();
    };
    let Some((checked, file)) = context.workspace.find(&path) else {
        return Vec::new();
    };
    let wanted = |kind: &lsp::CodeActionKind| match &params.context.only {
        None => true,
        Some(only) => only
            .iter()
            .any(|o| kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str()))),
    };
    let mut actions = Vec::new();
    if wanted(&lsp::CodeActionKind::QUICKFIX) {
        actions.extend(quick_fixes(context, checked, file, params.range));
    }
    if wanted(&fix_all_kind()) {
        actions.extend(fix_all(context, checked, file, &params.text_document.uri));
    }
    actions
        .into_iter()
        .map(lsp::CodeActionOrCommand::CodeAction)
        .collect()
}

/// For every finding of the file whose range touches `range`: its fix, and a suppression.
fn quick_fixes(
    context: &Context,
    checked: &Checked,
    file: FileId,
    range: lsp::Range,
) -> Vec<lsp::CodeAction> {
    let report = &checked.report;
    let mut ranges = Ranges::new(&report.project.sources, &checked.cwd, context.encoding);
    let published = checked
        .diagnostics
        .get(&ranges.path(file))
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut actions = Vec::new();
    let mut suppressions = Vec::new();
    for (diagnostic, fingerprint) in report.diagnostics.iter().zip(&report.fingerprints) {
        if diagnostic.span.file != file || !touches(ranges.range(diagnostic.span), range) {
            continue;
        }
        let shown: Vec<lsp::Diagnostic> = published
            .iter()
            .filter(|d| {
                d.data.as_ref().and_then(|data| data.get("fingerprint")) == Some(&fingerprint.as_str().into())
            })
            .cloned()
            .collect();
        if let Some(fix) = diagnostic
            .fix
            .as_ref()
            .filter(|f| f.applicability != Applicability::DisplayOnly)
        {
            let title = match fix.applicability {
                Applicability::Safe => fix.message.clone(),
                _ => format!("{} (unsafe: check the result)", fix.message),
            };
            actions.push(lsp::CodeAction {
                title,
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(shown.clone()),
                edit: Some(workspace_edit(&fix_edits(fix), &mut ranges)),
                is_preferred: Some(fix.applicability == Applicability::Safe),
                ..Default::default()
            });
        }
        if let Some(action) = suppression(context, checked, diagnostic, shown) {
            suppressions.push(action);
        }
    }
    // Fixes first: editors offer the first quick fix on a keystroke.
    actions.extend(suppressions);
    actions
}

fn touches(a: lsp::Range, b: lsp::Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn fix_edits(fix: &Fix) -> Vec<(crate::source::Span, String)> {
    fix.edits
        .iter()
        .map(|e| (e.span, e.replacement.clone()))
        .collect()
}

fn workspace_edit(edits: &[(crate::source::Span, String)], ranges: &mut Ranges) -> lsp::WorkspaceEdit {
    let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for (span, text) in edits {
        let Some(uri) = uri::from_path(&ranges.path(span.file)) else {
            continue;
        };
        let edit = lsp::TextEdit::new(ranges.range(*span), text.clone());
        changes.entry(uri).or_default().push(edit);
    }
    lsp::WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}

/// `# meshlint-ignore: rule -- reason` on a line of its own above the finding; the reason is
/// a placeholder the `select_reason` command selects.
fn suppression(
    context: &Context,
    checked: &Checked,
    diagnostic: &Diagnostic,
    shown: Vec<lsp::Diagnostic>,
) -> Option<lsp::CodeAction> {
    let source = checked.report.project.sources.get(diagnostic.span.file);
    let marker = crate::discover::comment_marker(&source.path)?;
    let line = source.location(diagnostic.span.start()).line;
    let line_start = source.line_start(line)?;
    let indentation = source.indentation_at(diagnostic.span.start());
    let rule = diagnostic.rule.name();
    let head = format!("{indentation}{marker} meshlint-ignore: {rule} -- ");
    let placeholder = "reason";
    let path = crate::source::absolute(&checked.cwd, &source.path);
    let uri = uri::from_path(&path)?;
    let index = LineIndex::new(&source.text);
    let at = index.position(line_start, context.encoding);
    let edit = lsp::TextEdit::new(lsp::Range::new(at, at), format!("{head}{placeholder}\n"));
    // The placeholder's range once the line is inserted: on the inserted line, after `head`.
    let head_width = match context.encoding {
        Encoding::Utf8 => head.len(),
        Encoding::Utf16 => head.encode_utf16().count(),
    } as u32;
    let start = lsp::Position::new(at.line, head_width);
    let end = lsp::Position::new(at.line, head_width + placeholder.len() as u32);
    let command = context.select_reason.map(|command| lsp::Command {
        title: "Write the reason".to_string(),
        command: command.to_string(),
        arguments: Some(vec![
            serde_json::json!(uri.as_str()),
            serde_json::to_value(lsp::Range::new(start, end)).unwrap_or_default(),
        ]),
    });
    Some(lsp::CodeAction {
        title: format!("Suppress {rule} here, with a reason"),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(shown),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(HashMap::from([(uri, vec![edit])])),
            ..Default::default()
        }),
        command,
        is_preferred: Some(false),
        ..Default::default()
    })
}

/// All safe fixes of the file, as `--fix` would make them (fixes that overlap wait for the
/// next pass; files that would stop parsing are left alone), as one edit per changed file.
fn fix_all(context: &Context, checked: &Checked, file: FileId, uri: &lsp::Uri) -> Option<lsp::CodeAction> {
    let report = &checked.report;
    let has_safe_fix = report.diagnostics.iter().any(|d| {
        d.span.file == file
            && d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe)
    });
    if !has_safe_fix {
        return None;
    }
    let path = uri::to_path(uri)?;
    let options = crate::engine::Options {
        paths: vec![path.clone()],
        base: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        config: context.workspace.config().cloned(),
        overlay: context.documents.overlay(),
        cache: context.workspace.cache_for(&path),
        ..Default::default()
    };
    let run = crate::fix::fix(&options, false).ok()?;
    let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
    for change in &run.changes {
        let changed = crate::source::absolute(&checked.cwd, &change.path);
        let Some(uri) = uri::from_path(&changed) else {
            continue;
        };
        changes
            .entry(uri)
            .or_default()
            .push(minimal_edit(&change.before, &change.after, context.encoding));
    }
    if changes.is_empty() {
        return None;
    }
    Some(lsp::CodeAction {
        title: format!("Fix all safe meshlint findings ({} fixes)", run.fixed),
        kind: Some(fix_all_kind()),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        ..Default::default()
    })
}

/// One edit that turns `before` into `after`, touching only what lies between their common
/// start and end (so the cursor and folds elsewhere stay put).
fn minimal_edit(before: &str, after: &str, encoding: Encoding) -> lsp::TextEdit {
    let mut prefix = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(prefix) || !after.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let longest = before.len().min(after.len()) - prefix;
    let mut suffix = before
        .bytes()
        .rev()
        .zip(after.bytes().rev())
        .take(longest)
        .take_while(|(a, b)| a == b)
        .count();
    while !before.is_char_boundary(before.len() - suffix) || !after.is_char_boundary(after.len() - suffix) {
        suffix -= 1;
    }
    let index = LineIndex::new(before);
    lsp::TextEdit::new(
        index.range(prefix, before.len() - suffix, encoding),
        after[prefix..after.len() - suffix].to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_edit_replaces_only_the_middle() {
        let edit = minimal_edit("a\nport = \"8080\"\nb\n", "a\nport = 8080\nb\n", Encoding::Utf16);
        assert_eq!(edit.range.start, lsp::Position::new(1, 7));
        assert_eq!(edit.range.end, lsp::Position::new(1, 13));
        assert_eq!(edit.new_text, "8080");
        let same = minimal_edit("é", "é", Encoding::Utf16);
        assert_eq!(same.new_text, "");
        let edit = minimal_edit("éa", "èa", Encoding::Utf8);
        assert_eq!((edit.range.start.character, edit.range.end.character), (0, 2));
        assert_eq!(edit.new_text, "è");
    }
}
