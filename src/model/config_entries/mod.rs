//! Consul config entries the configuration writes, in every form the Consul provider offers:
//! `consul_config_entry` (`kind` plus `config_json`, usually `jsonencode({...})`, sometimes a
//! heredoc), the typed `consul_config_entry_service_intentions` and
//! `consul_config_entry_service_defaults`, and the legacy `consul_intention`. Each form is
//! read into the same [`ConfigEntry`], one per resource instance, so that rules see one shape
//! and the typed and JSON forms of the same entries give the same findings.
//!
//! Unknown values stay unknown ([`Name::value`] is `None`): a decision that depends on one is
//! never made (see [`decision`]).

pub mod decision;
mod fields;
mod read;

use crate::model::terraform::eval::Caller;
use crate::model::terraform::value::Origin;
use crate::source::Span;
use std::sync::Arc;

pub use read::{read, scope_or};

/// The kinds meshlint reads; others are kept by name (for `duplicate-config-entry`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntryKind {
    ServiceIntentions,
    ServiceDefaults,
    ProxyDefaults,
    Other(String),
}

impl EntryKind {
    pub fn of(kind: &str) -> EntryKind {
        match kind {
            "service-intentions" => EntryKind::ServiceIntentions,
            "service-defaults" => EntryKind::ServiceDefaults,
            "proxy-defaults" => EntryKind::ProxyDefaults,
            other => EntryKind::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            EntryKind::ServiceIntentions => "service-intentions",
            EntryKind::ServiceDefaults => "service-defaults",
            EntryKind::ProxyDefaults => "proxy-defaults",
            EntryKind::Other(kind) => kind,
        }
    }
}

/// Which resource type wrote the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `consul_config_entry` with `config_json`.
    Json,
    /// `consul_config_entry_service_intentions` / `consul_config_entry_service_defaults`.
    Typed,
    /// `consul_intention`: one intention, merged by Consul into the destination's entry.
    Legacy,
}

/// A string the configuration sets: known, or not (`value: None`), with where it is written.
#[derive(Debug, Clone)]
pub struct Name {
    pub value: Option<String>,
    pub span: Span,
    pub origins: Vec<Origin>,
}

impl Name {
    pub fn known(&self) -> Option<&str> {
        self.value.as_deref()
    }

    pub fn is_wildcard(&self) -> bool {
        self.known() == Some("*")
    }
}

/// One config entry, as one resource instance writes it.
#[derive(Debug, Clone)]
pub struct ConfigEntry {
    /// Index into the module's `resources`.
    pub resource: usize,
    /// `consul_config_entry.api["orders"]`: how findings name it.
    pub address: String,
    /// The resource block's header.
    pub header: Span,
    pub form: Form,
    /// `None` when `kind` is not known.
    pub kind: Option<EntryKind>,
    /// For service intentions, the destination.
    pub name: Name,
    /// `None` when not known; `default` when not set.
    pub namespace: Option<String>,
    pub partition: Option<String>,
    /// Service intentions: their sources, in order.
    pub sources: Vec<Source>,
    /// False when some sources could not be read (an unknown `config_json`, a `dynamic`
    /// block over an unknown collection): the list above is then incomplete.
    pub sources_known: bool,
    /// Service and proxy defaults: the protocol, when set (`Some` with an unknown value when
    /// set to something not known). Proxy defaults keep it in `Config.protocol`.
    pub protocol: Option<Name>,
    /// The caller the module was evaluated for (see `model::wrappers`); `None` alone.
    pub caller: Option<Arc<Caller>>,
}

impl ConfigEntry {
    pub fn is_intentions(&self) -> bool {
        self.kind == Some(EntryKind::ServiceIntentions)
    }
}

/// One source of a service-intentions entry.
#[derive(Debug, Clone)]
pub struct Source {
    /// The whole source (its block or object).
    pub span: Span,
    pub name: Name,
    pub namespace: Option<String>,
    pub partition: Option<String>,
    /// A cluster peer or sameness group: not a service of this datacenter. Such sources are
    /// kept for their spans and never match a call edge of the project.
    pub remote: Option<String>,
    /// `allow` / `deny`; `None` when not set (an L7 source).
    pub action: Option<Name>,
    pub permissions: Vec<Permission>,
    /// False when some permissions could not be read.
    pub permissions_known: bool,
}

impl Source {
    pub fn is_l7(&self) -> bool {
        !self.permissions.is_empty() || !self.permissions_known
    }

    /// Lets at least some calls through: an L4 allow, or L7 permissions.
    pub fn allows(&self) -> bool {
        self.is_l7() || self.action.as_ref().and_then(Action::of) == Some(Action::Allow)
    }
}

/// One L7 permission of a source.
#[derive(Debug, Clone)]
pub struct Permission {
    pub span: Span,
    pub action: Option<Name>,
    /// The `http` block or `HTTP` object, when there is one.
    pub http: Option<Span>,
}

/// The action of an intention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Allow,
    Deny,
}

impl Action {
    pub fn of(name: &Name) -> Option<Action> {
        match name.known()? {
            "allow" => Some(Action::Allow),
            "deny" => Some(Action::Deny),
            _ => None,
        }
    }
}
