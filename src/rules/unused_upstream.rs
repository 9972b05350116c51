use crate::net::{find_urls, HostClass};
use crate::rule::prelude::*;

pub struct UnusedUpstream;

/// True when `text` names `port` as a port: `:1234`, or exactly `1234`.
fn mentions_port(text: &str, port: u16) -> bool {
    let port = port.to_string();
    text.trim() == port
        || text
            .match_indices(&format!(":{port}"))
            .any(|(i, m)| !text[i + m.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

impl Rule for UnusedUpstream {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        // A loopback URL in application code may be what uses the upstream.
        let app_ports: Vec<u16> = project
            .apps
            .iter()
            .flat_map(|app| &app.facts.strings)
            .flat_map(|s| find_urls(&s.value))
            .filter(|u| u.host_class == HostClass::Loopback)
            .filter_map(|u| u.port.as_ref().and_then(|p| p.number()))
            .collect();
        for model in &project.modules {
            for network in model.networks() {
                if !network.knows_all_values() {
                    continue;
                }
                let Some(containers) = &network.containers else {
                    continue;
                };
                let texts: Vec<String> = containers
                    .iter()
                    .flat_map(|c| c.environment.iter().map(|e| &e.value).chain(&c.arguments))
                    .filter_map(|v| v.to_template_string())
                    .collect();
                for upstream in &network.upstreams {
                    let Some((port, span)) = upstream.local_bind_port else {
                        continue;
                    };
                    if texts.iter().any(|t| mentions_port(t, port)) || app_ports.contains(&port) {
                        continue;
                    }
                    let destination = upstream.destination.as_ref().map_or("?", |(d, _)| d.as_str());
                    report
                        .report(span, format!(
                            "upstream `{destination}` of mesh-task `{}` binds local port {port}, which nothing in the task uses",
                            model.module.calls[network.call].name
                        ))
                        .note("the app reaches the upstream only by calling `http://localhost:<local_bind_port>`")
                        .help(format!("point the app at `http://localhost:{port}` (e.g. in an environment variable), or remove the upstream"));
                }
            }
        }
    }
}
