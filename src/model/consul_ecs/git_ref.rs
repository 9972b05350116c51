//! What the `?ref=` of a git source names: a release's tag (or the commit it points at), a
//! placeholder copied from the docs, or something that is no release — a branch, another
//! commit, a name that only looks like a version. Only a release tells meshlint what the
//! module accepts; a branch may accept anything.

use crate::model::consul_ecs::version::{Release, ReleaseSet, Version};
use crate::source::Span;

/// The `?ref=` of a consul-ecs module call's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitRef {
    pub text: String,
    /// The ref inside the source string.
    pub span: Span,
    pub kind: RefKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefKind {
    /// A release's tag: `v0.7.0`.
    Tag(Release),
    /// The commit a release's tag points at, in full or abbreviated to 7 or more digits.
    ReleaseCommit(Release),
    /// A placeholder copied from the docs: `<latest version>`, `vX.Y.Z`, `latest`.
    Placeholder,
    /// A commit that is no release's.
    Commit,
    /// A name with a version in it that is no release's tag (`0.7.0` without the `v`,
    /// `v0.9.0`, `release/0.7.x`), with the releases nearest to that version.
    NearRelease(Vec<Release>),
    /// Anything else: a branch (`main`), or a tag that is no release.
    Branch,
}

impl RefKind {
    /// The release the ref pins, when it pins one.
    pub fn release(&self) -> Option<Release> {
        match self {
            RefKind::Tag(r) | RefKind::ReleaseCommit(r) => Some(*r),
            _ => None,
        }
    }

    /// True for a ref that is neither a release nor a placeholder: the module's code is
    /// whatever that branch or commit holds.
    pub fn is_unreleased(&self) -> bool {
        matches!(self, RefKind::Commit | RefKind::NearRelease(_) | RefKind::Branch)
    }
}

impl GitRef {
    /// Classifies `text`; `lifetime` (the releases the module exists in) bounds the nearest
    /// releases a version-like name is compared with.
    pub fn new(text: &str, span: Span, lifetime: ReleaseSet) -> GitRef {
        GitRef {
            text: text.to_string(),
            span,
            kind: classify(text, lifetime),
        }
    }
}

fn classify(text: &str, lifetime: ReleaseSet) -> RefKind {
    if let Some(release) = text.strip_prefix('v').and_then(Release::find) {
        return RefKind::Tag(release);
    }
    if is_placeholder(text) {
        return RefKind::Placeholder;
    }
    if is_commit(text) {
        let lower = text.to_ascii_lowercase();
        let mut matching = Release::ALL
            .into_iter()
            .filter(|r| r.commit().starts_with(&lower));
        return match (matching.next(), matching.next()) {
            (Some(release), None) => RefKind::ReleaseCommit(release),
            _ => RefKind::Commit,
        };
    }
    match version_in(text) {
        Some(wanted) => {
            let near = nearest(&wanted, lifetime);
            if near.is_empty() {
                RefKind::Branch
            } else {
                RefKind::NearRelease(near)
            }
        }
        None => RefKind::Branch,
    }
}

/// What the docs print for you to replace, which no repository has as a ref.
fn is_placeholder(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    if lower.is_empty() || lower.contains(['<', '>', '{', '}', ' ']) || lower == "latest" {
        return true;
    }
    // `x.y.z`, `vX.Y.Z`, `vx.y`
    let body = lower.strip_prefix('v').unwrap_or(&lower);
    let parts: Vec<&str> = body.split('.').collect();
    parts.len() >= 2 && parts.iter().all(|p| matches!(*p, "x" | "y" | "z"))
}

/// 7 to 40 hex digits with at least one digit (`deadbeef` is more likely a branch).
fn is_commit(text: &str) -> bool {
    (7..=40).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_hexdigit())
        && text.bytes().any(|b| b.is_ascii_digit())
}

/// A version written in a ref's name: how many numbers it gives, and the version.
#[derive(Debug, PartialEq)]
struct Wanted {
    numbers: usize,
    version: Version,
}

/// The first `N.N` or `N.N.N` in `text` (optionally `N.N.N-pre`), not part of a longer run of
/// digits and dots: `release/0.7.x` gives 0.7, `prep-rel-0.9.4-v2` 0.9.4.
fn version_in(text: &str) -> Option<Wanted> {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let boundary = start == 0 || !(bytes[start - 1].is_ascii_digit() || bytes[start - 1] == b'.');
        if !(bytes[start].is_ascii_digit() && boundary) {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
            end += 1;
        }
        let run = text[start..end].trim_end_matches('.');
        let numbers: Vec<&str> = run.split('.').collect();
        if (2..=3).contains(&numbers.len()) && numbers.iter().all(|n| !n.is_empty()) {
            let mut written = run.to_string();
            if numbers.len() == 3 && run.len() == end - start {
                let pre: String = text[end..]
                    .strip_prefix('-')
                    .map(|rest| rest.chars().take_while(char::is_ascii_alphanumeric).collect())
                    .unwrap_or_default();
                if !pre.is_empty() {
                    written = format!("{run}-{pre}");
                }
            }
            return Version::parse(&written).map(|version| Wanted {
                numbers: numbers.len(),
                version,
            });
        }
        start = end;
    }
    None
}

/// The releases a version-like ref most likely meant: the same release line (a named
/// pre-release, or the final releases of that patch or minor), else the releases either side
/// of it. Nothing for a version of another major line (`check/1.22.x` is a Consul version).
fn nearest(wanted: &Wanted, lifetime: ReleaseSet) -> Vec<Release> {
    let v = &wanted.version;
    let known: Vec<Release> = Release::ALL
        .into_iter()
        .filter(|r| lifetime.contains(*r))
        .collect();
    if !known.iter().any(|r| r.version().major == v.major) {
        return Vec::new();
    }
    let same_line = |r: &Release| {
        let rv = r.version();
        rv.major == v.major && rv.minor == v.minor && (wanted.numbers == 2 || rv.patch == v.patch)
    };
    let line: Vec<Release> = known.iter().copied().filter(same_line).collect();
    if let Some(pre) = &v.pre {
        if let Some(exact) = line.iter().find(|r| r.version().pre.as_deref() == Some(pre)) {
            return vec![*exact];
        }
    }
    let finals: Vec<Release> = line
        .iter()
        .copied()
        .filter(|r| r.version().pre.is_none())
        .collect();
    if !finals.is_empty() {
        return finals;
    }
    if !line.is_empty() {
        return line;
    }
    let below = known.iter().rev().find(|r| r.version() < *v);
    let above = known.iter().find(|r| r.version() > *v);
    below.into_iter().chain(above).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> RefKind {
        classify(text, ReleaseSet::all())
    }

    fn near(text: &str) -> Vec<&'static str> {
        match kind(text) {
            RefKind::NearRelease(releases) => releases.into_iter().map(Release::as_str).collect(),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn release_tags_and_their_commits_pin_the_release() {
        assert_eq!(kind("v0.7.0"), RefKind::Tag(Release::V0_7_0));
        assert_eq!(kind("v0.7.0-rc1"), RefKind::Tag(Release::V0_7_0_RC1));
        assert_eq!(kind("v0.10.0"), RefKind::Tag(Release::V0_10_0));
        assert_eq!(
            kind("8443ed861e814ed30158b0eb1973f4a18aa45534"),
            RefKind::ReleaseCommit(Release::V0_2_0)
        );
        assert_eq!(kind("8443ed8"), RefKind::ReleaseCommit(Release::V0_2_0));
        assert_eq!(kind("8443ED861E"), RefKind::ReleaseCommit(Release::V0_2_0));
    }

    #[test]
    fn branches_and_other_commits_are_no_release() {
        for branch in [
            "main",
            "dev-server-extraconfig",
            "lkysow/dev-server-extraconfig",
            "deadbeef",
            "v1",
            "fix-123",
        ] {
            assert_eq!(kind(branch), RefKind::Branch, "{branch}");
        }
        for commit in ["1234abc", "0123456789abcdef0123456789abcdef01234567"] {
            assert_eq!(kind(commit), RefKind::Commit, "{commit}");
        }
        assert!(kind("main").is_unreleased());
        assert!(!kind("v0.1.1").is_unreleased());
        assert!(!kind("<latest version>").is_unreleased());
    }

    #[test]
    fn placeholders_from_the_docs() {
        for placeholder in ["<latest version>", "vX.Y.Z", "x.y.z", "latest", "", "v{version}"] {
            assert_eq!(kind(placeholder), RefKind::Placeholder, "{placeholder:?}");
        }
    }

    #[test]
    fn version_like_names_get_the_nearest_releases() {
        assert_eq!(near("0.7.0"), ["0.7.0"]);
        assert_eq!(near("release/0.7.x"), ["0.7.0", "0.7.1", "0.7.2", "0.7.3"]);
        assert_eq!(near("release/0.7"), ["0.7.0", "0.7.1", "0.7.2", "0.7.3"]);
        assert_eq!(near("release/0.7.0-rc1"), ["0.7.0-rc1"]);
        assert_eq!(near("v0.7.0-rc2"), ["0.7.0"]);
        assert_eq!(near("v0.9.0"), ["0.8.1", "0.9.3"]);
        assert_eq!(near("v0.11.0"), ["0.10.0"]);
        assert_eq!(near("prep-rel-0.9.4-v2-consul-1.22.5"), ["0.9.4"]);
        assert_eq!(near("mesh-task-token-0.8.x"), ["0.8.0", "0.8.1"]);
        // A Consul version, not a module version.
        assert_eq!(kind("check/1.22.x"), RefKind::Branch);
    }

    #[test]
    fn nearest_releases_stay_within_the_module_lifetime() {
        let gateway = ReleaseSet::from(Release::V0_5_0);
        assert_eq!(
            classify("release/0.4.x", gateway),
            RefKind::NearRelease(vec![Release::V0_5_0])
        );
    }
}
