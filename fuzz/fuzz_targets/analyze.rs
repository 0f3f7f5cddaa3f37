//! The whole analysis on one or two arbitrary inputs (split at a position taken from the data),
//! then every report: nothing panics, counts add up, reports are deterministic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loupe_core::{analyze, report, Lang, RawInput};

fuzz_target!(|data: &[u8]| {
    let inputs = match data.split_first() {
        Some((&cut, rest)) if cut & 1 == 1 && !rest.is_empty() => {
            let at = (cut as usize * rest.len()) / 256;
            vec![
                RawInput::new("hub.txt", rest[..at].to_vec()),
                RawInput::new("spoke.txt", rest[at..].to_vec()),
            ]
        }
        _ => vec![RawInput::new("input.txt", data.to_vec())],
    };
    let a = analyze(inputs);
    for i in &a.inputs {
        assert!(i.counts.adds_up(), "{:?}", i.counts);
    }
    let _ = report::text::render(&a, Lang::En);
    let _ = report::json::render(&a, Lang::En);
    let _ = report::markdown::render(&a, Lang::Ja);
});
