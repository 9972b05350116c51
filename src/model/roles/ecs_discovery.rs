//! What consul-ecs v0.1.x's `discover-servers` container needs of the task role: `ecs:ListTasks`
//! on `*`, and `ecs:DescribeTasks` on the tasks of the cluster the task runs in (it lists the
//! server's tasks in its own cluster). The install guide accepts `…:task/*`, or — with the
//! long task ARN format — one cluster's tasks, `…:task/MY_CLUSTER_NAME/*`.
//!
//! Where the cluster is known (the `aws_ecs_service` that runs the task names it), the role
//! must cover that cluster's tasks. Where it is not, a role scoped to any one cluster is
//! accepted: it may well be the right one.

use crate::iam::{self, Effect, Outcome, Pattern, Requirement, Resources, Segment, Statement};
use crate::model::mesh::clusters::ServiceCluster;
use crate::model::roles::task_role::RequirementResult;

const DESCRIBE_TASKS: &str = "ecs:DescribeTasks";

/// Where the tasks that rely on one role run.
#[derive(Debug, Clone, Default)]
pub struct RunsIn {
    /// Each known cluster, with the services that run the tasks there, in the order found.
    pub known: Vec<ClusterUse>,
    /// Some task runs where meshlint cannot tell: no service of the module runs it, or its
    /// service's `cluster` is not known before apply.
    pub unknown: bool,
}

/// A cluster the role's tasks run in.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterUse {
    pub name: String,
    /// The services that run the tasks there.
    pub services: Vec<ServiceCluster>,
}

impl RunsIn {
    /// Adds a task that the services of `clusters` run (none: its cluster is not known).
    pub fn add(&mut self, clusters: &[ServiceCluster]) {
        if clusters.is_empty() {
            self.unknown = true;
        }
        for cluster in clusters {
            let Some(name) = &cluster.name else {
                self.unknown = true;
                continue;
            };
            match self.known.iter_mut().find(|k| &k.name == name) {
                Some(known) if known.services.contains(cluster) => {}
                Some(known) => known.services.push(cluster.clone()),
                None => self.known.push(ClusterUse {
                    name: name.clone(),
                    services: vec![cluster.clone()],
                }),
            }
        }
    }
}

/// The requirements, checked against the role's statements.
pub(super) fn results(statements: &[Statement], runs_in: &RunsIn) -> Vec<RequirementResult> {
    let list = Requirement::new("ecs:ListTasks", Pattern::any());
    let mut results = vec![RequirementResult {
        outcome: iam::evaluate(statements, &list),
        requirement: list,
        description: "`ecs:ListTasks` on `*`".to_string(),
        cluster: None,
    }];
    for cluster in &runs_in.known {
        let describe = Requirement::new(DESCRIBE_TASKS, tasks_of(&cluster.name));
        results.push(RequirementResult {
            outcome: iam::evaluate(statements, &describe),
            requirement: describe,
            description: format!("`{DESCRIBE_TASKS}` on the tasks of cluster `{}`", cluster.name),
            cluster: Some(cluster.clone()),
        });
    }
    if runs_in.unknown || runs_in.known.is_empty() {
        results.push(in_some_cluster(statements));
    }
    results
}

/// The tasks of one cluster, in the task's own (unknown) region and account.
fn tasks_of(cluster: &str) -> Pattern {
    Pattern::parse(&format!("arn:aws:ecs:${{region}}:${{account}}:task/{cluster}/*"))
}

/// `ecs:DescribeTasks` where the cluster is not known: on every task, or on the tasks of
/// whichever one cluster the role names — the best outcome of those.
fn in_some_cluster(statements: &[Statement]) -> RequirementResult {
    let every_task = Requirement::new(
        DESCRIBE_TASKS,
        Pattern::parse("arn:aws:ecs:${region}:${account}:task/*"),
    );
    let mut outcome = iam::evaluate(statements, &every_task);
    if !matches!(outcome, Outcome::Allowed { .. }) {
        // One cluster nobody knows (a policy `task/*/*` covers it), then each cluster the
        // role's statements name.
        let mut scopes = vec![Pattern::parse(
            "arn:aws:ecs:${region}:${account}:task/${cluster}/*",
        )];
        scopes.extend(named_clusters(statements).iter().map(|c| tasks_of(c)));
        for scope in scopes {
            let other = iam::evaluate(statements, &Requirement::new(DESCRIBE_TASKS, scope));
            if rank(&other) > rank(&outcome) {
                outcome = other;
            }
        }
    }
    RequirementResult {
        requirement: every_task,
        description: format!("`{DESCRIBE_TASKS}` on the tasks (`arn:aws:ecs:<region>:<account>:task/*`)"),
        outcome,
        cluster: None,
    }
}

fn rank(outcome: &Outcome) -> u8 {
    match outcome {
        Outcome::NotAllowed { .. } => 0,
        Outcome::Inconclusive { .. } => 1,
        Outcome::Allowed { .. } => 2,
    }
}

/// The clusters the resources of statements that may allow something name, once each.
fn named_clusters(statements: &[Statement]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for statement in statements.iter().filter(|s| s.effect != Effect::Deny) {
        let Resources::Resource(patterns) = &statement.resources else {
            continue;
        };
        for name in patterns.iter().filter_map(cluster_in) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// The cluster a task ARN pattern names literally: `…:task/NAME/…`.
pub fn cluster_in(pattern: &Pattern) -> Option<String> {
    // Unknown parts as a character no name has.
    let text: String = pattern
        .segments()
        .iter()
        .map(|s| match s {
            Segment::Lit(t) => t.as_str(),
            Segment::Unknown => "\u{0}",
        })
        .collect();
    let (_, rest) = text.split_once(":task/")?;
    let (name, _) = rest.split_once('/')?;
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    valid.then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::iam::Actions;

    fn allow(resources: &[&str]) -> Vec<Statement> {
        vec![
            Statement::allow(
                0,
                Actions::action(&["ecs:ListTasks"]),
                Resources::resource(&["*"]),
            ),
            Statement::allow(
                1,
                Actions::action(&["ecs:DescribeTasks"]),
                Resources::resource(resources),
            ),
        ]
    }

    fn describe(statements: &[Statement], runs_in: &RunsIn) -> Vec<Outcome> {
        results(statements, runs_in)
            .into_iter()
            .filter(|r| r.requirement.action == DESCRIBE_TASKS)
            .map(|r| r.outcome)
            .collect()
    }

    fn allowed(outcomes: &[Outcome]) -> bool {
        outcomes.iter().all(|o| matches!(o, Outcome::Allowed { .. }))
    }

    fn in_cluster(name: Option<&str>) -> RunsIn {
        let mut runs_in = RunsIn::default();
        runs_in.add(&[ServiceCluster {
            service: "aws_ecs_service.web".into(),
            name: name.map(str::to_string),
            span: crate::source::Span::new(crate::source::FileId(0), 0, 0),
            origins: Vec::new(),
        }]);
        runs_in
    }

    const SCOPED: &str =
        "arn:aws:ecs:${var.region}:${data.aws_caller_identity.this.account_id}:task/my-cluster/*";

    #[test]
    fn a_role_scoped_to_the_tasks_cluster_is_enough() {
        assert!(allowed(&describe(
            &allow(&[SCOPED]),
            &in_cluster(Some("my-cluster"))
        )));
        assert!(allowed(&describe(
            &allow(&["arn:aws:ecs:*:*:task/*"]),
            &in_cluster(Some("my-cluster"))
        )));
        assert!(allowed(&describe(
            &allow(&["*"]),
            &in_cluster(Some("my-cluster"))
        )));
    }

    #[test]
    fn a_role_scoped_to_another_cluster_is_not() {
        let outcomes = describe(&allow(&[SCOPED]), &in_cluster(Some("other")));
        assert!(
            matches!(outcomes[..], [Outcome::NotAllowed { .. }]),
            "{outcomes:?}"
        );
    }

    #[test]
    fn where_the_cluster_is_unknown_any_one_cluster_is_accepted() {
        for runs_in in [in_cluster(None), RunsIn::default()] {
            assert!(allowed(&describe(&allow(&[SCOPED]), &runs_in)));
            assert!(allowed(&describe(
                &allow(&["arn:aws:ecs:*:*:task/${var.cluster}/*"]),
                &runs_in
            )));
            // Still not: a single task, or no task at all.
            let one_task = describe(&allow(&["arn:aws:ecs:*:*:task/abc123"]), &runs_in);
            assert!(
                matches!(one_task[..], [Outcome::NotAllowed { .. }]),
                "{one_task:?}"
            );
        }
    }

    #[test]
    fn every_cluster_the_tasks_run_in_is_required() {
        let mut runs_in = in_cluster(Some("my-cluster"));
        runs_in.add(&[ServiceCluster {
            service: "aws_ecs_service.worker".into(),
            name: Some("batch".into()),
            span: crate::source::Span::new(crate::source::FileId(0), 0, 0),
            origins: Vec::new(),
        }]);
        let outcomes = describe(&allow(&[SCOPED]), &runs_in);
        assert!(matches!(
            outcomes[..],
            [Outcome::Allowed { .. }, Outcome::NotAllowed { .. }]
        ));
    }

    #[test]
    fn the_cluster_a_pattern_names() {
        assert_eq!(cluster_in(&Pattern::parse(SCOPED)).as_deref(), Some("my-cluster"));
        assert_eq!(cluster_in(&Pattern::parse("arn:aws:ecs:*:*:task/*")), None);
        assert_eq!(
            cluster_in(&Pattern::parse("arn:aws:ecs:*:*:task/${var.c}/*")),
            None
        );
        assert_eq!(cluster_in(&Pattern::parse("arn:aws:ecs:*:*:task/abc123")), None);
    }
}
