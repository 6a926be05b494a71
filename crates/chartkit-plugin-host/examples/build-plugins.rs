//! Builds plugin directories the way `chartkit plugin build` does, without the chartkit binary
//! (used by plugins/build.sh and CI): `build-plugins [--skip-commands] DIR...`.

use std::path::Path;
use std::process::ExitCode;

use chartkit_plugin_host::{BuildOptions, HostConfig, PluginHost, build_plugin};

fn main() -> ExitCode {
    let mut opts = BuildOptions::default();
    let mut dirs = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--skip-commands" => opts.skip_commands = true,
            _ => dirs.push(arg),
        }
    }
    if dirs.is_empty() {
        eprintln!("usage: build-plugins [--skip-commands] DIR...");
        return ExitCode::from(2);
    }
    let host = match PluginHost::new(HostConfig::from_env()) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut failed = false;
    for dir in &dirs {
        match build_plugin(Path::new(dir), &host, opts) {
            Ok(out) => println!(
                "built {} {} ({} bytes, {}) in {:.1}s, validated in {:.2}s -> {}",
                out.record.name,
                out.record.version,
                out.record.size,
                out.record.digest,
                out.build_time.as_secs_f64(),
                out.validate_time.as_secs_f64(),
                out.component.display()
            ),
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
