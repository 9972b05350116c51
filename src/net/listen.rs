//! Listen addresses: where an app's server accepts connections, and whether
//! only its own task (the sidecar) can reach it there.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;

use super::host::{ends_in_number, is_localhost, is_valid_hostname, parse_ipv4_loose, parse_ipv6_host};
use super::port::{parse_port, Port};
use super::span::{contains_placeholder, find_outside, positions_outside, slice, trim_span};

/// Where an app listens, as classified from the address text it gives its
/// server (`Addr: ":8080"`, `--bind 0.0.0.0:8000`, `LISTEN_ADDR=...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenAddress {
    /// What the host part means.
    pub class: ListenClass,
    /// Byte range of the host part, the text a fix replaces with `127.0.0.1`.
    ///
    /// * IPv6 literals include their brackets (`[::]` in `[::]:80`), so that
    ///   replacing the range with `127.0.0.1` gives `127.0.0.1:80`.
    /// * When no host is written (`:8080`, and `8080` for
    ///   [`ListenClass::PortOnly`]) the range is empty and sits where the host
    ///   would go; for `PortOnly` a fix must insert `127.0.0.1:`, not just the host.
    /// * For [`ListenClass::Unix`] it is the socket path.
    /// * For [`ListenClass::Invalid`] and whole-string placeholders it is the
    ///   whole address (without surrounding whitespace).
    pub host: Range<usize>,
    /// The port, when one is written.
    pub port: Option<Port>,
}

/// What a listen host means for who can connect to the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListenClass {
    /// Every interface of the task, reachable from other tasks without the
    /// sidecar. Carries how it was spelled so that messages can quote it.
    AllInterfaces(AllInterfacesSpelling),
    /// `127.0.0.0/8`, `::1`, `localhost` (and IPv4-mapped `::ffff:127.x.x.x`):
    /// only processes in the task (the sidecar) can connect. What the mesh wants.
    Loopback,
    /// One specific non-loopback address such as `10.0.1.5`: not every
    /// interface, but still reachable from outside the task. Rules may treat it
    /// as "reachable without the sidecar" or stay silent.
    SpecificAddress,
    /// A name resolved when the app binds (`myhost`, `0.0.0.0.example.com`).
    /// Not `localhost`, which is [`ListenClass::Loopback`].
    Hostname,
    /// Only a port (`8080`): the host is the framework's default, which differs
    /// between tools (Django `runserver 8080` binds 127.0.0.1, Node's
    /// `listen(8080)` binds every interface, gunicorn reads the digits as a
    /// host). The caller knows the tool and decides.
    PortOnly,
    /// A Unix-domain socket (`unix:/tmp/app.sock`, `/run/app.sock`): not a
    /// network listener at all.
    Unix,
    /// The host contains a placeholder (`$BIND_ADDRESS`, `${HOST}:8080`) or the
    /// address is inherited (`fd://3`): unknown, never a finding.
    Unknown,
    /// Not an address any server accepts (`1.2.3.4.5`, `[::1`, `a b:80`).
    Invalid,
}

/// How an all-interfaces listen host was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllInterfacesSpelling {
    /// `0.0.0.0`.
    Ipv4Unspecified,
    /// A short numeric form of 0.0.0.0 that `inet_aton`-style parsers (glibc
    /// `getaddrinfo`, Python, Node) accept: `0` in `0:8080`, `0.0`, `0x0`.
    Ipv4Shorthand,
    /// `::`, `[::]`, `0:0:0:0:0:0:0:0`.
    Ipv6Unspecified,
    /// The IPv4-mapped form `::ffff:0.0.0.0`.
    Ipv4MappedUnspecified,
    /// No host at all before the port (`:8080`), or an empty host argument
    /// (Python `bind(("", 8080))`): Go, Python and Node bind every interface.
    EmptyHost,
    /// `*` (nginx, Java, Kestrel) or `+` (Kestrel's strong wildcard).
    Wildcard,
}

impl AllInterfacesSpelling {
    /// A short description for messages ("listens on `0.0.0.0`").
    pub fn describe(self) -> &'static str {
        match self {
            Self::Ipv4Unspecified => "0.0.0.0",
            Self::Ipv4Shorthand => "a short form of 0.0.0.0",
            Self::Ipv6Unspecified => "::",
            Self::Ipv4MappedUnspecified => "::ffff:0.0.0.0",
            Self::EmptyHost => "an empty host",
            Self::Wildcard => "a wildcard host",
        }
    }
}

impl ListenAddress {
    fn whole(class: ListenClass, host: Range<usize>) -> Self {
        ListenAddress {
            class,
            host,
            port: None,
        }
    }
}

/// Classifies a listen/bind address written as one string.
///
/// Accepted forms: `host:port`, `host` alone, `:port`, a bare port (`8080`,
/// see [`ListenClass::PortOnly`]), `[v6]:port`, unbracketed IPv6 (`::`,
/// `::ffff:0.0.0.0`; an unbracketed string with several colons is read as one
/// IPv6 address, and failing that as `<v6>:<port>`, so `:::8080` is `[::]:8080`),
/// a `scheme://` prefix as in `tcp://0.0.0.0:5000` or Kestrel's
/// `http://+:80/` (anything after the authority is ignored), `unix:` paths and
/// absolute paths (Unix sockets), and `fd://N` (inherited socket, unknown).
/// Surrounding whitespace is ignored; quotes are the caller's to strip.
/// The port is classified independently of the host: `0.0.0.0:$PORT` is still
/// all interfaces, with an unknown port.
pub fn parse_listen_address(text: &str) -> ListenAddress {
    let span = trim_span(text, 0..text.len());
    let s = slice(text, &span);
    if s.is_empty() {
        return ListenAddress::whole(ListenClass::Invalid, span);
    }
    if let Some(path) = unix_socket_path(s) {
        let host = span.start + path.start..span.start + path.end;
        return ListenAddress::whole(ListenClass::Unix, host);
    }
    if starts_with_ci(s, "fd://") {
        return ListenAddress::whole(ListenClass::Unknown, span);
    }
    let authority = listen_authority(text, span);
    split_listen_address(text, authority)
}

/// Classifies a host given on its own, as in Flask `app.run(host="0.0.0.0")`,
/// Node `server.listen(3000, "::")` or Python `sock.bind(("", 8080))`.
///
/// An empty string is [`AllInterfacesSpelling::EmptyHost`] (that is what the
/// socket APIs do with it). A host with a port in it (`"0.0.0.0:80"`) is
/// [`ListenClass::Invalid`]: no framework accepts it as a host. Surrounding
/// whitespace is ignored. [`ListenClass::PortOnly`] is never returned; all-digit
/// text is read as a numeric IPv4 host, as `inet_aton` does.
pub fn classify_listen_host(host: &str) -> ListenClass {
    listen_host_class(host.trim())
}

/// The socket path of `unix:<path>`, `unix://<path>` or an absolute/relative
/// file path, relative to `s`.
fn unix_socket_path(s: &str) -> Option<Range<usize>> {
    if starts_with_ci(s, "unix:") {
        let skip = if s[5..].starts_with("//") { 7 } else { 5 };
        return Some(skip..s.len());
    }
    let is_path = s.starts_with('/') || s.starts_with("./") || s.starts_with("../");
    is_path.then_some(0..s.len())
}

/// The `host[:port]` part of a listen address, dropping a `scheme://` prefix
/// and anything after the authority.
fn listen_authority(text: &str, span: Range<usize>) -> Range<usize> {
    let Some(prefix) = scheme_prefix_len(slice(text, &span)) else {
        return span;
    };
    let start = span.start + prefix;
    let end = find_outside(text, start..span.end, |b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(span.end);
    start..end
}

/// Length of a leading `scheme://`, if the text starts with one.
fn scheme_prefix_len(s: &str) -> Option<usize> {
    let sep = s.find("://")?;
    is_scheme_name(&s[..sep]).then_some(sep + 3)
}

fn is_scheme_name(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

fn split_listen_address(text: &str, r: Range<usize>) -> ListenAddress {
    let s = slice(text, &r);
    if s.starts_with('[') {
        return split_bracketed_listen(text, r);
    }
    let colons = positions_outside(text, r.clone(), b':');
    match colons.as_slice() {
        [] if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => ListenAddress {
            class: ListenClass::PortOnly,
            host: r.start..r.start,
            port: Some(parse_port(text, r)),
        },
        [] => ListenAddress::whole(listen_host_class(s), r),
        [colon] => listen_with_port(text, r.start..*colon, colon + 1..r.end),
        [.., last] => {
            if parse_ipv6_host(s).is_some() {
                ListenAddress::whole(listen_host_class(s), r)
            } else if parse_ipv6_host(slice(text, &(r.start..*last))).is_some() {
                listen_with_port(text, r.start..*last, last + 1..r.end)
            } else {
                ListenAddress::whole(ListenClass::Invalid, r)
            }
        }
    }
}

fn split_bracketed_listen(text: &str, r: Range<usize>) -> ListenAddress {
    let s = slice(text, &r);
    let Some(close) = s.find(']') else {
        return ListenAddress::whole(ListenClass::Invalid, r);
    };
    let host = r.start..r.start + close + 1;
    let rest = slice(text, &(host.end..r.end));
    if rest.is_empty() {
        ListenAddress::whole(listen_host_class(slice(text, &host)), host)
    } else if rest.starts_with(':') {
        listen_with_port(text, host.clone(), host.end + 1..r.end)
    } else {
        ListenAddress::whole(ListenClass::Invalid, r)
    }
}

fn listen_with_port(text: &str, host: Range<usize>, port: Range<usize>) -> ListenAddress {
    ListenAddress {
        class: listen_host_class(slice(text, &host)),
        host,
        port: Some(parse_port(text, port)),
    }
}

fn listen_host_class(h: &str) -> ListenClass {
    use AllInterfacesSpelling as Spelling;
    if h.is_empty() {
        return ListenClass::AllInterfaces(Spelling::EmptyHost);
    }
    if contains_placeholder(h, 0..h.len()) {
        return ListenClass::Unknown;
    }
    if h == "*" || h == "+" {
        return ListenClass::AllInterfaces(Spelling::Wildcard);
    }
    if let Some(inner) = h.strip_prefix('[') {
        return match inner.strip_suffix(']').and_then(parse_ipv6_host) {
            Some(addr) => listen_ipv6_class(addr),
            None => ListenClass::Invalid,
        };
    }
    if let Some(addr) = parse_ipv6_host(h) {
        return listen_ipv6_class(addr);
    }
    if let Ok(addr) = h.parse::<Ipv4Addr>() {
        return listen_ipv4_class(addr, Spelling::Ipv4Unspecified);
    }
    if let Some(addr) = parse_ipv4_loose(h) {
        return listen_ipv4_class(addr, Spelling::Ipv4Shorthand);
    }
    if is_localhost(h) {
        ListenClass::Loopback
    } else if is_valid_hostname(h) && !ends_in_number(h) {
        ListenClass::Hostname
    } else {
        ListenClass::Invalid
    }
}

fn listen_ipv4_class(addr: Ipv4Addr, zero: AllInterfacesSpelling) -> ListenClass {
    if addr.is_unspecified() {
        ListenClass::AllInterfaces(zero)
    } else if addr.is_loopback() {
        ListenClass::Loopback
    } else {
        ListenClass::SpecificAddress
    }
}

fn listen_ipv6_class(addr: Ipv6Addr) -> ListenClass {
    if addr.is_unspecified() {
        return ListenClass::AllInterfaces(AllInterfacesSpelling::Ipv6Unspecified);
    }
    if let Some(v4) = addr.to_ipv4_mapped() {
        return listen_ipv4_class(v4, AllInterfacesSpelling::Ipv4MappedUnspecified);
    }
    if addr.is_loopback() {
        ListenClass::Loopback
    } else {
        ListenClass::SpecificAddress
    }
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}
