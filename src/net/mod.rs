//! Network facts in the text apps write: where an app listens, which URLs it
//! calls, and which Consul DNS names those URLs use.
//!
//! Inside a Consul service mesh on ECS an app should
//! 1. listen on the loopback address only, so that nothing but its own sidecar
//!    proxy can reach it (`0.0.0.0`, `::`, `*` or an empty host such as `:8080`
//!    mean "all interfaces", and let other tasks bypass the proxy), and
//! 2. call other mesh services through its sidecar at
//!    `http://localhost:<local_bind_port>` instead of by name
//!    (`http://backend:8080`, `backend.service.consul`). With transparent proxy,
//!    `http://<service>.virtual.consul` is routed by the proxy and is fine.
//!
//! This module only *classifies*; rules decide what is a finding (an ALB target
//! must listen on the task IP, an external host may be called directly, …).
//!
//! Conventions shared by every function here:
//! * Every range is a **byte** range into the string that was passed in and
//!   always lies on `char` boundaries, so `&text[range]` never panics and a fix
//!   can replace exactly that text. Rules add the string's own offset in the
//!   file to get a file span.
//! * Placeholders are opaque: `${...}` and `%{...}` (Terraform templates),
//!   `{{...}}` (Go/Jinja templates), `$(...)` and `$NAME` (shell). Their
//!   content is never split on `:`, `.` or `/`, and a part that contains one is
//!   *unknown*. The project rule is that an unknown value is never a finding.
//! * No function panics, whatever the input.
//!
//! The parts, one noun each:
//! * `listen`: listen addresses ([`parse_listen_address`], [`classify_listen_host`]);
//! * `url`: URLs an app calls and what their host means ([`find_urls`], [`HostClass`]);
//! * `bare_address`: `host:port` references without a scheme;
//! * `keyword_address`: connection strings that name host and port by keyword (`host=… port=…`);
//! * `consul_dns`: Consul DNS names ([`ConsulDnsName`]);
//! * `scheme` and `port`: the parts of an address with meaning of their own;
//! * `replacement`: the sidecar URL that replaces a direct call ([`sidecar_replacement`]);
//! * `host`: IP literals and host names as resolvers read them;
//! * `span`: byte ranges of the analysed text, with placeholders kept opaque.

mod bare_address;
mod consul_dns;
mod host;
mod keyword_address;
mod listen;
mod port;
mod replacement;
mod scheme;
mod span;
mod url;

pub use consul_dns::{ConsulDnsName, ConsulKind, ConsulScope};
pub use listen::{
    classify_listen_host, parse_listen_address, AllInterfacesSpelling, ListenAddress, ListenClass,
};
pub use port::{Port, PortValue};
pub use replacement::{sidecar_replacement, ReplacementScheme};
pub use scheme::Scheme;
pub use url::{classify_url_host, find_urls, AddressForm, HostClass, UrlRef};

#[cfg(test)]
mod tests;
