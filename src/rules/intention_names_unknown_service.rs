use crate::model::config_entries::{EntryKind, Name};
use crate::rule::prelude::*;
use std::collections::HashSet;

pub struct IntentionNamesUnknownService;

impl Rule for IntentionNamesUnknownService {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let project = ctx.project;
        let known = project_services(project);
        if known.is_empty() {
            return;
        }
        let mut seen = HashSet::new();
        for (_, entry) in project.config_entries() {
            if !entry.is_intentions() {
                continue;
            }
            let mut names: Vec<(&Name, &str)> = vec![(&entry.name, "destination")];
            names.extend(
                entry
                    .sources
                    .iter()
                    .filter(|s| s.remote.is_none())
                    .map(|s| (&s.name, "source")),
            );
            for (name, role) in names {
                let Some(written) = name.known().filter(|n| *n != "*") else {
                    continue;
                };
                if known.binary_search(&written).is_ok() {
                    continue;
                }
                // No near match: another team's service, not a typo.
                let Some(near) = crate::suggest::closest(written, known.iter().copied()) else {
                    continue;
                };
                if !seen.insert((name.span, written.to_string())) {
                    continue;
                }
                let diagnostic = report.report(
                    name.span,
                    format!(
                        "intention {role} `{written}` is no service of this project; did you mean `{near}`?"
                    ),
                );
                diagnostic
                    .origin_labels(&name.origins)
                    .note(format!(
                        "`{}` writes it; an intention for a name no service has matches no call, so the call it meant to allow stays denied",
                        entry.address
                    ))
                    .help(format!("name `{near}`"));
                // Only a literal written right here: a value from a local or a variable may
                // be shared with other resources.
                let literal = format!("\"{written}\"");
                let text = &project.sources.get(name.span.file).text;
                if name.origins.is_empty()
                    && text.get(name.span.start()..name.span.end()) == Some(literal.as_str())
                {
                    diagnostic.fix(Fix::replace(
                        Applicability::Safe,
                        format!("use `{near}`"),
                        name.span,
                        format!("\"{near}\""),
                    ));
                }
            }
        }
    }
}

/// The services of the project, sorted: its workloads, and the names its routing entries
/// (service-resolver, -router, -splitter, gateways) give services. The names intentions and
/// service-defaults give are not evidence: a typo there would vouch for itself.
fn project_services(project: &Project) -> Vec<&str> {
    let mut names: Vec<&str> = project
        .modules
        .iter()
        .flat_map(|m| m.workload_names.iter().map(String::as_str))
        .collect();
    for (_, entry) in project.config_entries() {
        if let (Some(EntryKind::Other(_)), Some(name)) = (&entry.kind, entry.name.known()) {
            names.push(name);
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}
