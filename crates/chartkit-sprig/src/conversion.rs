//! Type conversions: `int`, `int64`, `float64` (spf13/cast v1.7.0),
//! `atoi` (`strconv.Atoi`), `toDecimal` (octal string to int64).

use chartkit_gotemplate::{Func, Value};

use crate::util::*;

pub(crate) fn int() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(Value::Int(to_i64(arg(a, 0)))))
}

pub(crate) fn int64() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(Value::Int64(to_i64(arg(a, 0)))))
}

pub(crate) fn float64() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(Value::Float(to_f64(arg(a, 0)))))
}

/// `strconv.Atoi` with the error ignored: out-of-range input clamps.
fn atoi_value(s: &str) -> i64 {
    match parse_int(s, 10) {
        Ok(n) => n,
        Err(NumError::Range) => {
            if s.starts_with('-') {
                i64::MIN
            } else {
                i64::MAX
            }
        }
        Err(NumError::Syntax) => 0,
    }
}

pub(crate) fn atoi() -> Func {
    Func::pure(fixed(&[Str]), |a| Ok(Value::Int(atoi_value(arg_str(a, 0)))))
}

pub(crate) fn to_decimal() -> Func {
    Func::pure(fixed(&[Any]), |a| {
        let s = chartkit_gotemplate::fmt::format_value(arg(a, 0));
        Ok(Value::Int64(parse_int(&s, 8).unwrap_or(0)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoi_clamps_and_zeroes() {
        assert_eq!(atoi_value("42"), 42);
        assert_eq!(atoi_value("-7"), -7);
        assert_eq!(atoi_value("99999999999999999999"), i64::MAX);
        assert_eq!(atoi_value("1_0"), 0);
        assert_eq!(atoi_value("x"), 0);
    }

    #[test]
    fn octal_strings() {
        assert_eq!(parse_int("0777", 8), Ok(511));
        assert_eq!(parse_int("8", 8).ok(), None);
    }
}
