//! The Python wheel (pyproject.toml, maturin with `bindings = "bin"`): built, installed in a
//! fresh virtual environment, and run there on a fixture, as `pip install meshlint` users get
//! it. .ci/run installs maturin; elsewhere the test says it skipped. The build shares
//! `target/pre-commit` with the pre-commit tests' release builds.

mod common;

use common::*;
use std::process::Command;

#[test]
fn the_wheel_puts_a_working_meshlint_on_path() {
    let available = tool_runs(
        Command::new("maturin").arg("--version"),
        "CI must install maturin (.ci/run)",
        "maturin is not installed (pip install maturin==1.16.0)",
    );
    if !available {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let wheel = build_wheel(&scratch.path().join("dist"));
    let name = wheel.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with(&format!("meshlint-{}-", env!("CARGO_PKG_VERSION"))),
        "{name}"
    );

    let venv = scratch.path().join("venv");
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let installed = Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--no-index"])
        .arg(&wheel)
        .output()
        .unwrap();
    assert!(
        installed.status.success(),
        "{}",
        String::from_utf8_lossy(&installed.stderr)
    );

    let fixture = repo_root().join("fixtures/port-not-string/bad-inline-number-v0.1.1");
    let run = Command::new(venv.join("bin/meshlint"))
        .args(["check", "--format", "concise"])
        .arg(&fixture)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stdout).contains("[MESH002/port-not-string]"));
    let version = Command::new(venv.join("bin/meshlint"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
}
