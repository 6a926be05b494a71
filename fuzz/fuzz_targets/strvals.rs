//! The `--set` family parsers on arbitrary input: Ok or a typed error,
//! never a panic or unbounded growth.
#![no_main]

use chartkit_chart::strvals;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Ok(text) = std::str::from_utf8(input) else {
        return;
    };
    let _ = strvals::parse(text);
    let mut base = chartkit_chart::Mapping::new();
    let _ = strvals::parse_into_string(text, &mut base);
    let mut base = chartkit_chart::Mapping::new();
    let _ = strvals::parse_json(text, &mut base);
    let mut base = chartkit_chart::Mapping::new();
    let _ = strvals::parse_literal_into(text, &mut base);
});
