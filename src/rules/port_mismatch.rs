use crate::rule::prelude::*;

pub struct PortMismatch;

impl Rule for PortMismatch {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for record in &model.tasks {
                let network = &record.network;
                let (Some((port, port_span)), Some(containers)) = (network.port, &network.containers) else {
                    continue;
                };
                let mapped: Vec<(u16, Span)> = containers
                    .iter()
                    .flat_map(|c| c.container_ports.iter().copied())
                    .collect();
                // No port mappings at all is common (HashiCorp's server examples): nothing to compare.
                if mapped.is_empty() || mapped.iter().any(|(p, _)| *p == port) {
                    continue;
                }
                let listed: Vec<String> = mapped.iter().map(|(p, _)| p.to_string()).collect();
                // On the call's `port = …`; labels say where the number came from.
                let at = model.input_site(network, "port", port_span);
                let diagnostic = report.report(
                    at,
                    format!(
                        "`port` {port} of mesh-task `{}` matches no `containerPort` of its containers ({})",
                        network.name_at(port_span),
                        listed.join(", ")
                    ),
                );
                if at != port_span {
                    let origins = record.declared.port.as_ref().map_or(&[][..], |v| &v.origins[..]);
                    diagnostic.value_labels(port_span, &port.to_string(), origins);
                }
                for (_, span) in &mapped {
                    diagnostic.label(*span, "a container port");
                }
                diagnostic
                    .note("`port` is where the sidecar sends inbound mesh traffic; nothing in the task listens there")
                    .help("set `port` to the port the application listens on");
            }
        }
    }
}
