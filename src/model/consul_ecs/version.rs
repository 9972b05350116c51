//! consul-ecs releases, Terraform version constraints, and sets of releases.

use std::cmp::Ordering;
use std::fmt;

pub use crate::model::consul_ecs::generated::Release;

impl Release {
    /// The release named exactly `text` (`0.2.0-beta1`), if meshlint knows it.
    pub fn find(text: &str) -> Option<Release> {
        Release::ALL.into_iter().find(|r| r.as_str() == text)
    }

    pub fn version(self) -> Version {
        let (major, minor, patch, pre) = self.parts();
        Version {
            major,
            minor,
            patch,
            pre: pre.map(str::to_string),
        }
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: Option<String>,
}

impl Version {
    /// `1`, `1.2`, `1.2.3`, `1.2.3-beta1`, with an optional leading `v`.
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        let text = text.strip_prefix('v').unwrap_or(text);
        let (numbers, pre) = match text.split_once('-') {
            Some((n, p)) if !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') => {
                (n, Some(p.to_string()))
            }
            Some(_) => return None,
            None => (text, None),
        };
        let mut parts = numbers.split('.');
        let mut next = || -> Option<Option<u64>> {
            match parts.next() {
                None => Some(None),
                Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok().map(Some),
                Some(_) => None,
            }
        };
        let major = next()??;
        let minor = next()?.unwrap_or(0);
        let patch = next()?.unwrap_or(0);
        if next()?.is_some() {
            return None;
        }
        Some(Version {
            major,
            minor,
            patch,
            pre,
        })
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (&self.pre, &other.pre) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if let Some(pre) = &self.pre {
            write!(f, "-{pre}")?;
        }
        Ok(())
    }
}

/// A set of known releases (a bit per entry of [`Release::ALL`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ReleaseSet(u64);

impl ReleaseSet {
    pub const EMPTY: ReleaseSet = ReleaseSet(0);

    // build.rs accepts 1 to 64 releases, so every shift below is in range.
    pub const fn all() -> ReleaseSet {
        ReleaseSet(u64::MAX >> (64 - Release::ALL.len()))
    }

    /// Releases from `low` to `high` inclusive.
    pub const fn range(low: Release, high: Release) -> ReleaseSet {
        ReleaseSet((u64::MAX << low.index()) & (u64::MAX >> (63 - high.index())))
    }

    /// Releases from `low` on.
    pub const fn from(low: Release) -> ReleaseSet {
        ReleaseSet::range(low, Release::NEWEST)
    }

    /// Just `release`.
    pub const fn only(release: Release) -> ReleaseSet {
        ReleaseSet::range(release, release)
    }

    /// The set whose bits are `bits` (as [`ReleaseSet::bits`] gave them).
    pub(super) const fn from_bits(bits: u64) -> ReleaseSet {
        ReleaseSet(bits & ReleaseSet::all().0)
    }

    pub(super) const fn bits(self) -> u64 {
        self.0
    }

    pub fn matching(mut predicate: impl FnMut(&Version) -> bool) -> ReleaseSet {
        Release::ALL
            .into_iter()
            .filter(|r| predicate(&r.version()))
            .fold(ReleaseSet::EMPTY, |set, r| set.union(ReleaseSet::only(r)))
    }

    pub fn intersect(self, other: ReleaseSet) -> ReleaseSet {
        ReleaseSet(self.0 & other.0)
    }

    pub fn union(self, other: ReleaseSet) -> ReleaseSet {
        ReleaseSet(self.0 | other.0)
    }

    /// The releases of `self` that are not in `other`.
    pub fn minus(self, other: ReleaseSet) -> ReleaseSet {
        ReleaseSet(self.0 & !other.0)
    }

    pub fn contains(self, release: Release) -> bool {
        self.0 & (1 << release.index()) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// True when the set is non-empty and every release in it is in `other`. An empty set
    /// (a version meshlint does not know) is never "within" anything: rules stay silent.
    pub fn is_within(self, other: ReleaseSet) -> bool {
        !self.is_empty() && self.0 & !other.0 == 0
    }

    /// True when at least one release is in both.
    pub fn overlaps(self, other: ReleaseSet) -> bool {
        self.0 & other.0 != 0
    }

    pub fn iter(self) -> impl Iterator<Item = &'static str> {
        Release::ALL
            .into_iter()
            .filter(move |r| self.contains(*r))
            .map(Release::as_str)
    }

    pub fn newest(self) -> Option<&'static str> {
        self.iter().last()
    }

    pub fn oldest(self) -> Option<&'static str> {
        self.iter().next()
    }

    /// "v0.1.0–v0.1.1", or "v0.2.0" for one release.
    pub fn describe(self) -> String {
        match (self.oldest(), self.newest()) {
            (Some(a), Some(b)) if a == b => format!("v{a}"),
            (Some(a), Some(b)) => format!("v{a}–v{b}"),
            _ => "no known release".to_string(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Pessimistic,
}

/// A Terraform version constraint such as `~> 0.2.0` or `>= 0.5, < 0.7`.
#[derive(Clone, Debug)]
pub struct Constraint {
    terms: Vec<(Op, Version, usize)>,
}

impl Constraint {
    pub fn parse(text: &str) -> Option<Constraint> {
        let mut terms = Vec::new();
        for term in text.split(',') {
            let term = term.trim();
            let (op, rest) = [
                ("~>", Op::Pessimistic),
                (">=", Op::Ge),
                ("<=", Op::Le),
                ("!=", Op::Ne),
                (">", Op::Gt),
                ("<", Op::Lt),
                ("=", Op::Eq),
            ]
            .iter()
            .find_map(|(prefix, op)| term.strip_prefix(prefix).map(|rest| (*op, rest)))
            .unwrap_or((Op::Eq, term));
            let rest = rest.trim();
            let precision = rest.split('-').next()?.split('.').count();
            let version = Version::parse(rest)?;
            terms.push((op, version, precision));
        }
        Some(Constraint { terms })
    }

    /// Terraform's rule: a pre-release matches only an exact `=` term naming it.
    pub fn matches(&self, v: &Version) -> bool {
        if v.pre.is_some() && !self.terms.iter().any(|(op, c, _)| *op == Op::Eq && c == v) {
            return false;
        }
        self.terms.iter().all(|(op, c, precision)| match op {
            Op::Eq => v == c,
            Op::Ne => v != c,
            Op::Gt => v > c,
            Op::Ge => v >= c,
            Op::Lt => v < c,
            Op::Le => v <= c,
            Op::Pessimistic => v >= c && v < &pessimistic_bound(c, *precision),
        })
    }

    pub fn releases(&self) -> ReleaseSet {
        ReleaseSet::matching(|v| self.matches(v))
    }
}

/// `~> 0.2.0` allows up to (not including) 0.3.0; `~> 0.2` up to 1.0.
fn pessimistic_bound(c: &Version, precision: usize) -> Version {
    let (major, minor) = if precision >= 3 {
        (c.major, c.minor + 1)
    } else {
        (c.major + 1, 0)
    };
    Version {
        major,
        minor,
        patch: 0,
        pre: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(constraint: &str) -> Vec<&'static str> {
        Constraint::parse(constraint)
            .expect("valid")
            .releases()
            .iter()
            .collect()
    }

    #[test]
    fn generated_releases_are_sorted_and_read_as_their_names() {
        let versions: Vec<Version> = Release::ALL.map(Release::version).to_vec();
        assert!(versions.windows(2).all(|w| w[0] < w[1]));
        for (i, release) in Release::ALL.into_iter().enumerate() {
            assert_eq!(release.index(), i);
            assert_eq!(
                Version::parse(release.as_str()),
                Some(release.version()),
                "{release}"
            );
            assert_eq!(Release::find(release.as_str()), Some(release));
        }
        assert_eq!(Release::NEWEST, Release::ALL[Release::ALL.len() - 1]);
        assert_eq!(Release::find("0.11.0"), None);
    }

    #[test]
    fn sets_by_range() {
        assert_eq!(ReleaseSet::all().iter().count(), Release::ALL.len());
        assert_eq!(
            ReleaseSet::range(Release::V0_1_0, Release::NEWEST),
            ReleaseSet::all()
        );
        assert_eq!(
            ReleaseSet::range(Release::V0_2_0_BETA2, Release::V0_3_0)
                .iter()
                .collect::<Vec<_>>(),
            ["0.2.0-beta2", "0.2.0", "0.3.0"]
        );
        assert_eq!(ReleaseSet::only(Release::V0_7_0_RC1).describe(), "v0.7.0-rc1");
        assert!(ReleaseSet::range(Release::V0_3_0, Release::V0_1_0).is_empty());
        assert!(ReleaseSet::from(Release::V0_5_0).contains(Release::NEWEST));
        assert!(!ReleaseSet::from(Release::V0_5_0).contains(Release::V0_5_0_BETA1));
    }

    #[test]
    fn exact_and_pessimistic_constraints() {
        assert_eq!(set("0.1.1"), ["0.1.1"]);
        assert_eq!(set("~> 0.1.0"), ["0.1.0", "0.1.1"]);
        assert_eq!(set("~> 0.7.0"), ["0.7.0", "0.7.1", "0.7.2", "0.7.3"]);
        assert_eq!(set("~> 0.9"), ["0.9.3", "0.9.4", "0.10.0"]);
    }

    #[test]
    fn ranges_exclude_prereleases_unless_named_exactly() {
        assert_eq!(set(">= 0.5, < 0.6"), ["0.5.0", "0.5.1", "0.5.2"]);
        assert_eq!(set("= 0.2.0-beta1"), ["0.2.0-beta1"]);
        assert_eq!(set("v0.10.0"), ["0.10.0"]);
    }

    #[test]
    fn placeholders_are_not_constraints() {
        for bad in [
            "<latest version>",
            "latest",
            "x.y.z",
            "",
            "~>",
            "1.2.3.4",
            "0.1.0-",
        ] {
            assert!(Constraint::parse(bad).is_none(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn unknown_future_versions_match_no_release() {
        assert!(Constraint::parse("0.11.0").unwrap().releases().is_empty());
        assert!(!ReleaseSet::EMPTY.is_within(ReleaseSet::all()));
    }

    #[test]
    fn release_set_descriptions() {
        assert_eq!(
            ReleaseSet::range(Release::V0_1_0, Release::V0_1_1).describe(),
            "v0.1.0–v0.1.1"
        );
        assert_eq!(ReleaseSet::from(Release::V0_10_0).describe(), "v0.10.0");
    }
}
