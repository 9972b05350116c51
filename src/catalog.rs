//! The rule catalogue: every rule's id, code, name, default severity, fix availability,
//! summary and documentation — data only, the leaf that configuration, suppressions, rules
//! and output all read. What each rule checks lives in `rules/<name>.rs`; `rules/mod.rs` maps
//! each id to its check with an exhaustive `match`, so a rule without a check (or a check
//! without an entry here) does not compile. (ruff keeps its codes table apart from the rule
//! implementations in the same way.)

/// How serious a finding is; a configuration may change a rule's default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// How far a fix may be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    /// Keeps the configuration's meaning: `--fix` applies it.
    Safe,
    /// May change behaviour: applied only with `--unsafe-fixes`.
    Unsafe,
    /// Shown to the user, never applied.
    DisplayOnly,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::DisplayOnly => "display-only",
        }
    }
}

/// What a rule declares about its fixes; a test holds every rule to its declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes(Applicability),
    Always(Applicability),
}

impl FixAvailability {
    /// How `meshlint rules` and the rules table say it: `-`, `safe`, `unsafe (sometimes)`.
    pub fn describe(self) -> String {
        match self {
            FixAvailability::None => "-".to_string(),
            FixAvailability::Always(a) => a.as_str().to_string(),
            FixAvailability::Sometimes(a) => format!("{} (sometimes)", a.as_str()),
        }
    }
}

pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    pub summary: &'static str,
    /// `rules/<name>.md`, included at build time so a missing document fails to compile.
    pub doc: &'static str,
}

macro_rules! fix_availability {
    (None) => {
        FixAvailability::None
    };
    ($kind:ident($applicability:ident)) => {
        FixAvailability::$kind(Applicability::$applicability)
    };
}

macro_rules! catalog {
    ($($id:ident {
        code: $code:literal,
        name: $name:literal,
        severity: $severity:ident,
        fix: $fix_kind:ident $(($fix_applicability:ident))?,
        summary: $summary:literal,
    },)*) => {
        /// Identifies a rule; names and codes are strings only in its catalogue entry.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($id),*
        }

        impl RuleId {
            /// Every rule, in code order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$id),*];

            pub fn meta(self) -> &'static RuleMeta {
                match self {
                    $(RuleId::$id => &RuleMeta {
                        code: $code,
                        name: $name,
                        severity: Severity::$severity,
                        fix: fix_availability!($fix_kind $(($fix_applicability))?),
                        summary: $summary,
                        doc: include_str!(concat!("../rules/", $name, ".md")),
                    }),*
                }
            }
        }
    };
}

catalog! {
    SyntaxError {
        code: "MESH000",
        name: "syntax-error",
        severity: Error,
        fix: None,
        summary: "a file that could not be parsed",
    },
    TaskRoleMissingEcsPermissions {
        code: "MESH001",
        name: "task-role-missing-ecs-permissions",
        severity: Error,
        fix: Sometimes(Unsafe),
        summary: "v0.1.x mesh-task whose task role does not allow `ecs:ListTasks` on `*` and `ecs:DescribeTasks` on the tasks",
    },
    PortNotString {
        code: "MESH002",
        name: "port-not-string",
        severity: Error,
        fix: Sometimes(Safe),
        summary: "v0.1.x mesh-task `port` given as a number where the install guide requires a string",
    },
    JsonencodedContainerDefinitions {
        code: "MESH003",
        name: "jsonencoded-container-definitions",
        severity: Error,
        fix: Sometimes(Safe),
        summary: "`jsonencode()` around `container_definitions` passed to mesh-task or gateway-task",
    },
    BindAllInterfaces {
        code: "MESH004",
        name: "bind-all-interfaces",
        severity: Error,
        fix: Sometimes(Unsafe),
        summary: "an app (source, Dockerfile, command, env) listening on 0.0.0.0, `::`, or a bare `:PORT`",
    },
    HardcodedUpstreamUrl {
        code: "MESH005",
        name: "hardcoded-upstream-url",
        severity: Error,
        fix: Sometimes(Safe),
        summary: "an app or container env calling a mesh service directly instead of `http://localhost:<local_bind_port>`",
    },
    ServiceUsesUnmeshedTaskDefinition {
        code: "MESH006",
        name: "service-uses-unmeshed-task-definition",
        severity: Error,
        fix: Always(Safe),
        summary: "`aws_ecs_service.task_definition` still pointing at a task definition whose family a mesh-task now owns",
    },
    LeftoverTaskDefinition {
        code: "MESH007",
        name: "leftover-task-definition",
        severity: Warning,
        fix: None,
        summary: "an `aws_ecs_task_definition` with the same family as a mesh-task",
    },
    MissingConsulServer {
        code: "MESH008",
        name: "missing-consul-server",
        severity: Error,
        fix: None,
        summary: "a mesh-task with no way to reach the Consul server for its release",
    },
    UnknownUpstream {
        code: "MESH009",
        name: "unknown-upstream",
        severity: Warning,
        fix: Sometimes(Unsafe),
        summary: "an upstream whose destination is no mesh service in the scanned configuration",
    },
    LocalBindPortConflict {
        code: "MESH010",
        name: "local-bind-port-conflict",
        severity: Error,
        fix: None,
        summary: "two upstreams on one local port, or an upstream port that the app or a sidecar already uses",
    },
    UpstreamUrlWithoutUpstream {
        code: "MESH011",
        name: "upstream-url-without-upstream",
        severity: Error,
        fix: None,
        summary: "an app URL to `localhost:<P>`/`127.0.0.1:<P>` where no upstream binds `P`",
    },
    UnusedUpstream {
        code: "MESH012",
        name: "unused-upstream",
        severity: Warning,
        fix: None,
        summary: "an upstream whose local port no container of the task refers to",
    },
    PlaceholderModuleVersion {
        code: "MESH013",
        name: "placeholder-module-version",
        severity: Error,
        fix: Sometimes(DisplayOnly),
        summary: "`version = \"<latest version>\"` or another placeholder copied from the docs",
    },
    UnverifiableTaskRole {
        code: "MESH014",
        name: "unverifiable-task-role",
        severity: Info,
        fix: None,
        summary: "a task role the configuration does not define (a literal ARN, a variable), so its permissions cannot be checked",
    },
    PortMismatch {
        code: "MESH015",
        name: "port-mismatch",
        severity: Warning,
        fix: None,
        summary: "mesh-task `port` matching no `containerPort` of its app containers",
    },
    ConsulUiOpenToWorld {
        code: "MESH016",
        name: "consul-ui-open-to-world",
        severity: Warning,
        fix: None,
        summary: "a dev-server load balancer that admits the whole internet to the Consul UI and API",
    },
    DevServerIngressMissing {
        code: "MESH017",
        name: "dev-server-ingress-missing",
        severity: Warning,
        fix: None,
        summary: "a dev-server load balancer with no security-group rule letting it reach the server on 8500",
    },
    UnknownModuleInput {
        code: "MESH018",
        name: "unknown-module-input",
        severity: Error,
        fix: Sometimes(Safe),
        summary: "an input the consul-ecs module does not accept at that release (with \"did you mean\")",
    },
    SidecarNameCollision {
        code: "MESH019",
        name: "sidecar-name-collision",
        severity: Error,
        fix: None,
        summary: "an app container named like a container the module adds",
    },
    InvalidPort {
        code: "MESH020",
        name: "invalid-port",
        severity: Error,
        fix: None,
        summary: "a mesh-task `port` that is not a whole number in 1–65535, or 0/absent without `outbound_only = true`",
    },
    TaskRoleMissingConsulAuth {
        code: "MESH021",
        name: "task-role-missing-consul-auth",
        severity: Error,
        fix: None,
        summary: "a role passed to mesh-task (v0.5.0+, `create_task_role = false`, ACLs on) without `iam:GetRole` on itself or the `consul.hashicorp.com.service-name` tag",
    },
    MissingRequiredInput {
        code: "MESH022",
        name: "missing-required-input",
        severity: Error,
        fix: None,
        summary: "a required input of the consul-ecs module release is absent",
    },
    InvalidUpstreamKeys {
        code: "MESH023",
        name: "invalid-upstream-keys",
        severity: Error,
        fix: Sometimes(Safe),
        summary: "upstream keys in the wrong style for the release (`destination_name` vs `destinationName`) or not allowed",
    },
    TransparentProxyOnFargate {
        code: "MESH024",
        name: "transparent-proxy-on-fargate",
        severity: Error,
        fix: None,
        summary: "a v0.8.0+ mesh-task or gateway-task that may run on Fargate with transparent proxy on (its default)",
    },
    ServiceMissingPropagateTags {
        code: "MESH025",
        name: "service-missing-propagate-tags",
        severity: Warning,
        fix: Sometimes(Safe),
        summary: "the ECS service of a v0.2.0+ mesh task without `propagate_tags = \"TASK_DEFINITION\"`",
    },
    SuppressionWithoutReason {
        code: "MESH026",
        name: "suppression-without-reason",
        severity: Warning,
        fix: None,
        summary: "a `meshlint-ignore` comment with no `-- reason`",
    },
    UnusedSuppression {
        code: "MESH027",
        name: "unused-suppression",
        severity: Warning,
        fix: Sometimes(Safe),
        summary: "a `meshlint-ignore` comment that suppresses nothing",
    },
    ModuleValidation {
        code: "MESH028",
        name: "module-validation",
        severity: Error,
        fix: None,
        summary: "a value that one of the consul-ecs module's own plan-time checks rejects",
    },
    InputTypeMismatch {
        code: "MESH029",
        name: "input-type-mismatch",
        severity: Error,
        fix: Sometimes(Safe),
        summary: "a module input whose value cannot convert to the type the release declares (e.g. a string `retry_join` on v0.2.0+)",
    },
    UpstreamDeniedByIntentions {
        code: "MESH030",
        name: "upstream-denied-by-intentions",
        severity: Error,
        fix: None,
        summary: "a call edge (upstream or `*.virtual.consul` URL) that the project's intentions deny",
    },
    IntentionNamesUnknownService {
        code: "MESH031",
        name: "intention-names-unknown-service",
        severity: Warning,
        fix: Sometimes(Safe),
        summary: "an intention source or destination that is a near miss of a project service (a typo)",
    },
    L7IntentionOnTcpService {
        code: "MESH032",
        name: "l7-intention-on-tcp-service",
        severity: Error,
        fix: None,
        summary: "HTTP permissions on a destination whose protocol is `tcp` (warning when unset in the project)",
    },
    IntentionMixesL4AndL7 {
        code: "MESH033",
        name: "intention-mixes-l4-and-l7",
        severity: Error,
        fix: None,
        summary: "an intention source with both `Action` and `Permissions`",
    },
    DuplicateConfigEntry {
        code: "MESH034",
        name: "duplicate-config-entry",
        severity: Error,
        fix: None,
        summary: "two resources writing the same config entry (kind, name, namespace, partition)",
    },
    UnusedIntention {
        code: "MESH035",
        name: "unused-intention",
        severity: Info,
        fix: None,
        summary: "an allow for an edge that no mesh task of the project makes",
    },
    UnreleasedModuleRef {
        code: "MESH036",
        name: "unreleased-module-ref",
        severity: Info,
        fix: None,
        summary: "a git `?ref=` that is no release tag (a branch, a commit), so the call's inputs cannot be checked against a release",
    },
    PolicyError {
        code: "MESH037",
        name: "policy-error",
        severity: Error,
        fix: None,
        summary: "a team policy (Rego) that failed or ran out of time while it was evaluated, so its findings are missing",
    },
}

impl RuleId {
    pub fn name(self) -> &'static str {
        self.meta().name
    }

    pub fn code(self) -> &'static str {
        self.meta().code
    }

    /// By name (`port-not-string`) or code (`MESH002`, any case).
    pub fn find(name_or_code: &str) -> Option<RuleId> {
        let wanted = name_or_code.trim();
        RuleId::all().find(|id| id.name() == wanted || id.code().eq_ignore_ascii_case(wanted))
    }

    pub fn all() -> impl Iterator<Item = RuleId> {
        RuleId::ALL.iter().copied()
    }

    /// Like [`RuleId::find`], with an error that suggests the closest name.
    pub fn lookup(name_or_code: &str) -> Result<RuleId, String> {
        RuleId::find(name_or_code).ok_or_else(|| {
            let names = RuleId::all().map(RuleId::name);
            match crate::suggest::closest(name_or_code.trim(), names) {
                Some(near) => format!("unknown rule `{name_or_code}`; did you mean `{near}`?"),
                None => format!("unknown rule `{name_or_code}`; `meshlint rules` lists them"),
            }
        })
    }
}

/// A team's policy as its Rego file declares it (`src/policy` reads the declaration).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyMeta {
    /// `org/mesh-tls`: always holds a `/`, which no built-in rule name does.
    pub id: String,
    pub severity: Severity,
    pub title: String,
    pub help: Option<String>,
    pub url: Option<String>,
    /// The Rego file, as paths are shown.
    pub file: String,
}

/// The rule behind a finding: one of the catalogue's, or a policy.
#[derive(Clone, Debug)]
pub enum RuleKey {
    Builtin(RuleId),
    Policy(std::sync::Arc<PolicyMeta>),
}

impl RuleKey {
    /// The rule's name; a policy's id.
    pub fn name(&self) -> &str {
        match self {
            RuleKey::Builtin(id) => id.name(),
            RuleKey::Policy(policy) => &policy.id,
        }
    }

    /// `MESH002`; a policy's id, which is its code too.
    pub fn code(&self) -> &str {
        match self {
            RuleKey::Builtin(id) => id.code(),
            RuleKey::Policy(policy) => &policy.id,
        }
    }

    /// How human output heads a finding: `MESH002/port-not-string`, or a policy's id.
    pub fn tag(&self) -> String {
        match self {
            RuleKey::Builtin(id) => format!("{}/{}", id.code(), id.name()),
            RuleKey::Policy(policy) => policy.id.clone(),
        }
    }

    /// The rule's document: `rules/<name>.md` in the repository, or the policy's `url`.
    pub fn url(&self) -> Option<String> {
        match self {
            RuleKey::Builtin(id) => Some(format!(
                "{}/blob/main/rules/{}.md",
                env!("CARGO_PKG_REPOSITORY"),
                id.name()
            )),
            RuleKey::Policy(policy) => policy.url.clone(),
        }
    }

    pub fn summary(&self) -> &str {
        match self {
            RuleKey::Builtin(id) => id.meta().summary,
            RuleKey::Policy(policy) => &policy.title,
        }
    }

    pub fn default_severity(&self) -> Severity {
        match self {
            RuleKey::Builtin(id) => id.meta().severity,
            RuleKey::Policy(policy) => policy.severity,
        }
    }

    pub fn fix_availability(&self) -> FixAvailability {
        match self {
            RuleKey::Builtin(id) => id.meta().fix,
            RuleKey::Policy(_) => FixAvailability::None,
        }
    }

    pub fn builtin(&self) -> Option<RuleId> {
        match self {
            RuleKey::Builtin(id) => Some(*id),
            RuleKey::Policy(_) => None,
        }
    }

    pub fn as_ref(&self) -> RuleRef<'_> {
        match self {
            RuleKey::Builtin(id) => RuleRef::Builtin(*id),
            RuleKey::Policy(policy) => RuleRef::Policy(policy),
        }
    }
}

impl From<RuleId> for RuleKey {
    fn from(id: RuleId) -> RuleKey {
        RuleKey::Builtin(id)
    }
}

impl PartialEq for RuleKey {
    fn eq(&self, other: &RuleKey) -> bool {
        self.as_ref().same(other.as_ref())
    }
}

impl Eq for RuleKey {}

impl PartialEq<RuleId> for RuleKey {
    fn eq(&self, other: &RuleId) -> bool {
        *self == RuleKey::Builtin(*other)
    }
}

/// A rule as settings ask about it, without owning it.
#[derive(Clone, Copy, Debug)]
pub enum RuleRef<'a> {
    Builtin(RuleId),
    Policy(&'a PolicyMeta),
}

impl<'a> RuleRef<'a> {
    pub fn name(self) -> &'a str {
        match self {
            RuleRef::Builtin(id) => id.name(),
            RuleRef::Policy(policy) => &policy.id,
        }
    }

    pub fn default_severity(self) -> Severity {
        match self {
            RuleRef::Builtin(id) => id.meta().severity,
            RuleRef::Policy(policy) => policy.severity,
        }
    }

    fn same(self, other: RuleRef<'_>) -> bool {
        match (self, other) {
            (RuleRef::Builtin(a), RuleRef::Builtin(b)) => a == b,
            (RuleRef::Policy(a), RuleRef::Policy(b)) => a.id == b.id,
            _ => false,
        }
    }
}

impl From<RuleId> for RuleRef<'_> {
    fn from(id: RuleId) -> Self {
        RuleRef::Builtin(id)
    }
}

impl<'a> From<&'a RuleKey> for RuleRef<'a> {
    fn from(key: &'a RuleKey) -> Self {
        key.as_ref()
    }
}

/// A rule as a configuration, the command line or a `meshlint-ignore` comment names it: a
/// built-in rule by name or code, or a policy by id (anything with a `/`; whether such a
/// policy exists is known only once the policies are loaded).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleName {
    Builtin(RuleId),
    Policy(String),
}

impl RuleName {
    /// A built-in rule by name or code, or a policy id.
    pub fn find(text: &str) -> Option<RuleName> {
        let text = text.trim();
        if is_policy_id(text) {
            return Some(RuleName::Policy(text.to_string()));
        }
        RuleId::find(text).map(RuleName::Builtin)
    }

    /// Like [`RuleName::find`], with an error that suggests the closest rule name.
    pub fn lookup(text: &str) -> Result<RuleName, String> {
        if is_policy_id(text.trim()) {
            return Ok(RuleName::Policy(text.trim().to_string()));
        }
        RuleId::lookup(text).map(RuleName::Builtin)
    }

    pub fn matches<'a>(&self, rule: impl Into<RuleRef<'a>>) -> bool {
        match (self, rule.into()) {
            (RuleName::Builtin(a), RuleRef::Builtin(b)) => *a == b,
            (RuleName::Policy(a), RuleRef::Policy(b)) => *a == b.id,
            _ => false,
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            RuleName::Builtin(id) => id.name(),
            RuleName::Policy(id) => id,
        }
    }
}

/// Policy ids are `namespace/name`: a `/` between two non-empty parts of letters, digits,
/// `-`, `_` and `.`.
pub fn is_policy_id(text: &str) -> bool {
    let part = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    };
    match text.split_once('/') {
        Some((namespace, name)) => part(namespace) && part(name) && !namespace.contains('/'),
        None => false,
    }
}
