use crate::model::containers::span_within;
use crate::model::mesh::MeshTask;
use crate::model::mesh_url::{direct_call, DirectRoute};
use crate::model::net::{find_urls, sidecar_replacement, ReplacementScheme, UrlRef};
use crate::model::task_network::TaskNetwork;
use crate::model::version::{Release, ReleaseSet};
use crate::rule::prelude::*;

pub struct HardcodedUpstreamUrl;

static META: RuleMeta = RuleMeta {
    code: "MESH005",
    name: "hardcoded-upstream-url",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes(Applicability::Safe),
    summary: "an app or container env calling a mesh service directly instead of `http://localhost:<local_bind_port>`",
    doc: include_str!("../../rules/hardcoded-upstream-url.md"),
};

/// What the finding needs to know about the calling task, when it is known.
struct Caller<'m> {
    name: &'m str,
    task: &'m MeshTask,
    network: &'m TaskNetwork,
}

impl Rule for HardcodedUpstreamUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, project: &Project, report: &mut Reporter) {
        let services = project.mesh_task_names();
        for model in &project.modules {
            for (task, network) in model.mesh.tasks.iter().zip(&model.networks) {
                let caller = Caller { name: &model.module.calls[network.call].name, task, network };
                for container in network.containers.iter().flatten() {
                    for env in &container.environment {
                        let Some(text) = env.value.as_str() else { continue };
                        for url in find_urls(text) {
                            let Some((service, route)) = direct_call(text, &url, &services, network.transparent_proxy) else {
                                continue;
                            };
                            if allowed(project, env.value.span.file, text, &url) {
                                continue;
                            }
                            let span = span_within(&project.sources, &env.value, url.range.clone());
                            let diagnostic = report.report(
                                span.unwrap_or(env.value.span),
                                format!("`{}` of mesh-task `{}` calls `{service}` {}", env.name, caller.name, route.describe()),
                            );
                            diagnostic.origin_labels(&env.value.origins);
                            advise(diagnostic, text, &url, service, route, Some(&caller), span);
                        }
                    }
                }
            }
        }
        if !project.has_mesh_tasks() {
            return;
        }
        for app in &project.apps {
            let caller = project.task_of_app(app).map(|(model, network)| {
                let task = model.mesh.tasks.iter().find(|t| t.call == network.call).expect("networks follow tasks");
                Caller { name: &model.module.calls[network.call].name, task, network }
            });
            let transparent_proxy = caller.as_ref().map_or(Some(false), |c| c.network.transparent_proxy);
            for literal in &app.facts.strings {
                for url in find_urls(&literal.value) {
                    let Some((service, route)) = direct_call(&literal.value, &url, &services, transparent_proxy) else {
                        continue;
                    };
                    if allowed(project, app.file, &literal.value, &url) {
                        continue;
                    }
                    let span = project.sources.subspan(literal.span, &literal.value, url.range.clone());
                    let diagnostic = report.report(
                        span.unwrap_or(literal.span),
                        format!("this URL calls mesh service `{service}` {}", route.describe()),
                    );
                    advise(diagnostic, &literal.value, &url, service, route, caller.as_ref(), span);
                }
            }
        }
    }
}

/// `[rules.hardcoded-upstream-url] allowed-hosts` of the file's configuration.
fn allowed(project: &Project, file: crate::source::FileId, text: &str, url: &UrlRef) -> bool {
    let host = text.get(url.host.clone()).unwrap_or("");
    project.config(file).rules.hardcoded_upstream_url.allows(host)
}

/// Notes, help and — when the caller already declares an upstream for the service — the fix.
fn advise(
    diagnostic: &mut crate::rule::Diagnostic,
    text: &str,
    url: &UrlRef,
    service: &str,
    route: DirectRoute,
    caller: Option<&Caller>,
    span: Option<Span>,
) {
    diagnostic.note("inside the mesh, an app reaches another service only through its sidecar's upstream listener on localhost");
    let Some(caller) = caller else {
        diagnostic.help(format!(
            "declare an upstream for `{service}` on the calling mesh-task and call `http://localhost:<its local bind port>` instead"
        ));
        return;
    };
    if caller.network.transparent_proxy == Some(true) {
        diagnostic.note(format!("with transparent proxy on, `http://{service}.virtual.consul` is routed through the sidecar too"));
    }
    let upstream = caller
        .network
        .upstreams
        .iter()
        .find(|u| u.destination.as_ref().is_some_and(|(d, _)| d == service))
        .and_then(|u| u.local_bind_port);
    match (upstream, span) {
        (Some((port, upstream_span)), Some(span)) => {
            let replacement = sidecar_replacement(text, url, port, ReplacementScheme::Plaintext);
            diagnostic
                .label(upstream_span, format!("mesh-task `{}` already binds `{service}` on local port {port}", caller.name))
                .help(format!("call `{replacement}`"))
                .fix(Fix::replace(Applicability::Safe, format!("call `{replacement}` through the sidecar"), span, replacement));
        }
        (Some((port, upstream_span)), None) => {
            diagnostic
                .label(upstream_span, format!("mesh-task `{}` already binds `{service}` on local port {port}", caller.name))
                .help(format!("call `http://localhost:{port}` instead"));
        }
        (None, _) => {
            let camel = caller.task.releases.all_in(ReleaseSet::from(Release::V0_3_0));
            let upstream = if camel {
                format!("{{ destinationName = \"{service}\", localBindPort = <unused port> }}")
            } else {
                format!("{{ destination_name = \"{service}\", local_bind_port = <unused port> }}")
            };
            diagnostic.help(format!(
                "add the upstream `{upstream}` to mesh-task `{}` and call `http://localhost:<that port>`",
                caller.name
            ));
        }
    }
    if route == DirectRoute::ConnectDns {
        diagnostic.note("`.connect.consul` answers with sidecar addresses that expect mTLS from another proxy");
    }
}
