//! Typed, validated option values: path globs, host patterns, folder-to-family mappings, and
//! the options rules declare (the rules say which; the configuration reads and keeps them).

use crate::catalog::RuleId;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;
use std::path::Path;

/// Globs over paths relative to the configuration file's directory, written with `/`.
/// `*` stays within one folder, `**` crosses folders; a glob that matches a folder matches
/// everything below it.
#[derive(Debug, Clone, Default)]
pub struct PathGlobs {
    patterns: Vec<String>,
    set: GlobSet,
}

impl PathGlobs {
    /// Compiles the globs; the error names the first bad one by index.
    pub fn new(patterns: Vec<String>) -> Result<PathGlobs, (usize, String)> {
        let mut builder = GlobSetBuilder::new();
        for (index, pattern) in patterns.iter().enumerate() {
            let normalized = pattern
                .trim_start_matches("./")
                .trim_start_matches('/')
                .trim_end_matches('/');
            if normalized.is_empty() {
                return Err((index, "an empty glob matches nothing".to_string()));
            }
            let glob = GlobBuilder::new(normalized)
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| (index, format!("invalid glob `{pattern}`: {}", e.kind())))?;
            builder.add(glob);
        }
        let set = builder
            .build()
            .map_err(|e| (0, format!("invalid glob: {}", e.kind())))?;
        Ok(PathGlobs { patterns, set })
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `relative` (relative to the configuration's directory, `/`-separated) or one of
    /// the folders it is in matches.
    pub fn matches(&self, relative: &str) -> bool {
        if self.patterns.is_empty() || relative.is_empty() {
            return false;
        }
        let mut prefix_ends = relative.match_indices('/').map(|(i, _)| i).collect::<Vec<_>>();
        prefix_ends.push(relative.len());
        prefix_ends
            .into_iter()
            .any(|end| self.set.is_match(Path::new(&relative[..end])))
    }
}

/// A host that may be called directly: `billing.internal`, or every subdomain with `*.corp.example`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPattern {
    Exact(String),
    /// `*.example.com`: any host ending in `.example.com`.
    Subdomains(String),
}

impl HostPattern {
    pub fn parse(text: &str) -> Result<HostPattern, String> {
        let host = text.trim().to_ascii_lowercase();
        if host.contains("://") || host.contains('/') {
            return Err(format!("`{text}` is a URL; write only its host"));
        }
        let (pattern, name) = match host.strip_prefix("*.") {
            Some(rest) => (HostPattern::Subdomains(rest.to_string()), rest),
            None => (HostPattern::Exact(host.clone()), host.as_str()),
        };
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']'));
        if !valid {
            return Err(format!(
                "`{text}` is not a host name (letters, digits, `.`, `-`; `*.` only in front)"
            ));
        }
        Ok(pattern)
    }

    pub fn matches(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        match self {
            HostPattern::Exact(h) => host == *h,
            HostPattern::Subdomains(suffix) => host
                .strip_suffix(suffix.as_str())
                .is_some_and(|head| head.len() > 1 && head.ends_with('.')),
        }
    }

    pub fn as_text(&self) -> String {
        match self {
            HostPattern::Exact(h) => h.clone(),
            HostPattern::Subdomains(s) => format!("*.{s}"),
        }
    }
}

/// The kinds of value a rule option takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// A list of host names, `*.` allowed in front ([`HostPattern`]).
    Hosts,
    /// A list of path globs relative to the configuration file ([`PathGlobs`]).
    PathGlobs,
}

/// An option a rule takes, `[rules.<rule>] <key> = …`. Each rule declares its options next
/// to its code; the engine hands the list to the configuration loader.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    pub rule: RuleId,
    pub key: &'static str,
    pub kind: OptionKind,
}

/// A rule option's value, as its kind reads it.
#[derive(Debug, Clone)]
pub enum OptionValue {
    Hosts(Vec<HostPattern>),
    PathGlobs(PathGlobs),
}

/// The rule options of one configuration: the options rules declare, and the values the
/// configuration file gave (an option it does not set is empty).
#[derive(Debug, Clone, Default)]
pub struct RuleOptions {
    specs: &'static [OptionSpec],
    values: BTreeMap<(RuleId, &'static str), OptionValue>,
}

impl RuleOptions {
    pub fn new(specs: &'static [OptionSpec]) -> RuleOptions {
        RuleOptions {
            specs,
            values: BTreeMap::new(),
        }
    }

    /// The options rules declare, in the order they are shown.
    pub fn specs(&self) -> &'static [OptionSpec] {
        self.specs
    }

    pub fn set(&mut self, spec: &OptionSpec, value: OptionValue) {
        self.values.insert((spec.rule, spec.key), value);
    }

    /// The hosts of a [`OptionKind::Hosts`] option; none when it is not set.
    pub fn hosts(&self, spec: &OptionSpec) -> &[HostPattern] {
        match self.values.get(&(spec.rule, spec.key)) {
            Some(OptionValue::Hosts(hosts)) => hosts,
            _ => &[],
        }
    }

    /// The globs of a [`OptionKind::PathGlobs`] option, when it is set.
    pub fn path_globs(&self, spec: &OptionSpec) -> Option<&PathGlobs> {
        match self.values.get(&(spec.rule, spec.key)) {
            Some(OptionValue::PathGlobs(globs)) => Some(globs),
            _ => None,
        }
    }

    /// The value as `.meshlint.toml` would write it (`[]` when not set).
    pub fn shown(&self, spec: &OptionSpec) -> Vec<String> {
        match self.values.get(&(spec.rule, spec.key)) {
            Some(OptionValue::Hosts(hosts)) => hosts.iter().map(HostPattern::as_text).collect(),
            Some(OptionValue::PathGlobs(globs)) => globs.patterns().to_vec(),
            None => Vec::new(),
        }
    }
}

/// `[mesh]`
#[derive(Debug, Clone, Default)]
pub struct MeshOptions {
    /// Source folders (relative to the configuration file, `/`-separated, no `..`) and the
    /// mesh-task family whose app they hold, longest folder first.
    pub families: Vec<(String, String)>,
}

impl MeshOptions {
    pub fn new(mut families: Vec<(String, String)>) -> MeshOptions {
        families.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        MeshOptions { families }
    }

    /// The family of the app in `relative` (a path relative to the configuration's directory).
    pub fn family_of(&self, relative: &str) -> Option<&str> {
        self.families
            .iter()
            .find(|(folder, _)| {
                relative == folder
                    || (relative.starts_with(folder.as_str()) && relative[folder.len()..].starts_with('/'))
            })
            .map(|(_, family)| family.as_str())
    }
}

/// `[app] mesh`: whether application sources that no mesh task claims are checked as mesh
/// apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AppMesh {
    /// Only in a project with no consul-ecs module call (an app-only repository).
    #[default]
    Auto,
    /// Always: the Terraform that puts the app in the mesh lives elsewhere.
    Always,
    /// Never: these apps do not run in the mesh.
    Never,
}

impl AppMesh {
    pub const ALL: [AppMesh; 3] = [AppMesh::Auto, AppMesh::Always, AppMesh::Never];

    pub fn as_str(self) -> &'static str {
        match self {
            AppMesh::Auto => "auto",
            AppMesh::Always => "always",
            AppMesh::Never => "never",
        }
    }
}

/// `[app]`: how application sources outside any mesh task of the project are checked.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    pub mesh: AppMesh,
    /// The upstreams an app-only project's apps call, by service name, with the local port
    /// the sidecar binds for each; sorted by name.
    pub upstreams: Vec<(String, u16)>,
}

impl AppOptions {
    /// The declared upstream names, sorted (as [`crate::model::mesh::routes::direct_call`]
    /// wants its service list).
    pub fn upstream_names(&self) -> Vec<&str> {
        self.upstreams.iter().map(|(name, _)| name.as_str()).collect()
    }

    pub fn upstream_port(&self, service: &str) -> Option<u16> {
        self.upstreams
            .iter()
            .find(|(name, _)| name == service)
            .map(|(_, port)| *port)
    }
}

/// A Consul service name as `[app] upstreams` takes it: 1–255 letters, digits, `-`, `_`.
pub fn service(text: &str) -> Result<String, String> {
    let ok = !text.is_empty()
        && text.len() <= 255
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not a service name (1–255 letters, digits, `-`, `_`)"
        ))
    }
}

/// A folder as written in `[mesh.families]`, normalized; an error for absolute paths and `..`.
pub fn folder(text: &str) -> Result<String, String> {
    if text.starts_with('/') || text.contains('\\') || text.chars().nth(1) == Some(':') {
        return Err(format!(
            "`{text}` must be a folder relative to the configuration file, with `/`"
        ));
    }
    let parts: Vec<&str> = text.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    if parts.contains(&"..") {
        return Err(format!(
            "`{text}` must not leave the configuration file's folder (`..`)"
        ));
    }
    if parts.is_empty() {
        return Err("the folder is empty; use `.` only through a more specific folder".to_string());
    }
    Ok(parts.join("/"))
}

/// A mesh-task family name as ECS accepts it: 1–255 letters, digits, `-` and `_`.
pub fn family(text: &str) -> Result<String, String> {
    let ok = !text.is_empty()
        && text.len() <= 255
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not a task family name (1–255 letters, digits, `-`, `_`)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_globs_match_files_and_whole_folders() {
        let globs = PathGlobs::new(vec![
            "legacy/".into(),
            "**/generated_*.tf".into(),
            "./one.tf".into(),
        ])
        .unwrap();
        assert!(globs.matches("legacy/main.tf"));
        assert!(globs.matches("legacy/deep/x.tf"));
        assert!(!globs.matches("not-legacy/main.tf"));
        assert!(globs.matches("a/b/generated_iam.tf"));
        assert!(globs.matches("generated_iam.tf"));
        assert!(globs.matches("one.tf"));
        assert!(
            !globs.matches("sub/one.tf"),
            "a glob without ** stays at its level"
        );
        let star = PathGlobs::new(vec!["*.tf".into()]).unwrap();
        assert!(star.matches("main.tf") && !star.matches("dir/main.tf"));
    }

    #[test]
    fn path_globs_reject_bad_patterns() {
        let (index, message) = PathGlobs::new(vec!["ok/**".into(), "bad[".into()]).unwrap_err();
        assert_eq!(index, 1);
        assert!(message.contains("bad["), "{message}");
        assert!(PathGlobs::new(vec!["/".into()]).is_err());
    }

    #[test]
    fn host_patterns_match_exact_hosts_and_subdomains() {
        let exact = HostPattern::parse("Billing.Internal").unwrap();
        assert!(exact.matches("billing.internal"));
        assert!(!exact.matches("x.billing.internal"));
        let sub = HostPattern::parse("*.example.com").unwrap();
        assert!(sub.matches("api.example.com") && sub.matches("a.b.example.com"));
        assert!(!sub.matches("example.com") && !sub.matches("badexample.com"));
        assert_eq!(sub.as_text(), "*.example.com");
        assert!(HostPattern::parse("http://x.y").unwrap_err().contains("URL"));
        assert!(HostPattern::parse("a*.b").is_err());
        assert!(HostPattern::parse("").is_err());
        assert!(exact.matches("BILLING.internal") && !exact.matches("payments.internal"));
    }

    #[test]
    fn families_map_the_longest_matching_folder() {
        let mesh = MeshOptions::new(vec![
            ("services".into(), "all".into()),
            ("services/billing".into(), "billing".into()),
        ]);
        assert_eq!(mesh.family_of("services/billing/main.go"), Some("billing"));
        assert_eq!(mesh.family_of("services/billing"), Some("billing"));
        assert_eq!(mesh.family_of("services/billingx/main.go"), Some("all"));
        assert_eq!(mesh.family_of("other/main.go"), None);
    }

    #[test]
    fn folders_and_families_are_validated() {
        assert_eq!(folder("./services//billing/").unwrap(), "services/billing");
        assert!(folder("/abs").is_err());
        assert!(folder("a/../b").is_err());
        assert!(folder(".").is_err());
        assert!(family("billing-v2_x").is_ok());
        assert!(family("bad name").is_err());
        assert!(family("").is_err());
    }
}
