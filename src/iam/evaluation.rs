//! Evaluation of a requirement against a role's statements the way AWS
//! evaluates identity policies: an explicit Deny wins, then an
//! unconditional Allow must cover the whole scope. Every step is three-valued.

use super::arn::doubt_for;
use super::glob::{intersects, lex, subsumes, Class, Scope, Tok};
use super::outcome::{Grant, InconclusiveReason, NotAllowedReason, Outcome};
use super::pattern::Pattern;
use super::statement::{Actions, Effect, Requirement, Resources, Statement};

/// Evaluates one requirement against all statements of a role (from all of
/// its policies), the way AWS evaluates identity policies.
pub fn evaluate(statements: &[Statement], requirement: &Requirement) -> Outcome {
    let action: Vec<Tok> = requirement
        .action
        .chars()
        .map(|c| Tok::One(Class::Char(c.to_ascii_lowercase())))
        .collect();
    let scope = Scope::new(&requirement.scope);
    let mut possible_deny = None;
    for st in statements.iter().filter(|s| s.effect != Effect::Allow) {
        match judge_deny(st, &action, &scope) {
            Verdict::Holds => {
                let reason = NotAllowedReason::BlockedByDeny { origin: st.origin };
                return Outcome::NotAllowed { reason };
            }
            Verdict::Doubt(reason) => {
                possible_deny.get_or_insert(reason);
            }
            _ => {}
        }
    }
    let tally = tally_allows(statements, &action, &scope);
    conclude(tally, possible_deny, &scope)
}

/// One outcome per requirement, in order.
pub fn evaluate_role(statements: &[Statement], requirements: &[Requirement]) -> Vec<Outcome> {
    requirements.iter().map(|r| evaluate(statements, r)).collect()
}

/// How one statement relates to one requirement.
enum Verdict {
    Holds,
    Doubt(InconclusiveReason),
    Narrow,
    Excluded,
    Silent,
}

#[derive(Default)]
struct Tally<'a> {
    by: Vec<usize>,
    doubts: Vec<InconclusiveReason>,
    narrow: Vec<Grant>,
    excluded: Vec<usize>,
    applicable: Vec<&'a Resources>,
}

fn tally_allows<'a>(statements: &'a [Statement], action: &[Tok], scope: &Scope) -> Tally<'a> {
    let mut t = Tally::default();
    for st in statements.iter().filter(|s| s.effect != Effect::Deny) {
        let applies = action_applies(&st.actions, action);
        if applies != Tri::No {
            t.applicable.push(&st.resources);
        }
        match judge_allow(st, applies, scope) {
            Verdict::Holds => t.by.push(st.origin),
            Verdict::Doubt(reason) => t.doubts.push(reason),
            Verdict::Narrow => t.narrow.push(Grant {
                origin: st.origin,
                resources: st.resources.clone(),
            }),
            Verdict::Excluded => t.excluded.push(st.origin),
            Verdict::Silent => {}
        }
    }
    t
}

fn conclude(t: Tally, possible_deny: Option<InconclusiveReason>, scope: &Scope) -> Outcome {
    if !t.by.is_empty() {
        return match possible_deny {
            Some(reason) => Outcome::Inconclusive { reason },
            None => Outcome::Allowed { by: t.by },
        };
    }
    if let Some(reason) = t.doubts.into_iter().next() {
        return Outcome::Inconclusive { reason };
    }
    // Each statement was refuted on its own, possibly by different witness
    // ARNs; several together are only refuted by one witness escaping them all.
    let refuted = |w: &Vec<Tok>| t.applicable.iter().all(|r| escapes(r, w));
    if t.applicable.len() > 1 && !scope.witnesses.iter().any(refuted) {
        let reason = InconclusiveReason::CombinedStatements;
        return Outcome::Inconclusive { reason };
    }
    let reason = if !t.narrow.is_empty() {
        NotAllowedReason::NarrowerResource { grants: t.narrow }
    } else if !t.excluded.is_empty() {
        NotAllowedReason::ExcludedByNotAction { origins: t.excluded }
    } else {
        NotAllowedReason::NoStatementForAction
    };
    Outcome::NotAllowed { reason }
}

fn judge_allow(st: &Statement, applies: Tri, scope: &Scope) -> Verdict {
    let guessed = st.effect == Effect::Unknown;
    if applies == Tri::No {
        let excluded = !guessed && matches!(st.actions, Actions::NotAction(_));
        return if excluded {
            Verdict::Excluded
        } else {
            Verdict::Silent
        };
    }
    let covered = covers_all(&st.resources, scope);
    if covered == Tri::No {
        let narrow = applies == Tri::Yes && !guessed;
        return if narrow { Verdict::Narrow } else { Verdict::Silent };
    }
    let origin = st.origin;
    if st.conditional {
        return Verdict::Doubt(InconclusiveReason::ConditionalAllow { origin });
    }
    if guessed || applies == Tri::Maybe || st.resources == Resources::Unknown {
        return Verdict::Doubt(InconclusiveReason::UnknownStatement { origin });
    }
    if covered == Tri::Yes {
        return Verdict::Holds;
    }
    let doubt = doubt_for(&st.resources, scope);
    Verdict::Doubt(InconclusiveReason::UncertainScope { origin, doubt })
}

fn judge_deny(st: &Statement, action: &[Tok], scope: &Scope) -> Verdict {
    let applies = action_applies(&st.actions, action);
    if applies == Tri::No {
        return Verdict::Silent;
    }
    let hit = hits_any(&st.resources, scope);
    if hit == Tri::No {
        return Verdict::Silent;
    }
    let origin = st.origin;
    if st.conditional {
        return Verdict::Doubt(InconclusiveReason::ConditionalDeny { origin });
    }
    let guessed = st.effect == Effect::Unknown || st.resources == Resources::Unknown;
    if guessed || applies == Tri::Maybe {
        return Verdict::Doubt(InconclusiveReason::UnknownStatement { origin });
    }
    if hit == Tri::Yes {
        return Verdict::Holds;
    }
    let doubt = doubt_for(&st.resources, scope);
    Verdict::Doubt(InconclusiveReason::PossibleDeny { origin, doubt })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Maybe,
}

impl Tri {
    fn negate(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Maybe => Tri::Maybe,
        }
    }

    /// Three-valued "or"; an empty input is `No`.
    fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        items.into_iter().fold(Tri::No, |acc, t| match (acc, t) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::Maybe, _) | (_, Tri::Maybe) => Tri::Maybe,
            _ => Tri::No,
        })
    }
}

fn action_applies(actions: &Actions, action: &[Tok]) -> Tri {
    let matches = |ps: &[Pattern]| {
        Tri::any(ps.iter().map(|p| {
            let toks = lex(p, true, Class::Any, Tok::Many(Class::Any));
            match (intersects(&toks, action), p.is_fully_known()) {
                (false, _) => Tri::No,
                (true, true) => Tri::Yes,
                (true, false) => Tri::Maybe,
            }
        }))
    };
    match actions {
        Actions::Action(ps) => matches(ps),
        Actions::NotAction(ps) => matches(ps).negate(),
        Actions::Unknown => Tri::Maybe,
    }
}

/// Does the resource set contain every ARN of the scope?
fn covers_all(resources: &Resources, scope: &Scope) -> Tri {
    match resources {
        Resources::Resource(ps) => list_covers(&lex_policy(ps), scope),
        Resources::NotResource(ps) => list_hits(&lex_policy(ps), scope).negate(),
        Resources::Unknown => Tri::Maybe,
    }
}

/// Does the resource set contain at least one ARN of the scope?
fn hits_any(resources: &Resources, scope: &Scope) -> Tri {
    match resources {
        Resources::Resource(ps) => list_hits(&lex_policy(ps), scope),
        Resources::NotResource(ps) => list_covers(&lex_policy(ps), scope).negate(),
        Resources::Unknown => Tri::Maybe,
    }
}

/// Is the witness outside the resource set whatever its unknowns turn out to be?
fn escapes(resources: &Resources, witness: &[Tok]) -> bool {
    match resources {
        Resources::Resource(ps) => escapes_list(&lex_policy(ps), witness),
        Resources::NotResource(ps) => lex_policy(ps).iter().any(|p| subsumes(p, witness)),
        Resources::Unknown => false,
    }
}

fn escapes_list(patterns: &[Vec<Tok>], witness: &[Tok]) -> bool {
    patterns.iter().all(|p| !intersects(p, witness))
}

fn list_covers(patterns: &[Vec<Tok>], scope: &Scope) -> Tri {
    if patterns.iter().any(|p| subsumes(p, &scope.union)) {
        Tri::Yes
    } else if scope.witnesses.iter().any(|w| escapes_list(patterns, w)) {
        Tri::No
    } else {
        Tri::Maybe
    }
}

fn list_hits(patterns: &[Vec<Tok>], scope: &Scope) -> Tri {
    Tri::any(patterns.iter().map(|p| {
        if !intersects(p, &scope.union) {
            Tri::No
        } else if intersects(p, &scope.exact) {
            Tri::Yes
        } else {
            Tri::Maybe
        }
    }))
}

pub(super) fn lex_policy(patterns: &[Pattern]) -> Vec<Vec<Tok>> {
    let unknown = Tok::Many(Class::NoColon);
    patterns
        .iter()
        .map(|p| lex(p, false, Class::Any, unknown))
        .collect()
}
