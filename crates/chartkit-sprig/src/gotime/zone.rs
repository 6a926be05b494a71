//! Go's `*time.Location`: UTC, Local, fixed zones and zones loaded from the
//! system's zoneinfo files, found and loaded the way Go's `LoadLocation`
//! and `initLocal` do on Unix (so a zone missing from the system is missing
//! here too, as it is for Helm on the same machine). The TZif data is read
//! with `jiff`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Where Go looks for zoneinfo files on Unix (`platformZoneSources`).
const ZONE_SOURCES: &[&str] = &[
    "/usr/share/zoneinfo/",
    "/usr/share/lib/zoneinfo/",
    "/usr/lib/locale/TZ/",
    "/etc/zoneinfo",
];

/// Go refuses zoneinfo files larger than this (`readFile`'s limit).
const MAX_ZONE_FILE: u64 = 10 << 20;

/// A Go `*time.Location`.
#[derive(Clone, Debug)]
pub(crate) enum Location {
    /// `time.UTC`.
    Utc,
    /// `time.Local`: the process's zone, resolved once like Go's `initLocal`.
    Local,
    /// `time.FixedZone(name, offset)`, as `time.Parse` fabricates them.
    Fixed { name: Rc<str>, offset: i32 },
    /// A zone loaded from TZif data under its Go name.
    Tzif { name: Rc<str>, tz: TimeZone },
}

/// What `time.Local` turned out to be.
struct LocalZone {
    name: String,
    /// `None` means UTC (no zone data: Go's empty zone list).
    tz: Option<TimeZone>,
}

fn local_zone() -> &'static LocalZone {
    static LOCAL: OnceLock<LocalZone> = OnceLock::new();
    LOCAL.get_or_init(init_local)
}

/// Go's `initLocal` for Unix: `$TZ` unset means `/etc/localtime`, empty
/// means UTC, `:`-prefixed or absolute paths are files, anything else a
/// zoneinfo name; whatever fails to load falls back to UTC.
fn init_local() -> LocalZone {
    let utc = LocalZone {
        name: "UTC".into(),
        tz: None,
    };
    match std::env::var_os("TZ") {
        None => match load_from_sources("localtime", &["/etc"]) {
            Some(tz) => LocalZone {
                name: "Local".into(),
                tz: Some(tz),
            },
            None => utc,
        },
        Some(tz) => {
            let tz = tz.to_string_lossy().into_owned();
            let tz = tz.strip_prefix(':').unwrap_or(&tz).to_string();
            if tz.starts_with('/') {
                match load_from_sources(&tz, &[""]) {
                    Some(zone) => {
                        let name = if tz == "/etc/localtime" {
                            "Local".to_string()
                        } else {
                            tz
                        };
                        LocalZone {
                            name,
                            tz: Some(zone),
                        }
                    }
                    None => utc,
                }
            } else if !tz.is_empty() && tz != "UTC" {
                match load_from_sources(&tz, ZONE_SOURCES) {
                    Some(zone) => LocalZone {
                        name: tz,
                        tz: Some(zone),
                    },
                    None => utc,
                }
            } else {
                utc
            }
        }
    }
}

/// Reads `name` from the first source directory that has a parseable TZif
/// file of that name (Go's `loadLocation`).
fn load_from_sources(name: &str, sources: &[&str]) -> Option<TimeZone> {
    sources.iter().find_map(|dir| {
        let path = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        let data = read_limited(&path)?;
        TimeZone::tzif(name, &data).ok()
    })
}

fn read_limited(path: &str) -> Option<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let mut data = Vec::new();
    file.take(MAX_ZONE_FILE + 1).read_to_end(&mut data).ok()?;
    (data.len() as u64 <= MAX_ZONE_FILE).then_some(data)
}

thread_local! {
    /// Zones already loaded by name (zoneinfo files do not change while we run).
    static LOADED: RefCell<HashMap<String, Option<TimeZone>>> = RefCell::new(HashMap::new());
}

/// Clamps a Unix second into the range the zone data can be asked about.
fn timestamp(unix: i64) -> Timestamp {
    let s = unix.clamp(Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
    Timestamp::from_second(s).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn tz_lookup(tz: &TimeZone, unix: i64) -> (String, i32) {
    let info = tz.to_offset_info(timestamp(unix));
    (info.abbreviation().to_string(), info.offset().seconds())
}

impl Location {
    /// Go's `time.LoadLocation`. The error text is Go's.
    pub(crate) fn load(name: &str) -> Result<Location, String> {
        if name.is_empty() || name == "UTC" {
            return Ok(Location::Utc);
        }
        if name == "Local" {
            return Ok(Location::Local);
        }
        if name.contains("..") || name.starts_with('/') || name.starts_with('\\') {
            return Err("time: invalid location name".into());
        }
        let tz = LOADED.with(|cache| {
            cache
                .borrow_mut()
                .entry(name.to_string())
                .or_insert_with(|| {
                    let from_env = std::env::var("ZONEINFO").ok().filter(|d| !d.is_empty());
                    from_env
                        .and_then(|dir| load_from_sources(name, &[dir.as_str()]))
                        .or_else(|| load_from_sources(name, ZONE_SOURCES))
                })
                .clone()
        });
        match tz {
            Some(tz) => Ok(Location::Tzif {
                name: name.into(),
                tz,
            }),
            None => Err(format!("unknown time zone {name}")),
        }
    }

    /// Go's `Location.String()`.
    pub(crate) fn name(&self) -> &str {
        match self {
            Location::Utc => "UTC",
            Location::Local => &local_zone().name,
            Location::Fixed { name, .. } | Location::Tzif { name, .. } => name,
        }
    }

    /// Go's `Location.lookup`: the zone abbreviation and offset (seconds
    /// east of UTC) in effect at the Unix second `unix`.
    pub(crate) fn lookup(&self, unix: i64) -> (String, i32) {
        match self {
            Location::Utc => ("UTC".into(), 0),
            Location::Local => match &local_zone().tz {
                Some(tz) => tz_lookup(tz, unix),
                None => ("UTC".into(), 0),
            },
            Location::Fixed { name, offset } => (name.to_string(), *offset),
            Location::Tzif { tz, .. } => tz_lookup(tz, unix),
        }
    }

    /// Whether daylight saving time is in effect at the Unix second `unix`.
    pub(crate) fn is_dst(&self, unix: i64) -> bool {
        self.zone_data()
            .is_some_and(|tz| tz.to_offset_info(timestamp(unix)).dst().is_dst())
    }

    /// The zone data behind this location, if it has any.
    fn zone_data(&self) -> Option<&TimeZone> {
        match self {
            Location::Local => local_zone().tz.as_ref(),
            Location::Tzif { tz, .. } => Some(tz),
            _ => None,
        }
    }

    /// The distinct zones (abbreviation, offset) of this location in order
    /// of first use, as Go's `Location.zone` lists them.
    fn zones(&self) -> Vec<(String, i32)> {
        match self {
            Location::Utc => Vec::new(),
            Location::Fixed { name, offset } => vec![(name.to_string(), *offset)],
            Location::Local | Location::Tzif { .. } => {
                let Some(tz) = self.zone_data() else {
                    return Vec::new();
                };
                let mut out: Vec<(String, i32)> = Vec::new();
                let mut push = |name: &str, offset: i32| {
                    if !out.iter().any(|(n, o)| n == name && *o == offset) {
                        out.push((name.to_string(), offset));
                    }
                };
                let first = tz.to_offset_info(Timestamp::MIN);
                push(first.abbreviation(), first.offset().seconds());
                // Rule-based transitions repeat forever; a walk to 2100
                // sees every zone a TZif file declares in practice.
                const YEAR_2100: i64 = 4_102_444_800;
                let transitions = tz.following(Timestamp::MIN).take(8192);
                for t in transitions.take_while(|t| t.timestamp().as_second() < YEAR_2100) {
                    push(t.abbreviation(), t.offset().seconds());
                }
                out
            }
        }
    }

    /// Go's `Location.lookupName`: the offset of the zone called `name`,
    /// preferring one that is in effect around `unix`.
    pub(crate) fn lookup_name(&self, name: &str, unix: i64) -> Option<i32> {
        let zones = self.zones();
        for (zname, offset) in &zones {
            if zname == name {
                let (n, off) = self.lookup(unix.wrapping_sub(i64::from(*offset)));
                if n == *zname {
                    return Some(off);
                }
            }
        }
        zones.iter().find(|(n, _)| n == name).map(|(_, o)| *o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_names() {
        assert!(matches!(Location::load(""), Ok(Location::Utc)));
        assert!(matches!(Location::load("UTC"), Ok(Location::Utc)));
        assert!(matches!(Location::load("Local"), Ok(Location::Local)));
        assert_eq!(
            Location::load("../etc/passwd").err().as_deref(),
            Some("time: invalid location name")
        );
        assert_eq!(
            Location::load("/etc/localtime").err().as_deref(),
            Some("time: invalid location name")
        );
        assert_eq!(
            Location::load("No/Such_Zone").err().as_deref(),
            Some("unknown time zone No/Such_Zone")
        );
    }

    #[test]
    fn fixed_zone_lookup() {
        let loc = Location::Fixed {
            name: "XST".into(),
            offset: 3600,
        };
        assert_eq!(loc.lookup(0), ("XST".to_string(), 3600));
        assert_eq!(loc.lookup_name("XST", 0), Some(3600));
        assert_eq!(loc.lookup_name("YST", 0), None);
    }

    #[test]
    fn system_zone_when_present() {
        // Only meaningful where the system has zoneinfo (as Go needs too).
        if let Ok(ny) = Location::load("America/New_York") {
            assert_eq!(ny.name(), "America/New_York");
            assert_eq!(ny.lookup(1_704_941_204), ("EST".to_string(), -5 * 3600));
            assert_eq!(ny.lookup(1_720_478_804), ("EDT".to_string(), -4 * 3600));
            assert_eq!(ny.lookup_name("EDT", 1_704_941_204), Some(-4 * 3600));
        }
    }
}
