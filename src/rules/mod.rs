//! The registry: the one list of rules. Adding a rule is one line here plus its file.

use crate::rule::{Rule, RuleMeta};

macro_rules! registry {
    ($($id:ident => $module:ident :: $rule:ident),* $(,)?) => {
        $(mod $module;)*

        /// Identifies a rule; names and codes are strings only in each rule's metadata.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($id),*
        }

        /// Every rule, in code order.
        pub static RULES: &[(RuleId, &dyn Rule)] = &[$((RuleId::$id, &$module::$rule)),*];
    };
}

registry! {
    SyntaxError => syntax_error::SyntaxErrorRule,
    TaskRoleMissingEcsPermissions => task_role_missing_ecs_permissions::TaskRoleMissingEcsPermissions,
    PortNotString => port_not_string::PortNotString,
    JsonencodedContainerDefinitions => jsonencoded_container_definitions::JsonencodedContainerDefinitions,
    BindAllInterfaces => bind_all_interfaces::BindAllInterfaces,
    HardcodedUpstreamUrl => hardcoded_upstream_url::HardcodedUpstreamUrl,
    ServiceUsesUnmeshedTaskDefinition => service_uses_unmeshed_task_definition::ServiceUsesUnmeshedTaskDefinition,
    LeftoverTaskDefinition => leftover_task_definition::LeftoverTaskDefinition,
    MissingConsulServer => missing_consul_server::MissingConsulServer,
    UnknownUpstream => unknown_upstream::UnknownUpstream,
    LocalBindPortConflict => local_bind_port_conflict::LocalBindPortConflict,
    UpstreamUrlWithoutUpstream => upstream_url_without_upstream::UpstreamUrlWithoutUpstream,
    UnusedUpstream => unused_upstream::UnusedUpstream,
    PlaceholderModuleVersion => placeholder_module_version::PlaceholderModuleVersion,
    UnverifiableTaskRole => unverifiable_task_role::UnverifiableTaskRole,
    PortMismatch => port_mismatch::PortMismatch,
    ConsulUiOpenToWorld => consul_ui_open_to_world::ConsulUiOpenToWorld,
    DevServerIngressMissing => dev_server_ingress_missing::DevServerIngressMissing,
    UnknownModuleInput => unknown_module_input::UnknownModuleInput,
    SidecarNameCollision => sidecar_name_collision::SidecarNameCollision,
    InvalidPort => invalid_port::InvalidPort,
    TaskRoleMissingConsulAuth => task_role_missing_consul_auth::TaskRoleMissingConsulAuth,
    MissingRequiredInput => missing_required_input::MissingRequiredInput,
    InvalidUpstreamKeys => invalid_upstream_keys::InvalidUpstreamKeys,
    TransparentProxyOnFargate => transparent_proxy_on_fargate::TransparentProxyOnFargate,
    ServiceMissingPropagateTags => service_missing_propagate_tags::ServiceMissingPropagateTags,
    SuppressionWithoutReason => suppression_without_reason::SuppressionWithoutReason,
    UnusedSuppression => unused_suppression::UnusedSuppression,
    ModuleValidation => module_validation::ModuleValidation,
}

impl RuleId {
    pub fn rule(self) -> &'static dyn Rule {
        RULES
            .iter()
            .find(|(id, _)| *id == self)
            .map(|(_, rule)| *rule)
            .expect("every RuleId is registered")
    }

    pub fn meta(self) -> &'static RuleMeta {
        self.rule().meta()
    }

    pub fn name(self) -> &'static str {
        self.meta().name
    }

    pub fn code(self) -> &'static str {
        self.meta().code
    }

    /// By name (`port-not-string`) or code (`MESH002`, any case).
    pub fn find(name_or_code: &str) -> Option<RuleId> {
        let wanted = name_or_code.trim();
        RULES
            .iter()
            .find(|(_, rule)| rule.meta().name == wanted || rule.meta().code.eq_ignore_ascii_case(wanted))
            .map(|(id, _)| *id)
    }

    pub fn all() -> impl Iterator<Item = RuleId> {
        RULES.iter().map(|(id, _)| *id)
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
