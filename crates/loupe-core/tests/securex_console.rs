//! The console splitter and the joining of evidence across artefacts.

#[path = "securex_support.rs"]
mod support;

use loupe_core::parse::{parse_whole, Parsed};
use loupe_core::{ChainStep, Kind, Line, Severity};
use support::*;

/// (prompt line, kind, host, command) of a console block.
type BlockShape = (Option<u32>, Kind, Option<String>, Option<String>);

fn lines_of_text(text: &str) -> Vec<Line> {
    text.lines()
        .enumerate()
        .map(|(i, t)| Line {
            number: i as u32 + 1,
            text: t.to_string(),
        })
        .collect()
}

#[test]
fn mixed_paste_is_split_at_every_prompt_with_original_line_numbers() {
    let text = String::from_utf8(read("mixed_console_paste.txt")).unwrap();
    let parsed = parse_whole(Kind::ConsoleSession, &lines_of_text(&text));
    let Parsed::Console(blocks) = parsed.parsed else {
        panic!("not a console session")
    };
    let got: Vec<BlockShape> = blocks
        .iter()
        .map(|b| (b.prompt_line, b.kind, b.host.clone(), b.command.clone()))
        .collect();
    let s = |v: &str| Some(v.to_string());
    let ftd = s("ftd01");
    assert_eq!(
        got,
        vec![
            (Some(1), Kind::ShowNetwork, None, s("show network")),
            (Some(9), Kind::Unknown, None, s("expert")),
            (Some(10), Kind::Unknown, ftd.clone(), s("sudo su -")),
            (Some(11), Kind::PmtoolStatus, ftd.clone(), s("pmtool status | grep -i sse")),
            (Some(13), Kind::ConnectorProperties, ftd.clone(), s("more /ngfw/etc/sf/connector.properties")),
            (Some(17), Kind::Nslookup, ftd.clone(), s("nslookup eventing-ingest.sse.itd.cisco.com")),
            (
                Some(24),
                Kind::CurlVerbose,
                ftd.clone(),
                s("curl -v --connect-timeout 10 https://eventing-ingest.sse.itd.cisco.com --cacert /ngfw/etc/ssl/connectorCA.pem")
            ),
            (Some(29), Kind::NetstatSocket, ftd.clone(), s("netstat -anlp | grep EventHandler_SSEConnector.sock")),
            (Some(31), Kind::LsofConnector, ftd.clone(), s("lsof -i | grep conn")),
            (Some(34), Kind::ConnectorLog, ftd, s("tail -n 2 /ngfw/var/log/connector/connector.log")),
        ]
    );
    // Blocks cover the paste exactly once.
    let total: u64 = blocks.iter().map(|b| b.counts.lines).sum();
    assert_eq!(total, text.lines().count() as u64);
    assert!(blocks.iter().all(|b| b.counts.adds_up()));
}

#[test]
fn mixed_paste_is_detected_as_a_console_session() {
    let a = run(&["mixed_console_paste.txt"]);
    assert_eq!(a.inputs[0].kind, Kind::ConsoleSession);
    assert_eq!(a.inputs[0].counts.not_understood, 0);
}

#[test]
fn seed_dns_session_gives_one_dns_finding_fixed_by_configure_network_dns() {
    let a = run(&["seed_console_dns_session.txt"]);
    let dns: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.step == Some(ChainStep::Dns))
        .collect();
    assert_eq!(dns.len(), 1);
    assert_eq!(dns[0].rule, "sse.dns.server-unreachable");
    // Fixed later in the same session (`configure network dns x.x.x.11` at line 46, resolved at 51).
    assert_eq!(dns[0].severity, Severity::Warning);
    assert!(dns[0].explanation.what.en.contains("line 46"));
    assert!(!a.has_errors());
}

#[test]
fn curl_exit_6_nslookup_timeout_and_show_network_are_one_finding() {
    let a = run(&[
        "seed_curl_dns_failure.txt",
        "seed_nslookup_timeout.txt",
        "seed_show_network.txt",
    ]);
    let dns: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.step == Some(ChainStep::Dns))
        .collect();
    assert_eq!(dns.len(), 1, "{:?}", rules(&a));
    let f = dns[0];
    assert_eq!(
        (f.rule.as_str(), f.severity),
        ("sse.dns.server-unreachable", Severity::Error)
    );
    let evidence: Vec<(&str, u32)> = f.evidence.iter().map(|e| (&*e.input, e.line)).collect();
    assert_eq!(
        evidence,
        vec![
            ("seed_curl_dns_failure.txt", 1),
            ("seed_curl_dns_failure.txt", 3),
            ("seed_curl_dns_failure.txt", 4),
            ("seed_curl_dns_failure.txt", 6),
            ("seed_nslookup_timeout.txt", 2),
            ("seed_show_network.txt", 4),
        ]
    );
    assert!(f.explanation.what.en.contains("x.x.x.10"));
    assert!(f
        .explanation
        .fix
        .iter()
        .any(|s| s.en.contains("configure network dns")));
    assert_eq!(f.codes[0].name, "CURLE_COULDNT_RESOLVE_HOST");
    assert!(f.explanation.what.ja.contains("x.x.x.10"));
}

#[test]
fn action_queue_exit_6_and_no_dns_server_are_one_finding() {
    let a = run(&["action_queue_exit6.log", "show_network_no_dns.txt"]);
    assert_eq!(
        rules(&a),
        vec![("sse.dns.not-configured".to_string(), "error".to_string())]
    );
    assert_eq!(a.findings[0].evidence.len(), 2);
}
