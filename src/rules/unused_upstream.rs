use crate::model::TaskRef;
use crate::net::HostClass;
use crate::rule::prelude::*;
use std::collections::HashMap;

pub struct UnusedUpstream;

impl Rule for UnusedUpstream {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        // A loopback URL in application code may be what uses the upstream: in a source of
        // the task, or in one no task claims (it may be this task's app). A source of another
        // task, in another stack say, is not this task's app.
        let mut app_ports: HashMap<Option<TaskRef>, Vec<u16>> = HashMap::new();
        for app in &project.apps {
            let ports = app
                .endpoints
                .iter()
                .filter(|e| e.url.host_class == HostClass::Loopback)
                .filter_map(|e| e.port());
            app_ports.entry(app.task).or_default().extend(ports);
        }
        let unclaimed = app_ports.get(&None).map_or(&[][..], Vec::as_slice);
        for (module, model) in project.modules.iter_enumerated() {
            for (task, record) in model.tasks.iter_enumerated() {
                let network = &record.network;
                let own = app_ports
                    .get(&Some(TaskRef { module, task }))
                    .map_or(&[][..], Vec::as_slice);
                // Only when every value of the task is known can "nothing uses it" be said.
                let Some(mentioned) = &network.mentioned_ports else {
                    continue;
                };
                // Nor when the task configures nothing and no source of it is here: the
                // image's own configuration may use the port.
                // (`app_ports` has an entry for every task that has a source.)
                let has_sources = app_ports.contains_key(&Some(TaskRef { module, task }));
                if !network.configures_containers() && !has_sources {
                    continue;
                }
                for upstream in &network.upstreams {
                    let Some((port, span)) = upstream.local_bind_port else {
                        continue;
                    };
                    if mentioned.contains(&port) || own.contains(&port) || unclaimed.contains(&port) {
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
