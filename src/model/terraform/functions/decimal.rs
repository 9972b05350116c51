//! Numbers written with a set number of digits (`%f`, `%e`), rounded as Terraform rounds.
//!
//! Terraform rounds its binary value. Away from a decimal tie that is the same as rounding
//! the decimal meshlint holds; on a tie (`2.675` to two places) the binary value decides,
//! and meshlint knows it only when the decimal is exact in binary (`0.25`, half to even).

use super::number::{self, Decimal};
use super::{not_evaluated, Result};

/// The digits of `d` rounded to `keep` digits (counted from the first), half to even when
/// `n` is exactly the decimal; `carried` says the rounding added a digit in front.
fn round(d: &Decimal, keep: i64, n: f64) -> Result<(Vec<u8>, bool)> {
    let len = d.digits.len() as i64;
    if keep >= len {
        let mut digits = d.digits.clone();
        digits.resize(keep.max(0) as usize, 0);
        return Ok((digits, false));
    }
    if keep < 0 {
        return Ok((Vec::new(), false));
    }
    let keep = keep as usize;
    let first = d.digits[keep];
    let more = d.digits.len() > keep + 1;
    let mut digits = d.digits[..keep].to_vec();
    let up = match first.cmp(&5) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal if more => true,
        std::cmp::Ordering::Equal => {
            // A decimal tie: Terraform rounds its binary value, which lies on the tie only
            // when the decimal is exact.
            if !number::is_exact(n) {
                return not_evaluated("a rounding tie that the binary value decides");
            }
            digits.last().is_some_and(|d| d % 2 == 1)
        }
    };
    if !up {
        return Ok((digits, false));
    }
    for digit in digits.iter_mut().rev() {
        if *digit == 9 {
            *digit = 0;
        } else {
            *digit += 1;
            return Ok((digits, false));
        }
    }
    digits.insert(0, 1);
    Ok((digits, true))
}

/// `%f`: `places` digits after the point.
pub(super) fn fixed(d: &Decimal, places: usize, n: f64) -> Result<String> {
    let point = if d.is_zero() { 0 } else { i64::from(d.point) };
    let (digits, carried) = round(d, point + places as i64, n)?;
    let point = point + i64::from(carried);
    // digits hold everything down to 10^-places; the integer part is the first `point`.
    let total = point + places as i64;
    let mut all: Vec<u8> = digits;
    all.resize(total.max(0) as usize, 0);
    let (int_digits, frac_digits): (Vec<u8>, Vec<u8>) = if point > 0 {
        let p = point as usize;
        (all[..p].to_vec(), all[p..].to_vec())
    } else {
        // Leading zeros of the fraction, then whatever digits remain.
        let mut frac = vec![0u8; (-point) as usize];
        frac.extend(all);
        frac.truncate(places);
        frac.resize(places, 0);
        (vec![0], frac)
    };
    let int_part: String = if int_digits.is_empty() {
        "0".into()
    } else {
        int_digits.iter().map(|d| char::from(b'0' + d)).collect()
    };
    let frac_part: String = frac_digits.iter().map(|d| char::from(b'0' + d)).collect();
    Ok(if places == 0 {
        int_part
    } else {
        format!("{int_part}.{frac_part}")
    })
}

/// `%e`: one digit, `places` more after the point, and a signed exponent of two digits or more.
pub(super) fn scientific(d: &Decimal, places: usize, n: f64, upper: bool) -> Result<String> {
    let (digits, exponent) = if d.is_zero() {
        (vec![0; places + 1], 0)
    } else {
        let (digits, carried) = round(d, places as i64 + 1, n)?;
        (digits, i64::from(d.point) - 1 + i64::from(carried))
    };
    let mut digits = digits;
    digits.truncate(places + 1);
    let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let mantissa = if places == 0 {
        text
    } else {
        format!("{}.{}", &text[..1], &text[1..])
    };
    let e = if upper { 'E' } else { 'e' };
    let sign = if exponent < 0 { '-' } else { '+' };
    Ok(format!("{mantissa}{e}{sign}{:02}", exponent.abs()))
}
