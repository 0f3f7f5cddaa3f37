//! Every SecureX fixture: the exact rule ids, severities and evidence line numbers, through the
//! public API. Reviewed by hand against the seed and securex.md; see
//! tests/fixtures/securex/README.md for which fixtures are verbatim from the seed.

#[path = "securex_support.rs"]
mod support;

use support::*;

type Expected = &'static [(&'static str, &'static str, &'static [u32])];

const EXPECTED: &[(&str, Expected)] = &[
    (
        "action_queue_exit28.log",
        &[("sse.tcp.timeout", "error", &[2])],
    ),
    ("action_queue_exit52.log", &[("curl.exit", "error", &[1])]),
    (
        "action_queue_exit6.log",
        &[("sse.dns.resolve-failed", "error", &[1])],
    ),
    (
        "connector_log_dial_timeout.log",
        &[
            ("sse.events.not-connected", "error", &[1, 2]),
            ("sse.tcp.timeout", "error", &[1, 2]),
        ],
    ),
    (
        "connector_log_dns_timeout.log",
        &[
            ("sse.dns.server-unreachable", "error", &[1]),
            ("sse.events.not-connected", "error", &[1]),
        ],
    ),
    (
        "connector_log_no_such_host.log",
        &[
            ("sse.dns.nxdomain", "error", &[2]),
            ("sse.events.not-connected", "error", &[2]),
        ],
    ),
    (
        "connector_log_x509_unknown.log",
        &[
            ("sse.events.not-connected", "error", &[1]),
            ("sse.tls.untrusted", "error", &[1]),
        ],
    ),
    (
        "curl_cert_expired_clock.txt",
        &[
            ("sse.tls.clock", "error", &[1, 3, 4, 8, 10]),
            ("sse.region", "info", &[1]),
        ],
    ),
    (
        "curl_connect_timeout_28.txt",
        &[
            ("sse.tcp.timeout", "error", &[1, 3, 4, 6]),
            ("sse.region", "info", &[1]),
        ],
    ),
    (
        "curl_new_wording_resolve.txt",
        &[
            ("sse.dns.resolve-failed", "error", &[1, 2, 4]),
            ("sse.region", "info", &[1]),
        ],
    ),
    (
        "curl_new_wording_success.txt",
        &[
            ("sse.region", "info", &[1]),
            ("sse.reachable", "ok", &[1, 3, 23, 24, 30]),
        ],
    ),
    (
        "curl_old_wording_refused.txt",
        &[
            ("sse.tcp.refused", "error", &[1, 3, 4, 5, 7]),
            ("sse.region", "info", &[1]),
        ],
    ),
    (
        "curl_proxy_403.txt",
        &[("sse.proxy.blocked", "error", &[1, 2, 3, 6, 11, 14, 16])],
    ),
    (
        "curl_proxy_407.txt",
        &[(
            "sse.proxy.auth-required",
            "error",
            &[1, 2, 4, 5, 11, 15, 18],
        )],
    ),
    (
        "curl_tls_intercepted_60.txt",
        &[
            ("sse.tls.untrusted", "error", &[1, 3, 5, 15, 17, 32]),
            ("sse.region", "info", &[1, 23]),
        ],
    ),
    (
        "mixed_console_paste.txt",
        &[
            ("sse.connector.not-attached", "error", &[30]),
            ("sse.events.not-connected", "error", &[33, 35, 36]),
            ("sse.tcp.timeout", "error", &[24, 25, 26, 28, 33, 35, 36]),
            ("sse.connector.running", "info", &[12]),
            ("sse.region", "info", &[16]),
        ],
    ),
    (
        "nslookup_comm_error.txt",
        &[("sse.dns.server-unreachable", "error", &[2, 3, 4])],
    ),
    (
        "nslookup_nxdomain.txt",
        &[("sse.dns.nxdomain", "error", &[2, 5])],
    ),
    ("nslookup_success.txt", &[]),
    ("nslookup_other_name_success.txt", &[]),
    (
        "console_dns_other_name_resolves.txt",
        &[
            ("sse.dns.resolve-failed", "error", &[1, 3, 4, 6, 8]),
            ("sse.region", "info", &[1]),
        ],
    ),
    (
        "pmtool_sse_disabled.txt",
        &[("sse.connector.not-running", "error", &[1])],
    ),
    (
        "pmtool_status.txt",
        &[("sse.connector.running", "info", &[2])],
    ),
    (
        "seed_action_queue_canconnect.log",
        &[("sse.enrollment.cannot-connect", "warning", &[1])],
    ),
    (
        "seed_connector_log_cut.log",
        &[("sse.events.not-connected", "error", &[1, 2, 3, 4, 5])],
    ),
    (
        "seed_connector_properties.txt",
        &[("sse.region", "info", &[4])],
    ),
    (
        "seed_console_dns_session.txt",
        &[
            (
                "sse.dns.server-unreachable",
                "warning",
                &[1, 3, 4, 6, 9, 14, 46, 51],
            ),
            ("sse.region", "info", &[1, 48]),
            ("sse.tls.verify-skipped", "info", &[48, 50, 51, 76, 77]),
            ("sse.reachable", "ok", &[48, 51, 76, 77, 83]),
        ],
    ),
    (
        "seed_curl_bypass_403.txt",
        &[
            ("sse.region", "info", &[1]),
            ("sse.tls.verify-skipped", "info", &[1, 3, 4, 29, 30]),
            ("sse.reachable", "ok", &[1, 4, 29, 30, 36]),
        ],
    ),
    (
        "seed_curl_dns_failure.txt",
        &[
            ("sse.dns.resolve-failed", "error", &[1, 3, 4, 6]),
            ("sse.region", "info", &[1]),
        ],
    ),
    (
        "seed_curl_success_403.txt",
        &[
            ("sse.region", "info", &[1]),
            ("sse.tls.verify-skipped", "info", &[1, 3, 4, 29, 30]),
            ("sse.reachable", "ok", &[1, 4, 29, 30, 36]),
        ],
    ),
    (
        "seed_lsof_established.txt",
        &[("sse.events.connected", "ok", &[3])],
    ),
    (
        "seed_lsof_syn_sent.txt",
        &[("sse.events.not-connected", "error", &[3])],
    ),
    (
        "seed_netstat_connected.txt",
        &[("sse.connector.attached", "ok", &[2, 3])],
    ),
    (
        "seed_netstat_listening.txt",
        &[("sse.connector.not-attached", "error", &[2])],
    ),
    (
        "seed_nslookup_timeout.txt",
        &[("sse.dns.server-unreachable", "error", &[2])],
    ),
    (
        "seed_registration_tests.txt",
        &[("sse.region", "info", &[1, 2, 3, 4])],
    ),
    (
        "scan_curl_one_line_407.txt",
        &[
            ("sse.proxy.auth-required", "error", &[3, 4]),
            ("sse.region", "info", &[3]),
        ],
    ),
    (
        "scan_json_tls_errors.log",
        &[("sse.tls.untrusted", "error", &[2, 3])],
    ),
    (
        "scan_logfmt_go_errors.log",
        &[
            ("sse.dns.nxdomain", "error", &[2]),
            ("sse.tcp.timeout", "error", &[4]),
        ],
    ),
    (
        "scan_netstat_syn_sent.txt",
        &[("sse.tcp.timeout", "error", &[4, 6])],
    ),
    ("seed_show_network.txt", &[]),
    (
        "show_network_no_dns.txt",
        &[("sse.dns.not-configured", "error", &[2])],
    ),
    ("show_network_two_dns.txt", &[]),
];

#[test]
fn every_fixture_gives_its_findings() {
    let mut failures = Vec::new();
    for (name, expected) in EXPECTED {
        let a = run(&[name]);
        let got: Vec<(String, String, Vec<u32>)> = a
            .findings
            .iter()
            .map(|f| {
                (
                    f.rule.clone(),
                    f.severity.as_str().to_string(),
                    f.evidence.iter().map(|e| e.line).collect(),
                )
            })
            .collect();
        let want: Vec<(String, String, Vec<u32>)> = expected
            .iter()
            .map(|(r, s, l)| (r.to_string(), s.to_string(), l.to_vec()))
            .collect();
        if got != want {
            failures.push(format!("{name}:\n  got  {got:?}\n  want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "README.md")
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = EXPECTED.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

/// SecureX's end of life is said once where the checklist is shown, with both dates, in both
/// languages and both human-readable reports; not in a report without SecureX artefacts.
#[test]
fn checklist_says_once_that_securex_reached_end_of_life() {
    use loupe_core::{report, Lang};
    let a = run(&["seed_curl_dns_failure.txt", "seed_show_network.txt"]);
    assert!(!a.checklist.is_empty());
    for lang in [Lang::En, Lang::Ja] {
        for out in [
            report::text::render(&a, lang),
            report::markdown::render(&a, lang),
        ] {
            assert_eq!(out.matches("2024-07-31").count(), 1, "{out}");
            assert_eq!(out.matches("2023-08-11").count(), 1, "{out}");
            assert!(out.contains("Cisco XDR"), "{out}");
        }
    }
    let ils = loupe_core::analyze(vec![loupe_core::RawInput::new(
        "hub.txt",
        std::fs::read(fixture_dir().join("../ils/m1-password-mismatch/hub.txt")).unwrap(),
    )]);
    assert!(!report::text::render(&ils, Lang::En).contains("2024-07-31"));
}

/// Error lines outside the artefacts' grammars are read (issue 12, item 1): each finding names
/// the host its lines name and says whether it is a Cisco cloud endpoint; an unknown input with
/// error lines is read, not only counted, and says so.
#[test]
fn error_lines_name_their_host_and_whether_it_is_cisco_cloud() {
    let what = |a: &loupe_core::Analysis, rule: &str| {
        a.findings
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("no {rule}: {:?}", rules(a)))
            .explanation
            .what
            .en
            .clone()
    };
    let a = run(&["scan_curl_one_line_407.txt"]);
    assert!(
        what(&a, "sse.proxy.auth-required")
            .contains("api-sse.cisco.com (a Cisco cloud endpoint, region US)"),
        "{}",
        what(&a, "sse.proxy.auth-required")
    );
    assert!(!a.findings.iter().any(|f| f.rule == "curl.exit"));
    let a = run(&["scan_logfmt_go_errors.log"]);
    assert_eq!(a.inputs[0].kind.as_str(), "unknown");
    assert_eq!(a.inputs[0].counts.recognised, 2);
    assert_eq!(a.inputs[0].not_understood_lines, vec![1, 3]);
    assert!(what(&a, "sse.dns.nxdomain").contains("api-sse.cisco.com (a Cisco cloud endpoint"));
    assert!(what(&a, "sse.tcp.timeout").contains("52.1.2.3 (not a Cisco cloud endpoint name)"));
    assert!(a.diagnostics.iter().any(|d| d
        .message
        .en
        .contains("only its error lines were read (2 lines)")));
    assert!(a.checklist.is_empty(), "no SecureX artefact, no checklist");
    let a = run(&["scan_json_tls_errors.log"]);
    assert!(what(&a, "sse.tls.untrusted")
        .contains("api.eu.sse.itd.cisco.com (a Cisco cloud endpoint, region EU)"));
}
