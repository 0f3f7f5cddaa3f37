//! One input through every code path: whole, chunked at every boundary, re-encoded (UTF-16,
//! BOM, CRLF), compressed (gzip whole and truncated, zip with folders), against one expected
//! result. Plus pasted, unknown, empty and binary input.

mod common;
use common::*;
use loupe_core::{analyze, Analysis, Engine, Kind, Limits, RawInput};
use std::io::Write;

/// What must not change whatever the path: rule ids, evidence (line, text), events (line, kind), counts.
fn essence(a: &Analysis) -> Vec<String> {
    let mut out: Vec<String> = a
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?}",
                f.rule,
                f.evidence
                    .iter()
                    .map(|e| (e.line, e.text.clone()))
                    .collect::<Vec<_>>()
            )
        })
        .collect();
    out.extend(
        a.events
            .iter()
            .map(|e| format!("ev {} {} {}", e.input, e.line, e.kind)),
    );
    out.extend(
        a.inputs
            .iter()
            .map(|i| format!("in {:?} {:?} {:?}", i.kind, i.role, i.counts)),
    );
    out
}

fn streamed(parts: &[(&str, Vec<Vec<u8>>)]) -> Analysis {
    let mut engine = Engine::new(Limits::default());
    for (name, chunks) in parts {
        let id = engine.begin(name);
        for c in chunks {
            engine.push(id, c);
        }
        engine.end(id);
    }
    engine.finish()
}

const HUB: &str = "ils/m3-tls-password-joined/hub.txt";
const SPOKE: &str = "ils/m3-tls-password-joined/spoke.txt";

#[test]
fn chunked_at_every_boundary_gives_the_same_result() {
    let hub = fixture(HUB).bytes;
    let spoke = fixture(SPOKE).bytes;
    let whole = essence(&analyze(vec![
        RawInput::new(HUB, hub.clone()),
        RawInput::new(SPOKE, spoke.clone()),
    ]));
    assert!(whole
        .iter()
        .any(|l| l.starts_with("ils.joined.tls-password")));
    for cut in 0..=spoke.len() {
        let got = streamed(&[
            (HUB, vec![hub.clone()]),
            (SPOKE, vec![spoke[..cut].to_vec(), spoke[cut..].to_vec()]),
        ]);
        assert_eq!(essence(&got), whole, "spoke cut at byte {cut}");
    }
    for size in 1..=64 {
        let got = streamed(&[
            (HUB, hub.chunks(size).map(<[u8]>::to_vec).collect()),
            (SPOKE, spoke.chunks(size).map(<[u8]>::to_vec).collect()),
        ]);
        assert_eq!(essence(&got), whole, "chunks of {size} bytes");
    }
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn encodings_line_endings_and_compression_give_the_same_result() {
    let hub = String::from_utf8(fixture(HUB).bytes).unwrap();
    let spoke = String::from_utf8(fixture(SPOKE).bytes).unwrap();
    let expected = essence(&analyze(vec![
        RawInput::new(HUB, hub.clone()),
        RawInput::new(SPOKE, spoke.clone()),
    ]));
    let crlf = |s: &str| s.replace('\n', "\r\n");
    let bom = |s: &str| [&[0xEF, 0xBB, 0xBF][..], s.as_bytes()].concat();
    let variants: Vec<(&str, Vec<u8>, Vec<u8>)> = vec![
        ("crlf", crlf(&hub).into_bytes(), crlf(&spoke).into_bytes()),
        ("utf-8 bom", bom(&hub), bom(&spoke)),
        ("utf-16le", utf16(&hub, false), utf16(&crlf(&spoke), false)),
        ("utf-16be", utf16(&hub, true), utf16(&spoke, true)),
        ("gzip", gzip(hub.as_bytes()), gzip(&utf16(&spoke, false))),
    ];
    for (label, h, s) in variants {
        let got = essence(&analyze(vec![
            RawInput::new(HUB, h),
            RawInput::new(SPOKE, s),
        ]));
        assert_eq!(got, expected, "{label}");
    }
}

#[test]
fn zip_collection_with_node_folders_and_gz_inside() {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    w.add_directory("com1150/", o).unwrap();
    w.start_file("com1150/ils/sdl/SDL001_600_000001.txt.gz", o)
        .unwrap();
    w.write_all(&gzip(&fixture(HUB).bytes)).unwrap();
    w.start_file("com1150/TraceCollectionResult.xml", o)
        .unwrap();
    w.write_all(b"<xml/>").unwrap();
    w.start_file("cucm11/ils/sdl/SDL001_600_000001.txt", o)
        .unwrap();
    w.write_all(&fixture(SPOKE).bytes).unwrap();
    let zip = w.finish().unwrap().into_inner();
    let a = analyze(vec![RawInput::new("rtmt.zip", zip)]);
    let names: Vec<&str> = a.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "rtmt.zip/com1150/ils/sdl/SDL001_600_000001.txt.gz",
            "rtmt.zip/cucm11/ils/sdl/SDL001_600_000001.txt"
        ]
    );
    assert_eq!(
        rules(&a),
        vec![("ils.joined.tls-password".to_string(), "ok")]
    );
    assert!(a.diagnostics.iter().any(
        |d| d.input.ends_with("TraceCollectionResult.xml") && d.message.en.contains("metadata")
    ));
}

#[test]
fn truncated_gzip_keeps_what_was_decoded_and_says_so() {
    let hub = fixture(HUB).bytes;
    let gz = gzip(&hub);
    let a = analyze(vec![RawInput::new(
        "hub.txt.gz",
        gz[..gz.len() - 12].to_vec(),
    )]);
    assert_eq!(a.inputs[0].kind, Kind::SdlTrace);
    assert!(a.inputs[0].lines >= 10, "{}", a.inputs[0].lines);
    assert!(
        a.diagnostics
            .iter()
            .any(|d| d.input == "hub.txt.gz" && d.message.en.contains("truncated")),
        "{:?}",
        a.diagnostics
    );
}

#[test]
fn unknown_empty_and_binary_input_are_reported_not_guessed() {
    let png = [
        &[
            0x89u8, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13,
        ][..],
        &[0u8; 64][..],
    ]
    .concat();
    let a = analyze(vec![
        RawInput::new("notes.txt", "meeting notes\nnothing about logs\n"),
        RawInput::new("empty.txt", ""),
        RawInput::new("blank.txt", "\n \n"),
        RawInput::new("picture.png", png),
    ]);
    // The engine reports inputs in its canonical order (by name), not in the order given.
    let kinds: Vec<(&str, Kind)> = a.inputs.iter().map(|i| (i.name.as_str(), i.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("blank.txt", Kind::Empty),
            ("empty.txt", Kind::Empty),
            ("notes.txt", Kind::Unknown),
            ("picture.png", Kind::Binary)
        ]
    );
    assert_eq!(a.inputs[2].not_understood_lines, vec![1, 2]);
    for (i, name) in ["blank.txt", "empty.txt", "notes.txt", "picture.png"]
        .iter()
        .enumerate()
    {
        assert!(
            a.diagnostics.iter().any(|d| d.input == *name),
            "{name} has a diagnostic"
        );
        assert!(a.inputs[i].counts.adds_up());
    }
    assert!(a.findings.is_empty());
}
