//! Whole roles: a real policy, every granting statement, no statements.

use super::*;

#[test]
fn hashicorp_v010_task_role_policy_is_allowed() {
    let ssm = [
        "ssmmessages:CreateControlChannel",
        "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel",
        "ssmmessages:OpenDataChannel",
    ];
    let st = [
        allow(10, &["ecs:ListTasks"], &["*"]),
        allow(11, &["ecs:DescribeTasks"], &[V010_TASK_ARN]),
        allow(12, &ssm, &["*"]),
    ];
    let mut reqs = vec![list_tasks(), describe_tasks()];
    reqs.extend(ssm.iter().map(|a| Requirement::new(*a, Pattern::any())));
    let expected = [
        allowed(&[10]),
        allowed(&[11]),
        allowed(&[12]),
        allowed(&[12]),
        allowed(&[12]),
        allowed(&[12]),
    ];
    assert_eq!(evaluate_role(&st, &reqs), expected);
    let wrong = Requirement::new(
        "ecs:DescribeTasks",
        Pattern::parse("arn:aws:ecs:${r}:${a}:container-instance/*"),
    );
    assert_eq!(check(&st, &wrong), narrower(11, &[V010_TASK_ARN]));
}

#[test]
fn allowed_lists_every_granting_statement() {
    let st = [
        allow(1, &["ecs:*"], &["*"]),
        allow(2, &["s3:*"], &["*"]),
        allow(3, &["*"], &["*"]),
    ];
    assert_eq!(check(&st, &list_tasks()), allowed(&[1, 3]));
}

#[test]
fn no_statements_means_no_statement_for_action() {
    let out = check(&[], &list_tasks());
    assert_eq!(out, not_allowed(NotAllowedReason::NoStatementForAction));
}
