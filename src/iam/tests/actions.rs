//! Matching the action: wildcards, case, `NotAction`, unknown action lists.

use super::*;

#[test]
fn action_star_wildcards_match_any_run() {
    for pattern in ["ecs:*", "ecs:List*", "*", "*:*", "ecs:*Tasks", "e*s:L*T*s"] {
        let out = check(&[allow(7, &[pattern], &["*"])], &list_tasks());
        assert_eq!(out, allowed(&[7]), "pattern {pattern}");
    }
    let out = check(&[allow(7, &["ecs:List*"], &["*"])], &describe_tasks());
    assert_eq!(out, not_allowed(NotAllowedReason::NoStatementForAction));
}

#[test]
fn action_question_mark_matches_exactly_one_character() {
    let ok = check(&[allow(1, &["ecs:?istTask?"], &["*"])], &list_tasks());
    assert_eq!(ok, allowed(&[1]));
    for pattern in [
        "ecs:ListTasks?",
        "ecs:ListTask",
        "ecs:?ListTasks",
        "ecs:List?asks?",
    ] {
        let out = check(&[allow(1, &[pattern], &["*"])], &list_tasks());
        assert_eq!(
            out,
            not_allowed(NotAllowedReason::NoStatementForAction),
            "{pattern}"
        );
    }
}

#[test]
fn actions_compare_case_insensitively() {
    let lower = check(&[allow(1, &["ecs:describetasks"], &["*"])], &describe_tasks());
    assert_eq!(lower, allowed(&[1]));
    let upper = check(&[allow(2, &["ECS:LISTTASKS"], &["*"])], &list_tasks());
    assert_eq!(upper, allowed(&[2]));
    let mixed_req = Requirement::new("ECS:listTASKS", Pattern::any());
    assert_eq!(
        check(&[allow(3, &["ecs:List*"], &["*"])], &mixed_req),
        allowed(&[3])
    );
}

#[test]
fn not_action_excluding_the_action_is_not_allowed() {
    let st = Statement::allow(
        4,
        Actions::not_action(&["ecs:ListTasks"]),
        Resources::resource(&["*"]),
    );
    let out = check(&[st], &list_tasks());
    assert_eq!(
        out,
        not_allowed(NotAllowedReason::ExcludedByNotAction { origins: vec![4] })
    );
}

#[test]
fn not_action_not_excluding_the_action_allows_it() {
    let st = Statement::allow(
        4,
        Actions::not_action(&["iam:*", "ecs:Describe*"]),
        Resources::resource(&["*"]),
    );
    assert_eq!(check(std::slice::from_ref(&st), &list_tasks()), allowed(&[4]));
    let blocked = check(&[st], &describe_tasks());
    assert_eq!(
        blocked,
        not_allowed(NotAllowedReason::ExcludedByNotAction { origins: vec![4] })
    );
}

#[test]
fn unknown_actions_or_statement_are_inconclusive() {
    let unknown_actions = Statement::allow(3, Actions::Unknown, Resources::resource(&["*"]));
    let out = check(&[unknown_actions], &list_tasks());
    assert_eq!(
        out,
        inconclusive(InconclusiveReason::UnknownStatement { origin: 3 })
    );
    let templated = allow(4, &["${var.service}:ListTasks"], &["*"]);
    let out = check(std::slice::from_ref(&templated), &list_tasks());
    assert_eq!(
        out,
        inconclusive(InconclusiveReason::UnknownStatement { origin: 4 })
    );
    assert_eq!(
        check(&[templated], &describe_tasks()),
        not_allowed(NotAllowedReason::NoStatementForAction)
    );
    let st = [allow(1, &["ecs:*"], &["*"]), Statement::unknown(9)];
    let out = check(&st, &list_tasks());
    assert_eq!(
        out,
        inconclusive(InconclusiveReason::UnknownStatement { origin: 9 })
    );
}
