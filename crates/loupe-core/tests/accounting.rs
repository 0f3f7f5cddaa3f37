//! Nothing lost: every line of every input is accounted for, on every fixture under
//! `tests/fixtures` (new fixtures are covered automatically), whole and inside a zip, as gzip and
//! as UTF-16, and in a pasted console session.

mod common;
use common::*;
use loupe_core::{analyze, InputSummary, RawInput, MAX_UNDERSTOOD_SAMPLES};
use std::io::Write;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Every fixture file: (name below `tests/fixtures`, bytes).
fn every_fixture() -> Vec<(String, Vec<u8>)> {
    let root = fixtures();
    let mut files = Vec::new();
    walk(&root, &mut files);
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// Lines as the decoder numbers them (LF or CRLF; a last line without newline counts; invalid
/// UTF-8 replaced), for plain text.
fn plain_lines(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    text.lines().map(str::to_string).collect()
}

/// The accounting of one input against its own lines.
fn check(summary: &InputSummary, lines: Option<&[String]>) {
    let c = &summary.counts;
    let name = &summary.name;
    assert!(c.adds_up(), "{name}: {c:?}");
    assert_eq!(summary.lines, c.lines, "{name}");
    let nu = &summary.not_understood_lines;
    if (c.not_understood as usize) < MAX_UNDERSTOOD_SAMPLES {
        assert_eq!(nu.len() as u64, c.not_understood, "{name}: {nu:?} vs {c:?}");
    } else {
        assert_eq!(nu.len(), MAX_UNDERSTOOD_SAMPLES, "{name}");
    }
    assert!(nu.windows(2).all(|w| w[0] < w[1]), "{name}: {nu:?}");
    assert!(nu.iter().all(|&n| n >= 1 && n as u64 <= c.lines), "{name}");
    if let Some(lines) = lines {
        assert_eq!(c.lines, lines.len() as u64, "{name}: line count");
        let blank = lines.iter().filter(|l| l.trim().is_empty()).count() as u64;
        assert_eq!(c.blank, blank, "{name}: blank lines");
        for &n in nu {
            assert!(
                !lines[n as usize - 1].trim().is_empty(),
                "{name}: line {n} listed as not understood is blank"
            );
        }
    }
}

#[test]
fn every_fixture_accounts_for_every_line() {
    let all = every_fixture();
    assert!(all.len() >= 20, "{} fixtures", all.len());
    for (name, bytes) in &all {
        let a = analyze(vec![RawInput::new(name.clone(), bytes.clone())]);
        let zipped_or_gz = bytes.starts_with(b"PK") || bytes.starts_with(&[0x1f, 0x8b]);
        let utf16 = bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]);
        let lines = (!zipped_or_gz && !utf16).then(|| plain_lines(bytes));
        for s in &a.inputs {
            check(
                s,
                if a.inputs.len() == 1 {
                    lines.as_deref()
                } else {
                    None
                },
            );
        }
    }
}

#[test]
fn every_fixture_accounts_alike_as_gzip_utf16_and_inside_a_zip() {
    let all = every_fixture();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    for (name, bytes) in &all {
        w.start_file(name.as_str(), o).unwrap();
        w.write_all(bytes).unwrap();
    }
    let zipped = analyze(vec![RawInput::new(
        "all.zip",
        w.finish().unwrap().into_inner(),
    )]);
    let zipped_by_name = |n: &str| {
        zipped
            .inputs
            .iter()
            .find(|i| i.name == format!("all.zip/{n}"))
    };
    for (name, bytes) in &all {
        let whole = analyze(vec![RawInput::new(name.clone(), bytes.clone())]);
        let plain = !bytes.starts_with(b"PK") && !bytes.starts_with(&[0x1f, 0x8b]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).unwrap();
        let gz = analyze(vec![RawInput::new(name.clone(), gz.finish().unwrap())]);
        let counts = |a: &loupe_core::Analysis| {
            a.inputs
                .iter()
                .map(|i| (i.kind, i.counts, i.not_understood_lines.clone()))
                .collect::<Vec<_>>()
        };
        if plain {
            assert_eq!(counts(&gz), counts(&whole), "{name} as gzip");
            if let Ok(text) = std::str::from_utf8(bytes) {
                let mut u16 = vec![0xff, 0xfe];
                for u in text.encode_utf16() {
                    u16.extend_from_slice(&u.to_le_bytes());
                }
                let a = analyze(vec![RawInput::new(name.clone(), u16)]);
                assert_eq!(counts(&a), counts(&whole), "{name} as UTF-16");
            }
            let z = zipped_by_name(name).unwrap_or_else(|| panic!("{name} in zip"));
            assert_eq!(
                (z.kind, z.counts, z.not_understood_lines.clone()),
                (
                    whole.inputs[0].kind,
                    whole.inputs[0].counts,
                    whole.inputs[0].not_understood_lines.clone()
                ),
                "{name} inside a zip"
            );
        }
        for s in gz.inputs.iter().chain(&whole.inputs) {
            check(s, None);
        }
    }
    for s in &zipped.inputs {
        check(s, None);
    }
}

#[test]
fn a_pasted_console_session_accounts_for_every_line() {
    let hub = String::from_utf8(fixture("ils/m3-tls-password-joined/hub.txt").bytes).unwrap();
    let session = format!(
        "admin:file view activelog cm/trace/ils/sdl/SDL001_600_000001.txt\n{hub}\nend of the file reached\nadmin:run sql select * from remotecluster\npkid fullyqualifiedname clusterid\n=====\n5edbbe9-d72b-4cd1-8f8e-93ab32cb58da cucm11.adfs.uccs.com 1 11.5.1.10000 (4)\n\nroot@ftd01:~# cat /ngfw/var/log/action_queue.log\nsomething else\n"
    );
    let lines = plain_lines(session.as_bytes());
    let a = analyze(vec![RawInput::new("session.txt", session)]);
    assert_eq!(a.inputs.len(), 1);
    check(&a.inputs[0], Some(&lines));
}

#[test]
fn more_lines_not_understood_than_the_sample_cap() {
    let text: String = (0..500).map(|i| format!("garbage {i}\n")).collect();
    let a = analyze(vec![RawInput::new("garbage.txt", text)]);
    let s = &a.inputs[0];
    assert_eq!(s.counts.not_understood, 500);
    assert_eq!(
        s.not_understood_lines,
        (1..=MAX_UNDERSTOOD_SAMPLES as u32).collect::<Vec<_>>()
    );
    check(s, None);
}
