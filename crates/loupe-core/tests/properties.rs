//! Property tests (proptest), bounded to a few seconds: arbitrary bytes never make any stage
//! panic; splitting an input anywhere gives the same analysis; reports are deterministic;
//! SDL-like text mixing real records with garbage keeps every line accounted for.

mod common;
use common::*;
use loupe_core::decode::lines::{emit_line, LineSink};
use loupe_core::decode::stream::ByteDecoder;
use loupe_core::report::{json, markdown, text};
use loupe_core::sdl::SdlParser;
use loupe_core::{analyze, detect, Analysis, Engine, Kind, Lang, Limits, RawInput};
use loupe_core::{parse::parse_whole, Line};
use proptest::prelude::*;

#[derive(Default)]
struct Collect(Vec<Line>);
impl LineSink for Collect {
    fn line(&mut self, number: u32, text: &str) {
        self.0.push(Line {
            number,
            text: text.to_string(),
        });
    }
    fn line_truncated(&mut self, _: u32, _: u64) {}
}

fn small_limits() -> Limits {
    Limits {
        max_expanded_bytes: 1 << 20,
        max_ratio: 100,
        ratio_floor_bytes: 64 << 10,
        max_zip_depth: 2,
        max_zip_entries: 16,
        max_line_bytes: 512,
    }
}

/// What must not change however an input arrives (as in `tests/inputs.rs`).
fn essence(a: &Analysis) -> Vec<String> {
    let mut out: Vec<String> = a
        .findings
        .iter()
        .map(|f| {
            let ev: Vec<_> = f
                .evidence
                .iter()
                .map(|e| (e.line, e.text.clone()))
                .collect();
            format!("{} {ev:?}", f.rule)
        })
        .collect();
    out.extend(
        a.events
            .iter()
            .map(|e| format!("ev {} {} {} {}", e.input, e.line, e.kind, e.time_ms)),
    );
    out.extend(a.inputs.iter().map(|i| {
        format!(
            "in {:?} {:?} {:?} {:?}",
            i.kind, i.role, i.counts, i.not_understood_lines
        )
    }));
    out.extend(a.connections.iter().map(|c| {
        format!(
            "conn {:?} {:?} {} {}",
            c.client, c.server, c.paired_by, c.outcome
        )
    }));
    out
}

fn streamed(name: &str, bytes: &[u8], cuts: &[usize]) -> Analysis {
    let mut e = Engine::new(Limits::default());
    let id = e.begin(name);
    let mut at = 0;
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    cuts.sort_unstable();
    for c in cuts {
        e.push(id, &bytes[at..c]);
        at = c;
    }
    e.push(id, &bytes[at..]);
    e.end(id);
    e.finish()
}

/// Real SDL record lines from the fixtures, to mix with garbage.
fn sdl_lines() -> Vec<String> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(fixtures().join("ils")).unwrap() {
        let dir = dir.unwrap().path();
        for side in ["hub.txt", "spoke.txt"] {
            if let Ok(t) = std::fs::read_to_string(dir.join(side)) {
                out.extend(t.lines().map(str::to_string));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Every ILS fixture trace (and the tables), by name.
fn fixture_files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(fixtures().join("ils")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            let rel = f
                .strip_prefix(fixtures())
                .unwrap()
                .to_string_lossy()
                .to_string();
            out.push((rel, std::fs::read(&f).unwrap()));
        }
    }
    out.sort();
    out
}

/// A line end in `bytes` chosen from `seed` (the byte after a `\n`), or the end.
fn pick_split(bytes: &[u8], seed: usize) -> usize {
    let ends: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .map(|(i, _)| i + 1)
        .collect();
    if ends.is_empty() {
        bytes.len()
    } else {
        ends[seed.wrapping_mul(7919) % ends.len()]
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Decode in arbitrary chunks, detect, parse as every kind: no panic, every line counted.
    #[test]
    fn arbitrary_bytes_never_panic_any_stage(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        chunk in 1usize..64,
    ) {
        let mut d = ByteDecoder::new(small_limits());
        let mut c = Collect::default();
        for piece in bytes.chunks(chunk) {
            d.push(piece, &mut c);
        }
        d.finish(&mut c);
        let lines = c.0;
        let _ = detect::detect(&lines, true);
        let mut sdl = SdlParser::new();
        for l in &lines {
            sdl.line(l.number, &l.text);
        }
        let out = sdl.finish();
        prop_assert!(out.counts.adds_up());
        prop_assert_eq!(out.counts.lines, lines.len() as u64);
        // The raw bytes as one block of lines (the fast path) give the same as line by line.
        let mut block = bytes.clone();
        if !block.ends_with(b"\n") {
            block.push(b'\n');
        }
        let mut slow = SdlParser::new();
        for (n, l) in block[..block.len() - 1].split(|&b| b == b'\n').enumerate() {
            emit_line(n as u32 + 1, l, &mut |num, t| slow.line(num, t));
        }
        let slow = slow.finish();
        let mut fast = SdlParser::new();
        let at = pick_split(&block, chunk);
        let first = fast.lines(1, &block[..at]);
        fast.lines(1 + first, &block[at..]);
        let fast = fast.finish();
        prop_assert_eq!(&fast.events, &slow.events);
        prop_assert_eq!(fast.counts, slow.counts);
        prop_assert_eq!(&fast.not_understood, &slow.not_understood);
        for kind in [
            Kind::IlsClusterTable, Kind::RemoteClusterSql, Kind::ConsoleSession, Kind::CurlVerbose,
            Kind::ActionQueueLog, Kind::Nslookup, Kind::ShowNetwork, Kind::ConnectorProperties,
            Kind::NetstatSocket, Kind::LsofConnector, Kind::ConnectorLog, Kind::PmtoolStatus,
        ] {
            let p = parse_whole(kind, &lines);
            prop_assert!(p.counts.adds_up(), "{:?}: {:?}", kind, p.counts);
            prop_assert_eq!(p.counts.lines, lines.len() as u64);
        }
    }

    /// Arbitrary bytes (sometimes behind a gzip or zip header) through the whole analysis.
    #[test]
    fn arbitrary_bytes_never_panic_the_analysis(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        prefix in prop::sample::select(vec![&b""[..], b"\x1f\x8b\x08\x00", b"PK\x03\x04", b"\xff\xfe", b"\xef\xbb\xbf"]),
    ) {
        let mut input = prefix.to_vec();
        input.extend_from_slice(&bytes);
        let mut e = Engine::new(small_limits());
        e.add_whole(RawInput::new("x", input));
        let a = e.finish();
        for i in &a.inputs {
            prop_assert!(i.counts.adds_up());
        }
        let _ = text::render(&a, Lang::En);
        let _ = markdown::render(&a, Lang::Ja);
        let _ = json::render(&a, Lang::En);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any fixture split at up to three arbitrary bytes gives the same analysis as whole.
    #[test]
    fn splitting_an_input_anywhere_gives_the_same_analysis(
        pick in any::<prop::sample::Index>(),
        cuts in prop::collection::vec(any::<usize>(), 1..4),
    ) {
        let files = fixture_files();
        let (name, bytes) = &files[pick.index(files.len())];
        let whole = essence(&analyze(vec![RawInput::new(name.clone(), bytes.clone())]));
        let split = essence(&streamed(name, bytes, &cuts));
        prop_assert_eq!(split, whole);
    }

    /// Hub and spoke in arbitrary chunk sizes: same findings, events, counts and connections.
    #[test]
    fn arbitrary_chunkings_of_a_pair_give_the_same_analysis(
        scenario in prop::sample::select(vec![
            "m1-password-joined", "m2-spoke-cert-not-trusted", "m3-tls-password-joined",
            "m4-peer-info-vector-joined", "h-clock-skew", "h-port-blocked", "h-tls-version",
        ]),
        sizes in prop::collection::vec(1usize..300, 2),
    ) {
        let hub = fixture(&format!("ils/{scenario}/hub.txt"));
        let spoke = fixture(&format!("ils/{scenario}/spoke.txt"));
        let whole = essence(&analyze(vec![hub.clone(), spoke.clone()]));
        let mut e = Engine::new(Limits::default());
        for (input, size) in [(&hub, sizes[0]), (&spoke, sizes[1])] {
            let id = e.begin(&input.name);
            for c in input.bytes.chunks(size) {
                e.push(id, c);
            }
            e.end(id);
        }
        prop_assert_eq!(essence(&e.finish()), whole);
    }

    /// The same inputs give byte-identical reports, in every format and language.
    #[test]
    fn reports_are_deterministic(
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
    ) {
        let files = fixture_files();
        let inputs: Vec<RawInput> = picks
            .iter()
            .map(|p| {
                let (n, b) = &files[p.index(files.len())];
                RawInput::new(n.clone(), b.clone())
            })
            .collect();
        let a = analyze(inputs.clone());
        let b = analyze(inputs);
        for lang in [Lang::En, Lang::Ja] {
            prop_assert_eq!(text::render(&a, lang), text::render(&b, lang));
            prop_assert_eq!(json::render(&a, lang), json::render(&b, lang));
            prop_assert_eq!(markdown::render(&a, lang), markdown::render(&b, lang));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// SDL-like text: real records, records cut short, records with garbage spliced in, pipes,
    /// blank lines and noise. Nothing panics and every line is accounted for.
    #[test]
    fn sdl_like_lines_keep_counts_adding_up(
        picks in prop::collection::vec(
            (any::<prop::sample::Index>(), 0u8..6, any::<usize>(), "[ -~\u{3042}|\t]{0,40}"),
            1..120,
        ),
    ) {
        let real = sdl_lines();
        let mut text = String::new();
        for (pick, how, at, garbage) in &picks {
            let line = &real[pick.index(real.len())];
            let cut = {
                let mut c = at % (line.len() + 1);
                while !line.is_char_boundary(c) {
                    c -= 1;
                }
                c
            };
            match how {
                0 | 1 => text.push_str(line),
                2 => text.push_str(&line[..cut]),
                3 => {
                    text.push_str(&line[..cut]);
                    text.push_str(garbage);
                    text.push_str(&line[cut..]);
                }
                4 => text.push_str(garbage),
                _ => {}
            }
            text.push('\n');
        }
        // The parser's two paths agree: line by line, and by blocks (split anywhere at a line end).
        let mut slow = SdlParser::new();
        for (n, l) in text.lines().enumerate() {
            slow.line(n as u32 + 1, l);
        }
        let slow = slow.finish();
        let bytes = text.as_bytes();
        let at = pick_split(bytes, picks.len());
        let mut fast = SdlParser::new();
        let first = fast.lines(1, &bytes[..at]);
        fast.lines(1 + first, &bytes[at..]);
        let fast = fast.finish();
        prop_assert_eq!(&fast.events, &slow.events);
        prop_assert_eq!(fast.counts, slow.counts);
        prop_assert_eq!(&fast.not_understood, &slow.not_understood);
        prop_assert_eq!(&fast.long_records, &slow.long_records);
        prop_assert_eq!((fast.first_ms, fast.last_ms), (slow.first_ms, slow.last_ms));
        let a = analyze(vec![RawInput::new("trace.txt", text.clone())]);
        let i = &a.inputs[0];
        prop_assert!(i.counts.adds_up(), "{:?}", i.counts);
        prop_assert_eq!(i.counts.lines, text.lines().count() as u64);
        if i.kind == Kind::SdlTrace {
            prop_assert!(i.counts.recognised > 0);
        }
        let _ = markdown::render(&a, Lang::En);
    }
}
