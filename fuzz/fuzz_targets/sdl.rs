//! The SDL parser on arbitrary text, both ways: line by line (`SdlParser::line`) and by blocks
//! of lines (`SdlParser::lines`, the fast path), split where the first byte says. Counts add up
//! and both ways give the same events, counts, lines not understood, long records and times.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loupe_core::decode::lines::emit_line;
use loupe_core::sdl::{record_head, SdlInput, SdlParser};

fn essence(s: &SdlInput) -> impl PartialEq + std::fmt::Debug {
    (
        s.events.clone(),
        s.counts,
        s.not_understood.clone(),
        s.long_records.clone(),
        s.records,
        s.dated,
        s.first_ms,
        s.last_ms,
        s.filehead.clone(),
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let mut block = rest.to_vec();
    if !block.ends_with(b"\n") {
        block.push(b'\n');
    }
    let mut slow = SdlParser::new();
    let mut n = 1u32;
    for line in block[..block.len() - 1].split(|&b| b == b'\n') {
        emit_line(n, line, &mut |num, text| {
            let _ = record_head(text);
            slow.line(num, text);
        });
        n += 1;
    }
    let slow = slow.finish();
    assert!(slow.counts.adds_up(), "{:?}", slow.counts);
    // Two blocks, split after the line that holds byte `cut * len / 256`.
    let at = cut as usize * block.len() / 256;
    let split = block[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(block.len(), |p| at + p + 1);
    let mut fast = SdlParser::new();
    let first = fast.lines(1, &block[..split]);
    fast.lines(1 + first, &block[split..]);
    let fast = fast.finish();
    assert_eq!(essence(&fast), essence(&slow), "fast path differs");
});
