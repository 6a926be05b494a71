//! The plugin host: one wasmtime engine and linker, loaded plugins, sandboxed calls.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, Store, Trap};

use crate::cache::{Cache, CacheOutcome};
use crate::error::{CallFailure, Error, InterfaceProblem};
use crate::sandbox::Sandbox;
use crate::ticker::Ticker;
use crate::types::{Call, Finding, Info, MemberConfig, OutputSize, Rejection, Step, Topology};
use crate::versions::{self, InterfaceVersion, Supported, since_v0_1_0};

/// Per-call limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Linear memory cap per instance, in bytes (default 64 MiB).
    pub memory: u64,
    /// Wall-clock deadline per call (default 2 s), enforced with epoch interruption.
    pub deadline: Duration,
    /// Cap on the size of what a call returns, in bytes (default 1 MiB).
    pub output: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            memory: 64 << 20,
            deadline: Duration::from_secs(2),
            output: 1 << 20,
        }
    }
}

/// How to build a [`PluginHost`].
#[derive(Debug, Clone, Default)]
pub struct HostConfig {
    /// Per-call limits.
    pub limits: Limits,
    /// Compiled-component cache; `None` disables it.
    pub cache: Option<Cache>,
}

impl HostConfig {
    /// Default limits and the default cache directory ([`Cache::default_dir`]).
    pub fn from_env() -> Self {
        Self {
            limits: Limits::default(),
            cache: Cache::default_dir().map(Cache::new),
        }
    }
}

/// What the engine, linker and ticker share with every plugin loaded from them.
struct Shared {
    engine: Engine,
    linker: Linker<Sandbox>,
    limits: Limits,
    cache: Option<Cache>,
    _ticker: Ticker,
}

/// Loads plugins and runs them sandboxed. Cheap to clone.
#[derive(Clone)]
pub struct PluginHost {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for PluginHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginHost")
            .field("limits", &self.shared.limits)
            .field("cache", &self.shared.cache)
            .finish_non_exhaustive()
    }
}

/// How a plugin was loaded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadReport {
    /// `sha256:<hex>` of the component bytes.
    pub digest: String,
    /// Size of the component in bytes.
    pub size: u64,
    /// The interface version it exports.
    #[serde(serialize_with = "display")]
    pub interface: InterfaceVersion,
    /// Cache outcome.
    pub cache: CacheOutcome,
    /// Time to compile or to load from the cache.
    #[serde(serialize_with = "millis")]
    pub load_time: Duration,
    /// The component's exports.
    pub exports: Vec<String>,
}

fn display<S: serde::Serializer, T: std::fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1e6).round() / 1e3)
}

enum Bindings {
    V0_1_0(since_v0_1_0::Pre),
}

/// A loaded plugin. Every call runs in a fresh instance (new store, same linked component).
pub struct Plugin {
    shared: Arc<Shared>,
    bindings: Bindings,
    info: Info,
    report: LoadReport,
}

impl std::fmt::Debug for Plugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugin")
            .field("info", &self.info)
            .field("report", &self.report)
            .finish()
    }
}

impl PluginHost {
    /// Configures wasmtime (Cranelift, component model, epoch interruption) and starts the
    /// epoch ticker.
    pub fn new(config: HostConfig) -> Result<Self, Error> {
        let mut c = Config::new();
        c.wasm_component_model(true)
            .epoch_interruption(true)
            .cranelift_opt_level(wasmtime::OptLevel::Speed)
            // Floating point results identical on every host: renders must be reproducible.
            .cranelift_nan_canonicalization(true)
            .parallel_compilation(true);
        let engine = Engine::new(&c).map_err(|e| Error::Engine(format!("{e}")))?;
        let mut linker = Linker::<Sandbox>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)
            .map_err(|e| Error::Engine(format!("linking WASI: {e}")))?;
        crate::sandbox::link_virtual_time(&mut linker)
            .map_err(|e| Error::Engine(format!("linking virtual time: {e}")))?;
        let ticker = Ticker::start(engine.clone())
            .map_err(|e| Error::Engine(format!("starting the epoch thread: {e}")))?;
        Ok(Self {
            shared: Arc::new(Shared {
                engine,
                linker,
                limits: config.limits,
                cache: config.cache,
                _ticker: ticker,
            }),
        })
    }

    /// The limits every call runs under.
    pub fn limits(&self) -> Limits {
        self.shared.limits
    }

    /// The compiled-component cache, if any.
    pub fn cache(&self) -> Option<&Cache> {
        self.shared.cache.as_ref()
    }

    /// Loads a component file.
    pub fn load_file(&self, path: &Path) -> Result<Plugin, Error> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            what: "plugin",
            path: path.to_path_buf(),
            source,
        })?;
        self.load_bytes(&path.display().to_string(), &bytes)
    }

    /// Loads a component from memory; `origin` names it in errors until `describe` has named
    /// it.
    pub fn load_bytes(&self, origin: &str, bytes: &[u8]) -> Result<Plugin, Error> {
        let shared = &self.shared;
        let started = Instant::now();
        let hex = format!("{:x}", Sha256::digest(bytes));
        let (component, cache) = self.compile(origin, &hex, bytes)?;
        let load_time = started.elapsed();
        let exports = versions::export_names(&shared.engine, &component);
        let problem = |problem| Error::Interface {
            origin: origin.to_string(),
            problem,
        };
        let version = versions::exported_version(&shared.engine, &component).map_err(problem)?;
        let supported = versions::select(version).map_err(problem)?;
        let pre = shared
            .linker
            .instantiate_pre(&component)
            .map_err(|e| Error::Link {
                origin: origin.to_string(),
                message: format!("{e:#}"),
            })?;
        let mismatch = |e: wasmtime::Error| {
            problem(InterfaceProblem::Mismatch {
                version,
                message: format!("{e:#}"),
            })
        };
        let bindings = match supported {
            Supported::V0_1_0 => Bindings::V0_1_0(since_v0_1_0::Pre::new(pre).map_err(mismatch)?),
        };
        let report = LoadReport {
            digest: format!("sha256:{hex}"),
            size: bytes.len() as u64,
            interface: version,
            cache,
            load_time,
            exports,
        };
        let provisional = Info {
            name: origin.to_string(),
            version: String::new(),
            engines: Vec::new(),
            interface_version: version.to_string(),
            description: String::new(),
        };
        let mut plugin = Plugin {
            shared: Arc::clone(shared),
            bindings,
            info: provisional,
            report,
        };
        let info = plugin.call_describe()?;
        let reported: Result<InterfaceVersion, _> = info.interface_version.parse();
        if reported.map(|r| (r.major, r.minor)) != Ok((version.major, version.minor)) {
            return Err(problem(InterfaceProblem::DescribeDisagrees {
                reported: info.interface_version,
                exported: version,
            }));
        }
        plugin.info = info;
        Ok(plugin)
    }

    fn compile(
        &self,
        origin: &str,
        hex: &str,
        bytes: &[u8],
    ) -> Result<(Component, CacheOutcome), Error> {
        let engine = &self.shared.engine;
        let compile = || {
            Component::new(engine, bytes).map_err(|e| Error::Compile {
                origin: origin.to_string(),
                message: format!("{e:#}"),
            })
        };
        let Some(cache) = &self.shared.cache else {
            return Ok((compile()?, CacheOutcome::Disabled));
        };
        let refused = match cache.load(engine, hex) {
            Ok(Some(c)) => return Ok((c, CacheOutcome::Hit)),
            Ok(None) => None,
            Err(reason) => Some(reason),
        };
        let component = compile()?;
        let outcome = match (cache.store(engine, hex, &component), refused) {
            (Err(e), _) => CacheOutcome::StoreFailed(e),
            (Ok(()), Some(reason)) => CacheOutcome::Refused(reason),
            (Ok(()), None) => CacheOutcome::Stored,
        };
        Ok((component, outcome))
    }
}

impl Plugin {
    /// What `describe()` returned when the plugin was loaded.
    pub fn info(&self) -> &Info {
        &self.info
    }

    /// The plugin's name (from `describe`).
    pub fn name(&self) -> &str {
        &self.info.name
    }

    /// How it was loaded: digest, size, interface version, cache outcome.
    pub fn report(&self) -> &LoadReport {
        &self.report
    }

    /// Creates a fresh instance and drops it, without calling anything: what every call pays
    /// before the call itself (health checks, benchmarks).
    pub fn instantiate(&self) -> Result<(), Error> {
        self.run(Call::Describe, |b, store| match b {
            Bindings::V0_1_0(p) => p.instantiate_only(store),
        })
    }

    /// Calls `describe()` again in a fresh instance.
    pub fn describe(&self) -> Result<Info, Error> {
        self.call_describe()
    }

    fn call_describe(&self) -> Result<Info, Error> {
        self.run(Call::Describe, |b, store| match b {
            Bindings::V0_1_0(p) => p.describe(store),
        })
    }

    /// `seed-list`: the addresses members use to find each other.
    pub fn seed_list(&self, topology: &Topology) -> Result<Vec<String>, Error> {
        self.run(Call::SeedList, |b, store| match b {
            Bindings::V0_1_0(p) => p.seed_list(store, topology),
        })
    }

    /// `configure`: env vars, args and config entries for the engine container.
    pub fn configure(&self, topology: &Topology) -> Result<MemberConfig, Error> {
        self.run(Call::Configure, |b, store| match b {
            Bindings::V0_1_0(p) => p.configure(store, topology),
        })
    }

    /// `post-install`: hook Jobs to emit.
    pub fn post_install(&self, topology: &Topology) -> Result<Vec<Step>, Error> {
        self.run(Call::PostInstall, |b, store| match b {
            Bindings::V0_1_0(p) => p.post_install(store, topology),
        })
    }

    /// `lint`: engine rules over the rendered objects (`objects_json`: a JSON array).
    pub fn lint(&self, topology: &Topology, objects_json: &str) -> Result<Vec<Finding>, Error> {
        self.run(Call::Lint, |b, store| match b {
            Bindings::V0_1_0(p) => p.lint(store, topology, objects_json),
        })
    }

    /// One sandboxed call: fresh store with limits and deadline, instantiate, call, check the
    /// output size, and turn traps and limits into [`CallFailure`]s.
    fn run<T: OutputSize>(
        &self,
        call: Call,
        f: impl FnOnce(&Bindings, &mut Store<Sandbox>) -> since_v0_1_0::Outcome<T>,
    ) -> Result<T, Error> {
        let limits = self.shared.limits;
        let mut store = Store::new(&self.shared.engine, Sandbox::new(&limits));
        store.limiter(|s| &mut s.limiter);
        store.set_epoch_deadline(Ticker::ticks(limits.deadline));
        store.epoch_deadline_trap();
        let fail = |failure| Error::Call {
            plugin: self.info.name.clone(),
            call,
            failure,
        };
        let outcome = f(&self.bindings, &mut store);
        let answer = match outcome {
            Ok(answer) => answer,
            Err(stage) => return Err(fail(classify(stage, &store, limits))),
        };
        let size = answer.output_size() as u64;
        if size > limits.output {
            return Err(fail(CallFailure::OutputTooLarge {
                size,
                limit: limits.output,
            }));
        }
        answer.map_err(|r: Rejection| fail(CallFailure::Rejected(r)))
    }
}

fn classify(stage: since_v0_1_0::Stage, store: &Store<Sandbox>, limits: Limits) -> CallFailure {
    let (err, instantiating) = match stage {
        since_v0_1_0::Stage::Instantiate(e) => (e, true),
        since_v0_1_0::Stage::Call(e) => (e, false),
    };
    if let Some(requested) = store.data().limiter.denied_memory {
        return CallFailure::Memory {
            limit: limits.memory,
            requested,
        };
    }
    if err.downcast_ref::<Trap>() == Some(&Trap::Interrupt) {
        return CallFailure::Deadline(limits.deadline);
    }
    let message = match err.downcast_ref::<Trap>() {
        Some(trap) => trap.to_string(),
        None => format!("{err:#}"),
    };
    if instantiating && err.downcast_ref::<Trap>().is_none() {
        return CallFailure::Instantiate(message);
    }
    CallFailure::Trap {
        message,
        stderr: store.data().stderr_tail(),
    }
}
