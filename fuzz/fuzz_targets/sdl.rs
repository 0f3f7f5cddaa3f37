//! The SDL parser, line by line, on arbitrary text: counts always add up.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loupe_core::sdl::{record_head, SdlParser};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parser = SdlParser::new();
    for (i, line) in text.split('\n').enumerate() {
        let _ = record_head(line);
        parser.line(i as u32 + 1, line);
    }
    let out = parser.finish();
    assert!(out.counts.adds_up(), "{:?}", out.counts);
});
