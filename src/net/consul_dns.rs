//! Consul DNS names (`<service>.service.consul`, `<service>.virtual.consul`,
//! …): which lookup a host is, for which service, in which scope.

use std::ops::Range;

use super::span::{contains_placeholder, positions_outside, slice};

/// A parsed Consul DNS name. Ranges index the string that was analysed.
///
/// Recognised shapes (domain `consul` only; a custom `domain`/`alt_domain`
/// is reported as an ordinary [`HostClass::Fqdn`]):
/// * `[<tag>.]<service>.service[.<dc>].consul` and the Enterprise/peering
///   labelled forms with `<x>.ns`, `<x>.ap`, `<x>.dc`, `<x>.peer`, `<x>.sg`
///   in any order; the unlabelled `<service>.service.<ns>.<dc>.consul`;
/// * `<service>.connect.consul` and `<service>.ingress.consul` (same scope rules);
/// * `<service>.virtual[.<peer>].consul` and `<service>.virtual.<ns>.<peer>.consul`
///   as the Consul DNS docs write them, plus the labelled forms;
/// * `<query>.query.consul` ([`ConsulKind::PreparedQuery`]);
/// * anything else ending in `.consul` (`<node>.node.consul`, `x.consul`) is
///   [`ConsulKind::Other`] and `service` is its first label.
///
/// The service and tag labels may contain placeholders
/// (`${var.name}-server.virtual.consul`); the kind, scope and domain labels
/// must be literal, otherwise the host is [`HostClass::Unknown`].
///
/// [`HostClass::Fqdn`]: super::HostClass::Fqdn
/// [`HostClass::Unknown`]: super::HostClass::Unknown
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsulDnsName {
    /// Which lookup the name is.
    pub kind: ConsulKind,
    /// The service (or query/node) label.
    pub service: Range<usize>,
    /// Whether the service label contains a placeholder: the lookup kind is
    /// known, the service name is not.
    pub service_is_template: bool,
    /// The tag filter labels before the service (`primary` in
    /// `primary.db.service.consul`).
    pub tag: Option<Range<usize>>,
    /// Namespace, partition, datacenter, peer and sameness group, when written.
    pub scope: ConsulScope,
}

/// The lookup kind of a Consul DNS name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsulKind {
    /// `.service.`: healthy instances' own addresses; bypasses the mesh.
    Service,
    /// `.connect.`: mesh-capable endpoints (sidecars' public mTLS listeners);
    /// a plain call from the app fails.
    Connect,
    /// `.virtual.`: the service's virtual IP, routed by the transparent proxy.
    Virtual,
    /// `.ingress.`: ingress gateway endpoints.
    Ingress,
    /// `.query.`: a prepared query.
    PreparedQuery,
    /// `.node.`, `.addr.` or no recognised kind label.
    Other,
}

/// Optional scope parts of a Consul DNS name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsulScope {
    pub namespace: Option<Range<usize>>,
    pub partition: Option<Range<usize>>,
    pub datacenter: Option<Range<usize>>,
    pub peer: Option<Range<usize>>,
    pub sameness_group: Option<Range<usize>>,
}

/// Parses `labels` (ranges into `text`) as a Consul DNS name.
pub(super) fn consul_name(text: &str, labels: &[Range<usize>]) -> Option<ConsulDnsName> {
    let literal = |r: &Range<usize>| !contains_placeholder(text, r.clone());
    let (domain, inner) = labels.split_last()?;
    if labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    if inner.is_empty() || !literal(domain) || !slice(text, domain).eq_ignore_ascii_case("consul") {
        return None;
    }
    let kind_at = (1..inner.len()).find_map(|i| {
        let label = &inner[i];
        let kind = literal(label).then(|| consul_kind(slice(text, label))).flatten();
        kind.map(|k| (i, k))
    });
    let Some((k, kind)) = kind_at else {
        return inner[1..].iter().all(literal).then(|| ConsulDnsName {
            kind: ConsulKind::Other,
            service: inner[0].clone(),
            service_is_template: !literal(&inner[0]),
            tag: None,
            scope: ConsulScope::default(),
        });
    };
    let qualifiers = &inner[k + 1..];
    if !qualifiers.iter().all(literal) {
        return None;
    }
    Some(ConsulDnsName {
        kind,
        service: inner[k - 1].clone(),
        service_is_template: !literal(&inner[k - 1]),
        tag: (k >= 2).then(|| inner[0].start..inner[k - 2].end),
        scope: consul_scope(text, qualifiers, kind),
    })
}

fn consul_kind(label: &str) -> Option<ConsulKind> {
    let kind = match label.to_ascii_lowercase().as_str() {
        "service" => ConsulKind::Service,
        "connect" => ConsulKind::Connect,
        "virtual" => ConsulKind::Virtual,
        "ingress" => ConsulKind::Ingress,
        "query" => ConsulKind::PreparedQuery,
        "node" | "addr" => ConsulKind::Other,
        _ => return None,
    };
    Some(kind)
}

/// Reads the labels between the kind and the domain: labelled pairs
/// (`ns1.ns`) first, then the unlabelled forms the docs give for the kind.
fn consul_scope(text: &str, qualifiers: &[Range<usize>], kind: ConsulKind) -> ConsulScope {
    let mut scope = ConsulScope::default();
    let mut unlabelled = Vec::new();
    let mut i = 0;
    while i < qualifiers.len() {
        let key = qualifiers.get(i + 1).map(|r| slice(text, r).to_ascii_lowercase());
        if let Some(slot) = key.and_then(|k| scope_slot(&mut scope, &k)) {
            *slot = Some(qualifiers[i].clone());
            i += 2;
        } else {
            unlabelled.push(qualifiers[i].clone());
            i += 1;
        }
    }
    let fill = |slot: &mut Option<Range<usize>>, r: &Range<usize>| {
        if slot.is_none() {
            *slot = Some(r.clone());
        }
    };
    match (kind, unlabelled.as_slice()) {
        (ConsulKind::Virtual, [peer]) => fill(&mut scope.peer, peer),
        (ConsulKind::Virtual, [ns, peer]) => {
            fill(&mut scope.namespace, ns);
            fill(&mut scope.peer, peer);
        }
        (_, [dc]) => fill(&mut scope.datacenter, dc),
        (_, [ns, dc]) => {
            fill(&mut scope.namespace, ns);
            fill(&mut scope.datacenter, dc);
        }
        _ => {}
    }
    scope
}

fn scope_slot<'s>(scope: &'s mut ConsulScope, key: &str) -> Option<&'s mut Option<Range<usize>>> {
    match key {
        "ns" => Some(&mut scope.namespace),
        "ap" => Some(&mut scope.partition),
        "dc" => Some(&mut scope.datacenter),
        "peer" => Some(&mut scope.peer),
        "sg" => Some(&mut scope.sameness_group),
        _ => None,
    }
}

/// Dot-separated labels of `r`, not splitting inside placeholders; one
/// trailing dot (a rooted name) is dropped.
pub(super) fn split_labels(text: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let mut labels = Vec::new();
    let mut start = r.start;
    for dot in positions_outside(text, r.clone(), b'.') {
        labels.push(start..dot);
        start = dot + 1;
    }
    if start < r.end || labels.is_empty() {
        labels.push(start..r.end);
    }
    labels
}
