use crate::net::HostClass;
use crate::rule::prelude::*;

pub struct UnusedUpstream;

impl Rule for UnusedUpstream {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        // A loopback URL in application code may be what uses the upstream.
        let app_ports: Vec<u16> = project
            .apps
            .iter()
            .flat_map(|app| &app.endpoints)
            .filter(|e| e.url.host_class == HostClass::Loopback)
            .filter_map(|e| e.port())
            .collect();
        for model in &project.modules {
            for network in model.networks() {
                // Only when every value of the task is known can "nothing uses it" be said.
                let Some(mentioned) = &network.mentioned_ports else {
                    continue;
                };
                for upstream in &network.upstreams {
                    let Some((port, span)) = upstream.local_bind_port else {
                        continue;
                    };
                    if mentioned.contains(&port) || app_ports.contains(&port) {
                        continue;
                    }
                    let destination = upstream.destination.as_ref().map_or("?", |(d, _)| d.as_str());
                    report
                        .report(span, format!(
                            "upstream `{destination}` of mesh-task `{}` binds local port {port}, which nothing in the task uses",
                            network.name_at(span)
                        ))
                        .note("the app reaches the upstream only by calling `http://localhost:<local_bind_port>`")
                        .help(format!("point the app at `http://localhost:{port}` (e.g. in an environment variable), or remove the upstream"));
                }
            }
        }
    }
}
