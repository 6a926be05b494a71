//! The epoch ticker: a thread that advances the engine's epoch every [`TICK`], so a call's
//! epoch deadline (a number of ticks) interrupts guest code that runs too long.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use wasmtime::Engine;

/// Epoch period.
pub(crate) const TICK: Duration = Duration::from_millis(10);

/// Runs until dropped.
pub(crate) struct Ticker {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Ticker {
    /// Starts ticking `engine`.
    pub(crate) fn start(engine: Engine) -> std::io::Result<Self> {
        let (stop, rx) = mpsc::channel::<()>();
        let thread = thread::Builder::new()
            .name("chartkit-plugin-epoch".into())
            .spawn(move || {
                loop {
                    match rx.recv_timeout(TICK) {
                        Err(RecvTimeoutError::Timeout) => engine.increment_epoch(),
                        Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            })?;
        Ok(Self {
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Ticks in `deadline`, rounded up, plus one: a deadline is never cut short.
    pub(crate) fn ticks(deadline: Duration) -> u64 {
        let tick = TICK.as_nanos();
        u64::try_from(deadline.as_nanos().div_ceil(tick)).unwrap_or(u64::MAX / 2) + 1
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            // The thread only sleeps and ticks; it cannot panic, and if it did there is
            // nothing to do about it while dropping.
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_up() {
        assert_eq!(Ticker::ticks(Duration::from_secs(2)), 201);
        assert_eq!(Ticker::ticks(Duration::from_millis(15)), 3);
    }
}
