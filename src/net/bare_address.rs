//! Bare `host:port` references without a scheme (`backend:8080`), read only
//! when a value holds no scheme URL at all.

use std::net::Ipv4Addr;
use std::ops::Range;

use super::port::PortValue;
use super::span::{contains_placeholder, slice, split_outside};
use super::url::{parse_url, HostClass, UrlRef};

pub(super) fn find_bare_addresses(text: &str) -> Vec<UrlRef> {
    let mut found = Vec::new();
    for item in split_items(text) {
        match bare_address(text, item) {
            Some(url) => found.push(url),
            None => return Vec::new(),
        }
    }
    found
}

/// Ranges of the items of a comma/semicolon/whitespace separated list.
fn split_items(text: &str) -> Vec<Range<usize>> {
    split_outside(text, |c| c.is_whitespace() || c == ',' || c == ';')
}

fn bare_address(text: &str, item: Range<usize>) -> Option<UrlRef> {
    let url = parse_url(text, item.clone(), item.start, None)?;
    if url.userinfo.is_some() || url.host.is_empty() {
        return None;
    }
    let host_text = slice(text, &url.host);
    let host_is_template = contains_placeholder(text, url.host.clone());
    let port_ok = match url.port.as_ref().map(|p| p.value) {
        Some(PortValue::Number(n)) => n >= 80,
        Some(PortValue::Unknown) => !host_is_template,
        Some(PortValue::Invalid) => false,
        None => matches!(url.host_class, HostClass::ConsulDns(_)),
    };
    let host_ok = match url.host_class {
        HostClass::Invalid => false,
        HostClass::Unknown | HostClass::ConsulDns(_) => true,
        _ => {
            host_text.starts_with('[')
                || host_text.parse::<Ipv4Addr>().is_ok()
                || host_text.bytes().any(|b| b.is_ascii_alphabetic())
        }
    };
    (port_ok && host_ok).then_some(url)
}
