//! Running `terraform console` on many expressions at once.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// What Terraform made of one expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The value, as `jsonencode` writes it.
    Json(String),
    /// An error `try` caught.
    Error,
    /// An error `try` cannot catch, or a value Terraform leaves unknown.
    Failed,
}

pub fn terraform_available() -> Option<String> {
    let output = Command::new("terraform")
        .arg("version")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .ok()
        .filter(|o| o.status.success());
    match output {
        Some(o) => Some(
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string(),
        ),
        None => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install terraform 1.11 first (.ci/run checks for it)"
            );
            eprintln!("skipped: `terraform` is not on PATH (install Terraform 1.11 to run this test)");
            None
        }
    }
}

/// Expressions per console run: a run that fails is retried without the expressions its
/// diagnostics name, and split in halves when they name none (a result Terraform leaves
/// unknown), so smaller runs keep the retries cheap.
const CHUNK: usize = 300;

/// More diagnostics than this in one run are taken for one error running on, not as many.
const MAX_NAMED: usize = 8;

/// Terraform's outcome for every expression.
pub fn terraform_outcomes(dir: &Path, texts: &[&str]) -> BTreeMap<usize, Outcome> {
    let mut out = BTreeMap::new();
    let all: Vec<usize> = (0..texts.len()).collect();
    for chunk in all.chunks(CHUNK) {
        settle(dir, texts, chunk.to_vec(), &mut out);
    }
    out
}

fn settle(dir: &Path, texts: &[&str], mut indexes: Vec<usize>, out: &mut BTreeMap<usize, Outcome>) {
    while !indexes.is_empty() {
        match console(dir, texts, &indexes) {
            Ok(outcomes) => {
                out.extend(indexes.iter().copied().zip(outcomes));
                return;
            }
            // A few expressions named: each is tried alone (a syntax error can be reported on
            // its neighbour's line), the rest again without them. Many named: a syntax error
            // that runs on through the file, so split instead.
            Err(named) if !named.is_empty() && named.len() <= MAX_NAMED && indexes.len() > 1 => {
                indexes.retain(|i| !named.contains(i));
                for i in named {
                    settle(dir, texts, vec![i], out);
                }
            }
            Err(_) if indexes.len() == 1 => {
                out.insert(indexes[0], Outcome::Failed);
                return;
            }
            Err(_) => {
                let right = indexes.split_off(indexes.len() / 2);
                settle(dir, texts, indexes, out);
                settle(dir, texts, right, out);
                return;
            }
        }
    }
}

/// Runs `terraform console` on the expressions with these indexes. When the run gives no
/// printable list, the error is the expressions its diagnostics point at (`on main.tf line N`).
fn console(dir: &Path, texts: &[&str], indexes: &[usize]) -> Result<Vec<Outcome>, Vec<usize>> {
    let mut config = String::from("locals {\n");
    // (first line, index) of each local, to read diagnostics' line numbers back.
    let mut starts = Vec::with_capacity(indexes.len());
    let mut line = 2;
    for &i in indexes {
        let text = texts[i].trim_end_matches('\n');
        starts.push((line, i));
        config.push_str(&format!("  e{i} = try({{ v = jsonencode(\n{text}\n) }}, null)\n"));
        line += 2 + text.lines().count();
    }
    config.push_str("}\n");
    std::fs::write(dir.join("main.tf"), config).expect("write main.tf");
    let list: Vec<String> = indexes.iter().map(|i| format!("local.e{i}")).collect();
    let mut child = Command::new("terraform")
        .args(["console", "-no-color"])
        .current_dir(dir)
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run terraform console");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("base64encode(jsonencode([{}]))\n", list.join(", ")).as_bytes())
        .expect("write to terraform console");
    let output = child.wait_with_output().expect("terraform console");
    let parsed = output
        .status
        .success()
        .then(|| parse(&String::from_utf8_lossy(&output.stdout), indexes.len()))
        .flatten();
    parsed.ok_or_else(|| {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let mut named: Vec<usize> = stderr
            .lines()
            .filter_map(|l| l.trim().strip_prefix("on main.tf line "))
            .filter_map(|rest| {
                rest.split(|c: char| !c.is_ascii_digit())
                    .next()?
                    .parse::<usize>()
                    .ok()
            })
            .filter_map(|n| {
                starts
                    .iter()
                    .rev()
                    .find(|(start, _)| *start <= n)
                    .map(|(_, i)| *i)
            })
            .collect();
        named.sort_unstable();
        named.dedup();
        named
    })
}

/// The console's printed list: a quoted base64 string of a JSON array of `null` or `{"v": …}`.
fn parse(stdout: &str, expected: usize) -> Option<Vec<Outcome>> {
    let encoded = stdout.trim().strip_prefix('"')?.strip_suffix('"')?;
    let json: serde_json::Value = serde_json::from_slice(&base64_decode(encoded)?).ok()?;
    let items = json.as_array()?;
    if items.len() != expected {
        return None;
    }
    items
        .iter()
        .map(|item| match item {
            serde_json::Value::Null => Some(Outcome::Error),
            serde_json::Value::Object(o) => o.get("v")?.as_str().map(|s| Outcome::Json(s.to_string())),
            _ => None,
        })
        .collect()
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut bits = 0u32;
    let mut count = 0;
    for b in text.bytes().filter(|&b| b != b'=') {
        bits = (bits << 6) | ALPHABET.iter().position(|&a| a == b)? as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    Some(out)
}
