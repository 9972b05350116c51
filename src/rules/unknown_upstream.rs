use crate::rule::prelude::*;

pub struct UnknownUpstream;

impl Rule for UnknownUpstream {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        let names = project.service_names();
        // With fewer than two mesh services the destination probably lives elsewhere.
        let enough_services = project.mesh_service_count() >= 2;
        for model in &project.modules {
            for network in model.networks() {
                for upstream in network.upstreams.iter().filter(|u| !u.remote) {
                    let Some((destination, span)) = &upstream.destination else {
                        continue;
                    };
                    // `names` is sorted: a scan per upstream made this rule quadratic in the
                    // number of services.
                    if names.binary_search(&destination.as_str()).is_ok() {
                        continue;
                    }
                    // Never the calling task itself: an upstream to itself is no fix.
                    let own = network.service_name.as_deref();
                    let near = crate::suggest::closest(
                        destination,
                        names.iter().copied().filter(|n| Some(*n) != own),
                    );
                    if near.is_none() && !enough_services {
                        continue;
                    }
                    let task = network.name_at(*span);
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
                                .fix(Fix::replace(
                                    Applicability::Unsafe,
                                    format!("use `{near}`"),
                                    *span,
                                    format!("\"{near}\""),
                                ));
                        }
                        None => {
                            diagnostic
                                .note(format!("services here: {}", listed(&names)))
                                .help("name the Consul service of the task to call (its `consul_service_name`, or its family)");
                        }
                    }
                }
            }
        }
    }
}

/// The first few names, and how many more there are: a large tree defines thousands.
fn listed(names: &[&str]) -> String {
    const SHOWN: usize = 12;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_lists_of_services_are_cut() {
        assert_eq!(super::listed(&["a", "b"]), "`a`, `b`");
        let many: Vec<String> = (0..15).map(|i| format!("s{i:02}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(super::listed(&many).ends_with("`s11` and 3 more"));
    }
}
