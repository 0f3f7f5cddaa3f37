//! The hot loop of SDL parsing, piece by piece.
//!
//! Input: the first file of a generated corpus (`cargo xtask gen --size 20MB --file-size 10MB
//! --out target/bench-corpus`), or `LOUPE_BENCH_FILE`; without either, the ILS fixtures repeated.
//!
//! `cargo bench -p loupe-core --bench hot_loop`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use loupe_core::decode::lines::{LineSink, LineSplitter};
use loupe_core::sdl::SdlParser;
use loupe_core::{Engine, Limits};
use std::hint::black_box;
use std::path::PathBuf;

fn input() -> Vec<u8> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let file = std::env::var_os("LOUPE_BENCH_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/bench-corpus/com1150/SDL001_600_000001.txt"));
    if let Ok(b) = std::fs::read(&file) {
        return b;
    }
    eprintln!("{file:?} not found: using the ILS fixtures repeated");
    let mut one = Vec::new();
    let dir = root.join("tests/fixtures/ils");
    let mut scenarios: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    scenarios.sort_by_key(|e| e.path());
    for e in scenarios {
        for side in ["hub.txt", "spoke.txt"] {
            if let Ok(b) = std::fs::read(e.path().join(side)) {
                one.extend_from_slice(&b);
            }
        }
    }
    one.repeat((8 << 20) / one.len().max(1) + 1)
}

struct Nothing;
impl LineSink for Nothing {
    fn line(&mut self, _: u32, t: &str) {
        black_box(t);
    }
    fn line_truncated(&mut self, _: u32, _: u64) {}
}

struct Blocks<'a>(&'a mut SdlParser);
impl LineSink for Blocks<'_> {
    fn line(&mut self, n: u32, t: &str) {
        self.0.line(n, t)
    }
    fn line_truncated(&mut self, _: u32, _: u64) {}
    fn lines(&mut self, first: u32, block: &[u8]) -> u32 {
        self.0.lines(first, block)
    }
}

fn bench(c: &mut Criterion) {
    let data = input();
    let mut g = c.benchmark_group("sdl");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.sample_size(20);
    let count = |find: fn(&[u8], usize) -> Option<usize>| {
        let (mut n, mut at) = (0, 0);
        while let Some(s) = find(&data, at) {
            n += 1;
            at = s + 1;
        }
        n
    };
    g.bench_function("prefilter: candidate literals (aho-corasick)", |b| {
        b.iter(|| count(loupe_core::sdl::candidates::find_with_aho_corasick))
    });
    g.bench_function(
        "prefilter: candidate literals (fingerprint, portable lanes)",
        |b| b.iter(|| count(loupe_core::sdl::candidates::find_portable)),
    );
    let rg = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(["IlsD", "HandleSSL", "CertUtil", "EncrUtil"])
        .unwrap();
    g.bench_function("prefilter: ripgrep's four literals", |b| {
        b.iter(|| rg.find_iter(&data[..]).count())
    });
    g.bench_function("newlines: memchr count", |b| {
        b.iter(|| memchr::memchr_iter(b'\n', &data).count())
    });
    g.bench_function("split: lines one by one (no parse)", |b| {
        b.iter(|| {
            let mut s = LineSplitter::new(1 << 20);
            for ch in data.chunks(1 << 20) {
                s.push(ch, &mut Nothing);
            }
            s.finish(&mut Nothing);
        })
    });
    g.bench_function("parse: SdlParser::line on every line", |b| {
        let text = String::from_utf8_lossy(&data).into_owned();
        b.iter(|| {
            let mut p = SdlParser::new();
            for (i, l) in text.lines().enumerate() {
                p.line(i as u32 + 1, l);
            }
            p.finish().events.len()
        })
    });
    g.bench_function("parse: SdlParser::lines fast path", |b| {
        b.iter(|| {
            let mut p = SdlParser::new();
            let mut s = LineSplitter::new(1 << 20);
            for ch in data.chunks(1 << 20) {
                s.push(ch, &mut Blocks(&mut p));
            }
            s.finish(&mut Blocks(&mut p));
            p.finish().events.len()
        })
    });
    g.bench_function("engine: begin/push 1 MiB/end", |b| {
        b.iter(|| {
            let mut e = Engine::new(Limits::default());
            let id = e.begin("bench.txt");
            for ch in data.chunks(1 << 20) {
                e.push(id, ch);
            }
            e.end(id);
            e.finish().events.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
