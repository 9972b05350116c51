//! Build-time work on the data in `rules/modules/`, written for people:
//!
//! - `releases.toml` is the one list of consul-ecs releases; it becomes the `Release` enum in
//!   OUT_DIR/generated.rs, which `src/model/generated.rs` includes. A list out of order or a
//!   release that cannot be named is a build error.
//! - the module schema data (`<module>.toml`) becomes JSON in OUT_DIR, which meshlint parses
//!   on first use about twenty times faster than TOML: a pre-commit run on one module should
//!   not spend its time reading data.

use std::collections::BTreeSet;
use std::path::Path;

const DIR: &str = "rules/modules";
const RELEASES_FILE: &str = "releases.toml";

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let releases_file = format!("{DIR}/{RELEASES_FILE}");
    println!("cargo:rerun-if-changed={releases_file}");
    let releases = read_releases(Path::new(&releases_file)).unwrap_or_else(|e| {
        eprintln!("invalid release list: {e}");
        std::process::exit(1);
    });
    for name in [
        "mesh-task",
        "dev-server",
        "gateway-task",
        "acl-controller",
        "controller",
    ] {
        let source = format!("{DIR}/{name}.toml");
        println!("cargo:rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{source}: {e}"));
        let json = serde_json::to_string(&value).expect("TOML data serializes as JSON");
        std::fs::write(Path::new(&out).join(format!("{name}.json")), json).expect("OUT_DIR is writable");
    }
    std::fs::write(Path::new(&out).join("generated.rs"), generate(&releases)).expect("OUT_DIR is writable");
}

/// One release of `releases.toml`.
struct Release {
    name: String,
    /// Major, minor, patch, and the pre-release part.
    parts: (u64, u64, u64, Option<String>),
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
    }
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
    let file: File = toml::from_str(&text).map_err(|e| format!("{shown}: {e}"))?;
    let mut releases: Vec<Release> = Vec::new();
    for name in file.releases {
        let parts = parse_release(&name).ok_or_else(|| {
            format!("{shown}: `{name}` is not a release (MAJOR.MINOR.PATCH or MAJOR.MINOR.PATCH-PRE)")
        })?;
        let release = Release { name, parts };
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

fn generate(releases: &[Release]) -> String {
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
