use crate::model::containers::span_within;
use crate::net::{find_urls, HostClass};
use crate::rule::prelude::*;

pub struct UpstreamUrlWithoutUpstream;

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
                if network.upstreams.iter().any(|u| u.local_bind_port.is_none()) {
                    continue;
                }
                let own = network.own_ports();
                let reserved: Vec<u16> = network.reserved_ports.iter().map(|(p, _)| *p).collect();
                let task = &model.module.calls[network.call].name;
                for container in network.containers.iter().flatten() {
                    for env in &container.environment {
                        let Some(text) = env.value.as_str() else { continue };
                        for url in find_urls(text) {
                            if url.host_class != HostClass::Loopback {
                                continue;
                            }
                            let Some(port) = url.port.as_ref().and_then(|p| p.number()) else {
                                continue;
                            };
                            if bound.contains(&port) || own.contains(&port) || reserved.contains(&port) {
                                continue;
                            }
                            let port_range = url.port.as_ref().map_or(url.range.clone(), |p| p.range.clone());
                            let span = span_within(&project.sources, &env.value, port_range)
                                .unwrap_or(env.value.span);
                            let diagnostic = report.report(
                                span,
                                format!("`{}` of mesh-task `{task}` calls local port {port}, where no upstream listens", env.name),
                            );
                            diagnostic.origin_labels(&env.value.origins);
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
            }
        }
    }
}
