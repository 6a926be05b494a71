//! Packaging and publishing for chartkit, compatible with Helm v4.1.4:
//!
//! - [`package()`]: `helm package` — a chart directory becomes
//!   `<name>-<version>.tgz` with the tar entries Helm writes, bit-for-bit
//!   reproducible (fixed mtimes from `SOURCE_DATE_EPOCH`, fixed subchart
//!   order, fixed gzip header);
//! - [`index`]: `helm repo index` — `index.yaml` for a directory of archives;
//! - [`oci`]: an OCI distribution client — `helm push`/`helm pull` of charts
//!   with Helm's media types, and chartkit engine plugins as OCI artifacts
//!   of their own type, every blob verified against its digest;
//! - [`extract`]: safe expansion of chart archives (Helm's `--untar`).

#![forbid(unsafe_code)]

pub mod chartfile;
pub mod extract;
pub mod fsutil;
pub mod gotime;
pub mod index;
pub mod oci;
pub mod package;
pub mod tarball;

pub use package::{
    PackageError, PackageOptions, Packaged, archive_bytes, package, package_logged,
    package_with_logs,
};
