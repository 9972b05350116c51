//! The registry: which check each rule of the catalogue runs. Adding a rule is its entry in
//! [`crate::catalog`], its file here, and one arm below; the `match` is exhaustive, so the
//! compiler refuses a catalogue entry without a check.

use crate::catalog::RuleId;
use crate::config::OptionSpec;
use crate::rule::Rule;

mod bind_all_interfaces;
mod consul_ui_open_to_world;
mod dev_server_ingress_missing;
mod duplicate_config_entry;
mod hardcoded_upstream_url;
mod input_type_mismatch;
mod intention_mixes_l4_and_l7;
mod intention_names_unknown_service;
mod invalid_port;
mod invalid_upstream_keys;
mod jsonencoded_container_definitions;
mod l7_intention_on_tcp_service;
mod leftover_task_definition;
mod local_bind_port_conflict;
mod missing_consul_server;
mod missing_required_input;
mod module_validation;
mod placeholder_module_version;
mod policy_error;
mod port_mismatch;
mod port_not_string;
mod service_missing_propagate_tags;
mod service_uses_unmeshed_task_definition;
mod sidecar_name_collision;
mod suppression_without_reason;
mod syntax_error;
mod task_role_missing_consul_auth;
mod task_role_missing_ecs_permissions;
mod transparent_proxy_on_fargate;
mod unknown_module_input;
mod unknown_upstream;
mod unreleased_module_ref;
mod unused_intention;
mod unused_suppression;
mod unused_upstream;
mod unverifiable_task_role;
mod upstream_denied_by_intentions;
mod upstream_url_without_upstream;

/// The options rules take, each declared next to its rule's code, in the order
/// `--show-config` lists them.
pub const OPTIONS: &[OptionSpec] = &[hardcoded_upstream_url::ALLOWED_HOSTS, bind_all_interfaces::ALLOW];

/// The check of a rule.
pub fn check_of(id: RuleId) -> &'static dyn Rule {
    match id {
        RuleId::SyntaxError => &syntax_error::SyntaxErrorRule,
        RuleId::TaskRoleMissingEcsPermissions => {
            &task_role_missing_ecs_permissions::TaskRoleMissingEcsPermissions
        }
        RuleId::PortNotString => &port_not_string::PortNotString,
        RuleId::JsonencodedContainerDefinitions => {
            &jsonencoded_container_definitions::JsonencodedContainerDefinitions
        }
        RuleId::BindAllInterfaces => &bind_all_interfaces::BindAllInterfaces,
        RuleId::HardcodedUpstreamUrl => &hardcoded_upstream_url::HardcodedUpstreamUrl,
        RuleId::ServiceUsesUnmeshedTaskDefinition => {
            &service_uses_unmeshed_task_definition::ServiceUsesUnmeshedTaskDefinition
        }
        RuleId::LeftoverTaskDefinition => &leftover_task_definition::LeftoverTaskDefinition,
        RuleId::MissingConsulServer => &missing_consul_server::MissingConsulServer,
        RuleId::UnknownUpstream => &unknown_upstream::UnknownUpstream,
        RuleId::LocalBindPortConflict => &local_bind_port_conflict::LocalBindPortConflict,
        RuleId::UpstreamUrlWithoutUpstream => &upstream_url_without_upstream::UpstreamUrlWithoutUpstream,
        RuleId::UnusedUpstream => &unused_upstream::UnusedUpstream,
        RuleId::PlaceholderModuleVersion => &placeholder_module_version::PlaceholderModuleVersion,
        RuleId::UnverifiableTaskRole => &unverifiable_task_role::UnverifiableTaskRole,
        RuleId::PortMismatch => &port_mismatch::PortMismatch,
        RuleId::ConsulUiOpenToWorld => &consul_ui_open_to_world::ConsulUiOpenToWorld,
        RuleId::DevServerIngressMissing => &dev_server_ingress_missing::DevServerIngressMissing,
        RuleId::UnknownModuleInput => &unknown_module_input::UnknownModuleInput,
        RuleId::SidecarNameCollision => &sidecar_name_collision::SidecarNameCollision,
        RuleId::InvalidPort => &invalid_port::InvalidPort,
        RuleId::TaskRoleMissingConsulAuth => &task_role_missing_consul_auth::TaskRoleMissingConsulAuth,
        RuleId::MissingRequiredInput => &missing_required_input::MissingRequiredInput,
        RuleId::InvalidUpstreamKeys => &invalid_upstream_keys::InvalidUpstreamKeys,
        RuleId::TransparentProxyOnFargate => &transparent_proxy_on_fargate::TransparentProxyOnFargate,
        RuleId::ServiceMissingPropagateTags => &service_missing_propagate_tags::ServiceMissingPropagateTags,
        RuleId::SuppressionWithoutReason => &suppression_without_reason::SuppressionWithoutReason,
        RuleId::UnusedSuppression => &unused_suppression::UnusedSuppression,
        RuleId::ModuleValidation => &module_validation::ModuleValidation,
        RuleId::InputTypeMismatch => &input_type_mismatch::InputTypeMismatch,
        RuleId::UpstreamDeniedByIntentions => &upstream_denied_by_intentions::UpstreamDeniedByIntentions,
        RuleId::IntentionNamesUnknownService => {
            &intention_names_unknown_service::IntentionNamesUnknownService
        }
        RuleId::L7IntentionOnTcpService => &l7_intention_on_tcp_service::L7IntentionOnTcpService,
        RuleId::IntentionMixesL4AndL7 => &intention_mixes_l4_and_l7::IntentionMixesL4AndL7,
        RuleId::DuplicateConfigEntry => &duplicate_config_entry::DuplicateConfigEntry,
        RuleId::UnusedIntention => &unused_intention::UnusedIntention,
        RuleId::UnreleasedModuleRef => &unreleased_module_ref::UnreleasedModuleRef,
        RuleId::PolicyError => &policy_error::PolicyError,
    }
}
