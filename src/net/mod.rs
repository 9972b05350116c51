//! Network facts in the text apps write: where an app listens, which URLs it
//! calls, and "did you mean" suggestions for mistyped names.
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

use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;

// ---------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------

/// A port as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    /// Byte range of the port text (without the `:` before it).
    pub range: Range<usize>,
    /// What the text means.
    pub value: PortValue,
}

/// The meaning of a port's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortValue {
    /// Decimal digits in `0..=65535`.
    Number(u16),
    /// Contains a placeholder (`${var.port}`, `$PORT`): not known until run time.
    Unknown,
    /// Anything else (`99999`, `http`, `80abc`, empty): not a usable port.
    Invalid,
}

impl Port {
    /// The port number, when the text is a literal valid port.
    pub fn number(&self) -> Option<u16> {
        match self.value {
            PortValue::Number(n) => Some(n),
            PortValue::Unknown | PortValue::Invalid => None,
        }
    }
}

fn parse_port(text: &str, range: Range<usize>) -> Port {
    let s = slice(text, &range);
    let value = if contains_placeholder(text, range.clone()) {
        PortValue::Unknown
    } else if !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse::<u16>().map_or(PortValue::Invalid, PortValue::Number)
    } else {
        PortValue::Invalid
    };
    Port { range, value }
}

// ---------------------------------------------------------------------------
// Listen addresses
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------

/// The URL schemes apps use to call other services.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
    Grpc,
    Grpcs,
    Ws,
    Wss,
    Tcp,
}

impl Scheme {
    /// Recognises a scheme name, ignoring ASCII case (`HTTP` is `http`).
    pub fn parse(name: &str) -> Option<Self> {
        const ALL: [Scheme; 7] = [
            Scheme::Http,
            Scheme::Https,
            Scheme::Grpc,
            Scheme::Grpcs,
            Scheme::Ws,
            Scheme::Wss,
            Scheme::Tcp,
        ];
        ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(name))
    }

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
            Self::Grpc => "grpc",
            Self::Grpcs => "grpcs",
            Self::Ws => "ws",
            Self::Wss => "wss",
            Self::Tcp => "tcp",
        }
    }

    /// The port a client uses when none is written (80/443 for HTTP and
    /// WebSocket); gRPC and raw TCP have no default.
    pub fn default_port(self) -> Option<u16> {
        match self {
            Self::Http | Self::Ws => Some(80),
            Self::Https | Self::Wss => Some(443),
            Self::Grpc | Self::Grpcs | Self::Tcp => None,
        }
    }

    /// Whether the client speaks TLS itself.
    pub fn is_tls(self) -> bool {
        matches!(self, Self::Https | Self::Grpcs | Self::Wss)
    }

    /// The same protocol without TLS (`https` → `http`). Inside the mesh the
    /// proxies do mTLS between tasks; the app talks plain text to its sidecar.
    pub fn plaintext(self) -> Self {
        match self {
            Self::Https => Self::Http,
            Self::Grpcs => Self::Grpc,
            Self::Wss => Self::Ws,
            other => other,
        }
    }
}

/// One URL-like reference found in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlRef {
    /// The whole reference, without trailing punctuation that belongs to the
    /// surrounding text.
    pub range: Range<usize>,
    /// The scheme; `None` for a bare `host:port`.
    pub scheme: Option<Scheme>,
    /// `user:pass` before `@`, without the `@`.
    pub userinfo: Option<Range<usize>>,
    /// The host as written (IPv6 literals with their brackets). May be empty
    /// (`http://:8080`), then `host_class` is [`HostClass::Invalid`].
    pub host: Range<usize>,
    /// What the host means for the mesh.
    pub host_class: HostClass,
    /// The port as written. The scheme's default is not filled in; see
    /// [`UrlRef::effective_port`].
    pub port: Option<Port>,
    /// Path, query and fragment as written (`/api?x=1#top`); an empty range
    /// at the end of the reference when there are none.
    pub path: Range<usize>,
}

impl UrlRef {
    /// The port a client connects to: the written one, else the scheme's
    /// default. `None` when the written port is unknown or invalid, or when
    /// there is neither.
    pub fn effective_port(&self) -> Option<u16> {
        match &self.port {
            Some(port) => port.number(),
            None => self.scheme.and_then(Scheme::default_port),
        }
    }
}

/// What a URL host means for a call made from inside the mesh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostClass {
    /// `localhost`, `127.x.x.x`, `::1`, `[::1]`, `[::ffff:127.0.0.1]`: the
    /// call goes to the task itself, i.e. to a sidecar upstream listener.
    Loopback,
    /// A Consul DNS name (`<service>.service.consul`, …): a direct call that
    /// bypasses the sidecar, except for [`ConsulKind::Virtual`] names, which
    /// the transparent proxy routes.
    ConsulDns(ConsulDnsName),
    /// A single label such as `backend`: a candidate mesh service name.
    BareName,
    /// Another dotted name (`api.example.com`): typically an external host.
    Fqdn,
    /// A non-loopback, non-wildcard IP literal.
    IpAddress,
    /// `0.0.0.0` or `[::]` used as a destination.
    AllInterfaces,
    /// The host contains a placeholder and is not a Consul DNS name whose
    /// fixed labels are literal: unknown, never a finding.
    Unknown,
    /// Empty or not a valid host (`a b`, `1.2.3.4.5`, `[::1`).
    Invalid,
}

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

/// Finds every URL-like reference in a string such as an environment
/// variable value, a string literal or a line of text.
///
/// * Scheme URLs (`http`, `https`, `grpc`, `grpcs`, `ws`, `wss`, `tcp`, any
///   ASCII case) anywhere in the text. The scheme must not be glued to a
///   preceding ASCII letter, digit or `_`: `notahttp://x` is the scheme
///   `notahttp`, not an http URL. (Non-ASCII text may touch it: `配置http://x`.)
/// * A URL ends at whitespace, a quote, `` ` ``, `<`, `>`, `\`, `|`, `^`, `,`,
///   `;` or a non-ASCII character that is not alphanumeric, so comma-, space-
///   and semicolon-separated lists yield one reference per item (a comma inside
///   a query string therefore ends the URL too). Trailing `.` `,` `:` `;` `!`
///   `?` `*` and unbalanced `)` `]` `}` are left out. Placeholders are skipped
///   whole, so `${ var.port }` may contain spaces.
/// * When the text holds no scheme URL, and every comma/space/semicolon
///   separated item is a bare `host:port[/path]`, each item is reported with
///   `scheme: None` (`backend:8080`, `localhost:1234`, `[::1]:80`). A bare item
///   needs a port of at least 80 or a placeholder port (so image tags such as
///   `redis:7`, times and ratios are not addresses), a host with a letter
///   unless it is a dotted-quad or bracketed IP, and not both host and port
///   as placeholders. A Consul DNS name needs no port (`billing.connect.consul`).
/// * A reference with an empty authority (`http://`, `http:///x`) is skipped.
pub fn find_urls(text: &str) -> Vec<UrlRef> {
    let found = find_scheme_urls(text);
    if found.is_empty() {
        find_bare_addresses(text)
    } else {
        found
    }
}

/// Classifies a host given on its own (e.g. a `host` argument or an
/// `*_HOST` variable). Ranges inside a [`ConsulDnsName`] index `host`.
pub fn classify_url_host(host: &str) -> HostClass {
    host_class_at(host, 0..host.len())
}

fn find_scheme_urls(text: &str) -> Vec<UrlRef> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text.get(from..).and_then(|rest| rest.find("://")) {
        let sep = from + offset;
        let Some((scheme, range)) = scheme_url_extent(text, sep) else {
            from = sep + 3;
            continue;
        };
        // Skip the whole extent even when it does not parse (`http:///x`), so
        // each byte is scanned once.
        from = range.end.max(sep + 3);
        found.extend(parse_url(text, range, sep + 3, Some(scheme)));
    }
    found
}

/// The scheme and extent of the URL whose `://` is at byte `sep`, if a known
/// scheme stands right before it and is not glued to a preceding word.
fn scheme_url_extent(text: &str, sep: usize) -> Option<(Scheme, Range<usize>)> {
    let start = scheme_start(text, sep);
    let scheme = Scheme::parse(slice(text, &(start..sep)))?;
    let glued = text[..start]
        .chars()
        .next_back()
        .is_some_and(|c| is_scheme_char(c) || c == '_');
    if glued {
        return None;
    }
    let authority = sep + 3;
    Some((
        scheme,
        start..trim_trailing(text, authority, url_end(text, authority)),
    ))
}

/// Start of the run of scheme characters that ends at `sep`, looking back no
/// further than the longest known scheme name plus one.
fn scheme_start(text: &str, sep: usize) -> usize {
    let bytes = text.as_bytes();
    let limit = sep.saturating_sub(6);
    let mut start = sep;
    while start > limit && is_scheme_char(char::from(bytes[start - 1])) {
        start -= 1;
    }
    start
}

fn is_scheme_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')
}

/// End of a URL whose authority starts at `from`.
fn url_end(text: &str, from: usize) -> usize {
    let mut i = from;
    while i < text.len() {
        if let Some(end) = placeholder_end(text, i) {
            i = end;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if ends_url(c) {
            return i;
        }
        i += c.len_utf8();
    }
    text.len()
}

fn ends_url(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '"' | '\'' | '`' | '<' | '>' | '\\' | '|' | '^' | ',' | ';')
        || (!c.is_ascii() && !c.is_alphanumeric())
}

/// Drops trailing punctuation that belongs to the surrounding text, never
/// going below `min`. A closing bracket is dropped only when the URL has more
/// of it than of its opening bracket (`http://x/A_(b)` keeps its `)`).
fn trim_trailing(text: &str, min: usize, mut end: usize) -> usize {
    const OPEN: [u8; 3] = [b'(', b'[', b'{'];
    const CLOSE: [u8; 3] = [b')', b']', b'}'];
    let bytes = text.as_bytes();
    let count = |b: u8| bytes[min..end].iter().filter(|&&c| c == b).count();
    let opened = OPEN.map(count);
    let mut closed = CLOSE.map(count);
    while end > min {
        let last = bytes[end - 1];
        let bracket = CLOSE.iter().position(|&c| c == last);
        let drop = match bracket {
            Some(k) => opened[k] < closed[k],
            None => matches!(
                last,
                b'.' | b',' | b':' | b';' | b'!' | b'?' | b'*' | b'\'' | b'"'
            ),
        };
        if !drop {
            break;
        }
        if let Some(k) = bracket {
            closed[k] -= 1;
        }
        end -= 1;
    }
    end
}

/// Parses the reference `range` whose authority starts at `authority`.
fn parse_url(text: &str, range: Range<usize>, authority: usize, scheme: Option<Scheme>) -> Option<UrlRef> {
    let auth_end =
        find_outside(text, authority..range.end, |b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(range.end);
    if auth_end <= authority {
        return None;
    }
    let at = positions_outside(text, authority..auth_end, b'@').pop();
    let host_start = at.map_or(authority, |a| a + 1);
    let (host, port) = split_url_host_port(text, host_start..auth_end);
    Some(UrlRef {
        scheme,
        userinfo: at.map(|a| authority..a),
        host_class: host_class_at(text, host.clone()),
        host,
        port: port.filter(|p| !p.is_empty()).map(|p| parse_port(text, p)),
        path: auth_end..range.end,
        range,
    })
}

/// Splits `host[:port]`; the port range is `None` when there is no colon.
fn split_url_host_port(text: &str, r: Range<usize>) -> (Range<usize>, Option<Range<usize>>) {
    if slice(text, &r).starts_with('[') {
        let close = find_outside(text, r.clone(), |b| b == b']');
        return match close {
            Some(c) if c + 1 == r.end => (r, None),
            Some(c) if text.as_bytes()[c + 1] == b':' => (r.start..c + 1, Some(c + 2..r.end)),
            _ => (r, None),
        };
    }
    match find_outside(text, r.clone(), |b| b == b':') {
        Some(c) => (r.start..c, Some(c + 1..r.end)),
        None => (r, None),
    }
}

fn find_bare_addresses(text: &str) -> Vec<UrlRef> {
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
    let mut items = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < text.len() {
        if let Some(end) = placeholder_end(text, i) {
            i = end;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if c.is_whitespace() || c == ',' || c == ';' {
            if start < i {
                items.push(start..i);
            }
            start = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    if start < text.len() {
        items.push(start..text.len());
    }
    items
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

fn host_class_at(text: &str, r: Range<usize>) -> HostClass {
    let h = slice(text, &r);
    if h.is_empty() {
        return HostClass::Invalid;
    }
    if let Some(inner) = h.strip_prefix('[') {
        return match inner.strip_suffix(']').and_then(parse_ipv6_host) {
            Some(addr) => url_ipv6_class(addr),
            None => HostClass::Invalid,
        };
    }
    if contains_placeholder(text, r.clone()) {
        let labels = split_labels(text, r);
        return consul_name(text, &labels).map_or(HostClass::Unknown, HostClass::ConsulDns);
    }
    if let Some(addr) = parse_ipv4_loose(h) {
        return url_ipv4_class(addr);
    }
    if is_localhost(h) {
        return HostClass::Loopback;
    }
    if !is_valid_hostname(h) || ends_in_number(h) {
        return HostClass::Invalid;
    }
    let labels = split_labels(text, r);
    match consul_name(text, &labels) {
        Some(name) => HostClass::ConsulDns(name),
        None if labels.len() == 1 => HostClass::BareName,
        None => HostClass::Fqdn,
    }
}

fn url_ipv4_class(addr: Ipv4Addr) -> HostClass {
    if addr.is_unspecified() {
        HostClass::AllInterfaces
    } else if addr.is_loopback() {
        HostClass::Loopback
    } else {
        HostClass::IpAddress
    }
}

fn url_ipv6_class(addr: Ipv6Addr) -> HostClass {
    if addr.is_unspecified() {
        HostClass::AllInterfaces
    } else if let Some(v4) = addr.to_ipv4_mapped() {
        url_ipv4_class(v4)
    } else if addr.is_loopback() {
        HostClass::Loopback
    } else {
        HostClass::IpAddress
    }
}

// ---------------------------------------------------------------------------
// Consul DNS names
// ---------------------------------------------------------------------------

/// Parses `labels` (ranges into `text`) as a Consul DNS name.
fn consul_name(text: &str, labels: &[Range<usize>]) -> Option<ConsulDnsName> {
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
fn split_labels(text: &str, r: Range<usize>) -> Vec<Range<usize>> {
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

// ---------------------------------------------------------------------------
// Replacement through the sidecar
// ---------------------------------------------------------------------------

/// Which scheme a sidecar replacement URL uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplacementScheme {
    /// Drop TLS (`https` → `http`, `grpcs` → `grpc`, `wss` → `ws`). Right for
    /// the consul-ecs sidecar: its upstream listener on localhost speaks plain
    /// HTTP/TCP to the app and does mTLS to the other proxy itself, so an
    /// `https://localhost:<port>` call would fail the TLS handshake.
    Plaintext,
    /// Keep the scheme as written (lower-cased), for callers that know the
    /// upstream listener terminates TLS.
    AsWritten,
}

/// The text that replaces `url.range` so the call goes through the sidecar's
/// upstream listener: `[<scheme>://][<userinfo>@]localhost:<local_bind_port><path>`.
///
/// Keeps the userinfo (credentials still go to the service), the path, query
/// and fragment (placeholders in them included); a bare `host:port` stays
/// without a scheme. Uses `localhost`, as the consul-ecs docs do.
/// `text` must be the string `url` was found in.
pub fn sidecar_replacement(
    text: &str,
    url: &UrlRef,
    local_bind_port: u16,
    scheme: ReplacementScheme,
) -> String {
    let mut out = String::new();
    if let Some(written) = url.scheme {
        let chosen = match scheme {
            ReplacementScheme::Plaintext => written.plaintext(),
            ReplacementScheme::AsWritten => written,
        };
        out.push_str(chosen.as_str());
        out.push_str("://");
    }
    if let Some(userinfo) = &url.userinfo {
        out.push_str(slice(text, userinfo));
        out.push('@');
    }
    out.push_str("localhost:");
    out.push_str(&local_bind_port.to_string());
    out.push_str(slice(text, &url.path));
    out
}

// ---------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------

/// `&text[r]`, or `""` when `r` does not slice `text`.
fn slice<'t>(text: &'t str, r: &Range<usize>) -> &'t str {
    text.get(r.clone()).unwrap_or("")
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// `r` without leading and trailing whitespace.
fn trim_span(text: &str, r: Range<usize>) -> Range<usize> {
    let s = slice(text, &r);
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return r.start..r.start;
    }
    let lead = s.len() - s.trim_start().len();
    r.start + lead..r.start + lead + trimmed.len()
}

/// End (exclusive) of a placeholder starting at byte `i`, or `None`.
/// An unterminated `${`, `%{`, `{{` or `$(` runs to the end of the text: an
/// unfinished template is unknown, not literal.
fn placeholder_end(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let first = *bytes.get(i)?;
    let second = bytes.get(i + 1).copied();
    match (first, second) {
        (b'$' | b'%', Some(b'{')) => Some(closing(bytes, i + 2, b'{', b'}')),
        (b'$', Some(b'(')) => Some(closing(bytes, i + 2, b'(', b')')),
        (b'{', Some(b'{')) => Some(
            bytes[i + 2..]
                .windows(2)
                .position(|w| w == b"}}")
                .map_or(bytes.len(), |p| i + 2 + p + 2),
        ),
        (b'$', Some(c)) if c.is_ascii_alphabetic() || c == b'_' => Some(
            bytes[i + 1..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                .map_or(bytes.len(), |p| i + 1 + p),
        ),
        _ => None,
    }
}

/// Index after the `close` that balances an already opened `open`.
fn closing(bytes: &[u8], from: usize, open: u8, close: u8) -> usize {
    let mut depth = 1usize;
    for (k, &b) in bytes.iter().enumerate().skip(from) {
        if b == open {
            depth += 1;
        } else if b == close {
            depth -= 1;
            if depth == 0 {
                return k + 1;
            }
        }
    }
    bytes.len()
}

/// Calls `visit` with every byte index in `r` that is outside placeholders;
/// stops when `visit` returns `true` and returns that index.
fn scan_outside(text: &str, r: Range<usize>, mut visit: impl FnMut(usize, u8) -> bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let end = r.end.min(bytes.len());
    let mut i = r.start;
    while i < end {
        if let Some(after) = placeholder_end(text, i) {
            i = after;
        } else if visit(i, bytes[i]) {
            return Some(i);
        } else {
            i += 1;
        }
    }
    None
}

/// First byte index in `r`, outside placeholders, whose byte matches `pred`.
/// Only ASCII bytes are ever matched, so the index is a char boundary.
fn find_outside(text: &str, r: Range<usize>, pred: impl Fn(u8) -> bool) -> Option<usize> {
    scan_outside(text, r, |_, b| b.is_ascii() && pred(b))
}

/// Every index of the ASCII byte `needle` in `r`, outside placeholders.
fn positions_outside(text: &str, r: Range<usize>, needle: u8) -> Vec<usize> {
    let mut found = Vec::new();
    scan_outside(text, r, |i, b| {
        if b == needle {
            found.push(i);
        }
        false
    });
    found
}

fn contains_placeholder(text: &str, r: Range<usize>) -> bool {
    let end = r.end.min(text.len());
    (r.start..end).any(|i| placeholder_end(text, i).is_some())
}

// ---------------------------------------------------------------------------
// Address helpers
// ---------------------------------------------------------------------------

/// An IPv6 literal without brackets, with an optional zone (`%eth0`, or the
/// URL-encoded `%25eth0`).
fn parse_ipv6_host(s: &str) -> Option<Ipv6Addr> {
    let addr = s.split_once('%').map_or(s, |(addr, _zone)| addr);
    addr.parse().ok()
}

/// IPv4 as `inet_aton` and the WHATWG URL parser read it: one to four parts
/// in decimal, octal (`0` prefix) or hex (`0x`), the last part filling the
/// remaining bytes (`127.1` is 127.0.0.1, `0` is 0.0.0.0). One trailing dot
/// is allowed.
fn parse_ipv4_loose(s: &str) -> Option<Ipv4Addr> {
    let s = s.strip_suffix('.').unwrap_or(s);
    let parts: Vec<u64> = s.split('.').map(parse_ipv4_part).collect::<Option<_>>()?;
    let (last, init) = parts.split_last()?;
    if init.len() > 3 || init.iter().any(|&p| p > 255) {
        return None;
    }
    let last_bits = 8 * (4 - init.len() as u32);
    if *last >= 1u64 << last_bits {
        return None;
    }
    let high = init
        .iter()
        .enumerate()
        .fold(0u64, |acc, (k, &p)| acc | (p << (24 - 8 * k as u32)));
    u32::try_from(high | last).ok().map(Ipv4Addr::from)
}

fn parse_ipv4_part(part: &str) -> Option<u64> {
    let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
        (hex, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    let valid = !digits.is_empty() && digits.len() <= 11 && digits.chars().all(|c| c.is_digit(radix));
    valid.then(|| u64::from_str_radix(digits, radix).ok()).flatten()
}

fn is_localhost(h: &str) -> bool {
    let h = h.strip_suffix('.').unwrap_or(h);
    ["localhost", "ip6-localhost", "ip6-loopback"]
        .iter()
        .any(|name| h.eq_ignore_ascii_case(name))
}

/// Letters (any script), digits, `-` and `_` in non-empty labels of at most
/// 63 bytes; at most 253 bytes; one trailing dot allowed.
fn is_valid_hostname(h: &str) -> bool {
    let h = h.strip_suffix('.').unwrap_or(h);
    let label_ok = |l: &str| {
        !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    !h.is_empty() && h.len() <= 253 && h.split('.').all(label_ok)
}

/// Whether the last label is numeric (digits or `0x` hex): such a name is an
/// IPv4 address or nothing (the WHATWG URL rule), never a hostname.
fn ends_in_number(h: &str) -> bool {
    let h = h.strip_suffix('.').unwrap_or(h);
    let last = h.rsplit('.').next().unwrap_or(h);
    let hex = last.strip_prefix("0x").or_else(|| last.strip_prefix("0X"));
    match hex {
        Some(digits) => digits.chars().all(|c| c.is_ascii_hexdigit()),
        None => !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()),
    }
}

#[cfg(test)]
mod tests;
