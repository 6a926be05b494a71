//! Masterminds/semver, shared with the Sprig functions: see the `chartkit-semver` crate.
//! Helm's chart code uses `NewVersion` to validate `version` and `IsCompatibleRange` to match
//! `dependencies[].version` against the subcharts present in `charts/`.

pub use chartkit_semver::{Constraints, SemverError, Version, is_compatible_range};
