//! Policy statements (effect, actions, resources, condition) and the
//! requirement a component has of its task role.

use super::pattern::Pattern;

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
