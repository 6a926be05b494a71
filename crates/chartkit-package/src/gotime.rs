//! The few pieces of Go's `time` package that Helm's files show: RFC 3339
//! parsing (what `time.Time` accepts from JSON) and `RFC3339` /
//! `RFC3339Nano` formatting.

use std::time::{SystemTime, UNIX_EPOCH};

/// An instant with the UTC offset it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoTime {
    /// Seconds since the Unix epoch (UTC).
    pub unix: i64,
    /// Nanoseconds within the second.
    pub nanos: u32,
    /// Offset east of UTC in seconds (0 prints as `Z`).
    pub offset: i32,
}

impl GoTime {
    /// A UTC instant.
    pub fn utc(unix: i64, nanos: u32) -> Self {
        GoTime {
            unix,
            nanos,
            offset: 0,
        }
    }

    /// The current time in UTC.
    pub fn now() -> Self {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => GoTime::utc(
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            ),
            Err(_) => GoTime::utc(0, 0),
        }
    }

    /// A `SystemTime` as a UTC instant.
    pub fn from_system(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => GoTime::utc(
                i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                d.subsec_nanos(),
            ),
            Err(e) => {
                let d = e.duration();
                let mut secs = -i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                let mut nanos = d.subsec_nanos();
                if nanos > 0 {
                    secs -= 1;
                    nanos = 1_000_000_000 - nanos;
                }
                GoTime::utc(secs, nanos)
            }
        }
    }

    /// `t.Format(time.RFC3339Nano)`: fraction without trailing zeros.
    pub fn rfc3339_nano(&self) -> String {
        let mut s = self.date_time();
        if self.nanos != 0 {
            let frac = format!("{:09}", self.nanos);
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
        }
        s.push_str(&self.zone());
        s
    }

    /// `t.Format(time.RFC3339)`: whole seconds.
    pub fn rfc3339(&self) -> String {
        format!("{}{}", self.date_time(), self.zone())
    }

    fn date_time(&self) -> String {
        let local = self.unix + i64::from(self.offset);
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }

    fn zone(&self) -> String {
        if self.offset == 0 {
            return "Z".to_string();
        }
        let sign = if self.offset < 0 { '-' } else { '+' };
        let off = self.offset.unsigned_abs();
        format!("{sign}{:02}:{:02}", off / 3600, off / 60 % 60)
    }

    /// Go's strict RFC 3339 parsing (`time.Time.UnmarshalJSON`):
    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)`.
    pub fn parse_rfc3339(s: &str) -> Option<GoTime> {
        let b = s.as_bytes();
        if b.len() < 20 {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = s.get(r)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let year = num(0..4)?;
        let month = num(5..7)?;
        let day = num(8..10)?;
        let hour = num(11..13)?;
        let min = num(14..16)?;
        let sec = num(17..19)?;
        if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        if !(1..=12).contains(&month)
            || day < 1
            || day > days_in_month(year, month)
            || hour > 23
            || min > 59
            || sec > 59
        {
            return None;
        }
        let mut rest = &s[19..];
        let mut nanos: u32 = 0;
        if let Some(frac) = rest.strip_prefix('.').or_else(|| rest.strip_prefix(',')) {
            let digits = frac.bytes().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            let mut padded = frac[..digits.min(9)].to_string();
            while padded.len() < 9 {
                padded.push('0');
            }
            nanos = padded.parse().ok()?;
            rest = &frac[digits..];
        }
        let offset = if rest == "Z" {
            0
        } else {
            let rb = rest.as_bytes();
            if rb.len() != 6 || (rb[0] != b'+' && rb[0] != b'-') || rb[3] != b':' {
                return None;
            }
            let h: i32 = rest[1..3].parse().ok()?;
            let m: i32 = rest[4..6].parse().ok()?;
            if !rest[1..3].bytes().all(|c| c.is_ascii_digit())
                || !rest[4..6].bytes().all(|c| c.is_ascii_digit())
                || h > 23
                || m > 59
            {
                return None;
            }
            let off = h * 3600 + m * 60;
            if rb[0] == b'-' { -off } else { off }
        };
        let days = days_from_civil(year, month, day);
        let unix = days * 86_400 + hour * 3600 + min * 60 + sec - i64::from(offset);
        Some(GoTime {
            unix,
            nanos,
            offset,
        })
    }
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        assert_eq!(GoTime::utc(0, 0).rfc3339_nano(), "1970-01-01T00:00:00Z");
        assert_eq!(
            GoTime::utc(1_782_894_004, 0).rfc3339(),
            "2026-07-01T08:20:04Z"
        );
        assert_eq!(
            GoTime::utc(1_700_000_000, 120_000_000).rfc3339_nano(),
            "2023-11-14T22:13:20.12Z"
        );
        let t = GoTime {
            unix: 1_700_000_000,
            nanos: 5,
            offset: -(5 * 3600 + 30 * 60),
        };
        assert_eq!(t.rfc3339_nano(), "2023-11-14T16:43:20.000000005-05:30");
    }

    #[test]
    fn parses_strict_rfc3339() {
        let t = GoTime::parse_rfc3339("2025-08-14T11:39:26.123456789+02:00").unwrap();
        assert_eq!(t.offset, 7200);
        assert_eq!(t.nanos, 123_456_789);
        assert_eq!(t.rfc3339_nano(), "2025-08-14T11:39:26.123456789+02:00");
        let t = GoTime::parse_rfc3339("2025-08-14T11:39:26.5000Z").unwrap();
        assert_eq!(t.rfc3339_nano(), "2025-08-14T11:39:26.5Z");
        assert_eq!(
            GoTime::parse_rfc3339("2025-08-14T11:39:26+00:00")
                .unwrap()
                .rfc3339(),
            "2025-08-14T11:39:26Z"
        );
        for bad in [
            "2025-08-14",
            "2025-08-14 11:39:26Z",
            "2025-02-30T00:00:00Z",
            "2025-08-14T11:39:26",
            "2025-08-14T11:39:26.Z",
        ] {
            assert!(GoTime::parse_rfc3339(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1_000_000, -1, 0, 1, 59, 365, 10_957, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
