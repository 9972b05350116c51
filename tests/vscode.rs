//! The VS Code extension in `editors/vscode`, packaged the way it is published: `npm ci` of its
//! locked dependencies, then the pinned `vsce package`, in a copy of the folder so that neither
//! `node_modules` nor the `.vsix` lands in the repository. VS Code itself cannot run here, so
//! the test stops at what packaging can prove: the package builds, bundles the language client
//! `extension.js` requires (the extension is plain JavaScript with no bundler, so without its
//! `node_modules` it fails on activation), and asks for a VS Code that client supports.

mod common;

use common::repo_root;
use std::path::Path;
use std::process::{Command, Output};

const VSCE: &str = "@vscode/vsce@4.1.0";

/// Whether node, npm and npx can run; outside CI their absence skips the test with a message.
fn npm_installed() -> bool {
    ["node", "npm", "npx"].into_iter().all(|tool| {
        common::tool_runs(
            Command::new(tool).arg("--version"),
            "CI must have Node.js with npm and npx (.ci/run uses npm for the SARIF multitool too)",
            "node, npm or npx is not installed (https://nodejs.org)",
        )
    })
}

fn run(program: &str, args: &[&str], dir: &Path) -> Output {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("npm_config_update_notifier", "false")
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The extension's own files: what a checkout holds, not what a local `npm install` or
/// `vsce package` left next to them.
fn copy_sources(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name();
        let name = name.to_str().unwrap();
        if name == "node_modules" || name.ends_with(".vsix") {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(to.join(name)).unwrap();
            copy_sources(&entry.path(), &to.join(name));
        } else {
            std::fs::copy(entry.path(), to.join(name)).unwrap();
        }
    }
}

/// The names in a zip file's central directory (found through its end record, which is at the
/// end unless a comment follows it).
fn zip_names(zip: &[u8]) -> Vec<String> {
    let u16_at = |at: usize| u16::from_le_bytes([zip[at], zip[at + 1]]) as usize;
    let u32_at = |at: usize| u32::from_le_bytes(zip[at..at + 4].try_into().unwrap()) as usize;
    let end = (0..=zip.len().saturating_sub(22))
        .rev()
        .find(|&at| zip[at..at + 4] == [b'P', b'K', 5, 6])
        .expect("a zip end-of-central-directory record");
    let (count, mut at) = (u16_at(end + 10), u32_at(end + 16));
    let mut names = Vec::new();
    for _ in 0..count {
        assert_eq!(zip[at..at + 4], [b'P', b'K', 1, 2], "a central directory entry");
        let length = u16_at(at + 28);
        names.push(String::from_utf8(zip[at + 46..at + 46 + length].to_vec()).unwrap());
        at += 46 + length + u16_at(at + 30) + u16_at(at + 32);
    }
    names
}

/// `^1.91.0` (or `>=1.91.0`), the oldest VS Code a package.json's `engines.vscode` accepts.
fn minimum_vscode(package_json: &Path) -> (u32, u32, u32) {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(package_json).unwrap()).unwrap();
    let range = json["engines"]["vscode"].as_str().expect("engines.vscode");
    let version = range.trim_start_matches(['^', '>', '=']);
    let parts: Vec<u32> = version.split('.').map(|p| p.parse().expect(range)).collect();
    assert_eq!(parts.len(), 3, "{range} in {}", package_json.display());
    (parts[0], parts[1], parts[2])
}

/// Loads the packaged `extension.js` in plain Node, with a stand-in for the `vscode` module
/// (which only VS Code provides): every `require` it makes, directly or through the language
/// client, must then be in the package. Any property of the stand-in is the stand-in again, and
/// it can be subclassed, as the client's classes do at load time.
const LOAD: &str = r#"
const Module = require('module');
const vscode = new Proxy(function () {}, { get: (_, key) => (key === 'prototype' ? {} : vscode) });
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};
const extension = require(process.argv[1]);
if (typeof extension.activate !== 'function' || typeof extension.deactivate !== 'function') {
  throw new Error('extension.js exports no activate and deactivate');
}
"#;

/// Unpacks `zip` into `to` with `unzip`, or else Python's zipfile; false when neither runs.
fn unpack(zip: &Path, to: &Path) -> bool {
    let unzip = Command::new("unzip")
        .arg("-q")
        .arg(zip)
        .arg("-d")
        .arg(to)
        .status();
    if unzip.is_ok_and(|s| s.success()) {
        return true;
    }
    let python = Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(zip)
        .arg(to)
        .status();
    python.is_ok_and(|s| s.success())
}

#[test]
fn vscode_extension_packages_with_its_language_client() {
    if !npm_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let extension = dir.path().join("vscode");
    std::fs::create_dir(&extension).unwrap();
    copy_sources(&repo_root().join("editors/vscode"), &extension);

    // `ci`, not `install`: it fails when package-lock.json no longer matches package.json.
    run(
        "npm",
        &["ci", "--no-audit", "--no-fund", "--loglevel=error"],
        &extension,
    );
    // vscode-languageclient throws on construction in a VS Code older than it supports, so an
    // `engines.vscode` below its own would let the extension install where it cannot start.
    let ours = minimum_vscode(&extension.join("package.json"));
    let client = minimum_vscode(&extension.join("node_modules/vscode-languageclient/package.json"));
    assert!(
        ours >= client,
        "engines.vscode allows VS Code {ours:?}, but vscode-languageclient needs {client:?}"
    );

    run(
        "npx",
        &["--yes", VSCE, "package", "--out", "meshlint.vsix"],
        &extension,
    );
    let vsix = std::fs::read(extension.join("meshlint.vsix")).expect("vsce wrote meshlint.vsix");
    let names = zip_names(&vsix);
    for wanted in [
        "extension/extension.js",
        "extension/package.json",
        "extension/node_modules/vscode-languageclient/package.json",
        "extension/node_modules/vscode-languageclient/lib/node/main.js",
    ] {
        assert!(
            names.iter().any(|n| n == wanted),
            "{wanted} is not in the package: {names:?}"
        );
    }
    // Besides node_modules, only what the extension needs at run time or shows in VS Code:
    // .vscodeignore keeps out the lock file and anything else added to the folder later.
    let mut own: Vec<&str> = names
        .iter()
        .filter_map(|n| n.strip_prefix("extension/"))
        .filter(|n| !n.starts_with("node_modules/"))
        .collect();
    own.sort_unstable();
    assert_eq!(
        own,
        [
            "LICENSE.txt",
            "changelog.md",
            "extension.js",
            "package.json",
            "readme.md"
        ],
        "the package's own files (a new one belongs in this list or in .vscodeignore)"
    );

    // Unpacked outside the folder npm installed into, so that Node cannot fall back on that
    // folder's node_modules for a file the package lacks.
    let unpacked = dir.path().join("unpacked");
    if !unpack(&extension.join("meshlint.vsix"), &unpacked) {
        assert!(std::env::var_os("CI").is_none(), "CI must have unzip or python3");
        eprintln!("skipped loading the packaged extension.js: neither unzip nor python3 runs");
        return;
    }
    let main = unpacked.join("extension/extension.js");
    let output = Command::new("node")
        .args(["-e", LOAD])
        .arg(&main)
        .env_remove("NODE_PATH")
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "the packaged extension.js does not load:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
