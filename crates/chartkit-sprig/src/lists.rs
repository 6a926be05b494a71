//! List functions (Sprig's list.go, `until`, `untilStep`).

use chartkit_gotemplate::{FuncError, Func, List, Value};

use crate::util::*;

/// The items of a slice argument, or the error Sprig's `must*` variant
/// returns for another kind (`Cannot <what> on type <kind>`), or Go's panic
/// for an untyped nil.
fn items_or(v: &Value, msg: impl FnOnce(&str) -> String) -> Result<Vec<Value>, FuncError> {
    if v.is_nil() {
        return Err(call_err(NIL_DEREF));
    }
    slice_items(v).ok_or_else(|| call_err(msg(kind(v))))
}

/// Registers the panicking and the `must` variant alike: in a template both
/// fail with the same message.
fn list_fn(sig: chartkit_gotemplate::Signature, f: fn(&[Value]) -> Result<Value, FuncError>) -> Func {
    Func::pure(sig, f)
}

pub(crate) fn list() -> Func {
    Func::pure(variadic(&[], Any), |a| Ok(ilist(a.to_vec())))
}

pub(crate) fn push() -> Func {
    list_fn(fixed(&[Any, Any]), |a| {
        let mut items = items_or(arg(a, 0), |k| format!("Cannot push on type {k}"))?;
        items.push(arg(a, 1).clone());
        Ok(ilist(items))
    })
}

pub(crate) fn prepend() -> Func {
    list_fn(fixed(&[Any, Any]), |a| {
        let mut items = items_or(arg(a, 0), |k| format!("Cannot prepend on type {k}"))?;
        items.insert(0, arg(a, 1).clone());
        Ok(ilist(items))
    })
}

pub(crate) fn chunk() -> Func {
    list_fn(fixed(&[Int, Any]), |a| {
        let size = arg_int(a, 0);
        let items = items_or(arg(a, 1), |k| format!("Cannot chunk type {k}"))?;
        let l = items.len() as i64;
        const MAKESLICE: &str = "runtime error: makeslice: len out of range";
        // Go computes the chunk count in floating point.
        let cs = float_to_i64(((l - 1) as f64 / size as f64).floor()).wrapping_add(1);
        if cs < 0 {
            return Err(call_err(MAKESLICE));
        }
        if size == 0 && cs > 0 {
            // Go reaches an integer modulo by zero computing the last chunk.
            return Err(call_err(MAKESLICE));
        }
        let mut out = Vec::with_capacity(cs.min(l.max(0)) as usize);
        for i in 0..cs {
            let mut clen = size;
            if i == cs - 1 {
                clen = ((l as f64) % (size as f64)).floor() as i64;
                if clen == 0 {
                    clen = size;
                }
            }
            if clen < 0 {
                return Err(call_err(MAKESLICE));
            }
            let mut chunk = Vec::with_capacity(clen as usize);
            for j in 0..clen {
                let ix = i * size + j;
                match items.get(ix as usize) {
                    Some(v) if ix >= 0 => chunk.push(v.clone()),
                    _ => return Err(call_err("reflect: slice index out of range")),
                }
            }
            out.push(ilist(chunk));
        }
        Ok(ilist(out))
    })
}

pub(crate) fn last() -> Func {
    list_fn(fixed(&[Any]), |a| {
        let items = items_or(arg(a, 0), |k| format!("Cannot find last on type {k}"))?;
        Ok(items.last().cloned().unwrap_or(Value::Nil))
    })
}

pub(crate) fn first() -> Func {
    list_fn(fixed(&[Any]), |a| {
        let items = items_or(arg(a, 0), |k| format!("Cannot find first on type {k}"))?;
        Ok(items.first().cloned().unwrap_or(Value::Nil))
    })
}

pub(crate) fn rest() -> Func {
    list_fn(fixed(&[Any]), |a| {
        let items = items_or(arg(a, 0), |k| format!("Cannot find rest on type {k}"))?;
        Ok(ilist(items.get(1..).map(<[Value]>::to_vec).unwrap_or_default()))
    })
}

pub(crate) fn initial() -> Func {
    list_fn(fixed(&[Any]), |a| {
        let mut items = items_or(arg(a, 0), |k| format!("Cannot find initial on type {k}"))?;
        items.pop();
        Ok(ilist(items))
    })
}

pub(crate) fn reverse() -> Func {
    list_fn(fixed(&[Any]), |a| {
        let mut items = items_or(arg(a, 0), |k| format!("Cannot find reverse on type {k}"))?;
        items.reverse();
        Ok(ilist(items))
    })
}

pub(crate) fn compact() -> Func {
    list_fn(fixed(&[Any]), |a| {
        let items = items_or(arg(a, 0), |k| format!("Cannot compact on type {k}"))?;
        Ok(ilist(items.into_iter().filter(|v| !empty(v)).collect()))
    })
}

fn in_list(hay: &[Value], needle: &Value) -> bool {
    hay.iter().any(|h| deep_equal(needle, h))
}

pub(crate) fn uniq() -> Func {
    list_fn(fixed(&[Any]), |a| {
        let items = items_or(arg(a, 0), |k| format!("Cannot find uniq on type {k}"))?;
        let mut dest: Vec<Value> = Vec::new();
        for v in items {
            if !in_list(&dest, &v) {
                dest.push(v);
            }
        }
        Ok(ilist(dest))
    })
}

pub(crate) fn without() -> Func {
    list_fn(variadic(&[Any], Any), |a| {
        let items = items_or(arg(a, 0), |k| format!("Cannot find without on type {k}"))?;
        let omit = a.get(1..).unwrap_or_default();
        Ok(ilist(items.into_iter().filter(|v| !in_list(omit, v)).collect()))
    })
}

pub(crate) fn has() -> Func {
    list_fn(fixed(&[Any, Any]), |a| {
        let hay = arg(a, 1);
        if hay.is_nil() {
            return Ok(Value::Bool(false));
        }
        let items = items_or(hay, |k| format!("Cannot find has on type {k}"))?;
        Ok(Value::Bool(in_list(&items, arg(a, 0))))
    })
}

pub(crate) fn slice() -> Func {
    list_fn(variadic(&[Any], Any), |a| {
        let v = arg(a, 0);
        let items = items_or(v, |k| format!("list should be type of slice or array but {k}"))?;
        let l = items.len() as i64;
        if l == 0 {
            return Ok(Value::Nil);
        }
        let start = if a.len() > 1 { to_i64(&a[1]) } else { 0 };
        let end = if a.len() > 2 { to_i64(&a[2]) } else { l };
        if start < 0 || end < start || end > l {
            return Err(call_err("reflect.Value.Slice: slice index out of bounds"));
        }
        let part = items[start as usize..end as usize].to_vec();
        // reflect's Slice keeps the slice type.
        Ok(match v {
            Value::List(list) => Value::List(List { elem: list.elem, items: part.into() }),
            Value::Bytes(_) => Value::Bytes(
                part.iter().map(|x| if let Value::Uint8(b) = x { *b } else { 0 }).collect::<Vec<u8>>().into(),
            ),
            _ => ilist(part),
        })
    })
}

pub(crate) fn concat() -> Func {
    Func::pure(variadic(&[], Any), |a| {
        let mut res = Vec::new();
        for l in a {
            if l.is_nil() {
                return Err(call_err(NIL_DEREF));
            }
            match slice_items(l) {
                Some(items) => res.extend(items),
                None => return Err(call_err(format!("Cannot concat type {} as list", kind(l)))),
            }
        }
        Ok(ilist(res))
    })
}

/// Sprig's `untilStep` (Go `[]int`; we return `[]interface{}` of ints).
pub(crate) fn until_step_vec(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FuncError> {
    const LIMIT: u128 = 1 << 26;
    let mut v = Vec::new();
    if stop < start {
        if step >= 0 {
            return Ok(v);
        }
        if (start as i128 - stop as i128) as u128 / (step.unsigned_abs() as u128) > LIMIT {
            return Err(call_err("runtime error: makeslice: len out of range"));
        }
        let mut i = start;
        while i > stop {
            v.push(i);
            i = match i.checked_add(step) {
                Some(n) => n,
                None => break,
            };
        }
        return Ok(v);
    }
    if step <= 0 {
        return Ok(v);
    }
    if (stop as i128 - start as i128) as u128 / (step as u128) > LIMIT {
        return Err(call_err("runtime error: makeslice: len out of range"));
    }
    let mut i = start;
    while i < stop {
        v.push(i);
        i = match i.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
    Ok(v)
}

fn int_list(v: Vec<i64>) -> Value {
    ilist(v.into_iter().map(Value::Int).collect())
}

pub(crate) fn until() -> Func {
    Func::pure(fixed(&[Int]), |a| {
        let n = arg_int(a, 0);
        let step = if n < 0 { -1 } else { 1 };
        Ok(int_list(until_step_vec(0, n, step)?))
    })
}

pub(crate) fn until_step() -> Func {
    Func::pure(fixed(&[Int, Int, Int]), |a| {
        Ok(int_list(until_step_vec(arg_int(a, 0), arg_int(a, 1), arg_int(a, 2))?))
    })
}
