use crate::config::{OptionKind, OptionSpec};
use crate::model::mesh::net_facts::{Binding, FactSource, ListenSite, LoopbackEdit};
use crate::model::mesh::task_network::EnvSetting;
use crate::model::terraform::value::Origin;
use crate::rule::prelude::*;
use crate::rule::{weigh_fallback, Diagnostic, RuleId};

pub struct BindAllInterfaces;

/// `[rules.bind-all-interfaces] allow`: source files (globs relative to the configuration
/// file) that may listen on every interface, such as an app behind a load balancer.
pub const ALLOW: OptionSpec = OptionSpec {
    rule: RuleId::BindAllInterfaces,
    key: "allow",
    kind: OptionKind::PathGlobs,
};

/// What the fix puts in place of an all-interfaces host, IPv6 ones (`::`, `[::]`) included.
/// `[::1]` would keep the address family of `[::]:50051`, but the sidecar dials the app at its
/// proxy's `local_service_address`, which Consul sets to 127.0.0.1 unless told otherwise: an
/// app on `[::1]` alone would be out of the sidecar's reach. The host span of a bracketed host
/// includes the brackets, so `[::]:50051` becomes `127.0.0.1:50051`, a valid address.
const LOOPBACK: &str = "127.0.0.1";

impl Rule for BindAllInterfaces {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        for model in &project.modules {
            for network in model.networks() {
                // Any container may be a load balancer's target: no finding from a guess.
                if network.load_balancing_unknown {
                    continue;
                }
                for site in &network.listens {
                    let task = network.name_at(site.span);
                    // A container a load balancer targets must listen on the task's address.
                    let container = site.source.container().and_then(|c| network.container(c));
                    if container
                        .and_then(|c| c.name.as_ref())
                        .is_some_and(|name| network.load_balanced.contains(name))
                    {
                        continue;
                    }
                    match site.source {
                        FactSource::Env(at) => {
                            let Some(var) = network.env_var(at) else { continue };
                            let who = format!("`{}` of mesh-task `{task}`", var.name);
                            report_site(report, site, &who, &var.value.origins);
                        }
                        _ => {
                            let who =
                                format!("the command of mesh-task `{task}`'s container (`{}`)", site.api);
                            report_site(report, site, &who, &[]);
                        }
                    }
                }
            }
        }
        // Sources that no mesh task claims are not known to run in the mesh, unless assumed.
        for app in project.apps.iter().filter(|a| a.in_mesh()) {
            let path = &project.sources.get(app.file).path;
            let config = ctx.config(app.file);
            if config
                .rules
                .path_globs(&ALLOW)
                .is_some_and(|allow| config.path_matches(allow, path))
            {
                continue;
            }
            let task = project.task_of_app(app).map(|(_, task)| task);
            if let Some(task) = task {
                let file_folders = &project.sources.get(app.file).display_path;
                if task.network.load_balancing_unknown {
                    continue;
                }
                if task
                    .network
                    .load_balanced
                    .iter()
                    .any(|c| file_folders.split('/').any(|f| f == c))
                {
                    continue;
                }
            }
            for site in &app.listens {
                // An environment lookup's fallback, weighed as hardcoded-upstream-url weighs one.
                let setting = site.env_fallback.as_deref().map(|var| {
                    let setting = task.map_or(EnvSetting::Unknown, |t| t.network.env_setting(var));
                    (var, setting)
                });
                if matches!(setting, Some((_, EnvSetting::Set))) {
                    // The task sets the variable: the fallback serves runs outside it only.
                    continue;
                }
                let Some(diagnostic) = report_site(report, site, &format!("`{}`", site.api), &[]) else {
                    continue;
                };
                if let Some(why) = app.assumed {
                    diagnostic.note(assumed_mesh_note(why));
                }
                if let Some((var, setting)) = setting {
                    let task = task.map(|t| t.network.name.as_str());
                    weigh_fallback(diagnostic, var, setting, task, "the app listens here");
                }
            }
        }
    }
}

/// One listener, reported when it takes every interface; the fix puts `127.0.0.1` in place of
/// the host (or adds it).
fn report_site<'r>(
    report: &'r mut Reporter,
    site: &ListenSite,
    who: &str,
    origins: &[Origin],
) -> Option<&'r mut Diagnostic> {
    let what = match site.binding {
        Binding::AllInterfaces(spelling) => spelling.describe(),
        Binding::DefaultAllInterfaces => "every interface (the default when no host is given)",
        Binding::Other => return None,
    };
    let diagnostic = report.report(site.span, format!("{who} listens on {what}"));
    diagnostic.origin_labels(origins);
    diagnostic
        .note("other tasks can call an app that listens on every interface directly, around its sidecar and the mesh's mTLS and intentions")
        .help("listen on 127.0.0.1 so that only the sidecar reaches the app (a container behind a load balancer is the exception)");
    let fix = match &site.to_loopback {
        Some(LoopbackEdit::ReplaceHost { host, empty: true }) => Fix::replace(
            Applicability::Unsafe,
            "listen on `127.0.0.1` only (add the host)",
            *host,
            LOOPBACK,
        ),
        Some(LoopbackEdit::ReplaceHost { host, empty: false }) => Fix::replace(
            Applicability::Unsafe,
            "listen on `127.0.0.1` only",
            *host,
            LOOPBACK,
        ),
        Some(LoopbackEdit::Insert { at, text }) => Fix::replace(
            Applicability::Unsafe,
            "listen on `127.0.0.1` only (add the host)",
            *at,
            text.clone(),
        ),
        None => return Some(diagnostic),
    };
    diagnostic.fix(fix);
    Some(diagnostic)
}
