//! Scalar syntaxes compose-go delegates to small Go libraries: durations (go-str2duration), byte
//! sizes (go-units `RAMInBytes`), and the type casts applied at typed paths after interpolation.

use crate::yaml::{Scalar, ScalarStyle};

const NANOS_PER_UNIT: &[(&str, u64)] = &[
    ("ns", 1),
    ("us", 1_000),
    ("\u{b5}s", 1_000),  // micro sign
    ("\u{3bc}s", 1_000), // Greek mu
    ("ms", 1_000_000),
    ("s", 1_000_000_000),
    ("m", 60_000_000_000),
    ("h", 3_600_000_000_000),
    ("d", 86_400_000_000_000),
    ("w", 604_800_000_000_000),
];

/// Parses a Go duration with days and weeks (`1h5m30s20ms`, `1.5s`, `-2m`, `0`) into nanoseconds.
/// Errors use Go's wording (`time: missing unit in duration "10"`).
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {text:?}");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (int_part, after_int) = rest.split_at(int_len);
        let (frac_part, after_num) = match after_int.strip_prefix('.') {
            Some(f) => {
                let n = f.bytes().take_while(u8::is_ascii_digit).count();
                f.split_at(n)
            }
            None => ("", after_int),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(invalid());
        }
        let unit_len = after_num
            .find(|c: char| c == '.' || c.is_ascii_digit())
            .unwrap_or(after_num.len());
        if unit_len == 0 {
            return Err(format!("time: missing unit in duration {text:?}"));
        }
        let (unit, tail) = after_num.split_at(unit_len);
        let Some(&(_, nanos)) = NANOS_PER_UNIT.iter().find(|(u, _)| *u == unit) else {
            return Err(format!("time: unknown unit {unit:?} in duration {text:?}"));
        };
        let whole: u128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| invalid())?
        };
        let mut value = whole.checked_mul(u128::from(nanos)).ok_or_else(invalid)?;
        if !frac_part.is_empty() {
            let fraction: f64 = format!("0.{frac_part}").parse().map_err(|_| invalid())?;
            value += (fraction * nanos as f64) as u128;
        }
        total = total.checked_add(value).ok_or_else(invalid)?;
        if total > i64::MAX as u128 {
            return Err(invalid());
        }
        rest = tail;
    }
    let total = i64::try_from(total).map_err(|_| invalid())?;
    Ok(if negative { -total } else { total })
}

/// Parses a memory size the way go-units `RAMInBytes` does: a number, an optional space, then an
/// optional `k m g t p` (any case) with optional `i` and `b`; units are always binary
/// (`64M` = 64 MiB, `640kb` = 655360). A plain number is bytes.
pub fn parse_bytes(text: &str) -> Result<i64, String> {
    let invalid = || format!("invalid size: '{text}'");
    let number_len = text
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let (number, suffix) = text.split_at(number_len);
    // The number is `\d+(\.\d+)*`: starts and ends with a digit, no empty part.
    if number.is_empty() || number.split('.').any(str::is_empty) {
        return Err(invalid());
    }
    let suffix = suffix
        .strip_prefix(' ')
        .unwrap_or(suffix)
        .to_ascii_lowercase();
    let mut chars = suffix.as_str();
    let multiplier: f64 = match chars.as_bytes().first() {
        Some(b'k') => 1024.0,
        Some(b'm') => 1024f64.powi(2),
        Some(b'g') => 1024f64.powi(3),
        Some(b't') => 1024f64.powi(4),
        Some(b'p') => 1024f64.powi(5),
        _ => 1.0,
    };
    if multiplier > 1.0 {
        chars = &chars[1..];
    }
    chars = chars.strip_prefix('i').unwrap_or(chars);
    chars = chars.strip_prefix('b').unwrap_or(chars);
    if !chars.is_empty() {
        return Err(invalid());
    }
    let value: f64 = number.parse().map_err(|_| invalid())?;
    let bytes = value * multiplier;
    if !bytes.is_finite() || bytes >= i64::MAX as f64 {
        return Err(invalid());
    }
    Ok(bytes as i64)
}

/// A byte size written in YAML: a plain integer (may be `-1`) or a size string.
pub fn scalar_bytes(scalar: &Scalar) -> Result<i64, String> {
    match scalar.as_i64() {
        Some(n) => Ok(n),
        None => parse_bytes(&scalar.text),
    }
}

/// The outcome of casting a scalar to a boolean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoolCast {
    /// The value.
    pub value: bool,
    /// True when written as YAML 1.1 `yes`/`no`/`on`/`off`/`y`/`n` (compose-go warns).
    pub legacy: bool,
}

/// compose-go's boolean cast: `true`/`false` any case, and with a warning `y`/`yes`/`on`,
/// `n`/`no`/`off`.
pub fn cast_bool(scalar: &Scalar) -> Result<BoolCast, String> {
    match scalar.text.to_ascii_lowercase().as_str() {
        "true" => Ok(BoolCast {
            value: true,
            legacy: false,
        }),
        "false" => Ok(BoolCast {
            value: false,
            legacy: false,
        }),
        "y" | "yes" | "on" => Ok(BoolCast {
            value: true,
            legacy: true,
        }),
        "n" | "no" | "off" => Ok(BoolCast {
            value: false,
            legacy: true,
        }),
        _ => Err(format!("invalid boolean: {}", scalar.text)),
    }
}

/// compose-go's integer cast: a YAML integer, or a string holding a decimal integer.
pub fn cast_int(scalar: &Scalar) -> Result<i64, String> {
    if let Some(n) = scalar.as_i64() {
        return Ok(n);
    }
    let t = scalar.text.as_str();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = t.parse() {
            return Ok(n);
        }
    }
    Err(format!("invalid integer: {t}"))
}

/// compose-go's float cast: a YAML number, or a string holding one.
pub fn cast_float(scalar: &Scalar) -> Result<f64, String> {
    if let Some(f) = scalar.as_f64() {
        if f.is_finite() {
            return Ok(f);
        }
    }
    let as_plain = Scalar {
        text: scalar.text.trim().to_string(),
        style: ScalarStyle::Plain,
    };
    match as_plain.as_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err(format!("invalid number: {}", scalar.text)),
    }
}

/// Parses a file mode: a YAML integer is taken as is (`0o440`), a string is octal (`"0440"`).
pub fn cast_mode(scalar: &Scalar) -> Result<u32, String> {
    let invalid = || {
        format!(
            "invalid file mode: {} (write it as an octal string like \"0440\")",
            scalar.text
        )
    };
    if scalar.style == ScalarStyle::Plain {
        if let Some(n) = scalar.as_i64() {
            return u32::try_from(n)
                .ok()
                .filter(|m| *m <= 0o7777)
                .ok_or_else(invalid);
        }
    }
    let t = scalar.text.strip_prefix("0o").unwrap_or(&scalar.text);
    u32::from_str_radix(t, 8)
        .ok()
        .filter(|m| *m <= 0o7777)
        .ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(t: &str) -> Scalar {
        Scalar {
            text: t.into(),
            style: ScalarStyle::Plain,
        }
    }

    fn quoted(t: &str) -> Scalar {
        Scalar {
            text: t.into(),
            style: ScalarStyle::Quoted,
        }
    }

    #[test]
    fn casts_follow_compose_go() {
        assert_eq!(
            cast_bool(&plain("yes")),
            Ok(BoolCast {
                value: true,
                legacy: true
            })
        );
        assert_eq!(
            cast_bool(&quoted("False")),
            Ok(BoolCast {
                value: false,
                legacy: false
            })
        );
        assert_eq!(
            cast_bool(&plain("Off")),
            Ok(BoolCast {
                value: false,
                legacy: true
            })
        );
        assert_eq!(
            cast_bool(&plain("maybe")),
            Err("invalid boolean: maybe".into())
        );
        assert_eq!(cast_int(&quoted("5")), Ok(5));
        assert_eq!(cast_int(&plain("0x10")), Ok(16));
        assert!(cast_int(&quoted("5.5")).is_err());
        assert!(cast_int(&quoted("")).is_err());
        assert_eq!(cast_float(&quoted("0.5")), Ok(0.5));
        assert_eq!(cast_float(&plain("2")), Ok(2.0));
        assert!(cast_float(&quoted("half")).is_err());
        assert!(cast_float(&plain(".nan")).is_err());
        assert_eq!(cast_mode(&quoted("0440")), Ok(0o440));
        assert_eq!(cast_mode(&plain("0440")), Ok(0o440)); // YAML 1.2: plain 0440 is a string
        assert_eq!(cast_mode(&plain("0o440")), Ok(0o440));
        assert_eq!(cast_mode(&plain("288")), Ok(288));
        assert!(cast_mode(&quoted("0998")).is_err());
    }
}
