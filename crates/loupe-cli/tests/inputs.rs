//! What `loupe analyze` does with the inputs people actually have: folders holding unreadable
//! files, dangling links, link loops, dotfiles and RTMT metadata, empty folders, a mistyped
//! `--role`, `--fail-on` for scripts, large or compressed standard input, and the progress bar.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

const HUB: &str = "ils/m1-password-mismatch/hub.txt";
const SPOKE: &str = "ils/m4-peer-info-vector-joined/spoke.txt";

/// A fresh folder for one test, under cargo's scratch directory for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("inputs-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy(rel: &str, to: &Path) {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::copy(fixture(rel), to).unwrap();
}

fn loupe_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loupe"))
        .args(args)
        .current_dir(dir)
        .env_remove("LOUPE_PROGRESS_AFTER_MS")
        .output()
        .expect("run loupe")
}

fn loupe_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_loupe"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    o
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: stdout {:?}", String::from_utf8_lossy(&o.stdout)))
}

fn input_names(v: &serde_json::Value) -> Vec<String> {
    v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect()
}

fn diagnostics(v: &serde_json::Value) -> Vec<(String, String)> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["input"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_dangling_links_are_named_and_the_rest_is_reported() {
    let dir = scratch("unreadable");
    copy(HUB, &dir.join("logs/hub.txt"));
    std::os::unix::fs::symlink("gone.txt", dir.join("logs/dangling.txt")).unwrap();
    // Fails to open even as root (tests run as root, where chmod 000 stops nothing): a socket.
    let _socket = std::os::unix::net::UnixListener::bind(dir.join("logs/socket.txt")).unwrap();
    // Opens, then fails on the first read even as root.
    #[cfg(target_os = "linux")]
    std::os::unix::fs::symlink("/proc/self/mem", dir.join("logs/mem.txt")).unwrap();

    let o = loupe_in(&dir, &["analyze", "-f", "json", "logs"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("`logs/dangling.txt`: dangling symbolic link: its target `gone.txt`"),
        "{err}"
    );
    assert!(err.contains("`logs/socket.txt`: cannot be read"), "{err}");
    let v = json(&o);
    assert_eq!(input_names(&v), ["logs/hub.txt"], "the rest is reported");
    assert_eq!(v["findings"][0]["rule"], "ils.password-mismatch");
    let diags = diagnostics(&v);
    let mut named: Vec<&str> = diags.iter().map(|(i, _)| i.as_str()).collect();
    #[cfg(target_os = "linux")]
    {
        assert!(err.contains("`logs/mem.txt`: cannot be read"), "{err}");
        named.retain(|n| *n != "logs/mem.txt");
    }
    assert_eq!(named, ["logs/dangling.txt", "logs/socket.txt"], "{diags:?}");

    // A missing path and a dangling link given by name: named too, and the file given with
    // them is still reported.
    let o = loupe_in(
        &dir,
        &[
            "analyze",
            "-f",
            "json",
            "missing.txt",
            "logs/dangling.txt",
            "logs/hub.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("`missing.txt`: cannot be read"));
    assert!(stderr(&o).contains("`logs/dangling.txt`: dangling symbolic link"));
    assert_eq!(input_names(&json(&o)), ["logs/hub.txt"]);

    // Nothing readable at all: no report, exit 1.
    let o = loupe_in(&dir, &["analyze", "logs/dangling.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("nothing to analyse"), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_skipped_and_folders_read_once() {
    let dir = scratch("loop");
    copy(HUB, &dir.join("top/logs/hub.txt"));
    // A link back to an ancestor inside the walk (a loop), and one to the folder above the
    // folder given, which leads back into it.
    std::fs::create_dir_all(dir.join("top/logs/sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("top/logs/sub/again")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("top/logs/back")).unwrap();

    let o = loupe_in(&dir, &["analyze", "-f", "json", "top/logs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let names = input_names(&json(&o));
    assert_eq!(names, ["top/logs/hub.txt"], "each file once");
    let err = stderr(&o);
    assert!(
        err.contains("skipped `top/logs/sub/again`: a symbolic link back to `top/logs` (a loop)"),
        "{err}"
    );
    assert!(
        err.contains("skipped `top/logs/back/logs`: a link to"),
        "{err}"
    );
    assert!(err.contains("a folder already read"), "{err}");
}

#[test]
fn dotfiles_and_rtmt_metadata_are_skipped_in_walks_but_read_by_name() {
    let dir = scratch("skip");
    copy(HUB, &dir.join("node/hub.txt"));
    copy(SPOKE, &dir.join("node/.spoke.txt"));
    copy(SPOKE, &dir.join("node/.cache/spoke.txt"));
    copy(SPOKE, &dir.join("node/SDL001_100.index"));
    copy(SPOKE, &dir.join("node/TraceCollectionResult123.xml"));

    let o = loupe_in(&dir, &["analyze", "-f", "json", "node"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(input_names(&json(&o)), ["node/hub.txt"]);

    // A file given by name is read whatever its name, and so is a dot-folder given by name.
    let o = loupe_in(
        &dir,
        &[
            "analyze",
            "-f",
            "json",
            "node/.spoke.txt",
            "node/SDL001_100.index",
            "node/.cache",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Reported in the engine's canonical order (by name), whatever the order of the arguments.
    assert_eq!(
        input_names(&json(&o)),
        [
            "node/.cache/spoke.txt",
            "node/.spoke.txt",
            "node/SDL001_100.index"
        ]
    );
}

#[test]
fn an_empty_folder_says_so() {
    let dir = scratch("empty");
    std::fs::create_dir_all(dir.join("nothing")).unwrap();
    let o = loupe_in(&dir, &["analyze", "nothing"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "no empty report");
    let err = stderr(&o);
    assert!(
        err.contains("`nothing`: empty folder: it holds no file to read"),
        "{err}"
    );

    // Only skipped files: it says how many.
    copy(SPOKE, &dir.join("meta/SDL001_100.index"));
    copy(SPOKE, &dir.join("meta/.hidden"));
    let o = loupe_in(&dir, &["analyze", "meta"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("empty folder: it holds no file to read (2 skipped"));

    // Beside a readable file: the report is made and lists the empty folder.
    copy(HUB, &dir.join("hub.txt"));
    let o = loupe_in(&dir, &["analyze", "-f", "json", "nothing", "hub.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(input_names(&v), ["hub.txt"]);
    assert!(diagnostics(&v)
        .iter()
        .any(|(i, m)| i == "nothing" && m.contains("empty folder")));
}

#[test]
fn an_unmatched_role_is_a_usage_error_listing_the_inputs() {
    let o = loupe_in(
        &root(),
        &[
            "analyze",
            "--role",
            "hub.txt=hub",
            "tests/fixtures/ils/m1-password-mismatch",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "no report");
    let err = stderr(&o);
    assert!(
        err.starts_with("loupe: --role: no input is named `hub.txt`"),
        "{err}"
    );
    for name in [
        "tests/fixtures/ils/m1-password-mismatch/hub.txt",
        "tests/fixtures/ils/m1-password-mismatch/spoke.txt",
    ] {
        assert!(err.contains(name), "lists {name}: {err}");
    }
    // The full name matches.
    let o = loupe_in(
        &root(),
        &[
            "analyze",
            "-f",
            "json",
            "--role",
            "tests/fixtures/ils/m1-password-mismatch/hub.txt=spoke",
            "tests/fixtures/ils/m1-password-mismatch",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["inputs"][0]["role"], "spoke");
}

#[test]
fn fail_on_exits_three_when_such_a_finding_exists() {
    let run = |fail_on: &str, dir: &str| {
        loupe_in(
            &root(),
            &[
                "analyze",
                "--fail-on",
                fail_on,
                &format!("tests/fixtures/ils/{dir}"),
            ],
        )
        .status
        .code()
    };
    // An error finding.
    assert_eq!(run("error", "m1-password-mismatch"), Some(3));
    assert_eq!(run("warning", "m1-password-mismatch"), Some(3));
    // A warning and no error.
    assert_eq!(run("error", "h-port-blocked"), Some(0));
    assert_eq!(run("warning", "h-port-blocked"), Some(3));
    // Only a successful join.
    assert_eq!(run("warning", "m1-password-joined"), Some(0));
    // Without --fail-on, findings never change the status.
    let o = loupe_in(
        &root(),
        &["analyze", "tests/fixtures/ils/m1-password-mismatch"],
    );
    assert_eq!(o.status.code(), Some(0));
    // An unreadable input comes first.
    let o = loupe_in(
        &root(),
        &[
            "analyze",
            "--fail-on",
            "error",
            "missing.txt",
            "tests/fixtures/ils/m1-password-mismatch",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    // And --fail-on takes only error or warning.
    let o = loupe_in(&root(), &["analyze", "--fail-on", "info", "x"]);
    assert_eq!(o.status.code(), Some(2));
}

/// The same report, with the input's name replaced.
fn same_report(from_stdin: &Output, from_file: &Output, file_name: &str, stdin_name: &str) {
    assert_eq!(from_stdin.status.code(), Some(0), "{}", stderr(from_stdin));
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(from_file));
    let a = String::from_utf8_lossy(&from_stdin.stdout).into_owned();
    let b = String::from_utf8_lossy(&from_file.stdout).replace(file_name, stdin_name);
    assert!(a.contains(stdin_name));
    assert_eq!(a, b);
}

#[test]
fn large_standard_input_gives_the_same_report_as_the_file() {
    // ~5 MB: many 64 KiB reads, far more than a pipe holds.
    let one = std::fs::read(fixture(HUB)).unwrap();
    let big: Vec<u8> = one.repeat(5_000_000 / one.len());
    let dir = scratch("stdin");
    std::fs::write(dir.join("big.txt"), &big).unwrap();
    let from_file = loupe_in(&dir, &["analyze", "-f", "json", "big.txt"]);
    let from_stdin = loupe_stdin(&["analyze", "-f", "json", "-"], &big);
    same_report(&from_stdin, &from_file, "big.txt", "(stdin)");
    let v = json(&from_stdin);
    assert_eq!(v["inputs"][0]["bytes"].as_u64(), Some(big.len() as u64));

    // Gzip on standard input is streamed too.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&big).unwrap();
    let gz = gz.finish().unwrap();
    std::fs::write(dir.join("big.txt.gz"), &gz).unwrap();
    let from_file = loupe_in(&dir, &["analyze", "-f", "json", "big.txt.gz"]);
    let from_stdin = loupe_stdin(&["analyze", "-f", "json", "-"], &gz);
    same_report(&from_stdin, &from_file, "big.txt.gz", "(stdin)");

    // A zip on standard input is read whole and opened.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("node/hub.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(&one).unwrap();
    let zip = zip.finish().unwrap().into_inner();
    std::fs::write(dir.join("rtmt.zip"), &zip).unwrap();
    let from_file = loupe_in(&dir, &["analyze", "-f", "json", "rtmt.zip"]);
    let from_stdin = loupe_stdin(&["analyze", "-f", "json", "-"], &zip);
    same_report(&from_stdin, &from_file, "rtmt.zip", "(stdin)");
    assert_eq!(input_names(&json(&from_stdin)), ["(stdin)/node/hub.txt"]);
}

#[test]
fn no_progress_output_when_standard_error_is_not_a_terminal() {
    let o = Command::new(env!("CARGO_BIN_EXE_loupe"))
        .args(["analyze", "tests/fixtures/ils/m1-password-mismatch"])
        .current_dir(root())
        .env("LOUPE_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "", "nothing on a piped standard error");
}

/// On a terminal (a pseudo-terminal from util-linux's `script`), the bar shows each input's
/// number and name.
#[cfg(target_os = "linux")]
#[test]
fn progress_bar_on_a_terminal() {
    let bin = env!("CARGO_BIN_EXE_loupe");
    let cmd = format!("'{bin}' analyze hub.txt > /dev/null");
    let o = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(fixture("ils/m1-password-mismatch"))
        .env("LOUPE_PROGRESS_AFTER_MS", "0")
        .env("TERM", "xterm")
        .stdin(Stdio::null())
        .output()
        .expect("util-linux `script` (Debian's essential bsdutils)");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let shown = String::from_utf8_lossy(&o.stdout);
    let size = std::fs::metadata(fixture(HUB)).unwrap().len() as f64 / 1024.0;
    let bar = "[1/1] hub.txt";
    let done = format!("{size:.2} KiB/{size:.2} KiB [====");
    assert!(shown.contains(bar) && shown.contains(&done), "{shown:?}");
}

/// Inputs are read on several threads (`-j`, one per CPU by default), each with an engine of
/// its own: the report (findings, attempts, evidence, the order of inputs and of reading
/// problems) is the same whatever the number of threads, in every format.
#[test]
fn the_report_is_the_same_on_any_number_of_threads() {
    let dir = scratch("threads");
    // Rolled hub files and their spoke, three clusters, a SecureX set, and a file that
    // cannot be read among them (its note must come in the same place).
    for (from, to) in [
        ("ils/rolled", "rolled"),
        ("ils/three-clusters", "three"),
        ("ils/retries", "retries"),
    ] {
        for entry in std::fs::read_dir(fixture(from)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                let name = entry.file_name();
                let rel = format!("{from}/{}", name.to_string_lossy());
                copy(&rel, &dir.join(to).join(&name));
            }
        }
    }
    copy(
        "securex/curl_connect_timeout_28.txt",
        &dir.join("fw/curl.txt"),
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("missing.txt", dir.join("fw/dangling.txt")).unwrap();
    // An RTMT collection: a folder per node, gzipped traces stored, a plain one deflated, its
    // metadata (a note), and a zip inside. Its entries are shared out between the threads.
    let zip = rtmt_zip(&[
        ("m1-password-mismatch", "ils/m1-password-mismatch"),
        ("m3-hub-cert-self-signed", "ils/m3-hub-cert-self-signed"),
    ]);
    std::fs::write(dir.join("collect.zip"), &zip).unwrap();
    for format in ["json", "text", "markdown"] {
        let one = loupe_in(&dir, &["analyze", "-f", format, "-j", "1", "."]);
        assert!(!one.stdout.is_empty(), "{}", stderr(&one));
        if format == "json" {
            let v = json(&one);
            assert!(input_names(&v).len() >= 8, "{:?}", input_names(&v));
            assert!(!v["findings"].as_array().unwrap().is_empty());
        }
        for threads in ["2", "3", "16"] {
            let many = loupe_in(&dir, &["analyze", "-f", format, "-j", threads, "."]);
            assert_eq!(many.status.code(), one.status.code(), "-j {threads}");
            assert!(
                many.stdout == one.stdout,
                "{format} report differs between -j 1 and -j {threads}"
            );
            assert_eq!(stderr(&many), stderr(&one), "-j {threads}");
        }
        let default = loupe_in(&dir, &["analyze", "-f", format, "."]);
        assert!(default.stdout == one.stdout, "{format}: default threads");
        // The archive alone: one input given, its entries read on every thread.
        let one = loupe_in(&dir, &["analyze", "-f", format, "-j", "1", "collect.zip"]);
        if format == "json" {
            let names = input_names(&json(&one));
            assert_eq!(names.len(), 4, "{names:?}");
            assert!(names.iter().any(|n| n.contains("inner.zip/")), "{names:?}");
        }
        for threads in ["2", "4"] {
            let many = loupe_in(
                &dir,
                &["analyze", "-f", format, "-j", threads, "collect.zip"],
            );
            assert!(
                many.stdout == one.stdout,
                "{format}: the zip's report differs between -j 1 and -j {threads}"
            );
            assert_eq!(stderr(&many), stderr(&one), "-j {threads}");
        }
    }
}

/// An RTMT-like collection of the fixture folders `sets` (node folder, fixture folder): each
/// trace gzipped and stored in `NODE/cm/trace/ils/sdl/`, the first node's first trace also
/// plain and deflated, an RTMT `.index` file, and the last node's traces in a zip of their own.
fn rtmt_zip(sets: &[(&str, &str)]) -> Vec<u8> {
    use std::io::Write;
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut outer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut inner = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (k, (node, from)) in sets.iter().enumerate() {
        let mut files: Vec<_> = std::fs::read_dir(fixture(from))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        for (i, f) in files.iter().enumerate() {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read(f).unwrap();
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&text).unwrap();
            let gz = gz.finish().unwrap();
            let path = format!("{node}/cm/trace/ils/sdl/{name}.gz");
            let into = if k + 1 == sets.len() {
                &mut inner
            } else {
                &mut outer
            };
            if k == 0 && i == 0 {
                into.start_file(format!("{node}/plain/{name}"), deflated)
                    .unwrap();
                into.write_all(&text).unwrap();
            } else {
                into.start_file(path, stored).unwrap();
                into.write_all(&gz).unwrap();
            }
        }
    }
    outer.start_file("SDL001_600.index", stored).unwrap();
    outer.write_all(b"index").unwrap();
    let inner = inner.finish().unwrap().into_inner();
    outer.start_file("inner.zip", stored).unwrap();
    outer.write_all(&inner).unwrap();
    outer.finish().unwrap().into_inner()
}

#[test]
fn zero_threads_is_a_usage_error() {
    let o = loupe_in(
        &root(),
        &[
            "analyze",
            "-j",
            "0",
            "tests/fixtures/ils/m1-password-mismatch",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
