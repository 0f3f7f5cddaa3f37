//! Broken, hostile and huge input (issue 6): every named case with the message or result a user
//! gets. Limits are shrunk with custom [`Limits`] where the default ones would make a test slow;
//! one case per limit also runs with the default limits.

mod common;
use common::*;
use loupe_core::report::{json, markdown, text};
use loupe_core::{analyze, Analysis, Engine, Kind, Lang, Limits, RawInput, Role};
use std::io::{Cursor, Write};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn with_limits(limits: Limits, inputs: Vec<RawInput>) -> Analysis {
    let mut e = Engine::new(limits);
    for i in inputs {
        e.add_whole(i);
    }
    e.finish()
}

/// Diagnostics about `input` (exact name), English.
fn diags(a: &Analysis, input: &str) -> Vec<String> {
    a.diagnostics
        .iter()
        .filter(|d| d.input == input)
        .map(|d| format!("{}: {}", d.line, d.message.en))
        .collect()
}

fn has_diag(a: &Analysis, input: &str, words: &str) -> bool {
    diags(a, input).iter().any(|d| d.contains(words))
}

fn all_add_up(a: &Analysis) {
    for i in &a.inputs {
        assert!(i.counts.adds_up(), "{}: {:?}", i.name, i.counts);
        assert_eq!(i.lines, i.counts.lines, "{}", i.name);
    }
}

const HUB: &str = "ils/m3-tls-password-joined/hub.txt";
const SPOKE: &str = "ils/m3-tls-password-joined/spoke.txt";

// ---- empty, binary, huge -------------------------------------------------------------------

#[test]
fn empty_file_is_reported_as_empty() {
    let a = analyze(vec![RawInput::new("empty.log", "")]);
    assert_eq!(a.inputs[0].kind, Kind::Empty);
    assert_eq!(a.inputs[0].counts.lines, 0);
    assert_eq!(diags(&a, "empty.log"), ["0: empty input"]);
    assert!(a.findings.is_empty() && a.events.is_empty());
}

/// A real PNG header, IHDR chunk and compressed-looking data.
fn png() -> Vec<u8> {
    let mut p = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    p.extend_from_slice(&[
        0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 1, 0, 0, 0, 1, 0, 8, 6,
    ]);
    p.extend_from_slice(&[
        0, 0, 0, 0x5c, 0x72, 0xa8, 0x66, 0, 0, 0x20, 0, b'I', b'D', b'A', b'T',
    ]);
    let mut x: u32 = 0x1234_5678;
    for _ in 0..8192 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p.push(x as u8);
    }
    p.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]);
    p
}

#[test]
fn binary_file_is_reported_as_binary_and_its_lines_counted() {
    let a = analyze(vec![RawInput::new("screenshot.png", png())]);
    let i = &a.inputs[0];
    assert_eq!(i.kind, Kind::Binary);
    assert!(i.counts.adds_up() && i.counts.lines > 0, "{:?}", i.counts);
    assert!(has_diag(
        &a,
        "screenshot.png",
        "binary data, not a text log"
    ));
    assert!(a.findings.is_empty());
}

#[test]
fn a_100_mb_single_line_keeps_only_max_line_bytes_and_names_line_1() {
    let limits = Limits::default();
    let mut e = Engine::new(limits);
    let id = e.begin("one-line.log");
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..100 {
        e.push(id, &chunk);
    }
    e.end(id);
    let a = e.finish();
    let i = &a.inputs[0];
    assert_eq!(i.counts.lines, 1);
    assert_eq!(i.kind, Kind::Unknown);
    assert_eq!(i.bytes, 100 << 20);
    let dropped = (100u64 << 20) - limits.max_line_bytes as u64;
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.input == "one-line.log" && d.line == 1)
        .expect("a diagnostic on line 1");
    assert!(
        d.message.en.contains("line is too long") && d.message.en.contains(&dropped.to_string()),
        "{}",
        d.message.en
    );
}

// ---- NUL bytes, UTF-16, gzip ---------------------------------------------------------------

#[test]
fn nul_bytes_inside_an_sdl_trace_do_not_hide_it() {
    let hub = fixture(HUB).bytes;
    let spoke = fixture(SPOKE).bytes;
    let expected = rules(&analyze(vec![
        RawInput::new(HUB, hub.clone()),
        RawInput::new(SPOKE, spoke.clone()),
    ]));
    // NULs inside a record, and a block of NULs like the one a crash leaves in a trace file.
    let text = String::from_utf8(hub).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[1].insert_str(20, "\0\0\0");
    lines.insert(2, "\0".repeat(4000));
    let nul_hub = lines.join("\n");
    let a = analyze(vec![
        RawInput::new(HUB, nul_hub),
        RawInput::new(SPOKE, spoke),
    ]);
    assert_eq!(a.inputs[0].kind, Kind::SdlTrace);
    assert_eq!(rules(&a), expected);
    all_add_up(&a);
    // The NULs survive as data in the JSON report (escaped), never as raw control bytes.
    let j = json::render(&a, Lang::En);
    assert!(!j.contains('\0'));
}

#[test]
fn odd_length_utf16_is_decoded_and_reported() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "hello\nworld".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    bytes.push(b'!');
    let a = analyze(vec![RawInput::new("notepad.txt", bytes)]);
    assert_eq!(a.inputs[0].counts.lines, 2);
    assert!(has_diag(
        &a,
        "notepad.txt",
        "UTF-16 text has an odd number of bytes"
    ));
}

#[test]
fn truncated_gzip_analyses_what_was_decoded() {
    let gz = gzip(&fixture(SPOKE).bytes);
    let a = analyze(vec![RawInput::new(
        "spoke.txt.gz",
        gz[..gz.len() / 2].to_vec(),
    )]);
    assert_eq!(a.inputs[0].kind, Kind::SdlTrace);
    assert!(has_diag(&a, "spoke.txt.gz", "gzip stream is truncated"));
    all_add_up(&a);
}

// ---- bombs ---------------------------------------------------------------------------------

fn small_limits() -> Limits {
    Limits {
        max_expanded_bytes: 16 << 20,
        max_ratio: 50,
        ratio_floor_bytes: 1 << 20,
        max_zip_depth: 3,
        max_zip_entries: 100,
        max_line_bytes: 64 << 10,
    }
}

#[test]
fn gzip_bomb_stops_at_the_ratio_limit() {
    let bomb = gzip(&vec![0u8; 8 << 20]);
    let a = with_limits(small_limits(), vec![RawInput::new("bomb.gz", bomb)]);
    assert!(
        has_diag(&a, "bomb.gz", "a compression bomb?"),
        "{:?}",
        a.diagnostics
    );
    assert!(has_diag(&a, "bomb.gz", "ratio of 50:1"));
}

/// Gzip members can be concatenated: one small member repeated makes a cheap big bomb.
fn gzip_members(member: &[u8], count: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(member.len() * count);
    for _ in 0..count {
        out.extend_from_slice(member);
    }
    out
}

#[test]
fn gzip_bomb_stops_at_the_default_limit() {
    // 200 MB of zeros from ~200 KB: stops once 64 MB are out at more than 250:1.
    let member = gzip(&vec![0u8; 1 << 20]);
    let bomb = gzip_members(&member, 200);
    let a = analyze(vec![RawInput::new("bomb.gz", bomb)]);
    assert!(
        has_diag(&a, "bomb.gz", "a compression bomb?"),
        "{:?}",
        a.diagnostics
    );
}

#[test]
fn zip_bomb_entry_stops_at_the_ratio_limit() {
    let z = zip(&[("bomb.txt", &vec![b'a'; 8 << 20])]);
    let a = with_limits(small_limits(), vec![RawInput::new("bomb.zip", z)]);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.input.starts_with("bomb.zip"))
        .unwrap_or_else(|| panic!("{:?}", a.diagnostics));
    assert!(
        d.message.en.contains("compression bomb"),
        "{}",
        d.message.en
    );
    assert!(a.inputs.iter().map(|i| i.bytes).sum::<u64>() < 8 << 20);
}

/// A zip of `count` entries that all reuse the compressed data of one entry (no recompression).
fn zip_of_copies(data: &[u8], count: usize) -> Vec<u8> {
    let one = zip(&[("zeros.txt", data)]);
    let mut src = zip::ZipArchive::new(Cursor::new(one)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..count {
        let f = src.by_index(0).unwrap();
        w.raw_copy_file_rename(f, format!("copy{i:04}.txt"))
            .unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn zip_bomb_of_many_entries_stops_at_the_total_limit() {
    // Each entry is small and under the ratio floor on its own; together they are a bomb.
    let z = zip_of_copies(&vec![0u8; 256 << 10], 60);
    let a = with_limits(small_limits(), vec![RawInput::new("many.zip", z)]);
    assert!(
        a.diagnostics
            .iter()
            .any(|d| d.input.starts_with("many.zip") && d.message.en.contains("compression bomb")),
        "{:?}",
        a.diagnostics
    );
    // Each entry holds 256 KiB: at most 2 MiB were expanded.
    assert!(a.inputs.len() <= 8, "{} entries read", a.inputs.len());
}

/// Where the central directory's header of the one entry of `z`, named `name`, starts (`zip`
/// writes no extra field and no comment: the header is 46 bytes and the name, before the
/// 22-byte end record).
fn central_header(z: &[u8], name: &str) -> usize {
    let at = z.len() - 22 - 46 - name.len();
    assert_eq!(&z[at..at + 4], b"PK\x01\x02", "a central directory header");
    at
}

/// An entry whose directory understates its size is handed on compressed (its declared size is
/// within every limit), and the gzip limits stop it as they stop a `.gz` file.
#[test]
fn zip_entry_that_understates_its_size_stops_at_the_ratio_limit() {
    let mut z = zip(&[("liar.txt", &vec![b'a'; 8 << 20])]);
    let central = central_header(&z, "liar.txt");
    // The uncompressed size, in the local header (offset 22) and the central directory (24).
    z[22..26].copy_from_slice(&1000u32.to_le_bytes());
    z[central + 24..central + 28].copy_from_slice(&1000u32.to_le_bytes());
    let a = with_limits(small_limits(), vec![RawInput::new("liar.zip", z)]);
    assert!(
        has_diag(&a, "liar.zip/liar.txt", "a compression bomb?"),
        "{:?}",
        a.diagnostics
    );
}

#[test]
fn zip_bomb_stops_at_the_default_limit() {
    // 200 entries of 1 MB zeros (~1 KB each compressed): stops past 64 MB at more than 250:1.
    let z = zip_of_copies(&vec![0u8; 1 << 20], 200);
    let a = analyze(vec![RawInput::new("bomb.zip", z)]);
    assert!(
        a.diagnostics
            .iter()
            .any(|d| d.input.starts_with("bomb.zip") && d.message.en.contains("compression bomb")),
        "{:?}",
        a.diagnostics
    );
    assert!(a.inputs.len() < 200, "{} entries read", a.inputs.len());
}

#[test]
fn zips_nested_past_the_depth_limit_are_named_and_not_opened() {
    let mut z = zip(&[("deepest.txt", b"hello")]);
    for level in (0..5).rev() {
        z = zip(&[(&format!("level{level}.zip"), &z)]);
    }
    let a = analyze(vec![RawInput::new("nested.zip", z)]);
    assert!(a.inputs.is_empty());
    assert!(
        has_diag(
            &a,
            "nested.zip/level0.zip/level1.zip/level2.zip",
            "zip archives nested deeper than 3 levels are not opened"
        ),
        "{:?}",
        a.diagnostics
    );
}

#[test]
fn thousands_of_tiny_files_in_one_zip() {
    let names: Vec<String> = (0..5000).map(|i| format!("node/f{i:05}.txt")).collect();
    let files: Vec<(&str, &[u8])> = names
        .iter()
        .map(|n| (n.as_str(), &b"x\n\ny\n"[..]))
        .collect();
    let z = zip(&files);
    let a = analyze(vec![RawInput::new("tiny.zip", z.clone())]);
    assert_eq!(a.inputs.len(), 5000);
    all_add_up(&a);
    assert!(a
        .inputs
        .iter()
        .all(|i| i.counts.lines == 3 && i.counts.blank == 1));
    let limits = Limits {
        max_zip_entries: 1000,
        ..Limits::default()
    };
    let a = with_limits(limits, vec![RawInput::new("tiny.zip", z)]);
    assert_eq!(a.inputs.len(), 1000);
    assert!(has_diag(
        &a,
        "tiny.zip",
        "only the first 1000 archive entries are read"
    ));
}

#[test]
fn zip_entry_names_with_dot_dot_and_html_are_kept_verbatim_as_data() {
    let evil = "<img src=x onerror=alert(1)>.txt";
    let z = zip(&[
        ("../../etc/passwd", b"root:x:0:0\n"),
        (evil, b"<script>alert(2)</script>\n"),
    ]);
    let a = analyze(vec![RawInput::new("evil.zip", z)]);
    let names: Vec<&str> = a.inputs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["evil.zip/../../etc/passwd", &format!("evil.zip/{evil}")]
    );
    // JSON carries the name as a string; Markdown escapes it; nothing was written anywhere.
    let j: serde_json::Value = serde_json::from_str(&json::render(&a, Lang::En)).unwrap();
    assert_eq!(j["inputs"][1]["name"], format!("evil.zip/{evil}"));
    let md = markdown::render(&a, Lang::En);
    assert_no_raw_html(&md);
    assert!(md.contains("\\<img src=x onerror=alert(1)\\>"), "{md}");
    assert!(text::render(&a, Lang::En).contains(evil));
    assert!(!std::path::Path::new("/etc/passwd.loupe").exists());
}

/// Outside inline code spans and fences, no `<` is left unescaped in a Markdown report.
fn assert_no_raw_html(md: &str) {
    let mut in_fence = false;
    for line in md.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // An escaped backtick is text, not a code span delimiter.
        let line = line.replace("\\`", "");
        let outside: String = line
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, s)| s)
            .collect();
        assert_eq!(
            line.matches('`').count() % 2,
            0,
            "unbalanced code span: {line}"
        );
        let raw = outside.replace("\\<", "");
        assert!(!raw.contains('<'), "raw markup in Markdown: {line}");
    }
}

#[test]
fn log_text_with_backticks_and_html_stays_text_in_markdown() {
    let evil = "<svg/onload=alert`1`>";
    let mut hub = filehead("<script>alert(1)</script>", "10.0.0.1") + "\n";
    hub += &hub_attempt(100, "22:00:01.100", "10.0.0.1", evil, 50001);
    let a = analyze(vec![RawInput::new("`<b>hub</b>.txt", hub)]);
    assert!(!a.connections.is_empty());
    let md = markdown::render(&a, Lang::En);
    assert_no_raw_html(&md);
}

// ---- time ----------------------------------------------------------------------------------

fn filehead(host: &str, ip: &str) -> String {
    format!("00000001.000 |22:00:00.000 |FileHead |UTC:+00:00,Date: 2016/09/02, AppName: Cisco Intercluster Lookup Service, AppId: 600, HostName: {host}, HostIPAddress: {ip}, FileNumber: 1, TraceVer: 3.0")
}

fn spoke_attempt(seq: u32, t: &str, hub: &str, me: &str, port: u32) -> String {
    format!(
        "{seq:08}.001 |{t} |AppInfo |IlsD Ils::ConnectRes() appCorr(1029) TCPPid([1, 600, 13, 5]), PeerIP/Port({hub}:7502), LocalIP/Port({me}:{port}) TLSReq(f) found\n\
         {seq:08}.002 |{t} |AppInfo |IlsD DEBUG(0000FA0E): Client Connection to peerId(00000000000000000000000000000000) ipAddr({hub}) ipPort(7502) TLSReq(f) succeeded\n\
         {seq:08}.010 |{t} |AppInfo |IlsD ::ConnectIndInner starting to PeerId(77c59d0960cc4fdc959168a3d686a6de), TCPPid([1, 600, 13, 5]), PeerIP/Port({hub}:7502), LocalIP/Port({me}:{port}) TLSReq(f) established\n"
    )
}

fn hub_attempt(seq: u32, t: &str, hub: &str, peer: &str, port: u32) -> String {
    format!(
        "{seq:08}.002 |{t} |AppInfo |IlsD Ils::ConnectInd TCPPid([1, 600, 13, 5]), PeerIP/Port({peer}:{port}), LocalIP/Port({hub}:7502) ({peer}:{port})\n\
         {seq:08}.012 |{t} |AppInfo |IlsD ::ConnectIndInner Server Connection to PeerId(f7f885dcaca845f18f3b7e583ff6c457), TCPPid([1, 600, 13, 5]), PeerIP/Port({peer}:{port}), LocalIP/Port({hub}:7502) TLSReq(f) established\n"
    )
}

#[test]
fn timestamps_going_backwards_and_across_midnight_keep_order_and_day() {
    let day = 17_046i64 * 86_400_000; // 2016-09-02
    let ms = |h: i64, m: i64, s: i64, milli: i64| ((h * 60 + m) * 60 + s) * 1000 + milli;
    let times = [
        ("23:59:58.000", day + ms(23, 59, 58, 0)),
        ("23:59:59.500", day + ms(23, 59, 59, 500)),
        // The clock steps back 300 ms: same day, not a new one.
        ("23:59:59.200", day + ms(23, 59, 59, 200)),
        // Midnight: the next day.
        ("00:00:01.000", day + 86_400_000 + ms(0, 0, 1, 0)),
        // A late record from before midnight, written after it.
        ("23:59:59.900", day + ms(23, 59, 59, 900)),
        ("00:00:02.000", day + 86_400_000 + ms(0, 0, 2, 0)),
    ];
    let mut trace = filehead("cucm11", "10.0.0.2") + "\n";
    for (n, (t, _)) in times.iter().enumerate() {
        trace += &spoke_attempt(10 + n as u32, t, "10.0.0.1", "10.0.0.2", 40000 + n as u32);
    }
    let a = analyze(vec![RawInput::new("spoke.txt", trace)]);
    all_add_up(&a);
    // Three events per attempt; the first of each (ConnectRes) has the expected absolute time.
    let first: Vec<(u32, i64)> = {
        let mut v: Vec<_> = a
            .events
            .iter()
            .filter(|e| &*e.kind == "connect-response")
            .map(|e| (e.line, e.time_ms))
            .collect();
        v.sort();
        v
    };
    let expected: Vec<(u32, i64)> = times
        .iter()
        .enumerate()
        .map(|(n, (_, ms))| (2 + 3 * n as u32, *ms))
        .collect();
    assert_eq!(first, expected);
    // The timeline is in time order: after-midnight events come last.
    let order: Vec<i64> = a.events.iter().map(|e| e.aligned_ms).collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "{order:?}");
    assert!(a
        .events
        .iter()
        .rev()
        .take(6)
        .all(|e| e.time_ms > day + 86_400_000));
}

// ---- addresses -----------------------------------------------------------------------------

/// Hub and spoke behind NAT: both traces show the same address on both ends.
#[test]
fn same_ip_on_both_sides_pairs_by_port_and_never_with_itself() {
    let ip = "192.0.2.10";
    let mut hub = filehead("hub", ip) + "\n";
    let mut spoke = filehead("spoke", ip) + "\n";
    // Three attempts, one second apart; the spoke's clock is 40 ms ahead.
    for n in 0..3u32 {
        let t_hub = format!("22:00:0{}.100", n + 1);
        let t_spoke = format!("22:00:0{}.140", n + 1);
        hub += &hub_attempt(100 + n, &t_hub, ip, ip, 50001 + n);
        spoke += &spoke_attempt(100 + n, &t_spoke, ip, ip, 50001 + n);
    }
    let a = analyze(vec![
        RawInput::new("hub.txt", hub),
        RawInput::new("spoke.txt", spoke),
    ]);
    let roles: Vec<Role> = a.inputs.iter().map(|i| i.role).collect();
    assert_eq!(roles, [Role::Hub, Role::Spoke]);
    assert_eq!(a.connections.len(), 3, "{:#?}", a.connections);
    for (n, c) in a.connections.iter().enumerate() {
        assert_eq!(c.paired_by, "ephemeral-port", "{c:?}");
        assert_eq!((c.hub_input, c.spoke_input), (Some(0), Some(1)));
        assert_eq!(c.client.as_deref(), Some(&*format!("{ip}:{}", 50001 + n)));
        assert_eq!(c.outcome, "joined");
    }
    assert_eq!(a.clock_offset_ms, Some(40));
}

#[test]
fn a_single_nat_trace_is_not_paired_with_itself() {
    let ip = "192.0.2.10";
    let mut hub = filehead("hub", ip) + "\n";
    hub += &hub_attempt(100, "22:00:01.100", ip, ip, 50001);
    let a = analyze(vec![RawInput::new("hub.txt", hub)]);
    assert_eq!(a.connections.len(), 1);
    assert_eq!(a.connections[0].paired_by, "one-side");
    assert_eq!(a.connections[0].spoke_input, None);
}

#[test]
fn ipv4_mapped_ipv6_addresses_are_normalised_so_pairing_works() {
    let mut hub = filehead("hub", "::ffff:10.106.104.220") + "\n";
    hub += &hub_attempt(
        100,
        "22:00:01.100",
        "::ffff:10.106.104.220",
        "::FFFF:10.106.104.201",
        56181,
    );
    let mut spoke = filehead("spoke", "10.106.104.201") + "\n";
    spoke += &spoke_attempt(
        100,
        "22:00:01.120",
        "10.106.104.220",
        "10.106.104.201",
        56181,
    );
    let a = analyze(vec![
        RawInput::new("hub.txt", hub),
        RawInput::new("spoke.txt", spoke),
    ]);
    assert_eq!(a.inputs[0].host_ip.as_deref(), Some("10.106.104.220"));
    assert_eq!(a.connections.len(), 1, "{:#?}", a.connections);
    let c = &a.connections[0];
    assert_eq!(c.paired_by, "ephemeral-port");
    assert_eq!(c.client.as_deref(), Some("10.106.104.201:56181"));
    assert_eq!(c.server.as_deref(), Some("10.106.104.220:7502"));
}

// ---- volume --------------------------------------------------------------------------------

/// `n` successful attempts, 100 ms apart from 01:00, ports cycling through 28,000 values.
fn many_attempts(n: u32) -> (String, String) {
    let (hub_ip, spoke_ip) = ("10.1.0.1", "10.2.0.1");
    let mut hub = String::with_capacity(n as usize * 420);
    let mut spoke = String::with_capacity(n as usize * 700);
    hub += &(filehead("hub", hub_ip).replace("22:00:00.000", "01:00:00.000") + "\n");
    spoke += &(filehead("spoke", spoke_ip).replace("22:00:00.000", "01:00:00.000") + "\n");
    for i in 0..n {
        let ms = 3_600_000 + 1000 + i as u64 * 100;
        let t = |ms: u64| {
            format!(
                "{:02}:{:02}:{:02}.{:03}",
                ms / 3_600_000,
                ms / 60_000 % 60,
                ms / 1000 % 60,
                ms % 1000
            )
        };
        let port = 32768 + i % 28_000;
        spoke += &spoke_attempt(10 + i, &t(ms), hub_ip, spoke_ip, port);
        hub += &hub_attempt(10 + i, &t(ms + 7), hub_ip, spoke_ip, port);
    }
    (hub, spoke)
}

fn all_paired(n: u32) {
    let (hub, spoke) = many_attempts(n);
    let a = analyze(vec![
        RawInput::new("hub.txt", hub),
        RawInput::new("spoke.txt", spoke),
    ]);
    assert_eq!(a.connections.len(), n as usize);
    assert!(a
        .connections
        .iter()
        .all(|c| c.paired_by == "ephemeral-port" && c.outcome == "joined"));
    assert_eq!(a.events.len(), 5 * n as usize);
    assert_eq!(a.clock_offset_ms, Some(-7));
    all_add_up(&a);
}

#[test]
fn ten_thousand_connection_attempts_are_all_paired() {
    all_paired(10_000);
}

#[test]
#[ignore = "100,000 attempts: about 20 s of CPU in a debug build; run with `cargo test -- --ignored`"]
fn a_hundred_thousand_connection_attempts_are_all_paired() {
    all_paired(100_000);
}

#[test]
fn terminal_escape_sequences_in_log_text_are_not_sent_to_the_terminal() {
    let mut hub = filehead("\u{1b}]0;owned\u{7}hub", "10.0.0.1") + "\n";
    hub += &hub_attempt(100, "22:00:01.100", "10.0.0.1", "10.0.0.2", 50001);
    hub += "\u{1b}[2J\u{1b}[31mcleared\n";
    let a = analyze(vec![RawInput::new("\u{1b}[8mhidden.txt", hub)]);
    let t = text::render(&a, Lang::En);
    assert!(!t.contains('\u{1b}') && !t.contains('\u{7}'), "{t:?}");
    assert!(t.contains("\u{fffd}[8mhidden.txt"));
}

/// A record followed by a huge dump (or a text file that only starts like a trace): the
/// continuation lines are counted, but only the first `MAX_RECORD_BYTES` of the record are kept.
#[test]
fn a_record_with_a_huge_continuation_is_cut_and_reported() {
    let mut e = Engine::new(Limits::default());
    let id = e.begin("dump.txt");
    let head = filehead("hub", "10.0.0.1")
        + "\n"
        + &hub_attempt(100, "22:00:01.100", "10.0.0.1", "10.0.0.2", 50001);
    e.push(id, head.as_bytes());
    let chunk = "    0x00 0x01 0x02 0x03 0x04 0x05 0x06 0x07 0x08 0x09 0x0a 0x0b\n".repeat(16_384);
    // 30 MB of continuation lines after an ILS record (kept whole by the parser)...
    for _ in 0..30 {
        e.push(id, chunk.as_bytes());
    }
    // ... and 30 MB after a record that holds no event (the parser's fast path).
    let stat = 30 * 16_384 + 4;
    e.push(
        id,
        b"00000181.000 |22:05:58.798 |SdlStat  |Period: 6s #Lines: 14\n",
    );
    for _ in 0..30 {
        e.push(id, chunk.as_bytes());
    }
    e.end(id);
    let a = e.finish();
    let i = &a.inputs[0];
    assert_eq!(i.kind, Kind::SdlTrace);
    assert_eq!(i.counts.continuation, 60 * 16_384);
    assert!(i.counts.adds_up());
    for line in [3, stat] {
        let d = a
            .diagnostics
            .iter()
            .find(|d| d.input == "dump.txt" && d.line == line)
            .unwrap_or_else(|| panic!("line {line}: {:?}", a.diagnostics));
        assert!(
            d.message.en.contains("record is too long"),
            "{}",
            d.message.en
        );
    }
    assert!(a
        .events
        .iter()
        .all(|e| e.text.len() <= loupe_core::sdl::MAX_RECORD_BYTES + 1024));
}

/// A huge file that starts like a small artefact (here an ILS Clusters table) is not held whole.
#[test]
fn a_huge_file_that_starts_like_a_table_keeps_only_max_buffered_bytes() {
    let mut e = Engine::new(Limits::default());
    let id = e.begin("clusters.txt");
    e.push(
        id,
        b"Cluster ID/Name\tLast Contact Time\tRole\tAdvertised Route String\n",
    );
    let row = format!("{}\n", "x".repeat(1023));
    let block = row.repeat(1024); // 1 MiB
    for _ in 0..70 {
        e.push(id, block.as_bytes());
    }
    e.push(id, b"\n");
    e.end(id);
    let a = e.finish();
    let i = &a.inputs[0];
    assert_eq!(i.kind, Kind::IlsClusterTable);
    assert_eq!(i.counts.lines, 1 + 70 * 1024 + 1);
    assert!(i.counts.adds_up(), "{:?}", i.counts);
    assert_eq!(i.not_understood_lines.len(), 200);
    let d = diags(&a, "clusters.txt");
    assert!(
        d.iter().any(
            |d| d.contains("too long for its kind (ILS Clusters table): only its first 64 MiB")
        ),
        "{d:?}"
    );
}

// ---- damaged zip entries -------------------------------------------------------------------

/// Damage done to a zip: given the archive and where its entry's compressed data starts and ends.
type Damage = dyn Fn(&mut [u8], usize, usize);

/// A zip of one deflated trace damaged by `damage`, and the number of lines of the trace.
fn damaged_zip(damage: &Damage) -> (Vec<u8>, usize) {
    let trace = fixture(HUB).bytes;
    let mut z = zip(&[("hub.txt", &trace)]);
    let (start, end) = {
        let mut a = zip::ZipArchive::new(Cursor::new(&z[..])).unwrap();
        let e = a.by_index_raw(0).unwrap();
        let start = e.data_start().unwrap() as usize;
        (start, start + e.compressed_size() as usize)
    };
    damage(&mut z, start, end);
    (z, trace.split(|&b| b == b'\n').count())
}

/// What a user is told of a zip entry whose compressed data is damaged: the entry is named,
/// what could be decoded is analysed, and nothing is dropped silently or panics.
#[test]
fn a_damaged_deflated_entry_is_named_and_its_readable_part_analysed() {
    // Each case, and what its note must also say ("" for no more than the damage).
    let cases: [(&str, &Damage, &str); 3] = [
        (
            "bytes overwritten midway",
            &|z, s, e| z[(s + e) / 2..(s + e) / 2 + 8].fill(0xff),
            "",
        ),
        (
            "the last compressed byte flipped",
            &|z, _, e| z[e - 1] ^= 0x55,
            "",
        ),
        // CRC-32 in the local header (offset 14) and in the central directory (16).
        (
            "a wrong CRC-32",
            &|z, _, _| {
                let central = central_header(z, "hub.txt");
                z[14] ^= 1;
                z[central + 16] ^= 1;
            },
            "its data does not match its CRC-32",
        ),
    ];
    for (case, damage, also) in cases {
        let (z, lines) = damaged_zip(damage);
        let a = analyze(vec![RawInput::new("d.zip", z)]);
        let notes = diags(&a, "d.zip/hub.txt");
        // Worded as for an entry inflated whole: the gzip wrapping is an inner detail.
        assert!(
            notes.len() == 1
                && notes[0].starts_with("0: entry is damaged after ")
                && notes[0].contains(also),
            "{case}: {notes:?} {:?}",
            a.diagnostics
        );
        let input = a.inputs.iter().find(|i| i.name == "d.zip/hub.txt");
        let input = input.unwrap_or_else(|| panic!("{case}: {:?}", a.inputs));
        assert!(input.lines as usize <= lines + 1, "{case}: {}", input.lines);
        all_add_up(&a);
    }
}
