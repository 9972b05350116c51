use crate::model::mesh::net_facts::{Endpoint, FactSource};
use crate::model::mesh::task_network::TaskNetwork;
use crate::model::{AppFile, Assumed};
use crate::net::HostClass;
use crate::rule::prelude::*;

pub struct UpstreamUrlWithoutUpstream;

/// Local ports a mesh app may call that are no upstream: the Envoy admin interface and, before
/// v0.7.0, the Consul client agent in the task. Without the task, its release is unknown.
const LOCAL_AGENT_PORTS: [u16; 2] = [19000, 8500];

impl Rule for UpstreamUrlWithoutUpstream {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for network in model.networks() {
                let bound: Vec<u16> = network
                    .upstreams
                    .iter()
                    .filter_map(|u| u.local_bind_port.map(|(p, _)| p))
                    .collect();
                // Upstreams that are not all known may bind the port.
                if !network.upstreams_known || network.upstreams.iter().any(|u| u.local_bind_port.is_none()) {
                    continue;
                }
                let own = network.own_ports();
                let reserved: Vec<u16> = network.reserved_ports.iter().map(|(p, _)| *p).collect();
                for endpoint in &network.endpoints {
                    let (who, origins) = match endpoint.source {
                        FactSource::Env(at) => {
                            let Some(var) = network.env_var(at) else { continue };
                            (
                                variables(network, at.container, &var.name, endpoint),
                                &var.value.origins[..],
                            )
                        }
                        FactSource::Command { .. } => ("the command".to_string(), &[][..]),
                        FactSource::App { .. } => continue,
                    };
                    if endpoint.url.host_class != HostClass::Loopback {
                        continue;
                    }
                    let Some(port) = endpoint.port() else { continue };
                    if bound.contains(&port) || own.contains(&port) || reserved.contains(&port) {
                        continue;
                    }
                    let at = endpoint.port_span.unwrap_or(endpoint.value_span);
                    let task = network.name_at(at);
                    let diagnostic = report.report(
                        at,
                        format!(
                            "{who} of mesh-task `{task}` calls local port {port}, where no upstream listens"
                        ),
                    );
                    diagnostic.origin_labels(origins);
                    for upstream in &network.upstreams {
                        if let (Some((d, _)), Some((p, s))) =
                            (&upstream.destination, upstream.local_bind_port)
                        {
                            diagnostic.label(s, format!("upstream `{d}` listens on {p}"));
                        }
                    }
                    diagnostic.help(format!("declare an upstream with local bind port {port}, or call the port of an existing one"));
                }
            }
        }
        for app in project.apps.iter() {
            let Some(why) = app.assumed else { continue };
            check_assumed(ctx, report, app, why);
        }
    }
}

/// The variable an endpoint was found in, as a message names it: `` `API_URL` ``, or
/// `` `DB_PORT` (with `DB_HOST`) `` for a host and a port given apart (the finding points at
/// the port).
fn variables(network: &TaskNetwork, container: usize, name: &str, endpoint: &Endpoint) -> String {
    let port_var = endpoint.port_value.and_then(|span| {
        let container = network.container(container)?;
        container.environment.iter().find(|e| e.value.span == span)
    });
    match port_var {
        Some(port) => format!("`{}` (with `{name}`)", port.name),
        None => format!("`{name}`"),
    }
}

/// A source assumed to run in the mesh: its upstreams are the ones `[app] upstreams`
/// declares; without that list nothing says which local ports are bound, and nothing is said.
fn check_assumed(ctx: &Context, report: &mut Reporter, app: &AppFile, why: Assumed) {
    let declared = &ctx.config(app.file).app.upstreams;
    if declared.is_empty() {
        return;
    }
    for endpoint in &app.endpoints {
        if endpoint.url.host_class != HostClass::Loopback {
            continue;
        }
        let Some(port) = endpoint.port() else { continue };
        if declared.iter().any(|(_, p)| *p == port) || LOCAL_AGENT_PORTS.contains(&port) {
            continue;
        }
        let list: Vec<String> = declared
            .iter()
            .map(|(name, p)| format!("`{name}` on {p}"))
            .collect();
        report
            .report(
                endpoint.port_span.unwrap_or(endpoint.value_span),
                format!("this URL calls local port {port}, where no upstream listens"),
            )
            .note(format!("`[app] upstreams` in .meshlint.toml declares {}", list.join(", ")))
            .note(assumed_mesh_note(why))
            .help(format!("call the local port of a declared upstream, or declare the upstream this call is for in `[app] upstreams` (`<service> = {port}`)"));
    }
}
