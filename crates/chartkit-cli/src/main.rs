//! The `chartkit` binary.

mod commands;

use std::process::ExitCode;

use clap::Parser;

/// Deeply nested templates and values recurse deeply; give the work a
/// large stack (reserved, not committed) instead of overflowing.
const STACK_SIZE: usize = 512 * 1024 * 1024;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    let worker = std::thread::Builder::new()
        .name("chartkit".into())
        .stack_size(STACK_SIZE)
        .spawn(move || commands::run(cli));
    match worker.map(|handle| handle.join()) {
        Ok(Ok(code)) => code,
        Ok(Err(_)) => {
            eprintln!("Error: chartkit crashed; please report this with the command that caused it");
            ExitCode::from(70)
        }
        Err(e) => {
            eprintln!("Error: cannot start worker thread: {e}");
            ExitCode::FAILURE
        }
    }
}
