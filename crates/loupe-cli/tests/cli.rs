//! The `loupe` command as a user runs it: exit codes, messages naming the path, the JSON shape,
//! standard input, folders, languages, and snapshots of the reports.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn loupe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_loupe"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run loupe")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

#[test]
fn help_is_complete_and_exits_zero() {
    let o = loupe(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    let h = stdout(&o);
    for word in [
        "analyze",
        "--format",
        "--lang",
        "--role",
        "--output",
        "EXIT STATUS",
        ".zip",
        "standard input",
    ] {
        assert!(h.contains(word), "help mentions {word}");
    }
    assert_eq!(loupe(&["analyze", "--help"]).status.code(), Some(0));
}

#[test]
fn bad_usage_exits_two() {
    for args in [
        &[][..],
        &["analyze"][..],
        &["analyze", "--format", "xml", "x"][..],
        &["frobnicate"][..],
        &["analyze", "--bogus", "x"][..],
    ] {
        let o = loupe(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&o).starts_with("loupe: "),
            "{args:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn unreadable_input_exits_one_and_names_the_path() {
    let o = loupe(&["analyze", "tests/fixtures/ils/does-not-exist.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("tests/fixtures/ils/does-not-exist.txt"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn json_has_the_documented_shape() {
    let o = loupe(&[
        "analyze",
        "--format",
        "json",
        "tests/fixtures/ils/m1-password-mismatch",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let input = &v["inputs"][0];
    for k in ["name", "kind", "role", "lines"] {
        assert!(!input[k].is_null(), "inputs[].{k}");
    }
    assert_eq!(v["inputs"][0]["role"], "hub");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "ils.password-mismatch");
    assert_eq!(f["severity"], "error");
    assert!(f["title"].as_str().unwrap().contains("password"));
    assert!(f["explanation"]["fix"].as_array().unwrap().len() >= 2);
    assert_eq!(
        f["evidence"][0]["input"],
        "tests/fixtures/ils/m1-password-mismatch/hub.txt"
    );
    assert_eq!(f["evidence"][0]["line"], 5);
    assert!(f["evidence"][0]["text"]
        .as_str()
        .unwrap()
        .contains("decryptData failed"));
    assert!(v["connections"].is_array());
    assert!(v.get("clock_offset_ms").is_some());
}

#[test]
fn japanese_explanations() {
    let o = loupe(&[
        "analyze",
        "--lang",
        "ja",
        "tests/fixtures/ils/m1-password-mismatch/hub.txt",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(s.contains("ILS パスワードの不一致"), "{s}");
    assert!(s.contains("対処"));
}

#[test]
fn standard_input_and_role_override() {
    let text =
        std::fs::read(root().join("tests/fixtures/ils/m4-peer-info-vector-joined/spoke.txt"))
            .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_loupe"))
        .args(["analyze", "-f", "json", "--role", "(stdin)=spoke", "-"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["inputs"][0]["name"], "(stdin)");
    assert_eq!(v["inputs"][0]["role"], "spoke");
}

#[test]
fn report_snapshots() {
    let text = stdout(&loupe(&[
        "analyze",
        "tests/fixtures/ils/m2-hub-cert-not-trusted",
    ]));
    insta::assert_snapshot!("text_m2_hub_cert_not_trusted_en", text);
    let ja = stdout(&loupe(&[
        "analyze",
        "--lang",
        "ja",
        "tests/fixtures/ils/m3-spoke-cert-self-signed",
    ]));
    insta::assert_snapshot!("text_m3_spoke_cert_self_signed_ja", ja);
    let json = stdout(&loupe(&[
        "analyze",
        "--format",
        "json",
        "tests/fixtures/ils/m1-password-joined",
    ]));
    insta::assert_snapshot!("json_m1_password_joined", json);
    let md = stdout(&loupe(&[
        "analyze",
        "--format",
        "markdown",
        "tests/fixtures/ils/m2-spoke-cert-not-trusted",
    ]));
    insta::assert_snapshot!("markdown_m2_spoke_cert_not_trusted", md);
}

/// Every fixture through the real binary (its feature set differs from the test builds'):
/// the analysis runs, every line is accounted for, SecureX inputs come from a device.
#[test]
fn every_fixture_through_the_binary() {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_none_or(|x| x != "md") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(&root().join("tests/fixtures"), &mut files);
    assert!(files.len() > 50, "{} fixtures", files.len());
    for f in files {
        let rel = f
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .to_string();
        let o = loupe(&["analyze", "-f", "json", &rel]);
        assert_eq!(o.status.code(), Some(0), "{rel}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        for i in v["inputs"].as_array().unwrap() {
            let c = &i["counts"];
            let sum: u64 = ["recognised", "continuation", "blank", "not_understood"]
                .iter()
                .map(|k| c[k].as_u64().unwrap())
                .sum();
            assert_eq!(c["lines"].as_u64().unwrap(), sum, "{rel}: counts add up");
            // An unrecognised text whose error lines were read is not known to come from the
            // device: its role stays unknown.
            if rel.contains("/securex/") && i["kind"] != "unknown" {
                assert_eq!(i["role"], "device", "{rel}");
            }
        }
    }
}

/// Four password failures of one spoke, then its join (generated ILS-dense traces).
const RETRIES: [&str; 2] = [
    "tests/fixtures/ils/retries/hub.txt",
    "tests/fixtures/ils/retries/spoke.txt",
];

#[test]
fn repeated_failures_are_one_finding_with_their_attempts_a_flag_away() {
    let o = loupe(&["analyze", RETRIES[0], RETRIES[1]]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert_eq!(
        text.matches("ERROR ils.password-mismatch").count(),
        1,
        "{text}"
    );
    assert!(text.contains("Attempts: 4 (first 2024/03/11 08:00:30, last 2024/03/11 08:02:00)"));
    assert!(text.contains("It joined at 2024/03/11 08:02:32 after 4 failed attempts."));
    // Without --attempts: the attempts, not their evidence; with it, each attempt's lines.
    assert!(!text.contains("Port=53974"), "{text}");
    let all = stdout(&loupe(&["analyze", "--attempts", RETRIES[0], RETRIES[1]]));
    for port in [46055, 53974, 33893, 41812] {
        assert!(all.contains(&format!("Port={port}")), "{port}: {all}");
    }
    // Markdown: the same, the attempts' evidence fenced with --attempts.
    let md = stdout(&loupe(&[
        "analyze", "-f", "markdown", RETRIES[0], RETRIES[1],
    ]));
    assert!(md.contains("Attempts: 4 (first 2024/03/11 08:00:30, last 2024/03/11 08:02:00)"));
    assert!(!md.contains("Port=53974"));
    let md = stdout(&loupe(&[
        "analyze",
        "-f",
        "markdown",
        "--attempts",
        RETRIES[0],
        RETRIES[1],
    ]));
    assert!(md.contains("Port=53974"), "{md}");
    // JSON: an attempts array, each with its evidence.
    let j: serde_json::Value = serde_json::from_str(&stdout(&loupe(&[
        "analyze", "-f", "json", RETRIES[0], RETRIES[1],
    ])))
    .unwrap();
    let f = &j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ils.password-mismatch")
        .unwrap()["attempts"];
    assert_eq!(f.as_array().unwrap().len(), 4);
    assert!(f[3]["evidence"][0]["text"]
        .as_str()
        .unwrap()
        .contains("Port=41812"));
}

#[test]
fn json_lists_the_timeline_only_on_request() {
    let plain: serde_json::Value = serde_json::from_str(&stdout(&loupe(&[
        "analyze", "-f", "json", RETRIES[0], RETRIES[1],
    ])))
    .unwrap();
    assert!(plain.get("events").is_none());
    assert!(plain["connections"][0].get("events").is_none());
    let full: serde_json::Value = serde_json::from_str(&stdout(&loupe(&[
        "analyze", "-f", "json", "--events", RETRIES[0], RETRIES[1],
    ])))
    .unwrap();
    let events = full["events"].as_array().unwrap();
    assert!(!events.is_empty());
    // The timeline holds the events of connection attempts only.
    assert!(
        events.iter().all(|e| e["connection"].is_u64()),
        "{events:?}"
    );
    let n_conn: usize = full["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["events"].as_array().unwrap().len())
        .sum();
    assert_eq!(n_conn, events.len());
}
