use crate::rule::prelude::*;

pub struct LocalBindPortConflict;

impl Rule for LocalBindPortConflict {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for network in model.networks() {
                let own: Vec<(u16, Span)> = network
                    .port
                    .iter()
                    .copied()
                    .chain(
                        network
                            .containers
                            .iter()
                            .flatten()
                            .flat_map(|c| c.container_ports.iter().copied()),
                    )
                    .collect();
                for (index, upstream) in network.upstreams.iter().enumerate() {
                    let Some((port, span)) = upstream.local_bind_port else {
                        continue;
                    };
                    let name = network.name_at(span);
                    let earlier = network.upstreams[..index]
                        .iter()
                        .find(|u| u.local_bind_port.is_some_and(|(p, _)| p == port));
                    if let Some(first) = earlier {
                        let first_span = first.local_bind_port.map_or(first.span, |(_, s)| s);
                        report
                            .report(span, format!("two upstreams of mesh-task `{name}` bind local port {port}"))
                            .label(first_span, "the first upstream binds it here")
                            .note("the sidecar can open one listener per port; the second upstream is unreachable")
                            .help("give each upstream its own unused `local_bind_port`");
                    } else if let Some((_, own_span)) = own.iter().find(|(p, _)| *p == port) {
                        report
                            .report(span, format!("upstream local port {port} of mesh-task `{name}` is a port the task itself listens on"))
                            .label(*own_span, "the task listens here")
                            .help("pick an unused port for the upstream");
                    } else if let Some((_, what)) = network.reserved_ports.iter().find(|(p, _)| *p == port) {
                        report
                            .report(span, format!("upstream local port {port} of mesh-task `{name}` is taken by {what}"))
                            .note("all containers of the task share one network namespace, including the ones mesh-task adds")
                            .help("pick an unused port for the upstream");
                    }
                }
            }
        }
    }
}
