//! URL-like references an app calls (`http://backend:8080/x`), found in free
//! text such as an environment variable value, with what their host means for
//! a call made from inside the mesh.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;

use super::bare_address::find_bare_addresses;
use super::consul_dns::{consul_name, split_labels, ConsulDnsName};
use super::host::{ends_in_number, is_localhost, is_valid_hostname, parse_ipv4_loose, parse_ipv6_host};
use super::keyword_address::find_keyword_address;
use super::port::{parse_port, Port};
use super::scheme::Scheme;
use super::span::{contains_placeholder, find_outside, placeholder_end, positions_outside, slice};

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
    /// How the address is written, which decides how it can be rewritten.
    pub form: AddressForm,
}

/// How an address is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressForm {
    /// `scheme://host:port/path`, or a bare `host:port[/path]`: one piece of text that
    /// [`super::sidecar_replacement`] can rewrite as a whole.
    Url,
    /// Host and port under keywords of a connection string (`host=db port=5432`,
    /// `Server=db,1433`): `range` runs from the first to the last of them, with other
    /// keywords possibly between, so only the host and port ranges may be rewritten.
    Keywords,
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
    ///
    /// Boxed: the name's parts are large and most hosts are not Consul names.
    ///
    /// [`ConsulKind::Virtual`]: super::ConsulKind::Virtual
    ConsulDns(Box<ConsulDnsName>),
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

/// Finds every URL-like reference in a string such as an environment
/// variable value, a string literal or a line of text.
///
/// * Scheme URLs ([`Scheme`]: `http`, `grpc`, `redis`, `postgres`, …, any
///   ASCII case) anywhere in the text; a JDBC URL by its inner scheme
///   (`jdbc:postgresql://db:5432/x` is found from `postgresql`). The scheme must not be glued to a
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
/// * When there is neither, a keyword/value connection string that names one
///   host and one port (`host=localhost port=5432 user=app`,
///   `Server=db,1433;Database=x`) gives one reference of form
///   [`AddressForm::Keywords`].
/// * A reference with an empty authority (`http://`, `http:///x`) is skipped.
pub fn find_urls(text: &str) -> Vec<UrlRef> {
    let found = find_scheme_urls(text);
    if !found.is_empty() {
        return found;
    }
    let bare = find_bare_addresses(text);
    if !bare.is_empty() {
        return bare;
    }
    find_keyword_address(text).into_iter().collect()
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
    let limit = sep.saturating_sub(Scheme::LONGEST + 1);
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
pub(super) fn parse_url(
    text: &str,
    range: Range<usize>,
    authority: usize,
    scheme: Option<Scheme>,
) -> Option<UrlRef> {
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
        form: AddressForm::Url,
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

pub(super) fn host_class_at(text: &str, r: Range<usize>) -> HostClass {
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
        return consul_name(text, &labels)
            .map_or(HostClass::Unknown, |name| HostClass::ConsulDns(Box::new(name)));
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
        Some(name) => HostClass::ConsulDns(Box::new(name)),
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
