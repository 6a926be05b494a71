//! Sprig's date functions (`now`, `date`, `toDate`, `dateModify`,
//! `duration`, `ago`, ...) and the Go values they produce: `time.Time`,
//! `time.Duration`, `time.Month`, `time.Weekday` and `*time.Location` as
//! template objects with the methods templates can call on them.

use std::fmt;
use std::rc::Rc;

use chartkit_gotemplate::{Func, FuncError, Object, Value};

use crate::gotime::{self, Location, Time, duration, layout};
use crate::util::{Any, Str, arg, arg_str, call_err, fixed, string};

/// Hidden method through which a template value yields its Go state. Its
/// name is not an identifier, so templates cannot call it.
const STATE: &str = "#state";

/// A Go `time.Time` as a template value.
#[derive(Debug)]
pub(crate) struct TimeObject(pub(crate) Time);

/// A Go `time.Duration` as a template value.
#[derive(Debug)]
struct DurationObject(i64);

/// A Go `time.Month` as a template value.
#[derive(Debug)]
struct MonthObject(i64);

/// A Go `time.Weekday` as a template value.
#[derive(Debug)]
struct WeekdayObject(i64);

/// A Go `*time.Location` as a template value.
#[derive(Debug)]
struct LocationObject(Location);

/// Wraps a time as a template value.
pub(crate) fn time_value(t: Time) -> Value {
    Value::Object(Rc::new(TimeObject(t)))
}

fn location_state(loc: &Location) -> Value {
    let (kind, offset) = match loc {
        Location::Utc => ("utc", 0),
        Location::Local => ("local", 0),
        Location::Fixed { offset, .. } => ("fixed", *offset),
        Location::Tzif { .. } => ("tzif", 0),
    };
    Value::list(vec![
        string(kind),
        string(loc.name()),
        Value::Int64(i64::from(offset)),
    ])
}

fn location_from_state(v: &Value) -> Option<Location> {
    let items = v.as_list()?;
    let kind = items.items.first()?.as_str()?;
    let name = items.items.get(1)?.as_str()?;
    let offset = match items.items.get(2)? {
        Value::Int64(o) => i32::try_from(*o).ok()?,
        _ => return None,
    };
    Some(match kind {
        "utc" => Location::Utc,
        "local" => Location::Local,
        "fixed" => Location::Fixed {
            name: name.into(),
            offset,
        },
        // Loaded before under this name, so it loads again (from the cache).
        _ => Location::load(name).ok()?,
    })
}

/// The Go time held by a template value, if it is a `time.Time`.
pub(crate) fn time_of(v: &Value) -> Option<Time> {
    let Value::Object(o) = v else { return None };
    if o.type_name() != "time.Time" {
        return None;
    }
    let state = o.call_method(STATE, &[])?.ok()?;
    let items = state.as_list()?;
    let sec = match items.items.first()? {
        Value::Int64(s) => *s,
        _ => return None,
    };
    let nsec = match items.items.get(1)? {
        Value::Int64(n) => u32::try_from(*n).ok()?,
        _ => return None,
    };
    let mono = match items.items.get(2)? {
        Value::Int64(m) => Some(*m),
        _ => None,
    };
    let loc = location_from_state(items.items.get(3)?)?;
    Some(Time::from_parts(sec, nsec, mono, loc))
}

fn duration_of(v: &Value) -> Option<i64> {
    match v {
        Value::Object(o) if o.type_name() == "time.Duration" => match o.call_method(STATE, &[])? {
            Ok(Value::Int64(d)) => Some(d),
            _ => None,
        },
        _ => None,
    }
}

fn location_of(v: &Value) -> Option<Location> {
    match v {
        Value::Object(o) if o.type_name() == "*time.Location" => {
            location_from_state(&o.call_method(STATE, &[])?.ok()?)
        }
        _ => None,
    }
}

/// The type Go names when a value does not fit a typed parameter; a nil
/// here is a missing value (an empty `interface {}`).
fn got_type(v: &Value) -> String {
    if v.is_nil() {
        "interface {}".into()
    } else {
        v.type_name()
    }
}

fn wrong_type(expected: &str, v: &Value) -> FuncError {
    FuncError::arg(format!(
        "wrong type for value; expected {expected}; got {}",
        got_type(v)
    ))
}

/// A `time.Time` parameter, with text/template's error for anything else.
fn time_param(v: &Value) -> Result<Time, FuncError> {
    time_of(v).ok_or_else(|| wrong_type("time.Time", v))
}

/// A `time.Duration` method parameter. Template number literals arrive as
/// ints; Go converts them to `Duration`.
fn duration_param(v: &Value) -> Result<i64, FuncError> {
    match v {
        Value::Int(n) | Value::Int64(n) => Ok(*n),
        _ => duration_of(v).ok_or_else(|| wrong_type("time.Duration", v)),
    }
}

fn int_param(v: &Value) -> Result<i64, FuncError> {
    match v {
        Value::Int(n) => Ok(*n),
        _ => Err(wrong_type("int", v)),
    }
}

fn string_param(v: &Value) -> Result<&str, FuncError> {
    v.as_str().ok_or_else(|| wrong_type("string", v))
}

/// Go's `wrong number of args for NAME: want N got M`.
fn arity(name: &str, args: &[Value], want: usize) -> Result<(), FuncError> {
    if args.len() == want {
        Ok(())
    } else {
        Err(FuncError::arg(format!(
            "wrong number of args for {name}: want {want} got {}",
            args.len()
        )))
    }
}

/// Go's refusal to call a method with more results than a template can take.
fn too_many_results(name: &str, n: usize) -> FuncError {
    FuncError::arg(format!(
        "function {name} has {n} return values; should be 1 or 2"
    ))
}

fn duration_value(d: i64) -> Value {
    Value::Object(Rc::new(DurationObject(d)))
}

/// `Time.GoString()`: `time.Date(2009, time.November, 10, 23, 0, 0, 0, time.UTC)`.
fn go_syntax(t: &Time) -> String {
    let c = t.civil();
    let month = match usize::try_from(c.month - 1)
        .ok()
        .and_then(|i| gotime::LONG_MONTH_NAMES.get(i))
    {
        Some(m) => format!("time.{m}"),
        None => c.month.to_string(),
    };
    let loc = match t.location() {
        Location::Utc => "time.UTC".to_string(),
        Location::Local => "time.Local".to_string(),
        other => format!("time.Location({})", gotime::quote(other.name().as_bytes())),
    };
    format!(
        "time.Date({}, {month}, {}, {}, {}, {}, {}, {loc})",
        c.year,
        c.day,
        c.hour,
        c.minute,
        c.second,
        t.nanosecond()
    )
}

/// `Time.MarshalText` / `MarshalJSON`, with Go's error texts.
fn marshal(t: &Time, json: bool) -> Result<Value, FuncError> {
    let method = if json { "MarshalJSON" } else { "MarshalText" };
    match t.rfc3339_strict() {
        Ok(s) => {
            let s = if json { format!("\"{s}\"") } else { s };
            Ok(Value::Bytes(s.into_bytes().into()))
        }
        Err(e) => Err(call_err(format!("Time.{method}: {e}"))),
    }
}

impl TimeObject {
    /// Calls one of [`TIME_METHODS`] (or the hidden state method).
    fn method(&self, name: &str, args: &[Value]) -> Result<Value, FuncError> {
        let t = &self.0;
        let want = |n: usize| arity(name, args, n);
        Ok(match name {
            STATE => {
                let (sec, nsec, mono, loc) = t.parts();
                Value::list(vec![
                    Value::Int64(sec),
                    Value::Int64(i64::from(nsec)),
                    mono.map_or(Value::Nil, Value::Int64),
                    location_state(loc),
                ])
            }
            "Add" => {
                want(1)?;
                time_value(t.add(duration_param(arg(args, 0))?))
            }
            "AddDate" => {
                want(3)?;
                let (y, m, d) = (
                    int_param(arg(args, 0))?,
                    int_param(arg(args, 1))?,
                    int_param(arg(args, 2))?,
                );
                time_value(t.add_date(y, m, d))
            }
            "After" | "Before" | "Equal" | "Compare" => {
                want(1)?;
                let ord = t.compare(&time_param(arg(args, 0))?);
                match name {
                    "After" => Value::Bool(ord.is_gt()),
                    "Before" => Value::Bool(ord.is_lt()),
                    "Equal" => Value::Bool(ord.is_eq()),
                    _ => Value::Int(ord as i64),
                }
            }
            "Sub" => {
                want(1)?;
                duration_value(t.sub(&time_param(arg(args, 0))?))
            }
            "Round" | "Truncate" => {
                want(1)?;
                let d = duration_param(arg(args, 0))?;
                time_value(if name == "Round" {
                    t.round(d)
                } else {
                    t.truncate(d)
                })
            }
            "Format" => {
                want(1)?;
                string(layout::format(t, string_param(arg(args, 0))?))
            }
            "In" => {
                want(1)?;
                let v = arg(args, 0);
                let loc = location_of(v).ok_or_else(|| wrong_type("*time.Location", v))?;
                time_value(t.in_loc(&loc))
            }
            "Clock" | "Date" => return Err(too_many_results(name, 3)),
            "ISOWeek" | "Zone" | "ZoneBounds" => return Err(too_many_results(name, 2)),
            _ => {
                want(0)?;
                let c = || t.civil();
                match name {
                    "String" => string(t.go_string()),
                    "GoString" => string(go_syntax(t)),
                    "Unix" => Value::Int64(t.unix_sec()),
                    "UnixMilli" => Value::Int64(t.unix_milli()),
                    "UnixMicro" => Value::Int64(t.unix_micro()),
                    "UnixNano" => Value::Int64(t.unix_nano()),
                    "Year" => Value::Int(c().year),
                    "Month" => Value::Object(Rc::new(MonthObject(c().month))),
                    "Day" => Value::Int(c().day),
                    "Hour" => Value::Int(c().hour),
                    "Minute" => Value::Int(c().minute),
                    "Second" => Value::Int(c().second),
                    "Nanosecond" => Value::Int(t.nanosecond()),
                    "YearDay" => Value::Int(c().yday),
                    "Weekday" => Value::Object(Rc::new(WeekdayObject(c().weekday))),
                    "IsZero" => Value::Bool(t.is_zero()),
                    "IsDST" => Value::Bool(t.is_dst()),
                    "UTC" => time_value(t.utc()),
                    "Local" => time_value(t.local()),
                    "Location" => Value::Object(Rc::new(LocationObject(t.location().clone()))),
                    "MarshalJSON" => marshal(t, true)?,
                    _ => marshal(t, false)?,
                }
            }
        })
    }
}

impl Object for TimeObject {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn kind_name(&self) -> &str {
        "struct"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        (name == STATE || TIME_METHODS.contains(&name)).then(|| self.method(name, args))
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        f.write_str(&self.0.go_string())
    }

    fn to_data(&self) -> Option<Value> {
        // encoding/json uses MarshalJSON: RFC 3339 with nanoseconds.
        Some(string(layout::format(&self.0, layout::RFC3339_NANO)))
    }
}

/// The `time.Time` methods a template can call (Go's value method set,
/// less the binary encoders and `Append*`, which need `[]byte` arguments).
const TIME_METHODS: &[&str] = &[
    "Add",
    "AddDate",
    "After",
    "Before",
    "Clock",
    "Compare",
    "Date",
    "Day",
    "Equal",
    "Format",
    "GoString",
    "Hour",
    "ISOWeek",
    "In",
    "IsDST",
    "IsZero",
    "Local",
    "Location",
    "MarshalJSON",
    "MarshalText",
    "Minute",
    "Month",
    "Nanosecond",
    "Round",
    "Second",
    "String",
    "Sub",
    "Truncate",
    "UTC",
    "Unix",
    "UnixMicro",
    "UnixMilli",
    "UnixNano",
    "Weekday",
    "Year",
    "YearDay",
    "Zone",
    "ZoneBounds",
];

impl Object for DurationObject {
    fn type_name(&self) -> &str {
        "time.Duration"
    }

    fn kind_name(&self) -> &str {
        "int64"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        let d = self.0;
        let zero = |v: Value| arity(name, args, 0).map(|()| v);
        Some(match name {
            STATE => Ok(Value::Int64(d)),
            "String" => zero(string(duration::format(d))),
            "Nanoseconds" => zero(Value::Int64(d)),
            "Microseconds" => zero(Value::Int64(d / 1_000)),
            "Milliseconds" => zero(Value::Int64(d / 1_000_000)),
            "Seconds" => zero(Value::Float(duration::in_units(d, duration::SECOND))),
            "Minutes" => zero(Value::Float(duration::in_units(d, duration::MINUTE))),
            "Hours" => zero(Value::Float(duration::in_units(d, duration::HOUR))),
            "Abs" => zero(duration_value(duration::abs(d))),
            "Round" | "Truncate" => arity(name, args, 1).and_then(|()| {
                let m = duration_param(arg(args, 0))?;
                Ok(duration_value(if name == "Round" {
                    duration::round(d, m)
                } else {
                    duration::truncate(d, m)
                }))
            }),
            _ => return None,
        })
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        f.write_str(&duration::format(self.0))
    }

    fn to_data(&self) -> Option<Value> {
        Some(Value::Int64(self.0))
    }

    fn truthy(&self) -> bool {
        self.0 != 0
    }
}

impl Object for MonthObject {
    fn type_name(&self) -> &str {
        "time.Month"
    }

    fn kind_name(&self) -> &str {
        "int"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        (name == "String")
            .then(|| arity(name, args, 0).map(|()| string(gotime::month_name(self.0))))
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        f.write_str(&gotime::month_name(self.0))
    }

    fn to_data(&self) -> Option<Value> {
        Some(Value::Int(self.0))
    }

    fn truthy(&self) -> bool {
        self.0 != 0
    }
}

impl Object for WeekdayObject {
    fn type_name(&self) -> &str {
        "time.Weekday"
    }

    fn kind_name(&self) -> &str {
        "int"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        (name == "String")
            .then(|| arity(name, args, 0).map(|()| string(gotime::weekday_name(self.0))))
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        f.write_str(&gotime::weekday_name(self.0))
    }

    fn to_data(&self) -> Option<Value> {
        Some(Value::Int(self.0))
    }

    fn truthy(&self) -> bool {
        self.0 != 0
    }
}

impl Object for LocationObject {
    fn type_name(&self) -> &str {
        "*time.Location"
    }

    fn call_method(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        match name {
            STATE => Some(Ok(location_state(&self.0))),
            "String" => Some(arity(name, args, 0).map(|()| string(self.0.name()))),
            _ => None,
        }
    }

    fn fmt_go(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

/// The time Sprig's `date` family formats: a `time.Time`, or an int, int32
/// or int64 of Unix seconds; anything else means now.
fn date_arg(v: &Value) -> Time {
    match v {
        Value::Int(n) | Value::Int64(n) => Time::unix(*n, 0),
        _ => time_of(v).unwrap_or_else(Time::now),
    }
}

/// Sprig's `dateInZone`: an unknown zone means UTC.
fn date_in_zone_impl(fmt: &str, date: &Value, zone: &str) -> String {
    let loc = Location::load(zone).unwrap_or(Location::Utc);
    layout::format(&date_arg(date).in_loc(&loc), fmt)
}

pub(crate) fn now() -> Func {
    Func::pure(fixed(&[]), |_| Ok(time_value(Time::now())))
}

pub(crate) fn date() -> Func {
    Func::pure(fixed(&[Str, Any]), |a| {
        Ok(string(date_in_zone_impl(arg_str(a, 0), arg(a, 1), "Local")))
    })
}

pub(crate) fn date_in_zone() -> Func {
    Func::pure(fixed(&[Str, Any, Str]), |a| {
        Ok(string(date_in_zone_impl(
            arg_str(a, 0),
            arg(a, 1),
            arg_str(a, 2),
        )))
    })
}

pub(crate) fn html_date() -> Func {
    Func::pure(fixed(&[Any]), |a| {
        Ok(string(date_in_zone_impl("2006-01-02", arg(a, 0), "Local")))
    })
}

pub(crate) fn html_date_in_zone() -> Func {
    Func::pure(fixed(&[Any, Str]), |a| {
        Ok(string(date_in_zone_impl(
            "2006-01-02",
            arg(a, 0),
            arg_str(a, 1),
        )))
    })
}

/// Sprig's `dateModify`: a bad duration leaves the time unchanged.
pub(crate) fn date_modify() -> Func {
    Func::pure(fixed(&[Str, Any]), |a| {
        let t = time_param(arg(a, 1))?;
        Ok(time_value(match duration::parse(arg_str(a, 0)) {
            Ok(d) => t.add(d),
            Err(_) => t,
        }))
    })
}

pub(crate) fn must_date_modify() -> Func {
    Func::pure(fixed(&[Str, Any]), |a| {
        let t = time_param(arg(a, 1))?;
        let d = duration::parse(arg_str(a, 0)).map_err(|e| call_err(e.to_string()))?;
        Ok(time_value(t.add(d)))
    })
}

/// Sprig's `ago`: time since a `time.Time`, int or int64 (else now),
/// rounded to seconds.
pub(crate) fn ago() -> Func {
    Func::pure(fixed(&[Any]), |a| {
        let t = date_arg(arg(a, 0));
        Ok(string(duration::format(duration::round(
            t.since(),
            duration::SECOND,
        ))))
    })
}

/// Sprig's `duration`: seconds (a string or int64; anything else is 0)
/// as a Go duration string.
pub(crate) fn duration_fn() -> Func {
    Func::pure(fixed(&[Any]), |a| {
        let n = match arg(a, 0) {
            Value::String(s) => match crate::util::parse_int(s, 10) {
                Ok(n) => n,
                // ParseInt returns the nearest bound on overflow.
                Err(crate::util::NumError::Range) if s.starts_with('-') => i64::MIN,
                Err(crate::util::NumError::Range) => i64::MAX,
                Err(crate::util::NumError::Syntax) => 0,
            },
            Value::Int64(n) => *n,
            _ => 0,
        };
        Ok(string(duration::format(n.wrapping_mul(duration::SECOND))))
    })
}

/// Sprig's `durationRound`: the largest whole unit (y, mo, d, h, m, s) of
/// a duration string, int64 nanoseconds, or the time since a `time.Time`.
pub(crate) fn duration_round() -> Func {
    Func::pure(fixed(&[Any]), |a| {
        let v = arg(a, 0);
        let d = match v {
            Value::String(s) => duration::parse(s).unwrap_or(0),
            Value::Int64(n) => *n,
            _ => time_of(v).map_or(0, |t| t.since()),
        };
        let u = d.unsigned_abs();
        const HOUR: u64 = duration::HOUR as u64;
        let units: [(u64, &str); 6] = [
            (HOUR * 24 * 365, "y"),
            (HOUR * 24 * 30, "mo"),
            (HOUR * 24, "d"),
            (HOUR, "h"),
            (duration::MINUTE as u64, "m"),
            (duration::SECOND as u64, "s"),
        ];
        let out = units
            .iter()
            .find(|(unit, _)| u > *unit)
            .map(|(unit, suffix)| format!("{}{suffix}", u / unit));
        Ok(string(out.unwrap_or_else(|| "0s".into())))
    })
}

/// Sprig's `toDate`: parses in `Local`; a failure is the zero time.
pub(crate) fn to_date() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        let t = layout::parse_in_location(arg_str(a, 0), arg_str(a, 1), &Location::Local)
            .unwrap_or_default();
        Ok(time_value(t))
    })
}

pub(crate) fn must_to_date() -> Func {
    Func::pure(fixed(&[Str, Str]), |a| {
        layout::parse_in_location(arg_str(a, 0), arg_str(a, 1), &Location::Local)
            .map(time_value)
            .map_err(|e| call_err(e.to_string()))
    })
}

/// Sprig's `unixEpoch`: Unix seconds of a `time.Time`, as a string.
pub(crate) fn unix_epoch() -> Func {
    Func::pure(fixed(&[Any]), |a| {
        Ok(string(time_param(arg(a, 0))?.unix_sec().to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chartkit_gotemplate::{CallContext, ExecHost};

    struct NoHost;

    impl ExecHost for NoHost {
        fn execute_template(
            &mut self,
            _: &str,
            _: &Value,
        ) -> Result<String, chartkit_gotemplate::Error> {
            Ok(String::new())
        }
        fn parse_and_execute(
            &mut self,
            _: &str,
            _: &str,
            _: &Value,
        ) -> Result<String, chartkit_gotemplate::Error> {
            Ok(String::new())
        }
        fn has_template(&self, _: &str) -> bool {
            false
        }
        fn current_template(&self) -> &str {
            "t"
        }
    }

    fn call(f: Func, args: &[Value]) -> Result<Value, FuncError> {
        let mut host = NoHost;
        f.call(&mut CallContext::new(&mut host), args)
    }

    fn show(v: &Value) -> String {
        chartkit_gotemplate::fmt::format_value(v)
    }

    #[test]
    fn time_values_round_trip_through_templates() {
        let t = Time::unix(1_700_000_000, 5).in_loc(&Location::Fixed {
            name: "X".into(),
            offset: 3600,
        });
        let back = time_of(&time_value(t.clone())).map(|b| b.go_string());
        assert_eq!(
            back.as_deref(),
            Some("2023-11-14 23:13:20.000000005 +0100 X")
        );
        assert_eq!(time_of(&string("x")).map(|t| t.unix_sec()), None);
    }

    #[test]
    fn durations_and_rounding() {
        let d = |v: Value| call(duration_fn(), &[v]).map(|v| show(&v));
        assert_eq!(d(string("95")), Ok("1m35s".into()));
        assert_eq!(d(Value::Int64(3600)), Ok("1h0m0s".into()));
        assert_eq!(d(Value::Int(30)), Ok("0s".into()));
        assert_eq!(d(string("x")), Ok("0s".into()));
        let r = |v: Value| call(duration_round(), &[v]).map(|v| show(&v));
        assert_eq!(r(string("2h10m5s")), Ok("2h".into()));
        assert_eq!(r(string("-1h1m")), Ok("1h".into()));
        assert_eq!(r(string("1h")), Ok("60m".into()));
        assert_eq!(r(Value::Int64(400 * 24 * duration::HOUR)), Ok("1y".into()));
        assert_eq!(r(Value::Int(5)), Ok("0s".into()));
    }

    #[test]
    fn methods_and_errors() {
        let t = time_value(Time::unix(0, 0).utc());
        let Value::Object(o) = &t else { return };
        let m = |name: &str, args: &[Value]| o.call_method(name, args).map(|r| r.map(|v| show(&v)));
        assert_eq!(m("Format", &[string("2006")]), Some(Ok("1970".into())));
        assert_eq!(
            m("Add", &[Value::Int(90 * duration::SECOND)])
                .and_then(Result::ok)
                .map(|s| s[..19].to_string()),
            Some("1970-01-01 00:01:30".into())
        );
        assert_eq!(m("Month", &[]), Some(Ok("January".into())));
        assert_eq!(m("Weekday", &[]), Some(Ok("Thursday".into())));
        assert_eq!(m("Unix", &[]), Some(Ok("0".into())));
        assert_eq!(
            m("GoString", &[]),
            Some(Ok(
                "time.Date(1970, time.January, 1, 0, 0, 0, 0, time.UTC)".into()
            ))
        );
        assert_eq!(m("Sub", std::slice::from_ref(&t)), Some(Ok("0s".into())));
        assert_eq!(
            m("Format", &[]),
            Some(Err(FuncError::arg(
                "wrong number of args for Format: want 1 got 0"
            )))
        );
        assert_eq!(
            m("Add", &[string("1h")]),
            Some(Err(FuncError::arg(
                "wrong type for value; expected time.Duration; got string"
            )))
        );
        assert_eq!(
            m("Clock", &[]),
            Some(Err(FuncError::arg(
                "function Clock has 3 return values; should be 1 or 2"
            )))
        );
        assert_eq!(m("NoSuch", &[]), None);
        assert_eq!(m(STATE, &[]).map(|r| r.is_ok()), Some(true));
    }
}
