//! Numbers as Terraform sees them, checked against the 64-bit floats meshlint holds.
//!
//! Terraform computes with 512-bit binary floats and prints the shortest decimal that reads
//! back as the same value; a number written `0.1` prints `0.1`. meshlint holds an `f64`,
//! which prints the same for every decimal of up to 15 significant digits and for integers
//! below 2^53. Beyond those an `f64` may already be a rounded neighbour of what was written,
//! so functions refuse such numbers ([`trusted`]). Arithmetic is done only where the result
//! is exact in both precisions ([`Dyadic`]).

use super::{not_evaluated, rejected, Result};

/// 2^53: every integer below it is an exact `f64`, and none of them was rounded when read.
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

/// Decimals of up to this many significant digits survive the trip through an `f64`.
const EXACT_DIGITS: usize = 15;

/// `n`, if it is surely the number Terraform holds.
pub(super) fn trusted(n: f64) -> Result<f64> {
    if !n.is_finite() {
        return not_evaluated("an infinite number");
    }
    let ok = if n.fract() == 0.0 {
        n.abs() < EXACT_INTEGERS
    } else {
        Decimal::of(n).digits.len() <= EXACT_DIGITS
    };
    if ok {
        Ok(n)
    } else {
        not_evaluated(
            "meshlint holds numbers as 64-bit floats, and this one may not be exactly the number \
             Terraform holds",
        )
    }
}

/// The number as Terraform writes it in strings and JSON: all its digits, no exponent.
pub(super) fn text(n: f64) -> Result<String> {
    let n = trusted(n)?;
    Ok(if n == 0.0 && n.is_sign_negative() {
        "-0".to_string()
    } else if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        // Rust prints the shortest decimal that reads back as `n`, without an exponent.
        format!("{n}")
    })
}

/// Terraform's conversion of a string to a number: a decimal, optionally signed, with an
/// optional fraction and exponent; no spaces, no hexadecimal, no underscores.
pub(super) fn parse(s: &str) -> Result<f64> {
    let Some(written) = Decimal::parse(s) else {
        let bare = s.trim_start_matches(['+', '-']).to_ascii_lowercase();
        if bare == "inf" || bare == "infinity" {
            return not_evaluated("an infinite number");
        }
        return rejected(format!("cannot convert {s:?} to number"));
    };
    let n: f64 = s
        .parse()
        .or_else(|_| rejected(format!("cannot convert {s:?} to number")))?;
    // The f64 must print as the decimal written; otherwise Terraform keeps digits it lacks.
    if !n.is_finite() || Decimal::of(n) != written {
        return not_evaluated(format!("{s:?} has more precision than meshlint keeps"));
    }
    trusted(n)
}

/// A decimal number: `0.d₁d₂…dₖ × 10^point`, without leading or trailing zero digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Decimal {
    pub negative: bool,
    pub digits: Vec<u8>,
    pub point: i32,
}

impl Decimal {
    /// The shortest decimal that reads back as `n` (finite).
    pub fn of(n: f64) -> Decimal {
        // `{:e}` prints the shortest round-tripping digits: `1.2345e3`, `5e-7`, `0e0`.
        let text = format!("{:e}", n.abs());
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let mut digits: Vec<u8> = mantissa
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        while digits.last() == Some(&0) {
            digits.pop();
        }
        let point = if digits.is_empty() { 0 } else { exponent + 1 };
        Decimal {
            negative: n.is_sign_negative(),
            digits,
            point,
        }
    }

    /// Reads `[+-]digits[.digits][e[+-]digits]`, as Terraform's number conversion accepts.
    pub fn parse(s: &str) -> Option<Decimal> {
        let bytes = s.as_bytes();
        let mut i = 0;
        let negative = match bytes.first() {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let int_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let int_part = &s[int_start..i];
        let mut frac_part = "";
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            frac_part = &s[start..i];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let mut exponent: i64 = 0;
        if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
            i += 1;
            let sign = match bytes.get(i) {
                Some(b'-') => {
                    i += 1;
                    -1
                }
                Some(b'+') => {
                    i += 1;
                    1
                }
                _ => 1,
            };
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if start == i {
                return None;
            }
            // Exponents this large make no finite f64 anyway; saturate instead of overflowing.
            exponent = sign * s[start..i].parse::<i64>().unwrap_or(100_000).min(100_000);
        }
        if i != bytes.len() {
            return None;
        }
        let all: Vec<u8> = int_part
            .bytes()
            .chain(frac_part.bytes())
            .map(|b| b - b'0')
            .collect();
        let leading = all.iter().take_while(|&&d| d == 0).count();
        let mut digits = all[leading..].to_vec();
        while digits.last() == Some(&0) {
            digits.pop();
        }
        let point = if digits.is_empty() {
            0
        } else {
            i32::try_from(int_part.len() as i64 - leading as i64 + exponent).ok()?
        };
        Some(Decimal {
            negative,
            digits,
            point,
        })
    }

    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }
}

/// Whether `n` is exactly the decimal it prints as (0.5 is, 0.1 is not): only then do
/// Terraform's 512-bit float and meshlint's `f64` hold the same value.
pub(super) fn is_exact(n: f64) -> bool {
    Dyadic::of(n).is_some()
}

/// An exact binary fraction `num / 2^shift`: sums and products of these are exact in both
/// Terraform's precision and, while they stay small, in an `f64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Dyadic {
    pub num: i128,
    pub shift: u32,
}

impl Dyadic {
    /// `n` as an exact binary fraction, if `n` is trusted and exactly the decimal it prints.
    pub fn of(n: f64) -> Option<Dyadic> {
        let n = trusted(n).ok()?;
        if n == 0.0 {
            return Some(Dyadic { num: 0, shift: 0 });
        }
        if n.fract() == 0.0 {
            return Some(Dyadic {
                num: n as i128,
                shift: 0,
            });
        }
        let bits = n.abs().to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as i32;
        let (mut mantissa, mut power) = if exponent == 0 {
            (bits & ((1 << 52) - 1), -1074)
        } else {
            ((bits & ((1 << 52) - 1)) | (1 << 52), exponent - 1075)
        };
        while mantissa % 2 == 0 {
            mantissa /= 2;
            power += 1;
        }
        // Fractional, so power < 0: n = mantissa / 2^shift, whose decimal has exactly `shift`
        // fractional digits, mantissa × 5^shift of them in all.
        let shift = u32::try_from(-power).ok()?;
        let decimal = Decimal::of(n);
        let fraction_digits = decimal.digits.len() as i64 - i64::from(decimal.point);
        if shift > 25 || fraction_digits != i64::from(shift) {
            return None;
        }
        let expanded = u128::from(mantissa).checked_mul(5u128.pow(shift))?;
        let written = decimal
            .digits
            .iter()
            .fold(0u128, |acc, &d| acc * 10 + u128::from(d));
        if expanded != written {
            return None;
        }
        let num = i128::from(mantissa);
        Some(Dyadic {
            num: if n < 0.0 { -num } else { num },
            shift,
        })
    }

    fn aligned(self, other: Dyadic) -> Option<(i128, i128, u32)> {
        let shift = self.shift.max(other.shift);
        let a = self.num.checked_mul(1i128.checked_shl(shift - self.shift)?)?;
        let b = other.num.checked_mul(1i128.checked_shl(shift - other.shift)?)?;
        Some((a, b, shift))
    }

    pub fn add(self, other: Dyadic) -> Option<Dyadic> {
        let (a, b, shift) = self.aligned(other)?;
        Some(
            Dyadic {
                num: a.checked_add(b)?,
                shift,
            }
            .reduced(),
        )
    }

    pub fn mul(self, other: Dyadic) -> Option<Dyadic> {
        Some(
            Dyadic {
                num: self.num.checked_mul(other.num)?,
                shift: self.shift.checked_add(other.shift)?,
            }
            .reduced(),
        )
    }

    pub fn cmp(self, other: Dyadic) -> Option<std::cmp::Ordering> {
        let (a, b, _) = self.aligned(other)?;
        Some(a.cmp(&b))
    }

    fn reduced(mut self) -> Dyadic {
        while self.shift > 0 && self.num % 2 == 0 {
            self.num /= 2;
            self.shift -= 1;
        }
        self
    }

    /// The value as an `f64`, if it is one exactly and Terraform prints it as meshlint does.
    pub fn to_f64(self) -> Option<f64> {
        if self.num.unsigned_abs() >= 1u128 << 53 || self.shift > 60 {
            return None;
        }
        let n = self.num as f64 / (1u64 << self.shift) as f64;
        (Dyadic::of(n) == Some(self)).then_some(n)
    }
}
