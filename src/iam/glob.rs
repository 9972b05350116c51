//! IAM globbing (`*` any run, `?` one character) over tokens: exact
//! intersection, sound containment, and witness ARNs that refute it, all as
//! quadratic dynamic programming, never backtracking.

use super::pattern::{Pattern, Segment};

/// Private-use character no real ARN contains: fills witness wildcards.
const FILLER: char = '\u{E000}';

/// A set of single characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Char(char),
    Any,
    NoColon,
}

impl Class {
    fn within(self, outer: Class) -> bool {
        match (self, outer) {
            (_, Class::Any) => true,
            (Class::Char(c), Class::Char(d)) => c == d,
            (Class::Char(c), Class::NoColon) => c != ':',
            (Class::NoColon, Class::NoColon) => true,
            _ => false,
        }
    }

    fn meets(self, other: Class) -> bool {
        match (self, other) {
            (Class::Char(c), Class::Char(d)) => c == d,
            (Class::Char(c), Class::NoColon) | (Class::NoColon, Class::Char(c)) => c != ':',
            _ => true,
        }
    }
}

/// One pattern token. `Hole` only occurs in scopes: a single fixed string
/// over its class whose value is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok {
    One(Class),
    Many(Class),
    Hole(Class),
}

/// The interpretation of one pattern, prepared once per requirement.
pub(super) struct Scope<'a> {
    pub(super) pattern: &'a Pattern,
    /// Holes kept: used to prove that something holds whatever they are.
    pub(super) exact: Vec<Tok>,
    /// Holes widened to every value they might take.
    pub(super) union: Vec<Tok>,
    /// Concrete members of the scope (wildcards emptied, or filled with one
    /// filler character), holes still open.
    pub(super) witnesses: [Vec<Tok>; 2],
}

impl<'a> Scope<'a> {
    pub(super) fn new(pattern: &'a Pattern) -> Scope<'a> {
        let arn = pattern
            .segments
            .iter()
            .any(|s| matches!(s, Segment::Lit(t) if t.contains(':')));
        let wild = if arn { Class::NoColon } else { Class::Any };
        let exact = lex(pattern, false, wild, Tok::Hole(wild));
        let union = simplify(exact.iter().map(|t| widen(*t)).collect());
        let witnesses = [witness(&exact, false), witness(&exact, true)];
        Scope {
            pattern,
            exact,
            union,
            witnesses,
        }
    }
}

fn widen(t: Tok) -> Tok {
    match t {
        Tok::Hole(c) => Tok::Many(c),
        t => t,
    }
}

fn witness(toks: &[Tok], fill: bool) -> Vec<Tok> {
    let filler = Tok::One(Class::Char(FILLER));
    let pick = |t: &Tok| match *t {
        Tok::One(Class::Char(c)) => Some(Tok::One(Class::Char(c))),
        Tok::One(_) => Some(filler),
        Tok::Many(_) if fill => Some(filler),
        Tok::Many(_) => None,
        Tok::Hole(c) => Some(Tok::Many(c)),
    };
    toks.iter().filter_map(pick).collect()
}

/// Tokenises a pattern; `fold` lowercases literals (actions), `wild` is the
/// class `*`/`?` range over and `unknown` stands for interpolations.
pub(super) fn lex(p: &Pattern, fold: bool, wild: Class, unknown: Tok) -> Vec<Tok> {
    let mut out = Vec::new();
    for seg in &p.segments {
        match seg {
            Segment::Unknown => out.push(unknown),
            Segment::Lit(text) => out.extend(text.chars().map(|c| match c {
                '*' => Tok::Many(wild),
                '?' => Tok::One(wild),
                c if fold => Tok::One(Class::Char(c.to_ascii_lowercase())),
                c => Tok::One(Class::Char(c)),
            })),
        }
    }
    simplify(out)
}

/// Puts runs of free wildcards in a canonical order (`?` before `*`, one `*`)
/// so that the symbolic containment check sees `*?` and `?*` as equal.
fn simplify(toks: Vec<Tok>) -> Vec<Tok> {
    let free = |t: &Tok| {
        matches!(
            t,
            Tok::One(Class::Any) | Tok::Many(Class::Any) | Tok::Many(Class::NoColon)
        )
    };
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let end = (i..toks.len()).find(|&k| !free(&toks[k])).unwrap_or(toks.len());
        let run = &toks[i..end];
        if run.contains(&Tok::Many(Class::Any)) {
            out.extend(run.iter().filter(|t| **t == Tok::One(Class::Any)));
            out.push(Tok::Many(Class::Any));
        } else {
            for &t in run {
                if !(t == Tok::Many(Class::NoColon) && out.last() == Some(&t)) {
                    out.push(t);
                }
            }
        }
        if let Some(&t) = toks.get(end) {
            out.push(t);
        }
        i = end + 1;
    }
    out
}

#[derive(Clone, Copy)]
enum Step {
    Left,
    Right,
    Both,
}

/// Reachability of `(n, m)` from `(0, 0)` when moves only advance: the common
/// skeleton of every glob comparison here, in O(n·m) time and O(m) space.
fn reachable(n: usize, m: usize, can: impl Fn(usize, usize, Step) -> bool) -> bool {
    let mut prev = vec![false; m + 1];
    let mut cur = vec![false; m + 1];
    for i in 0..=n {
        for j in 0..=m {
            cur[j] = (i == 0 && j == 0)
                || (i > 0 && prev[j] && can(i - 1, j, Step::Left))
                || (j > 0 && cur[j - 1] && can(i, j - 1, Step::Right))
                || (i > 0 && j > 0 && prev[j - 1] && can(i - 1, j - 1, Step::Both));
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// Sound check that every string of `inner` matches `outer` (holes must have
/// been widened): each inner token is absorbed by an outer token whose
/// language contains it.
pub(super) fn subsumes(outer: &[Tok], inner: &[Tok]) -> bool {
    reachable(outer.len(), inner.len(), |i, j, step| {
        match (step, outer.get(i), inner.get(j)) {
            (Step::Left, Some(Tok::Many(_)), _) => true,
            (Step::Right, Some(Tok::Many(c)), Some(Tok::One(d) | Tok::Many(d))) => d.within(*c),
            (Step::Both, Some(Tok::One(c)), Some(Tok::One(d))) => d.within(*c),
            _ => false,
        }
    })
}

/// Exact test that `policy` and `scope` share a string. A hole in `scope` is
/// adversarial: only a policy `*` able to swallow any value of it may pass it,
/// so `true` then means "for every value of the holes".
pub(super) fn intersects(policy: &[Tok], scope: &[Tok]) -> bool {
    reachable(policy.len(), scope.len(), |i, j, step| {
        match (step, policy.get(i), scope.get(j)) {
            (Step::Left, Some(Tok::Many(_)), _) => true,
            (Step::Left, Some(Tok::One(c)), Some(Tok::Many(d))) => c.meets(*d),
            (Step::Right, _, Some(Tok::Many(_))) => true,
            (Step::Right, Some(Tok::Many(c)), Some(Tok::One(d))) => c.meets(*d),
            (Step::Right, Some(Tok::Many(c)), Some(Tok::Hole(h))) => h.within(*c),
            (Step::Both, Some(Tok::One(c)), Some(Tok::One(d))) => c.meets(*d),
            _ => false,
        }
    })
}
