//! Tests of the network facts, one file per part. The helpers here read
//! ranges back out of the text they index.

use std::ops::Range;

use super::*;

mod bare_address;
mod consul_dns;
mod keyword_address;
mod listen;
mod replacement;
mod robustness;
mod url;

fn at<'t>(text: &'t str, r: &Range<usize>) -> &'t str {
    &text[r.clone()]
}

fn port_text<'t>(text: &'t str, addr: &ListenAddress) -> &'t str {
    at(text, &addr.port.as_ref().expect("a port").range)
}

fn only_url(text: &str) -> UrlRef {
    let mut urls = find_urls(text);
    assert_eq!(urls.len(), 1, "expected one URL in {text:?}, got {urls:?}");
    urls.remove(0)
}

fn consul(url: &UrlRef) -> &ConsulDnsName {
    match &url.host_class {
        HostClass::ConsulDns(name) => name,
        other => panic!("expected a Consul DNS name, got {other:?}"),
    }
}
