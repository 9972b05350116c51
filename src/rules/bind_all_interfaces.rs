use crate::model::containers::span_within;
use crate::net::{classify_listen_host, parse_listen_address, ListenClass};
use crate::parse::app::facts::ListenAddress as Written;
use crate::rule::prelude::*;

pub struct BindAllInterfaces;

const LOOPBACK: &str = "127.0.0.1";

/// Environment variables whose name says they hold a listen address.
fn names_a_listen_address(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper.contains("BIND") || upper.contains("LISTEN") || upper == "HOST" || upper.ends_with("_HOST")
}

fn fix_for(host: Span, empty_host: bool) -> Fix {
    let message = if empty_host {
        "listen on `127.0.0.1` only (add the host)"
    } else {
        "listen on `127.0.0.1` only"
    };
    Fix::replace(Applicability::Unsafe, message, host, LOOPBACK)
}

impl Rule for BindAllInterfaces {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for network in model.networks() {
                let task = &model.module.calls[network.call].name;
                for container in network.containers.iter().flatten() {
                    if container
                        .name
                        .as_ref()
                        .is_some_and(|n| network.load_balanced.contains(n))
                    {
                        continue;
                    }
                    for listen in &container.command_listens {
                        let who = format!("the command of mesh-task `{task}`'s container (`{}`)", listen.api);
                        report_listen(project, report, listen, &who);
                    }
                    for env in container
                        .environment
                        .iter()
                        .filter(|e| names_a_listen_address(&e.name))
                    {
                        let Some(text) = env.value.as_str() else { continue };
                        let address = parse_listen_address(text);
                        let ListenClass::AllInterfaces(spelling) = address.class else {
                            continue;
                        };
                        let host = span_within(&project.sources, &env.value, address.host.clone());
                        // An empty host (`:9090`) has no width to underline: show the value.
                        let shown = host.filter(|h| h.start < h.end).unwrap_or(env.value.span);
                        let diagnostic = report.report(
                            shown,
                            format!(
                                "`{}` of mesh-task `{task}` listens on {}",
                                env.name,
                                spelling.describe()
                            ),
                        );
                        diagnostic.origin_labels(&env.value.origins);
                        explain(diagnostic);
                        if let Some(host) = host {
                            diagnostic.fix(fix_for(host, address.host.is_empty()));
                        }
                    }
                }
            }
        }
        if !project.has_mesh_tasks() {
            return;
        }
        for app in &project.apps {
            let path = &project.sources.get(app.file).path;
            if ctx.config(app.file).bind_all_allowed(path) {
                continue;
            }
            if let Some((_, task)) = project.task_of_app(app) {
                let file_folders = &project.sources.get(app.file).display_path;
                if task
                    .network
                    .load_balanced
                    .iter()
                    .any(|c| file_folders.split('/').any(|f| f == c))
                {
                    continue;
                }
            }
            for listen in &app.facts.listens {
                report_listen(project, report, listen, &format!("`{}`", listen.api));
            }
        }
    }
}

/// One listener from a source file or a container command, reported when it takes every
/// interface; the fix puts `127.0.0.1` in place of the host (or adds it).
fn report_listen(
    project: &Project,
    report: &mut Reporter,
    listen: &crate::parse::app::facts::Listen,
    who: &str,
) {
    let (span, what, fix) = match &listen.address {
        Written::HostPort { text, span } => {
            let address = parse_listen_address(text);
            let ListenClass::AllInterfaces(spelling) = address.class else {
                return;
            };
            let host = project.sources.subspan(*span, text, address.host.clone());
            let shown = host.filter(|h| h.start < h.end).unwrap_or(*span);
            (
                shown,
                spelling.describe().to_string(),
                host.map(|h| fix_for(h, address.host.is_empty())),
            )
        }
        Written::Host { text, span } => {
            let ListenClass::AllInterfaces(spelling) = classify_listen_host(text) else {
                return;
            };
            let exact = project.sources.slice(*span) == text;
            (
                *span,
                spelling.describe().to_string(),
                exact.then(|| fix_for(*span, false)),
            )
        }
        Written::Default {
            all_interfaces: true,
            insert,
        } => (
            listen.span,
            "every interface (the default when no host is given)".to_string(),
            insert.as_ref().map(|(at, text)| {
                Fix::replace(
                    Applicability::Unsafe,
                    "listen on `127.0.0.1` only (add the host)",
                    *at,
                    text.clone(),
                )
            }),
        ),
        Written::Default { .. } | Written::Unknown => return,
    };
    let diagnostic = report.report(span, format!("{who} listens on {what}"));
    explain(diagnostic);
    if let Some(fix) = fix {
        diagnostic.fix(fix);
    }
}

fn explain(diagnostic: &mut crate::rule::Diagnostic) {
    diagnostic
        .note("other tasks can call an app that listens on every interface directly, around its sidecar and the mesh's mTLS and intentions")
        .help("listen on 127.0.0.1 so that only the sidecar reaches the app (a container behind a load balancer is the exception)");
}
