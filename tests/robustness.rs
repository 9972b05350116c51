//! No input makes meshlint panic, hang, or give up on the other files.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn run_binary(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_meshlint"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

fn assert_no_crash(output: &std::process::Output, what: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{what}: exit {:?}: {stderr}",
        output.status.code()
    );
}

#[test]
fn hostile_files_give_diagnostics_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.tf", Vec::new()),
        ("only-comment.tf", b"# nothing here\n".to_vec()),
        (
            "deep-brackets.tf",
            format!("a = {}{}\n", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        ),
        (
            "deep-objects.tf",
            format!("a = {}1{}\n", "{ b = ".repeat(5_000), " }".repeat(5_000)).into_bytes(),
        ),
        (
            "half-typed.tf",
            b"module \"web\" {\n  source = \"hashicorp/consul-ecs/aws//modules/mesh-task\"\n  port = 90"
                .to_vec(),
        ),
        (
            "endless-heredoc.tf",
            b"locals {\n  a = <<EOT\n  never closed\n".to_vec(),
        ),
        ("unterminated-string.tf", b"locals {\n  a = \"abc\n}\n".to_vec()),
        ("nul.tf", b"locals {}\n\0\0\0".to_vec()),
        (
            "main.go",
            b"package main\nfunc main() { http.ListenAndServe(\":80\"".to_vec(),
        ),
        ("bad.py", b"app.run(host=\"0.0.0.0\"\n\xff\xfe".to_vec()),
    ];
    for (name, bytes) in &cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let output = run_binary(&["check", "--format", "json"], dir.path());
    assert_no_crash(&output, "hostile files");
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON still comes out");
    assert_eq!(doc["summary"]["files"], cases.len());
}

#[test]
fn a_large_file_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let block = "resource \"aws_ecs_task_definition\" \"t%\" {\n  family = \"t%\"\n  container_definitions = jsonencode([{ name = \"a\", image = \"x\", environment = [{ name = \"URL\", value = \"http://localhost:1234\" }] }])\n}\n";
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 20 * 1024 * 1024 {
        text.push_str(&block.replace('%', &i.to_string()));
        i += 1;
    }
    std::fs::write(dir.path().join("big.tf"), &text).unwrap();
    let output = run_binary(&["check"], dir.path());
    assert_no_crash(&output, "20 MB file");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "no problems found; checked 1 file (1 Terraform, 0 application)\n"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_special_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("a")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("a/loop")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/x.tf", dir.path().join("dangling.tf")).unwrap();
    // A named pipe would block a reader forever.
    let fifo = dir.path().join("pipe.tf");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    std::fs::write(dir.path().join("a/main.tf"), "locals {}\n").unwrap();
    let output = run_binary(&["check"], dir.path());
    assert_no_crash(&output, "symlink loop");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("checked 1 file (1 Terraform"),
        "fifo made: {made}"
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported_and_the_rest_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.tf");
    std::fs::write(&secret, "locals {}\n").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&secret).is_ok() {
        eprintln!("running as root: permissions do not stop reading; skipping the unreadable-file check");
        return;
    }
    std::fs::write(dir.path().join("ok.tf"), "locals {}\n").unwrap();
    let output = run_binary(&["check"], dir.path());
    assert_no_crash(&output, "unreadable file");
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read secret.tf"));
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut bytes = text.as_bytes().to_vec();
    match rng.below(4) {
        0 => bytes.truncate(rng.below(bytes.len() + 1)),
        1 => {
            for _ in 0..1 + rng.below(4) {
                if !bytes.is_empty() {
                    let at = rng.below(bytes.len());
                    const ALPHABET: &[u8] = b"{}[]()\"=#$\n\\<>,:x0 ";
                    bytes[at] = ALPHABET[rng.below(ALPHABET.len())];
                }
            }
        }
        2 => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let at = rng.below(lines.len());
            let mut out = lines.clone();
            if let Some(line) = lines.get(at) {
                out.insert(at, line);
            }
            bytes = out.concat().into_bytes();
        }
        _ => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let at = rng.below(lines.len());
            bytes = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != at)
                .map(|(_, l)| *l)
                .collect::<String>()
                .into_bytes();
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn thousands_of_mutated_fixtures_never_panic() {
    let cases: Vec<PathBuf> = subdirs(&repo_root().join("fixtures"))
        .iter()
        .flat_map(|g| subdirs(g))
        .collect();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut runs = 0;
    for round in 0..16 {
        for case in &cases {
            let files: Vec<PathBuf> = files_below(case);
            let mut overlay = BTreeMap::new();
            for file in &files {
                let Ok(text) = std::fs::read_to_string(file) else {
                    continue;
                };
                let mutated = if rng.below(2) == 0 || files.len() == 1 {
                    mutate(&text, &mut rng)
                } else {
                    text
                };
                overlay.insert(
                    file.components()
                        .filter(|c| !matches!(c, std::path::Component::CurDir))
                        .collect::<PathBuf>(),
                    mutated,
                );
            }
            let options = meshlint::Options {
                paths: vec![case.clone()],
                base: repo_root(),
                overlay,
                ..Default::default()
            };
            let report = meshlint::check(&options)
                .unwrap_or_else(|e| panic!("round {round}, {}: {e}", case.display()));
            // Rendering must cope with whatever came out.
            let _ = meshlint::output::render(
                &report,
                meshlint::output::Format::Human,
                &meshlint::output::RenderOptions {
                    color: false,
                    quiet: false,
                    ..Default::default()
                },
            );
            runs += 1;
        }
    }
    assert!(runs > 2_000, "only {runs} runs");
}
