//! Link options for the `chartkit` binary.
//!
//! `chartkit render` of a small chart takes a few milliseconds, and the
//! dynamic loader's processing of ~37 000 relative relocations (wasmtime,
//! cranelift, k8s-openapi) was a third of that. Packed relative relocations
//! (`DT_RELR`) shrink that work to almost nothing. They need GNU ld ≥ 2.38
//! (or lld) and glibc ≥ 2.36 at run time, so the option is only passed when
//! the linker says it knows it.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CHARTKIT_NO_RELR");
    let target = std::env::var("TARGET").unwrap_or_default();
    if !target.contains("linux-gnu") || std::env::var_os("CHARTKIT_NO_RELR").is_some() {
        return;
    }
    let ld_knows_relr = Command::new("ld")
        .arg("--help")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains("pack-relative-relocs"))
        .unwrap_or(false);
    if ld_knows_relr {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
