//! Go's `time.Time` as Sprig's date functions and templates observe it:
//! wall clock seconds and nanoseconds, an optional monotonic clock reading,
//! and a location; Go's calendar arithmetic (including its wrap-around on
//! absurd inputs), `Date`'s normalisation, `String`, `Add`, `Sub`, `Round`.
//!
//! Layout formatting and parsing live in [`layout`], durations in
//! [`duration`], locations in [`zone`].

pub(crate) mod duration;
pub(crate) mod layout;
pub(crate) mod zone;

use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

pub(crate) use zone::Location;

const SECONDS_PER_DAY: i64 = 86_400;
/// Days from March 1 through the end of the year.
const MARCH_THRU_DECEMBER: u64 = 306;
/// Years subtracted from internal time to get Go's "absolute" time, whose
/// epoch is March 1 of year -292277022400.
const ABSOLUTE_YEARS: u64 = 292_277_022_400;
/// Seconds from the absolute epoch to January 1, year 1 (Go's internal zero).
const INTERNAL_TO_ABSOLUTE: i64 =
    ((ABSOLUTE_YEARS * 365 + ABSOLUTE_YEARS * 97 / 400 + MARCH_THRU_DECEMBER) * 86_400) as i64;
/// Seconds from January 1, year 1 to the Unix epoch.
const UNIX_TO_INTERNAL: i64 = (1969 * 365 + 1969 / 4 - 1969 / 100 + 1969 / 400) * SECONDS_PER_DAY;
const UNIX_TO_ABSOLUTE: i64 = UNIX_TO_INTERNAL.wrapping_add(INTERNAL_TO_ABSOLUTE);
/// Internal seconds of 1885-01-01, the lowest wall time that can carry a
/// monotonic clock reading; the highest is this plus 2^33 - 1 (year 2157).
const MIN_WALL: i64 = (1884 * 365 + 1884 / 4 - 1884 / 100 + 1884 / 400) * SECONDS_PER_DAY;
const MAX_WALL: i64 = MIN_WALL + ((1 << 33) - 1);

/// Go's month names, January first.
pub(crate) const LONG_MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Go's weekday names, Sunday first.
pub(crate) const LONG_DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Go's `Month.String()`, including `%!Month(13)` for out-of-range values.
pub(crate) fn month_name(m: i64) -> String {
    match usize::try_from(m - 1)
        .ok()
        .and_then(|i| LONG_MONTH_NAMES.get(i))
    {
        Some(n) => (*n).to_string(),
        None => format!("%!Month({m})"),
    }
}

/// Go's `Weekday.String()`.
pub(crate) fn weekday_name(d: i64) -> String {
    match usize::try_from(d).ok().and_then(|i| LONG_DAY_NAMES.get(i)) {
        Some(n) => (*n).to_string(),
        None => format!("%!Weekday({d})"),
    }
}

/// The time package's own `quote` (used in its error messages): ASCII
/// control characters and every non-ASCII byte as `\xNN`.
pub(crate) fn quote(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        if !(b' '..0x80).contains(&b) {
            out.push_str(&format!("\\x{b:02x}"));
        } else {
            if b == b'"' || b == b'\\' {
                out.push('\\');
            }
            out.push(char::from(b));
        }
    }
    out.push('"');
    out
}

/// The process start, for monotonic clock readings (Go's `startNano`).
fn process_start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// Starts the monotonic clock now, so `m=+…` readings count from about
/// when the function library was set up, as Go's count from process start.
pub(crate) fn init_clock() {
    let _ = process_start();
}

/// A calendar date and clock in some zone, as Go's accessors return them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Civil {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub yday: i64,
    pub weekday: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

/// Go's `time.Time`.
#[derive(Clone, Debug)]
pub(crate) struct Time {
    /// Seconds since January 1, year 1, 00:00:00 UTC (Go's internal time).
    sec: i64,
    /// Nanoseconds within the second, in [0, 1e9).
    nsec: u32,
    /// The monotonic clock reading (nanoseconds since process start), kept
    /// only while the wall time is within years 1885..2157, as in Go.
    mono: Option<i64>,
    loc: Location,
}

impl Default for Time {
    /// Go's zero `Time`: January 1, year 1, 00:00:00 UTC.
    fn default() -> Self {
        Time {
            sec: 0,
            nsec: 0,
            mono: None,
            loc: Location::Utc,
        }
    }
}

impl Time {
    /// Go's `time.Now()`: the wall clock in `Local`, with a monotonic reading.
    pub(crate) fn now() -> Time {
        let start = process_start();
        let (unix, nsec) = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => (
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            ),
            Err(e) => {
                let d = e.duration();
                let secs = -i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                match d.subsec_nanos() {
                    0 => (secs, 0),
                    n => (secs - 1, 1_000_000_000 - n),
                }
            }
        };
        // Go's startNano is one less than the first reading, so readings are ≥ 1.
        let mono = i64::try_from(start.elapsed().as_nanos())
            .unwrap_or(i64::MAX)
            .saturating_add(1);
        let mut t = Time::unix(unix, i64::from(nsec));
        t.set_mono(mono);
        t
    }

    /// Go's `time.Unix(sec, nsec)`, in `Local`.
    pub(crate) fn unix(mut sec: i64, mut nsec: i64) -> Time {
        if !(0..1_000_000_000).contains(&nsec) {
            let n = nsec / 1_000_000_000;
            sec = sec.wrapping_add(n);
            nsec -= n * 1_000_000_000;
            if nsec < 0 {
                nsec += 1_000_000_000;
                sec = sec.wrapping_sub(1);
            }
        }
        Time {
            sec: sec.wrapping_add(UNIX_TO_INTERNAL),
            // In [0, 1e9) after the normalisation above.
            nsec: nsec as u32,
            mono: None,
            loc: Location::Local,
        }
    }

    fn set_mono(&mut self, m: i64) {
        if (MIN_WALL..=MAX_WALL).contains(&self.sec) {
            self.mono = Some(m);
        }
    }

    /// Go's `Time.Unix()`.
    pub(crate) fn unix_sec(&self) -> i64 {
        self.sec.wrapping_sub(UNIX_TO_INTERNAL)
    }

    /// Go's `Time.UnixNano()` (wrapping outside ±292 years, as in Go).
    pub(crate) fn unix_nano(&self) -> i64 {
        self.unix_sec()
            .wrapping_mul(1_000_000_000)
            .wrapping_add(i64::from(self.nsec))
    }

    /// Go's `Time.UnixMilli()`.
    pub(crate) fn unix_milli(&self) -> i64 {
        self.unix_sec()
            .wrapping_mul(1_000)
            .wrapping_add(i64::from(self.nsec) / 1_000_000)
    }

    /// Go's `Time.UnixMicro()`.
    pub(crate) fn unix_micro(&self) -> i64 {
        self.unix_sec()
            .wrapping_mul(1_000_000)
            .wrapping_add(i64::from(self.nsec) / 1_000)
    }

    /// Go's `Time.IsDST()`.
    pub(crate) fn is_dst(&self) -> bool {
        self.loc.is_dst(self.unix_sec())
    }

    /// Go's `Time.Nanosecond()`.
    pub(crate) fn nanosecond(&self) -> i64 {
        i64::from(self.nsec)
    }

    /// Go's `Time.Location()`.
    pub(crate) fn location(&self) -> &Location {
        &self.loc
    }

    /// Go's `Time.IsZero()`.
    pub(crate) fn is_zero(&self) -> bool {
        self.sec == 0 && self.nsec == 0
    }

    /// Go's `setLoc`: changes the location and drops the monotonic reading.
    fn with_loc(mut self, loc: Location) -> Time {
        self.mono = None;
        self.loc = loc;
        self
    }

    /// Go's `Time.In(loc)`.
    pub(crate) fn in_loc(&self, loc: &Location) -> Time {
        self.clone().with_loc(loc.clone())
    }

    /// Go's `Time.UTC()`.
    pub(crate) fn utc(&self) -> Time {
        self.in_loc(&Location::Utc)
    }

    /// Go's `Time.Local()`.
    pub(crate) fn local(&self) -> Time {
        self.in_loc(&Location::Local)
    }

    /// Zone abbreviation, offset, and Go's absolute seconds (local wall
    /// clock counted from the absolute epoch, wrapping as Go's uint64 does).
    pub(crate) fn locabs(&self) -> (String, i32, u64) {
        let unix = self.unix_sec();
        let (name, offset) = self.loc.lookup(unix);
        let local = unix.wrapping_add(i64::from(offset));
        (name, offset, local.wrapping_add(UNIX_TO_ABSOLUTE) as u64)
    }

    /// Go's `Time.Zone()`.
    pub(crate) fn zone(&self) -> (String, i32) {
        self.loc.lookup(self.unix_sec())
    }

    /// The calendar fields in the time's own zone.
    pub(crate) fn civil(&self) -> Civil {
        let (_, _, abs) = self.locabs();
        civil_from_abs(abs)
    }

    /// Go's `Time.Add(d)`.
    pub(crate) fn add(&self, d: i64) -> Time {
        let mut t = self.clone();
        let mut dsec = d / 1_000_000_000;
        let mut nsec = i64::from(t.nsec) + d % 1_000_000_000;
        if nsec >= 1_000_000_000 {
            dsec += 1;
            nsec -= 1_000_000_000;
        } else if nsec < 0 {
            dsec -= 1;
            nsec += 1_000_000_000;
        }
        // In [0, 1e9) after the adjustment above.
        t.nsec = nsec as u32;
        t.add_sec(dsec);
        if let Some(m) = t.mono {
            let te = m.wrapping_add(d);
            if (d < 0 && te > m) || (d > 0 && te < m) {
                t.mono = None;
            } else {
                t.mono = Some(te);
            }
        }
        t
    }

    /// Go's `addSec`: saturating at ±(2^63 - 1) internal seconds; a wall
    /// time leaving the monotonic range drops the reading.
    fn add_sec(&mut self, d: i64) {
        if self.mono.is_some() {
            let wall = self.sec - MIN_WALL;
            let dsec = wall.wrapping_add(d);
            if (0..(1 << 33)).contains(&dsec) {
                self.sec = MIN_WALL + dsec;
                return;
            }
            self.mono = None;
        }
        let sum = self.sec.wrapping_add(d);
        self.sec = if (sum > self.sec) == (d > 0) {
            sum
        } else if d > 0 {
            i64::MAX
        } else {
            -i64::MAX
        };
    }

    /// Go's `addSec` on a copy.
    pub(crate) fn add_seconds(mut self, d: i64) -> Time {
        self.add_sec(d);
        self
    }

    /// Go's `Time.Sub(u)`, saturating.
    pub(crate) fn sub(&self, u: &Time) -> i64 {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return sub_mono(a, b);
        }
        let d = (i128::from(self.sec) - i128::from(u.sec)) * 1_000_000_000
            + (i128::from(self.nsec) - i128::from(u.nsec));
        d.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// Go's `time.Since(t)`.
    pub(crate) fn since(&self) -> i64 {
        Time::now().sub(self)
    }

    /// Go's `Time.Equal`, `Before`, `After`, `Compare` on the instant.
    pub(crate) fn compare(&self, u: &Time) -> std::cmp::Ordering {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return a.cmp(&b);
        }
        (self.sec, self.nsec).cmp(&(u.sec, u.nsec))
    }

    /// Go's `Time.AddDate(years, months, days)`.
    pub(crate) fn add_date(&self, years: i64, months: i64, days: i64) -> Time {
        let c = self.civil();
        date(
            c.year.wrapping_add(years),
            c.month.wrapping_add(months),
            c.day.wrapping_add(days),
            c.hour,
            c.minute,
            c.second,
            i64::from(self.nsec),
            &self.loc,
        )
    }

    /// Nanoseconds since the zero time, as Go's `div` sees the instant.
    fn total_nanos(&self) -> i128 {
        i128::from(self.sec) * 1_000_000_000 + i128::from(self.nsec)
    }

    /// Go's `Time.Truncate(d)`.
    pub(crate) fn truncate(&self, d: i64) -> Time {
        let mut t = self.clone();
        t.mono = None;
        if d <= 0 {
            return t;
        }
        let r = t.total_nanos().rem_euclid(i128::from(d)) as i64;
        t.add(-r)
    }

    /// Go's `Time.Round(d)`: halfway values round up.
    pub(crate) fn round(&self, d: i64) -> Time {
        let mut t = self.clone();
        t.mono = None;
        if d <= 0 {
            return t;
        }
        let r = t.total_nanos().rem_euclid(i128::from(d)) as i64;
        if (r as u64).wrapping_add(r as u64) < d as u64 {
            t.add(-r)
        } else {
            t.add(d - r)
        }
    }

    /// Go's `Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`,
    /// then ` m=±s.nnnnnnnnn` when there is a monotonic reading.
    pub(crate) fn go_string(&self) -> String {
        let mut s = layout::format(self, "2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            let sign = if m < 0 { '-' } else { '+' };
            let m = m.unsigned_abs();
            let (secs, frac) = (m / 1_000_000_000, m % 1_000_000_000);
            let (giga, secs) = (secs / 1_000_000_000, secs % 1_000_000_000);
            s.push_str(" m=");
            s.push(sign);
            if giga != 0 {
                s.push_str(&format!("{giga}{secs:09}"));
            } else {
                s.push_str(&secs.to_string());
            }
            s.push_str(&format!(".{frac:09}"));
        }
        s
    }

    /// Go's `Time.MarshalJSON` text without quotes (RFC 3339 with
    /// nanoseconds); `Err` with Go's reason for years outside [0, 9999]
    /// and zone offsets of a day or more.
    pub(crate) fn rfc3339_strict(&self) -> Result<String, &'static str> {
        let s = layout::format(self, layout::RFC3339_NANO);
        let year = self.civil().year;
        if !(0..=9999).contains(&year) {
            return Err("year outside of range [0,9999]");
        }
        let (_, offset) = self.zone();
        if offset.unsigned_abs() / 3600 >= 24 {
            return Err("timezone hour outside of range [0,23]");
        }
        Ok(s)
    }

    /// The state a template value of this time carries, for rebuilding it.
    pub(crate) fn parts(&self) -> (i64, u32, Option<i64>, &Location) {
        (self.sec, self.nsec, self.mono, &self.loc)
    }

    /// Rebuilds a time from [`Time::parts`].
    pub(crate) fn from_parts(sec: i64, nsec: u32, mono: Option<i64>, loc: Location) -> Time {
        Time {
            sec,
            nsec: nsec.min(999_999_999),
            mono,
            loc,
        }
    }
}

fn sub_mono(t: i64, u: i64) -> i64 {
    let d = t.wrapping_sub(u);
    if d < 0 && t > u {
        return i64::MAX;
    }
    if d > 0 && t < u {
        return i64::MIN;
    }
    d
}

/// Go's `norm`: moves whole multiples of `base` from `lo` into `hi`.
fn norm(mut hi: i64, mut lo: i64, base: i64) -> (i64, i64) {
    if lo < 0 {
        let n = (-(lo + 1)) / base + 1;
        hi = hi.wrapping_sub(n);
        lo = lo.wrapping_add(n.wrapping_mul(base));
    }
    if lo >= base {
        let n = lo / base;
        hi = hi.wrapping_add(n);
        lo = lo.wrapping_sub(n.wrapping_mul(base));
    }
    (hi, lo)
}

/// Go's `dateToAbsDays`: days from the absolute epoch to the date; the
/// day may be out of range.
fn date_to_abs_days(year: i64, month: i64, day: i64) -> u64 {
    let mut amonth = month as u32;
    let jan_feb = u32::from(amonth < 3);
    amonth = amonth.wrapping_add(12 * jan_feb);
    let y = (year as u64)
        .wrapping_sub(u64::from(jan_feb))
        .wrapping_add(ABSOLUTE_YEARS);
    let ayday = 979u32.wrapping_mul(amonth).wrapping_sub(2919) >> 5;
    let century = y / 100;
    let cyear = (y % 100) as u32;
    let cday = 1461 * cyear / 4;
    let century_days = 146_097u64.wrapping_mul(century) / 4;
    century_days.wrapping_add(i64::from(cday + ayday).wrapping_add(day).wrapping_sub(1) as u64)
}

/// Go's absolute-day calendar: (year, month, day, yday) of absolute days.
fn date_from_abs_days(days: u64) -> (i64, i64, i64, i64) {
    let d = days.wrapping_mul(4).wrapping_add(3);
    let century = d / 146_097;
    let cd = ((d % 146_097) as u32) | 3;
    let prod = u64::from(cd) * 2_939_745;
    let cyear = (prod >> 32) as i64;
    let ayday = (prod as u32 / 2_939_745 / 4) as i64;
    let md = 2141 * ayday as u32 + 197_913;
    let amonth = i64::from(md >> 16);
    let mday = 1 + i64::from((md & 0xFFFF) / 2141);
    let jan_feb = i64::from(ayday >= MARCH_THRU_DECEMBER as i64);
    let year = (century.wrapping_mul(100).wrapping_sub(ABSOLUTE_YEARS) as i64)
        .wrapping_add(cyear)
        .wrapping_add(jan_feb);
    let month = amonth - jan_feb * 12;
    let leap = i64::from(cyear % 4 == 0 && (cyear != 0 || century.is_multiple_of(4)));
    let yday = ayday + (1 + 31 + 28) + (leap & !jan_feb & 1) - 365 * jan_feb;
    (year, month, mday, yday)
}

fn civil_from_abs(abs: u64) -> Civil {
    let days = abs / SECONDS_PER_DAY as u64;
    let (year, month, day, yday) = date_from_abs_days(days);
    let secs = (abs % SECONDS_PER_DAY as u64) as i64;
    Civil {
        year,
        month,
        day,
        yday,
        // March 1 of the absolute year was a Wednesday.
        weekday: ((days % 7 + 3) % 7) as i64,
        hour: secs / 3600,
        minute: secs % 3600 / 60,
        second: secs % 60,
    }
}

/// Go's `isLeap`.
pub(crate) fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Go's `daysIn`.
pub(crate) fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days before the start of `month` in a non-leap year (Go's `daysBefore`).
pub(crate) fn days_before(month: i64) -> i64 {
    (1..month).map(|m| days_in(m, 1)).sum()
}

/// Go's `time.Date`: out-of-range fields carry into the next larger one;
/// the wall clock is resolved in `loc` the way Go picks an offset.
#[allow(clippy::too_many_arguments)]
pub(crate) fn date(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    min: i64,
    sec: i64,
    nsec: i64,
    loc: &Location,
) -> Time {
    let (year, m) = norm(year, month.wrapping_sub(1), 12);
    let month = m + 1;
    let (sec, nsec) = norm(sec, nsec, 1_000_000_000);
    let (min, sec) = norm(min, sec, 60);
    let (hour, min) = norm(hour, min, 60);
    let (day, hour) = norm(day, hour, 24);
    let abs_days = date_to_abs_days(year, month, day);
    let mut unix = (abs_days as i64)
        .wrapping_mul(SECONDS_PER_DAY)
        .wrapping_add(
            hour.wrapping_mul(3600)
                .wrapping_add(min.wrapping_mul(60))
                .wrapping_add(sec),
        )
        .wrapping_sub(UNIX_TO_ABSOLUTE);
    // Look the offset up as if the wall clock were UTC, then again at the
    // corrected instant: Go's two-step lookup, which resolves transitions
    // the same way.
    let (_, offset) = loc.lookup(unix);
    if offset != 0 {
        let (_, offset) = loc.lookup(unix.wrapping_sub(i64::from(offset)));
        unix = unix.wrapping_sub(i64::from(offset));
    }
    // `nsec` is in [0, 1e9) after `norm`.
    let mut t = Time::unix(unix, nsec);
    t.loc = loc.clone();
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(unix: i64) -> Time {
        Time::unix(unix, 0).utc()
    }

    #[test]
    fn calendar_matches_known_instants() {
        let c = utc(0).civil();
        assert_eq!(
            (c.year, c.month, c.day, c.yday, c.weekday),
            (1970, 1, 1, 1, 4)
        );
        let c = utc(1_709_164_800).civil(); // 2024-02-29
        assert_eq!(
            (c.year, c.month, c.day, c.yday, c.weekday),
            (2024, 2, 29, 60, 4)
        );
        let c = utc(-62_135_596_800).civil(); // the zero time
        assert_eq!((c.year, c.month, c.day, c.hour), (1, 1, 1, 0));
        let c = utc(253_402_300_799).civil();
        assert_eq!(
            (c.year, c.month, c.day, c.hour, c.minute, c.second, c.yday),
            (9999, 12, 31, 23, 59, 59, 365)
        );
        let c = utc(-62_167_219_200).civil(); // 0000-01-01, a leap year
        assert_eq!((c.year, c.month, c.day, c.weekday), (0, 1, 1, 6));
    }

    #[test]
    fn date_normalises_like_go() {
        let t = date(2024, 13, 1, 0, 0, 0, 0, &Location::Utc);
        assert_eq!(t.unix_sec(), 1_735_689_600); // 2025-01-01
        let t = date(2024, 3, 0, 0, 0, 0, 0, &Location::Utc);
        assert_eq!(t.civil().day, 29);
        let t = date(2024, 1, 1, 0, 0, -1, 0, &Location::Utc);
        assert_eq!((t.civil().year, t.civil().second), (2023, 59));
        let t = date(2024, 1, 1, 0, 0, 0, 1_500_000_000, &Location::Utc);
        assert_eq!((t.civil().second, t.nanosecond()), (1, 500_000_000));
        assert!(date(1, 1, 1, 0, 0, 0, 0, &Location::Utc).is_zero());
    }

    #[test]
    fn strings_with_monotonic_readings() {
        let mut t = utc(0);
        assert_eq!(t.go_string(), "1970-01-01 00:00:00 +0000 UTC");
        t.set_mono(1_234_567_890);
        assert_eq!(
            t.go_string(),
            "1970-01-01 00:00:00 +0000 UTC m=+1.234567890"
        );
        t.mono = Some(-5);
        assert_eq!(
            t.go_string(),
            "1970-01-01 00:00:00 +0000 UTC m=-0.000000005"
        );
        t.mono = Some(1_000_000_000_000_000_001);
        assert_eq!(
            t.go_string(),
            "1970-01-01 00:00:00 +0000 UTC m=+1000000000.000000001"
        );
        // Outside 1885..2157 there is no room for a reading.
        let mut old = utc(-5_000_000_000);
        old.set_mono(7);
        assert_eq!(old.mono, None);
    }

    #[test]
    fn add_sub_round() {
        let t = utc(10).add(-1);
        assert_eq!((t.unix_sec(), t.nanosecond()), (9, 999_999_999));
        assert_eq!(t.sub(&utc(10)), -1);
        assert_eq!(
            utc(i64::MAX - UNIX_TO_INTERNAL).add(i64::MAX).unix_sec(),
            i64::MAX - UNIX_TO_INTERNAL
        );
        let t = Time::unix(100, 600_000_000).utc();
        assert_eq!(t.round(1_000_000_000).unix_sec(), 101);
        assert_eq!(t.truncate(1_000_000_000).unix_sec(), 100);
        assert_eq!(
            utc(86_399).add_date(0, 1, 1).unix_sec(),
            86_399 + 32 * 86_400
        );
    }

    #[test]
    fn quotes_like_the_time_package() {
        assert_eq!(quote(b"a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("µ\n".as_bytes()), r#""\xc2\xb5\x0a""#);
    }
}
