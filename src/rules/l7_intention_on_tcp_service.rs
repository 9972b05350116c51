use crate::model::call_graph::EntryIndex;
use crate::model::config_entries::{ConfigEntry, EntryKind, Name};
use crate::rule::prelude::*;
use std::collections::HashSet;

pub struct L7IntentionOnTcpService;

/// Where a destination's protocol comes from.
enum Protocol<'e> {
    Set(&'e str, &'e Name, &'e str),
    /// Set to something not known: nothing to say.
    Unknown,
    /// Neither a service-defaults nor a proxy-defaults entry of the project sets it.
    Unset,
}

impl Rule for L7IntentionOnTcpService {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        let index = EntryIndex::new(project);
        let mut seen = HashSet::new();
        for (module, entry) in project.config_entries() {
            if !entry.is_intentions() {
                continue;
            }
            let Some(destination) = entry.name.known().filter(|n| *n != "*") else {
                continue;
            };
            let Some((source, permission)) = entry
                .sources
                .iter()
                .find_map(|s| s.permissions.iter().find(|p| p.http.is_some()).map(|p| (s, p)))
            else {
                continue;
            };
            let root = crate::model::Project::root_of(module, entry.caller.as_deref());
            let protocol = protocol_of(index.of_root(root), entry, destination);
            let at = permission.http.unwrap_or(permission.span);
            if !seen.insert((at, destination.to_string())) {
                continue;
            }
            let from = source.name.known().unwrap_or("?");
            match protocol {
                Protocol::Set("tcp", name, writer) => {
                    report
                        .report(
                            at,
                            format!("HTTP permissions for `{from}` → `{destination}`, whose protocol is `tcp`"),
                        )
                        .label(name.span, format!("`{writer}` sets `{destination}`'s protocol to `tcp`"))
                        .note("Consul refuses L7 intentions on a service whose protocol is not HTTP-based (`http`, `http2`, `grpc`)")
                        .help(format!(
                            "set `protocol = \"http\"` in the service-defaults of `{destination}`, or allow `{from}` with an L4 `action` instead"
                        ));
                }
                Protocol::Unset => {
                    report
                        .report(
                            at,
                            format!("HTTP permissions for `{from}` → `{destination}`, whose protocol this project sets nowhere"),
                        )
                        .at_most(Severity::Warning)
                        .note("Consul's default protocol is `tcp`, on which it refuses L7 intentions; a proxy-defaults entry outside this project may set `http`")
                        .help(format!(
                            "write a service-defaults entry for `{destination}` with `protocol = \"http\"`"
                        ));
                }
                _ => {}
            }
        }
    }
}

/// The destination's protocol: its service-defaults, else the proxy-defaults (`global`). An
/// entry whose kind or name is not known may be either: then the protocol is not known.
fn protocol_of<'e>(entries: &[&'e ConfigEntry], intentions: &ConfigEntry, destination: &str) -> Protocol<'e> {
    let same_scope =
        |e: &ConfigEntry| e.namespace == intentions.namespace && e.partition == intentions.partition;
    let service_defaults = |e: &ConfigEntry| e.kind == Some(EntryKind::ServiceDefaults);
    let proxy_defaults = |e: &ConfigEntry| e.kind == Some(EntryKind::ProxyDefaults);
    if entries.iter().any(|e| {
        e.kind.is_none() || (service_defaults(e) && (e.name.known().is_none() || e.namespace.is_none()))
    }) {
        return Protocol::Unknown;
    }
    let service = entries
        .iter()
        .filter(|e| service_defaults(e) && e.name.known() == Some(destination) && same_scope(e));
    let proxy = entries
        .iter()
        .filter(|e| proxy_defaults(e) && e.partition == intentions.partition);
    for entry in service.chain(proxy) {
        match &entry.protocol {
            Some(name) => {
                return match name.known() {
                    Some(value) => Protocol::Set(value, name, &entry.address),
                    None => Protocol::Unknown,
                }
            }
            // A body that could not be read may set it.
            None if !entry.sources_known => return Protocol::Unknown,
            None => {}
        }
    }
    Protocol::Unset
}
