//! Running the real binary.

use super::repo_root;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

pub fn meshlint(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meshlint"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .expect("the binary runs")
}

pub fn run(args: &[&str]) -> Output {
    meshlint(args, &repo_root())
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally, not by a signal")
}

pub fn json(output: &Output) -> Value {
    serde_json::from_str(&stdout(output)).expect("valid JSON")
}
