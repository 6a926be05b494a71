//! Sprig's `semver` (a `*semver.Version` object with its methods) and `semverCompare`, on top
//! of the Masterminds/semver v3.4.0 port shared with the chart loader (`chartkit-semver`).

use std::cmp::Ordering;
use std::fmt;
use std::rc::Rc;

use chartkit_gotemplate::{Func, FuncError, Object, Value};
use chartkit_semver::{Constraints, Version};

use crate::util::*;

/// A `*semver.Version` as templates see it.
#[derive(Debug)]
struct VersionObject(Version);

impl VersionObject {
    /// Recovers a version from another `*semver.Version` argument.
    fn other(v: &Value) -> Option<Version> {
        match v {
            Value::Object(o) if o.type_name() == "*semver.Version" => {
                let mut s = String::new();
                o.fmt_go(&mut s).ok()?;
                Version::parse(&s).ok()
            }
            _ => None,
        }
    }
}

impl Object for VersionObject {
    fn type_name(&self) -> &str {
        "*semver.Version"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        let v = &self.0;
        let cmp_arg = || {
            args.first()
                .and_then(VersionObject::other)
                .map(|o| v.compare(&o))
                .ok_or_else(|| FuncError::arg("wrong type for value; expected *semver.Version"))
        };
        Some(match name {
            "Major" => Ok(Value::Int64(v.major as i64)),
            "Minor" => Ok(Value::Int64(v.minor as i64)),
            "Patch" => Ok(Value::Int64(v.patch as i64)),
            "Prerelease" => Ok(string(v.pre.clone())),
            "Metadata" => Ok(string(v.metadata.clone())),
            "Original" => Ok(string(v.original.clone())),
            "String" => Ok(string(v.to_string())),
            "LessThan" => cmp_arg().map(|o| Value::Bool(o == Ordering::Less)),
            "GreaterThan" => cmp_arg().map(|o| Value::Bool(o == Ordering::Greater)),
            "Equal" => cmp_arg().map(|o| Value::Bool(o == Ordering::Equal)),
            "Compare" => cmp_arg().map(|o| Value::Int(o as i64)),
            _ => return None,
        })
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        write!(f, "{}", self.0)
    }

    fn to_data(&self) -> Option<Value> {
        Some(string(self.0.to_string()))
    }
}

pub(crate) fn semver() -> Func {
    Func::pure(fixed(&[Str]), |a| {
        let v = Version::parse(arg_str(a, 0)).map_err(|e| call_err(e.to_string()))?;
        Ok(Value::Object(Rc::new(VersionObject(v))))
    })
}

pub(crate) fn semver_compare() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let c = Constraints::parse(arg_str(a, 0)).map_err(|e| call_err(e.to_string()))?;
        let v = Version::parse(arg_str(a, 1)).map_err(|e| call_err(e.to_string()))?;
        Ok(Value::Bool(c.check(&v)))
    })
}
