use crate::rule::prelude::*;
use std::collections::HashSet;

pub struct IntentionMixesL4AndL7;

impl Rule for IntentionMixesL4AndL7 {
    fn check(&self, ctx: &Context, report: &mut Reporter) {
        let mut seen = HashSet::new();
        for (_, entry) in ctx.project.config_entries() {
            if !entry.is_intentions() {
                continue;
            }
            for source in &entry.sources {
                let (Some(action), Some(permission)) = (&source.action, source.permissions.first()) else {
                    continue;
                };
                if !seen.insert(action.span) {
                    continue;
                }
                let name = source.name.known().unwrap_or("?");
                let destination = entry.name.known().unwrap_or("?");
                report
                    .report(
                        action.span,
                        format!("intention source `{name}` of `{destination}` has both an action and permissions"),
                    )
                    .label(permission.span, "permissions make it an L7 intention")
                    .note("Consul refuses the entry: a source is either L4 (`action`) or L7 (`permissions`, each with its own action)")
                    .help("keep `permissions` and drop `action`, or keep `action` for the whole source and drop `permissions`");
            }
        }
    }
}
