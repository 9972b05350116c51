//! Executes every rule document: its `hcl bad` example must produce exactly one diagnostic of
//! that rule, its `hcl good` example none at all.

mod common;

use meshlint::catalog::RuleId;

fn example<'d>(doc: &'d str, info: &str) -> Option<&'d str> {
    let fence = format!("```{info}\n");
    let start = doc.find(&fence)? + fence.len();
    let end = doc[start..].find("\n```")? + start + 1;
    Some(&doc[start..end])
}

/// Checks the example as `main.tf`, with its `rego` block (if any) as the project's policy.
fn run(text: &str, policy: Option<&str>) -> meshlint::Report {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("main.tf"), text).expect("write example");
    if let Some(policy) = policy {
        let policies = dir.path().join(".meshlint/policies");
        std::fs::create_dir_all(&policies).expect("policy folder");
        std::fs::write(policies.join("policy.rego"), policy).expect("write policy");
    }
    meshlint::check(&meshlint::Options {
        paths: vec![dir.path().to_path_buf()],
        base: dir.path().to_path_buf(),
        ..Default::default()
    })
    .expect("the run succeeds")
}

#[test]
fn every_doc_example_does_what_it_says() {
    let mut failures = Vec::new();
    for id in RuleId::all() {
        let doc = id.meta().doc;
        let (Some(bad), Some(good)) = (example(doc, "hcl bad"), example(doc, "hcl good")) else {
            failures.push(format!(
                "{}: needs a ```hcl bad and a ```hcl good example",
                id.name()
            ));
            continue;
        };
        let bad_report = run(bad, example(doc, "rego bad"));
        let of_rule = bad_report.diagnostics.iter().filter(|d| d.rule == id).count();
        if of_rule != 1 {
            failures.push(format!(
                "{}: bad example gives {of_rule} diagnostics of the rule",
                id.name()
            ));
        }
        let good_report = run(good, example(doc, "rego good"));
        for d in &good_report.diagnostics {
            failures.push(format!(
                "{}: good example gives {}: {}",
                id.name(),
                d.rule.name(),
                d.message
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_doc_has_the_sections_users_rely_on() {
    for id in RuleId::all() {
        let doc = id.meta().doc;
        assert!(
            doc.starts_with(&format!("# {} ({})", id.name(), id.code())),
            "{}: title",
            id.name()
        );
        for section in ["## What it finds", "## Why it matters", "## Example", "## Fix"] {
            assert!(doc.contains(section), "{}: missing {section}", id.name());
        }
    }
}
