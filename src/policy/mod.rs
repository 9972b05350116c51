//! Teams' own policies: Rego files evaluated by `regorus` with the model document
//! (`crate::export`) as `input`. A policy package declares itself (id, severity, title, help,
//! url; see `metadata`) and yields findings from its `deny`, `warn` and `info` sets of
//! `{"msg": …, "at": …}`; `locate` turns `at` into a span with the labels a built-in rule
//! would give.
//!
//! Loading fails (the run exits with 2) when a policy does not compile or declares itself
//! wrongly; an evaluation that fails or runs out of time is a `policy-error` finding on the
//! policy, and the other policies still run.

mod files;
pub mod input;
mod locate;
mod metadata;
pub mod testing;

pub use files::{FileKind, PolicyFile};

use crate::catalog::{PolicyMeta, RuleId, RuleKey, Severity};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, SourceMap, Span};
use locate::Locator;
use metadata::Declared;
use rayon::prelude::*;
use regorus::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How long one policy may evaluate before it is stopped.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// The sets a policy yields findings from, and the severity each gives when the policy's
/// declaration does not decide.
const OUTPUTS: [(&str, Option<Severity>); 3] = [
    ("deny", None),
    ("warn", Some(Severity::Warning)),
    ("info", Some(Severity::Info)),
];

/// A policy file that failed to load: where, and what is wrong.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let (place, message) = interpreter_message(&self.message);
        match place.or_else(|| (!self.file.is_empty()).then(|| self.file.clone())) {
            Some(place) => write!(f, "policy error: {place}: {message}")?,
            None => write!(f, "policy error: {message}")?,
        }
        // regorus shows the line with a caret under the place: keep it.
        let snippet: Vec<&str> = self.message.lines().filter(|l| l.contains('|')).collect();
        if !snippet.is_empty() {
            write!(f, "\n{}", snippet.join("\n"))?;
        }
        Ok(())
    }
}

/// regorus's message as `(file:line:col, what)`: it writes `--> file:line:col`, the line
/// with a caret, then `error: what`.
fn interpreter_message(text: &str) -> (Option<String>, String) {
    let place = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .map(str::to_string);
    let message = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .or_else(|| text.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("failed")
        .to_string();
    (place, message)
}

/// One policy: a Rego package with its declaration and the sets it yields.
#[derive(Debug, Clone)]
pub struct Policy {
    pub meta: Arc<PolicyMeta>,
    /// `data.org.mesh_tls`, as regorus names the package.
    pub package: String,
    /// The file that declares it (an index into [`Policies::files`]).
    pub file: usize,
    outputs: Vec<&'static str>,
}

/// The loaded policies of a run, ready to evaluate.
#[derive(Clone)]
pub struct Policies {
    engine: regorus::Engine,
    pub files: Vec<PolicyFile>,
    pub policies: Vec<Policy>,
}

impl std::fmt::Debug for Policies {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("Policies")
            .field("policies", &self.policies)
            .finish()
    }
}

impl Policies {
    /// Reads and compiles the policies under `paths` (see [`files::collect`]); tests too when
    /// `with_tests`. `base` is what shown paths are relative to.
    pub fn load(paths: &[PathBuf], base: &Path, with_tests: bool) -> Result<Policies, Vec<LoadError>> {
        let files = files::collect(paths, base).map_err(|message| {
            vec![LoadError {
                file: String::new(),
                message,
            }]
        })?;
        let files: Vec<PolicyFile> = files
            .into_iter()
            .filter(|f| with_tests || f.kind != FileKind::Test)
            .collect();
        Policies::compile(files)
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    fn compile(files: Vec<PolicyFile>) -> Result<Policies, Vec<LoadError>> {
        let mut engine = regorus::Engine::new();
        engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
            limit: TIME_LIMIT,
            check_interval: std::num::NonZeroU32::new(64).expect("not zero"),
        });
        let mut errors = Vec::new();
        let mut packages: Vec<(String, usize)> = Vec::new();
        for (index, file) in files.iter().enumerate() {
            let error = |message: String| LoadError {
                file: file.shown.clone(),
                message,
            };
            match file.kind {
                FileKind::Data => {
                    let data = serde_json::from_str::<serde_json::Value>(&file.text)
                        .map_err(|e| e.to_string())
                        .and_then(|json| match json {
                            serde_json::Value::Object(_) => Ok(Value::from(json)),
                            _ => Err("a data file holds one JSON object".to_string()),
                        })
                        .and_then(|data| engine.add_data(data).map_err(|e| e.to_string()));
                    if let Err(message) = data {
                        errors.push(error(message));
                    }
                }
                FileKind::Rego | FileKind::Test => {
                    match engine.add_policy(file.shown.clone(), file.text.clone()) {
                        Ok(package) => packages.push((package, index)),
                        Err(e) => errors.push(error(e.to_string())),
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let policies = declared_policies(&mut engine, &files, &packages)?;
        Ok(Policies {
            engine,
            files,
            policies,
        })
    }

    /// The metadata of every policy: SARIF lists them as rules, suppressions may name them.
    pub fn metas(&self) -> Vec<Arc<PolicyMeta>> {
        self.policies.iter().map(|p| p.meta.clone()).collect()
    }

    /// An engine with this input, for queries and tests.
    pub fn engine_with_input(&self, input: Value) -> regorus::Engine {
        let mut engine = self.engine.clone();
        engine.set_input(input);
        engine
    }

    /// Evaluates every policy over `document` (the model as regorus reads it). `sources`
    /// holds the project's files and the policy files (at `policy_files`, parallel to
    /// [`Policies::files`]); `severity` gives a policy finding's severity in a file, given
    /// the severity the policy asks for.
    pub fn evaluate(
        &self,
        document: &Value,
        sources: &SourceMap,
        policy_files: &[FileId],
        severity: &(dyn Fn(&Arc<PolicyMeta>, Severity, FileId) -> Severity + Sync),
    ) -> Vec<Diagnostic> {
        let locator = Locator::new(sources, document);
        self.policies
            .par_iter()
            .flat_map_iter(|policy| {
                let mut engine = self.engine_with_input(document.clone());
                let file_span = package_span(&self.files[policy.file].text, policy_files[policy.file]);
                let mut out = Vec::new();
                for name in &policy.outputs {
                    let wanted = OUTPUTS.iter().find(|(n, _)| n == name).and_then(|(_, s)| *s);
                    let asked = wanted.unwrap_or(policy.meta.severity);
                    match engine.eval_rule(format!("{}.{name}", policy.package)) {
                        Ok(value) => {
                            for item in items(&value) {
                                let mut d = finding(policy, item, &locator, file_span);
                                d.severity = severity(&policy.meta, asked, d.span.file);
                                out.push(d);
                            }
                        }
                        Err(e) => {
                            out.push(evaluation_error(policy, name, &e.to_string(), file_span));
                            break;
                        }
                    }
                }
                out
            })
            .collect()
    }
}

/// The packages that declare a policy: by `__meshlint__`, else by `# METADATA`. A package
/// that yields findings without a declaration, or with a wrong one, is an error.
fn declared_policies(
    engine: &mut regorus::Engine,
    files: &[PolicyFile],
    packages: &[(String, usize)],
) -> Result<Vec<Policy>, Vec<LoadError>> {
    let mut errors = Vec::new();
    let mut policies: Vec<Policy> = Vec::new();
    let mut done = std::collections::BTreeSet::new();
    for (package, index) in packages {
        if files[*index].kind == FileKind::Test || !done.insert(package.clone()) {
            continue;
        }
        let same: Vec<usize> = packages
            .iter()
            .filter(|(p, i)| p == package && files[*i].kind != FileKind::Test)
            .map(|(_, i)| *i)
            .collect();
        let declares = |rule: &str| {
            same.iter()
                .find(|i| {
                    engine
                        .has_declared_rule_rooted_at(&files[**i].shown, rule)
                        .unwrap_or(false)
                })
                .copied()
        };
        let outputs: Vec<&'static str> = OUTPUTS
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| declares(n).is_some())
            .collect();
        let by_rule = declares("__meshlint__");
        let declared = match by_rule {
            Some(file) => match engine.eval_rule(format!("{package}.__meshlint__")) {
                Ok(value) => Some((file, Declared::from_rule(&value))),
                Err(e) => Some((file, Err(e.to_string()))),
            },
            None => same
                .iter()
                .find_map(|i| Declared::from_annotations(&files[*i].text).map(|d| (*i, Ok(d)))),
        };
        let error = |file: usize, message: String| LoadError {
            file: files[file].shown.clone(),
            message: format!(
                "policy package `{}`: {message}",
                package.trim_start_matches("data.")
            ),
        };
        match declared {
            None if outputs.is_empty() => {}
            None => errors.push(error(
                same[0],
                format!(
                    "yields `{}` but declares no id: add `__meshlint__ := {{\"id\": \"org/name\", \"severity\": \"error\", \"title\": \"…\"}}`",
                    outputs[0]
                ),
            )),
            Some((file, declared)) => match declared.and_then(|d| d.into_meta(&files[file].shown)) {
                Ok(meta) => {
                    if let Some(other) = policies.iter().find(|p| p.meta.id == meta.id) {
                        errors.push(error(
                            file,
                            format!("id `{}` is already the id of package `{}`", meta.id, other.package.trim_start_matches("data.")),
                        ));
                        continue;
                    }
                    policies.push(Policy {
                        meta: Arc::new(meta),
                        package: package.clone(),
                        file,
                        outputs,
                    });
                }
                Err(message) => errors.push(error(file, message)),
            },
        }
    }
    if errors.is_empty() {
        policies.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        Ok(policies)
    } else {
        Err(errors)
    }
}

/// The items of a `deny`/`warn`/`info` value: a set (partial rule) or an array; undefined
/// (no rule body held) is none.
fn items(value: &Value) -> Vec<&Value> {
    match value {
        Value::Set(items) => items.iter().collect(),
        Value::Array(items) => items.iter().collect(),
        Value::Undefined => Vec::new(),
        other => vec![other],
    }
}

fn finding(policy: &Policy, item: &Value, locator: &Locator, file_span: Span) -> Diagnostic {
    let (message, at) = match item {
        Value::String(text) => (text.to_string(), &Value::Undefined),
        _ => {
            let message = match &item["msg"] {
                Value::String(text) => text.to_string(),
                Value::Undefined => format!("{} (the policy gave no `msg`)", policy.meta.title),
                other => other.to_json_str().unwrap_or_default(),
            };
            (message, &item["at"])
        }
    };
    let mut diagnostic = Diagnostic {
        rule: RuleKey::Policy(policy.meta.clone()),
        severity: policy.meta.severity,
        message,
        span: file_span,
        labels: Vec::new(),
        notes: Vec::new(),
        help: policy.meta.help.clone(),
        fix: None,
    };
    match locator.place(at) {
        Ok(place) => {
            diagnostic.span = place.span;
            for (span, text) in place.labels {
                if !diagnostic.labels.iter().any(|l| l.span == span) {
                    diagnostic.label(span, text);
                }
            }
        }
        Err(why) => {
            diagnostic.note(format!("{why}, so the finding points at the policy"));
        }
    }
    diagnostic
}

fn evaluation_error(policy: &Policy, output: &str, error: &str, span: Span) -> Diagnostic {
    let limit = error.contains("time limit") || error.contains("exceeded");
    let message = if limit {
        format!(
            "policy `{}` was stopped: evaluating `{output}` took longer than {} s",
            policy.meta.id,
            TIME_LIMIT.as_secs()
        )
    } else {
        format!("policy `{}` failed while evaluating `{output}`", policy.meta.id)
    };
    Diagnostic {
        rule: RuleKey::Builtin(RuleId::PolicyError),
        severity: RuleId::PolicyError.meta().severity,
        message,
        span,
        labels: Vec::new(),
        notes: vec![match interpreter_message(error) {
            (Some(place), message) => format!("{place}: {message}"),
            (None, message) => message,
        }],
        help: Some(format!(
            "fix the policy (`meshlint policy eval '{}.{output}'` shows the error); until then its findings from `{output}` on are missing",
            policy.package
        )),
        fix: None,
    }
}

/// The `package …` line of a policy file: where findings about the policy itself point.
fn package_span(text: &str, file: FileId) -> Span {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed.trim_start().starts_with("package ") {
            let start = offset + (trimmed.len() - trimmed.trim_start().len());
            return Span::new(file, start, offset + trimmed.len());
        }
        offset += line.len();
    }
    Span::new(file, 0, 0)
}
