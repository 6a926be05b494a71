//! Reflection (Sprig's reflect.go): `typeOf` (`%T`), `typeIs`,
//! `typeIsLike`, `kindOf` (`reflect.Kind`), `kindIs`, `deepEqual`.

use chartkit_gotemplate::{Func, Value};

use crate::util::*;

pub(crate) fn type_of() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(string(arg(a, 0).type_name())))
}

pub(crate) fn type_is() -> Func {
    Func::pure(fixed(&[Str, Any]), |a| Ok(Value::Bool(arg_str(a, 0) == arg(a, 1).type_name())))
}

pub(crate) fn type_is_like() -> Func {
    Func::pure(fixed(&[Str, Any]), |a| {
        let (target, t) = (arg_str(a, 0), arg(a, 1).type_name());
        Ok(Value::Bool(t == target || t == format!("*{target}")))
    })
}

pub(crate) fn kind_of() -> Func {
    Func::pure(fixed(&[Any]), |a| Ok(string(kind(arg(a, 0)))))
}

pub(crate) fn kind_is() -> Func {
    Func::pure(fixed(&[Str, Any]), |a| Ok(Value::Bool(arg_str(a, 0) == kind(arg(a, 1)))))
}

pub(crate) fn deep_equal_fn() -> Func {
    Func::pure(fixed(&[Any, Any]), |a| Ok(Value::Bool(deep_equal(arg(a, 0), arg(a, 1)))))
}
