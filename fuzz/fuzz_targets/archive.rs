//! Chart archives from arbitrary bytes: the reader must reject hostile or
//! broken input with an error, never panic, and never load a chart whose
//! file names escape the chart.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    if let Ok(files) = chartkit_chart::archive::load_archive_files(input) {
        for f in &files {
            assert!(!f.name.starts_with('/') && !f.name.split('/').any(|c| c == ".."));
        }
    }
    let _ = chartkit_chart::loader::load_archive(input);
});
