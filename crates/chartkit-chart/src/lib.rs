//! Helm v4.1.4's chart model for chartkit.
#![forbid(unsafe_code)]

pub mod archive;
pub mod ignore;
pub mod semver;
