//! Properties every SecureX analysis must have: line accounting adds up, both languages are
//! present, success artefacts give no error, the checklist only appears with SecureX input,
//! and no input makes the engine panic.

#[path = "securex_support.rs"]
mod support;

use loupe_core::{analyze, CheckState, RawInput, Severity};
use proptest::prelude::*;
use support::*;

fn all_fixtures() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "README.md")
        .collect();
    v.sort();
    v
}

fn has_japanese(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn counts_add_up_for_every_fixture() {
    for name in all_fixtures() {
        let a = run(&[&name]);
        for i in &a.inputs {
            assert!(i.counts.adds_up(), "{name}: {:?}", i.counts);
            assert_eq!(
                i.counts.not_understood as usize,
                i.not_understood_lines.len(),
                "{name}"
            );
            assert_eq!(
                i.counts.lines,
                String::from_utf8_lossy(&read(&name)).lines().count() as u64,
                "{name}"
            );
        }
    }
}

#[test]
fn every_finding_speaks_both_languages() {
    for name in all_fixtures() {
        let a = run(&[&name]);
        for f in &a.findings {
            let e = &f.explanation;
            for (what, text) in [("title", &f.title), ("what", &e.what), ("why", &e.why)] {
                assert!(!text.en.trim().is_empty(), "{name} {} {what} en", f.rule);
                assert!(
                    has_japanese(&text.ja),
                    "{name} {} {what} ja: {}",
                    f.rule,
                    text.ja
                );
            }
            for step in e.fix.iter().chain(&e.verify).chain(&e.collect) {
                assert!(
                    !step.en.trim().is_empty() && has_japanese(&step.ja),
                    "{name} {}",
                    f.rule
                );
            }
            for c in &f.codes {
                assert!(
                    !c.meaning.en.is_empty() && has_japanese(&c.meaning.ja),
                    "{name} {}",
                    f.rule
                );
            }
            assert!(!f.evidence.is_empty(), "{name} {} has no evidence", f.rule);
            if f.severity == Severity::Error {
                assert!(!e.fix.is_empty(), "{name} {} has no fix", f.rule);
            }
        }
    }
}

#[test]
fn success_artefacts_give_no_error() {
    for name in [
        "seed_curl_success_403.txt",
        "seed_curl_bypass_403.txt",
        "curl_new_wording_success.txt",
        "seed_netstat_connected.txt",
        "seed_lsof_established.txt",
        "nslookup_success.txt",
        "seed_show_network.txt",
        "show_network_two_dns.txt",
        "pmtool_status.txt",
        "seed_connector_properties.txt",
    ] {
        let a = run(&[name]);
        assert!(!a.has_errors(), "{name}: {:?}", rules(&a));
    }
}

#[test]
fn checklist_states_and_commands() {
    let a = run(&[
        "seed_curl_success_403.txt",
        "seed_netstat_listening.txt",
        "seed_lsof_established.txt",
    ]);
    let got = checklist(&a);
    let want: Vec<(String, String)> = [
        ("dns.configured", "missing"),
        ("dns.resolve", "passed"),
        ("curl.api-sse", "passed"),
        ("curl.est", "missing"),
        ("curl.eventing-ingest", "missing"),
        ("curl.mx01", "missing"),
        ("connector.socket", "failed"),
        ("events.session", "passed"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want);
    let missing = a.checklist.iter().find(|c| c.id == "curl.est").unwrap();
    assert_eq!(
        missing.command,
        "curl -v https://est.sco.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem"
    );
    assert!(missing.evidence.is_empty());
    let failed = a
        .checklist
        .iter()
        .find(|c| c.id == "connector.socket")
        .unwrap();
    assert_eq!(&*failed.evidence[0].input, "seed_netstat_listening.txt");
}

#[test]
fn registration_commands_without_output_are_inconclusive() {
    let a = run(&["seed_registration_tests.txt"]);
    let states: Vec<CheckState> = a
        .checklist
        .iter()
        .filter(|c| c.id.starts_with("curl."))
        .map(|c| c.state)
        .collect();
    assert_eq!(states, vec![CheckState::Inconclusive; 4]);
}

#[test]
fn no_checklist_without_securex_input() {
    let a = analyze(vec![RawInput::new("notes.txt", b"hello\nworld\n".to_vec())]);
    assert!(a.checklist.is_empty());
    assert!(a.findings.is_empty());
}

#[test]
fn cut_short_connector_log_lines_are_kept_and_explained() {
    let a = run(&["seed_connector_log_cut.log"]);
    let f = &a.findings[0];
    assert_eq!(f.rule, "sse.events.not-connected");
    assert!(f
        .explanation
        .what
        .en
        .contains("x.x.x.246:443, x.x.x.234:443"));
    assert!(f.explanation.what.en.contains("cut short"));
    assert!(f
        .explanation
        .collect
        .iter()
        .any(|c| c.en.contains("connectWebSocket")));
}

#[test]
fn old_and_new_curl_wording_resolve_the_same() {
    for name in ["seed_curl_dns_failure.txt", "curl_new_wording_resolve.txt"] {
        let a = run(&[name]);
        assert_eq!(a.findings[0].rule, "sse.dns.resolve-failed", "{name}");
        assert!(
            a.findings[0]
                .explanation
                .what
                .en
                .contains("api-sse.cisco.com"),
            "{name}"
        );
    }
}

#[test]
fn interception_is_named_when_the_issuer_is_not_public() {
    let a = run(&["curl_tls_intercepted_60.txt"]);
    let f = a
        .findings
        .iter()
        .find(|f| f.rule == "sse.tls.untrusted")
        .unwrap();
    assert!(f.explanation.what.en.contains("TLS-inspecting"));
    assert!(f
        .explanation
        .what
        .en
        .contains("Example Corp SSL Inspection CA"));
    // The seed's -k test with the public HydrantID issuer is informational only.
    let a = run(&["seed_curl_success_403.txt"]);
    assert!(a.findings.iter().all(|f| f.rule != "sse.tls.untrusted"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn never_panics_and_counts_add_up(lines in prop::collection::vec(prop_oneof![
        Just("root@ftd01:~# curl -v -k https://api-sse.cisco.com".to_string()),
        Just("> show network".to_string()),
        Just("* Trying 1.2.3.4...".to_string()),
        Just("curl: (6) Couldn't resolve host 'x'".to_string()),
        Just("time=\"x\" level=error msg=\"[a][b.go:1 c:d] dial tcp".to_string()),
        Just("< HTTP/1.1 407 Proxy Authentication Required".to_string()),
        Just("unix 2 [ ACC ] STREAM LISTENING 1 2/EventHandler /x/EventHandler_SSEConnector.sock".to_string()),
        Just("DNS Servers : ".to_string()),
        Just("".to_string()),
        "[ -~]{0,60}",
    ], 0..40)) {
        let text = lines.join("\n");
        let a = analyze(vec![RawInput::new("random.txt", text.into_bytes())]);
        for i in &a.inputs {
            prop_assert!(i.counts.adds_up());
        }
    }
}
