//! Consul DNS names: kinds, service and tag labels, scopes, templates.

use super::*;

#[test]
fn url_consul_service_name() {
    let text = "http://backend.service.consul:8080";
    let url = only_url(text);
    let name = consul(&url);
    assert_eq!(name.kind, ConsulKind::Service);
    assert_eq!(at(text, &name.service), "backend");
    assert!(!name.service_is_template);
    assert_eq!(name.tag, None);
    assert_eq!(name.scope, ConsulScope::default());
    assert_eq!(at(text, &url.host), "backend.service.consul");
}

#[test]
fn url_consul_service_with_tag_and_datacenter() {
    let text = "http://primary.db.service.dc2.consul.";
    let url = only_url(text);
    let name = consul(&url);
    assert_eq!(name.kind, ConsulKind::Service);
    assert_eq!(at(text, &name.service), "db");
    assert_eq!(at(text, name.tag.as_ref().unwrap()), "primary");
    assert_eq!(at(text, name.scope.datacenter.as_ref().unwrap()), "dc2");
}

#[test]
fn consul_labelled_scope_parts() {
    let host = "web.service.team.ns.part1.ap.east.dc.consul";
    let HostClass::ConsulDns(name) = classify_url_host(host) else {
        panic!("not a Consul name");
    };
    assert_eq!(at(host, &name.service), "web");
    assert_eq!(at(host, name.scope.namespace.as_ref().unwrap()), "team");
    assert_eq!(at(host, name.scope.partition.as_ref().unwrap()), "part1");
    assert_eq!(at(host, name.scope.datacenter.as_ref().unwrap()), "east");
    assert_eq!(name.scope.peer, None);
    let peer = "web.virtual.default.ns.p1.peer.consul";
    let HostClass::ConsulDns(name) = classify_url_host(peer) else {
        panic!("not a Consul name");
    };
    assert_eq!(name.kind, ConsulKind::Virtual);
    assert_eq!(at(peer, name.scope.peer.as_ref().unwrap()), "p1");
    assert_eq!(at(peer, name.scope.namespace.as_ref().unwrap()), "default");
}

#[test]
fn consul_unlabelled_scope_follows_the_docs_per_kind() {
    let service = "web.service.ns1.dc1.consul";
    let HostClass::ConsulDns(name) = classify_url_host(service) else {
        panic!("not a Consul name");
    };
    assert_eq!(at(service, name.scope.namespace.as_ref().unwrap()), "ns1");
    assert_eq!(at(service, name.scope.datacenter.as_ref().unwrap()), "dc1");
    let virtual_peer = "web.virtual.peer1.consul";
    let HostClass::ConsulDns(name) = classify_url_host(virtual_peer) else {
        panic!("not a Consul name");
    };
    assert_eq!(at(virtual_peer, name.scope.peer.as_ref().unwrap()), "peer1");
    assert_eq!(name.scope.datacenter, None);
}

#[test]
fn consul_connect_and_other_kinds() {
    let kinds = [
        ("billing.connect.consul", ConsulKind::Connect, "billing"),
        ("web.virtual.consul", ConsulKind::Virtual, "web"),
        ("web.ingress.consul", ConsulKind::Ingress, "web"),
        ("q1.query.consul", ConsulKind::PreparedQuery, "q1"),
        ("node1.node.dc1.consul", ConsulKind::Other, "node1"),
        ("vault.consul", ConsulKind::Other, "vault"),
        ("WEB.SERVICE.CONSUL", ConsulKind::Service, "WEB"),
    ];
    for (host, kind, service) in kinds {
        let HostClass::ConsulDns(name) = classify_url_host(host) else {
            panic!("{host} is not a Consul name");
        };
        assert_eq!(name.kind, kind, "{host}");
        assert_eq!(at(host, &name.service), service, "{host}");
    }
}

#[test]
fn consul_virtual_name_with_template_service_keeps_kind() {
    let text = "http://${var.name}-example-server-app.virtual.consul";
    let url = only_url(text);
    let name = consul(&url);
    assert_eq!(name.kind, ConsulKind::Virtual);
    assert!(name.service_is_template);
    assert_eq!(at(text, &name.service), "${var.name}-example-server-app");
}

#[test]
fn consul_name_with_template_in_fixed_labels_is_unknown() {
    assert_eq!(classify_url_host("web.${var.kind}.consul"), HostClass::Unknown);
    assert_eq!(
        classify_url_host("web.service.${var.dc}.consul"),
        HostClass::Unknown
    );
    assert_eq!(classify_url_host("web.service.${var.domain}"), HostClass::Unknown);
}
