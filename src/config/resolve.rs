//! Which configuration applies where: the nearest `.meshlint.toml` in a file's folder or
//! above it, each file read once; or the one `--config` file for everything.

use super::{load, Config, ConfigError, ConfigId, OptionSpec, Overrides};
use crate::source::display_path;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use typed_index_collections::TiVec;

pub const CONFIG_FILE_NAME: &str = ".meshlint.toml";

pub struct Resolver {
    /// Absolute working directory: relative paths start here, and paths are shown from here.
    base: PathBuf,
    overrides: Overrides,
    /// The options rules declare.
    options: &'static [OptionSpec],
    explicit: Option<ConfigId>,
    configs: TiVec<ConfigId, Config>,
    /// Configuration index by absolute folder, for folders already looked up.
    by_dir: HashMap<PathBuf, ConfigId>,
    /// Index of the defaults-only configuration, once some folder needed it.
    defaults: Option<ConfigId>,
    /// Whether a folder holds a configuration file, for folders [`Resolver::prefetch`] looked
    /// at; others are looked at when needed.
    has_file: HashMap<PathBuf, bool>,
}

impl Resolver {
    /// `explicit` is `--config`: used for every path when given. `options` are the options
    /// rules declare (`[rules.<rule>]` tables).
    pub fn new(
        base: &Path,
        explicit: Option<&Path>,
        overrides: &Overrides,
        options: &'static [OptionSpec],
    ) -> Result<Resolver, ConfigError> {
        let base = absolute(&std::env::current_dir().unwrap_or_default(), base);
        let mut resolver = Resolver {
            base,
            overrides: overrides.clone(),
            options,
            explicit: None,
            configs: TiVec::new(),
            by_dir: HashMap::new(),
            defaults: None,
            has_file: HashMap::new(),
        };
        if let Some(path) = explicit {
            let path = absolute(&resolver.base, path);
            if !path.is_file() {
                return Err(ConfigError(format!(
                    "configuration file does not exist: {}",
                    display_path(&path, &resolver.base)
                )));
            }
            resolver.explicit = Some(resolver.load(&path)?);
        }
        Ok(resolver)
    }

    fn load(&mut self, path: &Path) -> Result<ConfigId, ConfigError> {
        let mut config = load::load(path, display_path(path, &self.base), self.options)?;
        config.base = self.base.clone();
        config.apply(&self.overrides);
        Ok(self.configs.push_and_get_key(config))
    }

    /// The absolute form of a path given relative to the working directory.
    pub fn absolute(&self, path: &Path) -> PathBuf {
        absolute(&self.base, path)
    }

    /// Looks for configuration files in these folders on all cores at once. A large tree has a
    /// folder per service; one `stat` after another for each was a tenth of a run's wall time.
    pub fn prefetch(&mut self, dirs: &[&Path]) {
        if self.explicit.is_some() {
            return;
        }
        use rayon::prelude::*;
        let found: Vec<(PathBuf, bool)> = dirs
            .par_iter()
            .map(|dir| {
                let dir = self.absolute(dir);
                let has_file = dir.join(CONFIG_FILE_NAME).is_file();
                (dir, has_file)
            })
            .collect();
        self.has_file.extend(found);
    }

    /// The configuration of the files in `dir` (relative to the working directory or absolute).
    pub fn for_dir(&mut self, dir: &Path) -> Result<ConfigId, ConfigError> {
        if let Some(index) = self.explicit {
            return Ok(index);
        }
        let dir = self.absolute(dir);
        let mut visited = Vec::new();
        let mut found = None;
        for ancestor in dir.ancestors() {
            if let Some(&index) = self.by_dir.get(ancestor) {
                found = Some(index);
                break;
            }
            visited.push(ancestor.to_path_buf());
            let candidate = ancestor.join(CONFIG_FILE_NAME);
            let has_file = match self.has_file.get(ancestor) {
                Some(&known) => known,
                None => candidate.is_file(),
            };
            if has_file {
                found = Some(self.load(&candidate)?);
                break;
            }
        }
        let index = match found {
            Some(index) => index,
            None => self.defaults(),
        };
        for folder in visited {
            self.by_dir.insert(folder, index);
        }
        Ok(index)
    }

    /// The configuration for a path as given on the command line (a file or a folder).
    pub fn for_path(&mut self, path: &Path) -> Result<ConfigId, ConfigError> {
        let absolute = self.absolute(path);
        if absolute.is_dir() {
            self.for_dir(&absolute)
        } else {
            let parent = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
            self.for_dir(&parent)
        }
    }

    fn defaults(&mut self) -> ConfigId {
        if let Some(index) = self.defaults {
            return index;
        }
        let mut config = Config::defaults(self.base.clone(), self.options);
        config.apply(&self.overrides);
        let index = self.configs.push_and_get_key(config);
        self.defaults = Some(index);
        index
    }

    pub fn config(&self, index: ConfigId) -> &Config {
        &self.configs[index]
    }

    /// The configurations found so far.
    pub fn configs(&self) -> impl Iterator<Item = &Config> {
        self.configs.iter()
    }

    /// Every configuration found; the defaults are added when none was needed, so that the
    /// list is never empty.
    pub fn into_configs(mut self) -> TiVec<ConfigId, Config> {
        if self.configs.is_empty() {
            self.defaults();
        }
        self.configs
    }
}

pub use crate::source::absolute;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_file_upwards_wins_and_is_read_once() {
        let root = tempfile::tempdir().unwrap();
        let base = root.path();
        std::fs::create_dir_all(base.join("a/b/c")).unwrap();
        std::fs::create_dir_all(base.join("d")).unwrap();
        std::fs::write(base.join(CONFIG_FILE_NAME), "fail-on = \"error\"\n").unwrap();
        std::fs::write(base.join("a/b").join(CONFIG_FILE_NAME), "fail-on = \"info\"\n").unwrap();
        let mut resolver = Resolver::new(base, None, &Overrides::default(), &[]).unwrap();
        let deep = resolver.for_dir(Path::new("a/b/c")).unwrap();
        let same = resolver.for_path(Path::new("a/b")).unwrap();
        let top = resolver.for_dir(Path::new("d")).unwrap();
        let again = resolver.for_dir(Path::new("a")).unwrap();
        assert_eq!(deep, same);
        assert_eq!(top, again);
        assert_ne!(deep, top);
        assert_eq!(resolver.config(deep).file.as_deref(), Some("a/b/.meshlint.toml"));
        assert_eq!(resolver.config(top).fail_on, super::super::FailOn::Error);
        assert_eq!(resolver.into_configs().len(), 2);
    }

    #[test]
    fn explicit_file_is_used_everywhere_and_overrides_apply() {
        let root = tempfile::tempdir().unwrap();
        let base = root.path();
        std::fs::create_dir_all(base.join("x")).unwrap();
        std::fs::write(base.join("x").join(CONFIG_FILE_NAME), "fail-on = \"info\"\n").unwrap();
        std::fs::write(
            base.join("mine.toml"),
            "fail-on = \"error\"\nignore = [\"MESH000\"]\n",
        )
        .unwrap();
        let overrides = Overrides {
            fail_on: Some(super::super::FailOn::Never),
            ..Overrides::default()
        };
        let mut resolver = Resolver::new(base, Some(Path::new("mine.toml")), &overrides, &[]).unwrap();
        let index = resolver.for_dir(Path::new("x")).unwrap();
        let config = resolver.config(index);
        assert_eq!(config.fail_on, super::super::FailOn::Never);
        assert_eq!(config.origin("fail-on"), super::super::Origin::CommandLine);
        assert_eq!(config.origin("ignore"), super::super::Origin::File);
        assert!(Resolver::new(base, Some(Path::new("nope.toml")), &overrides, &[]).is_err());
    }
}
