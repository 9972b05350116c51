//! Build-time work on the module schema data in `rules/modules/`, written for people:
//!
//! - `releases.toml` is the one list of consul-ecs releases and the commits their tags point
//!   at; it becomes the `Release` enum.
//! - every other `*.toml` file describes one consul-ecs module; each becomes a `ModuleKind`
//!   variant, and its data is written as JSON to OUT_DIR, which meshlint parses on first use
//!   about twenty times faster than TOML (a pre-commit run on one module should not spend its
//!   time reading data).
//!
//! The data is validated here, with the library's own types (`src/model/consul_ecs/schema_file.rs`), so
//! meshlint can trust it at run time: anything wrong is a build error naming the file and what
//! is wrong. The enums go to OUT_DIR/generated.rs, which `src/model/generated.rs` includes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

// The library's types for the data, shared so that what passes here is what loads at run time.
// The build script reads only some of what the library reads.
#[allow(dead_code)]
#[path = "src/model/consul_ecs/check.rs"]
mod check;
#[allow(dead_code)]
#[path = "src/model/consul_ecs/schema_file.rs"]
mod schema_file;

use check::Check;
use schema_file::ModuleSchemas;

const DIR: &str = "rules/modules";
const RELEASES_FILE: &str = "releases.toml";

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed={DIR}");
    facts_build();
    if let Err(errors) = run(&out) {
        eprintln!("invalid module schema data in {DIR}/:");
        for error in &errors {
            eprintln!("  {error}");
        }
        std::process::exit(1);
    }
}

/// What the application-source facts are made by, as one digest: the persistent cache
/// (`src/engine/facts_cache.rs`) trusts facts only from a build with the same readers, grammars
/// (their versions are in Cargo.lock) and cache format, so a changed reader never serves facts
/// that the new one would not find.
const FACTS_INPUTS: [&str; 5] = [
    "src/parse",
    "src/net",
    "src/source.rs",
    "src/engine/facts_cache.rs",
    "Cargo.lock",
];

fn facts_build() {
    let mut files = Vec::new();
    for input in FACTS_INPUTS {
        println!("cargo:rerun-if-changed={input}");
        collect_files(Path::new(input), &mut files);
    }
    files.sort();
    // FNV-1a over every file's path and bytes: stable across Rust versions, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        let path = file.to_string_lossy();
        for byte in path.as_bytes().iter().chain([0u8].iter()).chain(bytes.iter()) {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!(
        "cargo:rustc-env=MESHLINT_FACTS_BUILD={}-{hash:016x}",
        env!("CARGO_PKG_VERSION")
    );
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) {
    match std::fs::read_dir(path) {
        Ok(entries) => {
            for entry in entries.flatten() {
                collect_files(&entry.path(), out);
            }
        }
        Err(_) if path.is_file() => out.push(path.to_path_buf()),
        Err(_) => {}
    }
}

fn run(out: &Path) -> Result<(), Vec<String>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(DIR)
        .map_err(|e| vec![format!("{DIR}: {e}")])?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(|e| vec![format!("{DIR}: {e}")])?;
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
    }

    let releases = read_releases(&Path::new(DIR).join(RELEASES_FILE)).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let mut modules = Vec::new();
    let mut covered = BTreeSet::new();
    for file in files.iter().filter(|p| !p.ends_with(RELEASES_FILE)) {
        match read_module(file, &releases) {
            Ok((module, json)) => {
                for entry in &module.schema {
                    covered.extend(entry.releases.iter().cloned());
                }
                modules.push((module.module, json));
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if modules.is_empty() && errors.is_empty() {
        errors.push(format!("{DIR}: no module files"));
    }
    if errors.is_empty() {
        for release in &releases {
            if !covered.contains(&release.name) {
                errors.push(format!(
                    "{DIR}/{RELEASES_FILE}: release {} is covered by no module file",
                    release.name
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    for (name, json) in &modules {
        write(&out.join(format!("{name}.json")), json);
    }
    write(&out.join("generated.rs"), &generate(&modules, &releases));
    Ok(())
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// One release of `releases.toml`.
struct Release {
    name: String,
    /// Major, minor, patch, and the pre-release part.
    parts: (u64, u64, u64, Option<String>),
    /// The commit the release's tag points at.
    commit: String,
}

impl Release {
    /// `0.2.0-beta1` is `V0_2_0_BETA1`.
    fn variant(&self) -> String {
        format!("V{}", self.name.replace(['.', '-'], "_").to_uppercase())
    }

    /// Semver precedence as `Version`'s `Ord` in `src/model/version.rs` has it (a unit test
    /// there holds the generated order to it).
    fn precedes(&self, other: &Release) -> bool {
        let (a, b) = (&self.parts, &other.parts);
        match (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)) {
            std::cmp::Ordering::Equal => match (&a.3, &b.3) {
                (Some(x), Some(y)) => x < y,
                (Some(_), None) => true,
                (None, _) => false,
            },
            order => order.is_lt(),
        }
    }
}

fn read_releases(path: &Path) -> Result<Vec<Release>, String> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        releases: Vec<String>,
        commits: std::collections::BTreeMap<String, String>,
    }
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
    let mut file: File = toml::from_str(&text).map_err(|e| format!("{shown}: {e}"))?;
    let mut releases: Vec<Release> = Vec::new();
    for name in file.releases {
        let parts = parse_release(&name).ok_or_else(|| {
            format!("{shown}: `{name}` is not a release (MAJOR.MINOR.PATCH or MAJOR.MINOR.PATCH-PRE)")
        })?;
        let commit = file
            .commits
            .remove(&name)
            .ok_or_else(|| format!("{shown}: release {name} has no entry in [commits]"))?;
        let is_commit = commit.len() == 40
            && commit
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !is_commit {
            return Err(format!(
                "{shown}: the commit of {name} is not 40 lower-case hex digits"
            ));
        }
        if let Some(same) = releases.iter().find(|r| r.commit == commit) {
            return Err(format!("{shown}: {name} and {} have the same commit", same.name));
        }
        let release = Release { name, parts, commit };
        if let Some(last) = releases.last() {
            if !last.precedes(&release) {
                return Err(format!(
                    "{shown}: {} comes after {}: releases go in semver order, each once",
                    release.name, last.name
                ));
            }
        }
        releases.push(release);
    }
    if let Some(name) = file.commits.keys().next() {
        return Err(format!(
            "{shown}: [commits] names {name}, which is not in `releases`"
        ));
    }
    // `ReleaseSet` keeps a bit per release in a u64.
    if releases.is_empty() || releases.len() > 64 {
        return Err(format!(
            "{shown}: {} releases; meshlint handles 1 to 64",
            releases.len()
        ));
    }
    let variants: BTreeSet<String> = releases.iter().map(Release::variant).collect();
    if variants.len() != releases.len() {
        return Err(format!("{shown}: two releases make the same Rust name"));
    }
    Ok(releases)
}

/// `1.2.3` or `1.2.3-beta1`: exactly three numbers, an ASCII letters-and-digits pre-release.
fn parse_release(name: &str) -> Option<(u64, u64, u64, Option<String>)> {
    let (numbers, pre) = match name.split_once('-') {
        Some((numbers, pre)) if !pre.is_empty() && pre.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            (numbers, Some(pre.to_string()))
        }
        Some(_) => return None,
        None => (name, None),
    };
    let number = |part: &str| -> Option<u64> {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let mut parts = numbers.split('.');
    let major = number(parts.next()?)?;
    let minor = number(parts.next()?)?;
    let patch = number(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    Some((major, minor, patch, pre))
}

/// Reads and checks one module file; returns its data and the JSON the library embeds.
fn read_module(path: &Path, releases: &[Release]) -> Result<(ModuleSchemas, String), Vec<String>> {
    let shown = path.display().to_string();
    let fail = |what: String| vec![format!("{shown}: {what}")];
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    // The TOML error names the line; the JSON one would not.
    toml::from_str::<ModuleSchemas>(&text).map_err(|e| fail(e.to_string()))?;
    let value: toml::Value = toml::from_str(&text).map_err(|e| fail(e.to_string()))?;
    let json = serde_json::to_string(&value).map_err(|e| fail(e.to_string()))?;
    // Exactly what the library does on first use.
    let module: ModuleSchemas = serde_json::from_str(&json).map_err(|e| fail(e.to_string()))?;

    let mut errors = Vec::new();
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let kebab = stem.split('-').all(|word| {
        word.starts_with(|c: char| c.is_ascii_lowercase())
            && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if !kebab {
        errors.push("a module file is named `<kebab-case-module>.toml`".to_string());
    }
    if module.module != stem {
        errors.push(format!("module = \"{}\" is not the file's name", module.module));
    }
    if module.schema.is_empty() {
        errors.push("no [[schema]] entry".to_string());
    }
    let index = |name: &str| releases.iter().position(|r| r.name == name);
    let mut newest: Option<(usize, &str)> = None;
    for (n, entry) in module.schema.iter().enumerate() {
        let at = format!("[[schema]] #{} ({})", n + 1, entry.releases.join(", "));
        if entry.releases.is_empty() {
            errors.push(format!("{at}: no releases"));
        }
        for release in &entry.releases {
            let Some(i) = index(release) else {
                errors.push(format!(
                    "{at}: unknown release {release} (not in {RELEASES_FILE})"
                ));
                continue;
            };
            match newest {
                Some((before, name)) if i <= before => errors.push(format!(
                    "{at}: release {release} after {name}: entries and their releases go in release order, each release once"
                )),
                _ => newest = Some((i, release)),
            }
        }
        for check in &entry.checks {
            for input in inputs_named(check) {
                if !entry.inputs.contains_key(input) {
                    errors.push(format!(
                        "{at}: a check names `{input}`, which is not an input there"
                    ));
                }
            }
        }
    }
    for renamed in &module.renamed {
        if index(&renamed.since).is_none() {
            errors.push(format!(
                "[[renamed]] {}: unknown release {} (not in {RELEASES_FILE})",
                renamed.from, renamed.since
            ));
        }
    }
    if errors.is_empty() {
        Ok((module, json))
    } else {
        Err(errors.into_iter().map(|e| format!("{shown}: {e}")).collect())
    }
}

/// The inputs a check reads, each of which its entry must accept.
fn inputs_named(check: &Check) -> Vec<&str> {
    match check {
        Check::RequiresNonzeroUnless { input, unless, .. } => vec![input, unless],
        Check::RequiresSetIf { input, when, .. }
        | Check::RequiresTrueIf { input, when, .. }
        | Check::ForbiddenIf { input, when, .. } => vec![input, when],
        Check::MutuallyExclusive { inputs, .. } => inputs.iter().map(String::as_str).collect(),
        Check::Range { input, .. }
        | Check::NotIn { input, .. }
        | Check::OneOf { input, .. }
        | Check::Regex { input, .. }
        | Check::StartsAndEndsWith { input, .. }
        | Check::KeysAllowed { input, .. }
        | Check::KeysRequired { input, .. }
        | Check::TproxyRequiresEc2Only { input, .. } => vec![input],
        Check::Other { .. } => vec![],
    }
}

/// `mesh-task` is `MeshTask`.
fn pascal(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn generate(modules: &[(String, String)], releases: &[Release]) -> String {
    let mut code = String::new();
    let mut line = |text: String| {
        code.push_str(&text);
        code.push('\n');
    };
    line(format!(
        "// @generated by build.rs from {DIR}/: edit the data, not this file."
    ));
    line(String::new());

    line(format!(
        "/// The consul-ecs submodules: one per file of `{DIR}/`, in file-name order."
    ));
    line("#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]".into());
    line("pub enum ModuleKind {".into());
    for (name, _) in modules {
        line(format!("    /// `{DIR}/{name}.toml`"));
        line(format!("    {},", pascal(name)));
    }
    line("}".into());
    line(String::new());
    line("impl ModuleKind {".into());
    line(format!("    pub const ALL: [ModuleKind; {}] = [", modules.len()));
    for (name, _) in modules {
        line(format!("        ModuleKind::{},", pascal(name)));
    }
    line("    ];".into());
    line(String::new());
    line("    /// The module's folder in consul-ecs, e.g. `mesh-task`.".into());
    line("    pub const fn name(self) -> &'static str {".into());
    line("        match self {".into());
    for (name, _) in modules {
        line(format!("            ModuleKind::{} => \"{name}\",", pascal(name)));
    }
    line("        }".into());
    line("    }".into());
    line(String::new());
    line("    /// The position in [`ModuleKind::ALL`].".into());
    line("    pub const fn index(self) -> usize {".into());
    line("        self as usize".into());
    line("    }".into());
    line(String::new());
    line("    /// The module's data as JSON, validated by build.rs.".into());
    line("    pub(crate) const fn schema_json(self) -> &'static str {".into());
    line("        match self {".into());
    for (name, _) in modules {
        line(format!(
            "            ModuleKind::{} => include_str!(concat!(env!(\"OUT_DIR\"), \"/{name}.json\")),",
            pascal(name)
        ));
    }
    line("        }".into());
    line("    }".into());
    line("}".into());
    line(String::new());

    line(format!(
        "/// Every tagged release of hashicorp/terraform-aws-consul-ecs (`{DIR}/{RELEASES_FILE}`), in"
    ));
    line("/// semver order: a release named in code is checked by the compiler.".into());
    line("#[allow(non_camel_case_types)] // `V0_2_0_BETA1` reads as the release it names".into());
    line("#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]".into());
    line("pub enum Release {".into());
    for release in releases {
        line(format!("    /// `{}`", release.name));
        line(format!("    {},", release.variant()));
    }
    line("}".into());
    line(String::new());
    line("impl Release {".into());
    line(format!("    pub const ALL: [Release; {}] = [", releases.len()));
    for release in releases {
        line(format!("        Release::{},", release.variant()));
    }
    line("    ];".into());
    line(String::new());
    line("    /// The newest release meshlint knows.".into());
    let newest = releases.last().expect("read_releases requires at least one");
    line(format!(
        "    pub const NEWEST: Release = Release::{};",
        newest.variant()
    ));
    line(String::new());
    line("    /// As tagged, without the `v`: `0.2.0-beta1`.".into());
    line("    pub const fn as_str(self) -> &'static str {".into());
    line("        match self {".into());
    for release in releases {
        line(format!(
            "            Release::{} => \"{}\",",
            release.variant(),
            release.name
        ));
    }
    line("        }".into());
    line("    }".into());
    line(String::new());
    line("    /// The position in [`Release::ALL`].".into());
    line("    pub const fn index(self) -> usize {".into());
    line("        self as usize".into());
    line("    }".into());
    line(String::new());
    line("    /// The commit the release's tag points at: 40 lower-case hex digits.".into());
    line("    pub const fn commit(self) -> &'static str {".into());
    line("        match self {".into());
    for release in releases {
        line(format!(
            "            Release::{} => \"{}\",",
            release.variant(),
            release.commit
        ));
    }
    line("        }".into());
    line("    }".into());
    line(String::new());
    line("    /// Major, minor, patch and pre-release.".into());
    line("    pub(crate) const fn parts(self) -> (u64, u64, u64, Option<&'static str>) {".into());
    line("        match self {".into());
    for release in releases {
        let (major, minor, patch, pre) = &release.parts;
        let pre = match pre {
            Some(pre) => format!("Some(\"{pre}\")"),
            None => "None".to_string(),
        };
        line(format!(
            "            Release::{} => ({major}, {minor}, {patch}, {pre}),",
            release.variant()
        ));
    }
    line("        }".into());
    line("    }".into());
    line("}".into());
    code
}
