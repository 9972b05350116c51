//! Keeps the registry, the documents and the layout honest.

mod common;

use common::cli::{code, run, stderr, stdout};
use common::repo_root;
use meshlint::catalog::RuleId;
use std::collections::HashSet;

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for id in RuleId::all() {
        let meta = id.meta();
        assert!(codes.insert(meta.code), "duplicate code {}", meta.code);
        assert!(names.insert(meta.name), "duplicate name {}", meta.name);
        assert!(
            meta.code.starts_with("MESH") && meta.code.len() == 7,
            "{}",
            meta.code
        );
        assert!(
            meta.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && meta.name.starts_with(|c: char| c.is_ascii_lowercase()),
            "{}",
            meta.name
        );
        assert_eq!(RuleId::find(meta.name), Some(id));
        assert_eq!(RuleId::find(&meta.code.to_lowercase()), Some(id));
    }
}

/// Each rule's code, name, default severity, fix availability and summary, in code order:
/// what `meshlint rules` prints and what the table of `rules/README.md` shows.
fn catalogue() -> Vec<[String; 5]> {
    RuleId::all()
        .map(|id| {
            let meta = id.meta();
            [
                meta.code.to_string(),
                meta.name.to_string(),
                meta.severity.as_str().to_string(),
                meta.fix.describe(),
                meta.summary.to_string(),
            ]
        })
        .collect()
}

const TABLE_START: &str = "<!-- rules table:";
const TABLE_END: &str = "<!-- end of rules table -->";
const REGENERATE: &str = "MESHLINT_BLESS=1 cargo test --test meta";

/// The table of `rules/README.md`, from the rules' metadata.
fn rules_table() -> String {
    let mut table =
        String::from("| code | name | default severity | fix | summary |\n|---|---|---|---|---|\n");
    for [code, name, severity, fix, summary] in catalogue() {
        let summary = summary.replace('|', "\\|");
        table.push_str(&format!(
            "| {code} | [{name}]({name}.md) | {severity} | {fix} | {summary} |\n"
        ));
    }
    table
}

#[test]
fn rules_readme_table_is_generated_from_the_registry() {
    let path = repo_root().join("rules/README.md");
    let readme = std::fs::read_to_string(&path).expect("rules/README.md");
    let start = readme
        .find(TABLE_START)
        .and_then(|at| readme[at..].find("-->\n").map(|end| at + end + "-->\n".len()))
        .unwrap_or_else(|| panic!("rules/README.md has no `{TABLE_START} ... -->` comment above its table"));
    let end = start
        + readme[start..]
            .find(TABLE_END)
            .unwrap_or_else(|| panic!("rules/README.md has no `{TABLE_END}` below its table"));
    let expected = rules_table();
    if readme[start..end] == expected {
        return;
    }
    if std::env::var_os("MESHLINT_BLESS").is_some_and(|v| v == "1") {
        let updated = format!("{}{expected}{}", &readme[..start], &readme[end..]);
        // Renamed into place: the tests running alongside never read half a file.
        let temporary = path.with_extension("md.blessing");
        std::fs::write(&temporary, updated).expect("rules/ is writable");
        std::fs::rename(&temporary, &path).expect("rules/README.md is writable");
        eprintln!("rewrote the rules table of rules/README.md");
        return;
    }
    let have: Vec<&str> = readme[start..end].lines().collect();
    let want: Vec<&str> = expected.lines().collect();
    let first_difference = (0..have.len().max(want.len()))
        .find(|&i| have.get(i) != want.get(i))
        .map_or_else(String::new, |i| {
            let line = |lines: &[&str]| lines.get(i).copied().unwrap_or("(no line)").to_string();
            format!("\n  has:    {}\n  wanted: {}", line(&have), line(&want))
        });
    panic!(
        "the rules table of rules/README.md differs from the rules' metadata{first_difference}\n\
         regenerate it with `{REGENERATE}`"
    );
}

#[test]
fn rules_command_prints_the_catalogue_of_the_readme() {
    let output = run(&["rules"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = stdout(&output);
    let mut lines = text.lines();
    let header = lines.next().expect("a header line");
    // Columns start where the header's titles do; the summary runs to the end of the line.
    let starts: Vec<usize> = ["CODE", "NAME", "SEVERITY", "FIX", "SUMMARY"]
        .iter()
        .map(|title| {
            header
                .find(title)
                .unwrap_or_else(|| panic!("no {title} in {header:?}"))
        })
        .collect();
    let printed: Vec<[String; 5]> = lines
        .map(|line| {
            let chars: Vec<char> = line.chars().collect();
            std::array::from_fn(|c| {
                let end = starts.get(c + 1).copied().unwrap_or(chars.len()).min(chars.len());
                chars[starts[c].min(end)..end]
                    .iter()
                    .collect::<String>()
                    .trim()
                    .to_string()
            })
        })
        .collect();
    assert_eq!(printed, catalogue());
}

#[test]
fn rule_files_never_name_a_parser_crate() {
    let dir = repo_root().join("src/rules");
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for forbidden in ["hcl_edit", "tree_sitter", "hcl::"] {
            assert!(
                !text.contains(forbidden),
                "{} names {forbidden}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn every_rule_has_a_source_file_named_after_it() {
    for id in RuleId::all() {
        let file = repo_root()
            .join("src/rules")
            .join(format!("{}.rs", id.name().replace('-', "_")));
        assert!(file.exists(), "{} is missing", file.display());
    }
}

#[test]
fn every_rule_option_is_documented_with_its_rule() {
    assert!(!meshlint::rules::OPTIONS.is_empty());
    for spec in meshlint::rules::OPTIONS {
        let name = spec.rule.name();
        let doc = spec.rule.meta().doc;
        let options = doc
            .split("\n## Options\n")
            .nth(1)
            .unwrap_or_else(|| panic!("rules/{name}.md has no `## Options` section for `{}`", spec.key));
        assert!(
            options.contains(&format!("[rules.{name}]")) && options.contains(&format!("{} = ", spec.key)),
            "rules/{name}.md's Options section does not show `[rules.{name}] {} = …`",
            spec.key
        );
    }
}
