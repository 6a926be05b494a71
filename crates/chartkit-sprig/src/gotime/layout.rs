//! Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`): `Time.Format`
//! and `time.ParseInLocation`, element by element as Go recognises them,
//! with Go's parse errors.

use std::fmt;

use super::{LONG_DAY_NAMES, LONG_MONTH_NAMES};
use super::{Location, Time, date, days_before, days_in, is_leap, quote};

/// Go's `time.RFC3339Nano`.
pub(crate) const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";

/// One layout element (Go's `std*` constants).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TZ,
    Iso8601TZ,
    Iso8601SecondsTZ,
    Iso8601ShortTZ,
    Iso8601ColonTZ,
    Iso8601ColonSecondsTZ,
    NumTZ,
    NumSecondsTz,
    NumShortTZ,
    NumColonTZ,
    NumColonSecondsTZ,
    /// `.000`: this many digits, trailing zeros kept.
    FracSecond0 {
        digits: usize,
        sep: u8,
    },
    /// `.999`: at most this many digits, trailing zeros dropped.
    FracSecond9 {
        digits: usize,
        sep: u8,
    },
}

impl Std {
    fn is_iso8601(self) -> bool {
        matches!(
            self,
            Std::Iso8601TZ
                | Std::Iso8601SecondsTZ
                | Std::Iso8601ShortTZ
                | Std::Iso8601ColonTZ
                | Std::Iso8601ColonSecondsTZ
        )
    }

    fn is_numeric_tz(self) -> bool {
        self.is_iso8601()
            || matches!(
                self,
                Std::NumTZ
                    | Std::NumSecondsTz
                    | Std::NumShortTZ
                    | Std::NumColonTZ
                    | Std::NumColonSecondsTZ
            )
    }
}

/// The `Std` for `0N` (`01` month, `02` day, `03` hour, `04`, `05`, `06` year).
const STD_0X: [Std; 6] = [
    Std::ZeroMonth,
    Std::ZeroDay,
    Std::ZeroHour12,
    Std::ZeroMinute,
    Std::ZeroSecond,
    Std::Year,
];

fn starts_with_lower(s: &[u8]) -> bool {
    s.first().is_some_and(u8::is_ascii_lowercase)
}

fn is_digit(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// Go's `nextStdChunk`: the text before the first layout element, the
/// element, and the text after it.
fn next_std_chunk(layout: &[u8]) -> (&[u8], Option<Std>, &[u8]) {
    let at =
        |i: usize, s: &str| layout.len() >= i + s.len() && &layout[i..i + s.len()] == s.as_bytes();
    for i in 0..layout.len() {
        let found = |std: Std, len: usize| Some((&layout[..i], Some(std), &layout[i + len..]));
        let hit = match layout[i] {
            b'J' if at(i, "Jan") => {
                if at(i, "January") {
                    found(Std::LongMonth, 7)
                } else if !starts_with_lower(&layout[i + 3..]) {
                    found(Std::Month, 3)
                } else {
                    None
                }
            }
            b'M' if layout.len() >= i + 3 => {
                if at(i, "Mon") {
                    if at(i, "Monday") {
                        found(Std::LongWeekDay, 6)
                    } else if !starts_with_lower(&layout[i + 3..]) {
                        found(Std::WeekDay, 3)
                    } else if at(i, "MST") {
                        found(Std::TZ, 3)
                    } else {
                        None
                    }
                } else if at(i, "MST") {
                    found(Std::TZ, 3)
                } else {
                    None
                }
            }
            b'0' => {
                if layout.len() >= i + 2 && (b'1'..=b'6').contains(&layout[i + 1]) {
                    found(STD_0X[usize::from(layout[i + 1] - b'1')], 2)
                } else if at(i, "002") {
                    found(Std::ZeroYearDay, 3)
                } else {
                    None
                }
            }
            b'1' => {
                if at(i, "15") {
                    found(Std::Hour, 2)
                } else {
                    found(Std::NumMonth, 1)
                }
            }
            b'2' => {
                if at(i, "2006") {
                    found(Std::LongYear, 4)
                } else {
                    found(Std::Day, 1)
                }
            }
            b'_' => {
                if at(i, "_2") {
                    // `_2006` is a literal `_` and then the year.
                    if at(i + 1, "2006") {
                        Some((&layout[..i + 1], Some(Std::LongYear), &layout[i + 5..]))
                    } else {
                        found(Std::UnderDay, 2)
                    }
                } else if at(i, "__2") {
                    found(Std::UnderYearDay, 3)
                } else {
                    None
                }
            }
            b'3' => found(Std::Hour12, 1),
            b'4' => found(Std::Minute, 1),
            b'5' => found(Std::Second, 1),
            b'P' if at(i, "PM") => found(Std::PM, 2),
            b'p' if at(i, "pm") => found(Std::Pm, 2),
            b'-' => {
                if at(i, "-070000") {
                    found(Std::NumSecondsTz, 7)
                } else if at(i, "-07:00:00") {
                    found(Std::NumColonSecondsTZ, 9)
                } else if at(i, "-0700") {
                    found(Std::NumTZ, 5)
                } else if at(i, "-07:00") {
                    found(Std::NumColonTZ, 6)
                } else if at(i, "-07") {
                    found(Std::NumShortTZ, 3)
                } else {
                    None
                }
            }
            b'Z' => {
                if at(i, "Z070000") {
                    found(Std::Iso8601SecondsTZ, 7)
                } else if at(i, "Z07:00:00") {
                    found(Std::Iso8601ColonSecondsTZ, 9)
                } else if at(i, "Z0700") {
                    found(Std::Iso8601TZ, 5)
                } else if at(i, "Z07:00") {
                    found(Std::Iso8601ColonTZ, 6)
                } else if at(i, "Z07") {
                    found(Std::Iso8601ShortTZ, 3)
                } else {
                    None
                }
            }
            c @ (b'.' | b',') if i + 1 < layout.len() && matches!(layout[i + 1], b'0' | b'9') => {
                let ch = layout[i + 1];
                let mut j = i + 1;
                while j < layout.len() && layout[j] == ch {
                    j += 1;
                }
                // Only a run that is not followed by more digits is a fraction.
                if is_digit(layout, j) {
                    None
                } else {
                    // Go packs the count into 12 bits.
                    let digits = (j - (i + 1)) & 0xfff;
                    let std = if ch == b'0' {
                        Std::FracSecond0 { digits, sep: c }
                    } else {
                        Std::FracSecond9 { digits, sep: c }
                    };
                    Some((&layout[..i], Some(std), &layout[j..]))
                }
            }
            _ => None,
        };
        if let Some(hit) = hit {
            return hit;
        }
    }
    (layout, None, &[])
}

/// Go's `appendInt`: decimal, zero-padded to `width` digits after the sign.
fn push_int(out: &mut Vec<u8>, x: i64, width: usize) {
    if x < 0 {
        out.push(b'-');
    }
    let digits = x.unsigned_abs().to_string();
    for _ in digits.len()..width {
        out.push(b'0');
    }
    out.extend_from_slice(digits.as_bytes());
}

/// Go's `appendNano`.
fn push_nano(out: &mut Vec<u8>, nanosec: i64, digits: usize, sep: u8, trim: bool) {
    if trim && (digits == 0 || nanosec == 0) {
        return;
    }
    let start = out.len();
    out.push(sep);
    push_int(out, nanosec, 9);
    if digits < 9 {
        out.truncate(start + 1 + digits);
    }
    if trim {
        while out.len() > start && out[out.len() - 1] == b'0' {
            out.pop();
        }
        if out.len() > start && out[out.len() - 1] == sep {
            out.pop();
        }
    }
}

/// Go's `Time.Format(layout)`.
pub(crate) fn format(t: &Time, layout: &str) -> String {
    let (name, offset, abs) = t.locabs();
    let c = super::civil_from_abs(abs);
    let mut out: Vec<u8> = Vec::with_capacity(layout.len() + 10);
    let mut layout = layout.as_bytes();
    while !layout.is_empty() {
        let (prefix, std, suffix) = next_std_chunk(layout);
        out.extend_from_slice(prefix);
        let Some(std) = std else { break };
        layout = suffix;
        match std {
            Std::Year => push_int(&mut out, c.year.unsigned_abs().rem_euclid(100) as i64, 2),
            Std::LongYear => push_int(&mut out, c.year, 4),
            Std::Month => out.extend_from_slice(&month_text(c.month).as_bytes()[..3]),
            Std::LongMonth => out.extend_from_slice(month_text(c.month).as_bytes()),
            Std::NumMonth => push_int(&mut out, c.month, 0),
            Std::ZeroMonth => push_int(&mut out, c.month, 2),
            Std::WeekDay => {
                out.extend_from_slice(&LONG_DAY_NAMES[c.weekday as usize % 7].as_bytes()[..3])
            }
            Std::LongWeekDay => {
                out.extend_from_slice(LONG_DAY_NAMES[c.weekday as usize % 7].as_bytes())
            }
            Std::Day => push_int(&mut out, c.day, 0),
            Std::UnderDay => {
                if c.day < 10 {
                    out.push(b' ');
                }
                push_int(&mut out, c.day, 0);
            }
            Std::ZeroDay => push_int(&mut out, c.day, 2),
            Std::UnderYearDay => {
                if c.yday < 100 {
                    out.push(b' ');
                    if c.yday < 10 {
                        out.push(b' ');
                    }
                }
                push_int(&mut out, c.yday, 0);
            }
            Std::ZeroYearDay => push_int(&mut out, c.yday, 3),
            Std::Hour => push_int(&mut out, c.hour, 2),
            Std::Hour12 | Std::ZeroHour12 => {
                let hr = match c.hour % 12 {
                    0 => 12,
                    h => h,
                };
                push_int(&mut out, hr, if std == Std::Hour12 { 0 } else { 2 });
            }
            Std::Minute => push_int(&mut out, c.minute, 0),
            Std::ZeroMinute => push_int(&mut out, c.minute, 2),
            Std::Second => push_int(&mut out, c.second, 0),
            Std::ZeroSecond => push_int(&mut out, c.second, 2),
            Std::PM => out.extend_from_slice(if c.hour >= 12 { b"PM" } else { b"AM" }),
            Std::Pm => out.extend_from_slice(if c.hour >= 12 { b"pm" } else { b"am" }),
            std if std.is_numeric_tz() => {
                // The Z variants print `Z` for a zero offset (ISO 8601).
                if offset == 0 && std.is_iso8601() {
                    out.push(b'Z');
                    continue;
                }
                let mut zone = i64::from(offset) / 60;
                let mut abs_offset = i64::from(offset);
                if zone < 0 {
                    out.push(b'-');
                    zone = -zone;
                    abs_offset = -abs_offset;
                } else {
                    out.push(b'+');
                }
                push_int(&mut out, zone / 60, 2);
                if matches!(
                    std,
                    Std::Iso8601ColonTZ
                        | Std::NumColonTZ
                        | Std::Iso8601ColonSecondsTZ
                        | Std::NumColonSecondsTZ
                ) {
                    out.push(b':');
                }
                if !matches!(std, Std::NumShortTZ | Std::Iso8601ShortTZ) {
                    push_int(&mut out, zone % 60, 2);
                }
                if matches!(
                    std,
                    Std::Iso8601SecondsTZ
                        | Std::NumSecondsTz
                        | Std::NumColonSecondsTZ
                        | Std::Iso8601ColonSecondsTZ
                ) {
                    if matches!(std, Std::NumColonSecondsTZ | Std::Iso8601ColonSecondsTZ) {
                        out.push(b':');
                    }
                    push_int(&mut out, abs_offset % 60, 2);
                }
            }
            Std::TZ => {
                if !name.is_empty() {
                    out.extend_from_slice(name.as_bytes());
                    continue;
                }
                // No zone name known: print the offset as -0700.
                let mut zone = i64::from(offset) / 60;
                if zone < 0 {
                    out.push(b'-');
                    zone = -zone;
                } else {
                    out.push(b'+');
                }
                push_int(&mut out, zone / 60, 2);
                push_int(&mut out, zone % 60, 2);
            }
            Std::FracSecond0 { digits, sep } => {
                push_nano(&mut out, t.nanosecond(), digits, sep, false)
            }
            Std::FracSecond9 { digits, sep } => {
                push_nano(&mut out, t.nanosecond(), digits, sep, true)
            }
            _ => {}
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The name of a calendar month (1..=12, as the calendar produces).
fn month_text(m: i64) -> &'static str {
    LONG_MONTH_NAMES[(m - 1).clamp(0, 11) as usize]
}

/// A `time.Parse` failure; displays as Go's `*time.ParseError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) struct ParseError {
    layout: Vec<u8>,
    value: Vec<u8>,
    layout_elem: Vec<u8>,
    value_elem: Vec<u8>,
    message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(
                f,
                "parsing time {} as {}: cannot parse {} as {}",
                quote(&self.value),
                quote(&self.layout),
                quote(&self.value_elem),
                quote(&self.layout_elem)
            )
        } else {
            write!(f, "parsing time {}{}", quote(&self.value), self.message)
        }
    }
}

/// Go's `errBad`: a value that does not fit its layout element.
struct Bad;

/// Go's `getnum`: one or two digits (`fixed` demands two).
fn getnum(s: &[u8], fixed: bool) -> Result<(i64, &[u8]), Bad> {
    if !is_digit(s, 0) {
        return Err(Bad);
    }
    if !is_digit(s, 1) {
        if fixed {
            return Err(Bad);
        }
        return Ok((i64::from(s[0] - b'0'), &s[1..]));
    }
    Ok((
        i64::from(s[0] - b'0') * 10 + i64::from(s[1] - b'0'),
        &s[2..],
    ))
}

/// Go's `getnum3`: one to three digits (`fixed` demands three).
fn getnum3(s: &[u8], fixed: bool) -> Result<(i64, &[u8]), Bad> {
    let mut n = 0;
    let mut i = 0;
    while i < 3 && is_digit(s, i) {
        n = n * 10 + i64::from(s[i] - b'0');
        i += 1;
    }
    if i == 0 || (fixed && i != 3) {
        return Err(Bad);
    }
    Ok((n, &s[i..]))
}

/// Go's `atoi` of the time package: an optional sign and digits, nothing else.
fn atoi(s: &[u8]) -> Result<i64, Bad> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (q, rem) = super::duration::leading_int(digits).ok_or(Bad)?;
    if !rem.is_empty() {
        return Err(Bad);
    }
    let x = q as i64;
    Ok(if neg { x.wrapping_neg() } else { x })
}

fn cutspace(mut s: &[u8]) -> &[u8] {
    while s.first() == Some(&b' ') {
        s = &s[1..];
    }
    s
}

/// Go's `skip`: removes the literal `prefix`, a run of spaces matching a run.
fn skip<'v>(mut value: &'v [u8], mut prefix: &[u8]) -> Result<&'v [u8], &'v [u8]> {
    while let Some(&p) = prefix.first() {
        if p == b' ' {
            if value.first().is_some_and(|&c| c != b' ') {
                return Err(value);
            }
            prefix = cutspace(prefix);
            value = cutspace(value);
            continue;
        }
        if value.first() != Some(&p) {
            return Err(value);
        }
        prefix = &prefix[1..];
        value = &value[1..];
    }
    Ok(value)
}

/// Go's `lookup` of a name table: a case-insensitive (ASCII letters) prefix match.
fn lookup_name<'v>(
    table: &[&str],
    value: &'v [u8],
    len: Option<usize>,
) -> Result<(i64, &'v [u8]), Bad> {
    for (i, name) in table.iter().enumerate() {
        let name = match len {
            Some(n) => &name.as_bytes()[..n],
            None => name.as_bytes(),
        };
        if value.len() >= name.len() && ascii_fold_eq(&value[..name.len()], name) {
            return Ok((i as i64, &value[name.len()..]));
        }
    }
    Err(Bad)
}

fn ascii_fold_eq(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).all(|(&x, &y)| {
        x == y || {
            let (x, y) = (x | 0x20, y | 0x20);
            x == y && x.is_ascii_lowercase()
        }
    })
}

/// Go's `parseTimeZone`: the length of a zone abbreviation at the start of `value`.
fn parse_time_zone(value: &[u8]) -> Option<usize> {
    if value.len() < 3 {
        return None;
    }
    if value.len() >= 4 && (&value[..4] == b"ChST" || &value[..4] == b"MeST") {
        return Some(4);
    }
    if &value[..3] == b"GMT" {
        return Some(
            3 + if value.len() > 3 {
                parse_signed_offset(&value[3..])
            } else {
                0
            },
        );
    }
    if value[0] == b'+' || value[0] == b'-' {
        let n = parse_signed_offset(value);
        return (n > 0).then_some(n);
    }
    let upper = value
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        5 if value[4] == b'T' => Some(5),
        4 if value[3] == b'T' || &value[..4] == b"WITA" => Some(4),
        3 => Some(3),
        _ => None,
    }
}

/// Go's `parseSignedOffset`: a sign and a number of hours up to 23.
fn parse_signed_offset(value: &[u8]) -> usize {
    if !matches!(value.first(), Some(b'-' | b'+')) {
        return 0;
    }
    match super::duration::leading_int(&value[1..]) {
        Some((x, rem)) if rem.len() != value.len() - 1 && x <= 23 => value.len() - rem.len(),
        _ => 0,
    }
}

/// Go's `parseNanoseconds`: a separator then digits, scaled to nanoseconds.
fn parse_nanoseconds(value: &[u8], mut nbytes: usize) -> Result<(i64, Option<&'static str>), Bad> {
    if !matches!(value.first(), Some(b'.' | b',')) {
        return Err(Bad);
    }
    if nbytes > 10 {
        nbytes = 10;
    }
    let mut ns = atoi(&value[1..nbytes])?;
    if ns < 0 {
        return Ok((ns, Some("fractional second")));
    }
    for _ in nbytes..10 {
        ns *= 10;
    }
    Ok((ns, None))
}

/// Go's `time.ParseInLocation(layout, value, loc)`.
pub(crate) fn parse_in_location(
    layout: &str,
    value: &str,
    loc: &Location,
) -> Result<Time, ParseError> {
    parse(layout.as_bytes(), value.as_bytes(), loc, loc)
}

/// Go's `parse`: elements of the layout consume the value in turn.
fn parse(
    alayout: &[u8],
    avalue: &[u8],
    default_loc: &Location,
    local: &Location,
) -> Result<Time, ParseError> {
    let err = |layout_elem: &[u8], value_elem: &[u8], message: String| ParseError {
        layout: alayout.to_vec(),
        value: avalue.to_vec(),
        layout_elem: layout_elem.to_vec(),
        value_elem: value_elem.to_vec(),
        message,
    };
    let (mut layout, mut value) = (alayout, avalue);
    let (mut am_set, mut pm_set) = (false, false);
    let (mut year, mut month, mut day, mut yday) = (0i64, -1i64, -1i64, -1i64);
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let mut z: Option<Location> = None;
    let mut zone_offset: i64 = -1;
    let mut zone_name: &[u8] = b"";

    loop {
        let (prefix, std, suffix) = next_std_chunk(layout);
        let stdstr = &layout[prefix.len()..layout.len() - suffix.len()];
        value = skip(value, prefix).map_err(|rest| err(prefix, rest, String::new()))?;
        let Some(std) = std else {
            if !value.is_empty() {
                return Err(err(b"", value, format!(": extra text: {}", quote(value))));
            }
            break;
        };
        layout = suffix;
        let hold = value;
        let mut range_err: Option<&str> = None;
        let result: Result<(), Bad> = (|| {
            match std {
                Std::Year => {
                    if value.len() < 2 {
                        return Err(Bad);
                    }
                    let p = &value[..2];
                    value = &value[2..];
                    year = atoi(p)?;
                    year += if year >= 69 { 1900 } else { 2000 };
                }
                Std::LongYear => {
                    if value.len() < 4 || !is_digit(value, 0) {
                        return Err(Bad);
                    }
                    let p = &value[..4];
                    value = &value[4..];
                    year = atoi(p)?;
                }
                Std::Month | Std::LongMonth => {
                    let len = if std == Std::Month { Some(3) } else { None };
                    let (m, rest) = lookup_name(&LONG_MONTH_NAMES, value, len)?;
                    month = m + 1;
                    value = rest;
                }
                Std::NumMonth | Std::ZeroMonth => {
                    let (m, rest) = getnum(value, std == Std::ZeroMonth)?;
                    (month, value) = (m, rest);
                    if month <= 0 || 12 < month {
                        range_err = Some("month");
                    }
                }
                Std::WeekDay | Std::LongWeekDay => {
                    let len = if std == Std::WeekDay { Some(3) } else { None };
                    let (_, rest) = lookup_name(&LONG_DAY_NAMES, value, len)?;
                    value = rest;
                }
                Std::Day | Std::UnderDay | Std::ZeroDay => {
                    if std == Std::UnderDay && value.first() == Some(&b' ') {
                        value = &value[1..];
                    }
                    let (d, rest) = getnum(value, std == Std::ZeroDay)?;
                    (day, value) = (d, rest);
                }
                Std::UnderYearDay | Std::ZeroYearDay => {
                    for _ in 0..2 {
                        if std == Std::UnderYearDay && value.first() == Some(&b' ') {
                            value = &value[1..];
                        }
                    }
                    let (d, rest) = getnum3(value, std == Std::ZeroYearDay)?;
                    (yday, value) = (d, rest);
                }
                Std::Hour => {
                    let (h, rest) = getnum(value, false)?;
                    (hour, value) = (h, rest);
                    if !(0..24).contains(&hour) {
                        range_err = Some("hour");
                    }
                }
                Std::Hour12 | Std::ZeroHour12 => {
                    let (h, rest) = getnum(value, std == Std::ZeroHour12)?;
                    (hour, value) = (h, rest);
                    if !(0..=12).contains(&hour) {
                        range_err = Some("hour");
                    }
                }
                Std::Minute | Std::ZeroMinute => {
                    let (m, rest) = getnum(value, std == Std::ZeroMinute)?;
                    (min, value) = (m, rest);
                    if !(0..60).contains(&min) {
                        range_err = Some("minute");
                    }
                }
                Std::Second | Std::ZeroSecond => {
                    let (s, rest) = getnum(value, std == Std::ZeroSecond)?;
                    (sec, value) = (s, rest);
                    if !(0..60).contains(&sec) {
                        range_err = Some("second");
                        return Ok(());
                    }
                    // A fraction in the value that the layout does not mention.
                    if value.len() >= 2 && matches!(value[0], b'.' | b',') && is_digit(value, 1) {
                        let (_, next, _) = next_std_chunk(layout);
                        if matches!(
                            next,
                            Some(Std::FracSecond0 { .. } | Std::FracSecond9 { .. })
                        ) {
                            return Ok(());
                        }
                        let mut n = 2;
                        while n < value.len() && is_digit(value, n) {
                            n += 1;
                        }
                        let (ns, re) = parse_nanoseconds(value, n)?;
                        (nsec, range_err) = (ns, re);
                        value = &value[n..];
                    }
                }
                Std::PM | Std::Pm => {
                    if value.len() < 2 {
                        return Err(Bad);
                    }
                    let p = &value[..2];
                    value = &value[2..];
                    let (pm, am): (&[u8], &[u8]) = if std == Std::PM {
                        (b"PM", b"AM")
                    } else {
                        (b"pm", b"am")
                    };
                    if p == pm {
                        pm_set = true;
                    } else if p == am {
                        am_set = true;
                    } else {
                        return Err(Bad);
                    }
                }
                std if std.is_numeric_tz() => {
                    if std.is_iso8601() && value.first() == Some(&b'Z') {
                        value = &value[1..];
                        z = Some(Location::Utc);
                        return Ok(());
                    }
                    let (sign, hh, mm, ss): (u8, &[u8], &[u8], &[u8]);
                    match std {
                        Std::Iso8601ColonTZ | Std::NumColonTZ => {
                            if value.len() < 6 || value[3] != b':' {
                                return Err(Bad);
                            }
                            (sign, hh, mm, ss) = (value[0], &value[1..3], &value[4..6], b"00");
                            value = &value[6..];
                        }
                        Std::NumShortTZ | Std::Iso8601ShortTZ => {
                            if value.len() < 3 {
                                return Err(Bad);
                            }
                            (sign, hh, mm, ss) = (value[0], &value[1..3], b"00", b"00");
                            value = &value[3..];
                        }
                        Std::Iso8601ColonSecondsTZ | Std::NumColonSecondsTZ => {
                            if value.len() < 9 || value[3] != b':' || value[6] != b':' {
                                return Err(Bad);
                            }
                            (sign, hh, mm, ss) =
                                (value[0], &value[1..3], &value[4..6], &value[7..9]);
                            value = &value[9..];
                        }
                        Std::Iso8601SecondsTZ | Std::NumSecondsTz => {
                            if value.len() < 7 {
                                return Err(Bad);
                            }
                            (sign, hh, mm, ss) =
                                (value[0], &value[1..3], &value[3..5], &value[5..7]);
                            value = &value[7..];
                        }
                        _ => {
                            if value.len() < 5 {
                                return Err(Bad);
                            }
                            (sign, hh, mm, ss) = (value[0], &value[1..3], &value[3..5], b"00");
                            value = &value[5..];
                        }
                    }
                    // Go keeps whatever parsed before a failure, and checks
                    // ranges before it reports the failure.
                    let (mut hr, mut mi, mut se, mut bad) = (0, 0, 0, false);
                    match getnum(hh, true) {
                        Ok((h, _)) => {
                            hr = h;
                            match getnum(mm, true) {
                                Ok((m, _)) => {
                                    mi = m;
                                    match getnum(ss, true) {
                                        Ok((x, _)) => se = x,
                                        Err(Bad) => bad = true,
                                    }
                                }
                                Err(Bad) => bad = true,
                            }
                        }
                        Err(Bad) => bad = true,
                    }
                    if hr > 24 {
                        range_err = Some("time zone offset hour");
                    }
                    if mi > 60 {
                        range_err = Some("time zone offset minute");
                    }
                    if se > 60 {
                        range_err = Some("time zone offset second");
                    }
                    zone_offset = (hr * 60 + mi) * 60 + se;
                    match sign {
                        b'+' => {}
                        b'-' => zone_offset = -zone_offset,
                        _ => return Err(Bad),
                    }
                    if bad {
                        return Err(Bad);
                    }
                }
                Std::TZ => {
                    if value.len() >= 3 && &value[..3] == b"UTC" {
                        z = Some(Location::Utc);
                        value = &value[3..];
                        return Ok(());
                    }
                    let n = parse_time_zone(value).ok_or(Bad)?;
                    zone_name = &value[..n];
                    value = &value[n..];
                }
                Std::FracSecond0 { digits, .. } => {
                    let ndigit = 1 + digits;
                    if value.len() < ndigit {
                        return Err(Bad);
                    }
                    let (ns, re) = parse_nanoseconds(value, ndigit)?;
                    (nsec, range_err) = (ns, re);
                    value = &value[ndigit..];
                }
                Std::FracSecond9 { .. } => {
                    if value.len() < 2
                        || !matches!(value[0], b'.' | b',')
                        || !value[1].is_ascii_digit()
                    {
                        return Ok(());
                    }
                    let mut i = 0;
                    while i + 1 < value.len() && value[i + 1].is_ascii_digit() {
                        i += 1;
                    }
                    let (ns, re) = parse_nanoseconds(value, 1 + i)?;
                    (nsec, range_err) = (ns, re);
                    value = &value[1 + i..];
                }
                _ => {}
            }
            Ok(())
        })();
        if let Some(what) = range_err {
            return Err(err(stdstr, value, format!(": {what} out of range")));
        }
        if result.is_err() {
            return Err(err(stdstr, hold, String::new()));
        }
    }

    if pm_set && hour < 12 {
        hour += 12;
    } else if am_set && hour == 12 {
        hour = 0;
    }

    if yday >= 0 {
        let (mut d, mut m) = (0, 0);
        if is_leap(year) {
            if yday == 31 + 29 {
                m = 2;
                d = 29;
            } else if yday > 31 + 29 {
                yday -= 1;
            }
        }
        if !(1..=365).contains(&yday) {
            return Err(err(b"", value, ": day-of-year out of range".into()));
        }
        if m == 0 {
            m = (yday - 1) / 31 + 1;
            if days_before(m + 1) < yday {
                m += 1;
            }
            d = yday - days_before(m);
        }
        if month >= 0 && month != m {
            return Err(err(b"", value, ": day-of-year does not match month".into()));
        }
        month = m;
        if day >= 0 && day != d {
            return Err(err(b"", value, ": day-of-year does not match day".into()));
        }
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }

    if day < 1 || day > days_in(month, year) {
        return Err(err(b"", value, ": day out of range".into()));
    }

    if let Some(z) = z {
        return Ok(date(year, month, day, hour, min, sec, nsec, &z));
    }

    if zone_offset != -1 {
        let t = date(year, month, day, hour, min, sec, nsec, &Location::Utc);
        let t = t.add_seconds(-zone_offset);
        // The local zone, if it has this offset at that instant.
        let (name, offset) = local.lookup(t.unix_sec());
        if i64::from(offset) == zone_offset
            && (zone_name.is_empty() || name.as_bytes() == zone_name)
        {
            return Ok(t.in_loc(local));
        }
        let name = String::from_utf8_lossy(zone_name);
        return Ok(t.in_loc(&Location::Fixed {
            name: name.as_ref().into(),
            offset: zone_offset as i32,
        }));
    }

    if !zone_name.is_empty() {
        let t = date(year, month, day, hour, min, sec, nsec, &Location::Utc);
        let name = String::from_utf8_lossy(zone_name);
        if let Some(offset) = local.lookup_name(&name, t.unix_sec()) {
            return Ok(t.add_seconds(-i64::from(offset)).in_loc(local));
        }
        // An unknown abbreviation: a made-up zone, offset zero unless GMT±h.
        let mut offset = 0;
        if zone_name.len() > 3 && &zone_name[..3] == b"GMT" {
            offset = atoi(&zone_name[3..]).unwrap_or(0) * 3600;
        }
        return Ok(t.in_loc(&Location::Fixed {
            name: name.as_ref().into(),
            offset: offset as i32,
        }));
    }

    Ok(date(year, month, day, hour, min, sec, nsec, default_loc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(unix: i64, nsec: i64) -> Time {
        Time::unix(unix, nsec).utc()
    }

    #[test]
    fn formats_reference_layouts() {
        // 2006-01-02 15:04:05.123456789 UTC, a Monday.
        let t = utc(1_136_214_245, 123_456_789);
        let cases: &[(&str, &str)] = &[
            ("2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05Z"),
            (RFC3339_NANO, "2006-01-02T15:04:05.123456789Z"),
            (
                "Mon Jan _2 15:04:05 MST 2006",
                "Mon Jan  2 15:04:05 UTC 2006",
            ),
            (
                "Monday, 02-Jan-06 03:04:05PM -0700",
                "Monday, 02-Jan-06 03:04:05PM +0000",
            ),
            ("January 2 __2 002 3pm", "January 2   2 002 3pm"),
            (
                "15:04:05.000 .99 ,000000000000",
                "15:04:05.123 .12 ,123456789",
            ),
            ("_2006 Janet Month", "_2006 Janet Month"),
            ("05.9 0506", "05.1 0506"),
            (
                "Z07 Z070000 Z07:00:00 -07 -070000 -07:00:00",
                "Z Z Z +00 +000000 +00:00:00",
            ),
        ];
        for (layout, want) in cases {
            assert_eq!(format(&t, layout), *want, "{layout}");
        }
        let fixed = t.in_loc(&Location::Fixed {
            name: "".into(),
            offset: -(7 * 3600 + 30 * 60 + 15),
        });
        assert_eq!(
            format(&fixed, "MST Z07:00:00 -07 Z0700"),
            "-0730 -07:30:15 -07 -0730"
        );
    }

    #[test]
    fn parses_reference_layouts() {
        let ok = |layout: &str, value: &str| {
            parse_in_location(layout, value, &Location::Utc).map(|t| (t.unix_sec(), t.nanosecond()))
        };
        assert_eq!(ok("2006-01-02", "2024-02-29"), Ok((1_709_164_800, 0)));
        assert_eq!(
            ok("2006-01-02T15:04:05Z07:00", "2024-02-29T01:02:03+01:00"),
            Ok((1_709_164_800 + 2 * 60 + 3, 0))
        );
        assert_eq!(
            ok("2006-01-02 15:04:05", "2024-02-29 00:00:00.5"),
            Ok((1_709_164_800, 500_000_000))
        );
        assert_eq!(
            ok("Jan 2 06 3:04pm", "FEB 29 24 12:00am"),
            Ok((1_709_164_800, 0))
        );
        assert_eq!(ok("2006 002", "2024 060"), Ok((1_709_164_800, 0)));
        let bad = |layout: &str, value: &str| ok(layout, value).map_err(|e| e.to_string());
        assert_eq!(
            bad("2006-01-02", "2024-02-30"),
            Err(r#"parsing time "2024-02-30": day out of range"#.to_string())
        );
        assert_eq!(
            bad("2006-01-02", "24-02-03"),
            Err(
                r#"parsing time "24-02-03" as "2006-01-02": cannot parse "24-02-03" as "2006""#
                    .to_string()
            )
        );
        assert_eq!(
            bad("2006", "2024x"),
            Err(r#"parsing time "2024x": extra text: "x""#.to_string())
        );
        assert_eq!(
            bad("15", "25"),
            Err(r#"parsing time "25": hour out of range"#.to_string())
        );
        assert_eq!(
            bad("2006 MST", "2024 pst"),
            Err(
                r#"parsing time "2024 pst" as "2006 MST": cannot parse "pst" as "MST""#.to_string()
            )
        );
    }

    #[test]
    fn unknown_zone_names_make_fixed_zones() {
        let t = parse_in_location("2006-01-02 MST", "2024-01-01 XST", &Location::Utc)
            .map_err(|e| e.to_string());
        let t = t.unwrap_or_default();
        assert_eq!(format(&t, "MST -0700"), "XST +0000");
        let t = parse_in_location("2006-01-02 MST", "2024-01-01 GMT+3", &Location::Utc)
            .unwrap_or_default();
        assert_eq!(format(&t, "15 MST -0700"), "03 GMT+3 +0300");
        let t = parse_in_location("2006-01-02 -0700", "2024-01-01 +0530", &Location::Utc)
            .unwrap_or_default();
        assert_eq!(format(&t, "15:04 MST"), "00:00 +0530");
        assert_eq!(t.unix_sec(), 1_704_067_200 - 19_800);
    }
}
