//! The per-call store state: a deny-all WASI context and the resource limiter.
//!
//! WASI is linked because Python and Rust guests import it (componentize-py components import
//! every `wasi:*` interface, sockets included, even when unused); every capability is denied or
//! made deterministic:
//! - no preopened directories, no environment variables, no arguments, empty stdin,
//!   stdout discarded, stderr kept (bounded) for error messages;
//! - TCP, UDP and DNS lookups refused, every socket address refused;
//! - the wall clock fixed at 2000-01-01T00:00:00Z, the monotonic clock advancing 1 µs per read;
//! - virtual time for sleeps: `subscribe-duration`/`subscribe-instant` are ready at once and
//!   move the monotonic clock forward instead of blocking the host thread (an epoch deadline
//!   cannot interrupt a host call, so a real hour-long sleep would hold the host for an hour);
//! - randomness (secure and insecure) from a fixed seed.
//!
//! Same input, same output: a plugin cannot observe anything that would make renders differ.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use wasmtime::component::{Linker, Resource, ResourceTable};
use wasmtime::{ResourceLimiter, StoreContextMut, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::p2::{DynPollable, Pollable, subscribe};
use wasmtime_wasi::{
    Deterministic, HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxBuilder, WasiCtxView,
    WasiView,
};

use crate::Limits;

/// Bytes of guest stderr kept for error messages.
const STDERR_CAPACITY: usize = 16 * 1024;
/// Seconds since the Unix epoch shown by the wall clock: 2000-01-01T00:00:00Z.
pub const FIXED_WALL_CLOCK_SECS: u64 = 946_684_800;
/// Seed of the deterministic randomness.
const RANDOM_SEED: u64 = 0x6368_6172_746b_6974; // "chartkit"

/// Store data of one call.
pub(crate) struct Sandbox {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(crate) limiter: Limiter,
    stderr: MemoryOutputPipe,
    /// The monotonic clock's reading, shared with the WASI context's clock.
    clock: Arc<AtomicU64>,
}

impl Sandbox {
    /// A fresh sandbox for one call.
    pub(crate) fn new(limits: &Limits) -> Self {
        let stderr = MemoryOutputPipe::new(STDERR_CAPACITY);
        let clock = Arc::new(AtomicU64::new(0));
        let mut b = WasiCtxBuilder::new();
        b.stderr(stderr.clone())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .socket_addr_check(|_, _| Box::pin(async { false }))
            .wall_clock(FixedWallClock)
            .monotonic_clock(StepMonotonicClock {
                now: Arc::clone(&clock),
            })
            .secure_random(Deterministic::new(random_bytes().to_vec()))
            .insecure_random(Deterministic::new(random_bytes().to_vec()))
            .insecure_random_seed(u128::from(RANDOM_SEED));
        Self {
            wasi: b.build(),
            table: ResourceTable::new(),
            limiter: Limiter::new(limits),
            stderr,
            clock,
        }
    }

    /// The end of what the guest wrote to stderr, if anything (at most ~1 KiB, one line).
    pub(crate) fn stderr_tail(&self) -> Option<String> {
        let bytes = self.stderr.contents();
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let start = text.char_indices().rev().nth(1023).map_or(0, |(i, _)| i);
        Some(
            text[start..]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

impl WasiView for Sandbox {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// 4 KiB of seeded pseudo-random bytes (SplitMix64), cycled by [`Deterministic`].
fn random_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut state = RANDOM_SEED;
        let mut out = Vec::with_capacity(4096);
        while out.len() < 4096 {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
        }
        out
    })
}

struct FixedWallClock;

impl HostWallClock for FixedWallClock {
    fn resolution(&self) -> Duration {
        Duration::from_secs(1)
    }

    fn now(&self) -> Duration {
        Duration::from_secs(FIXED_WALL_CLOCK_SECS)
    }
}

/// A monotonic clock that moves 1 µs each time it is read: time passes for the guest (loops
/// waiting for it end) but identically on every run.
struct StepMonotonicClock {
    now: Arc<AtomicU64>,
}

impl HostMonotonicClock for StepMonotonicClock {
    fn resolution(&self) -> u64 {
        1_000
    }

    fn now(&self) -> u64 {
        self.now.fetch_add(1_000, Ordering::Relaxed) + 1_000
    }
}

/// The `wasi:clocks/monotonic-clock` version wasmtime-wasi links; its subscriptions are
/// replaced by [`link_virtual_time`]. Components importing older 0.2.x versions reach it too.
const MONOTONIC_CLOCK: &str = "wasi:clocks/monotonic-clock@0.2.12";

/// A pollable that is ready at once: the sleep already happened in virtual time.
struct Elapsed;

#[wasmtime_wasi::async_trait]
impl Pollable for Elapsed {
    async fn ready(&mut self) {}
}

fn elapsed(store: &mut StoreContextMut<'_, Sandbox>) -> wasmtime::Result<Resource<DynPollable>> {
    let table = &mut store.data_mut().table;
    let r = table.push(Elapsed)?;
    subscribe(table, r)
}

/// Replaces `subscribe-duration` and `subscribe-instant` with virtual time: ready at once, the
/// monotonic clock moved forward to the end of the sleep. Call after linking WASI.
pub(crate) fn link_virtual_time(linker: &mut Linker<Sandbox>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    let mut clock = linker.instance(MONOTONIC_CLOCK)?;
    clock.func_wrap("subscribe-duration", |mut store, (nanos,): (u64,)| {
        store
            .data()
            .clock
            .fetch_add(nanos.min(u64::MAX / 4), Ordering::Relaxed);
        Ok((elapsed(&mut store)?,))
    })?;
    clock.func_wrap("subscribe-instant", |mut store, (when,): (u64,)| {
        store.data().clock.fetch_max(when, Ordering::Relaxed);
        Ok((elapsed(&mut store)?,))
    })?;
    linker.allow_shadowing(false);
    Ok(())
}

/// [`StoreLimits`] plus a note of what it refused, so a refused `memory.grow` reads as
/// "exceeded the memory limit" rather than as a generic trap.
pub(crate) struct Limiter {
    inner: StoreLimits,
    /// The size the guest asked for when its memory growth was refused.
    pub(crate) denied_memory: Option<u64>,
}

impl Limiter {
    fn new(limits: &Limits) -> Self {
        let inner = StoreLimitsBuilder::new()
            .memory_size(usize::try_from(limits.memory).unwrap_or(usize::MAX))
            .table_elements(1_000_000)
            .instances(1_000)
            .tables(1_000)
            .memories(100)
            .trap_on_grow_failure(true)
            .build();
        Self {
            inner,
            denied_memory: None,
        }
    }
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let r = self.inner.memory_growing(current, desired, maximum);
        if !matches!(r, Ok(true)) {
            self.denied_memory = Some(desired as u64);
        }
        r
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.inner.table_growing(current, desired, maximum)
    }

    fn instances(&self) -> usize {
        self.inner.instances()
    }

    fn tables(&self) -> usize {
        self.inner.tables()
    }

    fn memories(&self) -> usize {
        self.inner.memories()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn randomness_is_fixed() {
        assert_eq!(random_bytes(), random_bytes());
        assert_eq!(random_bytes().len(), 4096);
        assert_ne!(&random_bytes()[..8], &random_bytes()[8..16]);
    }

    #[test]
    fn clocks_are_deterministic() {
        let c = StepMonotonicClock {
            now: Arc::new(AtomicU64::new(0)),
        };
        assert_eq!((c.now(), c.now()), (1_000, 2_000));
        assert_eq!(FixedWallClock.now().as_secs(), FIXED_WALL_CLOCK_SECS);
    }
}
