//! Ports as written after a host: a number, a placeholder, or text no
//! client accepts.

use std::ops::Range;

use super::span::{contains_placeholder, slice};

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

pub(super) fn parse_port(text: &str, range: Range<usize>) -> Port {
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
