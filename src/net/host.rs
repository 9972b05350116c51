//! Host literals as resolvers and servers read them: IPv4 in every
//! `inet_aton` form, IPv6 with a zone, `localhost` and valid host names.

use std::net::{Ipv4Addr, Ipv6Addr};

/// An IPv6 literal without brackets, with an optional zone (`%eth0`, or the
/// URL-encoded `%25eth0`).
pub(super) fn parse_ipv6_host(s: &str) -> Option<Ipv6Addr> {
    let addr = s.split_once('%').map_or(s, |(addr, _zone)| addr);
    addr.parse().ok()
}

/// IPv4 as `inet_aton` and the WHATWG URL parser read it: one to four parts
/// in decimal, octal (`0` prefix) or hex (`0x`), the last part filling the
/// remaining bytes (`127.1` is 127.0.0.1, `0` is 0.0.0.0). One trailing dot
/// is allowed.
pub(super) fn parse_ipv4_loose(s: &str) -> Option<Ipv4Addr> {
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

pub(super) fn is_localhost(h: &str) -> bool {
    let h = h.strip_suffix('.').unwrap_or(h);
    ["localhost", "ip6-localhost", "ip6-loopback"]
        .iter()
        .any(|name| h.eq_ignore_ascii_case(name))
}

/// Letters (any script), digits, `-` and `_` in non-empty labels of at most
/// 63 bytes; at most 253 bytes; one trailing dot allowed.
pub(super) fn is_valid_hostname(h: &str) -> bool {
    let h = h.strip_suffix('.').unwrap_or(h);
    let label_ok = |l: &str| {
        !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    !h.is_empty() && h.len() <= 253 && h.split('.').all(label_ok)
}

/// Whether the last label is numeric (digits or `0x` hex): such a name is an
/// IPv4 address or nothing (the WHATWG URL rule), never a hostname.
pub(super) fn ends_in_number(h: &str) -> bool {
    let h = h.strip_suffix('.').unwrap_or(h);
    let last = h.rsplit('.').next().unwrap_or(h);
    let hex = last.strip_prefix("0x").or_else(|| last.strip_prefix("0X"));
    match hex {
        Some(digits) => digits.chars().all(|c| c.is_ascii_hexdigit()),
        None => !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()),
    }
}
