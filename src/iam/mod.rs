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
//!
//! The parts, one noun each:
//! * `pattern`: action and resource patterns with unknown parts ([`Pattern`]);
//! * `statement`: policy statements and what a component requires ([`Statement`],
//!   [`Requirement`]);
//! * `evaluation`: AWS's evaluation order, three-valued ([`evaluate`], [`evaluate_role`]);
//! * `outcome`: verdicts and their reasons ([`Outcome`]);
//! * `arn`: the ARN field a doubt names ([`ArnField`]);
//! * `glob`: IAM globbing, symbolic containment and witness ARNs.

mod arn;
mod evaluation;
mod glob;
mod outcome;
mod pattern;
mod statement;

pub use arn::ArnField;
pub use evaluation::{evaluate, evaluate_role};
pub use outcome::{Doubt, Grant, InconclusiveReason, NotAllowedReason, Outcome};
pub use pattern::{Pattern, Segment};
pub use statement::{Actions, Effect, Requirement, Resources, Statement};

#[cfg(test)]
mod tests;
