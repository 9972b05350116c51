//! Keyword/value connection strings: libpq's `host=localhost port=5432 user=postgres`
//! (HashiCups passes its database this way), Npgsql's `Host=localhost;Port=5432;…` and the
//! `Server=localhost,1433;…` form of SQL Server drivers. Read only when a value holds no
//! URL and no bare `host:port`.

use std::ops::Range;

use super::port::parse_port;
use super::span::{slice, split_outside};
use super::url::{host_class_at, AddressForm, UrlRef};

/// Keys that name the server to connect to.
const HOST_KEYS: [&str; 4] = ["host", "hostname", "server", "address"];

/// The one server a keyword/value string connects to, with its port: `None` unless the text
/// names exactly one host and one port (`port=` or `Server=host,port`). A list of hosts
/// (libpq's `host=a,b`) is left alone: which one answers is decided at run time.
pub(super) fn find_keyword_address(text: &str) -> Option<UrlRef> {
    if !text.contains('=') {
        return None;
    }
    let mut host: Option<(Range<usize>, Range<usize>)> = None;
    let mut port: Option<(Range<usize>, Range<usize>)> = None;
    for item in split_words(text) {
        let Some((key, value)) = key_value(text, item.clone()) else {
            continue;
        };
        let key = key.to_ascii_lowercase();
        let slot = if HOST_KEYS.contains(&key.as_str()) {
            &mut host
        } else if key == "port" {
            &mut port
        } else {
            continue;
        };
        if slot.is_some() {
            // Said twice: not one server.
            return None;
        }
        *slot = Some((item, value));
    }
    let (host_item, mut host_value) = host?;
    // SQL Server: `Server=tcp:db,1433`.
    if slice(text, &host_value).to_ascii_lowercase().starts_with("tcp:") {
        host_value.start += "tcp:".len();
    }
    let comma = slice(text, &host_value).find(',').map(|c| host_value.start + c);
    let (host_value, port_item, port_value) = match (comma, port) {
        (Some(c), None) => (host_value.start..c, host_item.clone(), c + 1..host_value.end),
        (None, Some((item, value))) => (host_value, item, value),
        _ => return None,
    };
    if host_value.is_empty() || port_value.is_empty() {
        return None;
    }
    let range = host_item.start.min(port_item.start)..host_item.end.max(port_item.end);
    Some(UrlRef {
        scheme: None,
        userinfo: None,
        host_class: host_class_at(text, host_value.clone()),
        host: host_value,
        port: Some(parse_port(text, port_value)),
        path: range.end..range.end,
        range,
        form: AddressForm::Keywords,
    })
}

/// Ranges of the words of `text`, split at whitespace and `;` (not at `,`, which belongs to
/// SQL Server's `host,port` and libpq's host lists), placeholders kept whole.
fn split_words(text: &str) -> Vec<Range<usize>> {
    split_outside(text, |c| c.is_whitespace() || c == ';')
}

/// `key=value` in one word, with the value's range without the single quotes libpq accepts
/// around it. (libpq also allows spaces around `=`; that spelling is not read.)
fn key_value(text: &str, item: Range<usize>) -> Option<(&str, Range<usize>)> {
    let word = slice(text, &item);
    let eq = word.find('=')?;
    let key = &word[..eq];
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let mut value = item.start + eq + 1..item.end;
    let quoted = slice(text, &value);
    if quoted.len() >= 2 && quoted.starts_with('\'') && quoted.ends_with('\'') {
        value = value.start + 1..value.end - 1;
    }
    Some((key, value))
}
