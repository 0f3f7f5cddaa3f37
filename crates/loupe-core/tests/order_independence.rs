//! Issue 12 item 4: the same inputs in any order give byte-identical reports (text, JSON,
//! Markdown, both languages), on every multi-file fixture set; and "later" is the logs' time,
//! not the order of the arguments.

#[path = "securex_support.rs"]
mod support;

use loupe_core::{analyze, report, Analysis, Lang, RawInput};
use std::path::{Path, PathBuf};
use support::*;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn reports(a: &Analysis) -> Vec<String> {
    let mut out = Vec::new();
    for lang in [Lang::En, Lang::Ja] {
        out.push(report::text::render(a, lang));
        out.push(report::json::render(a, lang));
        out.push(report::markdown::render(a, lang));
    }
    out
}

/// Every permutation of up to 4 inputs; for more, the reversal and every rotation.
fn permutations(n: usize) -> Vec<Vec<usize>> {
    fn all(rest: Vec<usize>, acc: Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if rest.is_empty() {
            out.push(acc);
            return;
        }
        for i in 0..rest.len() {
            let mut r = rest.clone();
            let x = r.remove(i);
            let mut a = acc.clone();
            a.push(x);
            all(r, a, out);
        }
    }
    let mut out = Vec::new();
    if n <= 4 {
        all((0..n).collect(), Vec::new(), &mut out);
    } else {
        out.push((0..n).rev().collect());
        for k in 0..n {
            out.push((0..n).map(|i| (i + k) % n).collect());
        }
    }
    out
}

fn check_set(label: &str, files: &[(String, Vec<u8>)]) {
    let base = reports(&analyze(
        files
            .iter()
            .map(|(n, b)| RawInput::new(n.clone(), b.clone()))
            .collect(),
    ));
    for p in permutations(files.len()) {
        let got = reports(&analyze(
            p.iter()
                .map(|&i| RawInput::new(files[i].0.clone(), files[i].1.clone()))
                .collect(),
        ));
        for (g, b) in got.iter().zip(&base) {
            assert!(
                g == b,
                "{label}: order {p:?} changes a report:\n{g}\n---- vs ----\n{b}"
            );
        }
    }
}

/// Files by name, with their bytes.
type Files = Vec<(String, Vec<u8>)>;

fn files_in(dir: &Path) -> Files {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().unwrap() != "README.md")
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_ils_fixture_folder_gives_the_same_reports_in_any_order() {
    let mut sets = 0;
    for e in std::fs::read_dir(fixtures().join("ils")).unwrap() {
        let dir = e.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let files = files_in(&dir);
        if files.len() >= 2 {
            check_set(&dir.display().to_string(), &files);
            sets += 1;
        }
    }
    assert!(sets >= 10, "only {sets} ILS folders");
}

/// The SecureX fixture sets the tests combine, the item-4 scenarios, and all of them at once.
#[test]
fn securex_fixture_sets_give_the_same_reports_in_any_order() {
    let sets: &[&[&str]] = &[
        &["seed_curl_dns_failure.txt", "seed_show_network.txt"],
        &[
            "seed_curl_dns_failure.txt",
            "nslookup_other_name_success.txt",
        ],
        &[
            "seed_curl_dns_failure.txt",
            "nslookup_success.txt",
            "seed_nslookup_timeout.txt",
        ],
        &[
            "seed_lsof_syn_sent.txt",
            "seed_lsof_established.txt",
            "seed_connector_log_cut.log",
        ],
        &["seed_netstat_listening.txt", "seed_netstat_connected.txt"],
        &[
            "seed_console_dns_session.txt",
            "curl_proxy_407.txt",
            "scan_logfmt_go_errors.log",
        ],
        &[
            "curl_tls_intercepted_60.txt",
            "curl_new_wording_success.txt",
            "action_queue_exit28.log",
            "pmtool_status.txt",
        ],
    ];
    for set in sets {
        let files: Vec<(String, Vec<u8>)> = set.iter().map(|n| (n.to_string(), read(n))).collect();
        check_set(&set.join("+"), &files);
    }
    check_set("all SecureX fixtures", &files_in(&fixture_dir()));
}

/// The JSON report is written straight from the analysis (not built as a `serde_json::Value`
/// first): its keys must still be in alphabetical order at every level, as a `Value` puts them,
/// so that reports compare as text and the same key sits at the same place in every report.
/// Parsing a report and printing it again gives it back byte for byte, with the events and
/// every attempt, in both languages, on every ILS fixture folder and all SecureX fixtures.
#[test]
fn the_json_report_is_its_own_value_printed_again() {
    let mut sets: Vec<(String, Files)> = Vec::new();
    for e in std::fs::read_dir(fixtures().join("ils")).unwrap() {
        let dir = e.unwrap().path();
        if dir.is_dir() {
            sets.push((dir.display().to_string(), files_in(&dir)));
        }
    }
    sets.push(("all SecureX fixtures".into(), files_in(&fixture_dir())));
    let mut with_attempts = 0;
    for (label, files) in &sets {
        let a = analyze(
            files
                .iter()
                .map(|(n, b)| RawInput::new(n.clone(), b.clone()))
                .collect(),
        );
        with_attempts += a.findings.iter().filter(|f| !f.attempts.is_empty()).count();
        for lang in [Lang::En, Lang::Ja] {
            for events in [false, true] {
                let detail = report::Detail {
                    attempts: true,
                    events,
                };
                let text = report::json::render_with(&a, lang, detail);
                let value: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{label}: not JSON: {e}"));
                assert_eq!(
                    serde_json::to_string_pretty(&value).unwrap(),
                    text,
                    "{label} ({lang:?}, events {events}): keys out of order"
                );
                assert_eq!(report::json::value_with(&a, lang, detail), value, "{label}");
                assert_eq!(value.get("events").is_some(), events, "{label}");
            }
        }
    }
    assert!(sets.len() >= 11, "only {} fixture sets", sets.len());
    assert!(with_attempts > 0, "no fixture has a finding with attempts");
}

fn severity(a: &Analysis, rule: &str) -> String {
    a.findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule}: {:?}", rules(a)))
        .severity
        .as_str()
        .to_string()
}

/// A curl that cannot resolve api-sse.cisco.com is not fixed by another name resolving, in
/// either order and in one paste; the same name resolving later in the same paste fixes it.
#[test]
fn a_dns_failure_is_fixed_only_by_that_name_resolving_later() {
    for order in [
        [
            "seed_curl_dns_failure.txt",
            "nslookup_other_name_success.txt",
        ],
        [
            "nslookup_other_name_success.txt",
            "seed_curl_dns_failure.txt",
        ],
    ] {
        let a = run(&order);
        assert_eq!(severity(&a, "sse.dns.resolve-failed"), "error", "{order:?}");
    }
    let a = run(&["console_dns_other_name_resolves.txt"]);
    assert_eq!(severity(&a, "sse.dns.resolve-failed"), "error");
    assert!(!lines_of(&a, "sse.dns.resolve-failed").contains(&13));
    // The seed's session: the failing name resolves after `configure network dns`.
    let a = run(&["seed_console_dns_session.txt"]);
    assert_eq!(severity(&a, "sse.dns.server-unreachable"), "warning");
}

/// The same name resolving in another input: the order is unknown (no time on either line), so
/// it is said and not counted as a fix, whatever the order of the arguments.
#[test]
fn a_name_resolving_in_another_input_is_told_not_counted() {
    for order in [
        ["seed_curl_dns_failure.txt", "nslookup_success.txt"],
        ["nslookup_success.txt", "seed_curl_dns_failure.txt"],
    ] {
        let a = run(&order);
        assert_eq!(severity(&a, "sse.dns.resolve-failed"), "error", "{order:?}");
        let f = a
            .findings
            .iter()
            .find(|f| f.rule == "sse.dns.resolve-failed")
            .unwrap();
        assert!(
            f.explanation
                .what
                .en
                .contains("nslookup_success.txt shows api-sse.cisco.com resolving"),
            "{}",
            f.explanation.what.en
        );
        assert!(f
            .evidence
            .iter()
            .any(|e| &*e.input == "nslookup_success.txt"));
    }
}

/// lsof SYN_SENT in one file and ESTABLISHED in another: an error in both orders.
#[test]
fn an_established_session_in_another_input_does_not_downgrade() {
    for order in [
        ["seed_lsof_syn_sent.txt", "seed_lsof_established.txt"],
        ["seed_lsof_established.txt", "seed_lsof_syn_sent.txt"],
    ] {
        let a = run(&order);
        assert_eq!(
            severity(&a, "sse.events.not-connected"),
            "error",
            "{order:?}"
        );
    }
}
