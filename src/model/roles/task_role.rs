//! Whether each mesh task's IAM role can do what its consul-ecs release needs.
//!
//! v0.1.x with `consul_server_service_name`: the `discover-servers` container finds the server
//! through the ECS API with the task role, which needs `ecs:ListTasks` on `*` and
//! `ecs:DescribeTasks` on the tasks of its cluster (see [`ecs_discovery`]). v0.5.0+ with a role passed in (`create_task_role =
//! false`) and ACLs on: the IAM auth method needs `iam:GetRole` on the role itself and the
//! `consul.hashicorp.com.service-name` tag.

use crate::iam::{self, InconclusiveReason, NotAllowedReason, Outcome, Pattern, Requirement};
use crate::model::consul_ecs::version::{Release, ReleaseSet};
use crate::model::ids::{RoleId, TiVec};
use crate::model::mesh::task_network::TaskNetwork;
use crate::model::mesh::MeshTask;
use crate::model::roles::ecs_discovery::{self, ClusterUse, RunsIn};
use crate::model::roles::policy::PolicyReader;
use crate::model::roles::role_policies::{Attachments, RolePolicies};
use crate::model::terraform::{Module, ModuleCall};
use crate::source::{SourceMap, Span};
use crate::syntax::Expr;
use std::collections::HashMap;

/// The tag the IAM auth method reads the Consul service name from.
pub const SERVICE_NAME_TAG: &str = "consul.hashicorp.com.service-name";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Need {
    /// v0.1.x server discovery through the ECS API.
    EcsDiscovery,
    /// v0.5.0+ IAM auth method with a role passed in.
    ConsulAuth,
}

/// Which role a task uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RoleTarget {
    /// An `aws_iam_role` of this module (index into [`Module::resources`]).
    Defined(usize),
    /// A role whose policies are not in this module, with why.
    Undefined(String),
}

#[derive(Debug, Clone)]
pub struct RequirementResult {
    pub requirement: Requirement,
    /// How users read it: "`ecs:ListTasks` on `*`".
    pub description: String,
    pub outcome: Outcome,
    /// For `ecs:DescribeTasks` in a known cluster: that cluster, and the services that run
    /// the tasks there.
    pub cluster: Option<ClusterUse>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TagStatus {
    Present,
    Missing,
    Unknown(String),
}

/// One role, checked for one need, with every mesh task that relies on it.
#[derive(Debug, Clone)]
pub struct RoleCheck {
    pub need: Need,
    pub target: RoleTarget,
    /// (index into [`Module::calls`], span of the role input's value)
    pub users: Vec<(usize, Span)>,
    pub policies: RolePolicies,
    pub results: Vec<RequirementResult>,
    /// For [`Need::ConsulAuth`]: the service-name tag.
    pub tag: Option<TagStatus>,
    /// For [`Need::EcsDiscovery`]: the clusters the users run in.
    pub runs_in: RunsIn,
}

impl RoleCheck {
    /// Some requirement is definitely not met, and no unreadable policy could change that.
    pub fn is_definitely_missing(&self) -> bool {
        let denied = self
            .results
            .iter()
            .any(|r| matches!(r.outcome, Outcome::NotAllowed { .. }));
        (denied && self.policies.opaque.is_empty()) || self.tag == Some(TagStatus::Missing)
    }

    /// Nothing is definitely missing, but something could not be decided.
    pub fn is_undecided(&self) -> bool {
        !self.is_definitely_missing()
            && (matches!(self.target, RoleTarget::Undefined(_))
                || self
                    .results
                    .iter()
                    .any(|r| !matches!(r.outcome, Outcome::Allowed { .. }))
                || matches!(self.tag, Some(TagStatus::Unknown(_))))
    }
}

/// The role checks of a module's mesh tasks, and which check each task (in order) uses: tasks
/// that share a role for the same need share its check. `networks` are the tasks' networks,
/// in the same order (they say which clusters the tasks run in).
pub fn check_roles(
    module: &Module,
    tasks: &[MeshTask],
    networks: &[TaskNetwork],
    sources: &SourceMap,
) -> (TiVec<RoleId, RoleCheck>, Vec<Option<RoleId>>) {
    let reader = PolicyReader::new(module, sources);
    let attachments = Attachments::new(&reader);
    let mut checks: TiVec<RoleId, RoleCheck> = TiVec::new();
    let mut role_of = Vec::with_capacity(tasks.len());
    let mut check_of: HashMap<(Need, RoleTarget), RoleId> = HashMap::new();
    // Who uses which role first: what a role must allow depends on all of its users.
    for (task, network) in tasks.iter().zip(networks) {
        let call = &module.calls[task.call];
        let Some((need, input)) = need_of(task, call, &reader) else {
            role_of.push(None);
            continue;
        };
        let target = resolve(module, &reader, input);
        let id = *check_of.entry((need, target.clone())).or_insert_with(|| {
            checks.push_and_get_key(RoleCheck {
                need,
                target,
                users: Vec::new(),
                policies: RolePolicies::default(),
                results: Vec::new(),
                tag: None,
                runs_in: RunsIn::default(),
            })
        });
        let check = &mut checks[id];
        check.users.push((task.call, input.span));
        if need == Need::EcsDiscovery {
            check.runs_in.add(&network.clusters);
        }
        role_of.push(Some(id));
    }
    for check in checks.iter_mut() {
        let RoleTarget::Defined(index) = check.target else {
            continue;
        };
        let role = &module.resources[index];
        check.policies = RolePolicies::gather(&reader, &attachments, role);
        let statements: Vec<iam::Statement> = check
            .policies
            .statements
            .iter()
            .map(|s| s.statement.clone())
            .collect();
        match check.need {
            Need::EcsDiscovery => check.results = ecs_discovery::results(&statements, &check.runs_in),
            Need::ConsulAuth => {
                let arn = reader.role_arn(role).unwrap_or_else(|| "${role}".into());
                let requirement = Requirement::new("iam:GetRole", Pattern::parse(&arn));
                check.results = vec![RequirementResult {
                    outcome: iam::evaluate(&statements, &requirement),
                    requirement,
                    description: "`iam:GetRole` on the role itself".to_string(),
                    cluster: None,
                }];
                check.tag = Some(tag_status(&reader, role));
            }
        }
    }
    (checks, role_of)
}

/// What the task's release needs of its role, and the input that names the role.
fn need_of<'c>(task: &MeshTask, call: &'c ModuleCall, reader: &PolicyReader) -> Option<(Need, &'c Expr)> {
    if task
        .releases
        .all_in(ReleaseSet::range(Release::V0_1_0, Release::V0_1_1))
    {
        let discovers = task
            .server_join
            .consul_server_service_name
            .as_ref()
            .is_some_and(|v| !v.is_known_empty());
        let input = call.attr("task_role_arn")?;
        return discovers.then_some((Need::EcsDiscovery, &input.value));
    }
    if task.releases.all_in(ReleaseSet::from(Release::V0_5_0)) {
        let known_bool = |key: &str| call.attr(key).and_then(|a| reader.eval.eval(&a.value).as_bool());
        let passes_role = known_bool("create_task_role") == Some(false);
        let acls = known_bool("acls") == Some(true);
        let input = call.attr("task_role")?;
        return (passes_role && acls).then_some((Need::ConsulAuth, &input.value));
    }
    None
}

fn resolve(module: &Module, reader: &PolicyReader, input: &Expr) -> RoleTarget {
    let defined = |name: &str| match module.resources_of("aws_iam_role").find(|(_, r)| r.name == name) {
        Some((_, role)) if role.is_repeated() => {
            RoleTarget::Undefined(format!("`aws_iam_role.{name}` uses count or for_each"))
        }
        Some((index, _)) => RoleTarget::Defined(index),
        None => RoleTarget::Undefined(format!("`aws_iam_role.{name}` is not defined in this module")),
    };
    match input.reference().as_deref() {
        Some(["aws_iam_role", name, ..]) => return defined(name),
        Some(["data", kind, name, ..]) => {
            return RoleTarget::Undefined(format!(
                "the role comes from `data.{kind}.{name}`; its policies live outside this configuration"
            ))
        }
        Some(["module", name, ..]) => {
            return RoleTarget::Undefined(format!("the role comes from module `{name}`"))
        }
        Some(["var", name, ..]) => {
            return RoleTarget::Undefined(format!("the role comes from variable `{name}`"))
        }
        _ => {}
    }
    let value = reader.eval.eval(input);
    match value.as_str() {
        Some(arn) => {
            let name = arn.rsplit('/').next().unwrap_or(arn);
            let by_name = module.resources_of("aws_iam_role").find(|(_, r)| {
                r.attr("name")
                    .and_then(|a| reader.eval.eval(&a.value).as_str().map(|n| n == name))
                    == Some(true)
            });
            match by_name {
                Some((index, _)) => RoleTarget::Defined(index),
                None => {
                    RoleTarget::Undefined(format!("`{arn}` is a role this configuration does not define"))
                }
            }
        }
        None => RoleTarget::Undefined(
            value
                .unknown_reason()
                .unwrap_or("the role is not known")
                .to_string(),
        ),
    }
}

fn tag_status(reader: &PolicyReader, role: &crate::model::terraform::Resource) -> TagStatus {
    let Some(tags) = role.attr("tags") else {
        return TagStatus::Missing;
    };
    let value = reader.eval.eval(&tags.value);
    match value.get(SERVICE_NAME_TAG) {
        Some(_) => TagStatus::Present,
        None if value.is_wholly_known() => TagStatus::Missing,
        None => TagStatus::Unknown(
            value
                .unknown_reason()
                .unwrap_or("the tags are not known")
                .to_string(),
        ),
    }
}

impl RequirementResult {
    /// What is missing, for a message: "`ecs:ListTasks` on `*` (allowed only on …)".
    pub fn missing_text(&self, policies: &RolePolicies) -> Option<String> {
        let Outcome::NotAllowed { reason } = &self.outcome else {
            return None;
        };
        let action = format!("`{}`", self.requirement.action);
        Some(match reason {
            NotAllowedReason::NoStatementForAction => action,
            NotAllowedReason::NarrowerResource { grants } => {
                let on: Vec<String> = grants.iter().flat_map(|g| resources_text(&g.resources)).collect();
                format!("{} (allowed only on {})", self.description, on.join(", "))
            }
            NotAllowedReason::ExcludedByNotAction { .. } => format!("{action} (left out by a `NotAction`)"),
            NotAllowedReason::BlockedByDeny { .. } => format!("{action} (denied by a `Deny` statement)"),
        })
        .map(|text| {
            if policies.statements.is_empty() {
                format!("{text} (the role has no policy)")
            } else {
                text
            }
        })
    }

    /// The clusters whose tasks the statements that allow too little name (`…:task/NAME/*`).
    pub fn policy_clusters(&self) -> Vec<String> {
        let Outcome::NotAllowed {
            reason: NotAllowedReason::NarrowerResource { grants },
        } = &self.outcome
        else {
            return Vec::new();
        };
        let mut names: Vec<String> = Vec::new();
        for grant in grants {
            let iam::Resources::Resource(patterns) = &grant.resources else {
                continue;
            };
            for name in patterns.iter().filter_map(ecs_discovery::cluster_in) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
    }

    /// Secondary labels for the statements behind the outcome.
    pub fn statement_labels(&self, policies: &RolePolicies) -> Vec<(Span, String)> {
        let at = |origin: usize| policies.statements.get(origin).map(|s| s.span);
        let action = &self.requirement.action;
        let mut labels = Vec::new();
        match &self.outcome {
            Outcome::NotAllowed {
                reason: NotAllowedReason::BlockedByDeny { origin },
            } => {
                labels.extend(at(*origin).map(|s| (s, format!("this `Deny` blocks `{action}`"))));
            }
            Outcome::NotAllowed {
                reason: NotAllowedReason::ExcludedByNotAction { origins },
            } => {
                for origin in origins {
                    labels
                        .extend(at(*origin).map(|s| (s, format!("this `NotAction` leaves out `{action}`"))));
                }
            }
            Outcome::NotAllowed {
                reason: NotAllowedReason::NarrowerResource { grants },
            } => {
                for grant in grants {
                    labels.extend(
                        at(grant.origin).map(|s| (s, format!("allows `{action}` on too few resources"))),
                    );
                }
            }
            Outcome::Inconclusive { reason } => {
                if let Some(origin) = inconclusive_origin(reason) {
                    labels.extend(at(origin).map(|s| (s, format!("decides `{action}` only at run time"))));
                }
            }
            _ => {}
        }
        labels
    }

    /// Why it could not be decided, for a note.
    pub fn undecided_text(&self) -> Option<String> {
        let Outcome::Inconclusive { reason } = &self.outcome else {
            return None;
        };
        let action = &self.requirement.action;
        Some(match reason {
            InconclusiveReason::ConditionalAllow { .. } => {
                format!("`{action}` is allowed only under a `Condition`")
            }
            InconclusiveReason::ConditionalDeny { .. } => {
                format!("a `Deny` with a `Condition` may block `{action}`")
            }
            InconclusiveReason::UnknownStatement { .. } => {
                format!("a statement that may grant `{action}` is not known before apply")
            }
            InconclusiveReason::UncertainScope { doubt, .. } => format!("`{action}` is allowed, but {doubt}"),
            InconclusiveReason::PossibleDeny { doubt, .. } => {
                format!("a `Deny` may block `{action}`: {doubt}")
            }
            InconclusiveReason::CombinedStatements => {
                format!("`{action}` is allowed only by several statements together")
            }
        })
    }
}

fn inconclusive_origin(reason: &InconclusiveReason) -> Option<usize> {
    match reason {
        InconclusiveReason::ConditionalAllow { origin }
        | InconclusiveReason::ConditionalDeny { origin }
        | InconclusiveReason::UnknownStatement { origin }
        | InconclusiveReason::UncertainScope { origin, .. }
        | InconclusiveReason::PossibleDeny { origin, .. } => Some(*origin),
        InconclusiveReason::CombinedStatements => None,
    }
}

fn resources_text(resources: &iam::Resources) -> Vec<String> {
    match resources {
        iam::Resources::Resource(patterns) => patterns.iter().map(|p| format!("`{p}`")).collect(),
        iam::Resources::NotResource(patterns) => {
            patterns.iter().map(|p| format!("everything but `{p}`")).collect()
        }
        iam::Resources::Unknown => vec!["unknown resources".into()],
    }
}
