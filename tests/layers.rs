//! The flow runs one way: a module may use only modules of lower layers (and itself). Read from
//! the `crate::` paths of every source file, so a new wrong-way import fails here, with the file
//! and the path that points back. The layers are the ones ARCHITECTURE.md draws.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Top-level modules by layer, lowest first. Modules of one layer do not see each other.
const LAYERS: &[&[&str]] = &[
    // Leaves: std only.
    &["source", "suggest", "net", "iam", "baseline"],
    // The rule catalogue (data) and our syntax tree.
    &["catalog", "syntax"],
    // What a finding is.
    &["diagnostic"],
    // Parsers: the only place parser crates are named. Ordering and identity of findings.
    &["parse", "diagnostics"],
    // What was read, modelled — and, beside it, never seen by it, configuration and
    // suppressions.
    &["model", "config", "suppress", "discover"],
    // What a rule is, and the edit builders fixes share.
    &["rule", "edit"],
    &["rules"],
    &["report"],
    // The evaluated model as a document (spans written as the JSON report writes them), and
    // the teams' Rego policies that read it.
    &["export"],
    &["policy"],
    &["engine", "output"],
    &["fix"],
    // `--add-ignore`: comments written and checked as fixes are; `meshlint init`.
    &["add_ignore", "init"],
    // The language server: checks, fixes and the model, for editors.
    &["server"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/model/mesh.rs` → `model`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::<module>` a file names outside comments.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // `meshlint_crate::x` or `other_crate::x` are not this crate.
            let before = rest[..at].chars().last();
            if !name.is_empty() && !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                found.push((index + 1, name));
            }
            rest = after;
        }
    }
    found
}

#[test]
fn every_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut missing: Vec<String> = files
        .iter()
        .map(|f| module_of(&src, f))
        .filter(|m| !matches!(m.as_str(), "lib" | "main") && layer_of(m).is_none())
        .collect();
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "modules without a layer in tests/layers.rs: {missing:?}"
    );
}

#[test]
fn imports_point_only_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let from = module_of(&src, file);
        let Some(from_layer) = layer_of(&from) else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (line, to) in crate_paths(&text) {
            if to == from {
                continue;
            }
            let allowed = layer_of(&to).is_some_and(|to_layer| to_layer < from_layer);
            if !allowed {
                let shown = file.strip_prefix(&src).unwrap().display();
                wrong
                    .entry(format!("{from} -> {to}"))
                    .or_default()
                    .push(format!("src/{shown}:{line}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that point back up the layers (see LAYERS in tests/layers.rs):\n{}",
        wrong
            .iter()
            .map(|(edge, at)| format!("  {edge}: {}", at.join(", ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_scanner_reads_crate_paths() {
    let text =
        "use crate::model::Project; // crate::config\nlet x = crate::net::find_urls(t);\nuse other_crate::x;";
    let names: Vec<String> = crate_paths(text).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["model", "net"]);
}
