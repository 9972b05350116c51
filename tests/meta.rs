//! Keeps the registry, the documents and the layout honest.

mod common;

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
            meta.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            meta.name
        );
        assert_eq!(RuleId::find(meta.name), Some(id));
        assert_eq!(RuleId::find(&meta.code.to_lowercase()), Some(id));
    }
}

#[test]
fn rules_readme_lists_exactly_the_registered_rules() {
    let readme = std::fs::read_to_string(repo_root().join("rules/README.md")).expect("rules/README.md");
    let available: Vec<(String, String)> = readme
        .lines()
        .filter(|l| l.contains("| available |"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let name = cells[2]
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .to_string();
            (cells[1].to_string(), name)
        })
        .collect();
    let registered: Vec<(String, String)> = RuleId::all()
        .map(|id| (id.code().to_string(), id.name().to_string()))
        .collect();
    assert_eq!(available, registered);
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
fn rule_option_tables_name_rules_of_the_catalogue() {
    let readme = std::fs::read_to_string(repo_root().join("rules/README.md")).expect("rules/README.md");
    for name in meshlint::config::OPTION_TABLES {
        assert!(
            readme
                .lines()
                .any(|l| l.contains(&format!("| {name} |")) || l.contains(&format!("[{name}]"))),
            "[rules.{name}] in .meshlint.toml names no rule of rules/README.md"
        );
    }
}
