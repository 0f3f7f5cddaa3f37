//! Decode: zip expansion (small limits so bombs and nesting are reached quickly), then gzip,
//! BOM/UTF-16 detection and line splitting, fed in chunks whose size comes from the first byte.
//! Checks that the lines and notes are the same whatever the chunking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use loupe_core::decode::container;
use loupe_core::decode::lines::LineSink;
use loupe_core::decode::stream::ByteDecoder;
use loupe_core::{Limits, RawInput};

#[derive(Default, PartialEq, Debug)]
struct Collect(Vec<(u32, String)>, Vec<(u32, u64)>);

impl LineSink for Collect {
    fn line(&mut self, n: u32, t: &str) {
        self.0.push((n, t.to_string()));
    }
    fn line_truncated(&mut self, n: u32, d: u64) {
        self.1.push((n, d));
    }
}

const LIMITS: Limits = Limits {
    max_expanded_bytes: 4 << 20,
    max_ratio: 100,
    ratio_floor_bytes: 256 << 10,
    max_zip_depth: 3,
    max_zip_entries: 64,
    max_line_bytes: 4096,
};

fn decode(bytes: &[u8], chunk: usize) -> (Collect, Vec<String>) {
    let mut d = ByteDecoder::new(LIMITS);
    let mut c = Collect::default();
    for piece in bytes.chunks(chunk.max(1)) {
        d.push(piece, &mut c);
    }
    d.finish(&mut c);
    (c, d.notes.into_iter().map(|n| n.en.to_string()).collect())
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let (leaves, _notes) = container::expand(RawInput::new("fuzz", rest.to_vec()), &LIMITS);
    for leaf in &leaves {
        let whole = decode(&leaf.bytes, leaf.bytes.len());
        let chunked = decode(&leaf.bytes, first as usize % 17 + 1);
        // Clean input decodes to the same lines and notes whatever the chunking. Past a
        // decompression limit or a corruption the stop point may move by one buffer with the
        // chunking (README, "Every line is accounted for"): both must still say so. A deflated
        // zip entry is decoded as a gzip stream (`container::deflated_as_gzip`), its damage
        // worded as an entry's.
        let gzip_stop = |notes: &[String]| {
            notes.iter().any(|n| {
                n.contains("compression bomb")
                    || n.starts_with("gzip")
                    || n.starts_with("entry is damaged")
            })
        };
        if gzip_stop(&whole.1) || gzip_stop(&chunked.1) {
            assert_eq!(
                gzip_stop(&whole.1),
                gzip_stop(&chunked.1),
                "{whole:?} {chunked:?}"
            );
        } else {
            assert_eq!(whole, chunked, "chunking changed the decoded lines");
        }
    }
});
