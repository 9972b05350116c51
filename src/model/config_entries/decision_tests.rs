//! The decision against Consul's documented precedence table: one test per row, then the
//! ties, L7 sources and unknown values.

use super::*;
use crate::model::config_entries::{EntryKind, Form, Name, Permission};
use crate::source::{FileId, Span};

const AT: Span = Span::new(FileId(0), 0, 0);

fn name(value: Option<&str>) -> Name {
    Name {
        value: value.map(str::to_string),
        span: AT,
        origins: Vec::new(),
    }
}

/// `namespace/name`, as the table writes each side.
fn split(service: &str) -> (Option<String>, Option<String>) {
    let (namespace, name) = service.split_once('/').unwrap_or(("default", service));
    let known = |s: &str| (s != "?").then(|| s.to_string());
    (known(namespace), known(name))
}

fn source(from: &str, action: &str) -> Source {
    let (namespace, service) = split(from);
    Source {
        span: AT,
        name: name(service.as_deref()),
        namespace,
        partition: Some("default".into()),
        remote: None,
        action: (action != "l7").then(|| name(Some(action))),
        permissions: match action {
            "l7" => vec![Permission {
                span: AT,
                action: Some(name(Some("allow"))),
                http: Some(AT),
            }],
            _ => Vec::new(),
        },
        permissions_known: true,
    }
}

/// One entry for `to` with the given (source, action) pairs.
fn entry(to: &str, sources: &[(&str, &str)]) -> ConfigEntry {
    let (namespace, service) = split(to);
    ConfigEntry {
        resource: 0,
        address: format!("consul_config_entry.{to}"),
        header: AT,
        form: Form::Json,
        kind: Some(EntryKind::ServiceIntentions),
        name: name(service.as_deref()),
        namespace,
        partition: Some("default".into()),
        sources: sources
            .iter()
            .map(|(from, action)| source(from, action))
            .collect(),
        sources_known: true,
        protocol: None,
        caller: None,
    }
}

fn service(s: &str) -> ServiceRef {
    let (namespace, name) = split(s);
    ServiceRef {
        name,
        namespace,
        partition: Some("default".into()),
    }
}

/// The verdict for `web` (namespace `team`) calling `api` (namespace `shop`), and its precedence.
fn verdict(entries: &[ConfigEntry]) -> (&'static str, u8) {
    match decide(entries, &service("team/web"), &service("shop/api")) {
        Verdict::Allowed(m) => ("allow", m.precedence),
        Verdict::Denied(m) => ("deny", m.precedence),
        Verdict::AllowedForSome(m) => ("l7", m.precedence),
        Verdict::NoIntention => ("none", 0),
        Verdict::Unknown => ("unknown", 0),
    }
}

/// Each row: the intention alone decides with its precedence, and it beats an opposite
/// intention of the row below it.
fn row(from: &str, to: &str, expected: u8) {
    assert_eq!(
        verdict(&[entry(to, &[(from, "deny")])]),
        ("deny", expected),
        "{from} → {to}"
    );
    assert_eq!(
        verdict(&[entry(to, &[(from, "allow")])]),
        ("allow", expected),
        "{from} → {to}"
    );
    let (source_namespace, source_name) = split(from);
    let (destination_namespace, destination_name) = split(to);
    assert_eq!(
        precedence(
            source_namespace.as_deref().unwrap(),
            source_name.as_deref().unwrap(),
            destination_namespace.as_deref().unwrap(),
            destination_name.as_deref().unwrap()
        ),
        expected
    );
    // Against the catch-all deny: the more precise allow wins, unless it is the catch-all.
    let both = [entry(to, &[(from, "allow")]), entry("*/*", &[("*/*", "deny")])];
    let expected_verdict = if expected > 1 { "allow" } else { "deny" };
    assert_eq!(
        verdict(&both).0,
        expected_verdict,
        "{from} → {to} against `*` → `*`"
    );
}

#[test]
fn row_9_exact_source_exact_destination() {
    row("team/web", "shop/api", 9);
}

#[test]
fn row_8_wildcard_source_name_exact_destination() {
    row("team/*", "shop/api", 8);
}

#[test]
fn row_7_wildcard_source_exact_destination() {
    row("*/*", "shop/api", 7);
}

#[test]
fn row_6_exact_source_wildcard_destination_name() {
    row("team/web", "shop/*", 6);
}

#[test]
fn row_5_wildcard_source_name_wildcard_destination_name() {
    row("team/*", "shop/*", 5);
}

#[test]
fn row_4_wildcard_source_wildcard_destination_name() {
    row("*/*", "shop/*", 4);
}

#[test]
fn row_3_exact_source_wildcard_destination() {
    row("team/web", "*/*", 3);
}

#[test]
fn row_2_wildcard_source_name_wildcard_destination() {
    row("team/*", "*/*", 2);
}

#[test]
fn row_1_wildcard_everything() {
    row("*/*", "*/*", 1);
}

#[test]
fn the_more_precise_intention_wins_whatever_its_action() {
    let entries = [
        entry("shop/api", &[("team/web", "deny"), ("*/*", "allow")]),
        entry("*/*", &[("*/*", "allow")]),
    ];
    assert_eq!(verdict(&entries), ("deny", 9));
    let entries = [entry("shop/api", &[("team/web", "allow"), ("*/*", "deny")])];
    assert_eq!(verdict(&entries), ("allow", 9));
}

#[test]
fn at_equal_precedence_a_deny_beats_an_allow() {
    let entries = [
        entry("shop/api", &[("team/web", "allow")]),
        entry("shop/api", &[("team/web", "deny")]),
    ];
    assert_eq!(verdict(&entries), ("deny", 9));
    let entries = [
        entry("shop/api", &[("team/web", "deny")]),
        entry("shop/api", &[("team/web", "allow")]),
    ];
    assert_eq!(verdict(&entries), ("deny", 9));
}

#[test]
fn an_l7_intention_allows_some_requests() {
    let entries = [
        entry("shop/api", &[("team/web", "l7")]),
        entry("*/*", &[("*/*", "deny")]),
    ];
    assert_eq!(verdict(&entries), ("l7", 9));
}

#[test]
fn other_services_and_namespaces_do_not_match() {
    let entries = [
        entry("shop/api", &[("team/orders", "deny")]),
        entry("other/api", &[("team/web", "deny")]),
    ];
    assert_eq!(verdict(&entries), ("none", 0));
}

#[test]
fn no_intention_is_no_verdict_not_a_guessed_default() {
    assert_eq!(verdict(&[]), ("none", 0));
}

#[test]
fn an_unknown_intention_that_could_outrank_makes_it_unknown() {
    // An allow whose source name is not known could be `web`'s exact allow.
    let entries = [
        entry("shop/api", &[("team/?", "allow")]),
        entry("*/*", &[("*/*", "deny")]),
    ];
    assert_eq!(verdict(&entries), ("unknown", 0));
    // A destination not known likewise.
    let entries = [
        entry("shop/?", &[("team/web", "allow")]),
        entry("*/*", &[("*/*", "deny")]),
    ];
    assert_eq!(verdict(&entries), ("unknown", 0));
    // Sources that could not be read.
    let mut unread = entry("shop/api", &[]);
    unread.sources_known = false;
    assert_eq!(
        verdict(&[unread, entry("*/*", &[("*/*", "deny")])]),
        ("unknown", 0)
    );
    // An entry whose kind is not known may be intentions.
    let mut kind = entry("shop/api", &[("team/web", "allow")]);
    kind.kind = None;
    assert_eq!(verdict(&[kind, entry("*/*", &[("*/*", "deny")])]), ("unknown", 0));
}

#[test]
fn an_unknown_intention_that_cannot_outrank_a_deny_leaves_it_denied() {
    // The exact deny has precedence 9; an unknown source name could reach 9 too, and at
    // equal precedence the deny still wins.
    let entries = [entry("shop/api", &[("team/web", "deny"), ("team/?", "allow")])];
    assert_eq!(verdict(&entries), ("deny", 9));
}

#[test]
fn peers_and_sameness_groups_never_match_local_services() {
    let mut peer = entry("shop/api", &[("team/web", "allow")]);
    peer.sources[0].remote = Some("peer `eu`".into());
    assert_eq!(verdict(&[peer, entry("*/*", &[("*/*", "deny")])]), ("deny", 1));
}

#[test]
fn other_kinds_do_not_count() {
    let mut defaults = entry("shop/api", &[("team/web", "deny")]);
    defaults.kind = Some(EntryKind::ServiceDefaults);
    assert_eq!(verdict(&[defaults]), ("none", 0));
}
