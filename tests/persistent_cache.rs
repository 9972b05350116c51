//! The persistent cache of application-source facts (SPEC §11), through the real binary: the
//! report with the cache, cold or warm, is byte for byte the report without it, over every
//! fixture folder and through the edits a working tree sees; a cache that is corrupt or from
//! another build is rebuilt, never trusted; `--no-cache` and `cache-dir` do what they say;
//! concurrent runs leave a cache that later runs can use.

mod common;

use common::cli::{code, meshlint, stdout};
use common::{copy_to_temp, repo_root, subdirs};
use serde_json::Value;
use std::path::{Path, PathBuf};

const CACHE_FILE: &str = ".meshlint_cache/app-facts.json";

/// `check --format json` of `target` from `cwd`: exit code and report.
fn report(cwd: &Path, target: &str, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["check", "--format", "json", target];
    args.extend_from_slice(extra);
    let output = meshlint(&args, cwd);
    assert_ne!(code(&output), 2, "{target}: {}", common::cli::stderr(&output));
    (code(&output), stdout(&output))
}

fn uncached(cwd: &Path, target: &str) -> (i32, String) {
    report(cwd, target, &["--no-cache"])
}

fn cached(cwd: &Path, target: &str) -> (i32, String) {
    report(cwd, target, &[])
}

fn read_cache(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("the cache was written");
    serde_json::from_str(&text).expect("the cache is JSON")
}

fn entry_names(cache: &Value) -> Vec<String> {
    cache["entries"]
        .as_object()
        .expect("entries")
        .keys()
        .cloned()
        .collect()
}

/// A project with a mesh task, a client that calls its upstream by name and a server that
/// listens on every interface: two app-source findings that depend on the facts.
fn project() -> tempfile::TempDir {
    let dir = copy_to_temp(
        &repo_root().join("fixtures/hardcoded-upstream-url/bad-python-calls-service-by-name-with-upstream"),
    );
    std::fs::write(
        dir.path().join("services/web/app.py"),
        "from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == \"__main__\":\n    app.run(host=\"0.0.0.0\", port=9090)\n",
    )
    .unwrap();
    dir
}

fn rules(report: &str) -> Vec<String> {
    let value: Value = serde_json::from_str(report).unwrap();
    let mut rules: Vec<String> = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["file"].as_str().unwrap()))
        .collect();
    rules.sort();
    rules
}

#[test]
fn every_fixture_folder_reports_the_same_without_cache_cold_and_warm() {
    let copy = copy_to_temp(&repo_root().join("fixtures"));
    let mut folders: Vec<PathBuf> = Vec::new();
    for group in subdirs(copy.path()) {
        folders.extend(subdirs(&group));
    }
    assert!(folders.len() > 200, "the fixtures were copied: {}", folders.len());
    let mut with_cache = 0;
    for folder in &folders {
        let target = folder
            .strip_prefix(copy.path())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let fresh = uncached(copy.path(), &target);
        assert!(
            !folder.join(".meshlint_cache").exists(),
            "{target}: --no-cache wrote a cache"
        );
        assert_eq!(cached(copy.path(), &target), fresh, "{target}: cold cache");
        assert_eq!(cached(copy.path(), &target), fresh, "{target}: warm cache");
        with_cache += usize::from(folder.join(CACHE_FILE).exists());
    }
    // The comparison means something only if many folders did use a cache.
    assert!(
        with_cache >= 40,
        "only {with_cache} fixture folders have app sources cached"
    );
    // And the whole tree at once, whose caches the runs above wrote per folder.
    let fresh = uncached(copy.path(), ".");
    assert_eq!(cached(copy.path(), "."), fresh, "the whole fixture tree, cold");
    assert_eq!(cached(copy.path(), "."), fresh, "the whole fixture tree, warm");
}

#[test]
fn edits_renames_and_deletions_give_the_report_of_a_run_without_cache() {
    let dir = project();
    let root = dir.path();
    let same = |step: &str| -> String {
        let fresh = uncached(root, ".");
        assert_eq!(cached(root, "."), fresh, "after {step}: cached run differs");
        assert_eq!(
            cached(root, "."),
            fresh,
            "after {step}: second cached run differs"
        );
        fresh.1
    };
    let first = same("the first run");
    assert_eq!(
        rules(&first),
        [
            "bind-all-interfaces services/web/app.py",
            "hardcoded-upstream-url services/web/client.py"
        ]
    );
    assert_eq!(
        entry_names(&read_cache(&root.join(CACHE_FILE))),
        ["services/web/app.py", "services/web/client.py"]
    );

    // A value changed in place, same length: only the bytes tell.
    let app = root.join("services/web/app.py");
    let text = std::fs::read_to_string(&app)
        .unwrap()
        .replace("0.0.0.0", "127.0.0.1");
    std::fs::write(&app, text).unwrap();
    assert_eq!(
        rules(&same("changing the listen address")),
        ["hardcoded-upstream-url services/web/client.py"]
    );

    // Touched: a new time, the same bytes.
    let file = std::fs::File::options().write(true).open(&app).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
        .unwrap();
    drop(file);
    same("touching a file");

    // The configuration changes what is reported, not what the facts are.
    std::fs::write(
        root.join(".meshlint.toml"),
        "ignore = [\"hardcoded-upstream-url\"]\n",
    )
    .unwrap();
    assert_eq!(rules(&same("changing .meshlint.toml")), Vec::<String>::new());
    std::fs::remove_file(root.join(".meshlint.toml")).unwrap();

    // Renamed: the same bytes under another name are reported under that name.
    std::fs::rename(
        root.join("services/web/client.py"),
        root.join("services/web/billing.py"),
    )
    .unwrap();
    assert_eq!(
        rules(&same("renaming a file")),
        ["hardcoded-upstream-url services/web/billing.py"]
    );
    assert_eq!(
        entry_names(&read_cache(&root.join(CACHE_FILE))),
        ["services/web/app.py", "services/web/billing.py"]
    );

    // Copied: two files with the same bytes share an entry's facts, each with its own spans.
    std::fs::copy(
        root.join("services/web/billing.py"),
        root.join("services/web/billing_v2.py"),
    )
    .unwrap();
    assert_eq!(
        rules(&same("copying a file")),
        [
            "hardcoded-upstream-url services/web/billing.py",
            "hardcoded-upstream-url services/web/billing_v2.py"
        ]
    );

    // Deleted: gone from the report and, once written again, from the cache.
    std::fs::remove_file(root.join("services/web/billing.py")).unwrap();
    std::fs::remove_file(root.join("services/web/billing_v2.py")).unwrap();
    assert_eq!(rules(&same("deleting files")), Vec::<String>::new());
    assert_eq!(
        entry_names(&read_cache(&root.join(CACHE_FILE))),
        ["services/web/app.py"]
    );
}

#[test]
fn a_warm_run_takes_its_facts_from_the_cache() {
    let dir = project();
    let root = dir.path();
    let (_, before) = cached(root, ".");
    assert_eq!(rules(&before).len(), 2);
    // Facts edited by hand in a cache of this build are believed: proof that a warm run reads
    // the cache instead of parsing (which is why only meshlint writes it).
    let path = root.join(CACHE_FILE);
    let mut cache = read_cache(&path);
    for entry in cache["entries"].as_object_mut().unwrap().values_mut() {
        entry["facts"] = serde_json::json!({ "listens": [], "strings": [] });
    }
    std::fs::write(&path, serde_json::to_vec(&cache).unwrap()).unwrap();
    assert_eq!(rules(&cached(root, ".").1), Vec::<String>::new());
    // The same cache said to come from another build is not trusted, and is rewritten.
    cache["build"] = Value::String("0.0.0-another-build".into());
    std::fs::write(&path, serde_json::to_vec(&cache).unwrap()).unwrap();
    assert_eq!(cached(root, "."), uncached(root, "."));
    assert_ne!(read_cache(&path)["build"], "0.0.0-another-build");
    assert_eq!(rules(&cached(root, ".").1).len(), 2);
}

#[test]
fn a_corrupt_or_unwritable_cache_is_rebuilt_or_skipped_never_trusted() {
    let dir = project();
    let root = dir.path();
    let fresh = uncached(root, ".");
    cached(root, ".");
    let path = root.join(CACHE_FILE);
    let good = std::fs::read(&path).unwrap();

    let broken: [&[u8]; 5] = [
        b"",
        b"\xff\xfe not json",
        &good[..good.len() / 2],
        br#"{"build": 7, "entries": []}"#,
        br#"{"build": "x", "entries": {"a.py": {"kind": "python", "digest": "zz", "facts": {}}}}"#,
    ];
    for bytes in broken {
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(
            cached(root, "."),
            fresh,
            "with a cache of {:?}",
            String::from_utf8_lossy(bytes)
        );
        assert_eq!(std::fs::read(&path).unwrap(), good, "the cache was rebuilt");
    }
    // A digest of the right build but the wrong length is refused whole.
    let mut cache = read_cache(&path);
    for entry in cache["entries"].as_object_mut().unwrap().values_mut() {
        entry["digest"] = Value::String("0123".into());
        entry["facts"] = serde_json::json!({ "listens": [], "strings": [] });
    }
    std::fs::write(&path, serde_json::to_vec(&cache).unwrap()).unwrap();
    assert_eq!(cached(root, "."), fresh);

    // Where the folder cannot be made, the run goes on without it.
    std::fs::remove_dir_all(root.join(".meshlint_cache")).unwrap();
    std::fs::write(root.join(".meshlint_cache"), "a file where the folder would go").unwrap();
    assert_eq!(cached(root, "."), fresh);
}

#[test]
fn no_cache_writes_nothing_and_the_folder_ignores_itself() {
    let dir = project();
    let root = dir.path();
    uncached(root, ".");
    assert!(!root.join(".meshlint_cache").exists());
    cached(root, ".");
    let ignore = std::fs::read_to_string(root.join(".meshlint_cache/.gitignore")).unwrap();
    assert!(ignore.lines().any(|line| line == "*"), "{ignore}");
    let tag = std::fs::read_to_string(root.join(".meshlint_cache/CACHEDIR.TAG")).unwrap();
    assert!(tag.starts_with("Signature: 8a477f597d28d172789f06886806bc55"));
    // A run that changes nothing leaves the file as it was.
    let written = std::fs::metadata(root.join(CACHE_FILE))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    cached(root, ".");
    assert_eq!(
        std::fs::metadata(root.join(CACHE_FILE))
            .unwrap()
            .modified()
            .unwrap(),
        written
    );
    // Only the cache's own files.
    let mut names: Vec<String> = std::fs::read_dir(root.join(".meshlint_cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".gitignore", "CACHEDIR.TAG", "app-facts.json"]);
}

#[test]
fn model_and_policy_eval_use_the_cache_unless_told_not_to() {
    let dir = project();
    let root = dir.path();
    let run = |args: &[&str]| {
        let output = meshlint(args, root);
        assert_eq!(code(&output), 0, "{args:?}: {}", common::cli::stderr(&output));
        stdout(&output)
    };
    let query = "input.apps";
    let model = run(&["model", "--no-cache", "."]);
    let eval = run(&["policy", "eval", query, "--no-cache", "."]);
    assert!(!root.join(".meshlint_cache").exists(), "--no-cache wrote a cache");
    assert!(
        eval.contains("all-interfaces"),
        "the app facts reach the policy input: {eval}"
    );
    // Cold, then warm from what the first run wrote: the same documents.
    assert_eq!(run(&["model", "."]), model);
    assert!(root.join(CACHE_FILE).exists(), "model wrote no cache");
    assert_eq!(run(&["model", "."]), model);
    assert_eq!(run(&["policy", "eval", query, "."]), eval);
    // A warm run reads the facts from the cache (edited by hand here), `--no-cache` does not.
    let path = root.join(CACHE_FILE);
    let mut cache = read_cache(&path);
    for entry in cache["entries"].as_object_mut().unwrap().values_mut() {
        entry["facts"] = serde_json::json!({ "listens": [], "strings": [] });
    }
    std::fs::write(&path, serde_json::to_vec(&cache).unwrap()).unwrap();
    assert_ne!(run(&["policy", "eval", query, "."]), eval);
    assert_eq!(run(&["policy", "eval", query, "--no-cache", "."]), eval);
    assert_eq!(run(&["model", "--no-cache", "."]), model);
}

#[test]
fn cache_dir_in_the_configuration_is_where_the_cache_goes() {
    let dir = project();
    let root = dir.path();
    std::fs::write(root.join(".meshlint.toml"), "cache-dir = \"build/meshlint\"\n").unwrap();
    let fresh = uncached(root, ".");
    assert_eq!(cached(root, "."), fresh);
    assert!(!root.join(".meshlint_cache").exists());
    assert_eq!(
        entry_names(&read_cache(&root.join("build/meshlint/app-facts.json"))),
        ["services/web/app.py", "services/web/client.py"]
    );
    assert_eq!(cached(root, "."), fresh);
    // --show-config says where it is and why.
    let shown = stdout(&meshlint(&["check", "--show-config", "."], root));
    assert!(
        shown.contains("cache-dir") && shown.contains("build/meshlint"),
        "{shown}"
    );
}

#[test]
fn concurrent_cold_runs_agree_and_leave_a_usable_cache() {
    let copy = copy_to_temp(&repo_root().join("fixtures"));
    let root = copy.path();
    // One project root for the whole tree, so that every run writes the same cache.
    std::fs::write(root.join(".meshlint.toml"), "").unwrap();
    let fresh = uncached(root, ".");
    // Four threads, each running the binary: the processes overlap.
    let runs: Vec<(i32, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4).map(|_| scope.spawn(|| cached(root, "."))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for run in runs {
        assert_eq!(run, fresh);
    }
    let cache = read_cache(&root.join(CACHE_FILE));
    assert!(entry_names(&cache).len() >= 40, "{:?}", entry_names(&cache));
    assert_eq!(cached(root, "."), fresh);
    // No temporary file left behind.
    let left: Vec<_> = std::fs::read_dir(root.join(".meshlint_cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
