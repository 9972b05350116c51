//! Bare `host:port` references, and values that only look like one.

use super::*;

#[test]
fn bare_host_port_whole_value() {
    let text = "backend:8080";
    let url = only_url(text);
    assert_eq!(url.scheme, None);
    assert_eq!(url.range, 0..text.len());
    assert_eq!(at(text, &url.host), "backend");
    assert_eq!(url.host_class, HostClass::BareName);
    assert_eq!(url.effective_port(), Some(8080));
    assert_eq!(url.path, text.len()..text.len());
}

#[test]
fn bare_consul_host_port_and_portless_consul_name() {
    let text = "backend.service.consul:8080";
    let url = only_url(text);
    assert_eq!(consul(&url).kind, ConsulKind::Service);
    let portless = "billing.connect.consul";
    let url = only_url(portless);
    assert_eq!(url.port, None);
    assert_eq!(consul(&url).kind, ConsulKind::Connect);
    assert_eq!(at(portless, &consul(&url).service), "billing");
}

#[test]
fn bare_loopback_and_ipv6_forms() {
    assert_eq!(only_url("localhost:1234").host_class, HostClass::Loopback);
    assert_eq!(only_url("127.0.0.1:1234").host_class, HostClass::Loopback);
    let text = "[::1]:8080";
    let url = only_url(text);
    assert_eq!(at(text, &url.host), "[::1]");
    assert_eq!(url.host_class, HostClass::Loopback);
}

#[test]
fn bare_list_of_host_ports() {
    let text = " backend:8080, billing:9090 ";
    let urls = find_urls(text);
    let hosts: Vec<_> = urls.iter().map(|u| at(text, &u.host)).collect();
    assert_eq!(hosts, ["backend", "billing"]);
    assert_eq!(at(text, &urls[1].range), "billing:9090");
}

#[test]
fn bare_with_path_and_template_parts() {
    let text = "backend:8080/api";
    assert_eq!(at(text, &only_url(text).path), "/api");
    let templated_port = "backend:${var.port}";
    assert_eq!(only_url(templated_port).port.unwrap().value, PortValue::Unknown);
    assert_eq!(only_url("${var.host}:8080").host_class, HostClass::Unknown);
    assert!(find_urls("${var.user}:${var.password}").is_empty());
}

#[test]
fn bare_values_that_are_not_addresses() {
    for text in [
        "backend",
        "redis:7",
        "node:18",
        "12:30",
        "16:9",
        "foo:bar",
        "C:/Users/x",
        "backend:8080 and some words",
        "git@github.com:8080",
        "hello world",
        "",
        "api.example.com",
    ] {
        assert!(find_urls(text).is_empty(), "{text:?} -> {:?}", find_urls(text));
    }
}

#[test]
fn bare_form_is_not_used_when_scheme_urls_exist() {
    let text = "http://a:8080 backend:9090";
    let url = only_url(text);
    assert_eq!(at(text, &url.range), "http://a:8080");
}
