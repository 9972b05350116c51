//! meshlint's evaluation of expressions against Terraform's own, on a corpus of expressions:
//! `tests/data/terraform_expressions.txt` (written by hand, edge cases first) and the
//! combinations generated below (every one-argument function on every sample value, every
//! `format` verb on every sample value).
//!
//! Terraform evaluates them a few hundred at a time in `terraform console` (one run per
//! expression would take minutes): each expression becomes a local,
//! `try({ v = jsonencode(EXPR) }, null)`, so a value prints as its JSON and an error as
//! `null`, and the console prints the list of them, base64-encoded so no quoting stands
//! between us and the bytes. Expressions `try` cannot catch (an undeclared reference, a
//! result Terraform leaves unknown) poison a run; it is retried without the expressions the
//! diagnostics name, or split in halves when they name none.
//!
//! meshlint's value must be Terraform's, in the same JSON, wherever meshlint knows it wholly;
//! where Terraform fails, meshlint must not know a value. Unknown is always allowed, but the
//! number of known function results has a floor so that regressions show.
//!
//! Without `terraform` on PATH the test prints why and passes, except in CI (`CI` set).

#[path = "terraform_differential/console.rs"]
mod console;

use console::{terraform_available, terraform_outcomes, Outcome};
use meshlint::model::terraform::standalone::evaluate_expression;
use meshlint::model::terraform::value::{Value, ValueKind};
use std::collections::BTreeMap;
use std::path::Path;

/// Known function results must not fall below this (see the report the test prints).
const FUNCTIONS_KNOWN_FLOOR: usize = 1150;

/// Disagreements whose cause lies outside the code this test guards, each with that cause.
/// They are printed, not failed on; an entry that stops disagreeing fails the test until it
/// is removed, so the list stays true.
const KNOWN_GAPS: &[(&str, &str)] = &[
    // meshlint's values carry no type: a set is a list, so what Terraform refuses to do with
    // a set (index it, concatenate it, slice it) meshlint does.
    (r#"concat(toset(["a"]), ["b"])"#, "sets are not told from lists"),
    (r#"element(toset(["a"]), 0)"#, "sets are not told from lists"),
    (r#"slice(toset(["a"]), 0, 1)"#, "sets are not told from lists"),
    ("toset([1])[0]", "sets are not told from lists"),
    // The parser (src/parse/hcl_edit.rs) reads `-0` as 0.
    ("toset([0.5, -0, 0])", "the parser reads -0 as 0"),
    ("tostring(-0)", "the parser reads -0 as 0"),
    ("jsonencode(-0)", "the parser reads -0 as 0"),
    ("max(-1, -0)", "the parser reads -0 as 0"),
    ("min(-0, 0)", "the parser reads -0 as 0"),
    // HCL normalises string literals to NFC (U+212A KELVIN SIGN becomes K); the parser keeps
    // them as written.
    (
        r#"regex("(?i)K", "\u212a")"#,
        "string literals are not NFC-normalised",
    ),
    (r#"upper("e\u0301")"#, "string literals are not NFC-normalised"),
    (r#""e\u0301""#, "string literals are not NFC-normalised"),
    // The evaluator (src/model/terraform/eval.rs) does not track collection types, so it
    // cannot tell that a list and an object have no common type.
    (
        "true ? [1] : {}",
        "conditional results are not converted to a common type",
    ),
];

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Section {
    /// Calls of the functions meshlint evaluates (`src/model/terraform/functions/`).
    Functions,
    /// Operators, conditionals, `for`, splats, indexes, `try`/`can`, templates.
    Language,
}

struct Case {
    section: Section,
    text: String,
}

fn corpus() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/terraform_expressions.txt");
    let text = std::fs::read_to_string(&path).expect("the corpus file");
    let mut cases = Vec::new();
    let mut section = Section::Functions;
    let mut block: Option<String> = None;
    for line in text.lines() {
        if let Some(open) = block.as_mut() {
            if line == ">>>" {
                cases.push(Case {
                    section,
                    text: block.take().unwrap_or_default(),
                });
            } else {
                open.push_str(line);
                open.push('\n');
            }
            continue;
        }
        match line.trim() {
            "## functions" => section = Section::Functions,
            "## language" => section = Section::Language,
            "<<<" => block = Some(String::new()),
            "" => {}
            l if l.starts_with('#') => {}
            l => cases.push(Case {
                section,
                text: l.to_string(),
            }),
        }
    }
    assert!(block.is_none(), "an unclosed <<< block in the corpus");
    cases.extend(generated());
    cases
}

/// Values every generated call is tried on: strings of several scripts and shapes, numbers
/// exact and not, bools, null, tuples, lists, sets, objects and maps.
const SAMPLES: &[&str] = &[
    r#""abc""#,
    r#""""#,
    r#""Hello, wORLD-foo_bar""#,
    r#""  padded \t""#,
    r#""héllo wörld""#,
    r#""ÀÉÎ ΣΑΣ ǆ""#,
    r#""straße""#,
    r#""line1\nline2""#,
    r#""a<b>&c""#,
    r#""12""#,
    r#""-3.5""#,
    r#""true""#,
    r#""1e3""#,
    r#""aGk=""#,
    r#""[1,\"a\",{\"b\":null}]""#,
    "0",
    "1",
    "-2.5",
    "0.1",
    "1e3",
    "true",
    "false",
    "null",
    "[]",
    "[1, 2, 3]",
    r#"["b", "a", "b", ""]"#,
    r#"[1, "a"]"#,
    r#"[true, "x", null]"#,
    "[[1, 2], [3]]",
    "[true, false]",
    "{}",
    r#"{a = 1, b = "x"}"#,
    r#"{b = [1], a = {c = true}}"#,
    r#"tolist(["x", "y"])"#,
    r#"toset(["b", "a"])"#,
    r#"tomap({k = "v"})"#,
];

const UNARY: &[&str] = &[
    "upper",
    "lower",
    "title",
    "trimspace",
    "strrev",
    "length",
    "tostring",
    "tonumber",
    "tobool",
    "tolist",
    "toset",
    "tomap",
    "jsonencode",
    "jsondecode",
    "yamlencode",
    "base64encode",
    "base64decode",
    "abs",
    "ceil",
    "floor",
    "signum",
    "keys",
    "values",
    "flatten",
    "distinct",
    "compact",
    "reverse",
    "one",
    "sum",
    "alltrue",
    "anytrue",
    "sort",
];

const FORMATS: &[&str] = &[
    "%s", "%v", "%#v", "%q", "%d", "%f", "%.2f", "%5d|", "%-6s|", "%06.1f", "%+d", "% d", "%x", "%X", "%o",
    "%b", "%t", "%e", "%.3s", "%8.3f|", "%.0f", "%-5v|",
];

const FORMAT_VALUES: &[&str] = &[
    r#""x""#,
    r#""é<""#,
    r#""12""#,
    "42",
    "-7",
    "3.14159",
    "2.5",
    "0.125",
    "true",
    r#"[1, "a"]"#,
    "{a = 1}",
    "0",
    "-0.5",
    "255",
];

fn generated() -> Vec<Case> {
    let mut cases = Vec::new();
    for function in UNARY {
        for sample in SAMPLES {
            cases.push(Case {
                section: Section::Functions,
                text: format!("{function}({sample})"),
            });
        }
    }
    for spec in FORMATS {
        for value in FORMAT_VALUES {
            cases.push(Case {
                section: Section::Functions,
                text: format!("format(\"{spec}\", {value})"),
            });
        }
    }
    cases
}

/// Our value as Go's `encoding/json` (and so `jsonencode`) writes it; `None` for a number
/// no JSON can hold.
fn to_json(value: &Value, out: &mut String) -> Option<()> {
    match &value.kind {
        ValueKind::Null => out.push_str("null"),
        ValueKind::Bool(b) => out.push_str(&b.to_string()),
        ValueKind::Number(n) if n.is_finite() => out.push_str(&format!("{n}")),
        ValueKind::Number(_) | ValueKind::Unknown(_) | ValueKind::Error(_) => return None,
        ValueKind::String(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    '\u{8}' => out.push_str("\\b"),
                    '\u{c}' => out.push_str("\\f"),
                    c if (c as u32) < 0x20 || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                        out.push_str(&format!("\\u{:04x}", c as u32))
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        ValueKind::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                to_json(item, out)?;
            }
            out.push(']');
        }
        ValueKind::Object(fields) => {
            let sorted: BTreeMap<&str, &Value> = fields.iter().map(|(k, v)| (k.as_str(), v)).collect();
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                to_json(&Value::new(ValueKind::String(k.to_string()), value.span), out)?;
                out.push(':');
                to_json(v, out)?;
            }
            out.push('}');
        }
    }
    Some(())
}

fn unknown_reason(value: &Value) -> String {
    match &value.kind {
        ValueKind::Unknown(reason) => reason.clone(),
        ValueKind::List(items) => items
            .iter()
            .map(unknown_reason)
            .find(|r| !r.is_empty())
            .unwrap_or_default(),
        ValueKind::Object(fields) => fields
            .iter()
            .map(|(_, v)| unknown_reason(v))
            .find(|r| !r.is_empty())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

#[test]
fn meshlint_agrees_with_terraform_console() {
    let Some(version) = terraform_available() else {
        return;
    };
    if !version.contains("v1.11.") {
        eprintln!("note: the corpus is checked against Terraform 1.11; this is {version}");
    }
    let cases = corpus();
    let texts: Vec<&str> = cases.iter().map(|c| c.text.as_str()).collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let outcomes = terraform_outcomes(dir.path(), &texts);

    // MESHLINT_DIFFERENTIAL_VERBOSE=1 also lists what meshlint leaves unknown, and why.
    let verbose = std::env::var_os("MESHLINT_DIFFERENTIAL_VERBOSE").is_some();
    let mut disagreements = Vec::new();
    let mut gaps_seen = Vec::new();
    // (section) -> (known, unknown)
    let mut tally: BTreeMap<Section, (usize, usize)> = BTreeMap::new();
    for (i, case) in cases.iter().enumerate() {
        let theirs = &outcomes[&i];
        let evaluated = evaluate_expression(&case.text);
        let counts = tally.entry(case.section).or_default();
        let ours = match evaluated {
            Ok(v) if v.is_wholly_known() => v,
            other => {
                counts.1 += 1;
                if verbose {
                    let why = match other {
                        Ok(v) => unknown_reason(&v),
                        Err(e) => e,
                    };
                    println!("unknown: {}  [terraform: {theirs:?}]\n    {why}", case.text);
                }
                continue;
            }
        };
        counts.0 += 1;
        let mut json = String::new();
        let ours_json = to_json(&ours, &mut json).map(|()| json);
        if !matches!((theirs, &ours_json), (Outcome::Json(t), Some(o)) if t == o) {
            if let Some((_, cause)) = KNOWN_GAPS.iter().find(|(text, _)| *text == case.text) {
                gaps_seen.push(case.text.as_str());
                println!("known gap ({cause}): {}", case.text);
                continue;
            }
        }
        match (theirs, ours_json) {
            (Outcome::Json(t), Some(o)) if *t == o => {}
            (Outcome::Json(t), o) => disagreements.push(format!(
                "{}\n    terraform: {t}\n    meshlint:  {}",
                case.text,
                o.unwrap_or_else(|| format!("{:?}", ours.kind))
            )),
            (fail, o) => disagreements.push(format!(
                "{}\n    terraform: {}\n    meshlint:  {}",
                case.text,
                if *fail == Outcome::Error {
                    "error"
                } else {
                    "fails or leaves it unknown"
                },
                o.unwrap_or_else(|| format!("{:?}", ours.kind))
            )),
        }
    }
    let errors = outcomes
        .values()
        .filter(|o| !matches!(o, Outcome::Json(_)))
        .count();
    println!(
        "{version}: {} expressions, {errors} of them errors in Terraform",
        cases.len()
    );
    for (section, (known, unknown)) in &tally {
        println!("  {section:?}: meshlint knows {known}, leaves {unknown} unknown");
    }
    for (text, _) in KNOWN_GAPS {
        if !gaps_seen.contains(text) {
            disagreements.push(format!(
                "{text}\n    no longer disagrees: remove it from KNOWN_GAPS"
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreement(s) with Terraform:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    let known = tally.get(&Section::Functions).map_or(0, |t| t.0);
    assert!(
        known >= FUNCTIONS_KNOWN_FLOOR,
        "meshlint now knows only {known} function results (floor {FUNCTIONS_KNOWN_FLOOR})"
    );
}
