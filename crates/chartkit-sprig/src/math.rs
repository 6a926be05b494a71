//! Arithmetic (Sprig's numeric.go and the arithmetic entries of its map):
//! integer operations through spf13/cast's `ToInt64`, float operations
//! through shopspring/decimal v1.4.0, `round`, `seq`, `randInt`.

use chartkit_gotemplate::{Func, FuncError, Value};
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, Zero};
use rand::Rng;

use crate::util::*;

const DIV_ZERO: &str = "runtime error: integer divide by zero";

pub(crate) fn add1() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(Value::Int64(to_i64(arg(a, 0)).wrapping_add(1))))
}

pub(crate) fn add() -> Func {
    Func::pure(variadic(&[], Any), |a| Ok(Value::Int64(a.iter().fold(0i64, |s, v| s.wrapping_add(to_i64(v))))))
}

pub(crate) fn sub() -> Func {
    Func::pure(fixed(&[Any, Any]), |a| Ok(Value::Int64(to_i64(arg(a, 0)).wrapping_sub(to_i64(arg(a, 1))))))
}

pub(crate) fn div() -> Func {
    Func::pure(fixed(&[Any, Any]), |a| {
        let (x, y) = (to_i64(arg(a, 0)), to_i64(arg(a, 1)));
        if y == 0 {
            return Err(call_err(DIV_ZERO));
        }
        Ok(Value::Int64(x.wrapping_div(y)))
    })
}

pub(crate) fn modulo() -> Func {
    Func::pure(fixed(&[Any, Any]), |a| {
        let (x, y) = (to_i64(arg(a, 0)), to_i64(arg(a, 1)));
        if y == 0 {
            return Err(call_err(DIV_ZERO));
        }
        Ok(Value::Int64(x.wrapping_rem(y)))
    })
}

pub(crate) fn mul() -> Func {
    Func::pure(variadic(&[Any], Any), |a| {
        Ok(Value::Int64(a[1..].iter().fold(to_i64(arg(a, 0)), |p, v| p.wrapping_mul(to_i64(v)))))
    })
}

pub(crate) fn rand_int() -> Func {
    Func::pure(fixed(&[Int, Int]), |a| {
        let (min, max) = (arg_int(a, 0), arg_int(a, 1));
        let n = max.wrapping_sub(min);
        if n <= 0 {
            return Err(call_err("invalid argument to Intn"));
        }
        Ok(Value::Int(rand::thread_rng().gen_range(0..n).wrapping_add(min)))
    })
}

pub(crate) fn max() -> Func {
    Func::pure(variadic(&[Any], Any), |a| {
        Ok(Value::Int64(a[1..].iter().map(to_i64).fold(to_i64(arg(a, 0)), i64::max)))
    })
}

pub(crate) fn min() -> Func {
    Func::pure(variadic(&[Any], Any), |a| {
        Ok(Value::Int64(a[1..].iter().map(to_i64).fold(to_i64(arg(a, 0)), i64::min)))
    })
}

/// Go's `math.Max`.
fn go_max(x: f64, y: f64) -> f64 {
    if x == f64::INFINITY || y == f64::INFINITY {
        return f64::INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { y } else { x };
    }
    if x > y { x } else { y }
}

/// Go's `math.Min`.
fn go_min(x: f64, y: f64) -> f64 {
    if x == f64::NEG_INFINITY || y == f64::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if x == 0.0 && x == y {
        return if x.is_sign_negative() { x } else { y };
    }
    if x < y { x } else { y }
}

pub(crate) fn maxf() -> Func {
    Func::pure(variadic(&[Any], Any), |a| {
        Ok(Value::Float(a[1..].iter().map(to_f64).fold(to_f64(arg(a, 0)), go_max)))
    })
}

pub(crate) fn minf() -> Func {
    Func::pure(variadic(&[Any], Any), |a| {
        Ok(Value::Float(a[1..].iter().map(to_f64).fold(to_f64(arg(a, 0)), go_min)))
    })
}

pub(crate) fn ceil() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(Value::Float(to_f64(arg(a, 0)).ceil())))
}

pub(crate) fn floor() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(Value::Float(to_f64(arg(a, 0)).floor())))
}

pub(crate) fn round() -> Func {
    Func::pure(variadic(&[Any, Int], Float64), |a| {
        let round_on = match a.get(2) {
            Some(Value::Float(f)) => *f,
            Some(v) => to_f64(v),
            None => 0.5,
        };
        let val = to_f64(arg(a, 0));
        let places = arg_int(a, 1) as f64;
        let pow = 10f64.powf(places);
        let digit = pow * val;
        let frac = digit.fract();
        let r = if frac >= round_on { digit.ceil() } else { digit.floor() };
        Ok(Value::Float(r / pow))
    })
}

pub(crate) fn seq() -> Func {
    Func::pure(variadic(&[], Int), |a| {
        let p: Vec<i64> = a.iter().map(|v| arg_int(std::slice::from_ref(v), 0)).collect();
        let nums = match p.len() {
            1 => {
                let (start, end) = (1, p[0]);
                let inc = if end < start { -1 } else { 1 };
                crate::lists::until_step_vec(start, end.wrapping_add(inc), inc)?
            }
            2 => {
                let (start, end) = (p[0], p[1]);
                let step = if end < start { -1 } else { 1 };
                crate::lists::until_step_vec(start, end.wrapping_add(step), step)?
            }
            3 => {
                let (start, step, end) = (p[0], p[1], p[2]);
                let mut inc = 1;
                if end < start {
                    inc = -1;
                    if step > 0 {
                        return Ok(string(""));
                    }
                }
                crate::lists::until_step_vec(start, end.wrapping_add(inc), step)?
            }
            _ => Vec::new(),
        };
        let s: Vec<String> = nums.iter().map(i64::to_string).collect();
        Ok(string(s.join(" ")))
    })
}

/// A shopspring/decimal value: `value × 10^exp`.
#[derive(Clone, Debug)]
struct Decimal {
    value: BigInt,
    exp: i64,
}

impl Decimal {
    /// `decimal.NewFromFloat`: the shortest decimal that round-trips.
    fn from_f64(f: f64) -> Result<Decimal, FuncError> {
        if f.is_nan() || f.is_infinite() {
            return Err(call_err(format!("Cannot create a Decimal from {}", chartkit_gotemplate::fmt::format_value(&Value::Float(f)))));
        }
        if f == 0.0 {
            return Ok(Decimal { value: BigInt::zero(), exp: 0 });
        }
        let sci = format!("{f:e}");
        let (mant, e) = sci.split_once('e').unwrap_or((&sci, "0"));
        let e: i64 = e.parse().unwrap_or(0);
        let neg = mant.starts_with('-');
        let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
        let n = digits.len() as i64;
        let mut value: BigInt = digits.parse().unwrap_or_default();
        if neg {
            value = -value;
        }
        Ok(Decimal { value, exp: e - (n - 1) })
    }

    fn rescaled(&self, exp: i64) -> BigInt {
        // Only ever called with exp <= self.exp.
        &self.value * BigInt::from(10).pow((self.exp - exp) as u32)
    }

    fn add(&self, o: &Decimal) -> Decimal {
        let exp = self.exp.min(o.exp);
        Decimal { value: self.rescaled(exp) + o.rescaled(exp), exp }
    }

    fn neg(&self) -> Decimal {
        Decimal { value: -&self.value, exp: self.exp }
    }

    fn mul(&self, o: &Decimal) -> Decimal {
        Decimal { value: &self.value * &o.value, exp: self.exp + o.exp }
    }

    fn cmp_abs(&self, o: &Decimal) -> std::cmp::Ordering {
        let exp = self.exp.min(o.exp);
        self.rescaled(exp).abs().cmp(&o.rescaled(exp).abs())
    }

    /// `Decimal.Div`: `DivRound(d2, 16)`, half away from zero.
    fn div(&self, o: &Decimal) -> Result<Decimal, FuncError> {
        const PREC: i64 = 16;
        if o.value.is_zero() {
            return Err(call_err("decimal division by 0"));
        }
        let e = self.exp - o.exp + PREC;
        if e.abs() > 100_000 {
            return Err(call_err("overflow in decimal QuoRem"));
        }
        let ten = BigInt::from(10);
        let (aa, bb, scalerest) = if e < 0 {
            (self.value.clone(), &o.value * ten.pow((-e) as u32), self.exp)
        } else {
            (&self.value * ten.pow(e as u32), o.value.clone(), -PREC + o.exp)
        };
        let (q, r) = aa.div_rem(&bb);
        let q = Decimal { value: q, exp: -PREC };
        let r2 = Decimal { value: r.abs() * 2, exp: scalerest + PREC };
        if r2.cmp_abs(o) == std::cmp::Ordering::Less {
            return Ok(q);
        }
        let unit = Decimal { value: BigInt::from(1), exp: -PREC };
        if self.value.sign() != o.value.sign() { Ok(q.add(&unit.neg())) } else { Ok(q.add(&unit)) }
    }

    /// `Decimal.Float64`: the nearest float64.
    fn to_f64(&self) -> f64 {
        format!("{}e{}", self.value, self.exp).parse().unwrap_or(0.0)
    }
}

/// Sprig's `execDecimalOp`.
fn decimal_op(
    first: &Value,
    rest: &[Value],
    op: fn(&Decimal, &Decimal) -> Result<Decimal, FuncError>,
) -> Result<Value, FuncError> {
    let mut acc = Decimal::from_f64(to_f64(first))?;
    for x in rest {
        acc = op(&acc, &Decimal::from_f64(to_f64(x))?)?;
    }
    Ok(Value::Float(acc.to_f64()))
}

pub(crate) fn add1f() -> Func {
    Func::pure(fixed(&[Any]), |a| decimal_op(arg(a, 0), &[Value::Int(1)], |x, y| Ok(x.add(y))))
}

pub(crate) fn addf() -> Func {
    Func::pure(variadic(&[], Any), |a| decimal_op(&Value::Float(0.0), a, |x, y| Ok(x.add(y))))
}

pub(crate) fn subf() -> Func {
    Func::pure(variadic(&[Any], Any), |a| decimal_op(arg(a, 0), &a[1..], |x, y| Ok(x.add(&y.neg()))))
}

pub(crate) fn mulf() -> Func {
    Func::pure(variadic(&[Any], Any), |a| decimal_op(arg(a, 0), &a[1..], |x, y| Ok(x.mul(y))))
}

pub(crate) fn divf() -> Func {
    Func::pure(variadic(&[Any], Any), |a| decimal_op(arg(a, 0), &a[1..], Decimal::div))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: f64) -> Decimal {
        Decimal::from_f64(v).unwrap_or_else(|_| Decimal { value: BigInt::zero(), exp: 0 })
    }

    #[test]
    fn decimal_arithmetic_is_exact() {
        assert_eq!(f(0.1).add(&f(0.2)).to_f64(), 0.3);
        assert_eq!(f(1.1).mul(&f(3.0)).to_f64(), 3.3);
        assert_eq!(f(10.0).div(&f(3.0)).map(|d| d.to_f64()).ok(), Some(3.3333333333333335));
        assert_eq!(f(2.0).div(&f(3.0)).map(|d| d.to_f64()).ok(), Some(0.6666666666666667));
        assert!(f(1.0).div(&f(0.0)).is_err());
    }
}
