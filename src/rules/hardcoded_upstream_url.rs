use crate::config::{OptionKind, OptionSpec};
use crate::model::consul_ecs::version::{Release, ReleaseSet};
use crate::model::mesh::net_facts::{Endpoint, FactSource};
use crate::model::mesh::routes::{direct_call, DirectRoute};
use crate::model::mesh::task_network::{EnvSetting, TaskNetwork};
use crate::model::mesh::MeshTask;
use crate::model::{AppFile, Assumed};
use crate::net::{sidecar_replacement, ConsulKind, HostClass, ReplacementScheme};
use crate::rule::prelude::*;
use crate::rule::{weigh_fallback, Edit, RuleId};

pub struct HardcodedUpstreamUrl;

/// `[rules.hardcoded-upstream-url] allowed-hosts`: hosts that apps may call directly, around
/// the mesh (`billing.internal`, `*.corp.example`).
pub const ALLOWED_HOSTS: OptionSpec = OptionSpec {
    rule: RuleId::HardcodedUpstreamUrl,
    key: "allowed-hosts",
    kind: OptionKind::Hosts,
};

/// What the finding needs to know about the calling task, when it is known.
struct Caller<'m> {
    name: &'m str,
    task: &'m MeshTask,
    network: &'m TaskNetwork,
    /// The URL's literal is shared with other instances (a variable default, a caller's
    /// argument): the fix would change them too, so it is offered as unsafe.
    shared_edit: bool,
}

impl Rule for HardcodedUpstreamUrl {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        let services = project.mesh_task_names();
        for model in &project.modules {
            for record in &model.tasks {
                let network = &record.network;
                for endpoint in &network.endpoints {
                    let FactSource::Env(at) = endpoint.source else {
                        continue;
                    };
                    let Some(var) = network.env_var(at) else { continue };
                    let name = &var.name;
                    let Some((service, route)) = direct_call(
                        &endpoint.text,
                        &endpoint.url,
                        &services,
                        network.transparent_proxy,
                    ) else {
                        continue;
                    };
                    if allowed(ctx, endpoint) {
                        continue;
                    }
                    let at = endpoint.span.unwrap_or(endpoint.value_span);
                    let caller = Caller {
                        name: network.name_at(at),
                        task: &record.declared,
                        network,
                        shared_edit: network.edit_is_shared(at, &var.value.origins),
                    };
                    // On the call's `container_definitions = …` when the URL is written
                    // elsewhere (a local, a variable default); a label shows the URL.
                    let site = model.input_site(network, "container_definitions", at);
                    let diagnostic = report.report(
                        site,
                        format!(
                            "`{name}` of mesh-task `{}` calls `{service}` {}",
                            caller.name,
                            route.describe()
                        ),
                    );
                    if site == at {
                        diagnostic.origin_labels(&var.value.origins);
                    } else {
                        let shown = endpoint.span.map_or(endpoint.text.as_str(), |_| {
                            endpoint.text.get(endpoint.url.range.clone()).unwrap_or_default()
                        });
                        diagnostic.value_labels(at, shown, &var.value.origins);
                    }
                    advise(diagnostic, endpoint, service, route, Some(&caller));
                }
            }
        }
        for app in &project.apps {
            if let Some(why) = app.assumed {
                check_assumed(ctx, report, app, why);
                continue;
            }
            let Some((_, record)) = project.task_of_app(app) else {
                // Not known to run in the mesh.
                continue;
            };
            let caller = Caller {
                name: &record.network.name,
                task: &record.declared,
                network: &record.network,
                shared_edit: false,
            };
            for endpoint in &app.endpoints {
                let Some((service, route)) = direct_call(
                    &endpoint.text,
                    &endpoint.url,
                    &services,
                    caller.network.transparent_proxy,
                ) else {
                    continue;
                };
                if allowed(ctx, endpoint) {
                    continue;
                }
                let fallback = endpoint
                    .env_fallback
                    .as_deref()
                    .map(|var| (var, caller.network.env_setting(var)));
                // The task sets the variable: the fallback serves runs outside it only.
                if matches!(fallback, Some((_, EnvSetting::Set))) {
                    continue;
                }
                let diagnostic = report.report(
                    endpoint.span.unwrap_or(endpoint.value_span),
                    format!("this URL calls mesh service `{service}` {}", route.describe()),
                );
                advise(diagnostic, endpoint, service, route, Some(&caller));
                if let Some((var, setting)) = fallback {
                    weigh_fallback(
                        diagnostic,
                        var,
                        setting,
                        Some(caller.name),
                        "the app calls this URL",
                    );
                }
            }
        }
    }
}

/// A source assumed to run in the mesh (an app-only project): its mesh services are unknown,
/// so any `.service.consul` name is one, and so is every upstream `[app] upstreams` declares.
fn check_assumed(ctx: &Context, report: &mut Reporter, app: &AppFile, why: Assumed) {
    let declared = &ctx.config(app.file).app;
    let names = declared.upstream_names();
    for endpoint in &app.endpoints {
        // Transparent proxy is unknown without the task: `.virtual.consul` stays silent.
        let call = direct_call(&endpoint.text, &endpoint.url, &names, None).or_else(|| {
            match &endpoint.url.host_class {
                HostClass::ConsulDns(dns) if dns.kind == ConsulKind::Service && !dns.service_is_template => {
                    Some((endpoint.text.get(dns.service.clone())?, DirectRoute::ServiceDns))
                }
                _ => None,
            }
        });
        let Some((service, route)) = call else { continue };
        if allowed(ctx, endpoint) {
            continue;
        }
        // Without a task, whether the deployment sets the variable is unknown.
        let fallback = endpoint.env_fallback.as_deref();
        let diagnostic = report.report(
            endpoint.span.unwrap_or(endpoint.value_span),
            format!("this URL calls mesh service `{service}` {}", route.describe()),
        );
        diagnostic.note("inside the mesh, an app reaches another service only through its sidecar's upstream listener on localhost");
        diagnostic.note(assumed_mesh_note(why));
        let port = declared.upstream_port(service);
        match (port, port.and_then(|p| through_sidecar(endpoint, p))) {
            (Some(_), Some((replacement, edits))) => {
                diagnostic
                    .help(format!("{replacement}, the upstream `[app] upstreams` declares"))
                    .fix(Fix::new(
                        Applicability::Safe,
                        format!("{replacement} through the sidecar"),
                        edits,
                    ));
            }
            (Some(port), None) => {
                diagnostic.help(format!(
                    "call `http://localhost:{port}`, the upstream `[app] upstreams` declares"
                ));
            }
            (None, _) => {
                diagnostic.help(format!(
                    "declare an upstream for `{service}` on the app's mesh task, call `http://localhost:<its local bind port>`, and list it in `[app] upstreams` (`{service} = <port>`)"
                ));
            }
        }
        if route == DirectRoute::ConnectDns {
            diagnostic
                .note("`.connect.consul` answers with sidecar addresses that expect mTLS from another proxy");
        }
        if let Some(var) = fallback {
            weigh_fallback(
                diagnostic,
                var,
                EnvSetting::Unknown,
                None,
                "the app calls this URL",
            );
        }
    }
}

/// The edits that send the call through the sidecar's listener on `port`, and what they do in
/// words (`` call `http://localhost:1234/x` ``): the whole URL replaced, or, for a
/// connection string's keywords or a host and port in two variables, the host and the
/// port each. `None` when a part is not written exactly in the file.
fn through_sidecar(endpoint: &Endpoint, port: u16) -> Option<(String, Vec<Edit>)> {
    if endpoint.is_one_url() {
        let replacement =
            sidecar_replacement(&endpoint.text, &endpoint.url, port, ReplacementScheme::Plaintext);
        let edit = Edit {
            span: endpoint.span?,
            replacement: replacement.clone(),
        };
        return Some((format!("call `{replacement}`"), vec![edit]));
    }
    let edits = vec![
        Edit {
            span: endpoint.host_span?,
            replacement: "localhost".to_string(),
        },
        Edit {
            span: endpoint.port_span?,
            replacement: port.to_string(),
        },
    ];
    Some((format!("connect to `localhost` on port {port}"), edits))
}

/// `[rules.hardcoded-upstream-url] allowed-hosts` of the file's configuration.
fn allowed(ctx: &Context, endpoint: &Endpoint) -> bool {
    let host = endpoint.host();
    ctx.config(endpoint.value_span.file)
        .rules
        .hosts(&ALLOWED_HOSTS)
        .iter()
        .any(|pattern| pattern.matches(host))
}

/// Notes, help and — when the caller already declares an upstream for the service — the fix.
fn advise(
    diagnostic: &mut crate::rule::Diagnostic,
    endpoint: &Endpoint,
    service: &str,
    route: DirectRoute,
    caller: Option<&Caller>,
) {
    diagnostic.note("inside the mesh, an app reaches another service only through its sidecar's upstream listener on localhost");
    if let Some(port) = endpoint.port_value {
        diagnostic.label(port, "with this port");
    }
    let Some(caller) = caller else {
        diagnostic.help(format!(
            "declare an upstream for `{service}` on the calling mesh-task and call `http://localhost:<its local bind port>` instead"
        ));
        return;
    };
    if caller.network.transparent_proxy == Some(true) {
        diagnostic.note(format!(
            "with transparent proxy on, `http://{service}.virtual.consul` is routed through the sidecar too"
        ));
    }
    let upstream = caller
        .network
        .upstreams
        .iter()
        .find(|u| u.destination.as_ref().is_some_and(|(d, _)| d == service))
        .and_then(|u| u.local_bind_port);
    match (
        upstream,
        upstream.and_then(|(port, _)| through_sidecar(endpoint, port)),
    ) {
        (Some((port, upstream_span)), Some((replacement, edits))) => {
            diagnostic
                .label(
                    upstream_span,
                    format!(
                        "mesh-task `{}` already binds `{service}` on local port {port}",
                        caller.name
                    ),
                )
                .help(replacement.clone())
                .fix(Fix::new(
                    if caller.shared_edit {
                        Applicability::Unsafe
                    } else {
                        Applicability::Safe
                    },
                    format!("{replacement} through the sidecar"),
                    edits,
                ));
        }
        (Some((port, upstream_span)), None) => {
            diagnostic
                .label(
                    upstream_span,
                    format!(
                        "mesh-task `{}` already binds `{service}` on local port {port}",
                        caller.name
                    ),
                )
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
        diagnostic
            .note("`.connect.consul` answers with sidecar addresses that expect mTLS from another proxy");
    }
}
