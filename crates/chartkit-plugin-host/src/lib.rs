//! Sandboxed WebAssembly host for chartkit **engine plugins**.
//!
//! A plugin is a WebAssembly component exporting `chartkit:engine/plugin@0.1.0`
//! (`plugins/wit/engine.wit`): `describe`, `seed-list`, `configure`, `post-install`, `lint`.
//! chartkit builds a [`Topology`] from a rendered StatefulSet and its headless Service and asks
//! the plugin how the members form a cluster.
//!
//! ```no_run
//! use chartkit_plugin_host::{HostConfig, PluginHost, Topology};
//!
//! let host = PluginHost::new(HostConfig::from_env())?;
//! let es = host.load("elasticsearch")?; // a directory, a .wasm file, or an installed name
//! let topology: Topology = serde_json::from_str(r#"{"release":"r","namespace":"n",
//!     "clusterDomain":"cluster.local","statefulSet":"r-es","service":"r-es-headless",
//!     "replicas":3,"ports":[],"settings":{}}"#)?;
//! println!("{:?}", es.seed_list(&topology)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Sandbox: deny-all WASI (no files, env, args, network), fixed clocks, seeded randomness;
//! per call a fresh store with a memory cap, an epoch deadline and an output cap ([`Limits`]).
//! Traps and limits become [`Error::Call`] naming the plugin and the call. Compiled components
//! are cached on disk by content digest ([`Cache`]).

mod builder;
mod cache;
mod error;
mod host;
mod locate;
mod manifest;
mod sandbox;
mod ticker;
pub mod types;
pub mod versions;

pub use builder::{BuildOptions, BuildOutput, BuildRecord, build_plugin};
pub use cache::{Cache, CacheOutcome};
pub use error::{CallFailure, Error, InterfaceProblem};
pub use host::{HostConfig, Limits, LoadReport, Plugin, PluginHost};
pub use locate::{
    Located, PluginListing, PluginSource, install, installed_dir, list_plugins, locate,
};
pub use manifest::{BuildRecipe, Language, MANIFEST_FILE, Manifest};
pub use sandbox::FIXED_WALL_CLOCK_SECS;
pub use types::{
    Call, ConfigEntry, ConfigValue, EnvVar, Finding, Hook, Info, MemberConfig, ObjectRef, Port,
    Rejection, Run, Severity, Step, Topology,
};
