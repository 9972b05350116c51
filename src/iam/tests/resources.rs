//! Covering the resource scope: narrower grants, `NotResource`, unknown ARN
//! fields and the doubts they raise.

use super::*;

#[test]
fn resources_compare_case_sensitively() {
    let out = task_coverage("ARN:AWS:ECS:*:*:TASK/*");
    assert_eq!(out, narrower(1, &["ARN:AWS:ECS:*:*:TASK/*"]));
}

#[test]
fn not_resource_excludes_exactly_what_it_lists() {
    let with = |excluded: &str| {
        let actions = Actions::action(&["ecs:DescribeTasks"]);
        check(
            &[Statement::allow(3, actions, Resources::not_resource(&[excluded]))],
            &describe_tasks(),
        )
    };
    assert_eq!(with("arn:aws:s3:::*"), allowed(&[3]));
    // Task ids never contain ':', so ':cluster/' can't appear in a task ARN.
    assert_eq!(with("arn:aws:ecs:*:*:cluster/*"), allowed(&[3]));
    let grants = vec![Grant {
        origin: 3,
        resources: Resources::not_resource(&["arn:aws:ecs:*:*:task/*"]),
    }];
    assert_eq!(
        with("arn:aws:ecs:*:*:task/*"),
        not_allowed(NotAllowedReason::NarrowerResource { grants })
    );
}

#[test]
fn list_tasks_scoped_to_container_instance_is_narrower() {
    let arn = "arn:aws:ecs:us-east-1:111111111111:container-instance/*";
    let out = check(&[allow(8, &["ecs:ListTasks"], &[arn])], &list_tasks());
    assert_eq!(out, narrower(8, &[arn]));
}

#[test]
fn all_resources_scope_needs_a_match_everything_pattern() {
    for covering in ["*", "**", "*${var.x}*"] {
        let out = check(&[allow(1, &["ecs:ListTasks"], &[covering])], &list_tasks());
        assert_eq!(out, allowed(&[1]), "{covering}");
    }
    for narrow in ["arn:aws:ecs:*:*:*", "arn:*", "?*"] {
        let out = check(&[allow(1, &["ecs:ListTasks"], &[narrow])], &list_tasks());
        assert_eq!(out, narrower(1, &[narrow]), "{narrow}");
    }
}

#[test]
fn generic_task_scope_is_covered_by_broader_patterns() {
    let built = Pattern::from_segments(vec![
        Segment::lit("arn:aws:ecs:"),
        Segment::Unknown,
        Segment::lit(":"),
        Segment::Unknown,
        Segment::lit(":task/*"),
    ]);
    let by_segments = Requirement::new("ecs:DescribeTasks", built);
    for p in [
        "*",
        "arn:aws:ecs:*:*:task/*",
        "arn:aws:ecs:*:*:*",
        "arn:*",
        "arn:aws:ecs:*",
        V010_TASK_ARN,
    ] {
        assert_eq!(task_coverage(p), allowed(&[1]), "{p}");
        let st = [allow(1, &["ecs:DescribeTasks"], &[p])];
        assert_eq!(check(&st, &by_segments), allowed(&[1]), "{p} (segments)");
    }
}

#[test]
fn cluster_scoped_task_arn_misses_tasks_of_other_clusters() {
    // The generic scope asks for every task; a grant limited to MY_CLUSTER
    // misses `task/other/...` whatever the unknown region and account are,
    // so this is a definite NotAllowed, not a region doubt. A rule that
    // knows the cluster should pass the narrower scope instead.
    let arn = "arn:aws:ecs:us-east-1:1111111111111:task/MY_CLUSTER/*";
    assert_eq!(task_coverage(arn), narrower(1, &[arn]));
    let st = [allow(1, &["ecs:DescribeTasks"], &[arn])];
    let in_cluster = Requirement::new(
        "ecs:DescribeTasks",
        Pattern::parse("arn:aws:ecs:${r}:${a}:task/MY_CLUSTER/*"),
    );
    assert_eq!(
        check(&st, &in_cluster),
        inconclusive(region_doubt(1, "us-east-1"))
    );
    let literal = Requirement::new("ecs:DescribeTasks", Pattern::parse(arn));
    assert_eq!(check(&st, &literal), allowed(&[1]));
}

#[test]
fn describe_tasks_on_cluster_arns_is_narrower() {
    let arn = "arn:aws:ecs:*:*:cluster/*";
    assert_eq!(task_coverage(arn), narrower(1, &[arn]));
    let specific = "arn:aws:ecs:us-east-1:111111111111:task/my-cluster/*";
    assert_eq!(task_coverage(specific), narrower(1, &[specific]));
}

#[test]
fn literal_region_against_unknown_region_is_inconclusive() {
    let out = task_coverage("arn:aws:ecs:us-east-1:111111111111:task/*");
    assert_eq!(out, inconclusive(region_doubt(1, "us-east-1")));
    let Outcome::Inconclusive {
        reason: InconclusiveReason::UncertainScope { doubt, .. },
    } = out
    else {
        panic!("expected an uncertain scope");
    };
    let text = doubt.to_string();
    assert!(
        text.starts_with("scoped to region us-east-1; the required ARN's region"),
        "{text}"
    );
}

#[test]
fn literal_account_against_unknown_account_names_the_account() {
    let out = task_coverage("arn:aws:ecs:*:111111111111:task/*");
    let doubt = Doubt::FixedField {
        field: ArnField::Account,
        value: "111111111111".into(),
    };
    assert_eq!(
        out,
        inconclusive(InconclusiveReason::UncertainScope { origin: 1, doubt })
    );
}

#[test]
fn doubt_names_the_pattern_that_could_match() {
    let resources = [
        "arn:aws:ecs:eu-west-1:111111111111:cluster/x",
        "arn:aws:ecs:us-east-1:111111111111:task/*",
    ];
    let out = check(&[allow(1, &["ecs:DescribeTasks"], &resources)], &describe_tasks());
    assert_eq!(out, inconclusive(region_doubt(1, "us-east-1")));
}

#[test]
fn policy_interpolation_does_not_span_arn_fields() {
    // An interpolation stands for one field, so a missing account field
    // is a real gap, not something the unknown might fill.
    let arn = "arn:aws:ecs:${var.region}:task/*";
    let scope = Pattern::parse("arn:aws:ecs:us-east-1:111111111111:task/*");
    let req = Requirement::new("ecs:DescribeTasks", scope);
    let out = check(&[allow(1, &["ecs:DescribeTasks"], &[arn])], &req);
    assert_eq!(out, narrower(1, &[arn]));
}

#[test]
fn fully_unknown_scope_is_never_settled_by_unknown_policy_parts() {
    let req = Requirement::new("ecs:DescribeTasks", Pattern::parse("${var.task_arn}"));
    let grant = [allow(1, &["ecs:DescribeTasks"], &["${var.arn}"])];
    let doubt = Doubt::Undecided;
    let uncertain = InconclusiveReason::UncertainScope { origin: 1, doubt };
    assert_eq!(check(&grant, &req), inconclusive(uncertain));
    let st = [allow(1, &["ecs:*"], &["*"]), deny(2, &["ecs:*"], &["${var.arn}"])];
    let doubt = Doubt::Undecided;
    let possible = InconclusiveReason::PossibleDeny { origin: 2, doubt };
    assert_eq!(check(&st, &req), inconclusive(possible));
    assert_eq!(check(&[allow(1, &["ecs:*"], &["*"])], &req), allowed(&[1]));
}

#[test]
fn split_grants_are_not_reported_as_missing() {
    let actions = || Actions::action(&["ecs:DescribeTasks"]);
    let part = "arn:aws:ecs:*:*:task/a*";
    let st = [
        Statement::allow(1, actions(), Resources::resource(&[part])),
        Statement::allow(2, actions(), Resources::not_resource(&[part])),
    ];
    let out = check(&st, &describe_tasks());
    assert_eq!(out, inconclusive(InconclusiveReason::CombinedStatements));
    let both_narrow = [
        allow(1, &["ecs:DescribeTasks"], &[part]),
        allow(2, &["ecs:DescribeTasks"], &["arn:aws:ecs:*:*:task/b*"]),
    ];
    let Outcome::NotAllowed {
        reason: NotAllowedReason::NarrowerResource { grants },
    } = check(&both_narrow, &describe_tasks())
    else {
        panic!("two narrow grants still miss task/c...");
    };
    assert_eq!(grants.iter().map(|g| g.origin).collect::<Vec<_>>(), [1, 2]);
}
