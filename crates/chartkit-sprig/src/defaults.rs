//! Defaults and truthiness (Sprig's defaults.go): `default`, `empty`,
//! `coalesce`, `all`, `any`, `ternary`.

use chartkit_gotemplate::{Func, Value};

use crate::util::*;

pub(crate) fn default() -> Func {
    Func::pure(variadic(&[Any], Any), |a| {
        match a.get(1) {
            Some(v) if !empty(v) => Ok(v.clone()),
            _ => Ok(arg(a, 0).clone()),
        }
    })
}

pub(crate) fn empty_fn() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(Value::Bool(empty(arg(a, 0)))))
}

pub(crate) fn coalesce() -> Func {
    Func::pure(variadic(&[], Any), |a| Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil)))
}

pub(crate) fn all() -> Func {
    Func::pure(variadic(&[], Any), |a| Ok(Value::Bool(a.iter().all(|v| !empty(v)))))
}

pub(crate) fn any() -> Func {
    Func::pure(variadic(&[], Any), |a| Ok(Value::Bool(a.iter().any(|v| !empty(v)))))
}

pub(crate) fn ternary() -> Func {
    Func::pure(fixed(&[Any, Any, Bool]), |a| {
        Ok(if arg_bool(a, 2) { arg(a, 0).clone() } else { arg(a, 1).clone() })
    })
}
