//! IAM identity-policy semantics for ECS task roles.
//!
//! Rules must prove or disprove that a task role can call an AWS action on the
//! resources a component needs, from statements whose values are sometimes only
//! known at apply time. Every answer is three-valued (allowed, not allowed,
//! inconclusive) so that a rule never reports a finding it cannot back.
//!
//! Matching model:
//! * Policy patterns use IAM globbing (`*` any run, `?` one character). Actions
//!   compare case-insensitively, resources case-sensitively, as AWS does.
//! * An interpolation inside a policy pattern is read as "whatever value that
//!   ARN field has": a wildcard that never crosses `:`.
//! * An interpolation inside a required scope is one fixed value nobody knows
//!   yet, so a policy that pins that field to a literal *might* be right.
//! * In an ARN-shaped scope (one containing `:`) wildcards and unknowns stand
//!   for field values and resource ids, which never contain `:`. A scope
//!   without `:` (the lone `*`) means every resource.
//! * Glob containment with `?` is coNP-hard in general, so containment is
//!   proved symbolically and refuted with concrete witness ARNs; when neither
//!   works the answer is inconclusive instead of a guess. All matching is
//!   quadratic dynamic programming, never backtracking.

use std::fmt;

/// A piece of a pattern; unknown pieces are kept apart so that `${...}` is
/// reasoned about instead of being matched as literal text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Text as written; `*` and `?` keep their IAM wildcard meaning.
    Lit(String),
    /// A value not known at lint time (a Terraform interpolation).
    Unknown,
}

impl Segment {
    /// Shorthand so scopes built by hand stay readable.
    pub fn lit(text: impl Into<String>) -> Segment {
        Segment::Lit(text.into())
    }
}

/// An action or resource pattern, possibly with unknown parts. The original
/// text is kept so that reasons can quote what the user wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    segments: Vec<Segment>,
    text: String,
}

impl Pattern {
    /// Reads a Terraform template string: every `${...}` or `%{...}` (braces
    /// balanced, quoted strings skipped) is unknown; `$${` and `%%{` are the
    /// template escapes for literal `${` and `%{`.
    pub fn parse(text: &str) -> Pattern {
        let chars: Vec<char> = text.chars().collect();
        let mut segments = Vec::new();
        let mut lit = String::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let sigil = c == '$' || c == '%';
            if sigil && chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&'{') {
                lit.push(c);
                lit.push('{');
                i += 3;
            } else if sigil && chars.get(i + 1) == Some(&'{') {
                segments.push(Segment::Lit(std::mem::take(&mut lit)));
                segments.push(Segment::Unknown);
                i = skip_template(&chars, i + 2);
            } else {
                lit.push(c);
                i += 1;
            }
        }
        segments.push(Segment::Lit(lit));
        Pattern {
            segments: tidy(segments),
            text: text.to_string(),
        }
    }

    /// For callers that already know which parts are unknown (for example a
    /// scope naming "the task's region").
    pub fn from_segments(segments: Vec<Segment>) -> Pattern {
        let segments = tidy(segments);
        let text = segments
            .iter()
            .map(|s| match s {
                Segment::Lit(t) => t.as_str(),
                Segment::Unknown => "${…}",
            })
            .collect();
        Pattern { segments, text }
    }

    /// `*`: the scope of actions without resource-level permissions.
    pub fn any() -> Pattern {
        Pattern::parse("*")
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The text as written (or rendered, for patterns built from segments).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_fully_known(&self) -> bool {
        !self.segments.contains(&Segment::Unknown)
    }
}

impl From<&str> for Pattern {
    fn from(text: &str) -> Pattern {
        Pattern::parse(text)
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Returns the index just past the `}` closing a template opened before `i`.
fn skip_template(chars: &[char], mut i: usize) -> usize {
    let mut depth = 1;
    while i < chars.len() {
        match chars[i] {
            '"' => {
                i = skip_string(chars, i + 1);
                continue;
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

/// Returns the index just past the `"` closing a string opened before `i`.
fn skip_string(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            '$' | '%' if chars.get(i + 1) == Some(&'{') => i = skip_template(chars, i + 2),
            _ => i += 1,
        }
    }
    chars.len()
}

/// Merges adjacent literals and unknowns so equal patterns compare equal.
fn tidy(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for seg in segments {
        match (out.last_mut(), seg) {
            (_, Segment::Lit(t)) if t.is_empty() => {}
            (Some(Segment::Lit(prev)), Segment::Lit(t)) => prev.push_str(&t),
            (Some(Segment::Unknown), Segment::Unknown) => {}
            (_, seg) => out.push(seg),
        }
    }
    out
}

/// Allow, Deny, or an effect only known at apply time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    Unknown,
}

/// `Action`/`NotAction` as written; `Unknown` when the list itself came from
/// an expression that cannot be evaluated at lint time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actions {
    Action(Vec<Pattern>),
    NotAction(Vec<Pattern>),
    Unknown,
}

impl Actions {
    pub fn action(patterns: &[&str]) -> Actions {
        Actions::Action(patterns.iter().map(|p| Pattern::parse(p)).collect())
    }

    pub fn not_action(patterns: &[&str]) -> Actions {
        Actions::NotAction(patterns.iter().map(|p| Pattern::parse(p)).collect())
    }
}

/// `Resource`/`NotResource` as written, or `Unknown` like [`Actions::Unknown`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resources {
    Resource(Vec<Pattern>),
    NotResource(Vec<Pattern>),
    Unknown,
}

impl Resources {
    pub fn resource(patterns: &[&str]) -> Resources {
        Resources::Resource(patterns.iter().map(|p| Pattern::parse(p)).collect())
    }

    pub fn not_resource(patterns: &[&str]) -> Resources {
        Resources::NotResource(patterns.iter().map(|p| Pattern::parse(p)).collect())
    }
}

/// One evaluated policy statement. `origin` is opaque here and handed back in
/// outcomes so that rules can point at the statement's source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub effect: Effect,
    pub actions: Actions,
    pub resources: Resources,
    /// Whether a `Condition` is present (or might be): such a statement can
    /// never prove a permission, only suggest one.
    pub conditional: bool,
    pub origin: usize,
}

impl Statement {
    pub fn allow(origin: usize, actions: Actions, resources: Resources) -> Statement {
        Statement {
            effect: Effect::Allow,
            actions,
            resources,
            conditional: false,
            origin,
        }
    }

    pub fn deny(origin: usize, actions: Actions, resources: Resources) -> Statement {
        Statement {
            effect: Effect::Deny,
            ..Statement::allow(origin, actions, resources)
        }
    }

    /// A statement nothing is known about (e.g. from a `dynamic` block over a
    /// variable): it might grant or block anything.
    pub fn unknown(origin: usize) -> Statement {
        Statement {
            effect: Effect::Unknown,
            ..Statement::allow(origin, Actions::Unknown, Resources::Unknown)
        }
    }

    pub fn with_condition(self) -> Statement {
        Statement {
            conditional: true,
            ..self
        }
    }
}

/// What a component needs: one concrete action on every resource of `scope`.
/// Build the scope with unknown segments where the value is fixed but not
/// known at lint time (the task's region and account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub action: String,
    pub scope: Pattern,
}

impl Requirement {
    pub fn new(action: impl Into<String>, scope: Pattern) -> Requirement {
        Requirement {
            action: action.into(),
            scope,
        }
    }
}

/// The verdict for one requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Granted unconditionally by these statements, and nothing may deny it.
    Allowed {
        by: Vec<usize>,
    },
    NotAllowed {
        reason: NotAllowedReason,
    },
    Inconclusive {
        reason: InconclusiveReason,
    },
}

/// Why a requirement is definitely not met, detailed enough to suggest a fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAllowedReason {
    /// No Allow statement's action list includes the action.
    NoStatementForAction,
    /// The action is allowed, but only on resources that miss part of the scope.
    NarrowerResource { grants: Vec<Grant> },
    /// Allow statements whose `NotAction` carves the action out.
    ExcludedByNotAction { origins: Vec<usize> },
    /// An unconditional Deny applies; AWS lets explicit denies win.
    BlockedByDeny { origin: usize },
}

/// An Allow that names the action but covers too little of the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub origin: usize,
    pub resources: Resources,
}

/// Why the answer depends on facts not available at lint time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InconclusiveReason {
    /// Only a statement with a `Condition` would grant it.
    ConditionalAllow { origin: usize },
    /// A Deny with a `Condition` applies and might block it.
    ConditionalDeny { origin: usize },
    /// A statement whose effect, actions or resources are unknown.
    UnknownStatement { origin: usize },
    /// An Allow whose resources may or may not cover the scope.
    UncertainScope { origin: usize, doubt: Doubt },
    /// A Deny whose resources may or may not reach the scope.
    PossibleDeny { origin: usize, doubt: Doubt },
    /// No statement covers the scope alone; together they might.
    CombinedStatements,
}

/// What makes a resource match uncertain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doubt {
    /// The policy pins an ARN field the scope leaves unknown.
    FixedField { field: ArnField, value: String },
    /// The patterns could be neither proved nor refuted to match.
    Undecided,
}

impl fmt::Display for Doubt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Doubt::FixedField { field, value } => write!(
                f,
                "scoped to {field} {value}; the required ARN's {field} is not known at lint time"
            ),
            Doubt::Undecided => f.write_str("could not decide whether the resource patterns match"),
        }
    }
}

/// The ARN fields that never contain `:` and are commonly interpolated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnField {
    Partition,
    Service,
    Region,
    Account,
}

impl fmt::Display for ArnField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArnField::Partition => "partition",
            ArnField::Service => "service",
            ArnField::Region => "region",
            ArnField::Account => "account",
        })
    }
}

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

fn lex_policy(patterns: &[Pattern]) -> Vec<Vec<Tok>> {
    let unknown = Tok::Many(Class::NoColon);
    patterns
        .iter()
        .map(|p| lex(p, false, Class::Any, unknown))
        .collect()
}

/// Names the ARN field a policy pins while the scope leaves it unknown, so
/// the user learns *why* the answer is open.
fn doubt_for(resources: &Resources, scope: &Scope) -> Doubt {
    let Resources::Resource(patterns) = resources else {
        return Doubt::Undecided;
    };
    let wanted = arn_fields(scope.pattern);
    let fields = [
        ArnField::Partition,
        ArnField::Service,
        ArnField::Region,
        ArnField::Account,
    ];
    // Only patterns that could match at all explain the doubt.
    let plausible = patterns
        .iter()
        .filter(|p| intersects(&lex_policy(std::slice::from_ref(*p))[0], &scope.union));
    for p in plausible {
        let have = arn_fields(p);
        for (k, field) in fields.iter().enumerate().map(|(k, f)| (k + 1, *f)) {
            let unknown = wanted.get(k).is_some_and(|w| w[..] == [Segment::Unknown]);
            let pinned = match have.get(k).map(|h| &h[..]) {
                Some([Segment::Lit(v)]) if !v.contains(['*', '?']) => Some(v),
                _ => None,
            };
            if let (true, Some(v)) = (unknown, pinned) {
                let value = v.clone();
                return Doubt::FixedField { field, value };
            }
        }
    }
    Doubt::Undecided
}

fn arn_fields(p: &Pattern) -> Vec<Vec<Segment>> {
    let mut fields = vec![Vec::new()];
    for seg in &p.segments {
        match seg {
            Segment::Unknown => fields.last_mut().unwrap().push(Segment::Unknown),
            Segment::Lit(t) => {
                for (n, piece) in t.split(':').enumerate() {
                    if n > 0 {
                        fields.push(Vec::new());
                    }
                    if !piece.is_empty() {
                        fields.last_mut().unwrap().push(Segment::lit(piece));
                    }
                }
            }
        }
    }
    fields
}

// ---- glob machinery --------------------------------------------------------

/// Private-use character no real ARN contains: fills witness wildcards.
const FILLER: char = '\u{E000}';

/// A set of single characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
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
enum Tok {
    One(Class),
    Many(Class),
    Hole(Class),
}

/// The interpretation of one pattern, prepared once per requirement.
struct Scope<'a> {
    pattern: &'a Pattern,
    /// Holes kept: used to prove that something holds whatever they are.
    exact: Vec<Tok>,
    /// Holes widened to every value they might take.
    union: Vec<Tok>,
    /// Concrete members of the scope (wildcards emptied, or filled with one
    /// filler character), holes still open.
    witnesses: [Vec<Tok>; 2],
}

impl<'a> Scope<'a> {
    fn new(pattern: &'a Pattern) -> Scope<'a> {
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
fn lex(p: &Pattern, fold: bool, wild: Class, unknown: Tok) -> Vec<Tok> {
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
fn subsumes(outer: &[Tok], inner: &[Tok]) -> bool {
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
fn intersects(policy: &[Tok], scope: &[Tok]) -> bool {
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

#[cfg(test)]
mod tests;
