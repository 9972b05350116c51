//! The parse cache the language server keeps between checks: whatever happens to the files
//! between two checks (an edit on disk or in memory, a file added, renamed or deleted), a
//! check with the cache gives the same JSON, byte for byte, as a fresh check without it.

mod common;

use common::repo_root;
use meshlint::engine::ParseCache;
use meshlint::output::{render, Format, RenderOptions};
use meshlint::Options;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn json(dir: &Path, overlay: &BTreeMap<PathBuf, String>, cache: Option<Arc<ParseCache>>) -> String {
    let options = Options {
        paths: vec![dir.to_path_buf()],
        base: dir.to_path_buf(),
        overlay: overlay.clone(),
        cache,
        ..Default::default()
    };
    let report = meshlint::check(&options).expect("the check runs");
    render(
        &report,
        Format::Json,
        &RenderOptions {
            color: false,
            quiet: false,
            ..Default::default()
        },
    )
}

/// Checks with the cache and without it, and says they agree.
fn same(dir: &Path, overlay: &BTreeMap<PathBuf, String>, cache: &Arc<ParseCache>, step: &str) -> String {
    let cached = json(dir, overlay, Some(cache.clone()));
    let fresh = json(dir, overlay, None);
    assert_eq!(
        cached, fresh,
        "after {step}, the cached check differs from a fresh one"
    );
    cached
}

#[test]
fn cached_checks_equal_fresh_checks_through_edits_and_file_changes() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("project");
    copy_dir(&repo_root().join("tests/lsp/project"), &dir);
    let cache = Arc::new(ParseCache::default());
    let mut overlay = BTreeMap::new();
    let first = same(&dir, &overlay, &cache, "the first check");
    assert!(first.contains("MESH002"));
    assert_eq!(
        same(&dir, &overlay, &cache, "a check with nothing changed"),
        first
    );

    // An edit on disk, of the same length (only the modification time tells it).
    let web = dir.join("infra/web.tf");
    let text = std::fs::read_to_string(&web).unwrap();
    std::fs::write(&web, text.replace("/* 🚀 */ 9090", "/* 🚀 */ 9091")).unwrap();
    let edited = same(&dir, &overlay, &cache, "an edit on disk");
    assert!(edited.contains("9091"));

    // An edit in memory (an unsaved buffer), then back to the disk's text.
    overlay.insert(web.clone(), text.replace("/* 🚀 */ 9090", "\"9090\""));
    let in_memory = same(&dir, &overlay, &cache, "an edit in memory");
    assert!(!in_memory.contains("MESH002"));
    overlay.clear();
    same(&dir, &overlay, &cache, "closing the buffer");

    // A file added before the others (every id after it shifts), then renamed, then deleted.
    let added = dir.join("infra/aaa.tf");
    std::fs::write(&added, "locals {\n  extra = \"x\"\n}\n").unwrap();
    cache.forget_discovery();
    same(&dir, &overlay, &cache, "a file added");
    let renamed = dir.join("infra/zzz.tf");
    std::fs::rename(&added, &renamed).unwrap();
    cache.forget_discovery();
    same(&dir, &overlay, &cache, "a file renamed");
    std::fs::remove_file(&renamed).unwrap();
    std::fs::remove_file(dir.join("infra/iam.tf")).unwrap();
    cache.forget_discovery();
    let deleted = same(&dir, &overlay, &cache, "files deleted");
    assert_ne!(deleted, edited);

    // An app source edited on disk.
    let go = dir.join("services/web/main.go");
    let source = std::fs::read_to_string(&go).unwrap();
    std::fs::write(&go, source.replace("\"127.0.0.1:9090\"", "\":9090\"")).unwrap();
    let app = same(&dir, &overlay, &cache, "an app source edited");
    assert!(app.contains("MESH004"));

    // The configuration changes; then the app's file id shifts when a file before it goes.
    let config = dir.join(".meshlint.toml");
    std::fs::write(&config, "ignore = [\"port-not-string\"]\n").unwrap();
    cache.forget_discovery();
    same(&dir, &overlay, &cache, "a configuration change");
    std::fs::remove_file(&config).unwrap();
    cache.forget_discovery();
    same(&dir, &overlay, &cache, "the configuration deleted");
    std::fs::remove_file(dir.join("infra/web.tf")).unwrap();
    cache.forget_discovery();
    same(&dir, &overlay, &cache, "web.tf deleted");
}

#[test]
fn an_edit_reparses_only_the_edited_file() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("project");
    copy_dir(&repo_root().join("tests/lsp/project"), &dir);
    let cache = Arc::new(ParseCache::default());
    let mut overlay = BTreeMap::new();
    json(&dir, &overlay, Some(cache.clone()));
    let files = cache.parses();
    assert_eq!(files, 9, "8 Terraform files and one Go source");

    json(&dir, &overlay, Some(cache.clone()));
    assert_eq!(cache.parses(), files, "nothing changed, nothing parsed");

    // Typing in the Go source (unsaved): only it is parsed again, no Terraform.
    let go = dir.join("services/web/main.go");
    let source = std::fs::read_to_string(&go).unwrap();
    overlay.insert(go.clone(), source.replace("127.0.0.1:9090", ":9090"));
    let found = json(&dir, &overlay, Some(cache.clone()));
    assert!(found.contains("MESH004"));
    assert_eq!(cache.parses(), files + 1);

    // Then in a Terraform file: only it.
    let web = dir.join("infra/web.tf");
    let text = std::fs::read_to_string(&web).unwrap();
    overlay.insert(web, text.replace("/* 🚀 */ 9090", "\"9090\""));
    json(&dir, &overlay, Some(cache.clone()));
    assert_eq!(cache.parses(), files + 2);
}
