//! Explicit denies win; a `Condition` makes a statement unable to prove
//! anything.

use super::*;

#[test]
fn explicit_deny_overrides_allow() {
    let st = [
        allow(1, &["ecs:*"], &["*"]),
        deny(2, &["ecs:DescribeTasks"], &["*"]),
    ];
    let out = check(&st, &describe_tasks());
    assert_eq!(out, not_allowed(NotAllowedReason::BlockedByDeny { origin: 2 }));
    assert_eq!(check(&st, &list_tasks()), allowed(&[1]));
}

#[test]
fn deny_on_unrelated_resource_does_not_block() {
    let st = [
        allow(1, &["ecs:*"], &["*"]),
        deny(2, &["ecs:*"], &["arn:aws:ecs:*:*:cluster/*"]),
    ];
    assert_eq!(check(&st, &describe_tasks()), allowed(&[1]));
}

#[test]
fn deny_with_not_resource_blocks_what_it_does_not_list() {
    let allow_all = allow(1, &["ecs:*"], &["*"]);
    let deny_except =
        |kept: &str| Statement::deny(2, Actions::action(&["ecs:*"]), Resources::not_resource(&[kept]));
    let spared = [allow_all.clone(), deny_except("arn:aws:ecs:*:*:task/*")];
    assert_eq!(check(&spared, &describe_tasks()), allowed(&[1]));
    let hit = [allow_all, deny_except("arn:aws:ecs:*:*:cluster/*")];
    let out = check(&hit, &describe_tasks());
    assert_eq!(out, not_allowed(NotAllowedReason::BlockedByDeny { origin: 2 }));
}

#[test]
fn condition_on_the_only_allow_is_inconclusive() {
    let st = allow(5, &["ecs:ListTasks"], &["*"]).with_condition();
    let out = check(&[st], &list_tasks());
    assert_eq!(
        out,
        inconclusive(InconclusiveReason::ConditionalAllow { origin: 5 })
    );
}

#[test]
fn conditional_allow_does_not_spoil_an_unconditional_one() {
    let st = [
        allow(5, &["ecs:ListTasks"], &["*"]).with_condition(),
        allow(6, &["ecs:*"], &["*"]),
    ];
    assert_eq!(check(&st, &list_tasks()), allowed(&[6]));
}

#[test]
fn conditional_deny_makes_allowed_inconclusive() {
    let st = [
        allow(1, &["ecs:*"], &["*"]),
        deny(2, &["ecs:ListTasks"], &["*"]).with_condition(),
    ];
    let out = check(&st, &list_tasks());
    assert_eq!(
        out,
        inconclusive(InconclusiveReason::ConditionalDeny { origin: 2 })
    );
}

#[test]
fn deny_pinned_to_a_region_only_might_apply() {
    let st = [
        allow(1, &["ecs:*"], &["*"]),
        deny(2, &["ecs:*"], &["arn:aws:ecs:eu-west-1:*:task/*"]),
    ];
    let doubt = Doubt::FixedField {
        field: ArnField::Region,
        value: "eu-west-1".into(),
    };
    let out = check(&st, &describe_tasks());
    assert_eq!(
        out,
        inconclusive(InconclusiveReason::PossibleDeny { origin: 2, doubt })
    );
}

#[test]
fn deny_with_interpolated_region_definitely_applies() {
    // Policy interpolations mean "whatever that field is", on both sides.
    let st = [
        allow(1, &["ecs:*"], &["*"]),
        deny(2, &["ecs:DescribeTasks"], &[V010_TASK_ARN]),
    ];
    let out = check(&st, &describe_tasks());
    assert_eq!(out, not_allowed(NotAllowedReason::BlockedByDeny { origin: 2 }));
}
