//! `.meshlint.toml` → [`Config`]: every key checked, every value typed, every mistake an error
//! that names the file, line and column and, for a misspelt name, the closest valid one.

use super::options::{self, HostPattern, OptionKind, OptionSpec, OptionValue, PathGlobs};
use super::{Config, ConfigError, Origin};
use crate::catalog::Severity;
use crate::catalog::{RuleId, RuleName};
use crate::parse::toml::{self, TomlEntry, TomlKind, TomlValue};
use crate::source::SourceFile;
use crate::suggest;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

const TOP_KEYS: [&str; 12] = [
    "select",
    "ignore",
    "severity",
    "exclude",
    "fail-on",
    "rules",
    "mesh",
    "app",
    "policies",
    "baseline",
    "per-file-ignores",
    "cache-dir",
];
const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

/// Reads the configuration file at `path` (absolute), shown to users as `shown`.
/// `options` are the options rules declare.
pub fn load(path: &Path, shown: String, options: &'static [OptionSpec]) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("cannot read configuration {shown}: {e}")))?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    from_text(&text, shown, dir, options)
}

/// Parses configuration text; `dir` is where its globs and folders are relative to.
pub fn from_text(
    text: &str,
    shown: String,
    dir: PathBuf,
    options: &'static [OptionSpec],
) -> Result<Config, ConfigError> {
    let reader = Reader {
        source: SourceFile::new(shown.clone(), PathBuf::from(&shown), text.to_string()),
    };
    let top = toml::parse(text).map_err(|e| reader.error(&e.span, &e.message))?;
    let mut config = Config::defaults(dir, options);
    config.file = Some(shown);
    for entry in reader.table(&top, "")? {
        reader.top_level(&mut config, entry)?;
    }
    Ok(config)
}

struct Reader {
    source: SourceFile,
}

impl Reader {
    fn error(&self, span: &Range<usize>, message: &str) -> ConfigError {
        let at = self.source.location(span.start);
        ConfigError(format!(
            "{}:{}:{}: {message}",
            self.source.display_path, at.line, at.column
        ))
    }

    fn table<'v>(&self, value: &'v TomlValue, name: &str) -> Result<&'v [TomlEntry], ConfigError> {
        match &value.kind {
            TomlKind::Table(entries) => Ok(entries),
            other => Err(self.error(
                &value.span,
                &format!("`{name}` must be a table, not {}", other.describe()),
            )),
        }
    }

    fn string<'v>(&self, value: &'v TomlValue, name: &str) -> Result<&'v str, ConfigError> {
        match &value.kind {
            TomlKind::String(s) => Ok(s),
            other => Err(self.error(
                &value.span,
                &format!("`{name}` must be a string, not {}", other.describe()),
            )),
        }
    }

    fn strings<'v>(
        &self,
        value: &'v TomlValue,
        name: &str,
    ) -> Result<Vec<(&'v str, &'v TomlValue)>, ConfigError> {
        let TomlKind::Array(items) = &value.kind else {
            return Err(self.error(
                &value.span,
                &format!(
                    "`{name}` must be an array of strings, not {}",
                    value.kind.describe()
                ),
            ));
        };
        items
            .iter()
            .map(|item| Ok((self.string(item, name)?, item)))
            .collect()
    }

    fn unknown_key(&self, entry: &TomlEntry, known: &[&str], place: &str) -> ConfigError {
        let key = &entry.key;
        let message = match suggest::closest(key, known.iter().copied()) {
            Some(near) => format!("unknown key `{key}`{place}; did you mean `{near}`?"),
            None => format!(
                "unknown key `{key}`{place}; expected one of {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.error(&entry.key_span, &message)
    }

    fn rules(&self, value: &TomlValue, name: &str) -> Result<Vec<RuleName>, ConfigError> {
        let mut out = Vec::new();
        for (text, item) in self.strings(value, name)? {
            let rule = RuleName::lookup(text).map_err(|m| self.error(&item.span, &m))?;
            if !out.contains(&rule) {
                out.push(rule);
            }
        }
        Ok(out)
    }

    fn globs(&self, value: &TomlValue, name: &str) -> Result<PathGlobs, ConfigError> {
        let items = self.strings(value, name)?;
        let patterns = items.iter().map(|(text, _)| text.to_string()).collect();
        PathGlobs::new(patterns).map_err(|(index, message)| self.error(&items[index].1.span, &message))
    }

    fn top_level(&self, config: &mut Config, entry: &TomlEntry) -> Result<(), ConfigError> {
        let key = entry.key.as_str();
        let value = &entry.value;
        match key {
            "select" => config.select = Some(self.rules(value, key)?),
            "ignore" => config.ignore = self.rules(value, key)?,
            "exclude" => config.exclude = self.globs(value, key)?,
            "baseline" => {
                config.baseline = Some(config.dir.join(self.string(value, key)?));
                config.set_origin("baseline", Origin::File);
            }
            "cache-dir" => {
                config.cache_dir = Some(config.dir.join(self.string(value, key)?));
                config.set_origin("cache-dir", Origin::File);
            }
            // Relative to the configuration's folder, like every path in it.
            "policies" => {
                let paths = self.strings(value, key)?;
                config.policies = Some(paths.iter().map(|(text, _)| config.dir.join(text)).collect());
                config.set_origin("policies", Origin::File);
            }
            "fail-on" => {
                let text = self.string(value, key)?;
                config.fail_on = super::FailOn::parse(text).ok_or_else(|| {
                    self.error(
                        &value.span,
                        &format!(
                            "`fail-on` must be one of `error`, `warning`, `info`, `never`, not `{text}`"
                        ),
                    )
                })?;
            }
            "severity" => {
                for item in self.table(value, key)? {
                    let rule = RuleName::lookup(&item.key).map_err(|m| self.error(&item.key_span, &m))?;
                    let text = self.string(&item.value, &format!("severity.{}", item.key))?;
                    let severity = SEVERITIES
                        .into_iter()
                        .find(|s| s.as_str() == text)
                        .ok_or_else(|| {
                            self.error(
                                &item.value.span,
                                &format!("severity must be `error`, `warning` or `info`, not `{text}`"),
                            )
                        })?;
                    config.set_origin(format!("severity.{}", rule.as_str()), Origin::File);
                    config.severity.insert(rule, severity);
                }
                return Ok(());
            }
            "rules" => {
                for item in self.table(value, key)? {
                    self.rule_options(config, item)?;
                }
                return Ok(());
            }
            // `"services/legacy/**" = ["bind-all-interfaces"]`: globs relative to this file.
            "per-file-ignores" => {
                for item in self.table(value, key)? {
                    let globs = PathGlobs::new(vec![item.key.clone()])
                        .map_err(|(_, message)| self.error(&item.key_span, &message))?;
                    let rules = self.rules(&item.value, &format!("per-file-ignores.\"{}\"", item.key))?;
                    config.per_file_ignores.push((globs, rules));
                }
                config.set_origin("per-file-ignores", Origin::File);
                return Ok(());
            }
            "mesh" => {
                for item in self.table(value, key)? {
                    match item.key.as_str() {
                        "families" => self.families(config, &item.value)?,
                        _ => return Err(self.unknown_key(item, &["families"], " in `[mesh]`")),
                    }
                }
                return Ok(());
            }
            "app" => {
                for item in self.table(value, key)? {
                    match item.key.as_str() {
                        "mesh" => self.app_mesh(config, &item.value)?,
                        "upstreams" => self.app_upstreams(config, &item.value)?,
                        _ => return Err(self.unknown_key(item, &["mesh", "upstreams"], " in `[app]`")),
                    }
                }
                return Ok(());
            }
            _ => return Err(self.unknown_key(entry, &TOP_KEYS, "")),
        }
        config.set_origin(key, Origin::File);
        Ok(())
    }

    fn rule_options(&self, config: &mut Config, entry: &TomlEntry) -> Result<(), ConfigError> {
        let name = entry.key.as_str();
        let specs = config.rules.specs();
        let mut with_options: Vec<&str> = specs.iter().map(|s| s.rule.name()).collect();
        with_options.sort_unstable();
        with_options.dedup();
        if !with_options.contains(&name) {
            let message = match RuleId::find(name) {
                Some(rule) => format!("rule `{}` takes no options", rule.name()),
                None => {
                    let names = RuleId::all()
                        .map(RuleId::name)
                        .chain(with_options.iter().copied());
                    match suggest::closest(name, names) {
                        Some(near) => format!("unknown rule `{name}` in `[rules]`; did you mean `{near}`?"),
                        None => format!(
                            "unknown rule `{name}` in `[rules]`; rules with options: {}",
                            with_options
                                .iter()
                                .map(|n| format!("`{n}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    }
                }
            };
            return Err(self.error(&entry.key_span, &message));
        }
        let place = format!(" in `[rules.{name}]`");
        let keys: Vec<&str> = specs
            .iter()
            .filter(|s| s.rule.name() == name)
            .map(|s| s.key)
            .collect();
        for item in self.table(&entry.value, &format!("rules.{name}"))? {
            let option = format!("rules.{name}.{}", item.key);
            let Some(spec) = specs.iter().find(|s| s.rule.name() == name && s.key == item.key) else {
                return Err(self.unknown_key(item, &keys, &place));
            };
            let value = match spec.kind {
                OptionKind::Hosts => {
                    let mut hosts = Vec::new();
                    for (text, value) in self.strings(&item.value, &option)? {
                        hosts.push(HostPattern::parse(text).map_err(|m| self.error(&value.span, &m))?);
                    }
                    OptionValue::Hosts(hosts)
                }
                OptionKind::PathGlobs => OptionValue::PathGlobs(self.globs(&item.value, &option)?),
            };
            config.rules.set(spec, value);
            config.set_origin(option, Origin::File);
        }
        Ok(())
    }

    fn families(&self, config: &mut Config, value: &TomlValue) -> Result<(), ConfigError> {
        let mut families = BTreeMap::new();
        for item in self.table(value, "mesh.families")? {
            let folder = options::folder(&item.key).map_err(|m| self.error(&item.key_span, &m))?;
            let text = self.string(&item.value, &format!("mesh.families.\"{}\"", item.key))?;
            let family = options::family(text).map_err(|m| self.error(&item.value.span, &m))?;
            if families.insert(folder.clone(), family).is_some() {
                return Err(self.error(&item.key_span, &format!("folder `{folder}` is mapped twice")));
            }
        }
        config.mesh = options::MeshOptions::new(families.into_iter().collect());
        config.set_origin("mesh.families", Origin::File);
        Ok(())
    }
}

impl Reader {
    fn app_mesh(&self, config: &mut Config, value: &TomlValue) -> Result<(), ConfigError> {
        let text = self.string(value, "app.mesh")?;
        config.app.mesh = options::AppMesh::ALL
            .into_iter()
            .find(|m| m.as_str() == text)
            .ok_or_else(|| {
                self.error(
                    &value.span,
                    &format!("`app.mesh` must be `auto`, `always` or `never`, not `{text}`"),
                )
            })?;
        config.set_origin("app.mesh", Origin::File);
        Ok(())
    }

    fn app_upstreams(&self, config: &mut Config, value: &TomlValue) -> Result<(), ConfigError> {
        let mut upstreams: BTreeMap<String, u16> = BTreeMap::new();
        let mut ports: BTreeMap<u16, String> = BTreeMap::new();
        for item in self.table(value, "app.upstreams")? {
            let name = options::service(&item.key).map_err(|m| self.error(&item.key_span, &m))?;
            let port = match item.value.kind {
                TomlKind::Integer(port @ 1..=65535) => port as u16,
                TomlKind::Integer(port) => {
                    return Err(self.error(&item.value.span, &format!("{port} is not a port (1–65535)")))
                }
                ref other => {
                    return Err(self.error(
                        &item.value.span,
                        &format!(
                            "`app.upstreams.{}` must be the local port of the upstream (an integer), not {}",
                            item.key,
                            other.describe()
                        ),
                    ))
                }
            };
            if let Some(first) = ports.insert(port, name.clone()) {
                return Err(self.error(
                    &item.value.span,
                    &format!("upstreams `{first}` and `{name}` both bind local port {port}"),
                ));
            }
            upstreams.insert(name, port);
        }
        config.app.upstreams = upstreams.into_iter().collect();
        config.set_origin("app.upstreams", Origin::File);
        Ok(())
    }
}

/// The options the rules declare today, for the configuration's own tests (which cannot see
/// the rules); `tests/config.rs` runs the real list through the binary.
#[cfg(test)]
pub(super) const TEST_OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        rule: RuleId::HardcodedUpstreamUrl,
        key: "allowed-hosts",
        kind: OptionKind::Hosts,
    },
    OptionSpec {
        rule: RuleId::BindAllInterfaces,
        key: "allow",
        kind: OptionKind::PathGlobs,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Config, String> {
        from_text(
            text,
            ".meshlint.toml".into(),
            PathBuf::from("/repo"),
            TEST_OPTIONS,
        )
        .map_err(|e| e.0)
    }

    #[test]
    fn reads_every_setting() {
        let config = read(
            r#"
select = ["port-not-string", "MESH013", "leftover-task-definition"]
ignore = ["leftover-task-definition"]
exclude = ["legacy/**"]
fail-on = "error"

[severity]
port-not-string = "warning"
MESH013 = "info"

[rules.hardcoded-upstream-url]
allowed-hosts = ["billing.internal", "*.example.com"]

[rules.bind-all-interfaces]
allow = ["services/edge/**"]

[mesh.families]
"services/billing" = "billing"

[app]
mesh = "always"
upstreams = { billing = 7100, "web-v2" = 7200 }
"#,
        )
        .unwrap();
        assert_eq!(config.select.as_ref().unwrap().len(), 3);
        assert!(config.enabled(RuleId::PortNotString));
        assert!(
            !config.enabled(RuleId::LeftoverTaskDefinition),
            "ignore wins over select"
        );
        assert!(!config.enabled(RuleId::SyntaxError), "not selected");
        assert_eq!(config.fail_on, super::super::FailOn::Error);
        assert_eq!(config.severity(RuleId::PortNotString), Severity::Warning);
        assert_eq!(config.severity(RuleId::PlaceholderModuleVersion), Severity::Info);
        assert_eq!(config.severity(RuleId::SyntaxError), Severity::Error);
        assert!(config.excludes(Path::new("/repo/legacy/main.tf")));
        assert!(!config.excludes(Path::new("/elsewhere/legacy/main.tf")));
        assert!(config
            .rules
            .hosts(&TEST_OPTIONS[0])
            .iter()
            .any(|h| h.matches("api.example.com")));
        let allow = config.rules.path_globs(&TEST_OPTIONS[1]).unwrap();
        assert!(allow.matches("services/edge/main.go"));
        assert_eq!(
            config.family_of(Path::new("/repo/services/billing/app.py")),
            Some("billing")
        );
        // Relative paths start at the working directory (here the file's own folder).
        assert_eq!(
            config.family_of(Path::new("services/billing/app.py")),
            Some("billing")
        );
        assert!(config.path_matches(allow, Path::new("./services/edge/cmd/main.go")));
        assert!(!config.path_matches(allow, Path::new("services/web/main.go")));
        assert!(config.excludes(Path::new("legacy/x/../main.tf")));
        assert_eq!(config.origin("select"), Origin::File);
        assert_eq!(config.origin("severity.port-not-string"), Origin::File);
        assert_eq!(config.origin("severity.syntax-error"), Origin::Default);
        assert_eq!(config.origin("mesh.families"), Origin::File);
        assert_eq!(config.app.mesh, options::AppMesh::Always);
        assert_eq!(config.app.upstream_names(), ["billing", "web-v2"]);
        assert_eq!(config.app.upstream_port("web-v2"), Some(7200));
        assert_eq!(config.origin("app.upstreams"), Origin::File);
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        let config = read("").unwrap();
        assert!(RuleId::all().all(|r| config.enabled(r)));
        assert_eq!(config.fail_on, super::super::FailOn::Warning);
        assert_eq!(config.origin("fail-on"), Origin::Default);
    }

    #[test]
    fn mistakes_are_errors_with_a_position_and_a_suggestion() {
        let cases = [
            ("selet = []\n", ".meshlint.toml:1:1: unknown key `selet`; did you mean `select`?"),
            ("select = [\"port-not-strng\"]\n", "1:11: unknown rule `port-not-strng`; did you mean `port-not-string`?"),
            ("[severity]\nport-not-string = \"fatal\"\n", "2:19: severity must be `error`, `warning` or `info`, not `fatal`"),
            ("[severity]\nport-not-strin = \"error\"\n", "2:1: unknown rule `port-not-strin`; did you mean `port-not-string`?"),
            ("fail-on = \"warnings\"\n", "`fail-on` must be one of"),
            ("select = \"port-not-string\"\n", "`select` must be an array of strings, not a string"),
            ("exclude = [\"a[\"]\n", "1:12: invalid glob `a[`"),
            ("[rules.hardcoded-upstream-ur]\n", "unknown rule `hardcoded-upstream-ur` in `[rules]`; did you mean `hardcoded-upstream-url`?"),
            ("[rules.port-not-string]\nx = 1\n", "rule `port-not-string` takes no options"),
            ("[rules.hardcoded-upstream-url]\nallowed-host = []\n", "2:1: unknown key `allowed-host` in `[rules.hardcoded-upstream-url]`; did you mean `allowed-hosts`?"),
            ("[rules.hardcoded-upstream-url]\nallowed-hosts = [\"https://x.y/\"]\n", "is a URL"),
            ("[rules.bind-all-interfaces]\nallow = [1]\n", "must be a string, not an integer"),
            ("[mesh]\nfamilys = {}\n", "unknown key `familys` in `[mesh]`; did you mean `families`?"),
            ("[mesh]\nteams = {}\n", "unknown key `teams` in `[mesh]`; expected one of `families`"),
            ("[mesh.families]\n\"../x\" = \"web\"\n", "must not leave"),
            ("[mesh.families]\n\"x\" = \"not a family\"\n", "is not a task family name"),
            ("a = \n", ".meshlint.toml:1:"),
            ("[app]\nmesh = \"sometimes\"\n", "2:8: `app.mesh` must be `auto`, `always` or `never`, not `sometimes`"),
            ("[app]\nmeshes = \"auto\"\n", "unknown key `meshes` in `[app]`; did you mean `mesh`?"),
            ("[app]\nupstreams = { billing = \"7100\" }\n", "must be the local port of the upstream (an integer), not a string"),
            ("[app]\nupstreams = { billing = 70000 }\n", "70000 is not a port (1–65535)"),
            ("[app]\nupstreams = { billing = 7100, web = 7100 }\n", "upstreams `billing` and `web` both bind local port 7100"),
            ("[app]\nupstreams = { \"bad name\" = 7100 }\n", "is not a service name"),
            ("[app]\nupstreams = [7100]\n", "`app.upstreams` must be a table, not an array"),
        ];
        for (text, wanted) in cases {
            let error = read(text).expect_err(text);
            assert!(error.contains(wanted), "{text:?}: {error}");
        }
    }
}
