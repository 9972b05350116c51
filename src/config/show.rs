//! `meshlint check --show-config`: the effective settings, each with where it came from.

use super::{Config, Origin};
use crate::catalog::RuleId;

fn quoted(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", items.join(", "))
}

/// A key as TOML needs it written: bare when it can be.
fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        key.to_string()
    } else {
        format!("{key:?}")
    }
}

/// The settings of one configuration, in `.meshlint.toml` layout, each line followed by where
/// its value came from (`default`, the file, or `command line`). `scope` lists the paths it
/// applies to.
pub fn show(config: &Config, scope: &[String]) -> String {
    let from = |key: &str| match config.origin(key) {
        Origin::Default => "default".to_string(),
        Origin::CommandLine => "command line".to_string(),
        Origin::File => config.file.clone().unwrap_or_default(),
    };
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut row = |text: String, origin: String| rows.push((text, origin));

    let select = match &config.select {
        None => "(every rule)".to_string(),
        Some(rules) => quoted(rules.iter().map(|r| r.as_str().to_string())),
    };
    row(format!("select = {select}"), from("select"));
    row(
        format!(
            "ignore = {}",
            quoted(config.ignore.iter().map(|r| r.as_str().to_string()))
        ),
        from("ignore"),
    );
    row(
        format!("fail-on = {:?}", config.fail_on.as_str()),
        from("fail-on"),
    );
    row(
        format!("exclude = {}", quoted(config.exclude.patterns().iter().cloned())),
        from("exclude"),
    );
    let policies = match &config.policies {
        None => "(.meshlint/policies/ when it exists)".to_string(),
        Some(paths) => quoted(paths.iter().map(|p| p.display().to_string())),
    };
    row(format!("policies = {policies}"), from("policies"));
    if let Some(baseline) = &config.baseline {
        row(
            format!("baseline = {:?}", baseline.display().to_string()),
            from("baseline"),
        );
    }
    if let Some(dir) = &config.cache_dir {
        row(
            format!("cache-dir = {:?}", dir.display().to_string()),
            from("cache-dir"),
        );
    }
    row(String::new(), String::new());
    row("[severity]".into(), String::new());
    for rule in RuleId::all() {
        let mut origin = from(&format!("severity.{}", rule.name()));
        if !config.enabled(rule) {
            origin.push_str(" (rule not enabled)");
        }
        row(
            format!("{} = {:?}", rule.name(), config.severity(rule).as_str()),
            origin,
        );
    }
    for (name, severity) in &config.severity {
        if let crate::catalog::RuleName::Policy(id) = name {
            row(
                format!("{id:?} = {:?}", severity.as_str()),
                from(&format!("severity.{id}")),
            );
        }
    }
    if !config.per_file_ignores.is_empty() {
        row(String::new(), String::new());
        row("[per-file-ignores]".into(), from("per-file-ignores"));
        for (globs, rules) in &config.per_file_ignores {
            let glob = globs.patterns().first().cloned().unwrap_or_default();
            row(
                format!(
                    "{glob:?} = {}",
                    quoted(rules.iter().map(|r| r.as_str().to_string()))
                ),
                from("per-file-ignores"),
            );
        }
    }
    for spec in config.rules.specs() {
        let table = spec.rule.name();
        let key = spec.key;
        row(String::new(), String::new());
        row(format!("[rules.{table}]"), String::new());
        row(
            format!("{key} = {}", quoted(config.rules.shown(spec))),
            from(&format!("rules.{table}.{key}")),
        );
    }
    row(String::new(), String::new());
    row("[mesh.families]".into(), from("mesh.families"));
    for (folder, family) in &config.mesh.families {
        row(format!("{folder:?} = {family:?}"), String::new());
    }

    row(String::new(), String::new());
    row("[app]".into(), String::new());
    row(format!("mesh = {:?}", config.app.mesh.as_str()), from("app.mesh"));
    let upstreams: Vec<String> = config
        .app
        .upstreams
        .iter()
        .map(|(name, port)| format!("{} = {port}", toml_key(name)))
        .collect();
    row(
        format!("upstreams = {{ {} }}", upstreams.join(", ")).replace("{  }", "{}"),
        from("app.upstreams"),
    );

    // Origins line up, except after the odd long line, which would push them all too far.
    let width = rows
        .iter()
        .map(|(t, _)| t.chars().count())
        .filter(|w| *w <= 48)
        .max()
        .unwrap_or(0);
    let mut out = format!(
        "# configuration: {}\n# applies to: {}\n",
        config.file.as_deref().unwrap_or("none found (defaults)"),
        scope.join(", ")
    );
    for (text, origin) in rows {
        let line = if origin.is_empty() {
            text
        } else {
            format!("{text:<width$}  # {origin}")
        };
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;
    use std::path::PathBuf;

    #[test]
    fn every_setting_shows_its_origin() {
        let mut config = super::super::load::from_text(
            "ignore = [\"MESH007\"]\n[severity]\nport-not-string = \"info\"\n[mesh.families]\n\"apps/web\" = \"web\"\n[app]\nupstreams = { billing = 7100, api = 7200 }\n",
            "sub/.meshlint.toml".into(),
            PathBuf::from("/r/sub"),
            crate::config::load::TEST_OPTIONS,
        )
        .unwrap();
        config.apply(&Overrides {
            fail_on: Some(super::super::FailOn::Error),
            ..Overrides::default()
        });
        let text = show(&config, &["sub".to_string()]);
        let line = |start: &str| {
            text.lines()
                .find(|l| l.starts_with(start))
                .unwrap_or_else(|| panic!("no line {start} in\n{text}"))
                .to_string()
        };
        assert!(text.starts_with("# configuration: sub/.meshlint.toml\n# applies to: sub\n"));
        assert!(line("select = (every rule)").ends_with("# default"));
        assert!(line("ignore = [\"leftover-task-definition\"]").ends_with("# sub/.meshlint.toml"));
        assert!(line("fail-on = \"error\"").ends_with("# command line"));
        assert!(line("port-not-string = \"info\"").ends_with("# sub/.meshlint.toml"));
        assert!(line("syntax-error = \"error\"").ends_with("# default"));
        assert!(line("leftover-task-definition = \"warning\"").ends_with("# default (rule not enabled)"));
        assert!(line("[mesh.families]").ends_with("# sub/.meshlint.toml"));
        assert!(text.contains("\n\"apps/web\" = \"web\"\n"));
        assert!(line("allowed-hosts = []").ends_with("# default"));
        assert!(line("mesh = \"auto\"").ends_with("# default"));
        assert!(line("upstreams = { api = 7200, billing = 7100 }").ends_with("# sub/.meshlint.toml"));
    }
}
