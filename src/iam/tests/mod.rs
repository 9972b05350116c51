//! Tests of IAM policy semantics, one file per concern. The helpers here
//! build statements and the outcomes tests expect.

use super::*;

mod actions;
mod deny_and_condition;
mod glob;
mod pattern;
mod resources;
mod roles;

const TASK_SCOPE: &str = "arn:aws:ecs:${region}:${account}:task/*";
const V010_TASK_ARN: &str = "arn:aws:ecs:${var.region}:${data.aws_caller_identity.this.account_id}:task/*";

fn allow(origin: usize, actions: &[&str], resources: &[&str]) -> Statement {
    Statement::allow(origin, Actions::action(actions), Resources::resource(resources))
}

fn deny(origin: usize, actions: &[&str], resources: &[&str]) -> Statement {
    Statement::deny(origin, Actions::action(actions), Resources::resource(resources))
}

fn list_tasks() -> Requirement {
    Requirement::new("ecs:ListTasks", Pattern::any())
}

fn describe_tasks() -> Requirement {
    Requirement::new("ecs:DescribeTasks", Pattern::parse(TASK_SCOPE))
}

fn check(statements: &[Statement], req: &Requirement) -> Outcome {
    evaluate(statements, req)
}

fn allowed(by: &[usize]) -> Outcome {
    Outcome::Allowed { by: by.to_vec() }
}

fn not_allowed(reason: NotAllowedReason) -> Outcome {
    Outcome::NotAllowed { reason }
}

fn inconclusive(reason: InconclusiveReason) -> Outcome {
    Outcome::Inconclusive { reason }
}

fn narrower(origin: usize, resources: &[&str]) -> Outcome {
    let resources = Resources::resource(resources);
    not_allowed(NotAllowedReason::NarrowerResource {
        grants: vec![Grant { origin, resources }],
    })
}

fn region_doubt(origin: usize, value: &str) -> InconclusiveReason {
    let doubt = Doubt::FixedField {
        field: ArnField::Region,
        value: value.into(),
    };
    InconclusiveReason::UncertainScope { origin, doubt }
}

/// Resource coverage of the generic task scope by one Allow.
fn task_coverage(resource: &str) -> Outcome {
    check(
        &[allow(1, &["ecs:DescribeTasks"], &[resource])],
        &describe_tasks(),
    )
}
