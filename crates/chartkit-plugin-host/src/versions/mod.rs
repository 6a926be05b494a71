//! Interface versions. One module per released version of `chartkit:engine`
//! (`since_v0_1_0`, later `since_v0_2_0`, ...), each with its own generated bindings and the
//! conversions to the version-independent [`crate::types`].
//!
//! Rules: a component exports `chartkit:engine/plugin@X.Y.Z`. A major version this host does
//! not implement is refused; within a known major, the host uses the newest module whose version
//! is not newer than the plugin's (older minors keep working); a plugin newer than every
//! module of its major needs a newer chartkit.

use std::fmt;
use std::str::FromStr;

use wasmtime::Engine;
use wasmtime::component::Component;

use crate::error::InterfaceProblem;

pub(crate) mod since_v0_1_0;

/// The WIT package.
pub const PACKAGE: &str = "chartkit:engine";
/// The exported interface, without version.
pub const INTERFACE: &str = "chartkit:engine/plugin";

/// A `MAJOR.MINOR.PATCH` interface version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InterfaceVersion {
    /// Major.
    pub major: u32,
    /// Minor.
    pub minor: u32,
    /// Patch.
    pub patch: u32,
}

impl InterfaceVersion {
    /// A version.
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }
}

impl fmt::Display for InterfaceVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl FromStr for InterfaceVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a MAJOR.MINOR.PATCH version");
        let mut parts = s.split('.');
        let mut next = || -> Result<u32, String> {
            let p = parts.next().ok_or_else(bad)?;
            if p.is_empty()
                || !p.bytes().all(|b| b.is_ascii_digit())
                || (p.len() > 1 && p.starts_with('0'))
            {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        let v = Self::new(next()?, next()?, next()?);
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(v)
    }
}

/// The interface versions this host implements, oldest first. Adding a version: freeze its WIT,
/// add a `since_vX_Y_Z` module, a variant to [`Supported`] and a line here.
pub const SUPPORTED: &[(InterfaceVersion, Supported)] =
    &[(InterfaceVersion::new(0, 1, 0), Supported::V0_1_0)];

/// The module that handles a plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Supported {
    /// `since_v0_1_0`.
    V0_1_0,
}

/// The versions this host implements.
pub fn supported_versions() -> Vec<InterfaceVersion> {
    SUPPORTED.iter().map(|(v, _)| *v).collect()
}

/// Picks the module for a plugin exporting `found`.
pub fn select(found: InterfaceVersion) -> Result<Supported, InterfaceProblem> {
    select_from(SUPPORTED, found)
}

fn select_from<T: Copy>(
    table: &[(InterfaceVersion, T)],
    found: InterfaceVersion,
) -> Result<T, InterfaceProblem> {
    let same_major: Vec<_> = table
        .iter()
        .filter(|(v, _)| v.major == found.major)
        .collect();
    let Some(newest) = same_major.iter().map(|(v, _)| *v).max() else {
        return Err(InterfaceProblem::UnknownMajor {
            found,
            supported: table.iter().map(|(v, _)| *v).collect(),
        });
    };
    same_major
        .iter()
        .filter(|(v, _)| *v <= found)
        .max_by_key(|(v, _)| *v)
        .map(|(_, s)| *s)
        .filter(|_| (found.major, found.minor) <= (newest.major, newest.minor))
        .ok_or(InterfaceProblem::TooNew { found, newest })
}

/// Finds the `chartkit:engine/plugin@X.Y.Z` export of a component.
pub fn exported_version(
    engine: &Engine,
    component: &Component,
) -> Result<InterfaceVersion, InterfaceProblem> {
    let ty = component.component_type();
    let names: Vec<String> = ty
        .exports(engine)
        .map(|(name, _)| name.to_string())
        .collect();
    let Some(name) = names
        .iter()
        .find(|n| n.split('@').next() == Some(INTERFACE))
    else {
        return Err(InterfaceProblem::Missing(names));
    };
    let Some((_, version)) = name.split_once('@') else {
        return Err(InterfaceProblem::Unversioned);
    };
    version.parse().map_err(|_| InterfaceProblem::Unversioned)
}

/// Names of a component's exports (for `chartkit plugin inspect`).
pub fn export_names(engine: &Engine, component: &Component) -> Vec<String> {
    component
        .component_type()
        .exports(engine)
        .map(|(name, _)| name.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> InterfaceVersion {
        s.parse().unwrap()
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum M {
        A,
        B,
    }

    #[test]
    fn parses_versions() {
        assert_eq!(v("0.1.0"), InterfaceVersion::new(0, 1, 0));
        for bad in ["", "1", "1.2", "1.2.3.4", "01.2.3", "a.b.c", "1.2.-3"] {
            assert!(bad.parse::<InterfaceVersion>().is_err(), "{bad}");
        }
    }

    #[test]
    fn selects_within_the_current_table() {
        assert_eq!(select(v("0.1.0")), Ok(Supported::V0_1_0));
        assert_eq!(select(v("0.1.7")), Ok(Supported::V0_1_0));
        assert!(matches!(
            select(v("0.2.0")),
            Err(InterfaceProblem::TooNew { .. })
        ));
        let e = select(v("1.0.0")).unwrap_err();
        assert!(matches!(e, InterfaceProblem::UnknownMajor { .. }));
        assert!(e.to_string().contains("chartkit:engine 1.0.0"), "{e}");
        assert!(e.to_string().contains("supported: 0.1.0"), "{e}");
    }

    #[test]
    fn older_minors_use_their_own_module() {
        // How the rule plays out once 1.1.0 exists next to 1.0.0.
        let table = [(v("1.0.0"), M::A), (v("1.1.0"), M::B)];
        let pick = |found: &str| select_from(&table, v(found));
        assert_eq!(pick("1.0.3"), Ok(M::A));
        assert_eq!(pick("1.1.0"), Ok(M::B));
        assert!(matches!(
            pick("1.2.0"),
            Err(InterfaceProblem::TooNew { .. })
        ));
        assert!(matches!(
            pick("2.0.0"),
            Err(InterfaceProblem::UnknownMajor { .. })
        ));
    }
}
