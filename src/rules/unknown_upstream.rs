use crate::rule::prelude::*;

pub struct UnknownUpstream;

static META: RuleMeta = RuleMeta {
    code: "MESH009",
    name: "unknown-upstream",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes(Applicability::Unsafe),
    summary: "an upstream whose destination is no mesh service in the scanned configuration",
    doc: include_str!("../../rules/unknown-upstream.md"),
};

impl Rule for UnknownUpstream {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, project: &Project, report: &mut Reporter) {
        let names = project.service_names();
        // With fewer than two mesh services the destination probably lives elsewhere.
        let enough_services = project.mesh_service_count() >= 2;
        for model in &project.modules {
            for network in &model.networks {
                for upstream in &network.upstreams {
                    let Some((destination, span)) = &upstream.destination else { continue };
                    if names.contains(&destination.as_str()) {
                        continue;
                    }
                    let near = crate::suggest::closest(destination, names.iter().copied());
                    if near.is_none() && !enough_services {
                        continue;
                    }
                    let task = &model.module.calls[network.call].name;
                    let diagnostic = report.report(
                        *span,
                        format!("upstream `{destination}` of mesh-task `{task}` is no service of this configuration"),
                    );
                    match near {
                        Some(near) => {
                            if near.eq_ignore_ascii_case(destination) {
                                diagnostic.note("Consul service names are case-sensitive; from v0.5.0 mesh-task registers the lower-cased family");
                            }
                            diagnostic
                                .help(format!("did you mean `{near}`?"))
                                .fix(Fix::replace(Applicability::Unsafe, format!("use `{near}`"), *span, format!("\"{near}\"")));
                        }
                        None => {
                            diagnostic
                                .note(format!("services here: {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")))
                                .help("name the Consul service of the task to call (its `consul_service_name`, or its family)");
                        }
                    }
                }
            }
        }
    }
}
