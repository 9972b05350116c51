//! Configuration: `.meshlint.toml` files (the nearest one upwards from each checked file, or
//! `--config`), command-line overrides, and the effective settings of each file.

mod load;
mod options;
mod resolve;
mod show;

pub use options::*;
pub use resolve::{Resolver, CONFIG_FILE_NAME};
pub use show::show;

use crate::catalog::{RuleName, RuleRef, Severity};
use crate::source::FileId;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use typed_index_collections::TiVec;

/// `--fail-on` / `fail-on`: the lowest severity that makes the run exit with 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub const ALL: [FailOn; 4] = [FailOn::Error, FailOn::Warning, FailOn::Info, FailOn::Never];

    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::Never => "never",
        }
    }

    pub fn parse(text: &str) -> Option<FailOn> {
        FailOn::ALL.into_iter().find(|f| f.as_str() == text)
    }

    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// Where a setting's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Default,
    /// The configuration file of that [`Config`].
    File,
    CommandLine,
}

/// Settings given on the command line; they win over every configuration file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub select: Option<Vec<RuleName>>,
    pub ignore: Option<Vec<RuleName>>,
    /// `--extend-select`: added to the file's `select` (nothing to add when it selects all).
    pub extend_select: Vec<RuleName>,
    /// `--extend-ignore`: added to the file's `ignore`.
    pub extend_ignore: Vec<RuleName>,
    pub fail_on: Option<FailOn>,
}

/// One effective configuration: the defaults, then a file's settings, then the command line.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file, as shown to users; `None` when no file applies.
    pub file: Option<String>,
    /// Absolute directory that globs and folders in the file are relative to.
    pub dir: PathBuf,
    /// Absolute working directory: relative paths given to this configuration start there.
    pub base: PathBuf,
    /// Only these rules (every rule when `None`).
    pub select: Option<Vec<RuleName>>,
    pub ignore: Vec<RuleName>,
    /// Severities that differ from the rules' (and policies') defaults.
    pub severity: BTreeMap<RuleName, Severity>,
    /// `policies = [...]`: Rego files and folders (absolute), and JSON data files for them;
    /// `None` means `.meshlint/policies/` in the configuration's folder, when it exists.
    pub policies: Option<Vec<PathBuf>>,
    /// `baseline = "…"`: the baseline file (absolute) whose findings are not reported.
    pub baseline: Option<PathBuf>,
    /// `cache-dir = "…"`: where the persistent cache lives (absolute), instead of
    /// `.meshlint_cache/` in the project root.
    pub cache_dir: Option<PathBuf>,
    /// `[per-file-ignores]`: rules not reported in files that a glob matches.
    pub per_file_ignores: Vec<(PathGlobs, Vec<RuleName>)>,
    /// Files that are not read at all.
    pub exclude: PathGlobs,
    pub fail_on: FailOn,
    pub rules: RuleOptions,
    pub mesh: MeshOptions,
    pub app: AppOptions,
    /// Where each setting that is not a default came from, by its key (`select`,
    /// `severity.port-not-string`, `rules.bind-all-interfaces.allow`, …).
    origins: BTreeMap<String, Origin>,
}

impl Config {
    /// The defaults; `options` are the options rules declare.
    pub fn defaults(dir: PathBuf, options: &'static [OptionSpec]) -> Config {
        Config {
            file: None,
            base: dir.clone(),
            dir,
            select: None,
            ignore: Vec::new(),
            severity: BTreeMap::new(),
            policies: None,
            baseline: None,
            cache_dir: None,
            per_file_ignores: Vec::new(),
            exclude: PathGlobs::default(),
            fail_on: FailOn::Warning,
            rules: RuleOptions::new(options),
            mesh: MeshOptions::default(),
            app: AppOptions::default(),
            origins: BTreeMap::new(),
        }
    }

    fn set_origin(&mut self, key: impl Into<String>, origin: Origin) {
        self.origins.insert(key.into(), origin);
    }

    pub fn origin(&self, key: &str) -> Origin {
        self.origins.get(key).copied().unwrap_or(Origin::Default)
    }

    /// Command-line settings replace the file's.
    pub fn apply(&mut self, overrides: &Overrides) {
        if let Some(select) = &overrides.select {
            self.select = Some(select.clone());
            self.set_origin("select", Origin::CommandLine);
        }
        if let Some(ignore) = &overrides.ignore {
            self.ignore = ignore.clone();
            self.set_origin("ignore", Origin::CommandLine);
        }
        if let Some(select) = &mut self.select {
            for rule in &overrides.extend_select {
                if !select.contains(rule) {
                    select.push(rule.clone());
                }
            }
        }
        for rule in &overrides.extend_ignore {
            if !self.ignore.contains(rule) {
                self.ignore.push(rule.clone());
            }
        }
        if !overrides.extend_select.is_empty() || !overrides.extend_ignore.is_empty() {
            self.set_origin("select", Origin::CommandLine);
            self.set_origin("ignore", Origin::CommandLine);
        }
        if let Some(fail_on) = overrides.fail_on {
            self.fail_on = fail_on;
            self.set_origin("fail-on", Origin::CommandLine);
        }
    }

    pub fn enabled<'a>(&self, rule: impl Into<RuleRef<'a>>) -> bool {
        let rule = rule.into();
        self.select
            .as_ref()
            .is_none_or(|s| s.iter().any(|n| n.matches(rule)))
            && !self.ignore.iter().any(|n| n.matches(rule))
    }

    pub fn severity<'a>(&self, rule: impl Into<RuleRef<'a>>) -> Severity {
        let rule = rule.into();
        self.severity
            .iter()
            .find(|(name, _)| name.matches(rule))
            .map_or(rule.default_severity(), |(_, severity)| *severity)
    }

    /// The Rego files, folders and data files this configuration asks for, absolute.
    pub fn policy_paths(&self) -> Vec<PathBuf> {
        match &self.policies {
            Some(paths) => paths.clone(),
            None => {
                let default = self.dir.join(".meshlint").join("policies");
                if default.is_dir() {
                    vec![default]
                } else {
                    Vec::new()
                }
            }
        }
    }

    /// `path` (absolute, or relative to the working directory) relative to [`Config::dir`]
    /// with `/`, when it is below it.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let absolute = resolve::absolute(&self.base, path);
        let below = absolute.strip_prefix(&self.dir).ok()?;
        Some(
            below
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }

    /// Whether the file at this path is excluded.
    pub fn excludes(&self, path: &Path) -> bool {
        self.relative(path)
            .is_some_and(|relative| self.exclude.matches(&relative))
    }

    /// The mesh family that `[mesh.families]` gives the source at this path.
    pub fn family_of(&self, path: &Path) -> Option<&str> {
        self.mesh.family_of(&self.relative(path)?)
    }

    /// Whether globs of this configuration (relative to its folder) match the file at `path`.
    /// Whether `[per-file-ignores]` turns the rule off in the file at `path`.
    pub fn ignores_in<'a>(&self, rule: impl Into<RuleRef<'a>>, path: &Path) -> bool {
        let rule = rule.into();
        self.per_file_ignores
            .iter()
            .any(|(globs, rules)| rules.iter().any(|r| r.matches(rule)) && self.path_matches(globs, path))
    }

    pub fn path_matches(&self, globs: &PathGlobs, path: &Path) -> bool {
        self.relative(path)
            .is_some_and(|relative| globs.matches(&relative))
    }
}

/// One of a run's configurations: an index into [`Settings`]' list (and the resolver's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConfigId(usize);

impl From<usize> for ConfigId {
    fn from(index: usize) -> ConfigId {
        ConfigId(index)
    }
}

impl From<ConfigId> for usize {
    fn from(id: ConfigId) -> usize {
        id.0
    }
}

/// The configuration of every file of a run.
#[derive(Debug)]
pub struct Settings {
    configs: TiVec<ConfigId, Config>,
    by_file: TiVec<FileId, ConfigId>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::new(vec![Config::defaults(PathBuf::new(), &[])].into(), TiVec::new())
    }
}

impl Settings {
    /// `configs` must not be empty; files beyond `by_file` get the first configuration.
    pub fn new(configs: TiVec<ConfigId, Config>, by_file: TiVec<FileId, ConfigId>) -> Settings {
        assert!(!configs.is_empty(), "a run has at least one configuration");
        Settings { configs, by_file }
    }

    pub fn config(&self, id: ConfigId) -> &Config {
        &self.configs[id]
    }

    /// Which of the run's configurations a file has.
    pub fn config_id(&self, file: FileId) -> ConfigId {
        self.by_file.get(file).copied().unwrap_or(ConfigId(0))
    }

    pub fn for_file(&self, file: FileId) -> &Config {
        let index = self.by_file.get(file).copied().unwrap_or(ConfigId(0));
        &self.configs[index]
    }

    pub fn severity<'a>(&self, rule: impl Into<RuleRef<'a>>, file: FileId) -> Severity {
        self.for_file(file).severity(rule)
    }

    pub fn enabled<'a>(&self, rule: impl Into<RuleRef<'a>>, file: FileId) -> bool {
        self.for_file(file).enabled(rule)
    }

    /// Whether any configuration in use enables the rule (so that it must run).
    pub fn enabled_anywhere<'a>(&self, rule: impl Into<RuleRef<'a>>) -> bool {
        let rule = rule.into();
        self.configs.iter().any(|c| c.enabled(rule))
    }

    /// Every configuration of the run.
    pub fn configs(&self) -> impl Iterator<Item = &Config> {
        self.configs.iter()
    }

    /// Whether a finding of this severity in this file fails the run.
    pub fn fails(&self, severity: Severity, file: FileId) -> bool {
        self.for_file(file)
            .fail_on
            .threshold()
            .is_some_and(|threshold| severity >= threshold)
    }
}

/// A configuration that cannot be used: the message says where and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
