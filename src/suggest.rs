//! "Did you mean …?" for names typed by users (rule names, module inputs, service names).

/// Edit distance (insertions, deletions, substitutions, adjacent swaps), case-insensitive.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// The closest other candidate within a distance that scales with the name's length (1 for
/// short names, up to a third of the length); ties go to the first candidate in sorted order.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 4);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let d = distance(name, candidate);
        // Same letters in another case is still worth suggesting: Consul names are exact.
        if candidate == name || d > limit {
            continue;
        }
        let better = match best {
            None => true,
            Some((bd, bc)) => d < bd || (d == bd && candidate < bc),
        };
        if better {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Words that Terraform module authors abbreviate in input names, full form first.
const ABBREVIATIONS: [(&str, &str); 3] = [
    ("load_balancer", "lb"),
    ("security_group", "sg"),
    ("configuration", "config"),
];

/// An identifier reduced to one spelling: lower case, common words abbreviated, no separators.
fn canonical(name: &str) -> String {
    let mut snake = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 && !snake.ends_with('_') {
            snake.push('_');
        }
        snake.push(c.to_ascii_lowercase());
    }
    let mut text = format!("_{}_", snake.replace('-', "_"));
    for (long, short) in ABBREVIATIONS {
        text = text.replace(&format!("_{long}_"), &format!("_{short}_"));
    }
    text.replace('_', "")
}

/// True when two identifiers differ only in case, camelCase/snake_case or a common
/// abbreviation: `destination_name` and `destinationName`, `lb_enabled` and
/// `load_balancer_enabled`.
pub fn same_identifier(a: &str, b: &str) -> bool {
    canonical(a) == canonical(b)
}

/// The closest identifier (a module input, an object key) to `name`: a candidate spelled the
/// same apart from case, camelCase/snake_case or an abbreviation (`load_balancer_enabled` for
/// `lb_enabled`), else the nearest within [`closest`]'s distance limit. Never `name` itself.
pub fn closest_identifier<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let wanted = canonical(name);
    let mut same: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|c| *c != name && canonical(c) == wanted)
        .collect();
    same.sort_unstable();
    if let Some(first) = same.first() {
        return Some(first);
    }
    closest(name, candidates.iter().copied().filter(|c| *c != name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_and_swaps() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("Port", "port"), 0);
    }

    #[test]
    fn closest_respects_the_limit_and_breaks_ties_by_name() {
        let names = ["port-not-string", "syntax-error", "missing-consul-server"];
        assert_eq!(closest("port-not-strng", names), Some("port-not-string"));
        assert_eq!(closest("completely-else", names), None);
        assert_eq!(closest("ab", ["ac", "aa"]), Some("aa"));
        assert_eq!(closest("Backend", ["backend", "frontend"]), Some("backend"));
        assert_eq!(closest("backend", ["backend"]), None);
    }

    #[test]
    fn identifiers_match_across_abbreviations_and_case_styles() {
        let inputs = ["lb_enabled", "lb_subnets", "ecs_cluster_arn"];
        assert_eq!(
            closest_identifier("load_balancer_enabled", &inputs),
            Some("lb_enabled")
        );
        assert_eq!(
            closest_identifier("ecsClusterArn", &inputs),
            Some("ecs_cluster_arn")
        );
        assert_eq!(closest_identifier("lb_subnet", &inputs), Some("lb_subnets"));
        assert_eq!(closest_identifier("lb_enabled", &inputs), None);
        let keys = ["destinationName", "localBindPort"];
        assert_eq!(
            closest_identifier("destination_name", &keys),
            Some("destinationName")
        );
        assert_eq!(
            closest_identifier("destinationname", &keys),
            Some("destinationName")
        );
        assert_eq!(closest_identifier("something_else", &keys), None);
    }
}
