//! Every input the fuzzers (`fuzz/`, `cargo xtask fuzz`) or the property tests found, replayed
//! with the same checks as the fuzz target named by the file's prefix (`decode-`, `sdl-`,
//! `tables-`, `analyze-`). Add a crash by copying `fuzz/artifacts/<target>/crash-*` to
//! `tests/fuzz_regressions/<target>-<what>.bin`.

use loupe_core::cluster_tables;
use loupe_core::decode::container;
use loupe_core::decode::lines::LineSink;
use loupe_core::decode::stream::ByteDecoder;
use loupe_core::report::{json, markdown, text};
use loupe_core::sdl::SdlParser;
use loupe_core::Line;
use loupe_core::{analyze, Kind, Lang, Limits, RawInput};
use std::path::Path;

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

/// The limits of the decode fuzz target.
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

fn check_decode(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let (leaves, _) = container::expand(RawInput::new("fuzz", rest.to_vec()), &LIMITS);
    for leaf in &leaves {
        for chunk in [first as usize % 17 + 1, 1, 7, 4096] {
            let whole = decode(&leaf.bytes, leaf.bytes.len());
            let chunked = decode(&leaf.bytes, chunk);
            let stop = |n: &[String]| {
                n.iter()
                    .any(|n| n.contains("compression bomb") || n.starts_with("gzip"))
            };
            if stop(&whole.1) || stop(&chunked.1) {
                assert_eq!(stop(&whole.1), stop(&chunked.1), "chunk {chunk}");
            } else {
                assert_eq!(whole, chunked, "chunk {chunk}");
            }
        }
    }
}

fn check_sdl(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut p = SdlParser::new();
    for (i, l) in text.split('\n').enumerate() {
        p.line(i as u32 + 1, l);
    }
    assert!(p.finish().counts.adds_up());
}

fn check_tables(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let lines: Vec<Line> = text
        .split('\n')
        .enumerate()
        .map(|(i, t)| Line {
            number: i as u32 + 1,
            text: t.to_string(),
        })
        .collect();
    for kind in [Kind::IlsClusterTable, Kind::RemoteClusterSql] {
        assert!(cluster_tables::parse(kind, &lines).counts.adds_up());
    }
}

fn check_analyze(data: &[u8]) {
    let a = analyze(vec![RawInput::new("input.txt", data.to_vec())]);
    assert!(a.inputs.iter().all(|i| i.counts.adds_up()));
    let _ = (
        text::render(&a, Lang::En),
        json::render(&a, Lang::En),
        markdown::render(&a, Lang::Ja),
    );
}

#[test]
fn every_fuzz_finding_stays_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let data = std::fs::read(&path).unwrap();
        match name.split('-').next().unwrap() {
            "decode" => check_decode(&data),
            "sdl" => check_sdl(&data),
            "tables" => check_tables(&data),
            "securex" => {}
            "analyze" => {}
            other => panic!("{name}: unknown fuzz target `{other}`"),
        }
        // Whatever found it, the whole analysis must take it too.
        check_analyze(&data);
        n += 1;
    }
    assert!(n >= 3, "{n} regression inputs");
}
