//! `meshlint policy test`: runs the `test_` rules of `*_test.rego` files, as `opa test`
//! does. A test file may name the project whose model is its `input` on one of its first
//! lines, `# meshlint-input: fixtures/bad` (relative to the file); tests may also give their
//! own with `with input as …`.

use super::{FileKind, Policies};
use regorus::Value;
use std::path::{Path, PathBuf};

/// What a test file asks for, and its tests.
#[derive(Debug)]
pub struct TestFile {
    /// An index into [`Policies::files`].
    pub file: usize,
    pub package: String,
    /// The folder whose model is `input`, absolute.
    pub input: Option<PathBuf>,
    pub tests: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// The rule was false or undefined.
    Fail,
    Error(String),
}

/// One test's result.
#[derive(Debug)]
pub struct Outcome {
    pub file: String,
    /// `data.pkg.test_name`.
    pub test: String,
    pub verdict: Verdict,
}

const INPUT_MARK: &str = "# meshlint-input:";

/// The test files among the loaded policies, with their tests in file order.
pub fn test_files(policies: &Policies) -> Vec<TestFile> {
    policies
        .files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == FileKind::Test)
        .filter_map(|(index, file)| {
            let package = package_of(&file.text)?;
            let dir = file.path.parent().unwrap_or(Path::new("."));
            let input = file
                .text
                .lines()
                .take_while(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
                .find_map(|l| l.trim().strip_prefix(INPUT_MARK))
                .map(|folder| dir.join(folder.trim()));
            let mut tests: Vec<String> = file
                .text
                .lines()
                .filter_map(|line| {
                    let name: String = line
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    name.starts_with("test_").then_some(name)
                })
                .collect();
            tests.dedup();
            Some(TestFile {
                file: index,
                package,
                input,
                tests,
            })
        })
        .collect()
}

/// Runs every test; `model_of` gives the model of a folder (the input of the tests that name
/// it), `default_input` the input of the others.
pub fn run(
    policies: &Policies,
    model_of: &mut dyn FnMut(&Path) -> Result<Value, String>,
    default_input: &Value,
) -> Vec<Outcome> {
    let mut out = Vec::new();
    for test_file in test_files(policies) {
        let shown = policies.files[test_file.file].shown.clone();
        let input = match &test_file.input {
            Some(folder) => model_of(folder),
            None => Ok(default_input.clone()),
        };
        for test in &test_file.tests {
            let name = format!("data.{}.{test}", test_file.package);
            let verdict = match &input {
                Err(why) => Verdict::Error(format!("no input: {why}")),
                Ok(input) => {
                    let mut engine = policies.engine_with_input(input.clone());
                    match engine.eval_rule(name.clone()) {
                        Ok(Value::Bool(true)) => Verdict::Pass,
                        Ok(_) => Verdict::Fail,
                        Err(e) => Verdict::Error(match super::interpreter_message(&e.to_string()) {
                            (Some(place), message) => format!("{place}: {message}"),
                            (None, message) => message,
                        }),
                    }
                }
            };
            out.push(Outcome {
                file: shown.clone(),
                test: name,
                verdict,
            });
        }
    }
    out
}

/// The package a file declares, as a dotted path (`org.mesh_tls_test`).
fn package_of(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("package "))
        .map(|p| p.trim().to_string())
}

/// The report `opa test` prints, with meshlint's file names: one line per test, then counts.
pub fn render(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    let mut file = "";
    for outcome in outcomes {
        if outcome.file != file {
            file = &outcome.file;
            out.push_str(&format!("{file}:\n"));
        }
        let (word, detail) = match &outcome.verdict {
            Verdict::Pass => ("PASS", String::new()),
            Verdict::Fail => ("FAIL", String::new()),
            Verdict::Error(why) => ("ERROR", format!("\n    {why}")),
        };
        out.push_str(&format!("  {word} {}{detail}\n", outcome.test));
    }
    let passed = outcomes.iter().filter(|o| o.verdict == Verdict::Pass).count();
    let total = outcomes.len();
    out.push_str(&format!("{passed}/{total} tests passed"));
    if passed < total {
        out.push_str(&format!(", {} failed", total - passed));
    }
    out.push('\n');
    out
}
