//! `cidrhost`, `cidrsubnet`, `cidrnetmask`, `cidrsubnets` for IPv4. IPv6 prefixes, and IPv4
//! spellings Terraform reads leniently (leading zeros), are left unknown.

use super::conversion::{integer_param, string_param};
use super::{not_evaluated, rejected, Cx, Result};
use crate::model::terraform::value::Value;

struct Prefix {
    network: u32,
    length: u32,
}

impl Prefix {
    fn hosts(&self) -> u64 {
        1u64 << (32 - self.length)
    }
}

fn parse(text: &str) -> Result<Prefix> {
    if text.contains(':') {
        return not_evaluated("IPv6 prefixes");
    }
    fn invalid<T>(text: &str) -> Result<T> {
        rejected(format!("invalid CIDR address: {text}"))
    }
    let Some((address, length)) = text.split_once('/') else {
        return invalid(text);
    };
    let number = |part: &str, max: u32| -> Result<u32> {
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return invalid(text);
        }
        if part.len() > 1 && part.starts_with('0') {
            return not_evaluated("a number with leading zeros in an address");
        }
        match part.parse::<u32>() {
            Ok(n) if n <= max => Ok(n),
            _ => invalid(text),
        }
    };
    let octets: Vec<&str> = address.split('.').collect();
    if octets.len() != 4 {
        return invalid(text);
    }
    let mut ip = 0u32;
    for octet in octets {
        ip = (ip << 8) | number(octet, 255)?;
    }
    let length = number(length, 32)?;
    Ok(Prefix {
        network: ip & mask(length),
        length,
    })
}

fn mask(length: u32) -> u32 {
    if length == 0 {
        0
    } else {
        u32::MAX << (32 - length)
    }
}

fn dotted(ip: u32) -> String {
    let [a, b, c, d] = ip.to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

pub(super) fn cidrhost(args: &[Value], cx: &Cx) -> Result<Value> {
    let prefix = parse(&string_param(&args[0])?)?;
    let hostnum = integer_param(&args[1])?;
    let size = prefix.hosts() as i64;
    let host = if hostnum < 0 { hostnum + size } else { hostnum };
    if !(0..size).contains(&host) {
        return rejected(format!(
            "prefix of {} does not accommodate a host numbered {hostnum}",
            prefix.length
        ));
    }
    Ok(cx.string(dotted(prefix.network + host as u32)))
}

pub(super) fn cidrsubnet(args: &[Value], cx: &Cx) -> Result<Value> {
    let prefix = parse(&string_param(&args[0])?)?;
    let newbits = integer_param(&args[1])?;
    let netnum = integer_param(&args[2])?;
    if newbits < 0 || netnum < 0 {
        return not_evaluated("a negative newbits or netnum");
    }
    let length = i64::from(prefix.length) + newbits;
    if length > 32 {
        return rejected(format!(
            "insufficient address space to extend prefix of {} by {newbits}",
            prefix.length
        ));
    }
    if netnum >= 1i64 << newbits {
        return rejected(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        ));
    }
    let subnet = prefix.network | ((netnum as u64) << (32 - length)) as u32;
    Ok(cx.string(format!("{}/{length}", dotted(subnet))))
}

pub(super) fn cidrnetmask(args: &[Value], cx: &Cx) -> Result<Value> {
    let prefix = parse(&string_param(&args[0])?)?;
    Ok(cx.string(dotted(mask(prefix.length))))
}

/// Consecutive subnets, each after the previous one and aligned to its own size.
pub(super) fn cidrsubnets(args: &[Value], cx: &Cx) -> Result<Value> {
    let prefix = parse(&string_param(&args[0])?)?;
    let end = u64::from(prefix.network) + prefix.hosts();
    let mut next = u64::from(prefix.network);
    let mut out = Vec::new();
    for arg in &args[1..] {
        let newbits = integer_param(arg)?;
        if newbits < 1 {
            return not_evaluated("newbits below 1");
        }
        let length = i64::from(prefix.length) + newbits;
        if length > 32 {
            return rejected(format!("would extend prefix to {length} bits, which is too long"));
        }
        let size = 1u64 << (32 - length);
        let start = next.div_ceil(size) * size;
        if start + size > end {
            return rejected("not enough remaining address space for a subnet");
        }
        out.push(cx.string(format!("{}/{length}", dotted(start as u32))));
        next = start + size;
    }
    Ok(cx.list(out))
}
