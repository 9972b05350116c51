//! The verdict for one requirement, with reasons detailed enough for a
//! message and a fix.

use std::fmt;

use super::arn::ArnField;
use super::statement::Resources;

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
