//! The sidecar URL that replaces a direct call.

use super::*;

#[test]
fn replacement_keeps_path_and_query() {
    let text = "http://backend:8080/api/v1?x=1#frag";
    let url = only_url(text);
    let fixed = sidecar_replacement(text, &url, 1234, ReplacementScheme::Plaintext);
    assert_eq!(fixed, "http://localhost:1234/api/v1?x=1#frag");
}

#[test]
fn replacement_downgrades_tls_by_default_and_keeps_it_on_request() {
    let text = "https://backend.service.consul/pay";
    let url = only_url(text);
    assert_eq!(
        sidecar_replacement(text, &url, 1234, ReplacementScheme::Plaintext),
        "http://localhost:1234/pay"
    );
    assert_eq!(
        sidecar_replacement(text, &url, 1234, ReplacementScheme::AsWritten),
        "https://localhost:1234/pay"
    );
    let grpcs = "grpcs://billing:443";
    assert_eq!(
        sidecar_replacement(grpcs, &only_url(grpcs), 5000, ReplacementScheme::Plaintext),
        "grpc://localhost:5000"
    );
    let wss = "WSS://chat/ws";
    assert_eq!(
        sidecar_replacement(wss, &only_url(wss), 7000, ReplacementScheme::Plaintext),
        "ws://localhost:7000/ws"
    );
}

#[test]
fn replacement_keeps_userinfo_and_template_path() {
    let text = "http://user:pw@backend:8080/${var.path}";
    let url = only_url(text);
    assert_eq!(
        sidecar_replacement(text, &url, 1234, ReplacementScheme::Plaintext),
        "http://user:pw@localhost:1234/${var.path}"
    );
}

#[test]
fn replacement_of_bare_host_port_has_no_scheme() {
    let text = "backend:8080";
    let url = only_url(text);
    assert_eq!(
        sidecar_replacement(text, &url, 1234, ReplacementScheme::Plaintext),
        "localhost:1234"
    );
}

#[test]
fn replacement_spliced_into_a_list_changes_only_that_url() {
    let text = "http://localhost:1234,http://backend:8080/x";
    let urls = find_urls(text);
    let url = &urls[1];
    let mut fixed = text.to_string();
    fixed.replace_range(
        url.range.clone(),
        &sidecar_replacement(text, url, 1235, ReplacementScheme::Plaintext),
    );
    assert_eq!(fixed, "http://localhost:1234,http://localhost:1235/x");
}
