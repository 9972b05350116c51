//! Whether Consul lets one service call another, decided from the intentions the project
//! writes, the way Consul decides it: the matching intention of highest precedence wins, and
//! at equal precedence a deny beats an allow. Precedence counts exact values, destination
//! first (Consul's `Intention.UpdatePrecedence`):
//!
//! | source namespace | source name | destination namespace | destination name | precedence |
//! |---|---|---|---|---|
//! | exact | exact | exact | exact | 9 |
//! | exact | `*` | exact | exact | 8 |
//! | `*` | `*` | exact | exact | 7 |
//! | exact | exact | exact | `*` | 6 |
//! | exact | `*` | exact | `*` | 5 |
//! | `*` | `*` | exact | `*` | 4 |
//! | exact | exact | `*` | `*` | 3 |
//! | exact | `*` | `*` | `*` | 2 |
//! | `*` | `*` | `*` | `*` | 1 |
//!
//! When no intention matches, the servers' ACL default policy decides, which the project does
//! not hold: the verdict is [`Verdict::NoIntention`], never a guessed deny. An intention that
//! may match but is not known (a name from an unknown variable, a `for_each` over an unknown
//! map) makes the verdict [`Verdict::Unknown`], unless a deny already outranks anything it
//! could be.

use super::{Action, ConfigEntry, Source};

/// A service as intentions name it; `None` parts are not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRef {
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub partition: Option<String>,
}

impl ServiceRef {
    pub fn named(name: &str) -> ServiceRef {
        ServiceRef {
            name: Some(name.to_string()),
            namespace: Some("default".to_string()),
            partition: Some("default".to_string()),
        }
    }
}

/// The intention that decides an edge.
#[derive(Debug, Clone, Copy)]
pub struct Match<'e> {
    pub entry: &'e ConfigEntry,
    pub source: &'e Source,
    pub precedence: u8,
}

#[derive(Debug, Clone, Copy)]
pub enum Verdict<'e> {
    Allowed(Match<'e>),
    Denied(Match<'e>),
    /// An L7 intention: only requests its permissions allow get through.
    AllowedForSome(Match<'e>),
    /// No intention of the project matches: the ACL default policy decides.
    NoIntention,
    /// An intention that may match is not known.
    Unknown,
}

/// Consul's precedence for the exactness of each part (`*` or not).
pub fn precedence(
    source_namespace: &str,
    source_name: &str,
    destination_namespace: &str,
    destination_name: &str,
) -> u8 {
    let exact = |namespace: &str, name: &str| match (namespace, name) {
        ("*", _) => 0,
        (_, "*") => 1,
        _ => 2,
    };
    let max = match exact(destination_namespace, destination_name) {
        2 => 9,
        1 => 6,
        _ => 3,
    };
    max - (2 - exact(source_namespace, source_name))
}

/// Whether a pattern (`*`, a name, or not known) matches a value (known or not).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fit {
    Yes,
    No,
    Maybe,
}

fn fit(pattern: Option<&str>, actual: Option<&str>) -> Fit {
    match (pattern, actual) {
        (Some("*"), _) => Fit::Yes,
        (None, _) | (_, None) => Fit::Maybe,
        (Some(p), Some(a)) if p == a => Fit::Yes,
        _ => Fit::No,
    }
}

fn all(fits: &[Fit]) -> Fit {
    if fits.contains(&Fit::No) {
        Fit::No
    } else if fits.contains(&Fit::Maybe) {
        Fit::Maybe
    } else {
        Fit::Yes
    }
}

/// The verdict for `source` calling `destination`, from `entries` (every kind; only
/// service intentions, and entries whose kind is not known, count).
pub fn decide<'e>(
    entries: impl IntoIterator<Item = &'e ConfigEntry>,
    source: &ServiceRef,
    destination: &ServiceRef,
) -> Verdict<'e> {
    let mut best: Option<(Match<'e>, Rank)> = None;
    // The highest precedence an intention that may match could have.
    let mut uncertain: Option<u8> = None;
    let mut note_uncertain = |p: u8| uncertain = Some(uncertain.map_or(p, |u| u.max(p)));
    for entry in entries {
        let Some(kind) = &entry.kind else {
            note_uncertain(9);
            continue;
        };
        if *kind != super::EntryKind::ServiceIntentions {
            continue;
        }
        let to = all(&[
            fit(entry.name.known(), destination.name.as_deref()),
            fit(entry.namespace.as_deref(), destination.namespace.as_deref()),
            fit(entry.partition.as_deref(), destination.partition.as_deref()),
        ]);
        if to == Fit::No {
            continue;
        }
        // Unknown parts count as exact: the most they could outrank.
        let destination_namespace = entry.namespace.as_deref().unwrap_or("");
        let destination_name = entry.name.known().unwrap_or("");
        if !entry.sources_known {
            note_uncertain(precedence("", "", destination_namespace, destination_name));
        }
        for candidate in &entry.sources {
            if candidate.remote.is_some() {
                continue;
            }
            let from = all(&[
                fit(candidate.name.known(), source.name.as_deref()),
                fit(candidate.namespace.as_deref(), source.namespace.as_deref()),
                fit(candidate.partition.as_deref(), source.partition.as_deref()),
            ]);
            if from == Fit::No {
                continue;
            }
            let p = precedence(
                candidate.namespace.as_deref().unwrap_or(""),
                candidate.name.known().unwrap_or(""),
                destination_namespace,
                destination_name,
            );
            let rank = match (candidate.is_l7(), candidate.action.as_ref().map(Action::of)) {
                (true, _) => Some(Rank::Partial),
                (false, Some(Some(Action::Deny))) => Some(Rank::Deny),
                (false, Some(Some(Action::Allow))) => Some(Rank::Allow),
                // An action not known (or missing, which Consul rejects).
                _ => None,
            };
            let (Some(rank), Fit::Yes, Fit::Yes) = (rank, to, from) else {
                note_uncertain(p);
                continue;
            };
            let found = Match {
                entry,
                source: candidate,
                precedence: p,
            };
            let better = match &best {
                None => true,
                Some((current, current_rank)) => (p, rank) > (current.precedence, *current_rank),
            };
            if better {
                best = Some((found, rank));
            }
        }
    }
    match (best, uncertain) {
        // Nothing unknown could outrank a deny (at equal precedence a deny still wins).
        (Some((found, Rank::Deny)), None) => Verdict::Denied(found),
        (Some((found, Rank::Deny)), Some(u)) if u <= found.precedence => Verdict::Denied(found),
        (_, Some(_)) => Verdict::Unknown,
        (Some((found, Rank::Allow)), None) => Verdict::Allowed(found),
        (Some((found, Rank::Partial)), None) => Verdict::AllowedForSome(found),
        (None, None) => Verdict::NoIntention,
    }
}

/// At equal precedence: deny over an L7 source over a plain allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Allow,
    Partial,
    Deny,
}

#[cfg(test)]
#[path = "decision_tests.rs"]
mod tests;
