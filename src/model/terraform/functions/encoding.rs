//! `jsonencode`, `jsondecode`, `base64encode`, `base64decode`.

use super::conversion::string_param;
use super::{json, rejected, Cx, Result};
use crate::model::terraform::value::Value;

pub(super) fn jsonencode(args: &[Value], cx: &Cx) -> Result<Value> {
    let mut out = String::new();
    json::encode(&args[0], &mut out)?;
    Ok(cx.string(out))
}

pub(super) fn jsondecode(args: &[Value], cx: &Cx) -> Result<Value> {
    json::decode(&string_param(&args[0])?, cx)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 of the string's UTF-8 bytes, padded.
pub(super) fn base64encode(args: &[Value], cx: &Cx) -> Result<Value> {
    let s = string_param(&args[0])?;
    let mut out = String::with_capacity(s.len().div_ceil(3) * 4);
    for chunk in s.as_bytes().chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    Ok(cx.string(out))
}

/// Go's standard decoding: padding required, line breaks ignored, unused bits ignored; the
/// bytes must be UTF-8 text.
pub(super) fn base64decode(args: &[Value], cx: &Cx) -> Result<Value> {
    let s = string_param(&args[0])?;
    let fail = || rejected(format!("failed to decode base64 data {s:?}"));
    let symbols: Vec<u8> = s.bytes().filter(|b| *b != b'\r' && *b != b'\n').collect();
    if !symbols.len().is_multiple_of(4) {
        return fail();
    }
    let mut bytes = Vec::with_capacity(symbols.len() / 4 * 3);
    let quads = symbols.len() / 4;
    for (q, quad) in symbols.chunks(4).enumerate() {
        let padding = quad.iter().rev().take_while(|&&b| b == b'=').count();
        if padding > 2 || (padding > 0 && q + 1 != quads) {
            return fail();
        }
        let mut n = 0u32;
        for &symbol in &quad[..4 - padding] {
            let Some(v) = ALPHABET.iter().position(|&a| a == symbol) else {
                return fail();
            };
            n = (n << 6) | v as u32;
        }
        n <<= 6 * padding as u32;
        let decoded = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        bytes.extend_from_slice(&decoded[..3 - padding]);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(cx.string(text)),
        Err(_) => rejected("the result of decoding the provided string is not valid UTF-8"),
    }
}
