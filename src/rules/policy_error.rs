use crate::rule::prelude::*;

/// Reported by the engine as it evaluates the policies (`crate::policy`): a failed
/// evaluation is known only then, after every built-in rule has run.
pub struct PolicyError;

impl Rule for PolicyError {
    fn check(&self, _ctx: &Context, _report: &mut Reporter) {}
}
