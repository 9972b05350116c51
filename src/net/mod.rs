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
mod tests {
    use super::*;
    use AllInterfacesSpelling as Spelling;

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

    // ----- listen addresses -------------------------------------------------

    #[test]
    fn listen_ipv4_unspecified_with_port_is_all_interfaces() {
        let text = "0.0.0.0:8080";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv4Unspecified));
        assert_eq!(at(text, &addr.host), "0.0.0.0");
        assert_eq!(port_text(text, &addr), "8080");
        assert_eq!(addr.port.unwrap().number(), Some(8080));
    }

    #[test]
    fn listen_ipv4_unspecified_without_port_is_all_interfaces() {
        let text = "0.0.0.0";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv4Unspecified));
        assert_eq!(at(text, &addr.host), "0.0.0.0");
        assert_eq!(addr.port, None);
    }

    #[test]
    fn listen_empty_host_before_port_is_all_interfaces() {
        let text = ":8080";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::EmptyHost));
        assert_eq!(addr.host, 0..0);
        assert_eq!(port_text(text, &addr), "8080");
    }

    #[test]
    fn listen_bare_port_is_port_only_with_insertion_point() {
        let text = "8080";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::PortOnly);
        assert_eq!(addr.host, 0..0);
        assert_eq!(port_text(text, &addr), "8080");
        assert_eq!(addr.port.unwrap().value, PortValue::Number(8080));
    }

    #[test]
    fn listen_loopback_forms() {
        for text in [
            "127.0.0.1:8080",
            "127.0.0.53:53",
            "localhost:8080",
            "LOCALHOST:1",
            "localhost.:80",
        ] {
            let addr = parse_listen_address(text);
            assert_eq!(addr.class, ListenClass::Loopback, "{text}");
            let colon = text.rfind(':').unwrap();
            assert_eq!(addr.host, 0..colon, "{text}");
        }
    }

    #[test]
    fn listen_bracketed_ipv6_unspecified_range_includes_brackets() {
        let text = "[::]:8080";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv6Unspecified));
        assert_eq!(at(text, &addr.host), "[::]");
        assert_eq!(port_text(text, &addr), "8080");
        let mut fixed = text.to_string();
        fixed.replace_range(addr.host, "127.0.0.1");
        assert_eq!(fixed, "127.0.0.1:8080");
    }

    #[test]
    fn listen_bracketed_ipv6_loopback() {
        let text = "[::1]:8080";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::Loopback);
        assert_eq!(at(text, &addr.host), "[::1]");
        assert_eq!(port_text(text, &addr), "8080");
    }

    #[test]
    fn listen_unbracketed_ipv6_without_port() {
        let unspecified = parse_listen_address("::");
        assert_eq!(
            unspecified.class,
            ListenClass::AllInterfaces(Spelling::Ipv6Unspecified)
        );
        assert_eq!(unspecified.host, 0..2);
        assert_eq!(unspecified.port, None);
        let loopback = parse_listen_address("::1");
        assert_eq!(loopback.class, ListenClass::Loopback);
        assert_eq!(loopback.port, None);
    }

    #[test]
    fn listen_triple_colon_reads_as_ipv6_unspecified_and_port() {
        let text = ":::8080";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv6Unspecified));
        assert_eq!(at(text, &addr.host), "::");
        assert_eq!(port_text(text, &addr), "8080");
    }

    #[test]
    fn listen_ipv4_mapped_forms() {
        let mapped_zero = parse_listen_address("::ffff:0.0.0.0");
        assert_eq!(
            mapped_zero.class,
            ListenClass::AllInterfaces(Spelling::Ipv4MappedUnspecified)
        );
        assert_eq!(mapped_zero.port, None);
        let text = "[::ffff:0.0.0.0]:80";
        let bracketed = parse_listen_address(text);
        assert_eq!(
            bracketed.class,
            ListenClass::AllInterfaces(Spelling::Ipv4MappedUnspecified)
        );
        assert_eq!(at(text, &bracketed.host), "[::ffff:0.0.0.0]");
        assert_eq!(
            parse_listen_address("[::ffff:127.0.0.1]").class,
            ListenClass::Loopback
        );
        assert_eq!(
            parse_listen_address("[::ffff:10.0.0.1]:80").class,
            ListenClass::SpecificAddress
        );
    }

    #[test]
    fn listen_star_and_plus_are_wildcards() {
        for text in ["*:8080", "+:80", "http://*:5000", "http://+:80/"] {
            let addr = parse_listen_address(text);
            assert_eq!(
                addr.class,
                ListenClass::AllInterfaces(Spelling::Wildcard),
                "{text}"
            );
            assert!(matches!(at(text, &addr.host), "*" | "+"), "{text}");
        }
    }

    #[test]
    fn listen_scheme_prefix_is_skipped_with_exact_host_range() {
        let text = "tcp://0.0.0.0:5000";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv4Unspecified));
        assert_eq!(addr.host, 6..13);
        assert_eq!(at(text, &addr.host), "0.0.0.0");
        assert_eq!(port_text(text, &addr), "5000");
        let kestrel = "http://[::]:8080/";
        let addr = parse_listen_address(kestrel);
        assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv6Unspecified));
        assert_eq!(port_text(kestrel, &addr), "8080");
    }

    #[test]
    fn listen_unix_socket_is_not_a_network_bind() {
        for (text, path) in [
            ("unix:/tmp/sock", "/tmp/sock"),
            ("unix:///run/app.sock", "/run/app.sock"),
            ("UNIX:app.sock", "app.sock"),
            ("/run/gunicorn.sock", "/run/gunicorn.sock"),
        ] {
            let addr = parse_listen_address(text);
            assert_eq!(addr.class, ListenClass::Unix, "{text}");
            assert_eq!(at(text, &addr.host), path);
            assert_eq!(addr.port, None);
        }
    }

    #[test]
    fn listen_inherited_socket_is_unknown() {
        assert_eq!(parse_listen_address("fd://3").class, ListenClass::Unknown);
    }

    #[test]
    fn listen_placeholder_host_is_unknown() {
        let whole = "$BIND_ADDRESS";
        let addr = parse_listen_address(whole);
        assert_eq!(addr.class, ListenClass::Unknown);
        assert_eq!(at(whole, &addr.host), whole);
        assert_eq!(addr.port, None);

        let text = "${HOST}:8080";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::Unknown);
        assert_eq!(at(text, &addr.host), "${HOST}");
        assert_eq!(addr.port.unwrap().value, PortValue::Number(8080));

        let default = "${HOST:-0.0.0.0}:8080";
        let addr = parse_listen_address(default);
        assert_eq!(addr.class, ListenClass::Unknown);
        assert_eq!(at(default, &addr.host), "${HOST:-0.0.0.0}");
        assert_eq!(port_text(default, &addr), "8080");
    }

    #[test]
    fn listen_placeholder_port_keeps_host_class() {
        let text = "0.0.0.0:$PORT";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv4Unspecified));
        assert_eq!(port_text(text, &addr), "$PORT");
        assert_eq!(addr.port.unwrap().value, PortValue::Unknown);
        let braces = "127.0.0.1:${var.port}";
        let addr = parse_listen_address(braces);
        assert_eq!(addr.class, ListenClass::Loopback);
        assert_eq!(port_text(braces, &addr), "${var.port}");
    }

    #[test]
    fn listen_hostname_starting_with_zeros_is_not_all_interfaces() {
        let text = "0.0.0.0.example.com:80";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::Hostname);
        assert_eq!(at(text, &addr.host), "0.0.0.0.example.com");
    }

    #[test]
    fn listen_zero_shorthand_is_all_interfaces() {
        let text = "0:8080";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::AllInterfaces(Spelling::Ipv4Shorthand));
        assert_eq!(at(text, &addr.host), "0");
        assert_eq!(
            parse_listen_address("0.0:80").class,
            ListenClass::AllInterfaces(Spelling::Ipv4Shorthand)
        );
        assert_eq!(parse_listen_address("127.1:80").class, ListenClass::Loopback);
    }

    #[test]
    fn listen_private_ip_is_specific_address() {
        let text = "10.0.1.5:8080";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::SpecificAddress);
        assert_eq!(at(text, &addr.host), "10.0.1.5");
        assert_eq!(
            parse_listen_address("[fe80::1%eth0]:80").class,
            ListenClass::SpecificAddress
        );
    }

    #[test]
    fn listen_hostname_is_hostname() {
        let addr = parse_listen_address("myhost:8080");
        assert_eq!(addr.class, ListenClass::Hostname);
        assert_eq!(addr.host, 0..6);
    }

    #[test]
    fn listen_invalid_inputs() {
        for text in [
            "",
            "   ",
            "[::1",
            "[::1]x",
            "1.2.3.4.5:80",
            "a b:80",
            "1:2:3",
            "[zz]:80",
        ] {
            assert_eq!(parse_listen_address(text).class, ListenClass::Invalid, "{text:?}");
        }
    }

    #[test]
    fn listen_bad_port_is_invalid_port_not_invalid_host() {
        let text = "127.0.0.1:99999";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::Loopback);
        assert_eq!(addr.port.as_ref().unwrap().value, PortValue::Invalid);
        assert_eq!(port_text(text, &addr), "99999");
        let empty = parse_listen_address("0.0.0.0:");
        assert_eq!(empty.port.unwrap().value, PortValue::Invalid);
    }

    #[test]
    fn listen_surrounding_whitespace_keeps_ranges_in_input() {
        let text = "  0.0.0.0:80 \n";
        let addr = parse_listen_address(text);
        assert_eq!(addr.host, 2..9);
        assert_eq!(at(text, &addr.host), "0.0.0.0");
        assert_eq!(port_text(text, &addr), "80");
    }

    #[test]
    fn listen_non_ascii_hostname_ranges_are_char_boundaries() {
        let text = "bücher:80";
        let addr = parse_listen_address(text);
        assert_eq!(addr.class, ListenClass::Hostname);
        assert_eq!(at(text, &addr.host), "bücher");
        assert_eq!(port_text(text, &addr), "80");
    }

    #[test]
    fn listen_host_helper_classifies_separate_host_arguments() {
        let cases = [
            ("0.0.0.0", ListenClass::AllInterfaces(Spelling::Ipv4Unspecified)),
            ("::", ListenClass::AllInterfaces(Spelling::Ipv6Unspecified)),
            ("[::]", ListenClass::AllInterfaces(Spelling::Ipv6Unspecified)),
            ("", ListenClass::AllInterfaces(Spelling::EmptyHost)),
            (" 0.0.0.0 ", ListenClass::AllInterfaces(Spelling::Ipv4Unspecified)),
            ("*", ListenClass::AllInterfaces(Spelling::Wildcard)),
            ("127.0.0.1", ListenClass::Loopback),
            ("::1", ListenClass::Loopback),
            ("localhost", ListenClass::Loopback),
            ("10.1.2.3", ListenClass::SpecificAddress),
            ("web", ListenClass::Hostname),
            ("${var.host}", ListenClass::Unknown),
            ("os.environ", ListenClass::Hostname),
            ("0.0.0.0:80", ListenClass::Invalid),
        ];
        for (host, want) in cases {
            assert_eq!(classify_listen_host(host), want, "{host:?}");
        }
    }

    #[test]
    fn all_interfaces_spelling_describes_itself() {
        assert_eq!(Spelling::Ipv4Unspecified.describe(), "0.0.0.0");
        assert_eq!(Spelling::Ipv6Unspecified.describe(), "::");
        assert_eq!(Spelling::EmptyHost.describe(), "an empty host");
        assert_ne!(Spelling::Wildcard.describe(), Spelling::Ipv4Shorthand.describe());
        assert_eq!(Spelling::Ipv4MappedUnspecified.describe(), "::ffff:0.0.0.0");
    }

    // ----- URLs --------------------------------------------------------------

    #[test]
    fn url_localhost_with_port_and_no_path() {
        let text = "http://localhost:8080";
        let url = only_url(text);
        assert_eq!(url.range, 0..text.len());
        assert_eq!(url.scheme, Some(Scheme::Http));
        assert_eq!(url.host_class, HostClass::Loopback);
        assert_eq!(at(text, &url.host), "localhost");
        assert_eq!(at(text, &url.port.as_ref().unwrap().range), "8080");
        assert_eq!(url.effective_port(), Some(8080));
        assert_eq!(url.path, text.len()..text.len());
        assert_eq!(url.userinfo, None);
    }

    #[test]
    fn url_path_query_and_fragment_range() {
        let text = "http://backend:8080/api/v1?x=1&y=2#top";
        let url = only_url(text);
        assert_eq!(at(text, &url.path), "/api/v1?x=1&y=2#top");
        assert_eq!(url.host_class, HostClass::BareName);
        assert_eq!(at(text, &url.host), "backend");
        let query_only = "http://backend?x=1";
        let url = only_url(query_only);
        assert_eq!(at(query_only, &url.host), "backend");
        assert_eq!(at(query_only, &url.path), "?x=1");
    }

    #[test]
    fn url_scheme_default_port_is_derived_not_substituted() {
        let url = only_url("https://api.example.com/v1");
        assert_eq!(url.port, None);
        assert_eq!(url.effective_port(), Some(443));
        assert_eq!(url.host_class, HostClass::Fqdn);
        assert_eq!(only_url("grpc://backend:9000").effective_port(), Some(9000));
        assert_eq!(only_url("grpc://backend").effective_port(), None);
        assert_eq!(only_url("ws://backend").effective_port(), Some(80));
    }

    #[test]
    fn url_every_supported_scheme_is_found() {
        let text = "http://a:81 https://a:82 grpc://a:83 grpcs://a:84 ws://a:85 wss://a:86 tcp://a:87";
        let schemes: Vec<_> = find_urls(text).iter().map(|u| u.scheme.unwrap()).collect();
        assert_eq!(
            schemes,
            [
                Scheme::Http,
                Scheme::Https,
                Scheme::Grpc,
                Scheme::Grpcs,
                Scheme::Ws,
                Scheme::Wss,
                Scheme::Tcp
            ]
        );
    }

    #[test]
    fn url_scheme_is_case_insensitive() {
        let text = "HTTPS://Backend/";
        let url = only_url(text);
        assert_eq!(url.scheme, Some(Scheme::Https));
        assert_eq!(at(text, &url.host), "Backend");
        assert_eq!(url.host_class, HostClass::BareName);
    }

    #[test]
    fn url_other_schemes_are_ignored() {
        for text in [
            "ftp://backend:2121/x",
            "file:///etc/hosts",
            "mailto:a@b",
            "postgres://db:5432/app",
        ] {
            assert_eq!(find_urls(text), Vec::<UrlRef>::new(), "{text}");
        }
    }

    #[test]
    fn url_comma_separated_list_yields_each_url() {
        let text = "http://localhost:1234,http://localhost:1235";
        let urls = find_urls(text);
        assert_eq!(urls.len(), 2);
        assert_eq!(at(text, &urls[0].range), "http://localhost:1234");
        assert_eq!(at(text, &urls[1].range), "http://localhost:1235");
        assert_eq!(urls[0].effective_port(), Some(1234));
        assert_eq!(urls[1].effective_port(), Some(1235));
        assert_eq!(at(text, &urls[1].port.as_ref().unwrap().range), "1235");
    }

    #[test]
    fn url_list_inside_hcl_line_stops_at_quotes() {
        let text = r#"UPSTREAM_URIS = "http://localhost:1234, http://backend:8080/x""#;
        let urls = find_urls(text);
        assert_eq!(urls.len(), 2);
        assert_eq!(at(text, &urls[0].range), "http://localhost:1234");
        assert_eq!(at(text, &urls[1].range), "http://backend:8080/x");
        assert_eq!(urls[1].host_class, HostClass::BareName);
    }

    #[test]
    fn url_space_and_semicolon_separated_lists() {
        let text = "http://a:1 https://b.service.consul;ws://[::1]:9";
        let urls = find_urls(text);
        let found: Vec<_> = urls.iter().map(|u| at(text, &u.range)).collect();
        assert_eq!(found, ["http://a:1", "https://b.service.consul", "ws://[::1]:9"]);
    }

    #[test]
    fn url_comma_in_query_ends_the_url() {
        let text = "http://a/?ids=1,2";
        let url = only_url(text);
        assert_eq!(at(text, &url.range), "http://a/?ids=1");
    }

    #[test]
    fn url_nested_url_in_query_is_part_of_the_outer_one() {
        let text = "http://a/login?next=http://b/";
        let url = only_url(text);
        assert_eq!(url.range, 0..text.len());
    }

    #[test]
    fn url_userinfo_is_separated_from_host() {
        let text = "http://user:pass@host:80/";
        let url = only_url(text);
        assert_eq!(at(text, url.userinfo.as_ref().unwrap()), "user:pass");
        assert_eq!(at(text, &url.host), "host");
        assert_eq!(at(text, &url.port.as_ref().unwrap().range), "80");
        assert_eq!(at(text, &url.path), "/");
        let at_in_password = "http://u:p@ss@backend:8080";
        let url = only_url(at_in_password);
        assert_eq!(at(at_in_password, url.userinfo.as_ref().unwrap()), "u:p@ss");
        assert_eq!(at(at_in_password, &url.host), "backend");
    }

    #[test]
    fn url_ipv6_literal_hosts() {
        let text = "http://[::1]:9090/x";
        let url = only_url(text);
        assert_eq!(at(text, &url.host), "[::1]");
        assert_eq!(url.host_class, HostClass::Loopback);
        assert_eq!(url.effective_port(), Some(9090));
        assert_eq!(at(text, &url.path), "/x");
        assert_eq!(only_url("http://[::]:80").host_class, HostClass::AllInterfaces);
        assert_eq!(
            only_url("http://[::ffff:127.0.0.1]/").host_class,
            HostClass::Loopback
        );
        assert_eq!(
            only_url("http://[fe80::1%25eth0]:80").host_class,
            HostClass::IpAddress
        );
        assert_eq!(only_url("http://[2001:db8::1]").host_class, HostClass::IpAddress);
        assert_eq!(only_url("http://[::1/x").host_class, HostClass::Invalid);
    }

    #[test]
    fn url_ipv4_hosts() {
        assert_eq!(only_url("http://127.0.0.1:8080").host_class, HostClass::Loopback);
        assert_eq!(only_url("http://10.0.0.7:8080").host_class, HostClass::IpAddress);
        assert_eq!(
            only_url("http://0.0.0.0:8080").host_class,
            HostClass::AllInterfaces
        );
        assert_eq!(
            only_url("http://169.254.170.2/v2").host_class,
            HostClass::IpAddress
        );
    }

    #[test]
    fn url_trailing_punctuation_is_not_part_of_the_url() {
        let cases = [
            ("see http://backend:8080/path.", "http://backend:8080/path"),
            ("(http://backend:8080)", "http://backend:8080"),
            ("call http://backend:8080, then", "http://backend:8080"),
            ("<http://backend/>", "http://backend/"),
            ("go to http://backend!", "http://backend"),
            ("at http://localhost:9090:", "http://localhost:9090"),
            ("[http://backend]", "http://backend"),
            ("http://x/wiki/A_(b)", "http://x/wiki/A_(b)"),
            ("'http://backend:80'", "http://backend:80"),
        ];
        for (text, want) in cases {
            let url = only_url(text);
            assert_eq!(at(text, &url.range), want, "{text}");
        }
    }

    #[test]
    fn url_not_detected_inside_words() {
        assert!(find_urls("notahttp://backend:8080").is_empty());
        assert!(find_urls("xhttps://backend:8080").is_empty());
        assert!(find_urls("my_http://backend:8080").is_empty());
        let text = "url=http://backend:8080";
        assert_eq!(at(text, &only_url(text).range), "http://backend:8080");
    }

    #[test]
    fn url_empty_authority_is_skipped() {
        assert!(find_urls("http://").is_empty());
        assert!(find_urls("use http:// or https://").is_empty());
        assert!(find_urls("http:///path").is_empty());
    }

    #[test]
    fn url_empty_host_is_invalid_host() {
        let text = "http://:8080/";
        let url = only_url(text);
        assert_eq!(url.host, 7..7);
        assert_eq!(url.host_class, HostClass::Invalid);
        assert_eq!(url.effective_port(), Some(8080));
    }

    #[test]
    fn url_template_host_is_unknown() {
        let text = "http://${var.host}:8080/x";
        let url = only_url(text);
        assert_eq!(url.host_class, HostClass::Unknown);
        assert_eq!(at(text, &url.host), "${var.host}");
        assert_eq!(url.effective_port(), Some(8080));
        assert_eq!(
            only_url("http://api.${var.domain}").host_class,
            HostClass::Unknown
        );
        assert_eq!(only_url("http://$HOST:80").host_class, HostClass::Unknown);
        assert_eq!(
            only_url("http://{{ .Env.HOST }}:80").host_class,
            HostClass::Unknown
        );
    }

    #[test]
    fn url_template_port_is_unknown() {
        let text = "http://backend:${var.port}/x";
        let url = only_url(text);
        let port = url.port.as_ref().unwrap();
        assert_eq!(port.value, PortValue::Unknown);
        assert_eq!(at(text, &port.range), "${var.port}");
        assert_eq!(url.effective_port(), None);
        assert_eq!(at(text, &url.path), "/x");
        assert_eq!(url.host_class, HostClass::BareName);
    }

    #[test]
    fn url_template_with_spaces_and_colons_stays_one_url() {
        let text = r#"http://${ var.tls ? "a:1" : "b" }/x, next"#;
        let url = only_url(text);
        assert_eq!(at(text, &url.range), r#"http://${ var.tls ? "a:1" : "b" }/x"#);
        assert_eq!(url.host_class, HostClass::Unknown);
        assert_eq!(url.port, None);
    }

    #[test]
    fn url_invalid_port_is_reported_invalid() {
        let url = only_url("http://backend:99999/");
        assert_eq!(url.port.as_ref().unwrap().value, PortValue::Invalid);
        assert_eq!(url.effective_port(), None);
    }

    #[test]
    fn url_ranges_are_byte_offsets_after_unicode() {
        let text = "→ 日本語 http://backend:8080/ü?q=ä and more";
        let url = only_url(text);
        assert_eq!(at(text, &url.range), "http://backend:8080/ü?q=ä");
        assert_eq!(at(text, &url.host), "backend");
        assert_eq!(at(text, &url.path), "/ü?q=ä");
        assert_eq!(url.range.start, "→ 日本語 ".len());
    }

    #[test]
    fn url_glued_to_non_ascii_text_is_found_and_ends_at_cjk_punctuation() {
        let text = "配置http://backend:8080。";
        let url = only_url(text);
        assert_eq!(at(text, &url.range), "http://backend:8080");
        assert_eq!(url.host_class, HostClass::BareName);
    }

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

    #[test]
    fn url_host_classes() {
        let cases = [
            ("backend", HostClass::BareName),
            ("consul", HostClass::BareName),
            ("api.example.com", HostClass::Fqdn),
            ("backend.example.consul.io", HostClass::Fqdn),
            ("localhost", HostClass::Loopback),
            ("127.0.0.2", HostClass::Loopback),
            ("2130706433", HostClass::Loopback),
            ("0.0.0.0", HostClass::AllInterfaces),
            ("0.0.0.0.example.com", HostClass::Fqdn),
            ("10.1.2.3", HostClass::IpAddress),
            ("[::1]", HostClass::Loopback),
            ("${var.host}", HostClass::Unknown),
            ("", HostClass::Invalid),
            ("bad host", HostClass::Invalid),
            ("1.2.3.4.5", HostClass::Invalid),
            ("a..b", HostClass::Invalid),
        ];
        for (host, want) in cases {
            assert_eq!(classify_url_host(host), want, "{host:?}");
        }
    }

    // ----- bare host:port ----------------------------------------------------

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

    // ----- replacement -------------------------------------------------------

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

    #[test]
    fn scheme_helpers() {
        assert_eq!(Scheme::parse("GrPc"), Some(Scheme::Grpc));
        assert_eq!(Scheme::parse("ftp"), None);
        assert!(Scheme::Https.is_tls());
        assert!(!Scheme::Tcp.is_tls());
        assert_eq!(Scheme::Tcp.plaintext(), Scheme::Tcp);
        assert_eq!(Scheme::Wss.default_port(), Some(443));
    }

    // ----- robustness ---------------------------------------------------------

    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// URL-ish fragments, separated by `|`, that the generator glues together.
    const PIECES: &str = "h|t|p|s|:|/|//|[|]|@|$|{|}|${|%{|{{|}}|$(|)|(|.|,|;| |\t|0|1|8|9|a|z|-|_|%|?|#|*|+|\"|'|é|日|→|。|localhost|http://|https://|tcp://|unix:|consul|service|virtual|::|::ffff:|0.0.0.0|127.0.0.1|backend|:8080";

    fn random_text(rng: &mut XorShift, pieces: &[&str]) -> String {
        let len = rng.below(24);
        (0..len).map(|_| pieces[rng.below(pieces.len())]).collect()
    }

    fn assert_slices(text: &str, r: &Range<usize>, what: &str) {
        assert!(r.start <= r.end, "{what} {r:?} reversed in {text:?}");
        assert!(
            text.get(r.clone()).is_some(),
            "{what} {r:?} does not slice {text:?}"
        );
    }

    fn check_listen(text: &str) -> ListenClass {
        let addr = parse_listen_address(text);
        assert_slices(text, &addr.host, "listen host");
        if let Some(port) = &addr.port {
            assert_slices(text, &port.range, "listen port");
            assert!(port.range.start >= addr.host.end, "port before host in {text:?}");
        }
        let _ = classify_listen_host(text);
        addr.class
    }

    fn check_urls(text: &str) -> usize {
        let urls = find_urls(text);
        let mut previous_end = 0;
        for url in &urls {
            assert_slices(text, &url.range, "url");
            assert!(url.range.start >= previous_end, "overlapping URLs in {text:?}");
            previous_end = url.range.end;
            let inside = |r: &Range<usize>| url.range.start <= r.start && r.end <= url.range.end;
            for (r, what) in [(&url.host, "host"), (&url.path, "path")] {
                assert_slices(text, r, what);
                assert!(inside(r), "{what} outside URL in {text:?}");
            }
            if let Some(r) = &url.userinfo {
                assert!(inside(r) && text.get(r.clone()).is_some(), "userinfo in {text:?}");
            }
            if let Some(port) = &url.port {
                assert!(
                    inside(&port.range) && text.get(port.range.clone()).is_some(),
                    "port in {text:?}"
                );
            }
            if let HostClass::ConsulDns(name) = &url.host_class {
                assert_slices(text, &name.service, "consul service");
                assert!(inside(&name.service));
            }
            let _ = sidecar_replacement(text, url, 1234, ReplacementScheme::Plaintext);
        }
        let _ = classify_url_host(text);
        urls.len()
    }

    #[test]
    fn pathological_inputs_are_scanned_in_linear_time() {
        let started = std::time::Instant::now();
        let empty_authorities = "http:///".repeat(25_000);
        assert!(find_urls(&empty_authorities).is_empty());
        let closers = format!("http://backend{}", ")".repeat(200_000));
        assert_eq!(at(&closers, &only_url(&closers).range), "http://backend");
        let open_templates = "${".repeat(100_000);
        assert_eq!(parse_listen_address(&open_templates).class, ListenClass::Unknown);
        assert!(find_urls(&open_templates).is_empty());
        let colons = "a:".repeat(100_000);
        assert_eq!(parse_listen_address(&colons).class, ListenClass::Invalid);
        let list = "http://localhost:1234,".repeat(20_000);
        assert_eq!(find_urls(&list).len(), 20_000);
        let bare_list = "backend:8080 ".repeat(20_000);
        assert_eq!(find_urls(&bare_list).len(), 20_000);
        let unknown_schemes = "ftp://x ".repeat(25_000);
        assert!(find_urls(&unknown_schemes).is_empty());
        // Generous: linear scans take milliseconds, quadratic ones minutes.
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
    }

    #[test]
    fn random_urlish_strings_never_panic_and_ranges_slice_the_input() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let mut urls_found = 0;
        let mut all_interfaces = 0;
        let mut unknown = 0;
        let pieces: Vec<&str> = PIECES.split('|').collect();
        for _ in 0..4000 {
            let text = random_text(&mut rng, &pieces);
            urls_found += check_urls(&text);
            match check_listen(&text) {
                ListenClass::AllInterfaces(_) => all_interfaces += 1,
                ListenClass::Unknown => unknown += 1,
                _ => {}
            }
        }
        // The generator must actually exercise the parsers.
        assert!(urls_found > 200, "only {urls_found} URLs found");
        assert!(
            all_interfaces > 20,
            "only {all_interfaces} all-interfaces addresses"
        );
        assert!(unknown > 20, "only {unknown} unknown addresses");
    }
}
